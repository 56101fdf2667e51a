"""Installing a content pack: idempotent, safe updates, and what people edited left alone."""

import json
import shutil

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision

from forms.display import read_only
from forms.models import FormDefinition, FormVersion
from forum_workflows import transitions
from forum_workflows.content_pack import PACKS, PackInvalid, install_pack
from forum_workflows.models import ProjectWorkflow, StageGuidePage, WorkflowVersion

from .people import make_cast
from .workflows import filled, run_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _form(slug, label_sv="Vad vill ni uppnå?"):
    return {
        "kind": "forum-for-values.form",
        "format": 1,
        "name": f"Rampen: {slug}",
        "slug": slug,
        "description": "",
        "fields": [
            {
                "key": "text",
                "type": "short_text",
                "label": {"sv": label_sv, "en": "What do you want to achieve?"},
                "help": {},
                "required": True,
                "role": "",
                "show_if": None,
                "options": {},
            }
        ],
    }


def _guide(stage):
    def texts(language):
        return {
            "title": f"Guide {stage} {language}",
            "slug": f"guide-{stage.replace('_', '-')}-{language}",
            "purpose": f"Why ({language}).",
            "steps": [{"title": "Start", "text": f"<p>Do it ({language}).</p>"}],
            "tips": [f"<p>Tip ({language}).</p>"],
            "worked_example": [f"<p>Example ({language}).</p>"],
        }

    return {"stage": stage, "sv": texts("sv"), "en": texts("en")}


def _stage(key, depends_on):
    return {
        "key": key,
        "name": {"sv": key.capitalize(), "en": key.upper()},
        "form": f"test-{key}",
        "guide": key,
        "gate": "coach_approval",
        "depends_on": depends_on,
        "optional": False,
        "repeating": False,
        "continuing": False,
        "due": {"days_after_start": None, "before_session": None},
    }


@pytest.fixture
def pack(tmp_path, site_tree):
    """A two-stage pack in a folder of its own; returns a function that writes a file."""
    folder = tmp_path / "testpack"
    (folder / "forms").mkdir(parents=True)
    (folder / "guides").mkdir()

    def write(relative, document):
        (folder / relative).write_text(json.dumps(document, ensure_ascii=False), "utf-8")

    write(
        "workflow.json",
        {
            "kind": "forum-for-values.workflow-pack",
            "format": 1,
            "slug": "testrampen",
            "name": "Testrampen",
            "description": "",
            "guide_index": {
                "sv": {"title": "Rampen", "slug": "rampen", "intro": "Stegen."},
                "en": {"title": "The ramp", "slug": "the-ramp", "intro": "The steps."},
            },
            "stages": [_stage("aim", []), _stage("pdsa", ["aim"])],
        },
    )
    for key in ("aim", "pdsa"):
        write(f"forms/test-{key}.json", _form(f"test-{key}"))
        write(f"guides/{key}.json", _guide(key))
    return write


def _install(tmp_path):
    return install_pack("testpack", root=tmp_path)


def _counts():
    return {
        "revisions": Revision.objects.count(),
        "form versions": FormVersion.objects.count(),
        "workflow versions": WorkflowVersion.objects.count(),
        "pages": Page.objects.count(),
    }


def test_installing_creates_forms_guides_in_both_languages_and_a_workflow(pack, tmp_path):
    report = _install(tmp_path)
    assert len(report.created) == 5  # two forms, two guides, the workflow
    version = ProjectWorkflow.objects.get(slug="testrampen").latest_version
    assert [stage["key"] for stage in version.stages] == ["aim", "pdsa"]
    assert version.stage("pdsa")["depends_on"] == ["aim"]
    guide = StageGuidePage.objects.get(pk=version.stage("aim")["guide"])
    english = guide.get_translation(Locale.objects.get(language_code="en"))
    assert (guide.title, english.specific.purpose) == ("Guide aim sv", "Why (en).")
    assert guide.get_parent().slug == "rampen"


