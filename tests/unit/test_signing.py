"""Per-official signatures (issue 17): public keys as Pengaturan holds them, signing a log row's hash, the key
table, which rows a check names, who must register before step 1, where a key is registered, and which key
signs the validated PDF."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings, strategies as st

from kinerja_xl.domain import actions, audit, signing
from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.period import load_period
from kinerja_xl.domain.people import Official, People, StandIn
from kinerja_xl.domain.values import InvalidValue

from tests.unit import signed_period as S

QUICK = settings(max_examples=60, deadline=None, database=None)
KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
HASH = "ab" * 32


def where(r, c):
    return f"'Pengaturan'!{'BCD'[c]}{50 + r}"


# ---------------------------------------------------------------- public keys and fingerprints


def test_public_text_round_trips_through_parse_public_from_either_half():
    text = signing.public_text(KEY)
    assert text == signing.public_text(KEY.public_key())
    assert len(base64.b64decode(text)) == 32
    assert signing.public_text(signing.parse_public(text)) == text


def test_a_key_pasted_with_line_breaks_and_spaces_still_parses():
    text = signing.public_text(KEY)
    pasted = f"  {text[:20]}\n{text[20:30]} {text[30:]}\t"
    assert signing.public_text(signing.parse_public(pasted)) == text


@pytest.mark.parametrize("typed", ["bukan base64!", "AAAA*AAA", "abc"])
def test_text_that_is_not_base64_is_refused_saying_so(typed):
    with pytest.raises(InvalidValue) as exc:
        signing.parse_public(typed)
    assert "bukan kunci publik (base64) yang sah" in exc.value.message
    assert "salin ulang dari 'kinerja-xl " in exc.value.message


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_a_key_of_the_wrong_length_names_its_length(size):
    with pytest.raises(InvalidValue) as exc:
        signing.parse_public(base64.b64encode(bytes(range(size))).decode())
    assert f"harus 32 byte, ini {size} byte" in exc.value.message


def test_a_blank_cell_is_a_key_of_no_bytes():
    with pytest.raises(InvalidValue, match="ini 0 byte"):
        signing.parse_public(None)


def test_fingerprint_is_eight_groups_of_four_upper_hex_and_deterministic():
    text = signing.public_text(KEY)
    fp = signing.fingerprint(text)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){7}", fp), fp
    assert fp == signing.fingerprint(text) == signing.RegisteredKey("u", text).fingerprint
    assert fp != signing.fingerprint(signing.public_text(OTHER))
    assert fp.replace(" ", "") == hashlib.sha256(base64.b64decode(text)).hexdigest()[:32].upper()


# ---------------------------------------------------------------- signing a row's hash


def test_a_signed_hash_verifies_with_the_signers_public_key_only():
    signature = signing.sign_hash(KEY, HASH)
    base64.b64decode(signature, validate=True)
    assert signing.hash_signed(signing.public_text(KEY), HASH, signature)
    assert not signing.hash_signed(signing.public_text(OTHER), HASH, signature)


def test_the_signature_covers_the_log_context_not_the_bare_hash():
    """A signature made for another purpose over the same hex text does not pass as a log signature."""
    bare = base64.b64encode(KEY.sign(HASH.encode())).decode()
    assert not signing.hash_signed(signing.public_text(KEY), HASH, bare)


@pytest.mark.parametrize("signature", ["", "not base64!", "AAAA", base64.b64encode(b"x" * 64).decode()])
def test_a_missing_or_malformed_signature_is_simply_not_valid(signature):
    assert not signing.hash_signed(signing.public_text(KEY), HASH, signature)


def test_a_malformed_registered_key_is_simply_not_valid():
    assert not signing.hash_signed("rusak", HASH, signing.sign_hash(KEY, HASH))


HEX64 = st.text("0123456789abcdef", min_size=64, max_size=64)


@QUICK
@given(HEX64, HEX64)
def test_any_other_hash_does_not_verify(entry_hash, other):
    signature = signing.sign_hash(KEY, entry_hash)
    assert signing.hash_signed(signing.public_text(KEY), entry_hash, signature)
    assert signing.hash_signed(signing.public_text(KEY), other, signature) == (other == entry_hash)


@QUICK
@given(HEX64, st.integers(0, 64 * 8 - 1))
def test_any_changed_bit_of_the_signature_does_not_verify(entry_hash, bit):
    raw = bytearray(base64.b64decode(signing.sign_hash(KEY, entry_hash)))
    raw[bit // 8] ^= 1 << (bit % 8)
    assert not signing.hash_signed(signing.public_text(KEY), entry_hash, base64.b64encode(bytes(raw)).decode())


@QUICK
@given(HEX64, st.binary(min_size=32, max_size=32))
def test_any_other_key_does_not_verify(entry_hash, seed):
    other = Ed25519PrivateKey.from_private_bytes(seed)
    signature = signing.sign_hash(KEY, entry_hash)
    same = signing.public_text(other) == signing.public_text(KEY)
    assert signing.hash_signed(signing.public_text(other), entry_hash, signature) == same


# ---------------------------------------------------------------- Pengaturan's key table


def row(user, key, shown=None):
    public = signing.public_text(key) if not isinstance(key, str) else key
    return [user, public, signing.fingerprint(public) if shown is None and not isinstance(key, str) else shown]


def test_key_table_reads_users_casefolded_and_skips_blank_rows():
    keys, problems = signing.parse_keys([[None, None, None], row("  ANI ", KEY), ["", " ", None], row("Budi", OTHER, "")],
                                        where)
    assert problems == []
    assert keys == {"ani": signing.RegisteredKey("ani", signing.public_text(KEY)),
                    "budi": signing.RegisteredKey("budi", signing.public_text(OTHER))}


def test_a_fingerprint_typed_in_lower_case_is_accepted():
    keys, problems = signing.parse_keys([row("ani", KEY, signing.fingerprint(signing.public_text(KEY)).lower())], where)
    assert problems == [] and set(keys) == {"ani"}


def test_short_rows_are_padded():
    keys, problems = signing.parse_keys([("ani", signing.public_text(KEY))], where)
    assert problems == [] and set(keys) == {"ani"}


def test_a_user_listed_twice_keeps_the_first_and_names_the_second_cell():
    keys, problems = signing.parse_keys([row("ani", KEY), row("budi", OTHER), row("ANI", OTHER)], where)
    assert keys["ani"].public == signing.public_text(KEY)
    assert problems == ["Kunci: pengguna 'ani' terdaftar dua kali (kedua di 'Pengaturan'!B52); satu pengguna satu kunci"]


def test_a_key_without_a_user_names_the_user_cell():
    keys, problems = signing.parse_keys([row("ani", KEY), row(" ", OTHER)], where)
    assert set(keys) == {"ani"}
    assert problems == ["Kunci: Pengguna Windows di 'Pengaturan'!B51 kosong"]


@pytest.mark.parametrize("public, says", [("bukan-kunci!", "bukan kunci publik (base64)"),
                                          (base64.b64encode(b"x" * 31).decode(), "31 byte")])
def test_a_bad_public_key_names_the_key_cell_and_the_problem(public, says):
    keys, problems = signing.parse_keys([row("ani", KEY), ["budi", public, None]], where)
    assert set(keys) == {"ani"} and len(problems) == 1
    assert problems[0].startswith("Kunci publik di 'Pengaturan'!C51: ") and says in problems[0]


def test_a_fingerprint_that_does_not_match_its_key_names_both_cells_and_the_right_one():
    wrong = signing.fingerprint(signing.public_text(OTHER))
    keys, problems = signing.parse_keys([row("ani", KEY, wrong)], where)
    assert keys == {}
    right = signing.fingerprint(signing.public_text(KEY))
    assert len(problems) == 1
    assert problems[0].startswith(f"Sidik jari di 'Pengaturan'!D50 tidak cocok dengan kunci publik di 'Pengaturan'!C50 "
                                  f"(seharusnya {right}); daftarkan ulang dengan 'kinerja-xl ")


def test_the_period_reads_its_key_problems_from_the_workbooks_cells():
    p = load_period(S.D, S.blocks(S.key_rows(S.keys_for()) + [["dodi", "rusak", None]]))
    assert set(p.keys) == set(S.ACTING)
    assert len(p.key_problems) == 1 and "'Pengaturan'!C53" in p.key_problems[0]


# ---------------------------------------------------------------- the log rows a check names


def entries_signed(signers: list[tuple[str, object]]) -> list[audit.LogEntry]:
    out: list[audit.LogEntry] = []
    for i, (user, key) in enumerate(signers):
        entry = audit.chain(out, time=f"2026-10-0{i + 1}T09:00:00+08:00", user=user, official=user.upper(), nip="1",
                            role="R", capacity="Definitif", action="Kirim", step=i + 1, note="", digest="d" * 64)
        out.append(replace(entry, signature=signing.sign_hash(key, entry.hash)) if key else entry)
    return out


REGISTERED = {"ani": signing.RegisteredKey("ani", signing.public_text(KEY)),
              "budi": signing.RegisteredKey("budi", signing.public_text(OTHER))}


def test_rows_signed_by_their_users_registered_keys_have_no_problems():
    assert signing.row_problems(entries_signed([("ani", KEY), ("budi", OTHER), ("ani", KEY)]), REGISTERED) == []
    assert signing.row_problems([], REGISTERED) == []


def test_a_row_by_a_user_without_a_registered_key_is_named():
    log = entries_signed([("ani", KEY), ("dodi", OTHER)])
    assert signing.row_problems(log, REGISTERED) == [
        "Log baris 3 (Kirim langkah 2, DODI): pengguna 'dodi' tidak punya kunci terdaftar, jadi baris ini tidak dapat "
        "dibuktikan"]


def test_an_unsigned_row_is_named():
    log = entries_signed([("ani", KEY), ("budi", None)])
    assert signing.row_problems(log, REGISTERED) == ["Log baris 3 (Kirim langkah 2, BUDI): tidak ditandatangani secara "
                                                     "elektronik"]


def test_a_forged_row_and_a_row_signed_with_another_key_are_named_with_the_registered_fingerprint():
    log = entries_signed([("ani", KEY), ("budi", KEY), ("ani", KEY)])
    log[2] = replace(log[2], hash="0" * 64)  # a row whose hash (so its content) changed after signing
    problems = signing.row_problems(log, REGISTERED)
    assert [p.split(":")[0] for p in problems] == ["Log baris 3 (Kirim langkah 2, BUDI)", "Log baris 4 (Kirim langkah 3, ANI)"]
    assert f"selain kunci {REGISTERED['budi'].fingerprint}" in problems[0]
    assert f"selain kunci {REGISTERED['ani'].fingerprint}" in problems[1]
    assert all("tanda tangan elektronik tidak sah" in p for p in problems)


def test_a_row_names_the_user_when_it_has_no_official():
    log = [replace(e, official="") for e in entries_signed([("dodi", None)])]
    assert "(Kirim langkah 1, dodi)" in signing.row_problems(log, REGISTERED)[0]


# ---------------------------------------------------------------- who must register before step 1


def person(name, role, user):
    return Official(name, "1", "", role, user)


PEOPLE = People((person("ANI", "staf", "ani"), person("BUDI", "kepala", "budi"), person("ADI", "admin", "adi"),
                 person("KADIS", "kadis", "kadis")),
                (StandIn("Plh.", person("CICI", "kepala", "cici"), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),))
ROLES = {"staf", "kepala"}


def test_no_one_need_register_while_the_office_registers_no_keys():
    assert signing.unregistered(PEOPLE, {}, ROLES) == []


def test_once_one_key_is_registered_every_official_of_a_step_and_every_stand_in_needs_one():
    missing = signing.unregistered(PEOPLE, {"ani": REGISTERED["ani"]}, ROLES)
    assert [m.split(" belum")[0] for m in missing] == ["BUDI (pengguna 'budi')", "CICI (pengguna 'cici')"]
    assert all("jalankan tombol Daftarkan Kunci Saya di komputernya (atau 'kinerja-xl " in m for m in missing)


def test_admins_and_officials_of_no_step_need_no_key():
    keys = {u: signing.RegisteredKey(u, signing.public_text(KEY)) for u in ("ani", "budi", "cici")}
    assert signing.unregistered(PEOPLE, keys, ROLES) == []


def test_a_nameless_official_is_named_by_user():
    people = People((person("", "staf", "ani"), person("BUDI", "kepala", "budi")), ())
    assert signing.unregistered(people, {"budi": REGISTERED["budi"]}, ROLES)[0].startswith("ani (pengguna 'ani')")


def test_step_one_is_refused_until_everyone_who_may_act_registered():
    keys = S.keys_for(("ani",))
    p = S.period(keys)
    with pytest.raises(Refused) as exc:
        actions.act(p, "submit", "ani", S.START, key_for=keys.get)
    assert "(pengguna 'budi') belum mendaftarkan kunci" in exc.value.message
    assert "(pengguna 'cici') belum mendaftarkan kunci" in exc.value.message
    assert "'adi'" not in exc.value.message


# ---------------------------------------------------------------- registering one's own key


def test_a_key_goes_in_the_first_free_row_while_settings_are_open():
    keys = S.keys_for(("ani",))
    p = S.with_key_table(S.period(), [*S.key_rows(keys), [None, None, None], [None, "", None], ["cici", "x", ""]])
    public = signing.public_text(OTHER)
    assert signing.registration(p, " Budi ", public) == (1, ["budi", public, signing.fingerprint(public)])


def test_a_users_own_row_is_replaced_whatever_case_it_was_typed_in():
    p = S.with_key_table(S.period(), [["  ANI ", signing.public_text(KEY), "x"], [None, None, None], ["budi", "y", "z"]])
    public = signing.public_text(OTHER)
    assert signing.registration(p, "ani", public) == (0, ["ani", public, signing.fingerprint(public)])
    assert signing.registration(p, "BUDI", public)[0] == 2


def test_a_stand_in_may_register_a_key():
    assert signing.registration(S.period(), "cici", signing.public_text(KEY))[0] == 0


def test_someone_pengaturan_does_not_list_is_refused():
    with pytest.raises(Refused, match="Pengguna 'dodi' tidak terdaftar di tabel Pejabat atau Plh./Plt."):
        signing.registration(S.period(), "dodi", signing.public_text(KEY))


def test_a_full_key_table_is_refused():
    full = [[f"u{i}", signing.public_text(KEY), ""] for i in range(N.KEY_ROWS)]
    p = S.with_key_table(S.period(), full)
    with pytest.raises(Refused, match=f"sudah penuh \\({N.KEY_ROWS} baris\\)"):
        signing.registration(p, "ani", signing.public_text(OTHER))


def test_once_step_one_is_sent_no_key_can_be_registered():
    keys = S.keys_for()
    p = S.applied(S.period(keys), actions.act(S.period(keys), "submit", "ani", S.START, key_for=keys.get))
    assert not p.settings_open
    with pytest.raises(Refused, match="Pengaturan sudah terkunci sejak langkah 1 dikirim"):
        signing.registration(p, "ani", signing.public_text(OTHER))


# ---------------------------------------------------------------- the key that signs the validated PDF


@pytest.fixture(scope="module")
def validated():
    """A period validated at step 4 by the Plh. (cici), then carried on to step 5."""
    keys = S.keys_for()
    p = S.period(keys)
    at = S.START
    for action, user in [("submit", "ani"), ("submit", "ani"), ("verify", "budi"), ("validate", "cici"),
                         ("submit", "ani")]:
        at += dt.timedelta(hours=1)
        p = S.applied(p, actions.act(p, action, user, at, key_for=keys.get))
    return p, keys


def test_only_the_validating_officials_own_registered_key_signs_the_pdf(validated):
    p, keys = validated
    assert signing.validator_key(p, "cici", keys.get) is keys["cici"]
    assert signing.validator_key(p, " CICI ", keys.get) is keys["cici"]


@pytest.mark.parametrize("user", ["ani", "budi", "", None])
def test_anyone_else_exporting_gets_no_signing_key(validated, user):
    p, keys = validated
    assert signing.validator_key(p, user, keys.get) is None


def test_a_key_on_this_pc_that_is_not_the_registered_one_signs_nothing(validated):
    p, keys = validated
    assert signing.validator_key(p, "cici", lambda u: OTHER) is None
    assert signing.validator_key(p, "cici", lambda u: None) is None
    assert signing.validator_key(p, "cici", None) is None


def test_no_key_signs_before_validation_or_when_the_validator_has_none_registered(validated):
    p, keys = validated
    assert signing.validator_key(replace(p, entries=p.entries[:3]), "cici", keys.get) is None
    assert signing.validator_key(replace(p, keys={u: k for u, k in p.keys.items() if u != "cici"}), "cici",
                                 keys.get) is None
