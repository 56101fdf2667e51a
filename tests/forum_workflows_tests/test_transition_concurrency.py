"""People acting on one project at the same moment (DESIGN.md §4, §8): exactly one wins, the
other gets a clear message, no typed text is lost, and the stages stay consistent.

PostgreSQL only, real threads, each with its own connection. How a race is forced:

1. each thread reads the stage as its page would (the draft's revision with it), then all are
   released together by a ``threading.Barrier``;
2. each thread's transaction is held open just before it commits until every other thread has
   come as far or can get no further: it waits for a row lock, or it has finished.

Without the row locks of ``transitions._lock`` every thread therefore reads the old state before
anyone commits, and the race is lost every time, not by chance. With the locks the later threads
wait for the first, which goes on as soon as they are seen waiting: nothing waits for a timeout.
"""

import threading
import time

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation
from wagtail.models import ModelLogEntry

from forms.answers import StaleDraft
from forum_workflows import transitions
from forum_workflows.models import StageComment, StageHistory, StageState
from forum_workflows.transitions import TransitionRefused, WrongState
from forum_workflows.workflow_blocks import Gate

from .people import make_cast
from .workflows import draft, filled, make_workflow, run_on, stage

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
State = StageState.State
TIMEOUT = 30  # seconds; only reached when a race hangs, which fails the test


@pytest.fixture
def cast(make_user):
    return make_cast(make_user)


@pytest.fixture
def people(cast):
    return cast.people


def _start(cast, *stages):
    run_on(cast.program, make_workflow(*stages))
    return transitions.start_project(cast.team, cast.people["member"], title="Färre fall")


def _stage(project, key):
    return StageState.objects.get(project=project, stage_key=key, cycle=1)


def _submitted(project, people, key):
    state = _stage(project, key)
    transitions.submit_stage(
        state, people["member"], filled(state), expected_revision=state.answer_set.draft_revision
    )
    return _stage(project, key)


# Racing ----------------------------------------------------------------------------------------


def race(monkeypatch, *actions):
    """Run each ``(stage, act)`` of ``actions`` in its own thread, raced as the module docstring
    says: the thread reads ``stage`` afresh, waits for the others, then calls ``act(state)``.
    Returns what each ``act`` returned or the exception it raised, in order."""
    count = len(actions)
    start = threading.Barrier(count)
    released = threading.Event()
    racers = {}  # thread id -> its backend's pid
    at_commit = set()
    results = [None] * count
    real_commit = BaseDatabaseWrapper.commit

    def held_commit(self):
        thread = threading.get_ident()
        if thread in racers and not released.is_set():
            at_commit.add(thread)
            released.wait(TIMEOUT)
        return real_commit(self)

    def run(index, stage_state, act):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                racers[threading.get_ident()] = cursor.fetchone()[0]
            state = StageState.objects.select_related("answer_set").get(pk=stage_state.pk)
            start.wait(TIMEOUT)
            results[index] = act(state)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    monkeypatch.setattr(BaseDatabaseWrapper, "commit", held_commit)
    threads = [
        threading.Thread(target=run, args=(index, *action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not released.is_set() and time.monotonic() < deadline:
        finished = sum(not thread.is_alive() for thread in threads)
        if len(at_commit) + _waiting_for_a_lock(list(racers.values())) + finished == count:
            released.set()
        time.sleep(0.002)
    released.set()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hangs"
    return results


def _waiting_for_a_lock(pids):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
            [pids],
        )
        return cursor.fetchone()[0]


def approve(user):
    return lambda state: transitions.approve_stage(state, user)


def request_changes(user):
    return lambda state: transitions.request_changes(state, user, comment="Gör målet mätbart.")


def comment(user):
    return lambda state: transitions.add_comment(state, user, body="Bra början!")


def save(user, form):
    """Save ``form`` as the draft, expecting the revision the thread read before the race."""
    return lambda state: transitions.save_draft(
        state, user, form, expected_revision=state.answer_set.draft_revision
    )


def submit(user, form):
    return lambda state: transitions.submit_stage(
        state, user, form, expected_revision=state.answer_set.draft_revision
    )


def _split(results):
    winners = [result for result in results if not isinstance(result, Exception)]
    losers = [result for result in results if isinstance(result, Exception)]
    return winners, losers


# Two people, one stage ---------------------------------------------------------------------------


def test_two_coaches_approving_at_once_approve_once_and_the_other_is_told(
    monkeypatch, cast, people
):
    """The team's coach and the program's faculty approve the same submitted stage at the same
    moment: one approval (one decision, one history row, one audit entry, the next stage opened
    once), and the other reviewer is told the stage is no longer waiting for a review."""
    project = _start(cast, stage("aim"), stage("measure", depends_on="aim"))
    aim = _submitted(project, people, "aim")
    reviewers = [people["coach"], people["faculty"]]

    results = race(monkeypatch, *[(aim, approve(reviewer)) for reviewer in reviewers])

    winners, losers = _split(results)
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], WrongState), results
    with translation.override("en"):
        assert str(losers[0].message) == "Only a submitted stage can be reviewed."
    winner = reviewers[results.index(winners[0])]
    decision = StageComment.objects.get(stage_state=aim)
    assert (decision.decision, decision.author) == (StageComment.Decision.APPROVE, winner)
    assert _stage(project, "aim").state == State.APPROVED
    to_approved = StageHistory.objects.filter(stage_state=aim, to_state=State.APPROVED)
    assert list(to_approved.values_list("from_state", "actor")) == [(State.SUBMITTED, winner.pk)]
    entries = ModelLogEntry.objects.for_instance(aim).filter(
        action="forum_workflows.approve_stage"
    )
    assert list(entries.values_list("user", flat=True)) == [winner.pk]
    measure = _stage(project, "measure")
    assert measure.state == State.OPEN
    assert list(measure.history.values_list("from_state", "to_state")) == [
        ("", State.LOCKED),
        (State.LOCKED, State.OPEN),
    ]


