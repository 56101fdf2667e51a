"""Demo content for the program site: one cohort, its sessions, and a page of each type.

Called by the host's ``load_demo_data`` command. Idempotent: what exists is left alone.
Swedish first; the English pages are translations of the Swedish ones.
"""

import datetime
import json
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction
from wagtail.models import Locale

from forum_workflows.models import (
    AccessibilityStatementPage,
    CoachNetworkPage,
    CoachTrainingPage,
    LearningSession,
    LearningSessionPage,
    MembersOnlyArea,
    NewsArticlePage,
    NewsIndexPage,
    Program,
    ProgramPage,
    StandardPage,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
KIND = LearningSession.Kind


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def _text(*paragraphs):
    return [("rich_text", "".join(f"<p>{p}</p>" for p in paragraphs))]


SPÅRVAGNSHALLARNA = "Konferens Spårvagnshallarna, Birger Jarlsgatan 57, Stockholm"
FOLKETS_HUS = "Folkets hus, Barnhusgatan 12, Stockholm"
ONLINE = "https://meet.example.org/"

SESSIONS = [
    # title, kind, day, start hour, end hour, place, online link
    ("Lärandeseminarium 1: Känn din verksamhet", KIND.TEAM_LEARNING_SESSION,
     datetime.date(2026, 3, 12), 9, 16, SPÅRVAGNSHALLARNA, ""),
    ("Lärandeseminarium 2: Processkartor och mått", KIND.TEAM_LEARNING_SESSION,
     datetime.date(2026, 9, 17), 9, 16, SPÅRVAGNSHALLARNA, ""),
    ("Lärandeseminarium 3: PGSA-cykler i vardagen", KIND.TEAM_LEARNING_SESSION,
     datetime.date(2027, 1, 21), 9, 16, FOLKETS_HUS, ONLINE + "vardeforum-ls3"),
    ("Lärandeseminarium 4: Sprida och hålla i", KIND.TEAM_LEARNING_SESSION,
     datetime.date(2027, 4, 15), 9, 16, FOLKETS_HUS, ""),
    ("Coachutbildning dag 1", KIND.COACH_TRAINING_SESSION,
     datetime.date(2026, 2, 19), 9, 15, "", ONLINE + "coachutbildning"),
    ("Coachutbildning dag 2", KIND.COACH_TRAINING_SESSION,
     datetime.date(2027, 2, 11), 9, 15, "", ONLINE + "coachutbildning"),
    ("Coachnätverket: erfarenhetsutbyte", KIND.NETWORK_MEETING,
     datetime.date(2027, 3, 4), 13, 16, "", ONLINE + "coachnatverket"),
]  # fmt: skip


@transaction.atomic
def load_program_demo(homes):
    """Create the demo cohort and its pages under the Swedish and English home pages."""
    program, _created = Program.objects.get_or_create(
        slug="vardeforum-2026",
        defaults={
            "name": "Värdeforum 2026",
            "starts_on": datetime.date(2026, 2, 1),
            "ends_on": datetime.date(2027, 6, 30),
            "description": "Första omgången: 31 förbättringsteam från idéburna vård- och "
            "omsorgsgivare.",
        },
    )
    sessions = {}
    for title, kind, day, start, end, place, link in SESSIONS:
        sessions[title], _created = LearningSession.objects.get_or_create(
            program=program,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": _at(day, start),
                "ends_at": _at(day, end),
                "place": place,
                "online_url": link,
            },
        )
    sv_home, en_home = homes["sv"], homes["en"]
    program_page = _program_pages(sv_home, en_home, program, sessions)
    _materials(program_page, program)
    _coach_pages(sv_home, en_home, program)
    _news(sv_home, en_home)
    _about(sv_home)
    return _accessibility_statement(sv_home, en_home)


def _child(parent, slug):
    return parent.get_children().filter(slug=slug).specific().first()


def _add(parent, page):
    """Add ``page`` under ``parent`` unless a page with its slug is there already; publish it."""
    existing = _child(parent, page.slug)
    if existing is not None:
        return existing
    page.locale = parent.locale
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page, parent, **fields):
    """The English translation of a Swedish page, made once, with its English texts."""
    english = Locale.objects.get(language_code="en")
    existing = page.get_translation_or_none(english)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(english, copy_parents=False)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


