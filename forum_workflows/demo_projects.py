"""Demo improvement projects on the improvement ramp, built through ``transitions`` only.

Called by the host's ``load_demo_data`` after the people demo (``demo_people``), with the demo
logins by role. It installs the improvement ramp's content pack, puts the demo programs on its
latest workflow version and runs two teams' projects the way teams, coaches and programme
managers would, so that every stage state shows somewhere:

- Hemtjänsten Södermalm (the demo member's team), far along with "Morgonbesök i tid": most
  stages approved, the self-rating waived, measurements added twice after approval, two PDSA
  cycles (adapt, then adopt) and a third in draft, the process map reopened by the programme
  manager, and the playbook submitted and waiting for the coach;
- Boendet på Ersta, early with "Färre fall": its global aim sent back by the coach with a
  comment on one field, the optional self-rating still open, later stages locked.

The team of the second program (which has not started yet) gets no project.

Idempotent: a team that already has a project is left alone. The texts are what a care team
would write; they name staff of the demo, never a client.
"""

import uuid

from django.db.models import Max
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from forms.builder import DRAFT, SUBMIT, AnswerForm
from forms.models import AnswerSet

from . import transitions
from .content_pack import install_pack
from .models import Membership, Notification, Program, ProjectWorkflow, StageState, Team

RAMP = "forbattringsrampen"
PROGRAMS = ("vardeforum-2026", "vardeforum-2027")
HOME_CARE = "Hemtjänsten Södermalm"
RESIDENTIAL_CARE = "Boendet på Ersta"


def load_projects_demo(logins):
    """``logins`` maps a role ("member", "coach", "manager", ...) to a user."""
    install_pack()
    ramp = ProjectWorkflow.objects.get(slug=RAMP)
    for program in Program.objects.filter(slug__in=PROGRAMS, workflow_version=None):
        program.workflow_version = ramp.latest_version
        program.save(update_fields=["workflow_version"])
    already_queued = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    for name, build in ((HOME_CARE, _home_care), (RESIDENTIAL_CARE, _residential_care)):
        team = (
            Team.objects.select_related("program__workflow_version")
            .filter(program__slug=PROGRAMS[0], name=name)
            .first()
        )
        # Left alone: a team with a project, and one whose program was put on another workflow.
        if (
            team is not None
            and not team.projects.exists()
            and team.program.workflow_version.workflow_id == ramp.pk
        ):
            build(team, logins)
    # The demo's history is made up in a second: nobody is told about it. Marked as sent before
    # the commit, the news is never mailed (notifications claim unsent rows only).
    Notification.objects.filter(pk__gt=already_queued).update(sent_at=timezone.now())


# Running a project through the transitions ----------------------------------------------------


def _id(name):
    """A row id that stays the same between answer versions (and between demo runs)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://vardeforum.example.org/demo/{name}").hex


def _post(values, prefix=""):
    """``values`` as the stage's form posts them: a group is a list of row dicts (a row's
    ``id`` is made up unless given), a multiple choice a list of values."""
    data = MultiValueDict()
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                row_name = f"{name}-{index}-"
                data[f"{row_name}id"] = row.get("id") or uuid.uuid4().hex
                fields = {field: given for field, given in row.items() if field != "id"}
                for field, posted in _post(fields, row_name).lists():
                    data.setlist(field, posted)
        elif isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        else:
            data[name] = str(value)
    return data


class _Run:
    """One team's project, moved on step by step, each step by the person who would take it."""

    def __init__(self, project):
        self.project = project

    def state(self, key, cycle=1):
        return StageState.objects.select_related(
            "project__team__program", "project__workflow_version"
        ).get(project=self.project, stage_key=key, cycle=cycle)

    def _form(self, state, values, mode):
        form = AnswerForm(
            transitions.form_version_of(state).schema,
            language="sv",
            mode=mode,
            data=_post(values),
            files=MultiValueDict(),
            choice_context=state,
        )
        if not form.is_valid():
            raise ValueError(f"Demo answers for {state.stage_key}: {form.errors.as_json()}")
        return form

    @staticmethod
    def _revision(state):
        return AnswerSet.objects.values_list("draft_revision", flat=True).get(
            pk=state.answer_set_id
        )

    def draft(self, key, user, values, cycle=1):
        state = self.state(key, cycle)
        form = self._form(state, values, DRAFT)
        transitions.save_draft(state, user, form, expected_revision=self._revision(state))

    def submit(self, key, user, values, cycle=1):
        """Submit the stage; in an approved continuing stage this adds the new data."""
        state = self.state(key, cycle)
        form = self._form(state, values, SUBMIT)
        transitions.submit_stage(state, user, form, expected_revision=self._revision(state))

    def approve(self, key, user, comment=""):
        transitions.approve_stage(self.state(key), user, comment=comment)

    def request_changes(self, key, user, comment, field_key=""):
        transitions.request_changes(self.state(key), user, comment=comment, field_key=field_key)

    def comment(self, key, user, body, field_key="", cycle=1):
        transitions.add_comment(self.state(key, cycle), user, body=body, field_key=field_key)

    def waive(self, key, user, reason):
        transitions.waive_stage(self.state(key), user, reason=reason)

    def reopen(self, key, user, reason):
        transitions.reopen_stage(self.state(key), user, reason=reason)

    def start_cycle(self, key, user):
        return transitions.start_cycle(self.project, key, user).cycle


