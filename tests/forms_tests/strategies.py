"""Hypothesis strategies for the forms engine: valid form definitions, and what people (and
forgers) post to them.

``schemas()`` draws a format-1 schema shaped as the admin's blocks make it (``to_schema``):
every answerable type, headings and help texts, groups nested two deep with row limits,
measurement series, and show-if conditions that refer to an earlier answerable field in scope and
look for answers it really offers. ``submissions()`` draws a schema together with a POST body for
it: valid values, wrong types, huge and odd text, repeated values, rows with good, forged,
repeated and missing ids, removal flags, names the schema does not know, and files: real ones
and disguised ones (HTML named .pdf, SVG with script named .png, a PNG named .pdf, empty,
damaged), with forged ids of files "already attached".
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st

from forms.personnummer import contains_personal_number
from forms.schema import CONTAINERS, KEY_PATTERN, MAX_ROWS_LIMIT, RESERVED_KEYS, walk
from forms.uploads import KINDS

from . import files

#: Registered by the property tests for the schemas' ``source_choice`` fields.
CHOICE_SOURCE = "hypothesis_ideas"
SOURCE_CHOICES = [(1, "Checklista"), (2, "Dubbelkontroll"), ("tre", "Överlämning")]

ANSWERABLE_TYPES = [
    "short_text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "yes_no",
    "single_choice",
    "multiple_choice",
    "scale",
    "email",
    "url",
    "source_choice",
    "file",
]
STATIC_TYPES = ["heading", "help_text"]
CHOICE_TYPES = {"single_choice", "multiple_choice"}

#: Keys that resemble the engine's own names, measurement series' sub-fields or each other.
TRICKY_KEYS = [
    "a", "g", "x", "period", "value", "values", "numerator", "denominator", "delete", "id_",
    "initial", "fields", "data", "format", "answers", "row_0_id", "g_0_x", "x" * 40,
]  # fmt: skip
#: Answers a text-like condition looks for; the POST strategy offers them as valid values too.
MAGIC = {
    "short_text": "ja",
    "long_text": "ja",
    "integer": "1",
    "decimal": "1.5",
    "date": "2026-01-01",
    "email": "a@example.org",
    "url": "https://example.org",
    "source_choice": "1",
}

HUGE = "x" * 100_000
ODD_TEXTS = [
    "", " ", "\t\n", "\x00", "a\x00b", "\u202eevil", "😀", "e\u0301", "\ufeff", "\u200b",
    "١٢", "NaN", "-Infinity", "1e400", "0x10", "9" * 5000, "<script>alert(1)</script>",
    "'; DROP TABLE x; --", "%00", "None", "null", "[]", "{}", "true", HUGE,
]  # fmt: skip


# Definitions ------------------------------------------------------------------------------------


def texts(required=True):
    """Texts as the blocks store them: Swedish (with a letter in it) and English, when given."""
    words = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30
    )
    swedish = st.tuples(st.sampled_from(["Mål", "Antal", "Orsak", "Å", "x"]), words).map("".join)
    english = words.filter(str.strip)
    if required:
        return st.fixed_dictionaries({"sv": swedish}, optional={"en": english})
    return st.fixed_dictionaries({}, optional={"sv": swedish, "en": english})


class _Keys:
    """Hands out keys unique across the whole schema, often tricky, always valid."""

    def __init__(self, draw):
        self.draw = draw
        self.used = set(RESERVED_KEYS)

    def __call__(self):
        key = self.draw(
            st.sampled_from(TRICKY_KEYS) | st.from_regex(KEY_PATTERN.pattern, fullmatch=True)
        )
        number = 0
        candidate = key
        while candidate in self.used:
            number += 1
            suffix = f"_{number}"
            candidate = key[: 40 - len(suffix)] + suffix
        self.used.add(candidate)
        return candidate


choice_values = st.sampled_from(
    ["adopt", "adapt", "abandon", "yes", "no", "dont_know", "a", "b", "c", "x1", "id"]
) | st.from_regex(KEY_PATTERN.pattern, fullmatch=True)


def _options(draw, kind):
    """Options as the blocks store them (``None`` where an editor left a number empty)."""
    if kind in {"short_text", "long_text"}:
        return {"max_length": draw(st.none() | st.integers(1, 300))}
    if kind == "integer":
        low, high = (
            draw(st.none() | st.integers(-1000, 1000)),
            draw(st.none() | st.integers(-1000, 10**12)),
        )
        if low is not None and high is not None and low > high:
            low, high = high, low
        return {"min": low, "max": high}
    if kind == "decimal":
        bound = st.none() | st.decimals(-1000, 1000, places=2).map(str)
        low, high = draw(bound), draw(bound)
        if low is not None and high is not None and float(low) > float(high):
            low, high = high, low
        return {"min": low, "max": high, "decimals": draw(st.none() | st.integers(0, 6))}
    if kind in CHOICE_TYPES:
        values = draw(st.lists(choice_values, min_size=1, max_size=5, unique=True))
        options = {"choices": [{"value": value, "label": draw(texts())} for value in values]}
        if kind == "single_choice":
            options["widget"] = draw(st.sampled_from(["radio", "dropdown"]))
        return options
    if kind == "scale":
        return {
            "points": draw(st.integers(2, 11)),
            "low_label": draw(texts(required=False)),
            "high_label": draw(texts(required=False)),
            "dont_know": draw(st.booleans()),
        }
    if kind == "source_choice":
        return {"source": CHOICE_SOURCE}
    if kind == "file":
        return {
            "multiple": draw(st.booleans()),
            "max_files": draw(st.none() | st.integers(1, 3)),
            "max_mb": draw(st.none() | st.just(1)),
            "kinds": draw(st.lists(st.sampled_from(KINDS), unique=True, max_size=3)),
        }
    return {}


def _offered(spec):
    """The stored values a choice-like field offers, as strings; None when any text is possible."""
    options = spec.get("options") or {}
    if spec["type"] in CHOICE_TYPES:
        return [choice["value"] for choice in options["choices"]]
    if spec["type"] == "yes_no":
        return ["yes", "no"]
    if spec["type"] == "scale":
        points = [str(point) for point in range(1, options["points"] + 1)]
        return [*points, "dont_know"] if options.get("dont_know") else points
    return None


def _condition(draw, targets):
    """A show-if condition on one of ``targets`` (earlier answerable fields in scope), or None."""
    if not targets or not draw(st.integers(0, 2)):
        return None
    target = draw(st.sampled_from(targets))
    op = draw(st.sampled_from(["equals", "one_of", "not_empty"]))
    if target["type"] == "file":
        op = "not_empty"  # all a condition may ask of a file field
    if op == "not_empty":
        return {"field": target["key"], "op": op, "value": ""}
    offered = _offered(target) or [MAGIC[target["type"]]]
    if op == "one_of":
        value = draw(st.lists(st.sampled_from(offered), min_size=1, max_size=3, unique=True))
    elif target["type"] == "multiple_choice" and draw(st.booleans()):
        value = draw(st.lists(st.sampled_from(offered), min_size=1, max_size=2, unique=True))
    else:
        value = draw(st.sampled_from(offered))
    return {"field": target["key"], "op": op, "value": value}


def _spec(draw, keys, kind, targets):
    spec = {
        "key": keys(),
        "type": kind,
        "label": draw(texts()),
        "help": draw(texts(required=False)),
        "required": draw(st.booleans()),
        "role": draw(st.sampled_from(["", "", "pdsa_decision", "global_aim"])),
        "show_if": None if kind == "heading" else _condition(draw, targets),
        "options": _options(draw, kind),
    }
    return spec


def _rows_options(draw):
    high = draw(st.integers(1, 4) | st.sampled_from([20, MAX_ROWS_LIMIT]))
    return {"min_rows": draw(st.integers(0, min(high, 3))), "max_rows": high}


def _fields(draw, keys, depth, outer_targets, max_size):
    """A list of specs at group ``depth``; ``outer_targets`` are the top level's answerable fields
    above this list (a condition may look at those, or at earlier fields of the same list)."""
    specs = []
    targets = [] if depth == 1 else list(outer_targets)
    kinds = ANSWERABLE_TYPES * 2 + STATIC_TYPES
    if depth <= 2:
        kinds += ["group", "group", "group", "measure_series"]
    kinds = st.sampled_from(kinds)
    for _ in range(draw(st.integers(1, max_size))):
        kind = draw(kinds)
        if kind == "group":
            spec = _spec(draw, keys, kind, targets)
            spec["options"] = _rows_options(draw)
            top = targets if depth == 1 else outer_targets
            spec["fields"] = _fields(draw, keys, depth + 1, top, max_size=3)
        elif kind == "measure_series":
            spec = _spec(draw, keys, kind, targets)
            spec["options"] = {"mode": draw(st.sampled_from(["value", "ratio"]))}
            spec["options"].update(_rows_options(draw))
            spec["fields"] = []
        else:
            spec = _spec(draw, keys, kind, targets)
            if kind in ANSWERABLE_TYPES:
                targets.append(spec)
        specs.append(spec)
    return specs


@st.composite
def schemas(draw, max_fields=6):
    """A schema the publishing rules accept (``validate_schema(..., publishing=True) == []``)."""
    return {"format": 1, "fields": _fields(draw, _Keys(draw), 1, [], max_fields)}


# Posted data ------------------------------------------------------------------------------------


def luhn_digit(nine_digits):
    total = 0
    for position, digit in enumerate(nine_digits):
        product = int(digit) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


@st.composite
def personal_numbers(draw):
    """A Swedish personal identity number with a real date and a right check digit, in text."""
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2025, 12, 31)))
    serial = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    short = born.strftime("%y%m%d") + serial
    number = short + luhn_digit(short)
    written = draw(
        st.sampled_from(
            [
                f"{born:%Y}{number[2:6]}-{number[6:]}",
                f"{number[:6]}-{number[6:]}",
                number,
                f"Brukaren {number[:6]}-{number[6:]} föll",
            ]
        )
    )
    return written


plain_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40
).filter(lambda text: not contains_personal_number(text))
odd_text = st.sampled_from(ODD_TEXTS) | st.text(max_size=20)
emails = st.from_regex(
    r"[a-zA-Z0-9]{1,10}([.+][a-z0-9]{1,5})?@[a-zA-Z]{1,10}\.(se|org|com|nu)", fullmatch=True
) | st.emails().filter(lambda address: len(address) < 200)
urls = st.builds(
    "{}{}{}{}{}".format,
    st.sampled_from(["https://", "http://", "", "HTTPS://", "//"]),
    st.from_regex(r"[a-z0-9]{1,10}(\.[a-z]{2,5}){1,2}", fullmatch=True),
    st.sampled_from(["", ":8080"]),
    st.from_regex(r"(/[a-zA-Z0-9._~%-]{0,8}){0,3}", fullmatch=True),
    st.sampled_from(["", "?q=1", "?a=b&c=d", "#del", "?", "#"]),
)


def _decimals(options):
    """Decimals within the field's bounds, with at most its number of decimals."""
    places = options.get("decimals")
    places = 3 if places is None else places
    scale = Decimal(10) ** places
    low, high = options.get("min"), options.get("max")
    smallest = -(10**15) if low is None else math.ceil(Decimal(low) * scale)
    largest = 10**15 if high is None else math.floor(Decimal(high) * scale)
    if smallest > largest:
        return st.nothing()
    return st.integers(smallest, largest).map(lambda number: Decimal(number).scaleb(-places))


