"""A team member signs up for a learning session and finds it under "My sessions"; axe-core
checks every page, on a laptop and a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.forum_workflows_tests.factories import make_session
from tests.forum_workflows_tests.people import make_cast

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Ett-bra-l0senord"


def test_sign_up_with_a_note_and_see_it_listed(server, make_user, page):
    cast = make_cast(lambda **kwargs: make_user(password=PASSWORD, **kwargs))
    start = timezone.now() + datetime.timedelta(days=20)
    session = make_session(
        cast.program, title="Lärandeseminarium 2", starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )  # fmt: skip
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill(cast.people["member"].email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    page.goto(f"{server.url}/sv/sessions/{session.pk}/sign-up/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmälan: Lärandeseminarium 2")
    assert_accessible(page)
    page.get_by_label("Meddelande till arrangörerna").fill("Vegetariskt")
    page.get_by_role("button", name="Anmäl mig").click()
    expect(page.get_by_text("Du är anmäld till den här träffen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Mina träffar").click()
    expect(page.get_by_role("link", name="Lärandeseminarium 2")).to_be_visible()
    assert_accessible(page)
