"""Checking and preparing files people attach to answers.

The content decides what a file is, never its name or the type the browser declares. Only an
allow-list passes: photos (JPEG, PNG, HEIC from iPhones), PDF and office documents (Office Open
XML and OpenDocument, without macros). HTML, SVG and everything else is refused. A file's name
must agree with its content, so a PNG renamed ``.pdf`` is refused rather than guessed at (a photo
named as another kind of photo is only renamed: it is written anew anyway).

Photos are decoded and written anew: EXIF and other metadata (a phone's GPS position!) are
dropped, the camera's orientation is applied, large photos are scaled down, and HEIC becomes
JPEG so every browser can show it.
"""

import hashlib
import io
import os
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass

import filetype
import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

IMAGE, PDF, OFFICE = "image", "pdf", "office"
KINDS = (IMAGE, PDF, OFFICE)
MB = 1024 * 1024
#: The long side of a stored photo, in pixels.
PHOTO_MAX_SIDE = 2560
#: What a new file field allows unless the editor says otherwise.
DEFAULT_MAX_FILES = 5
DEFAULT_MAX_MB = 10
#: A photo with more pixels than this is refused before it is decoded (a "decompression bomb").
PHOTO_MAX_PIXELS = 60_000_000
#: The only decoders a photo may reach ("HEIF" is pillow-heif's, for HEIC).
PHOTO_FORMATS = ["JPEG", "PNG", "HEIF"]
SRGB = ImageCms.createProfile("sRGB")
_HEAD = 8192
_CONTENT_TYPES_LIMIT = 1 * MB


@dataclass(frozen=True)
class FileType:
    mime: str
    extensions: tuple
    kind: str
    label: object  # lazy text


JPEG = FileType("image/jpeg", ("jpg", "jpeg", "jpe", "jfif"), IMAGE, _("a JPEG photo"))
PNG = FileType("image/png", ("png",), IMAGE, _("a PNG image"))
HEIC = FileType("image/heic", ("heic", "heif", "hif"), IMAGE, _("a HEIC photo"))
PDF_TYPE = FileType("application/pdf", ("pdf",), PDF, _("a PDF document"))
_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
DOCX = FileType(f"{_OOXML}.wordprocessingml.document", ("docx",), OFFICE, _("a Word document"))
XLSX = FileType(f"{_OOXML}.spreadsheetml.sheet", ("xlsx",), OFFICE, _("an Excel workbook"))
PPTX = FileType(
    f"{_OOXML}.presentationml.presentation", ("pptx",), OFFICE, _("a PowerPoint presentation")
)
ODT = FileType(f"{_ODF}.text", ("odt",), OFFICE, _("an OpenDocument text"))
ODS = FileType(f"{_ODF}.spreadsheet", ("ods",), OFFICE, _("an OpenDocument spreadsheet"))
ODP = FileType(f"{_ODF}.presentation", ("odp",), OFFICE, _("an OpenDocument presentation"))
ALLOWED = [JPEG, PNG, HEIC, PDF_TYPE, DOCX, XLSX, PPTX, ODT, ODS, ODP]
_BY_MIME = {file_type.mime: file_type for file_type in ALLOWED}
#: The main part an Office Open XML package declares in ``[Content_Types].xml``.
_OOXML_MAIN_PARTS = {
    b"wordprocessingml.document.main+xml": DOCX,
    b"spreadsheetml.sheet.main+xml": XLSX,
    b"presentationml.presentation.main+xml": PPTX,
}
_MACRO_MARKERS = (b"macroEnabled", b"vbaProject")


def accepted_types(kinds=KINDS):
    return [file_type for file_type in ALLOWED if file_type.kind in kinds]


def accept_attribute(kinds=KINDS):
    """The file input's ``accept``: types and extensions, so phones offer camera and photos."""
    values = []
    for file_type in accepted_types(kinds):
        values.append(file_type.mime)
        values.extend(f".{extension}" for extension in file_type.extensions)
    if HEIC in accepted_types(kinds):
        values.append("image/heif")
    return ",".join(values)


def max_file_bytes(spec_max_mb=None):
    """A field's cap in bytes: its own setting, never above the site's."""
    site_cap = settings.FORUM_FORMS_MAX_FILE_MB
    return min(spec_max_mb or site_cap, site_cap) * MB


@dataclass
class PreparedFile:
    """A checked file, ready to store: its new id, safe name, type and content."""

    id: str
    name: str
    content_type: str
    content: File
    size: int
    sha256: str

    def ref(self):
        """What an answer stores about the file."""
        return {"file": self.id, "name": self.name, "size": self.size, "type": self.content_type}


