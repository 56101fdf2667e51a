"""Inviting people from the admin: a list pasted or uploaded at once, with a report row by row;
and sending an invitation again or withdrawing it. The list of invitations itself is
``InvitationAdmin`` in ``people_admin``. Every view asks ``permissions``; changes go through
``invitations`` and ``invitation_lists``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import invitation_lists, invitations
from .invitation_forms import BulkInviteForm
from .models import Invitation
from .permissions import can, manages_any

INDEX_URL_NAME = "forum_workflows_invitation_modeladmin_index"


def invitations_index_url():
    return reverse(INDEX_URL_NAME)


class InvitationsBreadcrumbs:
    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": invitations_index_url(), "label": _("Invitations")},
            {"url": "", "label": self.get_page_title()},
        ]


class BulkInviteView(InvitationsBreadcrumbs, WagtailAdminTemplateMixin, FormView):
    """Paste or upload a list; the answer is the same page with a report on every row."""

    template_name = "forum_workflows/admin/invitations/bulk.html"
    form_class = BulkInviteForm
    page_title = gettext_lazy("Invite people")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not manages_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        data = form.cleaned_data
        reports = invitation_lists.invite_rows(
            data["rows"],
            program=data["program"],
            invited_by=self.request.user,
            language=data["language"],
            default_team=data["team"],
            default_role=data["role"],
        )
        invited = sum(report.invited for report in reports)
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(user=self.request.user, initial=self._kept(data)),
                reports=reports,
                invited=invited,
                not_invited=len(reports) - invited,
            )
        )

    @staticmethod
    def _kept(data):
        """The choices stay for the next list; the list itself does not."""
        return {key: data[key] for key in ("program", "team", "role", "language")}


class InvitationActionView(InvitationsBreadcrumbs, WagtailAdminTemplateMixin, TemplateView):
    """Asks to confirm on GET; acts on POST and returns to the list of invitations."""

    template_name = "forum_workflows/admin/invitations/confirm.html"
    header_icon = "mail"
    action = ""

    def dispatch(self, request, pk, *args, **kwargs):
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("program", "team"), pk=pk
        )
        if not can(request.user, self.action, self.invitation):
            raise PermissionDenied
        if not self.invitation.is_pending:
            messages.error(request, self.not_pending_message())
            return redirect(invitations_index_url())
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.invitation.email

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.invitation}

    def not_pending_message(self):
        if self.invitation.accepted_at:
            return _("%(email)s has already accepted the invitation.") % {
                "email": self.invitation.email
            }
        return _("The invitation to %(email)s was withdrawn.") % {"email": self.invitation.email}

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except invitations.InvitationError:  # accepted or withdrawn meanwhile
            self.invitation.refresh_from_db()
            messages.error(request, self.not_pending_message())
        return redirect(invitations_index_url())


class ResendView(InvitationActionView):
    action = "resend"
    page_title = gettext_lazy("Send the invitation again")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": _(
                "Send the invitation to %(email)s again? The link in earlier emails will stop "
                "working, and the new link works for %(days)s days."
            )
            % {"email": self.invitation.email, "days": invitations.lifetime().days},
            "button": _("Send again"),
        }

    def act(self):
        invitations.resend(self.invitation, user=self.request.user)
        messages.success(
            self.request,
            _("The invitation to %(email)s is sent again.") % {"email": self.invitation.email},
        )


class RevokeView(InvitationActionView):
    action = "revoke"
    page_title = gettext_lazy("Withdraw the invitation")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": _(
                "Withdraw the invitation to %(email)s? Its link will stop working. You can "
                "invite the person again later."
            )
            % {"email": self.invitation.email},
            "button": _("Withdraw"),
            "destructive": True,
        }

    def act(self):
        invitations.revoke(self.invitation, user=self.request.user)
        messages.success(
            self.request,
            _("The invitation to %(email)s is withdrawn.") % {"email": self.invitation.email},
        )


#: Registered under /admin/invitations/ by ``wagtail_hooks``.
urlpatterns = [
    path("invite/", BulkInviteView.as_view(), name="bulk"),
    path("<int:pk>/resend/", ResendView.as_view(), name="resend"),
    path("<int:pk>/revoke/", RevokeView.as_view(), name="revoke"),
]
