"""The program site's page types: where they may go, how they render, how editors create them."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone, translation
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from forum_workflows.models import (
    AccessibilityStatementPage,
    CoachNetworkPage,
    CoachTrainingPage,
    LearningSession,
    LearningSessionPage,
    NewsArticlePage,
    NewsIndexPage,
    ProgramPage,
    StageGuidePage,
    StandardPage,
)
from home.models import HomePage

from .factories import (
    english_home,
    make_document,
    make_image,
    make_program,
    make_session,
    session_data,
)

ALL_PAGE_TYPES = [
    ProgramPage,
    LearningSessionPage,
    StageGuidePage,
    CoachTrainingPage,
    CoachNetworkPage,
    NewsIndexPage,
    NewsArticlePage,
    StandardPage,
    AccessibilityStatementPage,
]
#: Page types that may sit directly under a host page (the host's home page here).
SECTION_PAGE_TYPES = [
    ProgramPage,
    StageGuidePage,
    CoachTrainingPage,
    CoachNetworkPage,
    NewsIndexPage,
    StandardPage,
    AccessibilityStatementPage,
]


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def statement(**kwargs):
    kwargs.setdefault("title", "Accessibility")
    kwargs.setdefault("slug", "accessibility")
    kwargs.setdefault("organisation", "Famna")
    kwargs.setdefault("compliance_status", AccessibilityStatementPage.ComplianceStatus.PARTIAL)
    kwargs.setdefault(
        "known_problems",
        [
            (
                "problem",
                {
                    "reason": "non_compliance",
                    "description": "Some older videos have no captions.",
                    "criterion": "1.2.2 Captions (prerecorded)",
                    "planned_fix": "By June 2026",
                },
            ),
            ("problem", {"reason": "out_of_scope", "description": "PDFs published before 2018."}),
        ],
    )
    kwargs.setdefault("contact_email", "tillganglighet@example.org")
    kwargs.setdefault("testing_method", "<p>We tested with axe and a screen reader.</p>")
    kwargs.setdefault("last_tested_on", datetime.date(2026, 2, 1))
    kwargs.setdefault("statement_updated_on", datetime.date(2026, 2, 2))
    return AccessibilityStatementPage(**kwargs)


class PageTypeRulesTests(WagtailPageTestCase):
    def test_section_pages_can_be_created_under_the_host_home_page(self):
        for page_type in SECTION_PAGE_TYPES:
            with self.subTest(page_type=page_type.__name__):
                self.assertCanCreateAt(HomePage, page_type)

    def test_no_plugin_page_can_be_created_at_the_root_of_the_tree(self):
        for page_type in ALL_PAGE_TYPES:
            with self.subTest(page_type=page_type.__name__):
                self.assertCanNotCreateAt(Page, page_type)

    def test_a_learning_session_page_belongs_under_a_program_coach_training_or_network_page(self):
        self.assertAllowedParentPageTypes(
            LearningSessionPage, {ProgramPage, CoachTrainingPage, CoachNetworkPage}
        )
        for parent in (HomePage, StandardPage, NewsIndexPage, StageGuidePage):
            self.assertCanNotCreateAt(parent, LearningSessionPage)

    def test_news_articles_belong_under_a_news_index_only(self):
        self.assertAllowedParentPageTypes(NewsArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsArticlePage})
        self.assertCanNotCreateAt(HomePage, NewsArticlePage)
        self.assertCanNotCreateAt(StandardPage, NewsArticlePage)

    def test_each_plugin_page_type_allows_only_its_own_kind_of_subpages(self):
        self.assertAllowedSubpageTypes(
            ProgramPage, {LearningSessionPage, StageGuidePage, CoachTrainingPage, StandardPage}
        )
        self.assertAllowedSubpageTypes(CoachTrainingPage, {LearningSessionPage, StandardPage})
        self.assertAllowedSubpageTypes(CoachNetworkPage, {LearningSessionPage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage, StageGuidePage})
        for leaf in (
            LearningSessionPage,
            StageGuidePage,
            NewsArticlePage,
            AccessibilityStatementPage,
        ):
            self.assertAllowedSubpageTypes(leaf, set())

    def test_a_program_page_cannot_hold_another_program_page(self):
        self.assertCanNotCreateAt(ProgramPage, ProgramPage)
        self.assertCanNotCreateAt(StandardPage, ProgramPage)

    def test_a_site_has_one_accessibility_statement_per_parent(self):
        home = english_home()
        self.assertTrue(AccessibilityStatementPage.can_create_at(home))
        add_page(home, statement())
        self.assertFalse(AccessibilityStatementPage.can_create_at(home))


class PageRenderingTests(WagtailPageTestCase):
    """Each page type is routable and renders accessible HTML (in English: /en/)."""

    @classmethod
    def setUpTestData(cls):
        cls.home = english_home()
        now = timezone.now()
        cls.program = make_program(name="Forum for Values 2026")
        cls.upcoming = make_session(
            cls.program,
            title="Learning session 2",
            starts_at=now + datetime.timedelta(days=30),
            ends_at=now + datetime.timedelta(days=30, hours=6),
        )
        cls.past = make_session(
            cls.program,
            title="Learning session 1",
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now - datetime.timedelta(days=30, hours=-6),
        )
        cls.meeting = make_session(
            cls.program,
            title="Network meeting spring",
            kind=LearningSession.Kind.NETWORK_MEETING,
            starts_at=now + datetime.timedelta(days=60),
            ends_at=now + datetime.timedelta(days=60, hours=2),
            place="",
            online_url="https://example.org/meet/42",
        )
        cls.document = make_document()
        cls.program_page = add_page(
            cls.home,
            ProgramPage(
                title="Program 2026",
                slug="program-2026",
                program=cls.program,
                intro="Twelve teams, one year.",
                body=[("heading", {"text": "About", "level": "2"})],
                contacts=[
                    (
                        "contact",
                        {
                            "name": "Anna Berg",
                            "role": "Programme manager",
                            "email": "anna@example.org",
                            "phone": "08-123 45 67",
                        },
                    )
                ],
            ),
        )
        cls.session_page = add_page(
            cls.program_page,
            LearningSessionPage(
                title="Learning session 2: process maps",
                slug="session-2",
                learning_session=cls.upcoming,
                agenda=[
                    (
                        "item",
                        {
                            "starts": datetime.time(9, 0),
                            "ends": datetime.time(9, 30),
                            "item": "Coffee and welcome",
                        },
                    ),
                    ("item", {"starts": datetime.time(9, 30), "item": "Process mapping in teams"}),
                ],
                pre_work="<p>Bring your team's 5P notes.</p>",
                materials=[("document", {"document": cls.document, "link_text": "Slides"})],
            ),
        )
        cls.stage_guide = add_page(
            cls.home,
            StageGuidePage(
                title="Process map",
                slug="process-map",
                purpose="See the process as it really is.",
                steps=[
                    ("step", {"title": "Choose start and end", "text": "<p>Agree first.</p>"}),
                    ("step", {"title": "Walk the process", "text": "<p>Go and see.</p>"}),
                ],
                tips=[("tip", "<p>Use sticky notes.</p>")],
                worked_example=[("rich_text", "<p>Team Solrosen mapped admissions.</p>")],
                worksheets=[("document", {"document": cls.document})],
            ),
        )
        cls.coach_training = add_page(
            cls.home,
            CoachTrainingPage(
                title="Coach training",
                slug="coach-training",
                program=cls.program,
                modules=[
                    (
                        "module",
                        {
                            "title": "Module 1: The coach role",
                            "summary": "What a coach does.",
                            "goals": ["Explain the improvement ramp"],
                        },
                    )
                ],
            ),
        )
        cls.network = add_page(
            cls.home, CoachNetworkPage(title="Coach network", slug="coach-network")
        )
        cls.news_index = add_page(cls.home, NewsIndexPage(title="News", slug="news"))
        cls.article = add_page(
            cls.news_index,
            NewsArticlePage(
                title="Twelve teams started",
                slug="twelve-teams",
                date=datetime.date(2026, 1, 20),
                intro="The first learning session.",
            ),
        )
        cls.standard = add_page(
            cls.home,
            StandardPage(
                title="About the program",
                slug="about",
                body=[("quote", {"quote": "We see the client.", "attribution": "Nurse"})],
            ),
        )
        cls.statement = add_page(cls.home, statement())

    def pages(self):
        return [
            self.program_page,
            self.session_page,
            self.stage_guide,
            self.coach_training,
            self.network,
            self.news_index,
            self.article,
            self.standard,
            self.statement,
        ]

    def test_every_page_type_is_covered(self):
        self.assertEqual({type(page) for page in self.pages()}, set(ALL_PAGE_TYPES))

    def assertPageIsRoutableInItsLanguage(self, page):
        """Wagtail's assertPageIsRoutable routes the whole path, language prefix ("/en/")
        included, from the site root, so it cannot pass with i18n_patterns. This does what it
        does after resolving the prefixed URL the way a request would."""
        with translation.override(page.locale.language_code):
            match = resolve(page.get_url(self.dummy_request))
            path = match.kwargs.get("path", match.args[0] if match.args else "")
            components = [part for part in path.split("/") if part]
            found, _args, _kwargs = page.get_site().root_page.localized.specific.route(
                self.dummy_request, components
            )
        self.assertEqual(found.pk, page.pk)

    def test_every_page_type_is_routable_and_renderable(self):
        for page in self.pages():
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutableInItsLanguage(page)
                self.assertPageIsRenderable(page)

    def test_every_page_has_one_h1_inside_main_and_uses_the_host_layout(self):
        for page in self.pages():
            with self.subTest(page=type(page).__name__):
                html = self.client.get(page.url).content.decode()
                self.assertEqual(html.count("<h1"), 1)
                main = html[html.index('<main id="main"') : html.index("</main>")]
                self.assertIn(f"<h1>{page.title}</h1>", main)
                self.assertIn('<a class="skip-link"', html)
                self.assertIn("forum_workflows/css/forum_workflows.css", html)

    def test_the_program_page_lists_upcoming_and_past_sessions_with_machine_readable_times(self):
        response = self.client.get(self.program_page.url)
        html = response.content.decode()
        upcoming = html[html.index("Upcoming sessions") : html.index("Past sessions")]
        past = html[html.index("Past sessions") :]
        self.assertIn("Learning session 2", upcoming)
        self.assertNotIn("Learning session 1", upcoming)
        self.assertIn("Learning session 1", past)
        starts = timezone.localtime(self.upcoming.starts_at).isoformat()
        self.assertIn(f'<time datetime="{starts}">', html)
        self.assertIn(f'<a href="{self.session_page.url}">Learning session 2</a>', html)
        # Network meetings are the same program's sessions too; they show with their kind.
        self.assertIn("Coach network meeting", html)
        self.assertIn('href="mailto:anna@example.org"', html)
        self.assertIn('href="tel:081234567"', html)

    def test_session_times_are_shown_in_swedish_time(self):
        session = make_session(
            self.program,
            title="Winter session",
            starts_at=datetime.datetime(2026, 1, 20, 8, 0, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 1, 20, 15, 0, tzinfo=datetime.UTC),
        )
        html = self.client.get(self.program_page.url).content.decode()
        self.assertIn('<time datetime="2026-01-20T09:00:00+01:00">', html)
        self.assertIn(">Jan. 20, 2026, 09:00</time>\u2013<time", html)
        self.assertIn('<time datetime="2026-01-20T16:00:00+01:00">16:00</time>', html)
        session.delete()

    def test_the_session_page_shows_the_session_and_its_agenda_rows(self):
        html = self.client.get(self.session_page.url).content.decode()
        self.assertIn("Famna, Götgatan 22, Stockholm", html)
        self.assertIn("Forum for Values 2026", html)
        agenda = html[html.index('<ol class="agenda">') :]
        agenda = agenda[: agenda.index("</ol>")]
        self.assertEqual(agenda.count("<li"), 2)
        self.assertIn(
            '<time datetime="09:00">09:00</time>\u2013<time datetime="09:30">09:30</time>', agenda
        )
        self.assertLess(agenda.index("Coffee and welcome"), agenda.index("Process mapping"))
        self.assertIn("Bring your team", html)
        self.assertIn(f'<a href="{self.document.url}" class="document-link">Slides</a>', html)

    def test_the_coach_network_page_lists_only_network_meetings(self):
        html = self.client.get(self.network.url).content.decode()
        self.assertIn("Network meeting spring", html)
        self.assertIn('href="https://example.org/meet/42"', html)
        self.assertNotIn("Learning session 2", html)

    def test_the_coach_training_page_lists_modules_in_order(self):
        html = self.client.get(self.coach_training.url).content.decode()
        self.assertIn("Module 1: The coach role", html)
        self.assertIn("<li>Explain the improvement ramp</li>", html)
        # The program has no coach training sessions: the page says so.
        self.assertIn("No sessions are planned yet.", html)

    def test_the_stage_guide_shows_purpose_steps_tips_example_and_worksheets(self):
        html = self.client.get(self.stage_guide.url).content.decode()
        for heading in ("Purpose", "Steps", "Tips", "Worked example", "Worksheets"):
            self.assertIn(f">{heading}</h2>", html)
        steps = html[html.index('<ol class="steps">') :]
        self.assertLess(steps.index("Choose start and end"), steps.index("Walk the process"))

    def test_the_news_index_lists_live_articles_only(self):
        add_page(
            self.news_index,
            NewsArticlePage(title="Second news", slug="second", date=datetime.date(2026, 2, 1)),
        )
        draft = NewsArticlePage(title="Draft news", slug="draft", live=False)
        self.news_index.add_child(instance=draft)
        html = self.client.get(self.news_index.url).content.decode()
        self.assertIn("Twelve teams started", html)
        self.assertNotIn("Draft news", html)
        self.assertLess(html.index("Second news"), html.index("Twelve teams started"))
        self.assertIn('<time datetime="2026-01-20">', html)

    def test_the_accessibility_statement_follows_digg_model(self):
        html = self.client.get(self.statement.url).content.decode()
        headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
        self.assertEqual(
            headings,
            [
                "How accessible is the website?",
                "What can you do if you cannot use parts of the website?",
                "Report problems with the website's accessibility",
                "Enforcement",
                "Technical information about the website's accessibility",
                "Content that is not accessible",
                "How we tested the website",
            ],
        )
        self.assertIn("partially compliant", html)
        self.assertIn("<h3>Lack of compliance with the law</h3>", html)
        self.assertIn("<h3>Content not covered by the law</h3>", html)
        self.assertNotIn("<h3>Disproportionate burden</h3>", html)
        self.assertIn('href="https://www.digg.se/tdosanmalan"', html)
        self.assertIn('<time datetime="2026-02-02">', html)


class AdminPageCreationTests(WagtailPageTestCase):
    """Editors create each page type through the admin; bad input gets a clear message."""

    @staticmethod
    def create_test_user():
        user = WagtailPageTestCase.create_test_user()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        return user

    def setUp(self):
        self.home = english_home()
        self.login()
        self.program = make_program()

    def add_url(self, model, parent):
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    def post_page(self, model, parent, data):
        data.setdefault("slug", re.sub(r"[^a-z0-9]+", "-", data["title"].lower()).strip("-"))
        data["action-publish"] = "action-publish"
        return self.client.post(self.add_url(model, parent), nested_form_data(data))

    def body(self, *blocks):
        return streamfield(list(blocks))

    def test_the_add_form_of_every_section_page_type_opens_with_its_help_texts(self):
        for model in SECTION_PAGE_TYPES:
            with self.subTest(model=model.__name__):
                response = self.client.get(self.add_url(model, self.home))
                self.assertEqual(response.status_code, 200)
        response = self.client.get(self.add_url(ProgramPage, self.home))
        self.assertContains(response, "The cohort this page presents.")
        # The program is picked with the snippet chooser, not a bare drop-down.
        self.assertContains(response, "Choose program")

    def test_an_editor_creates_a_program_page_with_body_and_contacts(self):
        self.assertCanCreate(
            self.home,
            ProgramPage,
            nested_form_data(
                {
                    "title": "Program 2026",
                    "program": self.program.pk,
                    "intro": "Twelve teams.",
                    "body": self.body(
                        ("heading", {"text": "About", "level": "2"}),
                        ("rich_text", rich_text("<p>Welcome.</p>")),
                    ),
                    "contacts": streamfield(
                        [
                            (
                                "contact",
                                {
                                    "name": "Anna",
                                    "role": "",
                                    "organisation": "",
                                    "email": "anna@example.org",
                                    "phone": "",
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        page = ProgramPage.objects.get()
        self.assertEqual(page.program, self.program)
        self.assertEqual(page.body[0].value["text"], "About")
        self.assertTrue(page.live)

    def test_an_editor_creates_a_learning_session_page_with_agenda_and_materials(self):
        program_page = add_page(self.home, ProgramPage(title="P", slug="p", program=self.program))
        session = make_session(self.program)
        document = make_document()
        self.assertCanCreate(
            program_page,
            LearningSessionPage,
            nested_form_data(
                {
                    "title": "Session 1",
                    "learning_session": session.pk,
                    "intro": "",
                    "agenda": streamfield(
                        [
                            (
                                "item",
                                {
                                    "starts": "09:00",
                                    "ends": "09:30",
                                    "item": "Coffee",
                                    "details": "",
                                },
                            ),
                            (
                                "item",
                                {
                                    "starts": "09:30",
                                    "ends": "",
                                    "item": "Teams work",
                                    "details": "",
                                },
                            ),
                        ]
                    ),
                    "pre_work": rich_text("<p>Bring notes.</p>"),
                    "materials": streamfield(
                        [
                            (
                                "document",
                                {"document": document.pk, "link_text": "", "description": ""},
                            )
                        ]
                    ),
                    "body": streamfield([]),
                }
            ),
        )
        page = LearningSessionPage.objects.get()
        self.assertEqual(page.learning_session, session)
        self.assertEqual([row.value["item"] for row in page.agenda], ["Coffee", "Teams work"])

    def test_an_editor_creates_the_other_page_types(self):
        document = make_document()
        cases = [
            (
                self.home,
                StageGuidePage,
                {
                    "title": "Process map",
                    "purpose": "See the process.",
                    "steps": streamfield(
                        [("step", {"title": "Start", "text": rich_text("<p>Go.</p>")})]
                    ),
                    "tips": streamfield([("tip", rich_text("<p>Sticky notes.</p>"))]),
                    "worked_example": streamfield([]),
                    "worksheets": streamfield(
                        [
                            (
                                "document",
                                {"document": document.pk, "link_text": "", "description": ""},
                            )
                        ]
                    ),
                },
            ),
            (
                self.home,
                CoachTrainingPage,
                {
                    "title": "Coach training",
                    "program": "",
                    "intro": "",
                    "curriculum": streamfield([]),
                    "modules": streamfield(
                        [
                            (
                                "module",
                                {
                                    "title": "Module 1",
                                    "summary": "The coach role.",
                                    "goals": streamfield([("item", "Explain the ramp")]),
                                    "content": rich_text(""),
                                    "materials": streamfield([]),
                                },
                            )
                        ]
                    ),
                },
            ),
            (
                self.home,
                CoachNetworkPage,
                {"title": "Network", "program": "", "intro": "", "body": streamfield([])},
            ),
            (self.home, NewsIndexPage, {"title": "News", "intro": ""}),
            (self.home, StandardPage, {"title": "About", "intro": "", "body": streamfield([])}),
            (
                self.home,
                AccessibilityStatementPage,
                {
                    "title": "Accessibility",
                    "organisation": "Famna",
                    "compliance_status": "full",
                    "known_problems": streamfield([]),
                    "alternative_access": rich_text(""),
                    "contact_email": "a11y@example.org",
                    "contact_phone": "",
                    "response_time": "",
                    "enforcement_url": "https://www.digg.se/tdosanmalan",
                    "testing_method": rich_text("<p>Self-assessment.</p>"),
                    "last_tested_on": "2026-02-01",
                    "published_on": "",
                    "statement_updated_on": "2026-02-02",
                },
            ),
        ]
        for parent, model, data in cases:
            with self.subTest(model=model.__name__):
                self.assertCanCreate(parent, model, nested_form_data(data))
                self.assertTrue(model.objects.get().live)
        index = NewsIndexPage.objects.get()
        self.assertCanCreate(
            index,
            NewsArticlePage,
            nested_form_data(
                {"title": "Started", "date": "2026-01-20", "intro": "", "body": streamfield([])}
            ),
        )

    def assertBlockError(self, response, field, message):
        """The page was not saved and the form reports ``message`` on ``field``."""
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn(field, form.errors)
        with translation.override("en"):  # lazy messages, read after the request has ended
            flat = str(form.errors[field].as_data()[0].as_json_data())
        self.assertIn(message, flat)
        # The editor sees it: the block errors travel to the StreamField widget as JSON.
        self.assertIn(message, html.unescape(response.content.decode()))

    def test_a_non_decorative_image_without_alt_text_is_refused(self):
        image = make_image()
        response = self.post_page(
            StandardPage,
            self.home,
            {
                "title": "About",
                "intro": "",
                "body": self.body(("image", {"image": image.pk, "alt_text": "", "caption": ""})),
            },
        )
        self.assertBlockError(response, "body", "Write an alt text that describes the image")
        self.assertFalse(StandardPage.objects.exists())

    def test_a_decorative_image_without_alt_text_is_accepted(self):
        image = make_image()
        response = self.post_page(
            StandardPage,
            self.home,
            {
                "title": "About",
                "intro": "",
                "body": self.body(
                    (
                        "image",
                        {"image": image.pk, "decorative": "on", "alt_text": "", "caption": ""},
                    )
                ),
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(StandardPage.objects.get().body[0].value["decorative"])

    def test_a_video_from_a_tracking_service_is_refused(self):
        response = self.post_page(
            StandardPage,
            self.home,
            {
                "title": "About",
                "intro": "",
                "body": self.body(
                    (
                        "video",
                        {
                            "url": "https://www.dailymotion.com/video/x7tgad0",
                            "title": "Film",
                            "transcript_url": "",
                            "caption": "",
                        },
                    )
                ),
            },
        )
        self.assertBlockError(response, "body", "Use the address of a YouTube or Vimeo video")
        self.assertFalse(StandardPage.objects.exists())

    def test_an_agenda_item_ending_before_it_starts_is_refused(self):
        program_page = add_page(self.home, ProgramPage(title="P", slug="p", program=self.program))
        response = self.post_page(
            LearningSessionPage,
            program_page,
            {
                "title": "Session",
                "learning_session": make_session(self.program).pk,
                "intro": "",
                "agenda": streamfield(
                    [("item", {"starts": "10:00", "ends": "09:00", "item": "Fika", "details": ""})]
                ),
                "pre_work": rich_text(""),
                "materials": streamfield([]),
                "body": streamfield([]),
            },
        )
        self.assertBlockError(response, "agenda", "The item must end after it starts.")
        self.assertFalse(LearningSessionPage.objects.exists())

    def test_a_statement_that_is_not_fully_compliant_must_list_known_problems(self):
        response = self.post_page(
            AccessibilityStatementPage,
            self.home,
            {
                "title": "Accessibility",
                "organisation": "Famna",
                "compliance_status": "partial",
                "known_problems": streamfield([]),
                "alternative_access": rich_text(""),
                "contact_email": "a11y@example.org",
                "contact_phone": "",
                "response_time": "",
                "enforcement_url": "https://www.digg.se/tdosanmalan",
                "testing_method": rich_text("<p>Self-assessment.</p>"),
                "last_tested_on": "2026-02-01",
                "published_on": "",
                "statement_updated_on": "2026-02-02",
            },
        )
        self.assertEqual(response.status_code, 200)
        with translation.override("en"):  # lazy messages, read after the request has ended
            self.assertIn("List the known problems", str(response.context["form"].errors))
        self.assertFalse(AccessibilityStatementPage.objects.exists())


@pytest.mark.django_db
def test_a_program_page_renders_50_sessions_with_the_same_queries_as_2(
    client, django_assert_num_queries
):
    """Listing sessions (and linking their pages) costs no query per session."""
    program = make_program()
    home = english_home()
    program_page = add_page(home, ProgramPage(title="Program", slug="program", program=program))
    now = timezone.now()

    def add_sessions(count, with_pages):
        sessions = LearningSession.objects.bulk_create(
            LearningSession(
                **session_data(
                    program,
                    starts_at=now + datetime.timedelta(days=day - count // 2),
                    ends_at=now + datetime.timedelta(days=day - count // 2, hours=6),
                )
            )
            for day in range(count)
        )
        for session in sessions[:with_pages]:
            add_page(
                program_page,
                LearningSessionPage(
                    title=session.title, slug=f"s{session.pk}", learning_session=session
                ),
            )

    add_sessions(2, with_pages=2)
    client.get(program_page.url)  # warm the caches a first visit fills
    with CaptureQueriesContext(connection) as small:
        response = client.get(program_page.url)
    # Read the count now: the next request resets the connection's query log.
    small_count = len(small)
    assert response.status_code == 200
    assert small_count > 5
    assert response.content.decode().count('class="session-list__item"') == 2

    add_sessions(48, with_pages=8)
    client.get(program_page.url)
    with django_assert_num_queries(small_count):
        response = client.get(program_page.url)
    html = response.content.decode()
    assert html.count('class="session-list__item"') == 50
    assert html.count('<h3 class="session-list__title"><a href=') == 10


@pytest.mark.django_db
def test_a_program_page_lists_100_teams_with_the_same_queries_as_3(
    client, django_assert_num_queries
):
    """The teams taking part, with their organisations, cost no query per team."""
    from forum_workflows.models import Organisation, Team

    program = make_program()
    program_page = add_page(
        english_home(), ProgramPage(title="Program", slug="program", program=program)
    )

    def add_teams(start, count):
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Organisation {number}") for number in range(start, start + count)
        )
        Team.objects.bulk_create(
            Team(program=program, organisation=organisation, name=f"Team {organisation.name}")
            for organisation in organisations
        )

    add_teams(0, 3)
    client.get(program_page.url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(program_page.url)
    small_count = len(small)
    assert response.content.decode().count("(Organisation ") == 3

    add_teams(3, 97)
    Team.objects.create(
        program=program,
        organisation=Organisation.objects.first(),
        name="Har lämnat",
        status=Team.Status.LEFT,
    )
    client.get(program_page.url)
    with django_assert_num_queries(small_count):
        response = client.get(program_page.url)
    html = response.content.decode()
    assert html.count("(Organisation ") == 100
    assert "Har lämnat" not in html
