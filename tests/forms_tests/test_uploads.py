"""Uploads: the content decides the type, photos lose their metadata, caps hold."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from forms.uploads import JPEG, MB, PHOTO_MAX_SIDE, clean_name, identify, prepare

from . import files
from .files import upload


def prepared(name, content, **kwargs):
    return prepare(upload(name, content), **kwargs)


def refused(name, content, **kwargs):
    with pytest.raises(ValidationError) as raised:
        prepare(upload(name, content), **kwargs)
    return " ".join(raised.value.messages)


def read_back(prepared_file):
    return prepared_file.content.read()


@pytest.mark.parametrize(
    ("name", "make", "content_type", "stored_name"),
    [
        ("IMG_0001.jpg", files.jpeg_with_location, "image/jpeg", "IMG_0001.jpg"),
        ("skärmbild.PNG", files.png, "image/png", "skärmbild.png"),
        ("IMG_0002.HEIC", files.heic_with_location, "image/jpeg", "IMG_0002.jpg"),
        ("rapport.pdf", files.pdf, "application/pdf", "rapport.pdf"),
        (
            "plan.docx",
            files.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "plan.docx",
        ),
        (
            "mätning.xlsx",
            files.xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "mätning.xlsx",
        ),
        ("text.odt", files.odt, "application/vnd.oasis.opendocument.text", "text.odt"),
    ],
)
def test_each_allowed_kind_is_accepted_by_its_content(name, make, content_type, stored_name):
    result = prepared(name, make())
    assert result.content_type == content_type
    assert result.name == stored_name
    assert len(result.id) == 32
    assert result.size == len(read_back(result)) > 0
    assert result.ref() == {
        "file": result.id,
        "name": stored_name,
        "size": result.size,
        "type": content_type,
    }


def test_a_file_without_an_extension_gets_the_one_its_content_has():
    assert prepared("Skannat dokument", files.pdf()).name == "Skannat dokument.pdf"


def test_a_photo_named_as_another_kind_of_photo_is_renamed():
    assert prepared("skärmbild.jpg", files.png()).name == "skärmbild.png"
    assert prepared("IMG_1.jpeg", files.heic_with_location()).name == "IMG_1.jpg"


def test_the_declared_type_is_ignored():
    content = upload("rapport.pdf", files.pdf(), content_type="text/html")
    assert prepare(content).content_type == "application/pdf"
    disguised = upload("bild.png", files.HTML, content_type="image/png")
    with pytest.raises(ValidationError):
        prepare(disguised)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.pdf", files.png(), "bild.pdf is named as a .pdf file but holds a PNG image"),
        ("logo.svg", files.SVG_WITH_SCRIPT, "logo.svg cannot be attached: only photos"),
        ("logo.png", files.SVG_WITH_SCRIPT, "logo.png cannot be attached"),
        ("rapport.docx", files.HTML, "rapport.docx cannot be attached"),
        ("sida.html", files.HTML, "sida.html cannot be attached"),
        ("makro.docx", files.docm(), "makro.docx cannot be attached"),
        ("arkiv.zip", files.plain_zip(), "arkiv.zip cannot be attached"),
        ("anim.gif", files.image_bytes("GIF"), "anim.gif cannot be attached"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 200, "program.exe cannot be attached"),
        ("tom.pdf", b"", "tom.pdf is empty"),
        ("trasig.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "trasig.jpg looks like a photo"),
    ],
)
def test_refused_kinds_get_a_message_that_names_the_file(name, content, message):
    assert message in refused(name, content)


def test_the_size_cap_is_exact_to_the_byte():
    cap = 1 * MB
    pdf = files.pdf()
    at_cap = pdf + b"\n" * (cap - len(pdf))
    assert prepared("stor.pdf", at_cap, max_bytes=cap).size == cap
    message = refused("stor.pdf", at_cap + b"\n", max_bytes=cap)
    assert "stor.pdf is 1.0\xa0MB" in message
    assert "at most 1.0\xa0MB" in message


def test_a_field_may_accept_fewer_kinds():
    message = refused("rapport.pdf", files.pdf(), kinds=("image",))
    assert message == (
        "rapport.pdf is a PDF document; here only photos (JPEG, PNG, HEIC) are accepted."
    )


def _exif(content):
    with Image.open(io.BytesIO(content)) as image:
        return dict(image.getexif()), image.size, image.format


@pytest.mark.parametrize("make", [files.jpeg_with_location, files.heic_with_location])
def test_photos_lose_their_location_and_every_other_exif_field(make):
    original = make()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(files.GPS_IFD)  # the phone's position is there
    name = "foto.jpg" if make is files.jpeg_with_location else "foto.heic"
    result = read_back(prepared(name, original))
    exif, _size, fmt = _exif(result)
    assert exif == {}
    assert fmt == "JPEG"
    assert b"iPhone" not in result and b"Exif" not in result


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Anna Andersson, 19121212-1212")
    content = files.image_bytes("PNG", pnginfo=info)
    assert b"Anna" in content
    result = read_back(prepared("skärm.png", content))
    assert b"Anna" not in result
    assert _exif(result)[2] == "PNG"


def test_a_photo_is_turned_upright_as_the_camera_said():
    content = files.jpeg_with_location(size=(80, 40), orientation=6)  # rotated 90° clockwise
    _exif_data, size, _fmt = _exif(read_back(prepared("stående.jpg", content)))
    assert size == (40, 80)


def test_large_photos_are_scaled_down():
    content = files.image_bytes("JPEG", (4032, 3024))
    result = prepared("stor.jpg", content)
    _exif_data, size, _fmt = _exif(read_back(result))
    assert size == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE * 3024 // 4032)
    assert result.content_type == JPEG.mime


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    content = files.image_bytes("PNG", (8000, 8000), mode="1")
    assert len(content) < 100_000
    assert "has too many pixels" in refused("bomb.png", content)


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\anna\\Rapport.PDF", "Rapport.pdf"),
        ("fil\u202egpj.exe", "filgpj.exe"),
        ("  .dold.pdf  ", "dold.pdf"),
        ("rad\nbrytning.pdf", "radbrytning.pdf"),
        ("", "file"),
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ],
)
def test_file_names_lose_folders_and_control_characters(given, cleaned):
    assert clean_name(given) == cleaned


def test_identify_reads_content_not_names():
    assert identify(upload("x.txt", files.pdf())).mime == "application/pdf"
    assert identify(upload("x.docx", files.HTML)) is None


@pytest.mark.parametrize(
    ("name", "make"), [("trasig.docx", files.corrupt_docx), ("makro.odt", files.odt_with_macro)]
)
def test_damaged_packages_and_macros_are_not_office_documents(name, make):
    assert f"{name} cannot be attached" in refused(name, make())


def test_the_colour_profile_and_comments_do_not_survive():
    content = files.jpeg_with_profile()
    assert b"Anna's iPhone" in content and b"secret comment" in content
    result = read_back(prepared("foto.jpg", content))
    assert b"Anna's iPhone" not in result and b"secret comment" not in result
    with Image.open(io.BytesIO(result)) as image:
        assert "icc_profile" not in image.info and image.mode == "RGB"


def test_a_transparent_palette_png_keeps_its_transparency():
    result = read_back(prepared("ikon.png", files.png_with_transparent_palette()))
    with Image.open(io.BytesIO(result)) as image:
        assert image.mode == "P" and image.info.get("transparency") == 0


def test_dots_in_a_name_are_not_an_extension():
    assert prepared("Protokoll 2024.03.12", files.pdf()).name == "Protokoll 2024.03.12.pdf"
