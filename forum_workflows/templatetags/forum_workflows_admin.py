"""Words for a workflow's stage specs in the admin: gate labels, due rules, stage names."""

from django import template
from django.utils.translation import get_language, gettext, ngettext
from wagtail.users.models import UserProfile

from ..workflow_blocks import Gate

register = template.Library()


@register.simple_tag
def admin_language(user):
    """The language ``user`` reads the admin in: a preview rendered through the site (in the
    site's language) is still read by the person setting the workflow up."""
    if user is None or not user.is_authenticated:
        return get_language()
    return UserProfile.get_for_user(user).get_preferred_language()


@register.filter
def gate_label(gate):
    """The gate's label as the workflow builder shows it."""
    return dict(Gate.choices).get(gate, gate)


@register.filter
def due_rule(due):
    """A stage's due date rule in words."""
    due = due or {}
    days, session = due.get("days_after_start"), due.get("before_session")
    if days is not None:
        return ngettext(
            "%(days)s day after the program starts",
            "%(days)s days after the program starts",
            days,
        ) % {"days": days}
    if session is not None:
        return gettext("by learning session number %(number)s") % {"number": session}
    return gettext("no due date")


@register.simple_tag
def opens_after(stage, stages):
    """When the stage opens: at the start, or after the stages it depends on (by name and key)."""
    if not stage.get("depends_on"):
        return gettext("at the start")
    names = {other.get("key"): other["name"]["sv"] for other in stages}
    waits_for = ", ".join(
        f"{names[key]} ({key})" if names.get(key) else key for key in stage["depends_on"]
    )
    return gettext("after %(stages)s") % {"stages": waits_for}