def _people(team, role):
    return [
        membership.user for membership in team.memberships.filter(role=role).select_related("user")
    ]


# Hemtjänsten Södermalm: punctual morning visits, far along ------------------------------------

KEY_CABINET = _id("hemtjansten/idea/nyckelskap")
LOCKED_ROUTES = _id("hemtjansten/idea/ruttplan")
ON_TIME = _id("hemtjansten/measure/i-tid")
OVERTIME = _id("hemtjansten/measure/overtid")

HOME_LEAD_TEAM = {
    "team_lead": "Lars Lagledare",
    "coach": "Camilla Coach",
    "members": [
        {"member_name": "Lars Lagledare", "member_role": "Enhetschef",
         "member_represents": "Ledningen och schemaläggningen"},
        {"member_name": "Tove Teammedlem", "member_role": "Undersköterska",
         "member_represents": "Morgonturen i område Hornstull"},
        {"member_name": "Maria Medlem", "member_role": "Undersköterska",
         "member_represents": "Kvällsturen och nattpatrullen"},
    ],
    "meeting_frequency": "weekly",
    "meeting_when": "Tisdagar 13.00–13.45 i personalrummet på Hornsgatan",
    "meeting_minutes": 45,
    "role_leader": "Lars Lagledare",
    "role_facilitator": "Camilla Coach de första mötena, sedan Tove Teammedlem",
    "role_timekeeper": "Maria Medlem",
    "role_recorder": "Tove Teammedlem",
    "role_rotation": "Tidhållare och sekreterare byter varje månad. Mötesledaren är fast under "
    "hösten.",
    "first_meeting_date": "2026-03-24",
    "meeting_aim": "Komma överens om hur vi arbetar tillsammans och vad vi vill förbättra först.",
    "agenda": [
        {"agenda_topic": "Incheckning: hur har veckan varit?", "agenda_minutes": 5,
         "agenda_method": "Laget runt"},
        {"agenda_topic": "Vad vet vi om våra morgonbesök?", "agenda_minutes": 20,
         "agenda_method": "Brainstorming"},
        {"agenda_topic": "Roller och mötesregler", "agenda_minutes": 15,
         "agenda_method": "Diskussion"},
        {"agenda_topic": "Plus och delta", "agenda_minutes": 5, "agenda_method": "Laget runt"},
    ],
    "action_items": [
        {"action_what": "Ta fram besöksstatistik för februari ur planeringssystemet",
         "action_who": "Lars Lagledare", "action_due": "2026-03-31"},
        {"action_what": "Fråga kollegorna på morgonturen vad som gör att besök blir sena",
         "action_who": "Tove Teammedlem", "action_due": "2026-03-31"},
    ],
    "parking_lot": [{"parked_issue": "Parkeringen för hemtjänstbilarna vid kontoret"}],
    "plus_items": [{"plus_item": "Alla kom i tid och alla fick säga sitt"}],
    "delta_items": [{"delta_item": "Skicka dagordningen dagen före"}],
}  # fmt: skip

HOME_5P = {
    "purpose": "Vår enhet finns till för att äldre personer på Södermalm ska kunna bo kvar "
    "hemma tryggt och leva det liv de vill, med stöd när de behöver det.",
    "clients_who": "Omkring 140 brukare med beviljade insatser, de flesta över 80 år. Många "
    "bor ensamma och en del har en demenssjukdom.",
    "client_subgroups": [
        {"subgroup": "Brukare med insatser morgon och kväll", "subgroup_count": 85},
        {"subgroup": "Brukare med trygghetslarm och enstaka insatser", "subgroup_count": 40},
        {"subgroup": "Brukare som behöver två medarbetare vid besöket", "subgroup_count": 15},
    ],
    "client_needs": [
        {"need": "Hjälp med morgonrutiner, läkemedel och frukost vid en tid att lita på"},
        {"need": "Att känna igen personalen som kommer"},
        {"need": "Att få veta när ett besök blir sent"},
    ],
    "client_satisfaction_pct": "82",
    "client_satisfaction": "Brukarundersökningen 2025: 82 % är nöjda med hemtjänsten, men bara "
    "61 % tycker att personalen kommer på den tid som bestämts.",
    "staff_roles": [
        {"staff_role": "Undersköterska", "staff_count": 28, "staff_fte": "24,5"},
        {"staff_role": "Vårdbiträde", "staff_count": 9, "staff_fte": "7"},
        {"staff_role": "Samordnare", "staff_count": 2, "staff_fte": "2"},
        {"staff_role": "Enhetschef", "staff_count": 1, "staff_fte": "1"},
    ],
    "staff_morale": "3",
    "staff_morale_note": "Medarbetarenkäten: många upplever stress på morgonen, när flera "
    "besök ska göras inom samma timme.",
    "staff_skills": "Förflyttningsteknik, läkemedelsdelegering, bemötande vid demenssjukdom "
    "och planeringsappen.",
    "core_processes": [
        {"core_process": "Morgonbesök: hjälp att komma upp, hygien, frukost och läkemedel"},
        {"core_process": "Kvällsbesök och tillsyn"},
        {"core_process": "Larm"},
    ],
    "support_processes": [
        {"support_process": "Schema och ruttplanering"},
        {"support_process": "Nyckelhantering"},
        {"support_process": "Introduktion av nya medarbetare och vikarier"},
    ],
    "waits_failures": "Morgonbesöken börjar ofta sent: alla hämtar nycklar på kontoret samtidigt, "
    "och ruttplanen görs om samma morgon när någon är sjuk.",
    "communication": "Arbetsplatsträff en gång i månaden, kort avstämning varje morgon kl. "
    "06.45 och meddelanden i planeringsappen.",
    "metrics": [
        {"metric": "Andel besök som börjar i tid"},
        {"metric": "Kontinuitet: antal olika medarbetare per brukare och 14 dagar"},
        {"metric": "Sjukfrånvaro"},
    ],
    "outcomes": "Kontinuiteten är 14 medarbetare per brukare och 14 dagar; kommunens mål är 10.",
    "costs": "Omkring 60 timmar övertid i månaden, mest på morgonturen.",
    "strengths": "Erfarna medarbetare som känner brukarna väl, och en chef som är med i "
    "förbättringsarbetet.",
    "opportunities": "Morgonens planering och nyckelhantering, och att brukaren får veta när "
    "ett besök blir sent.",
}

HOME_THEME = {
    "theme": "Morgonbesök i tid",
    "rationale": "Brukarna säger att en tid att lita på är det viktigaste på morgonen, och "
    "medarbetarna tycker att morgonen är den mest stressiga delen av dagen.",
    "from_5p": ["clients", "professionals", "processes"],
    "findings": "Bara 61 % av brukarna tycker att vi kommer i tid. Mest övertid på morgonturen. "
    "Nyckelhämtningen på kontoret försenar starten.",
}

HOME_GLOBAL_AIM = {
    "process_to_improve": "planering och genomförande av morgonbesök (kl. 07–10) i hemtjänsten "
    "på Södermalm",
    "process_begins": "att samordnaren gör morgonens ruttplan dagen före",
    "process_ends": "att det sista morgonbesöket är gjort och dokumenterat",
    "expected_results": "att fler morgonbesök börjar på den tid som brukaren och vi har kommit "
    "överens om, att brukarna känner sig trygga och att morgonen blir lugnare för oss",
    "why_now": "brukarundersökningen visar att tiden är det brukarna är minst nöjda med, och vi "
    "får fler brukare i vår när ett annat område läggs ihop med vårt",
}


#: A week's morning visits: (Monday, visits on time, all visits, minutes of overtime).
WEEKS = [
    ("2026-08-17", 262, 421, 840), ("2026-08-24", 255, 418, 910),
    ("2026-08-31", 270, 425, 780), ("2026-09-07", 249, 416, 950),
    ("2026-09-14", 266, 422, 870), ("2026-09-21", 258, 419, 900),  # the baseline
    ("2026-09-28", 289, 420, 820), ("2026-10-05", 301, 424, 760),
    ("2026-10-12", 296, 417, 790),  # PDSA cycle 1
    ("2026-10-19", 338, 421, 640), ("2026-10-26", 352, 426, 610),
    ("2026-11-02", 361, 419, 580), ("2026-11-09", 366, 423, 600),  # PDSA cycle 2
]  # fmt: skip
BASELINE, AFTER_CYCLE_1, AFTER_CYCLE_2 = 6, 9, 13
CYCLE_NOTES = [
    {"id": _id("hemtjansten/note/1"), "note_period": "2026-09-28", "note_cycle": 1,
     "note_text": "PGSA 1 börjar: nyckelskåp vid bilarna för område Hornstull"},
    {"id": _id("hemtjansten/note/2"), "note_period": "2026-10-19", "note_cycle": 2,
     "note_text": "PGSA 2 börjar: alla nycklar i skåpet, kvällsturen lämnar tillbaka dem där"},
]  # fmt: skip


