"""The shared StreamField block library: validation and rendering."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTable

from forum_workflows.blocks import (
    AccordionBlock,
    AgendaItemBlock,
    BodyStreamBlock,
    CalloutBlock,
    DocumentLinkBlock,
    FigureBlock,
    HeadingBlock,
    QuoteBlock,
    TableBlock,
    VideoBlock,
    privacy_friendly_embed_url,
)

from .factories import make_document, make_image


@pytest.fixture(autouse=True)
def english():
    """The messages these tests quote are the English originals."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_an_image_without_alt_text_is_refused_with_the_alt_field_named():
    block = FigureBlock()
    value = block.to_python({"image": make_image().pk, "decorative": False, "alt_text": "  "})
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert list(caught.value.block_errors) == ["alt_text"]
    assert "Write an alt text" in caught.value.block_errors["alt_text"].messages[0]


@pytest.mark.django_db
def test_a_decorative_image_needs_no_alt_text_and_renders_an_empty_alt():
    block = FigureBlock()
    value = block.clean(
        block.to_python({"image": make_image().pk, "decorative": True, "alt_text": "ignored"})
    )
    html = block.render(value)
    assert 'alt=""' in html
    assert "ignored" not in html


@pytest.mark.django_db
def test_an_image_with_alt_text_renders_it_and_its_caption():
    block = FigureBlock()
    value = block.clean(
        block.to_python(
            {
                "image": make_image().pk,
                "alt_text": "Fyra personer vid en whiteboard",
                "caption": "Foto: Famna",
            }
        )
    )
    html = block.render(value)
    assert 'alt="Fyra personer vid en whiteboard"' in html
    assert "<figcaption>Foto: Famna</figcaption>" in html


@pytest.mark.parametrize(
    ("url", "embed_url"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
    ],
)
def test_youtube_and_vimeo_play_in_their_privacy_friendly_players(url, embed_url):
    assert privacy_friendly_embed_url(url) == embed_url


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dailymotion.com/video/x7tgad0",
        "https://www.facebook.com/watch/?v=10155",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=not-an-id",
        "https://www.youtube.com/",
        "https://vimeo.com/about",
        "",
    ],
)
def test_other_video_addresses_have_no_embed_url(url):
    assert privacy_friendly_embed_url(url) is None


def test_a_video_from_another_service_is_refused_with_the_address_field_named():
    block = VideoBlock()
    value = block.to_python({"url": "https://www.dailymotion.com/video/x7tgad0", "title": "Film"})
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert list(caught.value.block_errors) == ["url"]
    assert (
        "Use the address of a YouTube or Vimeo video"
        in caught.value.block_errors["url"].messages[0]
    )


def test_a_youtube_video_renders_a_titled_nocookie_player_with_its_transcript_link():
    block = VideoBlock()
    value = block.clean(
        block.to_python(
            {
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "Så gör du en processkarta",
                "has_captions": True,
                "transcript_url": "https://example.org/transcript",
            }
        )
    )
    html = block.render(value)
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="Så gör du en processkarta"' in html
    assert "youtube.com/watch" not in html
    assert 'href="https://example.org/transcript"' in html
    assert "The video has captions." in html


@pytest.mark.parametrize(("level", "tag"), [("2", "h2"), ("3", "h3"), ("4", "h4")])
def test_a_heading_renders_at_its_level_with_an_anchor(level, tag):
    block = HeadingBlock()
    html = block.render(block.to_python({"text": "Så går det till", "level": level}))
    assert html.strip() == f'<{tag} id="section-så-går-det-till">Så går det till</{tag}>'


def test_headings_cannot_be_level_one_or_five():
    block = HeadingBlock()
    for level in ("1", "5"):
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"text": "Rubrik", "level": level}))


def test_a_callout_without_title_is_labelled_by_its_kind():
    block = CalloutBlock()
    html = block.render(
        block.to_python({"kind": "tip", "title": "", "text": "<p>Börja smått.</p>"})
    )
    assert 'aria-label="Tip"' in html
    assert "<p>Börja smått.</p>" in html


def test_a_quote_renders_as_a_blockquote_with_its_attribution():
    block = QuoteBlock()
    html = block.render(
        block.to_python({"quote": "Vi ser brukaren tydligare.", "attribution": "Undersköterska"})
    )
    assert "<blockquote><p>Vi ser brukaren tydligare.</p></blockquote>" in html
    assert "Undersköterska" in html


def test_an_accordion_renders_each_question_as_a_disclosure():
    block = AccordionBlock()
    html = block.render(
        block.to_python(
            {
                "heading": "Vanliga frågor",
                "items": [
                    {"question": "Vem kan delta?", "answer": "<p>Alla team.</p>"},
                    {"question": "Vad kostar det?", "answer": "<p>Inget.</p>"},
                ],
            }
        )
    )
    assert html.count("<details") == 2
    assert "<summary>Vem kan delta?</summary>" in html
    assert "<h2" in html and "Vanliga frågor</h2>" in html


def test_an_accordion_needs_at_least_one_question():
    block = AccordionBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"heading": "Tomt", "items": []}))


def test_a_table_renders_its_caption_and_column_headers():
    block = TableBlock()
    value = block.to_python(
        {
            "caption": "Deltagande team per region",
            "columns": [
                {"type": "text", "heading": "Region"},
                {"type": "number", "heading": "Team"},
            ],
            "rows": [{"values": ["Stockholm", "12"]}, {"values": ["Skåne", "7"]}],
        }
    )
    assert isinstance(value, TypedTable)
    html = block.render(value)
    assert "<caption>Deltagande team per region</caption>" in html
    assert '<th scope="col">Region</th>' in html
    assert "<td>Skåne</td>" in html
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert value.row_data[0]["values"][1] == Decimal("12")


@pytest.mark.django_db
def test_a_document_link_shows_its_title_type_and_size():
    document = make_document()
    block = DocumentLinkBlock()
    html = block.render(
        block.to_python({"document": document.pk, "link_text": "", "description": ""})
    )
    assert f'href="{document.url}"' in html
    assert "Worksheet: process map</a>" in html
    assert "(PDF, 13\xa0" in html


def test_an_agenda_item_must_end_after_it_starts():
    block = AgendaItemBlock()
    value = block.to_python({"starts": "10:00", "ends": "09:30", "item": "Fika"})
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert list(caught.value.block_errors) == ["ends"]
    ok = block.clean(block.to_python({"starts": "10:00", "ends": "10:30", "item": "Fika"}))
    assert ok["starts"] == datetime.time(10, 0)


def test_the_body_stream_offers_every_block_of_the_library():
    assert list(BodyStreamBlock().child_blocks) == [
        "heading",
        "rich_text",
        "image",
        "document",
        "callout",
        "quote",
        "video",
        "accordion",
        "table",
    ]


def test_every_block_has_its_own_template():
    from django.template.loader import get_template

    for name, block in BodyStreamBlock().child_blocks.items():
        assert block.meta.template, name
        assert block.meta.template.startswith("forum_workflows/blocks/"), name
        get_template(block.meta.template)
