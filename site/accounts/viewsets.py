from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import AdminUserCreationForm, AdminUserEditForm


class UserViewSet(WagtailUserViewSet):
    #: Wagtail's templates with the full name in place of first and last name.
    create_template_name = "accounts/admin/users/create.html"
    edit_template_name = "accounts/admin/users/edit.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
