"""Admin forms that offer a programme manager only their own programs and teams."""

from django.contrib.auth import get_permission_codename
from wagtail.admin.forms import WagtailAdminModelForm


class OwnProgramsForm(WagtailAdminModelForm):
    """Program and team choices are those the person manages, unless they may change every
    object of the model anyway (editors, for sessions); so a manager can neither create nor move
    anything into someone else's program."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from .models import Team
        from .permissions import managed_programs

        options = self._meta.model._meta
        change = f"{options.app_label}.{get_permission_codename('change', options)}"
        if for_user is None or for_user.has_perm(change):
            return
        programs = managed_programs(for_user)
        if "program" in self.fields:
            self.fields["program"].queryset = programs
        if "team" in self.fields:
            self.fields["team"].queryset = Team.objects.filter(program__in=programs)


class WorkflowAdminForm(WagtailAdminModelForm):
    """The workflow rules as messages on save, and the publishing rules on publish."""

    def clean(self):
        cleaned_data = super().clean()
        if "stages" not in cleaned_data:
            return cleaned_data
        from forms.admin_forms import as_validation_errors

        from .workflow_blocks import to_stages
        from .workflow_rules import validate_stages

        errors = validate_stages(
            to_stages(cleaned_data["stages"]), publishing="action-publish" in self.data
        )
        if errors:
            self.add_error("stages", as_validation_errors(errors))
        return cleaned_data