def _sv_decimal(value):
    text = str(value)
    return text.replace(".", ",") if "E" not in text else text


def _valid_values(spec, *, answered=False):
    """What a person could well post for this field; ``answered``: never blank."""
    kind, options = spec["type"], spec.get("options") or {}
    magic = st.just(MAGIC[kind]) if kind in MAGIC else st.nothing()
    if kind in {"short_text", "long_text"}:
        most = options.get("max_length") or (255 if kind == "short_text" else 10_000)
        typed = plain_text.map(lambda text: text.strip()[:most])
        if answered:
            typed = typed.map(lambda text: text or "Hej"[:most])
        return magic | typed | st.just(" Hej \n")
    if kind == "integer":
        low, high = options.get("min"), options.get("max")
        return magic | st.integers(low, high).map(str) | st.sampled_from([" 7 ", "+3", "-0"])
    if kind == "decimal":
        return magic | _decimals(options).map(str) | _decimals(options).map(_sv_decimal)
    if kind == "date":
        return magic | st.dates().map(datetime.date.isoformat) | st.just("2026-1-5")
    if kind == "email":
        return magic | emails
    if kind == "url":
        return magic | urls
    if kind == "source_choice":
        return st.sampled_from([str(value) for value, _label in SOURCE_CHOICES])
    offered = _offered(spec)
    if kind == "multiple_choice":
        return st.lists(
            st.sampled_from(offered), min_size=int(answered), max_size=len(offered), unique=True
        )
    return st.sampled_from(offered)


