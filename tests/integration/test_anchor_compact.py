"""The sidecar keeps each completed step's cell digests packed, carries them from action to action, and still
reads the older {"r,c": digest} form (issue 19)."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kinerja_xl.adapters import anchor_file
from kinerja_xl.domain import integrity
from kinerja_xl.domain.blocks import Block
from kinerja_xl.service.reading import read_period
from kinerja_xl.service.unit_of_work import FileUnitOfWork
from tests.flow import tamper
from tests.integration.test_integrity import set_cell


@pytest.fixture
def period(closed):
    with FileUnitOfWork(closed, write=False) as uow:
        return uow.definition, read_period(uow), uow.definition_hash


def _sidecar(closed) -> dict:
    return json.loads(anchor_file.sidecar_path(closed).read_text(encoding="utf-8"))


def _unpacked(sel: dict) -> dict:
    return {step: {name: integrity.unpack_cells(cells) for name, cells in blocks.items()} for step, blocks in sel.items()}


def test_the_packed_digests_are_the_cell_digests_check_compares(closed, period):
    d, p, _ = period
    sel = _sidecar(closed)["sel"]
    assert all(isinstance(cells, str) and cells.startswith(integrity.PACKED) for b in sel.values() for cells in b.values())
    assert _unpacked(sel) == {step: integrity.cell_digests(d, int(step), p.blocks) for step in sel}


def test_the_packed_sidecar_is_a_fraction_of_the_older_form(closed):
    data = _sidecar(closed)
    older = {**data, "sel": _unpacked(data["sel"])}
    assert len(json.dumps(data)) < 0.6 * len(json.dumps(older))


def _anchor_of(tmp_path, data: dict):
    path = tmp_path / "sebelumnya.anchor.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return anchor_file.load_anchor(str(path), tmp_path / "buku.xlsm")


def _blanked(blocks: dict, names) -> dict:
    return {n: Block(b.sheet, b.row, b.col, tuple((None,) * b.width for _ in b.values)) if n in names else b
            for n, b in blocks.items()}


@pytest.mark.parametrize("older_form", [False, True])
def test_the_steps_done_before_the_action_are_carried_not_computed(tmp_path, period, older_form):
    d, p, definition = period
    before = integrity.anchor_data(d, p.entries[:-1], p.blocks, definition)   # the sidecar before the last action
    if older_form:
        before = {**before, "sel": _unpacked(before["sel"])}
    previous = _anchor_of(tmp_path, before)
    expected = integrity.anchor_data(d, p.entries, p.blocks, definition)
    # the data of the steps done before the last action is blanked: only carrying keeps their digests
    carried_steps = [s for s in d.steps if str(s.no) in before["sel"]]
    blanked = _blanked(p.blocks, {n for s in carried_steps for n in integrity.digest.step_names(s)} - {"log"})
    assert carried_steps and integrity.anchor_data(d, p.entries, blanked, definition, previous) == expected


@pytest.mark.parametrize("change", [
    lambda a, p: replace(a, rows=a.rows - 1),                          # not the sidecar of the log one row shorter
    lambda a, p: replace(a, head="0" * 64),                            # another chain
    lambda a, p: replace(a, definition="1" * 64),                      # another SOP definition
])
def test_a_sidecar_of_another_state_is_not_carried(tmp_path, period, change):
    d, p, definition = period
    previous = change(_anchor_of(tmp_path, integrity.anchor_data(d, p.entries[:-1], p.blocks, definition)), p)
    done = [s for s in d.steps if str(s.no) in previous.packed]
    blanked = _blanked(p.blocks, {n for s in done for n in integrity.digest.step_names(s)} - {"log"})
    assert integrity.anchor_data(d, p.entries, blanked, definition, previous) == \
        integrity.anchor_data(d, p.entries, blanked, definition)


def test_an_older_sidecar_still_names_the_changed_cell(cli, closed):
    data = _sidecar(closed)
    anchor_file.sidecar_path(closed).write_text(json.dumps({**data, "sel": _unpacked(data["sel"])}), encoding="utf-8")
    tamper(closed, set_cell("indikator", 0, 9, 55))
    r = cli("check", closed)
    assert r.code == 1 and "'3 Input Data'!J13 (Realisasi TW IV, baris 1 Data Input Kinerja Organisasi) diubah" in r.out


def test_a_damaged_packed_block_leaves_its_step_unnamed_not_a_crash(cli, closed):
    data = _sidecar(closed)
    data["sel"]["3"] = {name: integrity.PACKED + "2x2:AAAA" for name in data["sel"]["3"]}
    anchor_file.sidecar_path(closed).write_text(json.dumps(data), encoding="utf-8")
    tamper(closed, set_cell("indikator", 0, 9, 55))
    r = cli("check", closed)
    assert r.code == 1 and "tidak dapat ditunjuk" in r.out, r.out


def test_the_unit_of_work_hands_over_the_sidecar_it_found(closed):
    with FileUnitOfWork(closed, write=True) as uow:
        previous = uow.previous_anchor()
    assert previous.exact and previous.packed == _sidecar(closed)["sel"]
