"""Property: random actions by random users never reach an invalid state, never change a
completed step's data, and always leave a log whose chain verifies."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from zoneinfo import ZoneInfo

from kinerja_xl.domain import audit, digest, workflow
from kinerja_xl.domain.commands import Act, Fill
from kinerja_xl.domain.data_entry import Entry
from kinerja_xl.service.handlers import handle
from kinerja_xl.service.reading import Env, read_period
from kinerja_xl.domain.errors import KinerjaError
from kinerja_xl.domain import names as N
from kinerja_xl.adapters.definition_file import load_definition
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.tabular import read_table
from tests.conftest import SAMPLE_CSV
from tests.fakes.memory_port import MemoryUnitOfWork, MemoryWorkbook

WITA = ZoneInfo("Asia/Makassar")

D = load_definition()
USERS = ["ardiansyah", "ridha", "rahmah", "fauzi", "tamu"]
WHO = st.one_of(st.just("pemilik"), st.sampled_from(USERS))  # "pemilik": the current step's own official
VALID = {
    1: {"disposisi_nomor": "005", "disposisi_tanggal": "01-10-2026", "disposisi_kepada": "Kepala Bagian",
        "disposisi_isi": "Segera"},
    2: {"perintah_kepada": "Kasubbag", "perintah_tanggal": "01-10-2026", "perintah_isi": "Input"},
    3: {f"kelengkapan[{i}].{c}": v for i in (1, 2, 3) for c, v in (("ada", "Ada"), ("referensi", "Dok"))},
    4: {"verifikasi_tanggal": "01-10-2026", **{f"reviu[{i}].hasil": "sesuai" for i in range(1, 9)}},
    5: {"validasi_tempat": "Paringin", "validasi_tanggal": "01-10-2026"},
}
OWNER = {1: "ardiansyah", 2: "ridha", 3: "rahmah", 4: "ridha", 5: "ardiansyah"}


@pytest.fixture(scope="module")
def start_port(tmp_path_factory, demo_bytes):
    path = tmp_path_factory.mktemp("prop") / "k.xlsm"
    path.write_bytes(demo_bytes)
    return MemoryWorkbook.from_port(FileWorkbook.open(path))


class Sop(RuleBasedStateMachine):
    start: MemoryWorkbook = None
    furthest = 0  # the furthest step any run reached: proves the machine explores the whole SOP

    @initialize()
    def fresh(self):
        self.port = copy.deepcopy(Sop.start)
        self.uow = MemoryUnitOfWork(self.port)
        self.env = Env(self.clock)
        self.minute = 0

    def clock(self):
        self.minute += 7
        return dt.datetime(2026, 10, 1, 8, tzinfo=WITA) + dt.timedelta(minutes=self.minute)

    def ctx(self):
        return read_period(self.uow)

    def who(self, user: str) -> str:
        state = self.ctx().state
        return OWNER[state.current] if user == "pemilik" and not state.closed else user

    @rule(user=WHO)
    def fill_current_step(self, user):
        state = self.ctx().state
        if state.closed:
            return
        user = self.who(user)
        try:
            if state.current == 3:
                header, rows = read_table(SAMPLE_CSV)
                handle(Fill(user, Entry(header=header, rows=rows, source="pk.csv", importing=True)), self.uow, self.env)
            handle(Fill(user, Entry(values=VALID[state.current])), self.uow, self.env)
        except KinerjaError:
            assert user != OWNER[state.current], "the step's own official was refused valid input"

    @rule(action=st.sampled_from(["submit", "verify", "return", "validate"]), user=WHO,
          note=st.sampled_from(["", "perbaiki"]))
    def act(self, action, user, note):
        user = self.who(user)
        before = copy.deepcopy(self.port.blocks)
        try:
            handle(Act(action, user, note), self.uow, self.env)
        except KinerjaError:
            assert self.port.blocks == before, "a refused action changed the workbook"

    @rule()
    def diligent_official_completes_the_step(self):
        state = self.ctx().state
        if state.closed:
            return
        self.fill_current_step("pemilik")
        action = {4: "verify", 5: "validate"}.get(state.current, "submit")
        handle(Act(action, OWNER[state.current]), self.uow, self.env)

    @invariant()
    def log_chain_verifies_and_replays(self):
        ctx = self.ctx()
        assert audit.verify(ctx.entries) == []
        state = workflow.replay(D, ctx.entries)
        active = [s for s in state.statuses if s in (workflow.ACTIVE, workflow.RETURNED)]
        assert len(active) == (0 if state.closed else 1)
        Sop.furthest = max(Sop.furthest, 6 if state.closed else state.current)
        shown = [row[3] for row in self.port.blocks[N.STATUS]]
        if ctx.entries:
            assert shown == list(state.statuses)

    @invariant()
    def completed_steps_keep_the_data_they_were_locked_with(self):
        ctx = self.ctx()
        state = workflow.replay(D, ctx.entries)
        for step in D.steps:
            if state.statuses[step.no - 1] != workflow.DONE:
                continue
            last = [e for e in ctx.entries if e.step == step.no and e.action_id != "return"][-1]
            assert digest.step_digest(D, step, ctx.blocks) == last.digest


def test_random_action_sequences(start_port):
    Sop.start = start_port
    runner = Sop.TestCase
    runner.settings = settings(max_examples=30, stateful_step_count=30, deadline=None,
                               suppress_health_check=[HealthCheck.too_slow])
    runner().runTest()
    assert Sop.furthest >= 6, f"the random runs never got past step {Sop.furthest}"
