"""The workflow as a transition table: apply, replay, returns, a step after signing, refusals, and a state machine."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kinerja_xl.domain import audit
from kinerja_xl.domain import workflow as wf
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.errors import Refused

from tests.unit.sop_dicts import six_steps, sop01

SIX = parse_definition(six_steps())
SOP01 = sop01()
QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

A, D, N0, R = wf.ACTIVE, wf.DONE, wf.NOT_STARTED, wf.RETURNED


def run(d, *actions) -> wf.State:
    state = wf.initial(d)
    for action in actions:
        state = wf.apply(d, state, *action)
    return state


FORWARD_SIX = [("submit", 1), ("submit", 2), ("verify", 3), ("validate", 4), ("submit", 5), ("submit", 6)]
FORWARD_01 = [("submit", 1), ("submit", 2), ("submit", 3), ("verify", 4), ("validate", 5)]


# ---------------------------------------------------------------- the table


def test_table_of_the_six_step_definition():
    table = wf.table(SIX)
    assert set(table) == {(1, "submit", None), (2, "submit", None), (3, "verify", None), (3, "return", 1),
                          (3, "return", 2), (4, "validate", None), (4, "return", 3), (5, "submit", None),
                          (6, "submit", None)}
    assert [table[(n, a, None)].opens for n, a in [(1, "submit"), (2, "submit"), (3, "verify"), (4, "validate"),
                                                  (5, "submit"), (6, "submit")]] == [2, 3, 4, 5, 6, None]
    assert [k for k, t in table.items() if t.signs] == [(4, "validate", None)]
    assert table[(3, "return", 2)] == wf.Transition(3, "return", 2, 2, label="Kembalikan ke 2")
    assert table[(4, "return", 3)].returns_to == 3 and table[(4, "return", 3)].opens == 3
    assert table[(6, "submit", None)].label == "Tutup"


def test_table_of_sop_01():
    table = wf.table(SOP01)
    assert set(table) == {(1, "submit", None), (2, "submit", None), (3, "submit", None), (4, "verify", None),
                          (4, "return", 3), (5, "validate", None), (5, "return", 3)}
    assert table[(5, "validate", None)] == wf.Transition(5, "validate", None, signs=True, label="Validasi & Tandatangani")


def test_initial_state():
    state = wf.initial(SIX)
    assert state.statuses == (A, N0, N0, N0, N0, N0)
    assert state.current == 1 and not state.closed and not state.signed


# ---------------------------------------------------------------- apply


def test_forward_path_of_sop_01_closes_and_signs():
    state = run(SOP01, *FORWARD_01[:4])
    assert state.statuses == (D, D, D, D, A) and state.current == 5 and not state.signed
    state = wf.apply(SOP01, state, "validate", 5)
    assert state.closed and state.signed and state.current is None and set(state.statuses) == {D}


def test_a_step_after_signing_is_signed_but_not_closed_until_the_last_step():
    state = run(SIX, *FORWARD_SIX[:3])
    assert not state.signed and state.current == 4
    state = wf.apply(SIX, state, "validate", 4)
    assert state.signed and not state.closed and state.current == 5
    state = wf.apply(SIX, state, "submit", 5)
    assert state.signed and not state.closed and state.current == 6
    assert state.statuses == (D, D, D, D, D, A)
    state = wf.apply(SIX, state, "submit", 6)
    assert state.signed and state.closed and state.current is None


@pytest.mark.parametrize("step_no, to", [(3, 1), (3, 2), (4, 3)])
def test_each_declared_return_reopens_its_target_and_resets_later_steps(step_no, to):
    state = run(SIX, *FORWARD_SIX[:step_no - 1])
    after = wf.apply(SIX, state, "return", step_no, to)
    assert after.current == to
    assert after.statuses[:to - 1] == (D,) * (to - 1)
    assert after.statuses[to - 1] == R
    assert after.statuses[to:] == (N0,) * (6 - to)
    assert not after.closed and not after.signed


@pytest.mark.parametrize("returning", [4, 5])
def test_sop_01_single_return_needs_no_target(returning):
    state = run(SOP01, *FORWARD_01[:returning - 1])
    implicit = wf.apply(SOP01, state, "return", returning)
    explicit = wf.apply(SOP01, state, "return", returning, 3)
    assert implicit == explicit
    assert implicit.statuses == (D, D, R, N0, N0) and implicit.current == 3


def test_a_returned_step_goes_forward_again():
    state = run(SIX, *FORWARD_SIX[:3], ("return", 4, 3))
    state = wf.apply(SIX, state, "verify", 3)
    assert state.statuses == (D, D, D, A, N0, N0)


def test_apply_does_not_change_the_state_it_is_given():
    state = run(SIX, ("submit", 1))
    before = state.statuses
    wf.apply(SIX, state, "submit", 2)
    assert state.statuses == before


# ---------------------------------------------------------------- refusals


def test_wrong_step_is_refused_with_whose_turn_it_is():
    with pytest.raises(Refused) as caught:
        wf.apply(SOP01, wf.initial(SOP01), "submit", 2)
    assert caught.value.message == ("Langkah 2 belum/tidak aktif. Giliran sekarang: langkah 1 (1 Disposisi) oleh "
                                    "Sekretaris DPRD.")


def test_a_done_step_is_refused_after_it_was_sent():
    state = run(SOP01, ("submit", 1))
    with pytest.raises(Refused, match=r"^Langkah 1 belum/tidak aktif\. Giliran sekarang: langkah 2 \(2 Perintah\) "
                                      r"oleh Kepala Bagian\.$"):
        wf.apply(SOP01, state, "submit", 1)


def test_an_action_not_on_the_step_is_refused_with_what_is_allowed():
    with pytest.raises(Refused) as caught:
        wf.apply(SOP01, wf.initial(SOP01), "verify", 1)
    assert caught.value.message == "Aksi ini tidak berlaku untuk langkah 1 (1 Disposisi). Yang berlaku: Kirim Disposisi."
    state = run(SOP01, *FORWARD_01[:3])
    with pytest.raises(Refused) as caught:
        wf.apply(SOP01, state, "validate", 4)
    assert caught.value.message == ("Aksi ini tidak berlaku untuk langkah 4 (4 Verifikasi). Yang berlaku: Verifikasi, "
                                    "Kembalikan (ke langkah 3).")


def test_a_return_to_an_undeclared_target_is_refused():
    state = run(SIX, *FORWARD_SIX[:2])
    with pytest.raises(Refused, match=r"Aksi ini tidak berlaku untuk langkah 3 \(3 Langkah\)\. Yang berlaku: Verify, "
                                      r"Kembalikan ke 1 \(ke langkah 1\), Kembalikan ke 2 \(ke langkah 2\)\."):
        wf.apply(SIX, state, "return", 3, 3)


def test_a_return_without_target_is_refused_where_the_step_has_several():
    state = run(SIX, *FORWARD_SIX[:2])
    with pytest.raises(Refused, match="tidak berlaku untuk langkah 3"):
        wf.apply(SIX, state, "return", 3)


def test_a_step_without_return_refuses_return():
    with pytest.raises(Refused, match="tidak berlaku untuk langkah 1"):
        wf.apply(SIX, wf.initial(SIX), "return", 1, 1)


def test_a_closed_period_refuses_everything():
    closed = run(SIX, *FORWARD_SIX)
    for action, step_no in FORWARD_SIX:
        with pytest.raises(Refused) as caught:
            wf.apply(SIX, closed, action, step_no)
        assert caught.value.message.startswith("Periode ini sudah ditutup: semua langkah selesai. Tidak ada aksi lagi;")
    assert wf.turn_text(SIX, closed) == "Periode sudah ditutup (semua langkah selesai)."


def test_turn_text_names_the_role_or_the_given_person():
    state = run(SIX, *FORWARD_SIX[:2])
    assert wf.turn_text(SIX, state) == "Giliran sekarang: langkah 3 (3 Langkah) oleh Kepala Bagian."
    assert wf.turn_text(SIX, state, "Plh. Budi") == "Giliran sekarang: langkah 3 (3 Langkah) oleh Plh. Budi."


# ---------------------------------------------------------------- replay


def log_of(d, actions) -> list[audit.LogEntry]:
    """Hash-chained Log entries as the service writes them; a return names its target where there are several."""
    entries: list[audit.LogEntry] = []
    for action, step_no, *to in actions:
        target = to[0] if to and len(d.step(step_no).returns) > 1 else None
        entries.append(audit.chain(entries, time="2026-10-01T09:00:00+08:00", user="u", official="Pejabat",
                                   nip="", role=d.step(step_no).role, capacity="Definitif",
                                   action=audit.action_label(action, target), step=step_no, note="", digest=""))
    return entries


def test_replay_of_an_empty_log_is_the_initial_state():
    assert wf.replay(SIX, []) == wf.initial(SIX)


def test_replay_equals_applying_the_same_actions():
    actions = [*FORWARD_SIX[:2], ("return", 3, 2), ("submit", 2), ("return", 3, 1), ("submit", 1), ("submit", 2),
               ("verify", 3), ("return", 4, 3), ("verify", 3), ("validate", 4), ("submit", 5)]
    entries = log_of(SIX, actions)
    assert audit.verify(entries) == []
    assert [e.action for e in entries][2:5] == ["Kembalikan ke langkah 2", "Kirim", "Kembalikan ke langkah 1"]
    state = wf.replay(SIX, entries)
    assert state == run(SIX, *actions)
    assert state.statuses == (D, D, D, D, D, A) and state.signed and not state.closed


def test_replay_of_sop_01_with_a_plain_kembalikan():
    entries = log_of(SOP01, [*FORWARD_01[:4], ("return", 5)])
    assert entries[-1].action == "Kembalikan" and entries[-1].return_to is None
    assert wf.replay(SOP01, entries).statuses == (D, D, R, N0, N0)


class Entry:
    def __init__(self, action_id, step, return_to=None):
        self.action_id, self.step, self.return_to = action_id, step, return_to


def test_replay_accepts_plain_objects_and_refuses_a_log_out_of_order():
    assert wf.replay(SIX, [Entry("submit", 1), Entry("submit", 2), Entry("return", 3, 2)]).current == 2
    with pytest.raises(Refused, match="Langkah 3 belum/tidak aktif"):
        wf.replay(SIX, [Entry("submit", 1), Entry("submit", 3)])
    with pytest.raises(Refused, match="sudah ditutup"):
        wf.replay(SIX, [Entry(a, s) for a, s in FORWARD_SIX] + [Entry("submit", 1)])


# ---------------------------------------------------------------- properties


def allowed(d, state: wf.State) -> list[tuple]:
    """Every (action, step, to) the table allows now."""
    if state.closed:
        return []
    step = d.step(state.current)
    return [(b.action, step.no, b.to) for b in step.buttons]


def check_invariants(d, state: wf.State) -> None:
    n = len(d.steps)
    turn = [i + 1 for i, s in enumerate(state.statuses) if s in (A, R)]
    if state.closed:
        assert turn == [] and state.current is None and state.statuses == (D,) * n and state.signed
    else:
        assert turn == [state.current]
        assert state.statuses[:state.current - 1] == (D,) * (state.current - 1)
        assert state.statuses[state.current:] == (N0,) * (n - state.current)
    assert state.signed == (state.statuses[d.signing_step.no - 1] == D)


@pytest.mark.parametrize("d", [SIX, SOP01], ids=["six", "sop01"])
@QUICK
@given(choices=st.lists(st.integers(0, 10), max_size=40))
def test_any_sequence_of_allowed_actions_keeps_exactly_one_current_step(d, choices):
    state, taken = wf.initial(d), []
    for choice in choices:
        options = allowed(d, state)
        if not options:
            break
        action = options[choice % len(options)]
        state = wf.apply(d, state, *action)
        taken.append(action)
        check_invariants(d, state)
    assert wf.replay(d, log_of(d, taken)) == state


class Workflow(RuleBasedStateMachine):
    """Allowed actions move the state; any other action is refused and leaves nothing half-done."""

    d = SIX

    @initialize()
    def start(self):
        self.state = wf.initial(self.d)
        self.done: list[tuple] = []

    @precondition(lambda self: not self.state.closed)
    @rule(data=st.data())
    def take_an_allowed_action(self, data):
        action = data.draw(st.sampled_from(allowed(self.d, self.state)))
        self.state = wf.apply(self.d, self.state, *action)
        self.done.append(action)

    @rule(action=st.sampled_from(["submit", "verify", "return", "validate"]), step_no=st.integers(0, 7),
          to=st.one_of(st.none(), st.integers(0, 7)))
    def try_any_action(self, action, step_no, to):
        legal = allowed(self.d, self.state)
        single = [b for b in legal if b[0] == "return"]
        ok = (action, step_no, to) in legal or (action != "return" and (action, step_no, None) in legal) or (
            action == "return" and to is None and len(single) == 1 and single[0][1] == step_no)
        before = self.state
        try:
            after = wf.apply(self.d, self.state, action, step_no, to)
        except Refused as exc:
            assert not ok, (action, step_no, to, legal)
            assert exc.message
            assert self.state == before
        else:
            assert ok, (action, step_no, to, legal)
            self.state = after
            self.done.append((action, step_no, to))

    @invariant()
    def exactly_one_current_step_until_closed(self):
        check_invariants(self.d, self.state)

    @invariant()
    def the_log_replays_to_the_same_state(self):
        assert wf.replay(self.d, [Entry(a, s, t if a == "return" else None) for a, s, t in self.done]) == self.state


class WorkflowSop01(Workflow):
    d = SOP01


TestWorkflowSix = Workflow.TestCase
TestWorkflowSix.settings = settings(max_examples=25, stateful_step_count=25, deadline=None, database=None)
TestWorkflowSop01 = WorkflowSop01.TestCase
TestWorkflowSop01.settings = settings(max_examples=25, stateful_step_count=25, deadline=None, database=None)
