"""Admin forms that offer a programme manager only their own programs."""

from wagtail.admin.forms import WagtailAdminModelForm


class OwnProgramsForm(WagtailAdminModelForm):
    """A session's program is one the person manages, unless they may change every session
    (editors); so a manager cannot move a session into someone else's program."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from .permissions import managed_programs

        if (
            for_user is not None
            and "program" in self.fields
            and not for_user.has_perm("forum_workflows.change_learningsession")
        ):
            self.fields["program"].queryset = managed_programs(for_user)
