"""iCalendar (.ics) files for learning sessions, so people can add them to their own calendars.

Times are written in Europe/Stockholm with the time zone's rules included, so calendars place a
session right on either side of a daylight-saving change.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//Värdeforum//Forum for Values//SV"


def session_uid(session, host):
    """Stable across downloads, so re-importing updates the event instead of duplicating it."""
    return f"learning-session-{session.pk}@{host}"


def build_calendar(name, sessions, *, host, page_urls=None):
    """A calendar holding one event per session; ``page_urls`` maps session pk to a page URL."""
    page_urls = page_urls or {}
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session, host))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", session.title)
        event.add("categories", [str(session.get_kind_display())])
        if session.place:
            event.add("location", session.place)
        elif session.online_url:
            event.add("location", session.online_url)
        url = page_urls.get(session.pk) or session.online_url
        if url:
            event.add("url", url)
        description = [str(session.get_kind_display())]
        if session.online_url:
            description.append(session.online_url)
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar
