"""The transition table, and a property: no sequence of actions reaches an invalid state."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kinerja_xl.domain import workflow as wf
from kinerja_xl.domain.errors import Refused


def run(d, *actions):
    state = wf.initial(d)
    for action, step in actions:
        state = wf.apply(d, state, action, step)
    return state


def test_initial_state_has_step_one_active(definition):
    state = wf.initial(definition)
    assert state.statuses == (wf.ACTIVE,) + (wf.NOT_STARTED,) * 4 and state.current == 1


def test_full_path_closes_the_period(definition):
    state = run(definition, ("submit", 1), ("submit", 2), ("submit", 3), ("verify", 4), ("validate", 5))
    assert state.closed and state.current is None and set(state.statuses) == {wf.DONE}


@pytest.mark.parametrize("returning_step", [4, 5])
def test_return_reopens_step_three_and_resets_later_steps(definition, returning_step):
    path = [("submit", 1), ("submit", 2), ("submit", 3), ("verify", 4)][:returning_step - 1]
    state = run(definition, *path, ("return", returning_step))
    assert state.statuses == (wf.DONE, wf.DONE, wf.RETURNED, wf.NOT_STARTED, wf.NOT_STARTED)
    assert state.current == 3


def test_out_of_order_and_wrong_action_and_closed_are_refused_with_whose_turn(definition):
    with pytest.raises(Refused, match="Giliran sekarang: langkah 1 \\(1 Disposisi\\) oleh Sekretaris DPRD"):
        wf.apply(definition, wf.initial(definition), "submit", 2)
    with pytest.raises(Refused, match="Yang berlaku: Kirim Disposisi"):
        wf.apply(definition, wf.initial(definition), "verify", 1)
    closed = run(definition, ("submit", 1), ("submit", 2), ("submit", 3), ("verify", 4), ("validate", 5))
    with pytest.raises(Refused, match="sudah ditutup"):
        wf.apply(definition, closed, "submit", 1)


ACTIONS = st.tuples(st.sampled_from(["submit", "verify", "return", "validate"]), st.integers(1, 5))


@given(st.lists(ACTIONS, max_size=30))
def test_random_sequences_keep_exactly_one_current_step_until_closed(definition, actions):
    state = wf.initial(definition)
    for action, step in actions:
        try:
            state = wf.apply(definition, state, action, step)
        except Refused:
            continue
        active = [s for s in state.statuses if s in (wf.ACTIVE, wf.RETURNED)]
        assert len(active) == (0 if state.closed else 1)
        if not state.closed:
            before = state.statuses[: state.current - 1]
            after = state.statuses[state.current:]
            assert set(before) <= {wf.DONE} and set(after) <= {wf.NOT_STARTED}