def _program_pages(sv_home, en_home, program, sessions):
    contacts = [
        (
            "contact",
            {
                "name": "Maria Lindqvist",
                "role": "Programledare",
                "organisation": "Värdeforum",
                "email": "maria.lindqvist@example.org",
                "phone": "08-123 45 60",
            },
        )
    ]
    program_page = _add(
        sv_home,
        ProgramPage(
            title="Värdeforum 2026",
            slug="program-2026",
            show_in_menus=True,
            program=program,
            intro="Under ett och ett halvt år arbetar förbättringsteam med ett eget "
            "förbättringsarbete, steg för steg, med stöd av en förbättringscoach.",
            body=_text(
                "Teamen träffas på fyra lärandeseminarier. Mellan seminarierna arbetar de i "
                "sin egen verksamhet och testar förändringar i små PGSA-cykler.",
                "Varje team har en förbättringscoach från den egna organisationen.",
            ),
            contacts=contacts,
        ),
    )
    _translate(
        program_page,
        en_home,
        title="Forum for Values 2026",
        slug="program-2026",
        intro="For eighteen months, improvement teams work on their own improvement project, "
        "step by step, supported by an improvement coach.",
        body=_text(
            "Teams meet at four learning sessions. Between sessions they work in their own "
            "service and test changes in small PDSA cycles."
        ),
    )
    session = sessions["Lärandeseminarium 3: PGSA-cykler i vardagen"]
    _add(
        program_page,
        LearningSessionPage(
            title=session.title,
            slug="larandeseminarium-3",
            learning_session=session,
            intro="Vi provar förändringsidéer i små cykler och lär av varandras resultat.",
            agenda=[
                (
                    "item",
                    {
                        "starts": "09:00",
                        "ends": "09:30",
                        "item": "Kaffe och registrering",
                        "details": "",
                    },
                ),
                (
                    "item",
                    {
                        "starts": "09:30",
                        "ends": "11:00",
                        "item": "PGSA-cykler: planera, göra, studera, agera",
                        "details": "Föreläsning och övning i team.",
                    },
                ),
                (
                    "item",
                    {
                        "starts": "11:00",
                        "ends": "12:00",
                        "item": "Teamen berättar: vad har vi testat?",
                        "details": "",
                    },
                ),
                ("item", {"starts": "12:00", "ends": "13:00", "item": "Lunch", "details": ""}),
                (
                    "item",
                    {
                        "starts": "13:00",
                        "ends": "15:30",
                        "item": "Arbete i team med coach",
                        "details": "Planera nästa cykel.",
                    },
                ),
                (
                    "item",
                    {"starts": "15:30", "ends": "16:00", "item": "Sammanfattning", "details": ""},
                ),
            ],
            pre_work="<p>Ta med teamets seriediagram och en förändringsidé ni vill testa.</p>",
        ),
    )
    return program_page


def _materials(program_page, program):
    """Session materials only the program's people may open (a members-only area)."""
    page = _add(
        program_page,
        StandardPage(
            title="Material för deltagare",
            slug="material",
            intro="Presentationer och arbetsblad från lärandeseminarierna. Bara för programmets "
            "team, coacher och utvecklingsledare.",
        ),
    )
    _translate(
        page,
        None,
        title="Materials for participants",
        slug="materials",
        intro="Slides and worksheets from the learning sessions. Only for the program's teams, "
        "coaches and faculty.",
    )
    MembersOnlyArea.objects.get_or_create(page=page, defaults={"program": program})


def _coach_pages(sv_home, en_home, program):
    training = _add(
        sv_home,
        CoachTrainingPage(
            title="Coachutbildning",
            slug="coachutbildning",
            show_in_menus=True,
            program=program,
            intro="Förbättringscoacher stöttar sina team genom hela programmet.",
            curriculum=_text(
                "Utbildningen pågår under programmet och avslutas med en reflektion. "
                "Den som har gått hela utbildningen får ett intyg."
            ),
            modules=[
                (
                    "module",
                    {
                        "title": "Coachens roll",
                        "summary": "Vad en förbättringscoach gör och inte gör.",
                        "goals": ["Förstå coachens uppdrag", "Planera det första teammötet"],
                        "content": "",
                        "materials": [],
                    },
                ),
                (
                    "module",
                    {
                        "title": "Mäta för förbättring",
                        "summary": "Seriediagram och hur man läser dem.",
                        "goals": ["Rita ett seriediagram", "Känna igen en trend"],
                        "content": "",
                        "materials": [],
                    },
                ),
            ],
        ),
    )
    _translate(
        training,
        en_home,
        title="Coach training",
        slug="coach-training",
        intro="Improvement coaches support their teams throughout the program.",
    )
    _add(
        sv_home,
        CoachNetworkPage(
            title="Coachnätverket",
            slug="coachnatverket",
            show_in_menus=True,
            intro="Efter programmet fortsätter coacherna att träffas och lära av varandra.",
        ),
    )


