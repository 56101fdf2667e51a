"""People sign in with their email address, whatever its letter case, and have one full name."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

User = get_user_model()


def login_url(language="sv"):
    with translation.override(language):
        return reverse("accounts:login")


def test_email_is_unique_ignoring_case(make_user):
    make_user(email="Tove.Svensson@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="tove.svensson@EXAMPLE.org", full_name="Someone Else")
    assert User.objects.count() == 1


def test_full_name_is_the_persons_name(make_user):
    user = make_user(full_name="Tove Svensson")
    assert user.get_full_name() == "Tove Svensson"
    assert user.get_short_name() == "Tove"
    assert str(user) == "Tove Svensson"


def test_login_ignores_the_case_of_the_email(client, make_user):
    make_user(email="tove@example.org", password="a-Good-passw0rd")
    response = client.post(
        login_url(), {"username": "TOVE@Example.org", "password": "a-Good-passw0rd"}
    )
    assert response.status_code == 302
    assert response.url == "/sv/workspace/"
    assert "_auth_user_id" in client.session


def test_login_lands_on_the_workspace_in_the_persons_own_language(client, make_user):
    make_user(email="camilla@example.org", password="a-Good-passw0rd", language="en")
    response = client.post(
        login_url("sv"), {"username": "camilla@example.org", "password": "a-Good-passw0rd"}
    )
    assert response.url == "/en/workspace/"
    assert response.cookies["django_language"].value == "en"
    assert client.get("/").url == "/en/"


def test_login_keeps_the_page_language_for_someone_without_a_preference(client, make_user):
    make_user(email="tove@example.org", password="a-Good-passw0rd")
    response = client.post(
        login_url("en"), {"username": "tove@example.org", "password": "a-Good-passw0rd"}
    )
    assert response.url == "/en/workspace/"
    assert "django_language" not in response.cookies


def test_login_returns_to_the_page_asked_for(client, make_user):
    make_user(email="camilla@example.org", password="a-Good-passw0rd", language="en")
    response = client.post(
        login_url("sv") + "?next=/sv/accounts/password-reset/",
        {"username": "camilla@example.org", "password": "a-Good-passw0rd"},
    )
    assert response.url == "/sv/accounts/password-reset/"


def test_wrong_password_gets_a_clear_translated_error(client, make_user):
    make_user(email="tove@example.org")
    response = client.post(login_url(), {"username": "tove@example.org", "password": "wrong"})
    assert response.status_code == 400
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(login_url("en"), {"username": "tove@example.org", "password": "wrong"})
    assert "The email address or the password is wrong" in response.content.decode()


def test_an_inactive_account_cannot_log_in(client, make_user):
    make_user(email="gone@example.org", is_active=False)
    response = client.post(
        login_url(), {"username": "gone@example.org", "password": "a-Good-passw0rd"}
    )
    assert response.status_code == 400
    # The same words as for a wrong password: a closed account is not revealed.
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_does_not_redirect_to_another_site(client, make_user):
    make_user(email="tove@example.org")
    response = client.post(
        login_url() + "?next=https://evil.example.com/",
        {"username": "tove@example.org", "password": "a-Good-passw0rd"},
    )
    assert response.status_code == 302
    assert response.url == "/sv/workspace/"


def test_logout_is_visible_on_every_page_and_needs_a_post(client, make_user, site_tree):
    client.force_login(make_user())
    page = client.get("/sv/").content.decode()
    assert 'action="/sv/accounts/logout/"' in page
    assert "Logga ut" in page
    visit = client.get("/sv/accounts/logout/")
    assert visit.status_code == 405
    assert visit["Allow"] == "POST"
    assert '<button type="submit" class="button">Logga ut</button>' in visit.content.decode()
    response = client.post("/sv/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_is_in_the_persons_language(client, make_user):
    make_user(email="camilla@example.org", language="en")
    response = client.post("/sv/accounts/password-reset/", {"email": "CAMILLA@example.org"})
    assert response.status_code == 302
    assert response.url == "/sv/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camilla@example.org"]
    assert message.subject == "Choose a new password for Forum for Values"
    assert "http://testserver/en/accounts/password-reset/" in message.body


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post("/sv/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == "/sv/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_rejects_a_malformed_address_with_a_message(client, db):
    response = client.post("/sv/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in response.content.decode()


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(
    client, make_user, site_tree, settings
):
    client.force_login(make_user())
    response = client.get("/sv/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 8 * 60 * 60


class TestAdminUserScreens:
    """The admin's user screens use the one full name and refuse duplicate emails politely."""

    @pytest.fixture
    def admin_client(self, client, make_user):
        client.force_login(make_user(is_superuser=True, is_staff=True))
        return client

    def form_data(self, **overrides):
        data = {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "password1": "a-Good-passw0rd-2026",
            "password2": "a-Good-passw0rd-2026",
        }
        data.update(overrides)
        return data

    def test_the_create_screen_asks_for_a_full_name(self, admin_client):
        response = admin_client.get(reverse("wagtailusers_users:add"))
        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="full_name"' in content
        assert 'name="first_name"' not in content

    def test_an_admin_creates_a_person_with_a_full_name(self, admin_client):
        response = admin_client.post(reverse("wagtailusers_users:add"), self.form_data())
        assert response.status_code == 302
        person = User.objects.get(email="new.person@example.org")
        assert person.get_full_name() == "New Person"
        assert person.check_password("a-Good-passw0rd-2026")

    def test_an_email_differing_only_in_case_gets_a_message_not_an_error(
        self, admin_client, make_user
    ):
        make_user(email="tove@example.org")
        response = admin_client.post(
            reverse("wagtailusers_users:add"), self.form_data(email="TOVE@example.org")
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "Det finns redan ett konto med den här e-postadressen." in content
        assert User.objects.filter(email__iexact="tove@example.org").count() == 1

    def test_an_admin_renames_a_person(self, admin_client, make_user):
        person = make_user(email="tove@example.org", full_name="Tove S")
        response = admin_client.post(
            reverse("wagtailusers_users:edit", args=[person.pk]),
            {"email": "tove@example.org", "full_name": "Tove Svensson", "is_active": "on"},
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.full_name == "Tove Svensson"


class TestThrottling:
    """Guessing passwords or flooding someone's inbox is slowed down, per email address."""

    def test_after_five_wrong_passwords_even_the_right_one_waits(self, client, make_user):
        make_user(email="tove@example.org", password="a-Good-passw0rd")
        for _ in range(5):
            response = client.post(
                login_url(), {"username": "tove@example.org", "password": "wrong"}
            )
            assert response.status_code == 400
        response = client.post(
            login_url(), {"username": "TOVE@example.org", "password": "a-Good-passw0rd"}
        )
        assert response.status_code == 429
        assert "För många felaktiga lösenord" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_other_addresses_are_not_affected(self, client, make_user):
        make_user(email="camilla@example.org", password="a-Good-passw0rd")
        for _ in range(5):
            client.post(login_url(), {"username": "tove@example.org", "password": "wrong"})
        response = client.post(
            login_url(), {"username": "camilla@example.org", "password": "a-Good-passw0rd"}
        )
        assert response.status_code == 302

    def test_a_successful_login_clears_earlier_failures(self, client, make_user):
        make_user(email="tove@example.org", password="a-Good-passw0rd")
        for _ in range(4):
            client.post(login_url(), {"username": "tove@example.org", "password": "wrong"})
        client.post(login_url(), {"username": "tove@example.org", "password": "a-Good-passw0rd"})
        client.logout()
        for _ in range(4):
            response = client.post(
                login_url(), {"username": "tove@example.org", "password": "wrong"}
            )
        assert response.status_code == 400  # wrong, but not yet paused (429)

    def test_at_most_three_reset_mails_an_hour_with_the_same_answer(self, client, make_user):
        make_user(email="tove@example.org")
        for _ in range(5):
            response = client.post("/sv/accounts/password-reset/", {"email": "tove@example.org"})
            assert response.status_code == 302
            assert response.url == "/sv/accounts/password-reset/sent/"
        assert len(mail.outbox) == 3


def test_an_absurdly_long_email_is_refused_not_crashed(client, db):
    response = client.post(login_url(), {"username": "a" * 60_000 + "@x.se", "password": "x"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_login_page_never_sends_a_logged_in_person_back_to_itself(client, make_user):
    client.force_login(make_user())
    response = client.get(login_url() + "?next=/sv/accounts/login/")
    assert response.status_code == 302
    assert response.url == "/sv/workspace/"
    page = client.get(login_url("sv").replace("login/", "password-reset/"))
    assert (
        "?next=" not in page.content.decode().split('class="site-header"')[1].split("</header>")[0]
    )


def test_a_used_or_forged_reset_link_gets_a_400_with_a_way_on(client, db):
    response = client.get("/sv/accounts/password-reset/MQ/forged-token/")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Länken har slutat gälla eller har redan använts." in content
    assert 'href="/sv/accounts/password-reset/"' in content


class TestThrottleWindows:
    """The windows hold on the database cache that production uses, not only in memory."""

    @pytest.fixture(autouse=True)
    def database_cache(self, settings, db):
        from django.core.cache import caches
        from django.core.management import call_command

        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "forum_test_cache",
            }
        }
        call_command("createcachetable", verbosity=0)
        yield
        caches["default"].clear()

    def test_a_count_keeps_the_end_of_its_first_window(self):
        import time

        from accounts.throttle import Throttle

        start = time.time()
        clock = [start]
        throttle = Throttle("test", limit=3, window=3600, clock=lambda: clock[0])
        for _ in range(3):
            throttle.hit("tove@example.org")
            clock[0] += 600  # ten minutes between hits: still inside the hour
        assert throttle.is_blocked("TOVE@example.org")
        clock[0] = start + 3601
        assert not throttle.is_blocked("tove@example.org")

    def test_the_stored_timeout_is_the_rest_of_the_window(self):
        from django.core.cache import cache

        from accounts.throttle import PASSWORD_RESET_THROTTLE

        PASSWORD_RESET_THROTTLE.hit("tove@example.org")
        PASSWORD_RESET_THROTTLE.hit("tove@example.org")
        key = PASSWORD_RESET_THROTTLE._key("tove@example.org")
        assert cache.get(key)[0] == 2
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM forum_test_cache")
            (expires,) = cursor.fetchone()
        from django.utils import timezone

        if timezone.is_naive(expires):  # SQLite keeps UTC without a zone
            expires = timezone.make_aware(expires, datetime.UTC)
        assert (expires - timezone.now()).total_seconds() > 3500


def test_choosing_a_new_password_lifts_the_login_pause(client, make_user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.throttle import LOGIN_THROTTLE

    person = make_user(email="tove@example.org")
    for _ in range(5):
        LOGIN_THROTTLE.hit("tove@example.org")
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    form_url = client.get(f"/sv/accounts/password-reset/{uid}/{token}/").url
    response = client.post(
        form_url, {"new_password1": "Ett-nytt-l0senord", "new_password2": "Ett-nytt-l0senord"}
    )
    assert response.status_code == 302
    response = client.post(
        login_url(), {"username": "tove@example.org", "password": "Ett-nytt-l0senord"}
    )
    assert response.status_code == 302
