"""The StreamField block library shared by every page type of the plugin.

Each block renders with its own template under ``forum_workflows/blocks/``. Blocks that can
be filled in wrongly in a way that hurts readers (an image without alt text, a video player
that tracks visitors) refuse the value with a message that names the field to fix.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

#: Rich text features for body text: no h1 (the page title is the only h1), no embeds.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
#: Rich text features for short texts inside other blocks (answers, call-outs, steps).
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingValue(blocks.StructValue):
    @property
    def anchor(self):
        """An id for the heading, so people can link to a section.

        Prefixed so that a heading called "Main" cannot take the skip link's ``#main``.
        """
        return "section-" + slugify(self.get("text") or "", allow_unicode=True)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[
            ("2", _("Level 2 (section)")),
            ("3", _("Level 3 (subsection)")),
            ("4", _("Level 4")),
        ],
        default="2",
        help_text=_("Use level 2 for main sections and level 3 inside them. Do not skip levels."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "forum_workflows/blocks/heading.html"
        value_class = HeadingValue


class FigureBlock(blocks.StructBlock):
    """An image with alt text, required unless the editor marks the image as decorative."""

    image = ImageChooserBlock(label=_("image"))
    decorative = blocks.BooleanBlock(
        label=_("The image is decorative"),
        required=False,
        help_text=_(
            "Tick only if the image adds nothing to the text (an ornament or mood picture). "
            "Screen readers then skip it."
        ),
    )
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe what the image shows for people who cannot see it, in one sentence. "
            'Do not start with "Image of".'
        ),
    )
    caption = blocks.CharBlock(
        label=_("caption"),
        required=False,
        max_length=250,
        help_text=_("Optional text shown under the image, for example the photographer."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "forum_workflows/blocks/figure.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _(
                            "Write an alt text that describes the image, or tick "
                            '"The image is decorative" if it adds nothing to the text.'
                        ),
                        code="alt_text_required",
                    )
                }
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    link_text = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=200,
        help_text=_("What the document is, in a few words. Leave empty to use its title."),
    )
    description = blocks.TextBlock(
        label=_("description"),
        required=False,
        max_length=400,
        help_text=_("Optional: one sentence on when to use it."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "forum_workflows/blocks/document_link.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("info", _("Information")),
            ("tip", _("Tip")),
            ("important", _("Important")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=150)
    text = blocks.RichTextBlock(label=_("text"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Call-out")
        template = "forum_workflows/blocks/callout.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("who said it"),
        required=False,
        max_length=200,
        help_text=_(
            'A role rather than a name is often enough, for example "Nurse, team Solrosen". '
            "Never name a client or patient."
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "forum_workflows/blocks/quote.html"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{6,12}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def privacy_friendly_embed_url(url):
    """Return the embed address of a YouTube or Vimeo video in its privacy-friendly player.

    YouTube videos play from youtube-nocookie.com; Vimeo videos play with ``dnt=1`` (do not
    track). Return None for any other address, so callers can refuse it.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [segment for segment in parts.path.split("/") if segment]
    video_id = None
    if host == "youtu.be" and segments:
        video_id = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video_id = segments[1]
    if video_id is not None:
        if _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
    if host in _VIMEO_HOSTS:
        if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video":
            video_id = segments[1]
        elif host != "player.vimeo.com" and segments:
            video_id = segments[-1] if segments[0] in ("video", "channels") else segments[0]
        if video_id and _VIMEO_ID.match(video_id):
            return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    return None