def _news(sv_home, en_home):
    news = _add(
        sv_home,
        NewsIndexPage(title="Nyheter", slug="nyheter", show_in_menus=True, intro=""),
    )
    _add(
        news,
        NewsArticlePage(
            title="31 team började i Värdeforum",
            slug="31-team-borjade",
            date=datetime.date(2026, 3, 13),
            intro="Det första lärandeseminariet samlade över 200 medarbetare.",
            body=_text("Teamen kommer från äldreomsorg, hemtjänst, LSS och missbruksvård."),
        ),
    )
    _add(
        news,
        NewsArticlePage(
            title="Anmälan till coachnätverket är öppen",
            slug="anmalan-coachnatverket",
            date=datetime.date(2026, 10, 1),
            intro="Alla som har gått coachutbildningen är välkomna.",
            body=_text("Nätverket träffas på distans fyra gånger per år."),
        ),
    )
    _translate(news, en_home, title="News", slug="news")


def _about(sv_home):
    image, document = _demo_media()
    blocks = [
        ("heading", {"text": "Så arbetar vi", "level": "2"}),
        ("rich_text", "<p>Metoden bygger på Dartmouth Microsystem Improvement Curriculum och "
                      "genombrottsmetoden.</p>"),
        ("image", {"image": image.pk, "decorative": False,
                   "alt_text": "Ett förbättringsteam samlat kring ett seriediagram.",
                   "caption": "Teamet följer sitt mått varje vecka."}),
        ("callout", {"kind": "tip", "title": "",
                     "text": "<p>Börja smått: testa en förändring med en brukare.</p>"}),
        ("quote", {"quote": "Vi ser nu varje vecka om det vi ändrar gör skillnad.",
                   "attribution": "Undersköterska, team Solrosen"}),
        ("document", {"document": document.pk, "link_text": "", "description": ""}),
        ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                   "title": "Vad är en PGSA-cykel?", "has_captions": True,
                   "transcript_url": "", "caption": ""}),
        ("accordion", {"heading": "Vanliga frågor", "items": _list_items([
            {"question": "Vem kan delta?",
             "answer": "<p>Team från idéburna vård- och omsorgsgivare.</p>"},
            {"question": "Vad kostar det?", "answer": "<p>Medlemmar deltar utan avgift.</p>"},
        ])}),
        ("table", {
            "caption": "Deltagande team per verksamhet",
            "columns": [{"type": "text", "heading": "Verksamhet"},
                        {"type": "number", "heading": "Team"}],
            "rows": [{"values": ["Äldreomsorg", "14"]}, {"values": ["LSS", "9"]},
                     {"values": ["Missbruksvård", "8"]}],
        }),
    ]  # fmt: skip
    _add(
        sv_home,
        StandardPage(
            title="Om Värdeforum",
            slug="om",
            show_in_menus=True,
            intro="Värdeforum drivs av idéburna vård- och omsorgsgivare tillsammans med ett "
            "regionalt förbättringscentrum.",
            # Raw (JSON) stream data: chooser blocks take ids here, not objects.
            body=json.dumps([{"type": kind, "value": value} for kind, value in blocks]),
        ),
    )


def _list_items(values):
    """Raw ListBlock items in Wagtail's block format, with the ids wagtail-localize keys on."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _demo_media():
    """A picture and a worksheet for the demo, made here so no binary file is shipped."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    image = Image.objects.filter(title="Demo: förbättringsteam").first()
    if image is None:
        buffer = BytesIO()
        PillowImage.new("RGB", (800, 450), (0, 89, 79)).save(buffer, format="PNG")
        image = Image.objects.create(
            title="Demo: förbättringsteam", file=ImageFile(buffer, name="demo-team.png")
        )
    document = Document.objects.filter(title="Arbetsblad: processkarta").first()
    if document is None:
        document = Document(title="Arbetsblad: processkarta")
        document.file.save(
            "arbetsblad-processkarta.txt",
            ContentFile("Rita processen från start till slut.\n".encode()),
            save=False,
        )
        document.file_size = document.file.size
        document.save()
    return image, document


def _accessibility_statement(sv_home, en_home):
    statement = _add(
        sv_home,
        AccessibilityStatementPage(
            title="Tillgänglighetsredogörelse",
            slug="tillganglighet",
            organisation="Värdeforum",
            compliance_status=AccessibilityStatementPage.ComplianceStatus.PARTIAL,
            known_problems=[
                (
                    "problem",
                    {
                        "reason": "non_compliance",
                        "description": "Några äldre filmer saknar undertexter.",
                        "criterion": "1.2.2 Undertexter (förinspelade)",
                        "planned_fix": "Juni 2027",
                    },
                )
            ],
            contact_email="tillganglighet@example.org",
            testing_method="<p>Vi har testat webbplatsen med axe-core och med skärmläsare.</p>",
            last_tested_on=datetime.date(2026, 11, 1),
            statement_updated_on=datetime.date(2026, 11, 2),
        ),
    )
    _translate(statement, en_home, title="Accessibility statement", slug="accessibility")
    return statement
