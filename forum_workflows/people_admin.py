"""The programme managers' admin for the program's people, with wagtail-modeladmin.

Kept in this one module (DESIGN.md §5), so it can be swapped for Wagtail viewsets later:
organisations, teams, memberships, coach assignments, program roles, the coach network,
invitations, the attendance recorded at learning sessions, and the teams' improvement projects.
Every list shows only what the signed-in person may see, every form offers only their own
programs and teams, and every action asks ``forum_workflows.permissions``. Deleting something
still referred to is refused by the database (PROTECT) and explained by modeladmin, so a stale
reference index cannot let it through.
"""

from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import HistoryView, InspectView

from . import progress
from .admin_forms import OwnProgramsForm
from .models import (
    Attendance,
    CoachAssignment,
    CoachNetworkMembership,
    ImprovementProject,
    Invitation,
    Membership,
    Organisation,
    ProgramRole,
    StageState,
    Team,
    WorkflowVersion,
)
from .permissions import can, managed_programs, manages_any
from .project_moves_admin import newer_versions
from .timeline import ProjectRecord, stage_label


class ScopedPermissionHelper(PermissionHelper):
    """Asks the permissions module only: being a programme manager (a ProgramRole) is what
    opens these lists, not a Django model permission kept beside it."""

    def user_can_list(self, user):
        return manages_any(user)

    def user_can_create(self, user):
        return manages_any(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and can(user, "view", obj)

    def user_can_edit_obj(self, user, obj):
        return can(user, "change", obj)

    def user_can_delete_obj(self, user, obj):
        return can(user, "delete", obj)


class ScopedHistoryView(HistoryView):
    """modeladmin's history asks no permission of its own: only those who may edit may read it."""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_edit_obj(request.user, self.instance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeopleModelAdmin(ModelAdmin):
    permission_helper_class = ScopedPermissionHelper
    history_view_class = ScopedHistoryView
    add_to_settings_menu = False
    exclude_from_explorer = True

    def scope(self, queryset, programs):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), managed_programs(request.user))


def program_filter(path):
    """A list filter offering only the signed-in person's programs (Django's own filter for a
    relation would list every program, and needs django.contrib.admin)."""

    class ProgramFilter(SimpleListFilter):
        title = _("program")
        parameter_name = "program"

        def lookups(self, request, model_admin):
            return [(program.pk, program.name) for program in managed_programs(request.user)]

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    return ProgramFilter


def admin_column(heading, order_by=None):
    """A list column computed by a method, with a translated heading (sortable by the lookup
    ``order_by`` when given)."""

    def decorate(method):
        method.short_description = heading
        if order_by:
            method.admin_order_field = order_by
        return method

    return decorate


def _form(*panels):
    return ObjectList(list(panels), base_form_class=OwnProgramsForm)


class OrganisationAdmin(PeopleModelAdmin):
    model = Organisation
    menu_icon = "site"
    list_display = ["name", "organisation_number"]
    search_fields = ["name", "organisation_number"]
    edit_handler = _form(FieldPanel("name"), FieldPanel("organisation_number"))

    def scope(self, queryset, programs):
        # Organisations of their teams, and those with no team yet (just added).
        return queryset.filter(Q(teams__program__in=programs) | Q(teams__isnull=True)).distinct()


class TeamAdmin(PeopleModelAdmin):
    model = Team
    menu_icon = "group"
    list_display = ["name", "organisation", "program", "status"]
    list_filter = [program_filter("program"), "status"]
    search_fields = ["name", "organisation__name"]
    edit_handler = _form(
        FieldPanel("program"),
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("status"),
        FieldPanel("sponsor"),
    )

    def scope(self, queryset, programs):
        return queryset.filter(program__in=programs).select_related("organisation", "program")


class MembershipAdmin(PeopleModelAdmin):
    model = Membership
    menu_icon = "user"
    list_display = ["user", "team", "role", "starts_on", "ends_on"]
    list_filter = [program_filter("team__program"), "role"]
    search_fields = ["user__full_name", "user__email", "team__name"]
    edit_handler = _form(
        FieldPanel("team"),
        FieldPanel("user"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
    )

    def scope(self, queryset, programs):
        return queryset.filter(team__program__in=programs).select_related("user", "team")


class CoachAssignmentAdmin(PeopleModelAdmin):
    model = CoachAssignment
    menu_icon = "user"
    list_display = ["coach", "team", "starts_on", "ends_on"]
    list_filter = [program_filter("team__program")]
    search_fields = ["coach__full_name", "coach__email", "team__name"]
    edit_handler = _form(
        FieldPanel("team"),
        FieldPanel("coach"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
    )

    def scope(self, queryset, programs):
        return queryset.filter(team__program__in=programs).select_related("coach", "team")


class ProgramRoleAdmin(PeopleModelAdmin):
    model = ProgramRole
    menu_icon = "user"
    list_display = ["user", "role", "program"]
    list_filter = [program_filter("program"), "role"]
    search_fields = ["user__full_name", "user__email"]
    edit_handler = _form(FieldPanel("program"), FieldPanel("user"), FieldPanel("role"))

    def scope(self, queryset, programs):
        return queryset.filter(program__in=programs).select_related("user", "program")


class CoachNetworkAdmin(PeopleModelAdmin):
    model = CoachNetworkMembership
    menu_icon = "user"
    list_display = ["user", "starts_on", "ends_on"]
    search_fields = ["user__full_name", "user__email"]
    edit_handler = _form(
        FieldPanel("user"), FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])
    )

    def scope(self, queryset, programs):
        return queryset.select_related("user")