class VideoValue(blocks.StructValue):
    @cached_property
    def embed_url(self):
        return privacy_friendly_embed_url(self.get("url"))


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video played in its privacy-friendly player."""

    url = blocks.URLBlock(
        label=_("video address"),
        help_text=_(
            "Paste the address of a YouTube or Vimeo video. It plays without tracking cookies "
            "(youtube-nocookie.com, Vimeo with do-not-track). Other services are not allowed."
        ),
    )
    title = blocks.CharBlock(
        label=_("title"),
        max_length=200,
        help_text=_("What the video is about. Screen readers announce it before the player."),
    )
    has_captions = blocks.BooleanBlock(
        label=_("The video has captions"),
        required=False,
        help_text=_("Videos with speech need captions (subtitles) for people who cannot hear."),
    )
    transcript_url = blocks.URLBlock(
        label=_("link to a transcript"),
        required=False,
        help_text=_("Optional: a page or document with the video's speech as text."),
    )
    caption = blocks.CharBlock(
        label=_("caption"),
        required=False,
        max_length=250,
        help_text=_("Optional text shown under the video."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "forum_workflows/blocks/video.html"
        value_class = VideoValue

    def clean(self, value):
        value = super().clean(value)
        if privacy_friendly_embed_url(value.get("url")) is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "Use the address of a YouTube or Vimeo video, for example "
                            "https://www.youtube.com/watch?v=… or https://vimeo.com/…. "
                            "Other video services are not allowed because they track visitors."
                        ),
                        code="video_not_privacy_friendly",
                    )
                }
            )
        return value


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question or heading"), max_length=250)
    answer = blocks.RichTextBlock(label=_("answer"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("heading"),
        required=False,
        max_length=200,
        help_text=_('Optional heading above the questions, for example "Common questions".'),
    )
    items = blocks.ListBlock(AccordionItemBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Questions and answers (accordion)")
        template = "forum_workflows/blocks/accordion.html"


class TableBlock(TypedTableBlock):
    text = blocks.CharBlock(label=_("text"), required=False)
    number = blocks.DecimalBlock(label=_("number"), required=False)
    rich_text = blocks.RichTextBlock(
        label=_("formatted text"), required=False, features=SHORT_RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "forum_workflows/blocks/table.html"
        help_text = _(
            "Give the table a caption that says what it shows, and a heading for each column."
        )


class BodyStreamBlock(blocks.StreamBlock):
    """The blocks an editor can use for the main text of any page."""

    heading = HeadingBlock()
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="forum_workflows/blocks/rich_text.html",
    )
    image = FigureBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    accordion = AccordionBlock()
    table = TableBlock()


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=200)
    role = blocks.CharBlock(
        label=_("role"),
        required=False,
        max_length=200,
        help_text=_('For example "Programme manager" or "Questions about sign-up".'),
    )
    organisation = blocks.CharBlock(label=_("organisation"), required=False, max_length=200)
    email = blocks.EmailBlock(label=_("email"), required=False)
    phone = blocks.CharBlock(label=_("phone"), required=False, max_length=40)

    class Meta:
        icon = "user"
        label = _("Contact")
        template = "forum_workflows/blocks/contact.html"


class AgendaItemBlock(blocks.StructBlock):
    """One row of a session's agenda: when, and what happens."""

    starts = blocks.TimeBlock(label=_("starts"), format="%H:%M")
    ends = blocks.TimeBlock(label=_("ends"), required=False, format="%H:%M")
    item = blocks.CharBlock(
        label=_("what happens"),
        max_length=250,
        help_text=_('For example "Lunch" or "Work in teams: fishbone diagram".'),
    )
    details = blocks.TextBlock(label=_("details"), required=False, max_length=500)

    class Meta:
        icon = "time"
        label = _("Agenda item")

    def clean(self, value):
        value = super().clean(value)
        starts, ends = value.get("starts"), value.get("ends")
        if starts and ends and ends <= starts:
            raise StructBlockValidationError(
                block_errors={
                    "ends": ValidationError(_("The item must end after it starts."), code="order")
                }
            )
        return value


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    text = blocks.RichTextBlock(label=_("what to do"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class ModuleBlock(blocks.StructBlock):
    """One module of the coach training curriculum."""

    title = blocks.CharBlock(label=_("module"), max_length=200)
    summary = blocks.TextBlock(
        label=_("summary"),
        max_length=500,
        help_text=_("What the module is about, in a sentence or two."),
    )
    goals = blocks.ListBlock(
        blocks.CharBlock(max_length=250),
        label=_("after the module, the coach can…"),
        required=False,
        default=[],
    )
    content = blocks.RichTextBlock(label=_("content"), required=False, features=RICH_TEXT_FEATURES)
    materials = blocks.ListBlock(DocumentLinkBlock(), label=_("materials"), default=[])

    class Meta:
        icon = "folder-open-inverse"
        label = _("Module")


class KnownProblemBlock(blocks.StructBlock):
    """One entry of an accessibility statement's "content that is not accessible"."""

    reason = blocks.ChoiceBlock(
        label=_("reason"),
        choices=[
            ("non_compliance", _("Lack of compliance with the law")),
            ("disproportionate_burden", _("Disproportionate burden")),
            ("out_of_scope", _("Content not covered by the law")),
        ],
        default="non_compliance",
    )
    description = blocks.TextBlock(
        label=_("problem"), help_text=_("Describe the problem in plain words and who it affects.")
    )
    criterion = blocks.CharBlock(
        label=_("WCAG success criterion"),
        required=False,
        max_length=100,
        help_text=_('Optional, for example "1.2.2 Captions (prerecorded)".'),
    )
    planned_fix = blocks.CharBlock(
        label=_("when it will be fixed"),
        required=False,
        max_length=200,
        help_text=_('Optional, for example "By June 2026".'),
    )

    class Meta:
        icon = "warning"
        label = _("Known problem")