def _home_measurement(weeks, notes):
    """The measurement worksheet with the first ``weeks`` weeks of data."""
    return {
        "measures": [
            {
                "id": ON_TIME,
                "measure_name": "Morgonbesök i tid",
                "measure_type": "outcome",
                "operational_definition": "Ett morgonbesök är i tid när det börjar högst 15 "
                "minuter före eller efter den tid som står i genomförandeplanen. Besöket "
                "börjar när medarbetaren registrerar sin ankomst i planeringsappen.",
                "point_kind": "ratio",
                "numerator_definition": "Morgonbesök (kl. 07–10) under veckan som började i tid",
                "denominator_definition": "Alla morgonbesök som gjordes under veckan",
                "measure_unit": "%",
                "data_source": "Planeringsappens besöksrapport, hämtas på måndagar",
                "frequency": "weekly",
                "measure_owner": "Tove Teammedlem",
                "better_direction": "up",
                "goal": "90",
                "baseline_end": "2026-09-21",
                "points_ratio": [
                    {"period": week, "numerator": on_time, "denominator": visits}
                    for week, on_time, visits, _overtime in WEEKS[:weeks]
                ],
                "point_notes": notes,
            },
            {
                "id": OVERTIME,
                "measure_name": "Övertid på morgonturen",
                "measure_type": "balancing",
                "operational_definition": "Summan av de övertidsminuter som rapporterats för "
                "morgonpasset (kl. 06.45–11.00) under veckan.",
                "point_kind": "value",
                "measure_unit": "minuter",
                "data_source": "Tidrapporteringen",
                "frequency": "weekly",
                "measure_owner": "Lars Lagledare",
                "better_direction": "down",
                "points_value": [
                    {"period": week, "value": overtime}
                    for week, _on_time, _visits, overtime in WEEKS[:weeks]
                ],
            },
        ]
    }


HOME_PROCESS_MAP = {
    "process_name": "Morgonbesök, från ruttplan till dokumentation",
    "process_start": "Samordnaren gör ruttplanen dagen före",
    "process_end": "Det sista morgonbesöket är dokumenterat i appen",
    "steps": [
        {"step": "Ruttplanen görs dagen före", "step_who": "Samordnare", "step_kind": "action"},
        {"step": "Är någon sjuk? Då görs ruttplanen om", "step_who": "Samordnare",
         "step_kind": "decision", "step_note": "Händer i snitt tre morgnar i veckan"},
        {"step": "Morgonmöte kl. 06.45", "step_who": "Alla på morgonturen",
         "step_kind": "action"},
        {"step": "Nycklar hämtas på kontoret", "step_who": "Undersköterska",
         "step_kind": "wait", "step_note": "Kö vid nyckelskåpet, 5–15 minuter"},
        {"step": "Till första brukaren till fots eller på cykel", "step_who": "Undersköterska",
         "step_kind": "action"},
        {"step": "Besöket görs och ankomsten registreras", "step_who": "Undersköterska",
         "step_kind": "action"},
        {"step": "Besöket dokumenteras", "step_who": "Undersköterska", "step_kind": "action"},
    ],
    "observed_waste": "Väntan vid nyckelskåpet, dubbelarbete när ruttplanen görs om på morgonen "
    "och samtal till kontoret för att fråga om ändringar.",
    "observed_variation": "Det första besöket börjar mellan 07.05 och 07.50, beroende på hur "
    "många som hämtar nycklar samtidigt.",
}  # fmt: skip

HOME_FISHBONE = {
    "effect": "Morgonbesök börjar senare än den tid som brukaren och vi har kommit överens om.",
    "categories": [
        {"category": "Metoder", "causes": [
            {"cause": "Ruttplanen görs om på morgonen när någon är sjuk"},
            {"cause": "Ingen fast ordning för vilka besök som flyttas först"}]},
        {"category": "Medarbetare", "causes": [
            {"cause": "Vikarier hittar inte till brukarna"},
            {"cause": "Oklart vem som ringer brukaren när besöket blir sent"}]},
        {"category": "Material och utrustning", "causes": [
            {"cause": "Ett enda nyckelskåp, på kontoret"},
            {"cause": "Planeringsappen uppdateras långsamt"}]},
        {"category": "Miljö", "causes": [
            {"cause": "Lång väg från kontoret till första brukaren"},
            {"cause": "Halka och snö på vintern"}]},
        {"category": "Mätning", "causes": [
            {"cause": "Ankomsten registreras inte alltid"}]},
    ],
    "voters": 9,
    "prioritised_causes": [
        {"priority_cause": "Ett enda nyckelskåp, på kontoret", "votes": 7},
        {"priority_cause": "Ruttplanen görs om på morgonen när någon är sjuk", "votes": 6},
        {"priority_cause": "Oklart vem som ringer brukaren när besöket blir sent", "votes": 4},
    ],
    "check_causes": "I två veckor skriver vi upp hur lång tid nyckelhämtningen tar och hur "
    "många morgnar ruttplanen görs om.",
}  # fmt: skip


def _home_specific_aim(target_date, statement):
    return {
        "aim_statement": statement,
        "measure_name": "Andel morgonbesök som börjar i tid (±15 minuter)",
        "baseline_value": "62",
        "baseline_period": "Sex veckor, 17 augusti – 27 september 2026",
        "target_value": "90",
        "unit": "%",
        "target_date": target_date,
        "population": "Alla brukare som har morgonbesök (kl. 07–10) i område Södermalm.",
        "check_specific": "yes",
        "check_measurable": "yes",
        "check_time_bound": "yes",
        "check_feasible": "yes",
        "check_others_know": "yes",
        "check_comment": "Målet är högt, men vi tror på det när nycklarna och ruttplanen är "
        "lösta.",
    }