class InvitationPermissionHelper(ScopedPermissionHelper):
    """Invitations are made on the invite page and never edited or deleted: an invitation
    sent by mistake is withdrawn (see ``invitations_admin``)."""

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class InvitationButtonHelper(ButtonHelper):
    """The add button opens the invite page; a pending invitation can be sent again or
    withdrawn."""

    def add_button(self, classnames_add=None, classnames_exclude=None):
        return {
            **super().add_button(classnames_add, classnames_exclude),
            "url": reverse("forum_workflows_invitations:bulk"),
            "label": _("Invite people"),
            "title": _("Invite people by email, one or many at once"),
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not obj.is_pending:
            return buttons
        for action, label, title in (
            ("resend", _("Send again"), _("Send the invitation again with a new link")),
            ("revoke", _("Withdraw"), _("Withdraw the invitation")),
        ):
            if can(self.request.user, action, obj):
                buttons.append(
                    {
                        "url": reverse(f"forum_workflows_invitations:{action}", args=[obj.pk]),
                        "label": label,
                        "title": title,
                        "classname": self.finalise_classname(["button-secondary"]),
                    }
                )
        return buttons


class InvitationStatusFilter(SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Invitation.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        pending = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            Invitation.Status.OPEN: queryset.filter(pending, expires_at__gt=now),
            Invitation.Status.EXPIRED: queryset.filter(pending, expires_at__lte=now),
            Invitation.Status.ACCEPTED: queryset.filter(accepted_at__isnull=False),
            Invitation.Status.REVOKED: queryset.filter(revoked_at__isnull=False),
        }.get(self.value(), queryset)


class InvitationAdmin(PeopleModelAdmin):
    model = Invitation
    menu_icon = "mail"
    permission_helper_class = InvitationPermissionHelper
    button_helper_class = InvitationButtonHelper
    list_display = ["email", "full_name", "invited_to", "role", "status", "expires_at"]
    list_filter = [program_filter("program"), InvitationStatusFilter, "role"]
    search_fields = ["email", "full_name", "team__name"]

    def scope(self, queryset, programs):
        return queryset.filter(program__in=programs).select_related(
            "program", "team", "invited_by"
        )

    def create_view(self, request):
        return redirect("forum_workflows_invitations:bulk")

    def register_indexing(self):
        # Not in Wagtail's reference index: a list of 2,000 invitations would update it 2,000
        # times, and no screen asks what refers to an invitation. The database still protects
        # the teams and programs invitations refer to.
        pass

    @admin_column(_("team or program"))
    def invited_to(self, obj):
        return obj.target

    @admin_column(_("status"))
    def status(self, obj):
        return obj.get_status_display()


ATTENDED, ABSENT = _("Attended"), _("Absent")


class AttendancePermissionHelper(ScopedPermissionHelper):
    """Attendance is recorded a whole register at a time (``attendance_admin``), which keeps
    everyone on it consistent and writes one audit entry: single rows are only read here, by
    those who keep the session's register."""

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and can(user, "record_attendance", obj.session)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class AttendanceButtonHelper(ButtonHelper):
    """The add button opens the list of sessions to record attendance for; each row links to
    its own record and to its session's register."""

    def add_button(self, classnames_add=None, classnames_exclude=None):
        return {
            **super().add_button(classnames_add, classnames_exclude),
            "url": reverse("forum_workflows_attendance:sessions"),
            "label": _("Record attendance"),
            "title": _("Choose a learning session and tick who attended"),
        }

    @cached_property
    def _managed_program_ids(self):
        return set(managed_programs(self.request.user).values_list("pk", flat=True))

    def _keeps_register(self, obj):
        # can(user, "record_attendance", session) is "manages the session's program": asked
        # here of the set of managed programs, one query a page rather than one a row.
        return obj.session.program_id in self._managed_program_ids

    def get_primary_button(self, obj):
        if self._keeps_register(obj):
            return self.inspect_button(obj.pk)
        return None

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        if not self._keeps_register(obj):
            return []
        exclude = exclude or []
        buttons = []
        if "inspect" not in exclude:
            buttons.append(self.inspect_button(obj.pk, classnames_add, classnames_exclude))
        buttons.append(
            {
                "url": reverse("forum_workflows_attendance:register", args=[obj.session_id]),
                "label": _("Session register"),
                "title": _("Record who attended this session"),
                "classname": self.finalise_classname(
                    ["button-secondary", *(classnames_add or [])], classnames_exclude
                ),
            }
        )
        return buttons


class AttendanceInspectView(InspectView):
    def get_field_display_value(self, field_name, field=None):
        if field_name == "attended":
            return ATTENDED if self.instance.attended else ABSENT
        return super().get_field_display_value(field_name, field)


class AttendanceAdmin(PeopleModelAdmin):
    model = Attendance
    menu_label = _("Attendance")
    menu_icon = "tasks"
    permission_helper_class = AttendancePermissionHelper
    button_helper_class = AttendanceButtonHelper
    inspect_view_enabled = True
    inspect_view_class = AttendanceInspectView
    inspect_view_fields = ["user", "session", "attended", "recorded_by", "recorded_at"]
    #: No history of its own: the register's audit entries are written on the session.
    history_view_enabled = False
    list_display = ["person", "email", "session_title", "session_date", "program", "presence"]
    list_filter = [program_filter("session__program"), "session__kind", "attended"]
    search_fields = ["user__full_name", "user__email", "session__title"]
    ordering = ["-session__starts_at", "session__title", "user__full_name", "user__email"]

    def scope(self, queryset, programs):
        return queryset.filter(session__program__in=programs).select_related(
            "user", "session__program"
        )

    def create_view(self, request):
        if not self.permission_helper.user_can_create(request.user):
            raise PermissionDenied
        return redirect("forum_workflows_attendance:sessions")

    def register_indexing(self):
        # Not in Wagtail's reference index: saving a register of 200 people would update it
        # 200 times, and no screen asks what refers to an attendance record. The database
        # still protects the sessions and people it refers to.
        pass

    @admin_column(_("person"), order_by="user__full_name")
    def person(self, obj):
        return obj.user

    @admin_column(_("email"), order_by="user__email")
    def email(self, obj):
        return obj.user.email

    @admin_column(_("learning session"), order_by="session__title")
    def session_title(self, obj):
        return obj.session.title

    @admin_column(_("date"), order_by="session__starts_at")
    def session_date(self, obj):
        return timezone.localtime(obj.session.starts_at).date()

    @admin_column(_("program"), order_by="session__program__name")
    def program(self, obj):
        return obj.session.program

    @admin_column(_("attended"), order_by="attended")
    def presence(self, obj):
        return ATTENDED if obj.attended else ABSENT


# Improvement projects ---------------------------------------------------------------------------


class ProjectPermissionHelper(ScopedPermissionHelper):
    """Projects change only through ``transitions`` (the team's work and its reviews): here the
    managers of a project's program list and inspect it, and nobody adds, edits or deletes."""

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and can(user, "manage", obj)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ProjectButtonHelper(ButtonHelper):
    """Each row opens its project's record, asked of the set of managed programs once a page
    rather than once a row."""

    @cached_property
    def _managed_program_ids(self):
        return set(managed_programs(self.request.user).values_list("pk", flat=True))

    def _may_inspect(self, obj):
        return obj.team.program_id in self._managed_program_ids

    def get_primary_button(self, obj):
        return self.inspect_button(obj.pk) if self._may_inspect(obj) else None

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        if "inspect" in (exclude or []) or not self._may_inspect(obj):
            return []
        return [self.inspect_button(obj.pk, classnames_add, classnames_exclude)]


def _stage_keys_of(programs):
    """``[(key, "name (key)")]`` of the stages in the workflow versions the programs' projects
    run on, named in the reader's language."""
    language = (get_language() or "sv")[:2]
    seen = {}
    versions = WorkflowVersion.objects.filter(projects__team__program__in=programs).distinct()
    for version in versions.order_by("workflow__name", "number"):
        for stage in version.stages:
            name = stage["name"].get(language) or stage["name"]["sv"]
            seen.setdefault(stage["key"], f"{name} ({stage['key']})")
    return list(seen.items())


class ProjectStageFilter(SimpleListFilter):
    """Projects working on a stage now; with a state chosen too, those with that stage in it."""

    title = _("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return _stage_keys_of(managed_programs(request.user))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        state = request.GET.get(ProjectStateFilter.parameter_name)
        states = [state] if state in StageState.State.values else progress.CURRENT
        return queryset.filter(progress.has_stage(stage_key=self.value(), state__in=states))


class ProjectStateFilter(SimpleListFilter):
    """Projects with any stage in a state (with a stage chosen too, see ProjectStageFilter)."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return StageState.State.choices

    def queryset(self, request, queryset):
        if not self.value() or request.GET.get(ProjectStageFilter.parameter_name):
            return queryset
        return queryset.filter(progress.has_stage(state=self.value()))


class ProjectCoachFilter(SimpleListFilter):
    """Projects of the teams a person coaches today."""

    title = _("coach")
    parameter_name = "coach"

    def lookups(self, request, model_admin):
        assignments = (
            CoachAssignment.objects.current()
            .filter(team__program__in=managed_programs(request.user))
            .select_related("coach")
        )
        names = {
            assignment.coach_id: assignment.coach.get_full_name()
            or assignment.coach.get_username()
            for assignment in assignments
        }
        return sorted(names.items(), key=lambda item: item[1].casefold())

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        coached = CoachAssignment.objects.current().filter(
            team=OuterRef("team"), coach=self.value()
        )
        return queryset.filter(Exists(coached))


class ProjectOverdueFilter(SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(progress.has_overdue_stage())
        if self.value() == "no":
            return queryset.filter(~progress.has_overdue_stage())
        return queryset


class ProjectInspectView(InspectView):
    """The project's record: where each stage stands, every state change and audit entry in
    time order, and the comments."""

    def get_dict_for_field(self, field_name):
        if field_name == "program":  # the team's, not a field of the project
            return {"label": _("program"), "value": self.instance.team.program}
        return super().get_dict_for_field(field_name)

    def get_context_data(self, **kwargs):
        record = ProjectRecord(self.instance)
        movable = can(self.request.user, "move_version", self.instance)
        return super().get_context_data(
            move_url=reverse("forum_workflows_projects:move", args=[self.instance.pk])
            if movable and newer_versions(self.instance).exists()
            else None,
            stages=record.stages(),
            timeline=record.timeline(),
            comments=record.comments(),
            **kwargs,
        )


class ImprovementProjectAdmin(PeopleModelAdmin):
    model = ImprovementProject
    menu_label = _("Projects")
    menu_icon = "list-ol"
    permission_helper_class = ProjectPermissionHelper
    button_helper_class = ProjectButtonHelper
    inspect_view_enabled = True
    inspect_view_class = ProjectInspectView
    inspect_template_name = "forum_workflows/admin/project_inspect.html"
    inspect_view_fields = [
        "team",
        "title",
        "program",
        "workflow_version",
        "started_at",
        "started_by",
    ]
    #: No history of its own: the record (inspect) shows the audit entries with the state changes.
    history_view_enabled = False
    list_display = [
        "team",
        "title",
        "program",
        "workflow_version",
        "current_stages",
        "approved",
        "overdue",
    ]
    list_filter = [
        program_filter("team__program"),
        ProjectStageFilter,
        ProjectStateFilter,
        ProjectCoachFilter,
        ProjectOverdueFilter,
    ]
    search_fields = ["team__name", "title"]
    ordering = ["team__name", "pk"]

    def scope(self, queryset, programs):
        current = StageState.objects.filter(state__in=progress.CURRENT).order_by("pk")
        return progress.with_progress(
            queryset.filter(team__program__in=programs)
            .select_related("team__program", "workflow_version__workflow")
            .prefetch_related(Prefetch("stage_states", current, to_attr="current_states"))
        )

    def register_indexing(self):
        # Nothing here is edited: no screen asks what refers to a project.
        pass

    @admin_column(_("program"), order_by="team__program__name")
    def program(self, obj):
        return obj.team.program

    @admin_column(_("current stages"))
    def current_stages(self, obj):
        return ", ".join(stage_label(obj, state) for state in obj.current_states) or "—"

    @admin_column(_("approved"), order_by="approved_count")
    def approved(self, obj):
        text = gettext("%(approved)s of %(total)s") % {
            "approved": obj.approved_count,
            "total": obj.stage_count,
        }
        if obj.waived_count:
            waived = ngettext("%(count)s waived", "%(count)s waived", obj.waived_count)
            text += f" ({waived % {'count': obj.waived_count}})"
        return text

    @admin_column(_("overdue stages"), order_by="overdue_count")
    def overdue(self, obj):
        return obj.overdue_count


class PeopleGroup(ModelAdminGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 210
    items = (
        TeamAdmin,
        MembershipAdmin,
        CoachAssignmentAdmin,
        OrganisationAdmin,
        ProgramRoleAdmin,
        CoachNetworkAdmin,
        InvitationAdmin,
        AttendanceAdmin,
        ImprovementProjectAdmin,
    )
