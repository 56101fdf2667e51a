"""Real files of every kind the upload checks meet, made in memory."""

import io
import zipfile

import openpyxl
import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pillow_heif.register_heif_opener()

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def upload(name, content, content_type="application/octet-stream"):
    """What a browser sends; the declared type is whatever the browser claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_bytes(fmt="JPEG", size=(64, 48), exif=None, mode="RGB", **save):
    buffer = io.BytesIO()
    image = Image.new(mode, size, "red" if mode == "RGB" else 1)
    if exif is not None:
        save["exif"] = exif.tobytes()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def exif_with_location(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (59.0, 19.0, 48.0)
    gps[3] = "E"
    gps[4] = (18.0, 4.0, 12.0)
    return exif


def jpeg_with_location(size=(64, 48), orientation=None):
    return image_bytes("JPEG", size, exif=exif_with_location(orientation))


def png(size=(32, 32)):
    return image_bytes("PNG", size)


def heic_with_location():
    return image_bytes("HEIF", (64, 48), exif=exif_with_location())


def pdf():
    return image_bytes("PDF")


def _zip(entries, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        if first:
            package.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in entries.items():
            package.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx(main=DOCX_MAIN, extra=None):
    return _zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(main=main),
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body><w:p>Hej</w:p></w:body></w:document>",
            **(extra or {}),
        }
    )


def docm():
    return docx(main=DOCM_MAIN, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def xlsx():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Mätning"
    workbook.save(buffer)
    return buffer.getvalue()


def odt():
    return _zip(
        {"content.xml": "<office:document-content/>"},
        first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


def plain_zip():
    return _zip({"notes.txt": "hej"})


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script>Rapport</body></html>"


def corrupt_docx():
    """A package whose compressed part is damaged: zlib fails when it is read."""
    content = bytearray(docx())
    start = content.index(b"[Content_Types].xml") + len("[Content_Types].xml")
    content[start : start + 40] = b"\xff" * 40
    return bytes(content)


def odt_with_macro():
    return _zip(
        {"content.xml": "<office:document-content/>", "Basic/Standard/Module1.xml": "Sub x"},
        first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


def jpeg_with_profile(marker=b"Anna's iPhone 15 Pro"):
    """A JPEG whose colour profile carries text, as phones' profiles name the device."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes("JPEG", icc_profile=profile + marker, comment=b"secret comment")


def png_with_transparent_palette():
    buffer = io.BytesIO()
    image = Image.new("P", (16, 16), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    image.save(buffer, "PNG", transparency=0)
    return buffer.getvalue()