def test_two_members_saving_one_draft_at_once_lose_no_text(monkeypatch, cast, people):
    """Two members save the draft they both opened at the same revision: one save is stored, the
    other is refused with the stored (newer) text to show, and keeps its own text in its form.
    (The draft's compare-and-set decides this race, not the row locks: without it, this fails.)"""
    project = _start(cast, stage("aim"))
    aim = _stage(project, "aim")
    writers = [people["member"], people["lead"]]
    texts = ["Anna skrev detta", "Bo skrev något annat"]
    forms = [draft(aim, text=text) for text in texts]

    results = race(monkeypatch, *[(aim, save(w, f)) for w, f in zip(writers, forms, strict=True)])

    winners, losers = _split(results)
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], StaleDraft), results
    winner, loser = results.index(winners[0]), results.index(losers[0])
    stored = _stage(project, "aim").answer_set
    assert (stored.draft["text"], stored.draft_revision) == (texts[winner], 1)
    assert stored.draft_saved_by == writers[winner]
    assert losers[0].current.draft["text"] == texts[winner]  # the loser is shown the newer text
    assert forms[loser].answers["text"] == texts[loser]  # and still has its own
    aim = _stage(project, "aim")
    assert aim.state == State.DRAFT
    assert list(aim.history.values_list("to_state", flat=True)) == [State.OPEN, State.DRAFT]
    entries = ModelLogEntry.objects.for_instance(aim).filter(action="forum_workflows.save_draft")
    assert list(entries.values_list("user", flat=True)) == [writers[winner].pk]


# Two stages, one project ---------------------------------------------------------------------