HOME_CHANGE_IDEAS = {
    "ideas": [
        {"id": KEY_CABINET, "idea": "Nyckelskåp vid bilarna",
         "idea_detail": "Ett skåp med kodlås för brukarnas nycklar i garaget där bilarna och "
         "cyklarna står, så att ingen behöver gå via kontoret.",
         "addresses_cause": "Ett enda nyckelskåp, på kontoret",
         "change_concept": "eliminate_waste", "idea_source": "team",
         "expected_impact": "4", "effort": "2", "idea_status": "testing"},
        {"id": LOCKED_ROUTES, "idea": "Ruttplanen låses kl. 15 dagen före",
         "idea_detail": "Samordnaren låser morgonens ruttplan dagen före. När någon är sjuk "
         "flyttas besök efter en fast prioriteringslista i stället för att planen görs om.",
         "addresses_cause": "Ruttplanen görs om på morgonen när någon är sjuk",
         "change_concept": "improve_flow", "idea_source": "peers",
         "expected_impact": "5", "effort": "3", "idea_status": "planned"},
        {"id": _id("hemtjansten/idea/sms"), "idea": "Sms till brukaren vid försening",
         "idea_detail": "Den som blir mer än 15 minuter sen skickar ett färdigt sms från appen.",
         "addresses_cause": "Oklart vem som ringer brukaren när besöket blir sent",
         "change_concept": "client_relationship", "idea_source": "literature",
         "expected_impact": "3", "effort": "2", "idea_status": "planned"},
        {"id": _id("hemtjansten/idea/slingor"), "idea": "Fasta morgonslingor för vikarier",
         "change_concept": "manage_variation", "idea_source": "peers",
         "expected_impact": "3", "effort": "4", "idea_status": "parked"},
    ],
    "first_tests": "Vi börjar med nyckelskåpet: det är lätt att pröva, och nyckelhämtningen "
    "fick flest röster i orsaksanalysen.",
}  # fmt: skip

HOME_ACTION_PLAN = {
    "tasks": [
        {"task_name": "Sätta upp nyckelskåp med kodlås i garaget", "task_owner": "Lars Lagledare",
         "task_start": "2026-09-21", "task_due": "2026-09-28", "task_status": "done"},
        {"task_name": "Skriva in koden och rutinen i vikariepärmen",
         "task_owner": "Tove Teammedlem", "task_due": "2026-10-16", "task_status": "done"},
        {"task_name": "Skriva en prioriteringslista för morgnar när någon är sjuk",
         "task_owner": "Lars Lagledare", "task_start": "2026-11-02", "task_due": "2026-12-04",
         "task_status": "in_progress"},
        {"task_name": "Ta fram ett färdigt sms för försenade besök", "task_owner": "Maria Medlem",
         "task_due": "2027-01-15", "task_status": "waiting",
         "task_depends_on": "Planeringsappens leverantör"},
    ]
}  # fmt: skip

HOME_PDSA_1 = {
    "cycle_number": 1,
    "objective": "Kommer vi i väg fortare till det första besöket när nycklarna finns vid "
    "bilarna?",
    "team_members": "Tove Teammedlem och Maria Medlem på morgonturen i område Hornstull",
    "start_date": "2026-09-28",
    "end_date": "2026-10-16",
    "change_idea": KEY_CABINET,
    "overall_aim": "90 % av morgonbesöken börjar i tid senast den 31 mars 2027",
    "plan_tasks": [
        {"plan_task": "Låna ett skåp med kodlås av fastighetsskötaren",
         "plan_who": "Lars Lagledare", "plan_when": "Vecka 39", "plan_where": "Garaget"},
        {"plan_task": "Flytta nycklarna för brukarna i område Hornstull",
         "plan_who": "Tove Teammedlem", "plan_when": "27 september", "plan_where": "Garaget"},
        {"plan_task": "Skriva upp tiden från morgonmötet till ankomsten hos första brukaren",
         "plan_who": "Alla på morgonturen", "plan_when": "Varje morgon"},
    ],
    "prediction": "Det första besöket börjar 10 minuter tidigare, och andelen besök i tid ökar "
    "till 70 %.",
    "plan_measures": "Minuter från morgonmötet till ankomsten hos första brukaren, och veckans "
    "andel besök i tid.",
    "how_we_know": "Mediantiden till det första besöket är kortare än 15 minuter.",
    "done_as_planned": "yes",
    "what_happened": "Skåpet sattes upp på måndagen och nycklarna för 22 brukare flyttades dit. "
    "Två medarbetare hade glömt koden första dagen.",
    "unplanned_observations": "Kvällsturen lämnade ibland nycklarna på kontoret av gammal vana.",
    "data_recorded": "yes",
    "results_vs_prediction": "Tiden till det första besöket minskade från 24 till 14 minuter "
    "(median). Andelen i tid ökade till 70 %, som vi trodde.",
    "matched_prediction": "yes",
    "learned": "Skåpet fungerar, men kvällsturen måste också lämna nycklarna där, och koden "
    "behöver finnas i introduktionen för vikarier.",
    "decision": "adapt",
    "next_cycle_changes": "Alla brukares nycklar i området flyttas till skåpet, kvällsturen "
    "lämnar tillbaka dem där och koden skrivs in i vikariepärmen.",
}  # fmt: skip

