"""The hash chain: any edit, deletion, insertion or reordering breaks it, and says where."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import given, strategies as st

from kinerja_xl.domain import audit


def entries(n: int) -> list[audit.LogEntry]:
    out: list[audit.LogEntry] = []
    for i in range(n):
        out.append(audit.chain(out, time=f"2026-10-0{i % 9 + 1}T09:00:00+08:00", user="u", official="O", nip="1",
                               role="R", capacity="Definitif", action="Kirim", step=i % 5 + 1, note=f"n{i}",
                               digest="d" * 64))
    return out


def test_an_untouched_chain_verifies_and_rows_survive_a_round_trip_through_cells():
    log = entries(5)
    assert audit.verify(log) == []
    parsed, problems = audit.parse_rows([e.row() for e in log] + [(None,) * 13])
    assert parsed == log and problems == []


def test_edited_row_is_named():
    log = entries(4)
    log[1] = replace(log[1], note="diubah")
    assert audit.verify(log) == ["Log baris 3: isi baris diubah (hash tidak cocok)"]


def test_deleted_row_breaks_numbering_and_link():
    log = entries(4)
    del log[1]
    problems = audit.verify(log)
    assert any("Log baris 3: nomor 3, seharusnya 2" in p for p in problems)
    assert any("hash sebelumnya tidak cocok" in p for p in problems)


def test_swapped_rows_are_detected():
    log = entries(4)
    log[1], log[2] = log[2], log[1]
    assert len(audit.verify(log)) >= 2


def test_head_is_count_and_last_hash():
    log = entries(3)
    assert audit.head(log) == (3, log[-1].hash)
    assert audit.head([]) == (0, audit.GENESIS)


@given(st.integers(1, 8), st.data())
def test_any_single_field_change_is_detected(n, data):
    log = entries(n)
    i = data.draw(st.integers(0, n - 1))
    field = data.draw(st.sampled_from(["time", "user", "official", "nip", "role", "capacity", "action", "note", "digest"]))
    log[i] = replace(log[i], **{field: getattr(log[i], field) + "x"})
    assert audit.verify(log)


def test_an_action_timed_before_the_one_above_it_is_named():
    log = entries(3)
    backdated = []
    for e in log:
        time = "2026-09-30T09:00:00+08:00" if e.no == 3 else e.time
        backdated.append(audit.chain(backdated, time=time, user=e.user, official=e.official, nip=e.nip, role=e.role,
                                     capacity=e.capacity, action=e.action, step=e.step, note=e.note, digest=e.digest))
    assert audit.verify(backdated) == ["Log baris 4: waktu 2026-09-30T09:00:00+08:00 lebih awal dari aksi sebelumnya "
                                       "(2026-10-02T09:00:00+08:00): jam dimundurkan atau baris ditukar"]


def test_the_same_moment_in_another_offset_is_not_earlier():
    log = []
    for time in ("2026-10-01T09:00:00+08:00", "2026-10-01T08:00:00+07:00", "2026-10-01T09:00:01+08:00"):
        log.append(audit.chain(log, time=time, user="u", official="O", nip="1", role="R", capacity="Definitif",
                               action="Kirim", step=1, note="", digest="d" * 64))
    assert audit.verify(log) == []