def test_a_second_run_reports_no_changes_and_writes_nothing(pack, tmp_path):
    _install(tmp_path)
    before = _counts()
    report = _install(tmp_path)
    assert not report.changed and not report.kept
    assert len(report.unchanged) == 7  # two forms, two guides in two languages, the workflow
    assert _counts() == before


def test_a_changed_label_publishes_one_new_form_version_and_projects_keep_theirs(
    pack, tmp_path, make_user
):
    _install(tmp_path)
    cast = make_cast(make_user)
    workflow = ProjectWorkflow.objects.get(slug="testrampen")
    run_on(cast.program, workflow)
    project = transitions.start_project(cast.team, cast.people["member"])
    aim = project.stage_states.get(stage_key="aim")
    transitions.submit_stage(aim, cast.people["member"], filled(aim), expected_revision=0)
    before = _counts()

    pack("forms/test-aim.json", _form("test-aim", label_sv="Vilket mål har ni?"))
    report = _install(tmp_path)

    assert report.updated == ["form test-aim", "workflow testrampen"]
    after = _counts()
    assert after["form versions"] == before["form versions"] + 1
    assert after["workflow versions"] == before["workflow versions"] + 1
    new_version = ProjectWorkflow.objects.get(pk=workflow.pk).latest_version
    assert new_version.stage("aim")["form_version"] == (
        FormDefinition.objects.get(slug="test-aim").latest_version.pk
    )
    project.refresh_from_db()
    assert project.workflow_version.number == 1  # in flight: unchanged
    answers = aim.answer_set.latest
    shown = read_only(answers.form_version.schema, answers.data, language="sv")
    assert "Vad vill ni uppnå?" in str(shown) and "Minska fallen nattetid" in str(shown)


def test_what_someone_edited_in_the_admin_is_left_alone_and_reported(pack, tmp_path, make_user):
    _install(tmp_path)
    editor = make_user()
    definition = FormDefinition.objects.get(slug="test-aim")
    definition.description = "Vår egen version"
    definition.save_revision(user=editor)
    guide = StageGuidePage.objects.get(slug="guide-pdsa-sv")
    guide.purpose = "Egen text"
    guide.save_revision(user=editor).publish(user=editor, skip_permission_checks=True)

    pack("forms/test-aim.json", _form("test-aim", label_sv="Vilket mål har ni?"))
    pack("guides/pdsa.json", _guide("pdsa") | {"sv": _guide("pdsa")["sv"] | {"purpose": "Ny"}})
    report = _install(tmp_path)

    assert "form test-aim" in report.kept and "guide pdsa (sv)" in report.kept
    assert FormDefinition.objects.get(slug="test-aim").latest_revision.user == editor
    assert StageGuidePage.objects.get(slug="guide-pdsa-sv").purpose == "Egen text"


def test_a_broken_pack_is_refused_with_every_problem_and_installs_nothing(pack, tmp_path):
    broken = _form("test-aim")
    broken["fields"][0]["type"] = "no_such_type"
    pack("forms/test-aim.json", broken)
    (tmp_path / "testpack" / "guides" / "pdsa.json").unlink()
    with pytest.raises(PackInvalid) as refused:
        _install(tmp_path)
    assert any("guides/pdsa.json" in problem for problem in refused.value.problems)
    assert not ProjectWorkflow.objects.exists()


def test_the_command_installs_and_says_so_then_reports_no_changes(pack, tmp_path, capsys):
    shutil.copytree(tmp_path / "testpack", PACKS / "_testpack_tmp")
    try:
        call_command("install_content_pack", "_testpack_tmp")
        assert "installed" in capsys.readouterr().out
        call_command("install_content_pack", "_testpack_tmp")
        assert "no changes" in capsys.readouterr().out
    finally:
        shutil.rmtree(PACKS / "_testpack_tmp")