def _invalid_values(spec):
    """Wrong types and values the field does not offer."""
    kind = spec["type"]
    wrong = st.sampled_from(
        ["tre", "1.5", "3,5,5", "12abc", "2026-02-30", "25/10/2026", "2026-13-01", "maybe",
         "drop", "not an address", "javascript:alert(1)", "http://", "@", "0", "-1", "99",
         "dont_know", "11", "yes ", "YES", "adopt\x00"]
    )  # fmt: skip
    if kind == "multiple_choice":
        offered = _offered(spec)
        return st.lists(wrong | st.sampled_from(offered), min_size=1, max_size=4)
    return wrong


def _values_for(spec):
    """A list of posted values for one field (most often one; two or more for a list field)."""
    one = st.one_of(
        _valid_values(spec),
        _invalid_values(spec),
        odd_text,
        personal_numbers() if spec["type"] != "multiple_choice" else st.nothing(),
    )
    if spec["type"] == "multiple_choice":
        return one.map(lambda value: value if isinstance(value, list) else [value])
    return st.one_of(
        one.map(lambda value: [value]),
        st.lists(one, min_size=2, max_size=3),  # the same name twice: the last one counts
    )


ROW_ID_KINDS = ["fresh", "fresh", "fresh", "empty", "forged", "repeat", "upper", "long"]


