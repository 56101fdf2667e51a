"""Who may do what with forms and the files attached to answers. Views ask here.

The forms engine does not know what an answer set belongs to (a project's stage, a survey), so
the host app decides who may download an attached file: it registers a rule with
:func:`register_file_access`. A file may be downloaded when any rule allows it; with no rule,
only the person who uploaded it may.
"""

ADD = "forum_forms.add_formdefinition"
CHANGE = "forum_forms.change_formdefinition"
_FILE_ACCESS_RULES = []


def can_try_forms(user):
    """Trying out a form on the site is for those who may edit form definitions."""
    return user.is_active and user.has_perm(CHANGE)


def can_export(user):
    """Exports, versions and JSON Schemas are for those who may change form definitions."""
    return user.is_active and user.has_perm(CHANGE)


def can_import_some(user):
    """The import screen is for those who may add forms or change them."""
    return user.is_active and (user.has_perm(ADD) or user.has_perm(CHANGE))


def can_import(user, plan):
    """A new form needs the add permission; replacing an existing form's content, change."""
    return user.is_active and user.has_perm(ADD if plan.is_new else CHANGE)


def register_file_access(rule):
    """Register ``rule(user, stored_file) -> bool``; used as a decorator too."""
    if rule not in _FILE_ACCESS_RULES:
        _FILE_ACCESS_RULES.append(rule)
    return rule


def unregister_file_access(rule):
    if rule in _FILE_ACCESS_RULES:
        _FILE_ACCESS_RULES.remove(rule)


def can_download_file(user, stored_file):
    if not (user.is_authenticated and user.is_active) or stored_file.redacted_at:
        return False
    if not _FILE_ACCESS_RULES:
        return stored_file.uploaded_by_id == user.pk
    return any(rule(user, stored_file) for rule in _FILE_ACCESS_RULES)
