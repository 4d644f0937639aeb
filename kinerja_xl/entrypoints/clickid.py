"""click in Bahasa Indonesia: usage line, headings, the help option, and every usage error as a message staff read.

click's own texts are English (and go through gettext without a catalogue); here the help is drawn by our own
`format_help`, and a usage error is turned into Indonesian from the exception's type and fields, never shown raw.
"""
from __future__ import annotations

import re
from pathlib import Path

import click

from kinerja_xl.domain.definition_rules import did_you_mean

PROG = "kinerja-xl"
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Argumen(click.Argument):
    """A positional argument with its own help line (click's arguments have none before 8.5)."""

    def __init__(self, decls, keterangan: str, **attrs):
        super().__init__(decls, **attrs)
        self.keterangan = keterangan


class Opsi(click.Option):
    def get_help_record(self, ctx):
        record = super().get_help_record(ctx)
        return record and (record[0], re.sub(r"\s*\[required\]$", "  [wajib]", record[1]))


class Jalur(click.ParamType):
    """A path as typed; whether it exists, and what it is, is the command's to say (exit 4), not the parser's."""

    name = "jalur"

    def convert(self, value, param, ctx):
        return value if isinstance(value, Path) else Path(value)


class Langkah(click.ParamType):
    name = "langkah"

    def convert(self, value, param, ctx):
        try:
            return int(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' bukan nomor langkah (bilangan bulat, mis. 3)", param, ctx)


def argumen(*decls, keterangan: str, **attrs):
    return click.argument(*decls, cls=Argumen, keterangan=keterangan, **attrs)


def opsi(*decls, **attrs):
    return click.option(*decls, cls=Opsi, **attrs)


def _section(formatter, title: str, rows) -> None:
    if rows:
        with formatter.section(title):
            formatter.write_dl(rows)


class Perintah(click.Command):
    """A command whose help is all Indonesian: usage, description, arguments, options, an example."""

    def __init__(self, *args, contoh: str = "", **kwargs):
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)
        self.contoh = contoh

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "tampilkan bantuan ini, lalu keluar"
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Penggunaan: ")

    def format_help(self, ctx, formatter):
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        params = self.get_params(ctx)
        _section(formatter, "Argumen", [(p.human_readable_name, p.keterangan) for p in params if isinstance(p, Argumen)])
        _section(formatter, "Opsi", [r for p in params if not isinstance(p, click.Argument)
                                     for r in [p.get_help_record(ctx)] if r])
        self.format_more(ctx, formatter)
        if self.contoh:
            with formatter.section("Contoh"):
                formatter.write_text("\b\n" + self.contoh)  # \b: a command is never re-wrapped

    def format_more(self, ctx, formatter) -> None:
        """Where a group lists its commands."""


class Kelompok(Perintah, click.Group):
    """The `kinerja-xl` group: its commands listed under "Perintah", a misspelt one answered with a suggestion."""

    command_class = Perintah

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)

    def format_more(self, ctx, formatter) -> None:
        _section(formatter, "Perintah", [(name, self.commands[name].get_short_help_str(70)) for name in self.commands])

    def resolve_command(self, ctx, args):
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            raise click.UsageError(f"Perintah '{name}' tidak dikenal{did_you_mean(name, self.commands)}", ctx)
        return super().resolve_command(ctx, args)


def message(exc: click.ClickException) -> str:
    """The usage error in Indonesian, with the usage line and where to read more."""
    ctx = getattr(exc, "ctx", None)
    text = _what(exc)
    if ctx is None:
        return f"{text}\nLihat '{PROG} --help'."
    return f"{text}\n{ctx.get_usage()}\nLihat '{ctx.command_path} --help'."


def _what(exc: click.ClickException) -> str:
    if isinstance(exc, click.NoSuchOption):
        return f"Opsi tidak dikenal: {exc.option_name}{did_you_mean(exc.option_name, exc.possibilities or ())}"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return _missing(exc.param)
    if isinstance(exc, click.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"Opsi {exc.option_name} tidak menerima nilai."
        return f"Opsi {exc.option_name} memerlukan nilai."
    if isinstance(exc, click.BadParameter):
        where = exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx is not None else "argumen"
        return f"Nilai {where} tidak sah: {exc.message}"
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)$", exc.message)
    if extra:
        return f"Argumen berlebih: {extra.group(1)}"
    if exc.message == "Missing command.":
        return "Sebutkan perintahnya."
    if re.search(r"[a-z] [a-z]+ [a-z]", exc.message) and exc.message.isascii():  # an English text we have not met
        return "Perintah tidak dapat dibaca."
    return exc.message


def _missing(param: click.Parameter) -> str:
    if isinstance(param, Argumen):
        return f"Argumen {param.human_readable_name} belum diisi: {param.keterangan}."
    names = " / ".join(param.opts)
    help = getattr(param, "help", "") or ""
    return f"Opsi {names} wajib diisi" + (f": {help}." if help else ".")
