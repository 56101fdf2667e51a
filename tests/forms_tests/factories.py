"""``make_*`` helpers for the forms engine's tests."""

import itertools
import json

from django.urls import reverse

from forms.models import AnswerSet, FormDefinition

_numbers = itertools.count(1)


def block(kind, key, label_sv="", label_en="", **options):
    """Raw StreamField data for one field block of the admin builder."""
    value = {
        "key": key,
        "label": {"sv": label_sv or key.capitalize(), "en": label_en},
        "help": {"sv": "", "en": ""},
        "required": options.pop("required", False),
        "role": options.pop("role", ""),
        "show_if": options.pop("show_if", {"field": "", "op": "", "value": ""}),
        **options,
    }
    return {"type": kind, "value": value}


def choice(value, sv, en=""):
    """One choice of a choice field block."""
    return {"value": value, "label": {"sv": sv, "en": en}}


def make_definition(*blocks, publish=True, user=None, **kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Arbetsblad {number}")
    kwargs.setdefault("slug", f"arbetsblad-{number}")
    definition = FormDefinition(fields=json.dumps(list(blocks)), live=False, **kwargs)
    definition.save()
    revision = definition.save_revision(user=user)
    if publish:
        revision.publish(user=user, skip_permission_checks=True)
        definition.refresh_from_db()
    return definition


def republish(definition, *blocks, user=None):
    definition = FormDefinition.objects.get(pk=definition.pk)
    definition.fields = json.dumps(list(blocks))
    definition.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return FormDefinition.objects.get(pk=definition.pk)


def make_answer_set(definition):
    return AnswerSet.objects.create(definition=definition)


def admin_url(action, *args):
    """The URL of one of the forms' admin views (the snippet viewset's own and ours)."""
    return reverse(FormDefinition.snippet_viewset.get_url_name(action), args=args)
