"""Installing a content pack: a workflow with its forms and stage guides, shipped as data.

A pack is a folder (``packs/<name>/``): ``workflow.json`` (the stages, each naming its form and
guide), ``forms/*.json`` (form documents in the forms engine's import format, checked by the
same reader as an upload) and ``guides/*.json`` (a stage guide in Swedish and English).

Installing is idempotent and safe to repeat after the pack changes:

- what is missing is created and published;
- what the pack changed is saved as a new revision and published: a form gets a new version,
  and the workflow a new version pinning it (projects in flight keep theirs, and every old
  answer keeps rendering against its own form version);
- what is unchanged is not touched: a second run writes nothing;
- what someone has edited in the admin since (its latest revision was saved by a person; the
  installer saves as nobody) is left alone and reported, never overwritten.

Installed items are found again by their identifiers: forms and the workflow by slug, guide
pages through the stages of the workflow that uses them.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Site

from forms.models import DefinitionInvalid, FormDefinition
from forms.transfer.documents import ImportRefused
from forms.transfer.planning import apply_import, plan_import

from .models import ProjectWorkflow, StageGuidePage, StandardPage

PACKS = Path(__file__).resolve().parent / "packs"
KIND = "forum-for-values.workflow-pack"
FORMAT = 1
LANGUAGES = ("sv", "en")


class PackInvalid(Exception):
    """The pack's files are broken; ``problems`` lists each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass
class Report:
    """What an installation did, item by item (``(item, what happened)``)."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    #: Edited in the admin since the pack installed it: left as it is.
    kept: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)


# Reading the pack ---------------------------------------------------------------------------


@dataclass
class Pack:
    workflow: dict
    forms: dict  # slug -> file bytes
    guides: dict  # slug -> guide document


def read_pack(name="improvement_ramp", root=PACKS):
    """The pack ``name``, checked: every stage names a form and a guide that exist, every form
    reads as an importable form document, every guide has its texts in both languages."""
    folder = Path(root) / name
    problems = []
    workflow = json.loads((folder / "workflow.json").read_text(encoding="utf-8"))
    if workflow.get("kind") != KIND or workflow.get("format") != FORMAT:
        raise PackInvalid([f"{folder}/workflow.json: not a workflow pack of format {FORMAT}"])
    forms = {path.stem: path.read_bytes() for path in sorted((folder / "forms").glob("*.json"))}
    guides = {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "guides").glob("*.json"))
    }
    for stage in workflow["stages"]:
        if stage["form"] not in forms:
            problems.append(f"{stage['key']}: no form file forms/{stage['form']}.json")
        if stage["guide"] not in guides:
            problems.append(f"{stage['key']}: no guide file guides/{stage['guide']}.json")
        for language in LANGUAGES:
            if not stage["name"].get(language):
                problems.append(f"{stage['key']}: no name in {language}")
    for slug, guide in guides.items():
        for language in LANGUAGES:
            texts = guide.get(language) or {}
            for entry in ("title", "slug", "purpose", "steps", "tips", "worked_example"):
                if not texts.get(entry):
                    problems.append(f"guides/{slug}.json: {language}.{entry} is missing")
    if problems:
        raise PackInvalid(problems)
    return Pack(workflow=workflow, forms=forms, guides=guides)


# Installing ---------------------------------------------------------------------------------


def _edited_by_a_person(obj):
    revision = obj.latest_revision
    return revision is not None and revision.user_id is not None


def install_pack(name="improvement_ramp", root=PACKS):
    """Install or update the pack; returns a :class:`Report`. Raises :class:`PackInvalid`."""
    pack = read_pack(name, root)
    report = Report()
    with transaction.atomic():
        forms = {slug: _install_form(slug, data, report) for slug, data in pack.forms.items()}
        workflow = ProjectWorkflow.objects.filter(slug=pack.workflow["slug"]).first()
        guides = _install_guides(pack, workflow, report)
        _install_workflow(pack.workflow, workflow, forms, guides, report)
    return report


def _install_form(slug, data, report):
    item = _("form %(slug)s") % {"slug": slug}
    try:
        plan = plan_import(data)
    except ImportRefused as refused:
        raise PackInvalid([f"forms/{slug}.json: {error}" for error in refused.errors]) from None
    definition = plan.definition
    published = definition is not None and (
        definition.live and definition.latest_revision_id == definition.live_revision_id
    )
    if published and not plan.has_changes:
        report.unchanged.append(item)
        return definition
    if definition is not None and _edited_by_a_person(definition):
        report.kept.append(item)
        return definition
    definition = apply_import(plan, user=None, expected=plan.expected)
    try:
        definition.latest_revision.publish(user=None, skip_permission_checks=True)
    except DefinitionInvalid as invalid:
        raise PackInvalid([f"forms/{slug}.json: {error}" for error in invalid.errors]) from None
    (report.created if plan.is_new else report.updated).append(item)
    return FormDefinition.objects.get(pk=definition.pk)


def _guide_stream(texts):
    return {
        "steps": [{"type": "step", "value": step} for step in texts["steps"]],
        "tips": [{"type": "tip", "value": tip} for tip in texts["tips"]],
        "worked_example": [
            {"type": "rich_text", "value": part} for part in texts["worked_example"]
        ],
    }


def _guide_differs(page, texts):
    if (page.title, page.slug, page.purpose) != (texts["title"], texts["slug"], texts["purpose"]):
        return True
    wanted = _guide_stream(texts)
    return any(
        [(block["type"], block["value"]) for block in getattr(page, name).raw_data]
        != [(block["type"], block["value"]) for block in blocks]
        for name, blocks in wanted.items()
    )


def _write_guide(page, texts):
    page.title, page.slug, page.purpose = texts["title"], texts["slug"], texts["purpose"]
    for name, blocks in _guide_stream(texts).items():
        setattr(page, name, json.dumps(blocks))


def _publish(page):
    page.save_revision(user=None).publish(user=None, skip_permission_checks=True)


def _guide_index(pack):
    """The page the guides live under: made once under the default site's Swedish home page,
    translated."""
    texts = pack.workflow["guide_index"]
    root = Site.objects.get(is_default_site=True).root_page
    home = root.get_translation_or_none(Locale.objects.get(language_code="sv")) or root
    index = home.get_children().filter(slug=texts["sv"]["slug"]).first()
    if index is None:
        index = StandardPage(
            title=texts["sv"]["title"], slug=texts["sv"]["slug"], intro=texts["sv"]["intro"]
        )
        home.add_child(instance=index)
        _publish(index)
        english = index.copy_for_translation(Locale.objects.get(language_code="en"))
        english.title, english.slug = texts["en"]["title"], texts["en"]["slug"]
        english.intro = texts["en"]["intro"]
        _publish(english)
    return index.specific


def _installed_guides(workflow):
    """``{stage key: guide page}`` as the installed workflow's stages name them."""
    if workflow is None:
        return {}
    specs = workflow.get_latest_revision_as_object().stage_specs()
    pages = StageGuidePage.objects.in_bulk([spec["guide"] for spec in specs if spec["guide"]])
    return {spec["key"]: pages.get(spec["guide"]) for spec in specs}


