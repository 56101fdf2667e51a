"""Wagtail permission policies for programs and learning sessions in the admin.

Editors keep their model permissions (every program). Programme managers, who hold no model
permission, may view and change their own programs and those programs' sessions: the policy
asks ``people.manages`` for each one. Creating and deleting cohorts stays with editors and
administrators, who also assign the managers.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from .people import managed_programs, manages, manages_any

MANAGER_ACTIONS = {"view", "change"}


class ProgramScopedPolicy(ModelPermissionPolicy):
    #: How to reach the program from an instance ("" for a program itself).
    program_field = ""

    def _program(self, instance):
        return getattr(instance, self.program_field) if self.program_field else instance

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or (
            action in MANAGER_ACTIONS and manages_any(user)
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return action in MANAGER_ACTIONS and manages(user, self._program(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        if any(super(ProgramScopedPolicy, self).user_has_permission(user, a) for a in actions):
            return self.model._default_manager.all()
        if MANAGER_ACTIONS & set(actions) and manages_any(user):
            programs = managed_programs(user)
            lookup = f"{self.program_field}__in" if self.program_field else "pk__in"
            return self.model._default_manager.filter(**{lookup: programs})
        return self.model._default_manager.none()


class ProgramPolicy(ProgramScopedPolicy):
    program_field = ""


class LearningSessionPolicy(ProgramScopedPolicy):
    program_field = "program"