HOME_PDSA_2 = {
    "cycle_number": 2,
    "objective": "Håller förbättringen när alla nycklar i området finns i skåpet och "
    "kvällsturen lämnar tillbaka dem där?",
    "team_members": "Hela morgon- och kvällsturen",
    "start_date": "2026-10-19",
    "end_date": "2026-11-13",
    "change_idea": KEY_CABINET,
    "overall_aim": "90 % av morgonbesöken börjar i tid senast den 31 mars 2027",
    "plan_tasks": [
        {"plan_task": "Flytta resten av nycklarna till skåpet", "plan_who": "Maria Medlem",
         "plan_when": "16 oktober"},
        {"plan_task": "Påminnelse i appen till kvällsturen kl. 21", "plan_who": "Samordnaren",
         "plan_when": "Varje kväll"},
    ],
    "prediction": "Minst 80 % av morgonbesöken börjar i tid, och ingen nyckel saknas på "
    "morgonen.",
    "plan_measures": "Veckans andel besök i tid, och antal nycklar som saknas i skåpet kl. 06.45.",
    "done_as_planned": "yes",
    "what_happened": "Alla 64 nycklar i området finns nu i skåpet. Kvällsturen får en påminnelse "
    "i appen varje kväll.",
    "data_recorded": "yes",
    "results_vs_prediction": "80–87 % av besöken började i tid under de fyra veckorna. En nyckel "
    "saknades en morgon.",
    "matched_prediction": "yes",
    "learned": "Med skåpet är nyckelhämtningen inte längre ett problem. Nu är det ändringarna i "
    "ruttplanen som gör oss sena.",
    "decision": "adopt",
    "next_cycle_changes": "Nyckelskåpet blir rutin (SGSA). Nästa cykel prövar vi att låsa "
    "ruttplanen dagen före.",
}  # fmt: skip

HOME_PDSA_3_DRAFT = {
    "cycle_number": 3,
    "objective": "Blir morgonen lugnare om ruttplanen låses kl. 15 dagen före?",
    "start_date": "2026-11-30",
    "change_idea": LOCKED_ROUTES,
    "plan_tasks": [
        {"plan_task": "Skriva prioriteringslistan för morgnar när någon är sjuk",
         "plan_who": "Lars Lagledare", "plan_when": "Vecka 48"},
    ],
}  # fmt: skip

HOME_SDSA = {
    "standard_change_idea": KEY_CABINET,
    "standard_cycles": "PGSA 1 och 2",
    "standard_what": "Alla brukarnycklar i området förvaras i skåpet med kodlås i garaget. "
    "Nyckeln hämtas före passet och lämnas tillbaka efter det sista besöket.",
    "standard_who": "Alla på morgon- och kvällsturen, vikarier också.",
    "standard_when": "Vid varje pass. Kvällsturen får en påminnelse i appen kl. 21.",
    "standard_where": "Garaget på Hornsgatan",
    "staff_training": "Genomgång på arbetsplatsträffen i november; rutinen och koden finns i "
    "vikariepärmen.",
    "staff_informed": "Ett anslag vid skåpet och ett meddelande i appen.",
    "adherence_measure": "Samordnaren räknar varje morgon kl. 06.45 hur många nycklar som "
    "saknas i skåpet.",
    "study_findings": "Under två veckor saknades en nyckel en morgon. Rutinen följs.",
    "sdsa_decision": "keep",
    "sdsa_next_steps": "Vi följer upp saknade nycklar en gång i månaden på arbetsplatsträffen.",
}

