"""The page types editors use to run the program site.

Pages *show* programs and learning sessions (models in ``programs.py``); they never own them.

Where pages may go: the plugin does not know the host's page types, so its section pages
(program, coach training, coach network, news, standard and accessibility pages) may sit under
any page type except the tree's root; the plugin's own page types then say, through
``subpage_types``, which of them belong beneath each other.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from forum_workflows.blocks import (
    RICH_TEXT_FEATURES,
    SHORT_RICH_TEXT_FEATURES,
    AgendaItemBlock,
    BodyStreamBlock,
    ContactBlock,
    DocumentLinkBlock,
    KnownProblemBlock,
    ModuleBlock,
    StepBlock,
)

from .programs import LearningSession

INTRO_HELP = _("One or two sentences shown large at the top of the page. Plain language.")


class PlacedUnderHostPages:
    """Lets a page type sit under any page type except the tree's root (a bare Page).

    ``parent_page_types`` cannot name the host's home page without tying the plugin to the
    host, and ``["wagtailcore.Page"]`` would mean "only directly under the root".
    """

    @classmethod
    def clean_parent_page_models(cls):
        return [model for model in super().clean_parent_page_models() if model is not Page]


def intro_field():
    return models.TextField(_("introduction"), blank=True, max_length=600, help_text=INTRO_HELP)


def body_field(verbose_name=None, **kwargs):
    kwargs.setdefault("blank", True)
    return StreamField(BodyStreamBlock(), verbose_name=verbose_name or _("body"), **kwargs)


def documents_field(verbose_name, help_text, **kwargs):
    kwargs.setdefault("blank", True)
    return StreamField(
        [("document", DocumentLinkBlock())],
        verbose_name=verbose_name,
        help_text=help_text,
        **kwargs,
    )


class SessionListing:
    """A program's learning sessions split into upcoming and past ones.

    Each session carries ``page_url``: the address of the live, public LearningSessionPage
    that presents it in the given language, or None. Costs the same number of queries
    whatever the number of sessions.
    """

    def __init__(self, sessions, *, locale, request=None, now=None):
        now = now or timezone.now()
        sessions = sessions.order_by("starts_at", "pk")
        pages = (
            LearningSessionPage.objects.live()
            .public()
            .filter(locale=locale, learning_session__in=sessions.values("pk"))
            .order_by("path")
        )
        page_by_session = {}
        for page in pages:
            page_by_session.setdefault(page.learning_session_id, page)
        self.upcoming = []
        self.past = []
        for session in sessions:
            page = page_by_session.get(session.pk)
            session.page_url = page.get_url(request) if page else None
            (self.upcoming if session.ends_at >= now else self.past).append(session)
        self.past.reverse()

    def __bool__(self):
        return bool(self.upcoming or self.past)


class ProgramPage(PlacedUnderHostPages, Page):
    """The front page of one program (cohort): what it is, who to ask and when it meets."""

    program = models.ForeignKey(
        "forum_workflows.Program",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("program"),
        help_text=_(
            "The cohort this page presents. Its dates and learning sessions are shown "
            "automatically; change them under Program in the menu."
        ),
    )
    intro = intro_field()
    body = body_field()
    contacts = StreamField(
        [("contact", ContactBlock())],
        blank=True,
        verbose_name=_("contacts"),
        help_text=_("People participants can ask about the program."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("program"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("contacts"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    subpage_types = [
        "forum_workflows.LearningSessionPage",
        "forum_workflows.StageGuidePage",
        "forum_workflows.CoachTrainingPage",
        "forum_workflows.StandardPage",
    ]

    template = "forum_workflows/pages/program_page.html"

    class Meta:
        verbose_name = _("program page")
        verbose_name_plural = _("program pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = SessionListing(
            self.program.learning_sessions.all(), locale=self.locale, request=request
        )
        # The teams taking part, with their organisations: one query however many there are.
        context["teams"] = (
            self.program.teams.filter(archived_at__isnull=True)
            .exclude(status="left")
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        return context


class LearningSessionPage(Page):
    """Presents one learning session: when and where (from the session), agenda, pre-work and
    materials."""

    learning_session = models.ForeignKey(
        "forum_workflows.LearningSession",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("learning session"),
        help_text=_(
            "The session this page presents. Its date, time and place are shown automatically; "
            "change them under Program in the menu."
        ),
    )
    intro = intro_field()
    agenda = StreamField(
        [("item", AgendaItemBlock())],
        blank=True,
        verbose_name=_("agenda"),
        help_text=_("One row per item, in order: start time, what happens."),
    )
    pre_work = RichTextField(
        _("before the session"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What teams should prepare or bring, if anything."),
    )
    materials = documents_field(
        _("materials"), _("Slides, worksheets and other documents for the session.")
    )
    body = body_field(_("more information"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("learning_session"),
        FieldPanel("intro"),
        FieldPanel("agenda"),
        FieldPanel("pre_work"),
        FieldPanel("materials"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("pre_work"),
        index.SearchField("body"),
    ]

    parent_page_types = [
        "forum_workflows.ProgramPage",
        "forum_workflows.CoachTrainingPage",
        "forum_workflows.CoachNetworkPage",
    ]
    subpage_types = []

    template = "forum_workflows/pages/learning_session_page.html"

    class Meta:
        verbose_name = _("learning session page")
        verbose_name_plural = _("learning session pages")


class StageGuidePage(PlacedUnderHostPages, Page):
    """Guidance for one stage of the improvement ramp, shown beside the stage's form."""

    purpose = models.TextField(
        _("purpose"),
        max_length=1000,
        help_text=_("Why the team does this stage and what they have when it is done."),
    )
    steps = StreamField(
        [("step", StepBlock())],
        blank=True,
        verbose_name=_("steps"),
        help_text=_("What the team does, one step at a time, in order."),
    )
    tips = StreamField(
        [
            ("tip", blocks.RichTextBlock(label=_("tip"), features=SHORT_RICH_TEXT_FEATURES)),
        ],
        blank=True,
        verbose_name=_("tips"),
        help_text=_("Advice from earlier teams and coaches."),
    )
    worked_example = body_field(
        _("worked example"),
        help_text=_("An example from a real (anonymised) team, start to finish."),
    )
    worksheets = documents_field(
        _("worksheets"), _("Templates and worksheets the team can print or fill in.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("steps"),
        FieldPanel("tips"),
        FieldPanel("worked_example"),
        FieldPanel("worksheets"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.SearchField("steps"),
        index.SearchField("tips"),
        index.SearchField("worked_example"),
    ]

    subpage_types = []

    template = "forum_workflows/pages/stage_guide_page.html"

    class Meta:
        verbose_name = _("stage guide page")
        verbose_name_plural = _("stage guide pages")


class CoachTrainingPage(PlacedUnderHostPages, Page):
    """The coach training program: its curriculum, modules and training sessions."""

    program = models.ForeignKey(
        "forum_workflows.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
        help_text=_("Optional: the cohort whose coach training sessions are listed on the page."),
    )
    intro = intro_field()
    curriculum = body_field(
        _("about the training"),
        help_text=_("Who the training is for, how it is organised and how coaches complete it."),
    )
    modules = StreamField(
        [("module", ModuleBlock())],
        blank=True,
        verbose_name=_("modules"),
        help_text=_("The modules of the training, in the order coaches take them."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("program"),
        FieldPanel("intro"),
        FieldPanel("curriculum"),
        FieldPanel("modules"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("curriculum"),
        index.SearchField("modules"),
    ]

    subpage_types = ["forum_workflows.LearningSessionPage", "forum_workflows.StandardPage"]

    template = "forum_workflows/pages/coach_training_page.html"

    class Meta:
        verbose_name = _("coach training page")
        verbose_name_plural = _("coach training pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = None
        if self.program_id:
            context["sessions"] = SessionListing(
                LearningSession.objects.filter(
                    program_id=self.program_id,
                    kind=LearningSession.Kind.COACH_TRAINING_SESSION,
                ),
                locale=self.locale,
                request=request,
            )
        return context


class CoachNetworkPage(PlacedUnderHostPages, Page):
    """The coach network, which coaches stay in after their cohort, and its meetings."""

    program = models.ForeignKey(
        "forum_workflows.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
        help_text=_(
            "Optional: show only this cohort's network meetings. Leave empty to show "
            "the network meetings of every program."
        ),
    )
    intro = intro_field()
    body = body_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("program"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    subpage_types = ["forum_workflows.LearningSessionPage", "forum_workflows.StandardPage"]

    template = "forum_workflows/pages/coach_network_page.html"

    class Meta:
        verbose_name = _("coach network page")
        verbose_name_plural = _("coach network pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        meetings = LearningSession.objects.filter(kind=LearningSession.Kind.NETWORK_MEETING)
        if self.program_id:
            meetings = meetings.filter(program_id=self.program_id)
        context["sessions"] = SessionListing(meetings, locale=self.locale, request=request)
        return context


class NewsIndexPage(PlacedUnderHostPages, Page):
    """Lists its news articles, newest first."""

    intro = intro_field()

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    subpage_types = ["forum_workflows.NewsArticlePage"]

    #: Articles per page of the listing.
    articles_per_page = 10

    template = "forum_workflows/pages/news_index_page.html"

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Imported here: the permissions module imports these models.
        from forum_workflows.permissions import hide_closed_pages

        articles = NewsArticlePage.objects.child_of(self).live().public()
        articles = hide_closed_pages(articles, request.user).order_by("-date", "-pk")
        paginator = Paginator(articles, self.articles_per_page)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context


class NewsArticlePage(Page):
    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        help_text=_("The date shown on the article. Articles are listed newest first."),
    )
    intro = intro_field()
    body = body_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["forum_workflows.NewsIndexPage"]
    subpage_types = []

    template = "forum_workflows/pages/news_article_page.html"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")


class StandardPage(PlacedUnderHostPages, Page):
    """A plain content page: an introduction and a body."""

    intro = intro_field()
    body = body_field()

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    subpage_types = ["forum_workflows.StandardPage", "forum_workflows.StageGuidePage"]

    template = "forum_workflows/pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class AccessibilityStatementPage(PlacedUnderHostPages, Page):
    """An accessibility statement (tillgänglighetsredogörelse) laid out after DIGG's model.

    The fixed wording of DIGG's model lives in the template; editors fill in what varies:
    the compliance status, known problems, contact details, how the site was tested and when.
    """

    class ComplianceStatus(models.TextChoices):
        FULL = "full", _("Fully compliant")
        PARTIAL = "partial", _("Partially compliant")
        NONE = "none", _("Not compliant")

    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("Who is responsible for the website, for example Famna."),
    )
    compliance_status = models.CharField(
        _("compliance status"),
        max_length=16,
        choices=ComplianceStatus.choices,
        default=ComplianceStatus.PARTIAL,
        help_text=_(
            "How well the website meets the accessibility requirements (WCAG 2.1 level AA). "
            'Choose "partially" if any known problem remains.'
        ),
    )
    known_problems = StreamField(
        [("problem", KnownProblemBlock())],
        blank=True,
        verbose_name=_("known problems"),
        help_text=_(
            "Content that is not accessible, and why. Needed unless the status is "
            '"fully compliant".'
        ),
    )
    alternative_access = RichTextField(
        _("if you cannot use parts of the website"),
        blank=True,
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("How people can get the information another way, for example by phone."),
    )
    contact_email = models.EmailField(
        _("email for accessibility questions"),
        help_text=_("Where people report problems or ask for content in another format."),
    )
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    response_time = models.CharField(
        _("how soon you answer"),
        max_length=100,
        blank=True,
        help_text=_('For example "within five working days".'),
    )
    enforcement_url = models.URLField(
        _("where to complain to DIGG"),
        default="https://www.digg.se/tdosanmalan",
        help_text=_("DIGG's page for reporting a website. Change it only if DIGG moves it."),
    )
    testing_method = RichTextField(
        _("how the website was tested"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_(
            "Who tested it (you or an outside expert) and how, for example with "
            "automated checks, keyboard and screen reader."
        ),
    )
    last_tested_on = models.DateField(_("last tested on"))
    published_on = models.DateField(_("website published on"), null=True, blank=True)
    statement_updated_on = models.DateField(
        _("statement last updated on"), help_text=_("Update this whenever you review the text.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("compliance_status"), FieldPanel("known_problems")],
            heading=_("How accessible is the website?"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("alternative_access"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("response_time"),
            ],
            heading=_("Contact and feedback"),
        ),
        FieldPanel("enforcement_url"),
        MultiFieldPanel(
            [
                FieldPanel("testing_method"),
                FieldRowPanel(
                    [
                        FieldPanel("last_tested_on"),
                        FieldPanel("published_on"),
                        FieldPanel("statement_updated_on"),
                    ]
                ),
            ],
            heading=_("Testing and dates"),
        ),
    ]

    subpage_types = []
    max_count_per_parent = 1

    template = "forum_workflows/pages/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def clean(self):
        super().clean()
        if self.compliance_status != self.ComplianceStatus.FULL and not self.known_problems:
            raise ValidationError(
                {
                    "known_problems": _(
                        "List the known problems: a website that is not fully compliant must "
                        "say what is not accessible."
                    )
                }
            )

    def problems_by_reason(self):
        """Known problems grouped in DIGG's order: non-compliance, burden, out of scope."""
        groups = {"non_compliance": [], "disproportionate_burden": [], "out_of_scope": []}
        for block in self.known_problems:
            groups.setdefault(block.value["reason"], []).append(block.value)
        return groups
