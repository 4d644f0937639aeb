"""The office's key registry (domain/registry.py): signed by its keeper, read back whole or refused, keys added
once and dated, retired or revoked by fingerprint, and every log row held to a key in force on its date."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings, strategies as st
from zoneinfo import ZoneInfo

from kinerja_xl.domain import audit, registry, signing
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.people import Official, People, StandIn

QUICK = settings(max_examples=80, deadline=None, database=None)
WITA = ZoneInfo("Asia/Makassar")
KEEPER = Ed25519PrivateKey.generate()
ANI, BUDI, CICI = (Ed25519PrivateKey.generate() for _ in range(3))


def pub(key) -> str:
    return signing.public_text(key)


def fp(key) -> str:
    return signing.fingerprint(pub(key))


def entry_key(user, key, since="2026-09-30", until="", why="", name=None) -> registry.Key:
    return registry.Key(user, name or user.upper(), "1", pub(key), fp(key), since, until, why)


def made(*keys: registry.Key, **extra) -> registry.Registry:
    base = registry.Registry("Sekretariat DPRD", "inspektorat", "", keys or (entry_key("ani", ANI), entry_key("budi", BUDI)),
                             "2026-09-30T09:00:00+08:00")
    return registry.signed(replace(base, **extra), KEEPER)


# ---------------------------------------------------------------- the keeper's signature


def test_a_signed_registry_is_intact_and_names_its_keeper():
    r = made()
    assert registry.signature_intact(r)
    assert r.penjaga_kunci == pub(KEEPER) and r.keeper_fingerprint == fp(KEEPER)


def test_signing_sets_the_keepers_key_whatever_was_there():
    r = registry.signed(replace(made(), penjaga_kunci=pub(ANI)), KEEPER)
    assert r.penjaga_kunci == pub(KEEPER) and registry.signature_intact(r)


def test_an_unsigned_or_garbled_signature_is_not_intact():
    assert not registry.signature_intact(replace(made(), tanda_tangan=""))
    assert not registry.signature_intact(replace(made(), tanda_tangan="bukan base64!"))
    assert not registry.signature_intact(replace(made(), penjaga_kunci="rusak"))


def test_a_registry_resigned_by_another_key_is_intact_but_names_another_keeper():
    """What `judge`'s note is for: the reader compares the keeper's fingerprint with the one they keep."""
    other = registry.signed(made(), ANI)
    assert registry.signature_intact(other) and other.keeper_fingerprint == fp(ANI) != made().keeper_fingerprint


TOP_FIELDS = ["instansi", "penjaga", "diperbarui"]
KEY_FIELDS = [f.name for f in dataclasses.fields(registry.Key)]


@QUICK
@given(st.data())
def test_any_change_of_any_field_breaks_the_signature(data):
    r = made()
    changed_text = data.draw(st.text(min_size=1, max_size=12))
    where = data.draw(st.sampled_from(["top", "key", "keeper_key", "drop", "add"]))
    if where == "top":
        name = data.draw(st.sampled_from(TOP_FIELDS))
        forged = replace(r, **{name: getattr(r, name) + changed_text})
    elif where == "key":
        i = data.draw(st.integers(0, len(r.kunci) - 1))
        name = data.draw(st.sampled_from(KEY_FIELDS))
        keys = list(r.kunci)
        keys[i] = replace(keys[i], **{name: getattr(keys[i], name) + changed_text})
        forged = replace(r, kunci=tuple(keys))
    elif where == "keeper_key":
        forged = replace(r, penjaga_kunci=pub(Ed25519PrivateKey.generate()))
    elif where == "drop":
        forged = replace(r, kunci=r.kunci[:-1])
    else:
        forged = replace(r, kunci=r.kunci + (entry_key("cici", CICI),))
    assert not registry.signature_intact(forged)
    try:  # and once written to its file and read back, unless the change left the file unreadable
        back = registry.parse(forged.to_json(), "x.json")
    except Refused:
        return
    assert not registry.signature_intact(back)


def test_the_file_form_round_trips_and_stays_intact():
    r = made(entry_key("ani", ANI, until="2027-01-01", why="rotasi", name="ANI RAHAYU, S.E."), entry_key("budi", BUDI))
    text = r.to_json()
    assert json.loads(text)["format"] == registry.FORMAT
    back = registry.parse(text, "daftar_kunci.json")
    assert back == r and registry.signature_intact(back)


def test_a_value_changed_in_the_file_is_not_intact():
    data = json.loads(made().to_json())
    data["kunci"][0]["berlaku_mulai"] = "2020-01-01"
    assert not registry.signature_intact(registry.parse(json.dumps(data), "x.json"))


# ---------------------------------------------------------------- reading a damaged file


def damaged(**change):
    data = json.loads(made().to_json())
    for path, value in change.items():
        target = data
        *parents, last = path.split("__")
        for p in parents:
            target = target[int(p)] if p.isdigit() else target[p]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return json.dumps(data)


@pytest.mark.parametrize("text, says", [
    ("{", "Expecting"),
    ("", "Expecting"),
    ("null", ""),
    ("[]", ""),
    (damaged(format="kinerja-xl/daftar-kunci/0"), "format 'kinerja-xl/daftar-kunci/0', seharusnya 'kinerja-xl/daftar-kunci/1'"),
    (damaged(format=KeyError), "format 'None'"),
    (damaged(kunci=KeyError), "kunci"),
    (damaged(kunci=None), ""),
    (damaged(instansi=KeyError), "instansi"),
    (damaged(kunci__0__kunci_publik="rusak!"), "bukan kunci publik (base64) yang sah"),
    (damaged(kunci__0__kunci_publik="AAAA"), "harus 32 byte, ini 3 byte"),
    (damaged(kunci__1__berlaku_mulai="30-09-2026"), "Invalid isoformat"),
    (damaged(kunci__1__berlaku_sampai="besok"), "Invalid isoformat"),
    (damaged(kunci__0__warna="merah"), "warna"),
    (damaged(kunci__0__pengguna=KeyError), "pengguna"),
])
def test_a_damaged_registry_is_refused_in_indonesian_naming_the_file(text, says):
    with pytest.raises(Refused) as exc:
        registry.parse(text, "daftar_kunci.json")
    message = exc.value.message
    assert message.startswith("Daftar kunci 'daftar_kunci.json' tidak dapat dibaca (")
    assert "Minta salinan yang utuh dari penjaganya (admin/Inspektorat)." in message
    assert says in message


# ---------------------------------------------------------------- adding the workbook's keys


PEOPLE = People((Official("ANI RAHAYU", "198001012005012001", "Staf", "staf", "ani"),
                 Official("BUDI SANTOSO", "197501012000031002", "Kepala", "kepala", "budi")),
                (StandIn("Plh.", Official("CICI LESTARI", "198501012010012003", "", "kepala", "cici"),
                         dt.date(2026, 10, 1), dt.date(2026, 12, 31)),))


def registered(**keys) -> dict[str, signing.RegisteredKey]:
    return {u: signing.RegisteredKey(u, pub(k)) for u, k in keys.items()}


def test_keys_are_added_once_dated_and_named_from_pengaturan():
    empty = registry.Registry("Setwan", "inspektorat", "", ())
    day = dt.date(2026, 9, 30)
    r, lines = registry.add_keys(empty, registered(cici=CICI, ani=ANI, dodi=BUDI), PEOPLE, day)
    assert [(k.pengguna, k.nama, k.nip, k.kunci_publik, k.sidik_jari, k.berlaku_mulai, k.berlaku_sampai)
            for k in r.kunci] == [("ani", "ANI RAHAYU", "198001012005012001", pub(ANI), fp(ANI), "2026-09-30", ""),
                                  ("cici", "CICI LESTARI", "198501012010012003", pub(CICI), fp(CICI), "2026-09-30", ""),
                                  ("dodi", "", "", pub(BUDI), fp(BUDI), "2026-09-30", "")]
    assert lines == [f"ani (ANI RAHAYU): {fp(ANI)}, berlaku mulai 30-09-2026",
                     f"cici (CICI LESTARI): {fp(CICI)}, berlaku mulai 30-09-2026",
                     f"dodi (-): {fp(BUDI)}, berlaku mulai 30-09-2026"]
    again, more = registry.add_keys(r, registered(cici=CICI, ani=ANI, dodi=BUDI), PEOPLE, dt.date(2027, 1, 1))
    assert again == r and more == []


def test_a_new_key_for_a_listed_user_is_added_beside_the_old_one():
    r = made()
    new = Ed25519PrivateKey.generate()
    after, lines = registry.add_keys(r, registered(ani=new, budi=BUDI), PEOPLE, dt.date(2027, 1, 1))
    assert after.kunci[:2] == r.kunci
    assert after.kunci[2].pengguna == "ani" and after.kunci[2].kunci_publik == pub(new)
    assert after.kunci[2].berlaku_mulai == "2027-01-01" and len(lines) == 1
    assert not registry.signature_intact(after)  # until the keeper signs it again


# ---------------------------------------------------------------- ending a key


@pytest.mark.parametrize("typed", [lambda f: f, lambda f: f.replace(" ", ""), lambda f: f.lower(),
                                   lambda f: f.lower().replace(" ", "")])
def test_a_key_is_ended_by_its_fingerprint_however_it_is_typed(typed):
    r = made()
    after, line = registry.end_key(r, typed(fp(BUDI)), dt.date(2027, 1, 1), "rotasi")
    assert after.kunci[0] == r.kunci[0]
    assert after.kunci[1] == replace(r.kunci[1], berlaku_sampai="2027-01-01", keterangan="rotasi")
    assert line == f"budi (BUDI): {fp(BUDI)} tidak berlaku mulai 01-01-2027 (rotasi)"


def test_an_unknown_fingerprint_is_refused_saying_where_to_copy_it_from():
    with pytest.raises(Refused, match="tidak ada di daftar kunci. Salin sidik jari lengkap \\(8 kelompok 4 karakter\\)"):
        registry.end_key(made(), fp(CICI), dt.date(2027, 1, 1), "hilang")
    with pytest.raises(Refused, match="tidak ada di daftar kunci"):
        registry.end_key(made(), fp(BUDI)[:19], dt.date(2027, 1, 1), "hilang")


def test_a_key_in_force_counts_from_its_first_day_up_to_the_day_before_it_ended():
    k = entry_key("ani", ANI, since="2026-10-01", until="2027-01-01")
    assert [k.in_force(dt.date.fromisoformat(d)) for d in ("2026-09-30", "2026-10-01", "2026-12-31", "2027-01-01")] == \
        [False, True, True, False]
    assert entry_key("ani", ANI, since="2026-10-01").in_force(dt.date(2099, 1, 1))


# ---------------------------------------------------------------- judging a workbook against the registry


def log(*rows: tuple[str, object, str]) -> list[audit.LogEntry]:
    """(user, key, ISO time) per row, each signed."""
    out: list[audit.LogEntry] = []
    for i, (user, key, time) in enumerate(rows):
        e = audit.chain(out, time=time, user=user, official=user.upper(), nip="1", role="R", capacity="Definitif",
                        action="Kirim", step=i + 1, note="", digest="d" * 64)
        out.append(replace(e, signature=signing.sign_hash(key, e.hash)))
    return out


ROWS = log(("ani", ANI, "2026-10-01T09:00:00+08:00"), ("budi", BUDI, "2026-10-05T09:00:00+08:00"))


def test_rows_signed_with_registered_keys_in_force_are_clean_with_the_keepers_fingerprint_noted():
    j = registry.judge(made(), "daftar_kunci.json", registered(ani=ANI, budi=BUDI), ROWS, WITA)
    assert j.problems == []
    assert j.notes == [f"Daftar kunci 'daftar_kunci.json' (Sekretariat DPRD) ditandatangani penjaga 'inspektorat', "
                       f"sidik jari {fp(KEEPER)}: cocokkan dengan sidik jari penjaga yang Anda simpan."]


def test_a_registry_that_is_not_intact_is_no_reference():
    j = registry.judge(replace(made(), instansi="Lain"), "d.json", registered(ani=ANI, budi=BUDI), ROWS, WITA)
    assert j.notes == [] and len(j.problems) == 1 and "Daftar kunci 'd.json' tidak utuh" in j.problems[0]


def test_a_key_replaced_inside_the_workbook_is_named_with_its_user():
    forger = Ed25519PrivateKey.generate()
    rows = log(("ani", ANI, "2026-10-01T09:00:00+08:00"), ("budi", forger, "2026-10-05T09:00:00+08:00"))
    j = registry.judge(made(), "d.json", registered(ani=ANI, budi=forger), rows, WITA)
    assert j.problems == [f"Kunci pengguna 'budi' di lembar Pengaturan (sidik jari {fp(forger)}) tidak ada di daftar "
                          "kunci kantor: kunci pejabat diganti di dalam buku kerja"]


def test_a_key_of_one_user_registered_for_another_is_not_listed():
    j = registry.judge(made(), "d.json", registered(ani=BUDI, budi=BUDI), [], WITA)
    assert len(j.problems) == 1 and "Kunci pengguna 'ani'" in j.problems[0]


def test_a_row_signed_on_or_after_the_day_its_key_ended_names_the_row_and_the_date():
    r = made(entry_key("ani", ANI), entry_key("budi", BUDI, until="2026-10-05", why="hilang"))
    j = registry.judge(r, "d.json", registered(ani=ANI, budi=BUDI), ROWS, WITA)
    assert j.problems == [f"Log baris 3 (Kirim langkah 2, BUDI): ditandatangani dengan kunci {fp(BUDI)}, yang tidak "
                          "berlaku sejak 05-10-2026 (hilang)"]


def test_a_row_signed_before_its_key_was_retired_is_good_with_a_note():
    r = made(entry_key("ani", ANI), entry_key("budi", BUDI, until="2027-01-01", why="rotasi"))
    j = registry.judge(r, "d.json", registered(ani=ANI, budi=BUDI), ROWS, WITA)
    assert j.problems == []
    assert j.notes[1:] == [f"Log baris 3 (Kirim langkah 2, BUDI): ditandatangani dengan kunci yang kini tidak berlaku "
                           f"lagi ({fp(BUDI)}, sampai 01-01-2027, rotasi); sah karena aksinya sebelum tanggal itu"]


def test_a_row_signed_before_its_key_began_is_named():
    r = made(entry_key("ani", ANI, since="2026-10-02"), entry_key("budi", BUDI))
    j = registry.judge(r, "d.json", registered(ani=ANI, budi=BUDI), ROWS, WITA)
    assert j.problems == [f"Log baris 2 (Kirim langkah 1, ANI): ditandatangani dengan kunci {fp(ANI)}, yang baru "
                          "berlaku mulai 02-10-2026"]


def test_the_day_of_a_row_is_the_offices_day():
    """23:30 UTC on 4 October is 07:30 on 5 October in WITA: the day the revoked key no longer counts."""
    r = made(entry_key("ani", ANI), entry_key("budi", BUDI, until="2026-10-05", why="hilang"))
    rows = log(("ani", ANI, "2026-10-01T09:00:00+08:00"), ("budi", BUDI, "2026-10-04T23:30:00+00:00"))
    assert len(registry.judge(r, "d.json", registered(ani=ANI, budi=BUDI), rows, WITA).problems) == 1
    assert registry.judge(r, "d.json", registered(ani=ANI, budi=BUDI), rows, dt.timezone.utc).problems == []


def test_with_a_rotated_key_the_old_key_proves_old_rows_and_the_new_one_new_rows():
    new = Ed25519PrivateKey.generate()
    r = made(entry_key("ani", ANI, until="2027-01-01", why="rotasi"), entry_key("ani", new, since="2027-01-01"))
    old_period = log(("ani", ANI, "2026-12-30T09:00:00+08:00"))
    new_period = log(("ani", new, "2027-01-02T09:00:00+08:00"))
    assert registry.judge(r, "d.json", registered(ani=ANI), old_period, WITA).problems == []
    assert registry.judge(r, "d.json", registered(ani=new), new_period, WITA).problems == []
    assert registry.judge(r, "d.json", registered(ani=ANI), log(("ani", ANI, "2027-01-02T09:00:00+08:00")),
                          WITA).problems != []


def test_a_log_without_keys_in_the_workbook_is_a_problem_when_the_office_keeps_a_registry():
    j = registry.judge(made(), "d.json", {}, ROWS, WITA)
    assert j.problems == ["Log tidak ditandatangani secara elektronik (tidak ada kunci di lembar Pengaturan), padahal "
                          "kantor memakai daftar kunci: tidak ada baris yang dapat dibuktikan"]
    assert registry.judge(made(), "d.json", {}, [], WITA).problems == []


def test_rows_of_a_user_without_a_key_or_with_an_unreadable_time_are_left_to_the_log_check():
    rows = ROWS + log(("dodi", CICI, "2026-10-06T09:00:00+08:00"))
    rows[0] = replace(rows[0], time="kemarin")
    j = registry.judge(made(), "d.json", registered(ani=ANI, budi=BUDI), rows, WITA)
    assert j.problems == []
