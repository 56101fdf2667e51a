"""The Django form field and widget behind the ``file`` field type.

A file answer is a list of references to stored files. When the form is shown again, the files
already attached are listed, each with a "remove" box, beside an input for new ones. The posted
data names the current files by id; only files this very field already holds are accepted, so a
forged id can neither attach someone else's file nor move a file into another field.
"""

import re
from dataclasses import dataclass, field

import django.forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from .uploads import PreparedFile, prepare

#: Row ids and file ids: 32 lower-case hex digits (a UUID without dashes).
HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class FilePost:
    """What the browser sent for one file field."""

    current: list = field(default_factory=list)  # ids of files shown as attached
    remove: set = field(default_factory=set)  # ids ticked for removal
    uploads: list = field(default_factory=list)  # new UploadedFile objects


def _list(values, name):
    if hasattr(values, "getlist"):
        return values.getlist(name)
    value = (values or {}).get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class FileAnswerWidget(django.forms.Widget):
    template_name = "forum_forms/widgets/file_answer.html"
    needs_multipart_form = True

    def __init__(self, attrs=None, *, multiple=False, accept="", max_bytes=0, label=""):
        super().__init__(attrs)
        self.multiple = multiple
        self.accept = accept
        self.max_bytes = max_bytes
        self.label = label

    def value_from_datadict(self, data, files, name):
        return FilePost(
            current=[str(value) for value in _list(data, f"{name}-current")],
            remove={str(value) for value in _list(data, f"{name}-remove")},
            uploads=[upload for upload in _list(files, name) if upload],
        )

    def value_omitted_from_data(self, data, files, name):
        return False

    def format_value(self, value):
        return value if isinstance(value, list) else []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "files": self.format_value(value),
                "multiple": self.multiple,
                "accept": self.accept,
                "max_bytes": self.max_bytes,
                "label": self.label,
            }
        )
        return context

    def id_for_label(self, id_):
        return id_


class FileAnswerField(django.forms.Field):
    """Cleans to a list whose items are stored refs (kept) or PreparedFile (new)."""

    widget = FileAnswerWidget

    def __init__(self, *, kinds, max_bytes, multiple=False, max_files=1, **kwargs):
        self.kinds = kinds
        self.max_bytes = max_bytes
        self.multiple = multiple
        self.max_files = max_files if multiple else 1
        #: The files this field already holds, by id; set by the form that builds the field.
        self.known = {}
        #: After a clean that failed: the files that passed (kept and new), so a draft keeps them.
        self.accepted = []
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        # New uploads cannot be shown again; the files still attached can.
        return self.kept(data) if isinstance(data, FilePost) else initial

    def kept(self, post):
        """The attached files the person kept, in order, known ones only."""
        kept = {}
        for file_id in post.current:
            if file_id in self.known and file_id not in post.remove:
                kept.setdefault(file_id, self.known[file_id])
        return list(kept.values())

    def clean(self, value):
        post = value if isinstance(value, FilePost) else FilePost()
        attached = self.kept(post)
        self.accepted = attached
        if not self.multiple and len(post.uploads) > 1:
            raise ValidationError(gettext("Choose one file."), code="one_file")
        errors, prepared = [], []
        for upload in post.uploads:
            try:
                prepared.append(prepare(upload, kinds=self.kinds, max_bytes=self.max_bytes))
            except ValidationError as error:
                errors.extend(error.messages)
        if prepared:
            # A single file's new file replaces the attached one; several files add up.
            files = [*attached, *prepared] if self.multiple else prepared
            self.accepted = files
        else:
            files = attached
        if errors:
            raise ValidationError(errors)
        if len(files) > self.max_files:
            raise ValidationError(
                ngettext(
                    "Attach at most %(count)s file.",
                    "Attach at most %(count)s files.",
                    self.max_files,
                )
                % {"count": self.max_files},
                code="too_many",
            )
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


def to_refs(files, new_files):
    """Stored refs for a cleaned value; new files are appended to ``new_files`` to be stored."""
    refs = []
    for item in files or []:
        if isinstance(item, PreparedFile):
            new_files.append(item)
            refs.append(item.ref())
        else:
            refs.append(item)
    return refs


def file_refs(data):
    """Every file ref anywhere in stored answers (or draft problems), by id."""
    found = {}
    if isinstance(data, dict):
        if HEX_ID.match(str(data.get("file", ""))) and "name" in data:
            found[data["file"]] = data
        else:
            for value in data.values():
                found.update(file_refs(value))
    elif isinstance(data, list):
        for value in data:
            found.update(file_refs(value))
    return found


def without_files(data, files):
    """``data`` (answers) without the refs of ``files`` (PreparedFile), e.g. when not stored."""
    ids = {prepared.id for prepared in files}
    if isinstance(data, dict):
        return {
            key: without_files(value, files)
            for key, value in data.items()
            if not (isinstance(value, dict) and value.get("file") in ids)
        }
    if isinstance(data, list):
        return [
            without_files(item, files)
            for item in data
            if not (isinstance(item, dict) and item.get("file") in ids)
        ]
    return data