def prepare(uploaded, *, kinds=KINDS, max_bytes=None):
    """Check ``uploaded`` (a Django UploadedFile) and return a :class:`PreparedFile`.

    Raises ValidationError with a message that names the file and says what to do.
    """
    max_bytes = max_bytes or max_file_bytes()
    name = clean_name(uploaded.name)
    if not uploaded.size:
        raise ValidationError(
            gettext("%(name)s is empty. Choose the file again.") % {"name": name}, code="empty"
        )
    if uploaded.size > max_bytes:
        raise ValidationError(
            gettext("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(max_bytes),
            },
            code="too_large",
        )
    file_type = identify(uploaded)
    if file_type is None:
        raise ValidationError(
            gettext(
                "%(name)s cannot be attached: only %(accepted)s are accepted. "
                "Save it as one of those and try again."
            )
            % {"name": name, "accepted": describe(kinds)},
            code="type",
        )
    stem, extension = _split(name)
    if (
        extension
        and extension not in file_type.extensions
        and not _both_photos(extension, file_type)
    ):
        raise ValidationError(
            gettext(
                "%(name)s is named as a .%(extension)s file but holds %(found)s. "
                "Give it the right name, or choose the file you meant."
            )
            % {"name": name, "extension": extension, "found": file_type.label},
            code="mismatch",
        )
    if file_type.kind not in kinds:
        raise ValidationError(
            gettext("%(name)s is %(found)s; here only %(accepted)s are accepted.")
            % {"name": name, "found": file_type.label, "accepted": describe(kinds)},
            code="kind",
        )
    if file_type.kind == IMAGE:
        content, file_type = _clean_photo(uploaded, name)
        extension = file_type.extensions[0]
    else:
        uploaded.seek(0)
        content = uploaded
        extension = extension or file_type.extensions[0]
    digest, size = _digest(content)
    return PreparedFile(
        id=uuid.uuid4().hex,
        name=f"{stem}.{extension}",
        content_type=file_type.mime,
        content=content,
        size=size,
        sha256=digest,
    )


def _both_photos(extension, file_type):
    """A photo named as another kind of photo: harmless, as photos are written anew anyway."""
    return file_type.kind == IMAGE and any(
        extension in other.extensions for other in ALLOWED if other.kind == IMAGE
    )


KIND_LABELS = {
    IMAGE: _("photos (JPEG, PNG, HEIC)"),
    PDF: _("PDF documents"),
    OFFICE: _("office documents (Word, Excel, PowerPoint, OpenDocument)"),
}


def describe(kinds):
    return ", ".join(str(KIND_LABELS[kind]) for kind in KINDS if kind in kinds)


def identify(uploaded):
    """The allowed type the content is, or None. Reads the content, never the name."""
    uploaded.seek(0)
    head = uploaded.read(_HEAD)
    uploaded.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(uploaded)
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.mime == "image/heif":
        return HEIC
    file_type = _BY_MIME.get(guess.mime)
    return file_type if file_type is not None and file_type.kind != OFFICE else None


def _office_type(uploaded):
    """An office document's type from the package's own table of contents, or None.

    Documents with macros are refused. Nothing is extracted beyond two small parts read with a
    limit, so a zip bomb costs nothing; a damaged, encrypted or unusual package is simply not an
    office document.
    """
    try:
        with zipfile.ZipFile(uploaded) as package:
            names = set(package.namelist())
            if any(_is_macro_part(name) for name in names):
                return None
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as part:
                    table = part.read(_CONTENT_TYPES_LIMIT)
                if any(marker in table for marker in _MACRO_MARKERS):
                    return None
                found = {t for marker, t in _OOXML_MAIN_PARTS.items() if marker in table}
                return found.pop() if len(found) == 1 else None
            if "mimetype" in names:
                with package.open("mimetype") as part:
                    mime = part.read(200).decode("ascii", "replace").strip()
                file_type = _BY_MIME.get(mime)
                return file_type if file_type is not None and file_type.kind == OFFICE else None
    except Exception:  # zipfile raises many kinds: zlib, encryption, EOF, methods it lacks
        return None
    finally:
        uploaded.seek(0)
    return None


def _is_macro_part(name):
    name = name.lower()
    return name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/"))


def _clean_photo(uploaded, name):
    """Decode the photo and write it anew: upright, at most 2560 px, in sRGB, no metadata.

    Nothing of the original's metadata is copied: EXIF (with the position), XMP, comments and
    the colour profile (which may name the device) are dropped after the colours are converted
    to sRGB. PNG stays PNG (a screenshot, maybe with transparency); JPEG and HEIC become JPEG.
    """
    output = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded, formats=PHOTO_FORMATS) as original:
                if original.width * original.height > PHOTO_MAX_PIXELS:
                    raise Image.DecompressionBombError
                is_png = original.format == "PNG"
                # JPEG decodes straight at a reduced scale: far less memory for big photos.
                original.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
                original.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
                image = _in_srgb(ImageOps.exif_transpose(original), original.info)
                transparency = image.info.get("transparency") if is_png else None
                image.info = {} if transparency is None else {"transparency": transparency}
                if is_png:
                    image.save(output, "PNG", optimize=True)
                    result = PNG
                else:
                    if image.mode not in ("RGB", "L"):
                        image = image.convert("RGB")
                    image.save(output, "JPEG", quality=85)
                    result = JPEG
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            gettext("%(name)s has too many pixels to be a photo. Choose a smaller image.")
            % {"name": name},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(
            gettext("%(name)s looks like a photo but cannot be read. It may be damaged.")
            % {"name": name},
            code="broken",
        ) from None
    output.seek(0)
    return File(output), result


def _in_srgb(image, info):
    """The image's colours in sRGB, so its colour profile need not be kept."""
    profile = info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are, without it


def _digest(content):
    content.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: content.read(64 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return digest.hexdigest(), size


def clean_name(name):
    """A file name safe to show and to send back: no folders, control or direction characters."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        char for char in name if char == " " or unicodedata.category(char)[0] not in "CZ"
    )
    name = name.strip(" .")
    stem, extension = _split(name)
    stem = stem[:120].strip(" .") or gettext("file")
    return f"{stem}.{extension}" if extension else stem


def _split(name):
    stem, dot, extension = name.rpartition(".")
    if (
        not dot
        or not stem
        or not extension.isalnum()
        or len(extension) > 8
        or not any(char.isalpha() for char in extension)
    ):
        return name, ""
    return stem, extension.lower()