def _row_id(draw, earlier):
    kind = draw(st.sampled_from(ROW_ID_KINDS))
    if kind == "repeat" and earlier:
        return draw(st.sampled_from(earlier))
    if kind == "empty":
        return ""
    if kind == "forged":
        return draw(st.sampled_from(["<script>", "0", "g-0-id", "../x", "\x00" * 32, "id"]))
    if kind == "upper":
        return draw(st.from_regex(r"[0-9A-F]{32}", fullmatch=True))
    if kind == "long":
        return "a" * 33
    return draw(st.from_regex(r"[0-9a-f]{32}", fullmatch=True))


class _Poster:
    """Writes one POST body for a schema into ``data``, field by field and row by row."""

    def __init__(self, draw, schema, data, uploads, polite):
        self.draw, self.data, self.uploads, self.polite = draw, data, uploads, polite
        #: What the schema's conditions look for, by key: posted often, so they hold often.
        self.wanted = {}
        for spec, _depth, _parent in walk(schema["fields"]):
            condition = spec.get("show_if") or {}
            if condition.get("op") in {"equals", "one_of"}:
                value = condition["value"]
                self.wanted.setdefault(condition["field"], []).append(
                    [str(item) for item in value] if isinstance(value, list) else [str(value)]
                )

    def level(self, specs, prefix):
        draw = self.draw
        for spec in specs:
            path = f"{prefix}-{spec['key']}" if prefix else spec["key"]
            kind = spec["type"]
            if kind in CONTAINERS:
                self.rows(spec, path)
            elif kind == "file":
                _files_for(draw, spec, path, self.data, self.uploads, self.polite)
            elif kind in STATIC_TYPES:
                if not self.polite and draw(st.integers(0, 4)) == 0:
                    self.data.setlist(path, [draw(odd_text)])
            elif spec["key"] in self.wanted and draw(st.booleans()):
                values = draw(st.sampled_from(self.wanted[spec["key"]]))
                self.data.setlist(path, values if kind == "multiple_choice" else values[-1:])
            elif self.polite:
                value = draw(_valid_values(spec, answered=spec.get("required")))
                self.data.setlist(path, value if isinstance(value, list) else [value])
            elif draw(st.integers(0, 5)):  # now and then a field is left out altogether
                self.data.setlist(path, draw(_values_for(spec)))

    def rows(self, spec, path):
        draw, options = self.draw, spec["options"]
        if self.polite:
            count = draw(st.integers(options["min_rows"], min(options["max_rows"], 3)))
        else:
            # Up to three rows, and beyond the maximum where that is small.
            most = options["max_rows"] + 2 if options["max_rows"] <= 3 else 3
            count = draw(st.integers(0, most))
        ids = []
        for index in range(count):
            if self.polite:
                row_id = draw(st.sampled_from(["", f"{index:032x}"]))
            else:
                row_id = _row_id(draw, ids)
            ids.append(row_id)
            self.data.setlist(f"{path}-{index}-id", [row_id])
            if not self.polite and draw(st.integers(0, 5)) == 0:
                flag = draw(st.sampled_from(["on", "1", "", "false"]))
                self.data.setlist(f"{path}-{index}-DELETE", [flag])
            if spec["type"] == "measure_series":
                self.series_row(spec, f"{path}-{index}")
            else:
                self.level(spec["fields"], f"{path}-{index}")

    def series_row(self, spec, prefix):
        draw = self.draw
        if self.polite:
            dates = st.dates().map(datetime.date.isoformat)
            numbers = {
                "value": _decimals({}).map(_sv_decimal),
                "numerator": st.integers(0, 10**6).map(str),
                "denominator": st.integers(1, 10**6).map(str),
            }
        else:
            dates = st.dates().map(datetime.date.isoformat) | odd_text
            any_number = st.integers(-2, 500).map(str) | odd_text | st.sampled_from(["12,5", "x"])
            numbers = dict.fromkeys(["value", "numerator", "denominator"], any_number)
        self.data.setlist(f"{prefix}-period", [draw(dates)])
        names = ["numerator", "denominator"] if spec["options"]["mode"] == "ratio" else ["value"]
        for name in names:
            if self.polite or draw(st.integers(0, 5)):
                self.data.setlist(f"{prefix}-{name}", [draw(numbers[name])])


