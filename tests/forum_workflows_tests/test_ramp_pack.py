"""The improvement ramp as shipped: every stage has a form and a guide in both languages, every
label is translated, and the method's special stages are set up as the reference says."""

import pytest
from wagtail.models import Locale

from forms.models import FormDefinition
from forms.schema import walk
from forum_workflows.content_pack import install_pack, read_pack
from forum_workflows.models import ProjectWorkflow, StageGuidePage
from forum_workflows.workflow_blocks import Gate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture(scope="module")
def pack():
    return read_pack()


def _texts(spec):
    """Every user-facing text pair of a field spec: label, help, choice labels, scale ends."""
    yield "label", spec.get("label") or {}
    if any((spec.get("help") or {}).values()):
        yield "help", spec["help"]
    options = spec.get("options") or {}
    for choice in options.get("choices") or []:
        yield f"choice {choice.get('value')}", choice.get("label") or {}
    for end in ("low_label", "high_label"):
        if any((options.get(end) or {}).values()):
            yield end, options[end]


def test_every_label_of_every_form_is_in_swedish_and_english(pack):
    import json

    missing = []
    for slug, data in pack.forms.items():
        for spec, _depth, _parent in walk(json.loads(data)["fields"]):
            for what, texts in _texts(spec):
                for language in ("sv", "en"):
                    if not (texts.get(language) or "").strip():
                        missing.append(f"{slug}: {spec['key']} {what} ({language})")
    assert missing == []


def _roles(pack, form_slug):
    import json

    return {
        spec.get("role"): spec
        for spec, _d, _p in walk(json.loads(pack.forms[form_slug])["fields"])
    }


def test_the_method_stages_are_set_up_as_the_reference_says(pack):
    stages = {stage["key"]: stage for stage in pack.workflow["stages"]}
    assert stages["global_aim"]["gate"] == stages["specific_aim"]["gate"] == Gate.COACH
    assert stages["pdsa"]["repeating"] and stages["pdsa"]["gate"] == Gate.FEEDBACK
    assert stages["measurement"]["continuing"] and stages["action_plan"]["continuing"]
    assert stages["measurement"]["depends_on"] == ["global_aim"]  # a baseline early
    assert stages["self_rating"]["optional"]
    decision = _roles(pack, stages["pdsa"]["form"])["pdsa_decision"]
    assert {choice["value"] for choice in decision["options"]["choices"]} == {
        "adopt", "adapt", "abandon"
    }  # fmt: skip
    assert _roles(pack, stages["measurement"]["form"])["measure_series"]["type"] == (
        "measure_series"
    )
    ideas = _roles(pack, stages["change_ideas"]["form"])
    assert ideas["change_ideas"]["type"] == "group" and "change_idea" in ideas


def test_installed_every_stage_has_a_published_form_and_a_guide_in_both_languages(site_tree):
    install_pack()
    workflow = ProjectWorkflow.objects.get(slug="forbattringsrampen")
    version = workflow.latest_version
    assert len(version.stages) == 14
    english = Locale.objects.get(language_code="en")
    for stage in version.stages:
        assert FormDefinition.objects.get(pk=stage["form"]).live, stage["key"]
        guide = StageGuidePage.objects.get(pk=stage["guide"])
        assert guide.live and guide.locale.language_code == "sv"
        translation = guide.get_translation(english).specific
        assert translation.live and translation.purpose != guide.purpose, stage["key"]
        assert stage["name"]["sv"] and stage["name"]["en"]
    assert not install_pack().changed  # and a second run changes nothing
