"""Issue 19: the part-level file adapter (`KINERJA_XL_ADAPTER=bagian`) does what the openpyxl one does.

Random action sequences — fields and table cells set to valid and invalid values (text starting with '=', long
text, dates, numbers with many digits, line breaks, control characters), imports, submit/verify/return/validate by
the right and the wrong people, status — run through the CLI twice, once per adapter, on two copies of one
workbook at the same fixed clock. After every command the exit codes and messages are equal, and a refused command
left its file byte-identical; after the sequence both files read back equal cell by cell by openpyxl (values and
their types, formulas vs text, number formats, locks, sheet protection and states, defined names), their anchor
sidecars (the log's head hash and the sealed digests) are equal, so are the exports `validate` made (log CSV,
the xlsx cell by cell, the manifest), LibreOffice computes the same values for every
named block, `check` is clean on both, and the part-level adapter added, dropped or changed no member of the package
beyond the parts it writes (tests/part_inputs.WRITTEN). Every command on the `bagian` side is seen to run through
`PartWorkbook`, and none on the `openpyxl` side: the two runs cannot agree by both being the reference.

Starting points: the freshly built workbook, the same saved once by LibreOffice (what a part-level writer must read
through: shared strings, its own XML), and workbooks at step 3 and step 5 driven there by the reference adapter.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja_xl.adapters.part_book import PartWorkbook
from tests.conftest import SAMPLE_CSV
from tests.flow import to_step
from tests.part_inputs import (ADAPTERS, BOOK, PARTS, REFERENCE, Outcome, differences, export_differences,
                               libreoffice_blocks, members, run, sidecar, untouched_problems, wita)

USERS = ["ardiansyah", "ridha", "rahmah", "fauzi", "tamu"]
OWNER = {1: "ardiansyah", 2: "ridha", 3: "rahmah", 4: "ridha", 5: "ardiansyah"}
VERB = {1: "submit", 2: "submit", 3: "submit", 4: "verify", 5: "validate"}
VALID = {
    1: ["disposisi_nomor=005/SETWAN/X/2026", "disposisi_tanggal=01-10-2026", "disposisi_kepada=Kepala Bagian",
        "disposisi_isi=Segera input data kinerja"],
    2: ["perintah_kepada=Kasubbag Perencanaan", "perintah_tanggal=02-10-2026", "perintah_isi=Input data kinerja"],
    3: [f"kelengkapan[{i}].{c}" for i in (1, 2, 3) for c in ("ada=Ada", "referensi=Dok")],
    4: ["verifikasi_tanggal=06-10-2026", *(f"reviu[{i}].hasil=sesuai" for i in range(1, 9))],
    5: ["validasi_tempat=Paringin", "validasi_tanggal=07-10-2026"],
}
INDIKATOR = ["no", "sasaran_strategis", "indikator_kinerja", "satuan", "arah", "target", "realisasi_tw1",
             "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", "capaian", "sumber_data", "keterangan"]
# What each step's official may set ({r}: a table row, drawn); before step 1 is sent, Pengaturan too.
TARGETS = {
    1: ["disposisi_nomor", "disposisi_tanggal", "disposisi_kepada", "disposisi_isi", "pengaturan_tahun",
        "pengaturan_periode", "pengaturan_mulai", "pengaturan_tempat", "pengaturan_alamat",
        "pengaturan_pejabat[{r}].nama", "pengaturan_pejabat[{r}].nip", "pengaturan_libur[{r}].tanggal",
        "pengaturan_libur[{r}].keterangan"],
    2: ["perintah_kepada", "perintah_tanggal", "perintah_isi"],
    3: [*(f"indikator[{{r}}].{c}" for c in INDIKATOR), "kelengkapan[{r}].butir", "kelengkapan[{r}].ada",
        "kelengkapan[{r}].referensi"],
    4: ["verifikasi_tanggal", "reviu[{r}].hasil", "reviu[{r}].catatan"],
    5: ["validasi_tempat", "validasi_tanggal"],
}
ANY_TARGET = sorted({t for targets in TARGETS.values() for t in targets})
ROW = st.sampled_from([1, 1, 2, 3, 8, 200, 201, 0])
TRICKY = ["=1+1", "=TRUE()", "=A1*2", "=HYPERLINK(\"http://x\")", "'=kutip", "+62 811", "-5", "  spasi di tepi  ",
          " ", "", "baris satu\nbaris dua", "CR\r\nLF", "tab\tdi tengah", "_x000D_ literal", "a&b<c>\"d'e ]]>",
          "x" * 5000, "ä" * 32767, "é" * 32768, "\x0b vertikal", "\x1f unit", "\u200b nol lebar", "😀 emoji",
          "12345678901234567890", "0,12345678901234567890", "1.234.567,89", "1.234,5", "1e308", "1E-320", "-0", "85%",
          "007", "3,14", "3.14", "100", "24,5", "naik", "turun", "sesuai", "perlu perbaikan", "Ada", "Tidak ada",
          "Kepala Bagian", "Kepala Sub Bagian", "IV", "I", "2027", "2026", "01-10-2026", "31-02-2026", "2026-10-01",
          "29-02-2028", "01-01-1900", "1-1-26", "07/10/2026", "19620718198302 1 004"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25)
VALUE = st.one_of(
    st.sampled_from(TRICKY), TEXT,
    st.integers(-10 ** 20, 10 ** 20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: repr(f).replace(".", ",")),
    st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=9, allow_nan=False).map(str),
    st.dates(dt.date(1899, 12, 1), dt.date(2100, 1, 31)).map(lambda d: d.strftime("%d-%m-%Y")),
)
WHO = st.one_of(st.just("pemilik"), st.sampled_from(USERS))  # "pemilik": the current step's own official


# A target: ("langkah", k, row): the current step's k-th target, or ("nama", target, row): any step's.
TARGET = st.one_of(st.tuples(st.just("langkah"), st.integers(0, 20), ROW),
                   st.tuples(st.just("nama"), st.sampled_from(ANY_TARGET), ROW))


ACTION = st.one_of(
    st.tuples(st.just("set"), st.lists(st.tuples(TARGET, VALUE), min_size=1, max_size=3), WHO),
    st.tuples(st.just("import"), st.sampled_from(["contoh", "acak"]),
              st.lists(st.lists(VALUE, min_size=11, max_size=11), min_size=1, max_size=3), WHO),
    st.tuples(st.just("act"), st.sampled_from(["submit", "verify", "return", "validate"]), WHO,
              st.sampled_from(["", "perbaiki", "=1+1", "  spasi di tepi ", "catatan\npanjang " * 30]),
              st.sampled_from([None, 3])),
    st.tuples(st.just("status"), st.booleans()),
    st.just(("lanjut",)),  # the current step's own official completes it
)
START = st.sampled_from(["baru", "libreoffice", "langkah3", "langkah5"])
DAY = st.sampled_from([dt.datetime(2026, 10, 7, 8), dt.datetime(2026, 12, 22, 8), dt.datetime(2026, 12, 24, 8)])
# CI runs a fixed set of examples (derandomized: the coverage asserted below holds on every run); for a longer,
# random search: KINERJA_XL_SETARA_CONTOH=300 python -m pytest tests/integration/test_part_equivalence.py
MORE = int(os.environ.get("KINERJA_XL_SETARA_CONTOH", "0"))
EXAMPLES = settings(max_examples=MORE or 8, deadline=None, derandomize=not MORE, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])
WRITES = {"set", "import", "submit", "verify", "return", "validate"}
OPENS_THE_BOOK = WRITES | {"status"}


@pytest.fixture(scope="module")
def starts(tmp_path_factory, demo_bytes, office) -> dict[str, Path]:
    """Each starting folder (the workbook and its sidecar), prepared once by the reference adapter."""
    root = tmp_path_factory.mktemp("awal")
    folders = {}
    for name in ("baru", "libreoffice", "langkah3", "langkah5"):
        folder = root / name
        folder.mkdir()
        (folder / BOOK).write_bytes(demo_bytes)
        folders[name] = folder
    office.save_as_user(folders["libreoffice"] / BOOK)
    for name, step in (("langkah3", 3), ("langkah5", 5)):
        def cli(*args, now, folder=folders[name]):
            result = run(REFERENCE, folder, *args, now=now)
            assert result.code == 0, result.err
            return result
        to_step(cli, folders[name] / BOOK, step)
    return folders


@pytest.fixture(scope="module")
def made():
    """How many PartWorkbooks each command made: proof that `bagian` really ran the part-level adapter (and that
    `openpyxl` did not), so the two runs cannot compare equal by both being the reference."""
    count = Counter()
    original = PartWorkbook.__init__

    def counted(self, *args, **kwargs):
        count["made"] += 1
        original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PartWorkbook, "__init__", counted)
        yield count


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Pair:
    """The same commands on two copies of one folder, one per adapter, compared after each."""

    def __init__(self, start: Path, day: dt.datetime, work: Path, made: Counter):
        self.made, self.tally, self.start = made, Counter(), start / BOOK
        self.folders = {a: work / a for a in ADAPTERS}
        for folder in self.folders.values():
            shutil.copytree(start, folder)
        self.books = {a: f / BOOK for a, f in self.folders.items()}
        self.day, self.minute, self.trail = day, 0, []
        self.step: int | None | str = "?"  # the current step as status last said, "?" once an action may have moved it

    def __call__(self, *args) -> Outcome:
        self.minute += 3
        now = wita(self.day, self.minute)
        shown = " ".join(str(a) for a in args)[:200]
        self.trail.append(f"{now} {shown}")
        outcomes, before = {}, {a: sha(b) for a, b in self.books.items()}
        for adapter in ADAPTERS:
            argv = [self.books[adapter] if a is BOOK else a for a in args]
            made = self.made["made"]
            outcomes[adapter] = run(adapter, self.folders[adapter], *argv, now=now)
            made = self.made["made"] - made
            if adapter == REFERENCE:
                assert made == 0 or args[0] not in WRITES, f"{adapter} {args[0]}: the part-level adapter ran"
            elif args[0] in OPENS_THE_BOOK and outcomes[adapter].code == 0:
                assert made > 0, f"{adapter} {args[0]}: the part-level adapter did not run"
        ref, parts = outcomes[REFERENCE], outcomes[PARTS]
        story = "\n".join(self.trail)
        self.tally[(args[0], ref.code)] += 1
        assert (parts.code, parts.out, parts.err) == (ref.code, ref.out, ref.err), story
        assert ref.code != 5, f"{story}\n{ref.err}"
        if ref.code != 0:
            for adapter in ADAPTERS:
                assert sha(self.books[adapter]) == before[adapter], f"{adapter}: a refusal changed the file\n{story}"
        if ref.code == 0 and args[0] not in ("status", "check"):
            self.step = "?"
        return ref

    def current(self) -> int | None:
        if self.step == "?":
            self.step = json.loads(self("status", BOOK, "--json").out)["langkah_aktif"]
        return self.step


def who(pair: Pair, user: str) -> str:
    if user != "pemilik":
        return user
    return OWNER.get(pair.current(), "ardiansyah")


def write_csv(path: Path, kind: str, rows: list[list[str]]) -> Path:
    with open(SAMPLE_CSV, newline="", encoding="utf-8") as fh:
        sample = list(csv.reader(fh))
    body = sample[1:] if kind == "contoh" else [r[:] for r in sample[1:1 + len(rows)]]
    if kind == "acak":  # the sample's rows with some cells replaced by drawn values (sumber_data always)
        for row, drawn in zip(body, rows):
            for j in (1, 2, 5, 6, 9, 10):
                row[j] = drawn[j]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([sample[0], *body])
    return path


def perform(pair: Pair, action: tuple, data: Path) -> None:
    kind = action[0]
    if kind == "set":
        _, assignments, user = action
        step = pair.current() or 5
        chosen = [(TARGETS[step][k % len(TARGETS[step])] if how == "langkah" else k).format(r=r)
                  for (how, k, r), _ in assignments]
        pair("set", BOOK, *(f"{t}={v}" for t, (_, v) in zip(chosen, assignments)), "--as", who(pair, user))
    elif kind == "import":
        _, variant, rows, user = action
        pair("import", BOOK, write_csv(data, variant, rows), "--as", who(pair, user))
    elif kind == "act":
        _, verb, user, note, to = action
        extra = ["--note", note] if note or verb == "return" else []
        extra += ["--ke", str(to)] if to and verb == "return" else []
        pair(verb, BOOK, *extra, "--as", who(pair, user))
    elif kind == "status":
        pair("status", BOOK, *(["--json"] if action[1] else []))
    else:
        step = pair.current()
        if step is None:
            return
        if step == 3:
            pair("import", BOOK, SAMPLE_CSV, "--as", OWNER[step])
        pair("set", BOOK, *VALID[step], "--as", OWNER[step])
        pair(VERB[step], BOOK, "--as", OWNER[step])


def same_results(pair: Pair, office, now: str) -> None:
    """After a sequence: the two workbooks as openpyxl and LibreOffice read them, their sidecars, and `check`."""
    story = "\n".join(pair.trail)
    ref, parts = pair.books[REFERENCE], pair.books[PARTS]
    assert differences(ref, parts) == [], story
    assert sidecar(parts) == sidecar(ref), story
    assert export_differences(pair.folders[REFERENCE], pair.folders[PARTS]) == [], story
    assert untouched_problems(members(pair.start), members(parts)) == [], story
    assert libreoffice_blocks(office, parts) == libreoffice_blocks(office, ref), story
    for adapter in ADAPTERS:
        result = run(adapter, pair.folders[adapter], "check", pair.books[adapter], now=now)
        assert result.code == 0 and "Tidak ada perubahan" in result.out, f"{adapter}\n{story}\n{result.out}"


def test_both_file_adapters_give_the_same_workbook(starts, office, made):
    seen = Counter()

    @given(start=START, day=DAY, actions=st.lists(ACTION, min_size=2, max_size=6))
    @EXAMPLES
    def sequence(start, day, actions):
        work = Path(tempfile.mkdtemp(prefix="setara-"))
        try:
            pair = Pair(starts[start], day, work, made)
            for action in actions:
                perform(pair, action, work / "data.csv")
            same_results(pair, office, wita(day, 600))
            seen.update(pair.tally)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    sequence()
    if not MORE:  # the fixed examples reach what the test is for: accepted and refused writes, a validation
        accepted = {verb for (verb, code), n in seen.items() if code == 0}
        refused = {verb for (verb, code), n in seen.items() if code != 0}
        assert {"set", "import", "submit", "verify", "validate", "status"} <= accepted, seen
        assert {"set", "import"} <= refused and len(refused) >= 4, seen


LONG = "Teks panjang, " * 350  # 4,900 characters
TRICKY_ROWS = [  # sasaran, indikator, satuan, target, realisasi TW IV, sumber (each accepted by import)
    ("baris satu\nbaris dua", "  spasi di tepi  ", "%", "0,12345678901234567890", "68.5", LONG),
    ("a&b<c>\"d'e ]]>", "_x000D_ literal", "nilai", "1.234.567,89", "1.234,5", "'=kutip"),
    ("😀 emoji \u200b", "ä" * 32767, "dok", "007", "-0", "+62 811"),
    ("CR\r\nLF", "tab\tdi tengah", "%", "85%", "3,14", "1+1=2, = di tengah"),
]


def test_a_fixed_run_with_every_awkward_value_gives_the_same_workbook(starts, office, made, tmp_path):
    """The values the random runs may rarely reach, each certainly written: an import of awkward text and numbers
    (a cell of 32,767 characters, line breaks, leading spaces, XML's special characters, Excel's _x000D_ escape,
    emoji, 20 significant digits), notes that start with '=', hold line breaks and begin or end with white space
    (inputs are trimmed, notes are kept as typed), a return and the rest of the SOP to its validation (with the
    export)."""
    pair = Pair(starts["langkah3"], dt.datetime(2026, 10, 7, 8), tmp_path, made)
    header = ["no", "sasaran_strategis", "indikator_kinerja", "satuan", "arah", "target", "realisasi_tw1",
              "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", "sumber_data"]
    data = tmp_path / "janggal.csv"
    with open(data, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *([i + 1, s, k, u, "naik", t, "", "", "", r, b]
                                            for i, (s, k, u, t, r, b) in enumerate(TRICKY_ROWS))])
    story = [("import", BOOK, data, "--as", "rahmah"),
             ("set", BOOK, *VALID[3], "indikator[1].keterangan=catatan\nbaris dua", "indikator[2].realisasi_tw3=1,5",
              "indikator[3].keterangan=  ", "--as", "rahmah"),
             ("submit", BOOK, "--note", "  =TRUE()  ", "--as", "rahmah"),
             ("set", BOOK, *VALID[4], "reviu[2].catatan=perlu\ndicek", "--as", "ridha"),
             ("verify", BOOK, "--note", "=1+1\nbaris kedua ", "--as", "ridha"),
             ("return", BOOK, "--note", " perbaiki\r\nlagi\t", "--ke", "3", "--as", "ardiansyah"),
             ("set", BOOK, "indikator[4].keterangan=_x000A_", "indikator[1].target=12.345.678,9", "--as", "rahmah"),
             ("submit", BOOK, "--as", "rahmah"),
             ("set", BOOK, *VALID[4], "--as", "ridha"),
             ("verify", BOOK, "--as", "ridha"),
             ("set", BOOK, *VALID[5], "validasi_tempat=Paringin\n(kantor)", "--as", "ardiansyah"),
             ("validate", BOOK, "--note", "=\"sah\"", "--as", "ardiansyah")]
    for args in story:
        result = pair(*args)
        assert result.code == 0, "\n".join(pair.trail) + "\n" + result.err
    same_results(pair, office, "2026-10-08T08:00")
