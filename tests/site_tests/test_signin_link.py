"""Logging in with a link by email: signed, 15 minutes, once; asked for without revealing
which addresses have accounts, a few times an hour at most."""

import re
import threading
import time
from unittest import mock
from urllib.parse import quote

import pytest
from django.core import signing
from django.db import connection

from accounts import signin_link
from accounts.throttle import LOGIN_THROTTLE

pytestmark = pytest.mark.django_db

REQUEST = "/sv/accounts/sign-in-link/"
SENT = "/sv/accounts/sign-in-link/sent/"
LINK = re.compile(r"http://testserver(/(?:sv|en)/accounts/sign-in-link/[^/\s\"]+/)")


def link_in(message):
    paths = LINK.findall(message.body)
    assert paths, message.body
    assert paths[0] in message.alternatives[0].content
    return paths[0]


def ask(client, email, **extra):
    return client.post(REQUEST, {"email": email, **extra})


def test_the_login_page_offers_a_link_by_email(client, db):
    page = client.get("/sv/accounts/login/?next=/sv/nagonstans/").content.decode()
    assert f'href="{REQUEST}?next={quote("/sv/nagonstans/")}"' in page
    assert client.get(REQUEST).status_code == 200


def test_a_person_gets_a_link_in_their_own_language(client, make_user, mailoutbox):
    make_user(email="camilla@example.org", full_name="Camilla Ek", language="en")
    response = ask(client, "CAMILLA@example.org")
    assert (response.status_code, response["Location"]) == (302, SENT)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["camilla@example.org"]
    assert message.subject == "Your link to log in to Forum for Values"
    assert "Hello Camilla Ek," in message.body
    assert "15 minutes" in message.body
    assert link_in(message).startswith("/en/accounts/sign-in-link/")
    assert message.alternatives[0].mimetype == "text/html"
    assert '<html lang="en">' in message.alternatives[0].content


@pytest.mark.parametrize("email", ["nobody@example.org", "closed@example.org"])
def test_unknown_and_closed_accounts_get_the_same_answer_and_no_mail(
    client, make_user, mailoutbox, email
):
    make_user(email="closed@example.org", is_active=False)
    response = ask(client, email)
    assert (response.status_code, response["Location"]) == (302, SENT)
    assert mailoutbox == []


def test_a_malformed_address_gets_a_message(client, db, mailoutbox):
    response = ask(client, "not an address")
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in response.content.decode()
    assert mailoutbox == []


def test_at_most_three_links_an_hour_with_the_same_answer(client, make_user, mailoutbox):
    make_user(email="tove@example.org")
    for _ in range(5):
        response = ask(client, "Tove@example.org")
        assert (response.status_code, response["Location"]) == (302, SENT)
    assert len(mailoutbox) == 3
    ask(client, "nobody@example.org")  # other addresses are counted on their own
    assert len(mailoutbox) == 3


class TestFollowingTheLink:
    @pytest.fixture
    def person(self, make_user):
        return make_user(email="tove@example.org", language="en")

    @pytest.fixture
    def path(self, client, person, mailoutbox):
        ask(client, person.email)
        return link_in(mailoutbox[0])

    def test_opening_the_link_asks_to_press_a_button(self, client, path):
        page = client.get(path)
        assert page.status_code == 200
        assert "tove@example.org" in page.content.decode()
        assert "_auth_user_id" not in client.session  # mail scanners open links too

    def test_pressing_it_logs_in_once_in_the_persons_language(self, client, person, path):
        for _ in range(5):
            LOGIN_THROTTLE.hit(person.email)
        response = client.post(path)
        assert (response.status_code, response["Location"]) == (302, "/en/workspace/")
        assert response.cookies["django_language"].value == "en"
        assert client.session["_auth_user_id"] == str(person.pk)
        assert not LOGIN_THROTTLE.is_blocked(person.email)  # the mailbox's owner lifted it

        client.logout()
        again = client.post(path)
        assert again.status_code == 410
        assert again.context["reason"] == "used"
        assert "_auth_user_id" not in client.session
        assert client.get(path).status_code == 410

    def test_it_goes_on_to_the_page_asked_for(self, client, make_user, mailoutbox):
        make_user(email="kim@example.org")
        client.post(REQUEST + "?next=/sv/accounts/password-reset/", {"email": "kim@example.org"})
        response = client.post(link_in(mailoutbox[0]))
        assert response["Location"] == "/sv/accounts/password-reset/"

    def test_it_never_goes_to_another_site(self, client, make_user, mailoutbox):
        make_user(email="kim@example.org")
        ask(client, "kim@example.org", next="https://evil.example.com/")
        response = client.post(link_in(mailoutbox[0]))
        assert response["Location"] == "/sv/workspace/"

    def test_an_expired_link(self, client, path):
        later = time.time() + signin_link.MAX_AGE + 1
        with mock.patch("django.core.signing.time.time", return_value=later):
            response = client.post(path)
        assert response.status_code == 410
        assert response.context["reason"] == "expired"
        assert "_auth_user_id" not in client.session

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],
            lambda path: "/sv/accounts/sign-in-link/junk/",
        ],
        ids=["changed", "junk"],
    )
    def test_a_tampered_link(self, client, path, tamper):
        response = client.post(tamper(path))
        assert response.status_code == 400
        assert response.context["reason"] == "broken"
        assert "_auth_user_id" not in client.session

    def test_a_token_signed_for_something_else_is_refused(self, client, person):
        forged = signing.dumps({"u": person.pk, "f": "x", "n": ""})  # the default salt
        assert client.post(f"/sv/accounts/sign-in-link/{forged}/").status_code == 400

    def test_an_account_closed_since(self, client, person, path):
        person.is_active = False
        person.save()
        response = client.post(path)
        assert response.status_code == 403
        assert response.context["reason"] == "inactive"
        assert "_auth_user_id" not in client.session

    def test_logging_in_with_the_password_meanwhile_uses_the_link_up(self, client, person, path):
        assert client.login(username=person.email, password="a-Good-passw0rd")
        client.logout()
        assert client.post(path).status_code == 410

    def test_the_problem_page_is_in_the_language_of_the_link(self, client, path):
        assert client.post(path).status_code == 302
        client.logout()
        page = client.get(path).content.decode()
        assert '<html lang="en">' in page
        assert "<h1>The link has already been used</h1>" in page


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_log_in_once(make_user):
    person = make_user(email="samtidig@example.org")
    token = signin_link.make_token(person)
    barrier = threading.Barrier(2)
    results = [None, None]
    check = signin_link._check

    def slow_check(user, fingerprint):
        # Widens the gap between reading the account and writing the sign-in time, so that
        # without the row lock both clicks would get through (and this test would fail).
        check(user, fingerprint)
        time.sleep(0.3)

    def work(index):
        try:
            signin_link.check_token(token)  # each thread has read the account
            barrier.wait()
            results[index] = signin_link.use_token(token)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    with mock.patch.object(signin_link, "_check", slow_check):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    used = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, signin_link.LinkError)]
    assert len(used) == 1 and len(refused) == 1, results
    assert refused[0].reason == signin_link.LinkError.USED
