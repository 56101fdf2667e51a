"""Choice sources: choices a host app supplies when a form is filled in.

A form field of type ``source_choice`` names a source (e.g. ``"change_ideas"``); the host app
registers a callable under that name which returns ``[(value, label), ...]`` for a *context*
object it passes when it builds the form (e.g. the project whose change ideas are offered).
The forms engine never imports the host app.
"""

from django.utils.translation import gettext_lazy as _

_SOURCES = {}


def register_choice_source(name, function, label=None):
    """Register ``function(context) -> [(value, label), ...]`` under ``name``."""
    _SOURCES[name] = (function, label or name)


def unregister_choice_source(name):
    _SOURCES.pop(name, None)


def is_registered(name):
    return name in _SOURCES


def source_options():
    """``[(name, label)]`` for the admin's choice of source."""
    return [(name, label) for name, (_function, label) in sorted(_SOURCES.items())] or [
        ("", _("No choice sources are registered"))
    ]


def choices_for(name, context):
    """The source's choices for ``context``, as ``[(str value, str label)]``; [] if unknown."""
    if name not in _SOURCES:
        return []
    function, _label = _SOURCES[name]
    return [(str(value), str(label)) for value, label in function(context)]