HOME_PLAYBOOK = {
    "standard_process": "1. Efter morgonmötet hämtar var och en nycklarna till sina besök i "
    "skåpet i garaget.\n2. Ankomsten registreras i appen när besöket börjar.\n3. Efter det "
    "sista besöket lämnas nycklarna tillbaka i skåpet.\n4. Kvällsturen gör likadant och får en "
    "påminnelse kl. 21.\n5. Samordnaren kontrollerar skåpet kl. 06.45.",
    "role_cards": [
        {"card_role": "Undersköterska och vårdbiträde",
         "card_tasks": "Hämtar och lämnar nycklar i skåpet och registrerar ankomsten i appen."},
        {"card_role": "Samordnare",
         "card_tasks": "Kontrollerar skåpet kl. 06.45 och följer upp nycklar som saknas."},
        {"card_role": "Enhetschef",
         "card_tasks": "Följer måttet varje månad och tar upp det på arbetsplatsträffen."},
    ],
    "orientation_notes": "Koden till skåpet och rutinen finns i vikariepärmen. Den som är ny går "
    "första morgonen med en erfaren kollega.",
    "sb_aim": "90 % av morgonbesöken ska börja i tid senast den 31 mars 2027 (62 % i "
    "september 2026).",
    "sb_team": "Lars Lagledare (enhetschef), Tove Teammedlem och Maria Medlem "
    "(undersköterskor), med Camilla Coach som förbättringscoach.",
    "sb_measures_summary": "Andelen morgonbesök i tid har ökat från 62 % till 87 %.",
    "sb_changes": "Nyckelskåp vid bilarna, prövat i två PGSA-cykler och nu rutin.",
    "sb_lessons": "Små tester gick fortare än vi trodde. Det var viktigt att kvällsturen var med "
    "från början.",
    "sb_next_steps": "Att låsa ruttplanen dagen före (PGSA 3).",
}  # fmt: skip


def _home_care(team, logins):
    """The demo member's team: far along, with something waiting for each demo login."""
    (lead,) = _people(team, Membership.Role.LEAD)
    tove = logins["member"]
    maria = next(user for user in _people(team, Membership.Role.MEMBER) if user != tove)
    coach, manager = logins["coach"], logins["manager"]
    run = _Run(transitions.start_project(team, lead, title="Morgonbesök i tid"))

    run.draft("lead_team", tove, {"team_lead": "Lars Lagledare", "meeting_frequency": "weekly"})
    run.submit("lead_team", tove, HOME_LEAD_TEAM)
    run.comment(
        "lead_team",
        coach,
        "Fint att ni har bestämt en fast mötestid. Låt gärna tidhållaren och sekreteraren "
        "byta redan i april, så att fler får pröva rollerna.",
    )
    run.waive(
        "self_rating",
        manager,
        "Enheten gjorde en självskattning i våras i Stadsmissionens kvalitetsarbete; teamet "
        "använder den i stället.",
    )
    run.submit("assessment_5p", lead, HOME_5P)
    run.comment(
        "assessment_5p",
        coach,
        "Bra iakttagelse om nyckelhämtningen. Den kan bli ert tema.",
        field_key="waits_failures",
    )
    run.submit("theme", tove, HOME_THEME)
    run.submit("global_aim", lead, HOME_GLOBAL_AIM)
    run.approve(
        "global_aim",
        coach,
        "Godkänt. Ett tydligt mål som utgår från brukarna, och en process med klar början och "
        "slut. Tänk på att ta med samordnarna när ni ritar processkartan.",
    )
    run.submit("measurement", tove, _home_measurement(BASELINE, []))
    run.submit("process_map", maria, HOME_PROCESS_MAP)
    run.submit("fishbone", tove, HOME_FISHBONE)

    run.submit(
        "specific_aim",
        lead,
        _home_specific_aim(
            "2027-12-31", "Andelen morgonbesök som börjar i tid ska öka från 62 % till 90 %."
        ),
    )
    run.request_changes(
        "specific_aim",
        coach,
        "Målet ska nås medan programmet pågår. Välj ett datum före det sista "
        "lärandeseminariet i april 2027, och skriv datumet i meningen också.",
        field_key="target_date",
    )
    run.submit(
        "specific_aim",
        lead,
        _home_specific_aim(
            "2027-03-31",
            "Senast den 31 mars 2027 ska 90 % av morgonbesöken börja i tid (i dag 62 %).",
        ),
    )
    run.approve("specific_aim", coach, "Godkänt: specifikt, mätbart och med ett datum.")
    run.submit("change_ideas", tove, HOME_CHANGE_IDEAS)
    run.submit("action_plan", lead, HOME_ACTION_PLAN)

    run.submit("pdsa", tove, HOME_PDSA_1)
    run.comment(
        "pdsa",
        tove,
        "Koden till skåpet står nu också i vikariepärmen.",
        field_key="learned",
    )
    # Continuing: after approval each submit adds data, a new answer version without review.
    run.submit("measurement", tove, _home_measurement(AFTER_CYCLE_1, CYCLE_NOTES[:1]))
    cycle = run.start_cycle("pdsa", tove)
    run.submit("pdsa", maria, HOME_PDSA_2, cycle=cycle)
    run.comment(
        "pdsa",
        coach,
        "Starkt resultat! Visa gärna seriediagrammet på nästa lärandeseminarium.",
        cycle=cycle,
    )
    run.submit("measurement", tove, _home_measurement(AFTER_CYCLE_2, CYCLE_NOTES))
    run.submit("sdsa", lead, HOME_SDSA)
    cycle = run.start_cycle("pdsa", tove)
    run.draft("pdsa", tove, HOME_PDSA_3_DRAFT, cycle=cycle)
    run.submit("playbook", lead, HOME_PLAYBOOK)

    run.reopen(
        "process_map",
        manager,
        "Nyckelhämtningen går till på ett nytt sätt sedan PGSA 2. Processkartan ingår i "
        "rutinbeskrivningen och behöver visa hur det går till nu.",
    )
    run.comment(
        "process_map",
        tove,
        "Vi ritar om kartan på tisdagsmötet och skickar in den igen.",
    )