def _install_guides(pack, workflow, report):
    installed = _installed_guides(workflow)
    english = Locale.objects.get(language_code="en")
    index = None
    guides = {}
    for stage in pack.workflow["stages"]:
        document = pack.guides[stage["guide"]]
        page = installed.get(stage["key"])
        if page is None:
            index = index or _guide_index(pack)
            page = StageGuidePage(live=False)
            _write_guide(page, document["sv"])
            index.add_child(instance=page)
            _publish(page)
            translation = page.copy_for_translation(english)
            _write_guide(translation, document["en"])
            _publish(translation)
            report.created.append(_("guide %(slug)s") % {"slug": stage["guide"]})
        else:
            translation = page.get_translation_or_none(english)
            for language, version in (("sv", page), ("en", translation)):
                _update_guide(version, document[language], stage["guide"], language, report)
        guides[stage["key"]] = page
    return guides


def _update_guide(page, texts, slug, language, report):
    item = _("guide %(slug)s (%(language)s)") % {"slug": slug, "language": language}
    if page is None:
        report.kept.append(item)  # the translation was deleted: someone decided so
        return
    page = page.specific
    if not _guide_differs(page.get_latest_revision_as_object(), texts):
        report.unchanged.append(item)
    elif _edited_by_a_person(page):
        report.kept.append(item)
    else:
        page = page.get_latest_revision_as_object()
        _write_guide(page, texts)
        _publish(page)
        report.updated.append(item)


def _stage_blocks(stages, forms, guides):
    return [
        {
            "type": "stage",
            "value": {
                "key": stage["key"],
                "name_sv": stage["name"]["sv"],
                "name_en": stage["name"]["en"],
                "form": forms[stage["form"]].pk,
                "gate": stage["gate"],
                "guide": guides[stage["key"]].pk,
                "depends_on": ", ".join(stage["depends_on"]),
                "opens_at_start": not stage["depends_on"],
                "optional": stage["optional"],
                "repeating": stage["repeating"],
                "continuing": stage["continuing"],
                "due_days_after_start": stage["due"]["days_after_start"],
                "due_before_session": stage["due"]["before_session"],
            },
        }
        for stage in stages
    ]


def _pins_latest_forms(workflow):
    version = workflow.latest_version
    if version is None:
        return False
    latest = {
        definition.pk: definition.latest_version.pk
        for definition in FormDefinition.objects.filter(
            pk__in=[stage["form"] for stage in version.stages]
        )
    }
    return all(stage["form_version"] == latest[stage["form"]] for stage in version.stages)


def _install_workflow(document, workflow, forms, guides, report):
    item = _("workflow %(slug)s") % {"slug": document["slug"]}
    stages = _stage_blocks(document["stages"], forms, guides)
    if workflow is None:
        workflow = ProjectWorkflow(
            slug=document["slug"],
            name=document["name"],
            description=document["description"],
            stages=json.dumps(stages),
            live=False,
        )
        workflow.save()
        _publish(workflow)
        report.created.append(item)
        return workflow
    current = workflow.get_latest_revision_as_object()
    candidate = ProjectWorkflow(
        name=document["name"], description=document["description"], stages=json.dumps(stages)
    )
    same = (current.name, current.description, current.stage_specs()) == (
        candidate.name,
        candidate.description,
        candidate.stage_specs(),
    )
    if same and workflow.live and _pins_latest_forms(workflow):
        report.unchanged.append(item)
    elif _edited_by_a_person(workflow):
        report.kept.append(item)
    else:
        current.name, current.description = document["name"], document["description"]
        current.stages = json.dumps(stages)
        _publish(current)
        report.updated.append(item)
    return workflow
