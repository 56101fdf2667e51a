"""The workspace's first pages in a real browser, on the demo's projects: no axe violations,
no sideways scrolling, at desktop and phone widths, including the error state."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from forum_workflows.models import ImprovementProject
from home.management.commands.load_demo_data import DEMO_PASSWORD

from .axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _check(page, problems):
    path = page.url
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{path}: scrolls sideways by {overflow}px")
    problems += [f"{path}: {v['id']} {v['help']} {v['targets']}" for v in axe_violations(page)]


def test_the_team_member_works_on_a_stage_without_axe_violations(server, page):
    call_command("load_demo_data", stdout=io.StringIO())
    project = ImprovementProject.objects.get(team__name="Hemtjänsten Södermalm")
    draft = project.stage_states.get(stage_key="pdsa", cycle=3)
    approved = project.stage_states.get(stage_key="global_aim")

    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill("team@example.org")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    problems = []
    for path in (
        f"/sv/workspace/projects/{project.pk}/",
        f"/sv/workspace/stages/{draft.pk}/",
        f"/sv/workspace/stages/{approved.pk}/",
    ):
        response = page.goto(f"{server.url}{path}")
        assert response.status == 200, path
        _check(page, problems)

    page.goto(f"{server.url}/sv/workspace/stages/{draft.pk}/")
    page.get_by_role("button", name="Skicka in …").click()  # PDSA takes feedback, no review
    expect(page.locator(".error-summary")).to_be_visible()
    _check(page, problems)
    assert not problems, "\n".join(problems)
