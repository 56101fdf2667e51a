"""Learning sessions as .ics files that real calendars read, on either side of a DST change."""

import datetime

import pytest
from icalendar import Calendar

from forum_workflows.models import (
    CoachNetworkPage,
    LearningSession,
    LearningSessionPage,
    ProgramPage,
)

from .factories import STOCKHOLM, make_program, make_session, stockholm

pytestmark = pytest.mark.django_db


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def program(site_tree):
    program = make_program(name="Värdeforum 2026", slug="vardeforum-2026")
    publish(site_tree["sv"], ProgramPage(title="Värdeforum 2026", slug="program", program=program))
    return program


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_times_stay_right_across_the_end_of_summer_time(client, program):
    # Summer time ends on 25 October 2026: 09:00 is 07:00 UTC before and 08:00 UTC after.
    before = make_session(
        program, title="Före omställningen", starts_at=stockholm(2026, 10, 24, 9)
    )
    after = make_session(
        program, title="Efter omställningen", starts_at=stockholm(2026, 10, 26, 9)
    )

    found = {
        str(e["SUMMARY"]): e
        for e in events(client.get("/sv/calendar/program/vardeforum-2026.ics"))
    }

    for session in (before, after):
        event = found[session.title]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == session.starts_at
        assert end == session.ends_at
        assert start.astimezone(STOCKHOLM).hour == 9
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert found["Före omställningen"].decoded("DTSTART").utcoffset() == datetime.timedelta(
        hours=2
    )
    assert found["Efter omställningen"].decoded("DTSTART").utcoffset() == datetime.timedelta(
        hours=1
    )


def test_the_file_carries_the_time_zone_rules_and_stable_ids(client, program):
    session = make_session(program, place="Famna, Götgatan 22, Stockholm")
    response = client.get("/sv/calendar/program/vardeforum-2026.ics")
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"learning-session-{session.pk}@testserver"
    assert str(event["LOCATION"]) == "Famna, Götgatan 22, Stockholm"
    again = Calendar.from_ical(client.get("/sv/calendar/program/vardeforum-2026.ics").content)
    assert str(again.walk("VEVENT")[0]["UID"]) == str(event["UID"])


def test_one_session_links_its_page_and_online_meeting(client, program, site_tree):
    session = make_session(program, place="", online_url="https://meet.example.org/seminarium")
    page = publish(
        site_tree["sv"].get_children().get(slug="program").specific,
        LearningSessionPage(title=session.title, slug="seminarium", learning_session=session),
    )
    (event,) = events(client.get(f"/sv/calendar/session/{session.pk}.ics"))
    assert str(event["URL"]) == page.get_full_url()
    assert str(event["LOCATION"]) == "https://meet.example.org/seminarium"
    assert "https://meet.example.org/seminarium" in str(event["DESCRIPTION"])


def test_sessions_not_shown_on_the_public_site_are_not_served(client, site_tree):
    hidden = make_program(slug="intern")
    session = make_session(hidden)
    assert client.get("/sv/calendar/program/intern.ics").status_code == 404
    assert client.get(f"/sv/calendar/session/{session.pk}.ics").status_code == 404
    assert client.get("/sv/calendar/program/finns-inte.ics").status_code == 404
    assert client.get("/sv/calendar/session/999999.ics").status_code == 404

    draft = ProgramPage(title="Utkast", slug="utkast", program=hidden, live=False)
    site_tree["sv"].add_child(instance=draft)
    assert client.get("/sv/calendar/program/intern.ics").status_code == 404


def test_a_network_meeting_shown_on_the_network_page_is_served(client, site_tree):
    meeting = make_session(make_program(), kind=LearningSession.Kind.NETWORK_MEETING)
    publish(site_tree["sv"], CoachNetworkPage(title="Coachnätverket", slug="natverk"))
    assert client.get(f"/sv/calendar/session/{meeting.pk}.ics").status_code == 200


def test_the_program_page_offers_the_calendar_files(client, program, site_tree):
    session = make_session(program)
    content = client.get("/sv/program/").content.decode()
    assert 'href="/sv/calendar/program/vardeforum-2026.ics"' in content
    assert f'href="/sv/calendar/session/{session.pk}.ics"' in content