def test_approving_both_stages_a_third_waits_for_at_once_opens_it(monkeypatch, cast, people):
    """Stages a and b are approved at the same moment by two reviewers and c waits for both: c
    opens. (Locking only the stages' rows is not enough: each approval would see the other stage
    still submitted, and c would stay locked for good.)"""
    project = _start(
        cast, stage("a"), stage("b", opens_at_start=True), stage("c", depends_on="a,b")
    )
    a, b = _submitted(project, people, "a"), _submitted(project, people, "b")

    results = race(monkeypatch, (a, approve(people["coach"])), (b, approve(people["faculty"])))

    assert not any(isinstance(result, Exception) for result in results), results
    assert _stage(project, "a").state == _stage(project, "b").state == State.APPROVED
    c = _stage(project, "c")
    assert c.state == State.OPEN
    assert list(c.history.values_list("from_state", "to_state")) == [
        ("", State.LOCKED),
        (State.LOCKED, State.OPEN),
    ]


def test_twenty_actions_at_once_across_a_project_leave_it_consistent(monkeypatch, cast, people):
    """Saves, submits, decisions and comments by members and reviewers on five stages, twenty at
    the same moment: every action either is done or is refused with a message; each submitted
    stage is decided once; every stage's state is its last history row's, the history rows
    chain, no stage stays locked whose dependencies are done, and answer versions count 1, 2, 3
    with no gap."""
    project = _start(
        cast,
        stage("aim"),
        stage("team", opens_at_start=True),
        stage("plan", depends_on="aim,team"),
        stage("measure", gate=Gate.FEEDBACK, continuing=True, opens_at_start=True),
        stage("idea", gate=Gate.FEEDBACK, opens_at_start=True),
        stage("test", gate=Gate.NONE, depends_on="idea"),
    )
    aim, team = _submitted(project, people, "aim"), _submitted(project, people, "team")
    measure = _submitted(project, people, "measure")
    assert measure.state == State.APPROVED  # coach feedback approves on submit; data continues
    plan, idea = _stage(project, "plan"), _stage(project, "idea")
    member, lead = people["member"], people["lead"]
    coach, faculty, manager = people["coach"], people["faculty"], people["manager"]
    actions = [
        (aim, approve(coach)),
        (aim, approve(faculty)),
        (aim, request_changes(manager)),
        (aim, comment(member)),
        (aim, comment(coach)),
        (team, approve(faculty)),
        (team, approve(manager)),
        (team, request_changes(coach)),
        (team, save(lead, draft(team, text="För sent"))),
        (plan, save(member, draft(plan, text="Plan"))),
        (plan, comment(faculty)),
        (measure, submit(member, filled(measure, text="Mätning 2"))),
        (measure, submit(lead, filled(measure, text="Mätning 3"))),
        (measure, submit(member, filled(measure, text="Mätning 4"))),
        (measure, save(lead, draft(measure, text="Utkast till mätning"))),
        (idea, save(member, draft(idea, text="Idé av Anna"))),
        (idea, save(lead, draft(idea, text="Idé av Bo"))),
        (idea, submit(member, filled(idea, text="Färdig idé av Anna"))),
        (idea, submit(lead, filled(idea, text="Färdig idé av Bo"))),
        (idea, comment(coach)),
    ]

    results = race(monkeypatch, *actions)

    unexpected = [r for r in results if isinstance(r, Exception) and not _refusal(r)]
    assert unexpected == [], results
    _assert_consistent(project)
    for decided in (aim, team):
        decisions = StageComment.objects.filter(stage_state=decided).exclude(decision="")
        assert decisions.count() == 1, list(decisions.values_list("decision", "author"))


def _refusal(error):
    return isinstance(error, TransitionRefused | StaleDraft)


def _assert_consistent(project):
    states = list(StageState.objects.filter(project=project).select_related("answer_set"))
    done = {s.stage_key for s in states if s.state in transitions.DONE or s.approved_at}
    for state in states:
        history = list(state.history.values_list("from_state", "to_state"))
        assert history[-1][1] == state.state, (state.stage_key, history)
        assert [to for _, to in history[:-1]] == [frm for frm, _ in history[1:]], (
            state.stage_key,
            history,
        )
        if state.state == State.LOCKED:
            waits_for = project.workflow_version.stage(state.stage_key)["depends_on"]
            assert not set(waits_for) <= done, (state.stage_key, "stays locked")
        numbers = sorted(state.answer_set.versions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), (state.stage_key, numbers)
