"""A demo form for the demo site: the fishbone worksheet, published, with every kind of field
a stage worksheet typically needs, a photo of the diagram included. Called by the host's
``load_demo_data``; idempotent."""

import json

from .models import FormDefinition


def _field(kind, key, sv, en="", **options):
    value = {
        "key": key,
        "label": {"sv": sv, "en": en},
        "help": {"sv": options.pop("help_sv", ""), "en": options.pop("help_en", "")},
        "required": options.pop("required", False),
        "role": options.pop("role", ""),
        "show_if": options.pop("show_if", {"field": "", "op": "", "value": ""}),
        **options,
    }
    return {"type": kind, "value": value}


FIELDS = [
    _field("heading", "part_problem", "Problemet", "The problem"),
    _field("long_text", "problem", "Vilket problem vill ni förstå?", "What problem do you want "
           "to understand?", required=True, role="fishbone_problem",
           help_sv="Skriv problemet som en mening, utan namn på brukare."),
    _field("heading", "part_causes", "Orsaker", "Causes"),
    _field("group", "categories", "Kategorier", "Categories", min_rows=1, max_rows=6,
           fields=[
               _field("short_text", "name", "Kategori", "Category", required=True, max_length=80),
               _field("group", "causes", "Orsaker", "Causes", min_rows=0, max_rows=8, fields=[
                   _field("short_text", "cause", "Orsak", "Cause", required=True, max_length=200),
               ]),
           ]),
    _field("file", "photos", "Foto av diagrammet", "Photo of the diagram", multiple=True,
           max_files=3, max_mb=10, kinds=["image", "pdf"],
           help_sv="Fotografera tavlan eller blädderblocket. Platsuppgifter tas bort från bilden.",
           help_en="Photograph the whiteboard or flip chart. Location data is removed."),
    _field("heading", "part_next", "Nästa steg", "Next step"),
    _field("single_choice", "confidence", "Hur säkra är ni på orsakerna?", "How sure are you "
           "of the causes?", widget="radio", choices=[
               {"value": "sure", "label": {"sv": "Säkra", "en": "Sure"}},
               {"value": "unsure", "label": {"sv": "Osäkra", "en": "Unsure"}},
           ]),
    _field("long_text", "check_how", "Hur tar ni reda på mer?", "How will you find out more?",
           show_if={"field": "confidence", "op": "equals", "value": "unsure"}),
    _field("scale", "agreement", "Hur eniga är ni i teamet?", "How much does the team agree?",
           points=5, low_label={"sv": "Inte alls", "en": "Not at all"},
           high_label={"sv": "Helt", "en": "Fully"}, dont_know=True),
]  # fmt: skip


def load_forms_demo(user=None):
    definition = FormDefinition.objects.filter(slug="fiskbensdiagram").first()
    if definition is None:
        definition = FormDefinition.objects.create(
            name="Fiskbensdiagram",
            slug="fiskbensdiagram",
            description="Arbetsblad för steget orsak och verkan.",
            fields=json.dumps(FIELDS),
            live=False,
        )
    if definition.latest_version is None:
        definition.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return definition
