"""Property (issue 17): with keys registered, `actions.act` accepts an action only when the actor's own registered
key is at hand, and then signs the row with it; whatever is refused decides nothing. Random sequences of actions
by random people, each offering the right key, another official's key, a stranger's key or none."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kinerja_xl.domain import actions, audit, signing, workflow
from kinerja_xl.domain.errors import KinerjaError, Refused
from kinerja_xl.domain.period import load_period

from tests.unit import signed_period as S

USERS = (*S.ACTING, "adi", "dodi")  # the three who act, the admin, someone Pengaturan does not list
KEY_OFFERED = ("own", "own", "own", "colleague", "stranger", "none")  # the right key most often, so the period moves
ACTIONS = ("submit", "verify", "validate", "return")
KEYS = S.keys_for()                 # the officials' keys, registered in Pengaturan (made once: a key pair is costly)
STRANGER = Ed25519PrivateKey.generate()
START = S.period(KEYS)


def offered(kind: str, user: str):
    """What `key_for` finds on this PC when `user` acts."""
    if kind == "own":
        return KEYS.get(user)
    if kind == "colleague":
        return next(k for u, k in KEYS.items() if u != user)
    return STRANGER if kind == "stranger" else None


class SignedSop(RuleBasedStateMachine):
    furthest = 0  # the furthest step reached over all runs: the machine explores the whole SOP

    @initialize()
    def fresh(self):
        self.period = START
        self.now = S.START
        self.accepted = 0

    def attempt(self, action, user, kind, to, minutes, step_no=None):
        at = self.now + dt.timedelta(minutes=minutes)
        before = (dict(self.period.blocks), list(self.period.entries), self.period.state)  # blocks hold tuples
        asked = []

        def key_for(who):
            asked.append(who)
            return offered(kind, who)

        try:
            outcome = actions.act(self.period, action, user, at, note="perbaiki" if action == "return" else "",
                                  step_no=step_no, to=to, key_for=key_for)
        except KinerjaError as exc:
            assert isinstance(exc, Refused), exc  # a refusal, in words, and nothing else
            assert (self.period.blocks, self.period.entries, self.period.state) == before  # nothing changed
            return None
        # accepted: only by the actor, with the key registered for them, asked for once
        entry = outcome.entry
        assert kind == "own" and user in KEYS and entry.user == user
        assert asked == [user]
        assert entry.signature and signing.hash_signed(signing.public_text(KEYS[user]), entry.hash, entry.signature)
        assert signing.hash_signed(START.keys[user].public, entry.hash, entry.signature)
        assert entry.time == at.isoformat(timespec="seconds")
        self.period = S.applied(self.period, outcome)  # reloads: the chain verifies, completed steps unchanged
        assert self.period.entries[-1] == entry and self.period.state == outcome.state
        self.now = at
        self.accepted += 1
        if not outcome.state.closed:
            SignedSop.furthest = max(SignedSop.furthest, outcome.state.current)
        return outcome

    @rule(action=st.sampled_from(ACTIONS), user=st.sampled_from(USERS), kind=st.sampled_from(KEY_OFFERED),
          to=st.sampled_from([None, None, 1, 2, 3]), minutes=st.integers(-90, 600))
    def anyone_acts(self, action, user, kind, to, minutes):
        self.attempt(action, user, kind, to, minutes)

    @rule(kind=st.sampled_from(KEY_OFFERED), pick=st.integers(0, 10), minutes=st.integers(1, 600),
          standin=st.booleans())
    def the_owner_acts(self, kind, pick, minutes, standin):
        """The current step's official (or the kepala's Plh.) presses one of the step's own buttons."""
        state = self.period.state
        if state.closed:
            return
        step = S.D.step(state.current)
        button = step.buttons[pick % len(step.buttons)]
        user = "cici" if standin and step.role == "kepala" else S.OWNER[step.no]
        outcome = self.attempt(button.action, user, kind, button.to, minutes, step_no=step.no)
        assert (outcome is not None) == (kind == "own")  # the workflow allows it: only the key decides

    @invariant()
    def the_newest_row_verifies_against_the_registered_keys(self):
        assert signing.row_problems(self.period.entries[-1:], self.period.keys) == []
        assert self.period.keys == START.keys  # step 1 sealed the keys: no action changes them
        assert len(self.period.entries) == self.accepted

    def teardown(self):
        assert audit.verify(self.period.entries) == []
        assert signing.row_problems(self.period.entries, START.keys) == []

    @invariant()
    def the_state_is_what_the_log_replays(self):
        assert workflow.replay(S.D, self.period.entries) == self.period.state


SignedSop.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None, database=None,
                                       suppress_health_check=[HealthCheck.too_slow])


def test_signed_actions():
    SignedSop.furthest = 0
    SignedSop.TestCase().runTest()
    assert SignedSop.furthest >= 5, SignedSop.furthest


# ---------------------------------------------------------------- the same, said once each


def test_acting_as_another_official_with_ones_own_key_is_refused_naming_both_fingerprints():
    with pytest.raises(Refused) as exc:
        actions.act(START, "submit", "ani", S.START, key_for=lambda u: KEYS["budi"])
    fingerprint = signing.fingerprint
    assert f"sidik jari {fingerprint(signing.public_text(KEYS['budi']))}) bukan kunci yang terdaftar untuk ANI RAHAYU" \
        in exc.value.message
    assert START.keys["ani"].fingerprint in exc.value.message


@pytest.mark.parametrize("medium, hint", [("cli", "--berkas-kunci"), ("pita", "Daftarkan Kunci Saya")])
def test_acting_without_a_key_on_this_pc_is_refused_saying_whose_key_is_missing(medium, hint):
    for key_for in (None, lambda u: None):
        with pytest.raises(Refused) as exc:
            actions.act(START, "submit", "ani", S.START, key_for=key_for, medium=medium)
        assert exc.value.message.startswith("ANI RAHAYU (sidik jari kunci terdaftar ")
        assert "'ani'" in exc.value.message and "tidak ada di" in exc.value.message and hint in exc.value.message


def test_without_registered_keys_rows_are_not_signed_and_no_key_is_asked_for():
    p = S.period()
    outcome = actions.act(p, "submit", "ani", S.START, key_for=lambda u: pytest.fail("no key needed"))
    assert outcome.entry.signature == ""


def test_a_key_table_with_a_bad_row_stops_step_one():
    p = load_period(S.D, S.with_key_table(START, S.key_rows(KEYS) + [["dodi", "rusak", None]]).blocks)
    with pytest.raises(Refused, match="Kunci publik di 'Pengaturan'!C53"):
        actions.act(p, "submit", "ani", S.START, key_for=KEYS.get)