# Boendet på Ersta: fewer falls, early --------------------------------------------------------

ERSTA_LEAD_TEAM = {
    "team_lead": "Fatima Förbättrare",
    "coach": "Camilla Coach",
    "members": [
        {"member_name": "Fatima Förbättrare", "member_role": "Sjuksköterska",
         "member_represents": "Hälso- och sjukvården på boendet"},
        {"member_name": "Johan Jonsson", "member_role": "Undersköterska",
         "member_represents": "Avdelning 2 och nattpersonalen"},
    ],
    "meeting_frequency": "biweekly",
    "meeting_when": "Varannan torsdag 14.00–14.45 i samlingsrummet",
    "meeting_minutes": 45,
    "role_leader": "Fatima Förbättrare",
    "role_timekeeper": "Johan Jonsson",
    "role_recorder": "Johan Jonsson",
    "first_meeting_date": "2026-03-26",
    "meeting_aim": "Bestämma hur vi arbetar och vem mer som behöver vara med.",
    "action_items": [
        {"action_what": "Fråga fysioterapeuten om hon kan vara med en gång i månaden",
         "action_who": "Fatima Förbättrare", "action_due": "2026-04-09"},
    ],
}  # fmt: skip

ERSTA_5P = {
    "purpose": "Vårt boende finns till för att de som bor här ska ha ett tryggt och "
    "meningsfullt liv, med vård och omsorg som utgår från vars och ens önskemål.",
    "clients_who": "54 boende på tre avdelningar, varav en för personer med demenssjukdom. "
    "Medelåldern är 87 år.",
    "client_subgroups": [
        {"subgroup": "Boende med demenssjukdom", "subgroup_count": 18},
        {"subgroup": "Boende som behöver hjälp att förflytta sig", "subgroup_count": 31},
    ],
    "client_needs": [{"need": "Att röra sig fritt och tryggt, också på kvällen och natten"}],
    "staff_roles": [
        {"staff_role": "Undersköterska", "staff_count": 41},
        {"staff_role": "Sjuksköterska", "staff_count": 5},
        {"staff_role": "Fysioterapeut", "staff_count": 1, "staff_fte": "0,5"},
    ],
    "staff_morale": "4",
    "waits_failures": "Fallriskbedömningen görs vid inflyttningen men följs sällan upp.",
    "metrics": [{"metric": "Antal fall per månad"}, {"metric": "Fall med skada"}],
    "outcomes": "71 fall under 2025, två av dem med höftfraktur.",
    "strengths": "Stabil personalgrupp och ett gott samarbete med fysioterapeuten.",
    "opportunities": "Fallprevention på kvällar och nätter, då de flesta fall sker.",
}  # fmt: skip

ERSTA_THEME = {
    "theme": "Färre fall",
    "rationale": "Ett fall kan förändra livet för den som bor här. Vi hade 71 fall under 2025, "
    "och de flesta skedde mellan kl. 18 och 07.",
    "from_5p": ["clients", "processes", "patterns"],
    "findings": "Avvikelserapporterna visar att fallen ofta sker vid toalettbesök på natten.",
}

ERSTA_GLOBAL_AIM = {
    "process_to_improve": "förebyggande av fall för de boende på avdelning 1–3",
    "process_begins": "att en ny boende flyttar in och vi bedömer fallrisken",
    "process_ends": "att fallrisken följs upp vid varje vårdplanering",
    "expected_results": "färre fall",
    "why_now": "fallen har ökat de senaste två åren, och två boende bröt höften förra året",
}


def _residential_care(team, logins):
    """A team early in the ramp: its global aim sent back by the coach."""
    (fatima,) = _people(team, Membership.Role.LEAD)
    (johan,) = _people(team, Membership.Role.MEMBER)
    coach = logins["coach"]
    run = _Run(transitions.start_project(team, fatima, title="Färre fall"))
    run.submit("lead_team", fatima, ERSTA_LEAD_TEAM)
    run.submit("assessment_5p", johan, ERSTA_5P)
    run.submit("theme", fatima, ERSTA_THEME)
    run.comment(
        "theme",
        coach,
        "Bra val av tema. Ta gärna med fysioterapeuten redan när ni skriver det övergripande "
        "målet.",
    )
    run.submit("global_aim", fatima, ERSTA_GLOBAL_AIM)
    run.request_changes(
        "global_aim",
        coach,
        "Beskriv vad färre fall betyder för de boende och för er, till exempel tryggare "
        "nätter och färre skador. Siffrorna kommer sedan i det specifika målet.",
        field_key="expected_results",
    )
    run.comment(
        "global_aim",
        fatima,
        "Tack! Vi tar upp det med fysioterapeuten på torsdag och skickar in igen.",
    )