#: Files people attach, by the kind of file a field may accept ("image", "pdf", "office").
GOOD_FILES = {
    "image": [("foto.jpg", files.jpeg_with_location()), ("skärm.png", files.png())],
    "pdf": [("rapport.pdf", files.pdf())],
    "office": [("plan.docx", files.docx())],
}
#: Files that must never be attached, whatever the field accepts.
DISGUISED_FILES = [
    ("html-som-pdf.pdf", files.HTML),
    ("svg-med-skript.png", files.SVG_WITH_SCRIPT),
    ("png-som-pdf.pdf", files.png()),
    ("tom.pdf", b""),
    ("trasig.docx", files.corrupt_docx()),
    ("makro.docx", files.docm()),
    ("arkiv.zip", files.plain_zip()),
    ("trasig.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
]


def _files_for(draw, spec, path, data, uploads, polite):
    """Files chosen for a file field, and now and then forged ids of files "attached"."""
    kinds = spec["options"].get("kinds") or list(KINDS)
    good = [item for kind in kinds for item in GOOD_FILES[kind]]
    pool = st.sampled_from(good) if polite else st.sampled_from(good + DISGUISED_FILES)
    most = 1 if polite and not spec["options"].get("multiple") else 3
    chosen = draw(st.lists(pool, min_size=int(polite and bool(spec.get("required"))),
                           max_size=most))  # fmt: skip
    uploads.setlist(path, [SimpleUploadedFile(name, content) for name, content in chosen])
    if not polite and draw(st.integers(0, 3)) == 0:
        forged = draw(st.from_regex(r"[0-9a-f]{32}", fullmatch=True) | odd_text)
        data.setlist(f"{path}-current", [forged])
        data.setlist(f"{path}-remove", [draw(st.sampled_from([forged, "", "x"]))])


def _noise_names(schema):
    """Posted names the schema does not know, many of them looking as if it did."""
    top = [spec["key"] for spec in schema["fields"]]
    groups = [
        spec["key"] for spec in schema["fields"] if spec["type"] in {"group", "measure_series"}
    ]
    known = st.sampled_from(top)
    group = st.sampled_from(groups) if groups else known
    return st.one_of(
        st.sampled_from(["is_admin", "csrfmiddlewaretoken", "id", "DELETE", "-", "", "__proto__",
                         "a-b-c-d-e-f", "x" * 2000, "name\x00", "ä-0-id"]),
        st.text(max_size=15),
        st.builds("{}-999-x".format, group),
        st.builds("{}-0-id".format, group),
        st.builds("{}-1-DELETE".format, group),
        st.builds("{}-01-id".format, group),
        st.builds("{}--1-id".format, group),
        st.builds("{}-0-{}-0-id".format, group, known),
        st.builds("{}-0".format, known),
        st.builds("{}-id".format, known),
    )  # fmt: skip


@dataclass
class Submission:
    schema: dict
    data: QueryDict
    language: str
    privacy_confirmed: bool
    files: MultiValueDict = None

    def __repr__(self):
        # Hypothesis prints failing examples: keep huge values readable.
        data = {
            name: [value if len(value) < 200 else f"<{len(value)} chars>" for value in values]
            for name, values in self.data.lists()
        }
        chosen = {name: [upload.name for upload in uploads] for name, uploads in
                  (self.files or MultiValueDict()).lists()}  # fmt: skip
        return (
            f"Submission(schema={self.schema!r},\n  data={data!r},\n  files={chosen!r},\n"
            f"  language={self.language!r}, privacy_confirmed={self.privacy_confirmed!r})"
        )


def post_for(draw, schema, *, polite=False):
    """A POST body for ``schema``: hostile by default; ``polite`` posts what a careful person
    would (valid values, required fields answered, rows within limits, nothing else)."""
    data, uploads = QueryDict(mutable=True), MultiValueDict()
    _Poster(draw, schema, data, uploads, polite).level(schema["fields"], "")
    if not polite:
        for _ in range(draw(st.integers(0, 3))):
            name = draw(_noise_names(schema))
            data.appendlist(name, draw(odd_text | st.sampled_from(["on", "a" * 32])))
    return data, uploads


@st.composite
def submissions(draw, schema=None, *, polite=False):
    """A schema (drawn unless given) and a POST body for it, in a random language."""
    schema = schema if schema is not None else draw(schemas())
    data, uploads = post_for(draw, schema, polite=polite)
    return Submission(
        schema=schema,
        data=data,
        language=draw(st.sampled_from(["sv", "en"])),
        privacy_confirmed=draw(st.booleans()),
        files=uploads,
    )
