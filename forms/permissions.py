"""Who may do what with form definitions. Views ask here."""


def can_try_forms(user):
    """Trying out a form on the site is for those who may edit form definitions."""
    return user.is_active and user.has_perm("forum_forms.change_formdefinition")
