"""Who may open members-only content (``models.MembersOnlyArea``).

A program's content is for the people taking part: the current members and coaches of its
teams that have not left, its faculty and its programme managers (and superusers). Sponsors and
organisation contacts follow their teams' work, not the program's materials. People who may edit
a page or a document in the admin open it too, so editors can check what they published.

Every check costs one query, however deep the page or many the areas: the pages and the
listings (search, sitemap, menu) that ask here stay at a fixed number of queries.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.models import Page
from wagtail.permissions import policy_registry

from forum_workflows.models import (
    CoachAssignment,
    Membership,
    MembersOnlyArea,
    Program,
    ProgramRole,
    Team,
)

from .people import RULES, is_active_person


def programs_open_to(user, on=None):
    """The programs whose members-only content ``user`` may open."""
    if not is_active_person(user):
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    on = on or timezone.localdate()
    teams_taking_part = Q(team__program=OuterRef("pk"), team__archived_at__isnull=True) & ~Q(
        team__status=Team.Status.LEFT
    )
    members = Membership.objects.current(on).filter(teams_taking_part, user=user)
    coaches = CoachAssignment.objects.current(on).filter(teams_taking_part, coach=user)
    roles = ProgramRole.objects.filter(program=OuterRef("pk"), user=user)
    return Program.objects.filter(Q(Exists(roles)) | Q(Exists(members)) | Q(Exists(coaches)))


def _areas_over_page(page):
    """The areas ``page`` lies in: on it or an ancestor, in any language."""
    keys = Page.objects.ancestor_of(page, inclusive=True).values("translation_key")
    return MembersOnlyArea.objects.filter(page__translation_key__in=keys)


def _areas_over_collection(collection):
    return MembersOnlyArea.objects.filter(
        collection__in=collection.get_ancestors(inclusive=True).values("pk")
    )


def closed_area(areas, user):
    """The first of ``areas`` ``user`` may not open (with its program), or ``None``."""
    return (
        areas.exclude(program__in=programs_open_to(user).values("pk"))
        .select_related("program")
        .first()
    )


def closed_area_of_page(page, user):
    """Why ``user`` may not open ``page``: the members-only area that keeps them out, if any."""
    area = closed_area(_areas_over_page(page), user)
    if area is None or page.permissions_for_user(user).can_edit():
        return None
    return area


def closed_area_of_document(document, user):
    area = closed_area(_areas_over_collection(document.collection), user)
    policy = policy_registry.get_by_type(type(document))
    if area is None or policy.user_has_permission_for_instance(user, "change", document):
        return None
    return area


def hide_closed_pages(pages, user):
    """``pages`` without those in areas ``user`` may not open (for listings and search)."""
    closed = MembersOnlyArea.objects.filter(page__isnull=False).exclude(
        program__in=programs_open_to(user).values("pk")
    )
    roots = Page.objects.filter(
        translation_key__in=closed.values("page__translation_key")
    ).values_list("path", flat=True)
    for path in roots:
        pages = pages.exclude(path__startswith=path)
    return pages


def _may_read_materials(user, program):
    return programs_open_to(user).filter(pk=program.pk).exists()


RULES[Program, "read_materials"] = _may_read_materials
