"""The customUI part: the definition's tab, one group per role, buttons from the definition, then the buttons
every SOP has: one group for everyone, one for the admin."""
from __future__ import annotations

from kinerja_xl.domain import names as N
from kinerja_xl.domain.buttons import button_id
from kinerja_xl.domain.definition import Definition

_ESCAPES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def quoteattr(value: str) -> str:
    """`xml.sax.saxutils.quoteattr`, which that module cannot give without importing urllib (a fifth of what
    `check` otherwise imports): double quotes, or single ones around a value holding only double quotes."""
    for char, entity in _ESCAPES:
        value = value.replace(char, entity)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


CALLBACK = "KinerjaTombol"  # hands the button id to Python (kinerja_xl.entrypoints.ribbon.tekan)
INSTALL_CALLBACK = "KinerjaPeriksaInstalasi"  # pure VBA: checks the machine, needs no Python
NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
# Buttons for anyone, whatever the SOP: (id, label, imageMso, onAction). imageMso values are Excel control ids
# from Microsoft's Office Fluent UI command identifiers (the same list definition_rules.OFFICE_ICONS comes from).
COMMON_BUTTONS = (("status", "Status", "Refresh", CALLBACK),
                  ("check", "Periksa Integritas", "SheetProtect", CALLBACK),
                  ("export", "Ekspor", "FileSaveAsPdfOrXps", CALLBACK),
                  ("kunci", "Daftarkan Kunci Saya", "FileAddDigitalSignature", CALLBACK),
                  ("install", "Periksa Instalasi", "ErrorChecking", INSTALL_CALLBACK))
# The admin's: the next period's workbook from a validated one (issue 18).
ADMIN_BUTTONS = (("periode", "Periode Berikutnya", "FileNew", CALLBACK),)


def ribbon_buttons(d: Definition) -> list[tuple[str, str, list[tuple[str, str, str, str]]]]:
    """(group id, group label, [(button id, label, icon, onAction)]) in role order, then the common group and
    the admin's."""
    groups = []
    for role in d.roles:
        buttons = [(button_id(s, b), b.label, b.icon, CALLBACK) for s in d.steps if s.role == role.id for b in s.buttons]
        if buttons:
            groups.append((f"grp_{role.id}", role.label, buttons))
    groups.append(("grp_umum", "Semua Pejabat", list(COMMON_BUTTONS)))
    groups.append((f"grp_{N.ADMIN_ROLE}", "Admin", list(ADMIN_BUTTONS)))  # no SOP role may be called admin
    return groups


def customui_xml(d: Definition) -> bytes:
    lines = [f'<customUI xmlns="{NAMESPACE}">', "  <ribbon>", "    <tabs>",
             f"      <tab id=\"tabKinerja\" label={quoteattr(d.header.app_label)}>"]
    for group_id, label, buttons in ribbon_buttons(d):
        lines.append(f"        <group id={quoteattr(group_id)} label={quoteattr(label)}>")
        for bid, blabel, icon, action in buttons:
            lines.append(f"          <button id={quoteattr(bid)} label={quoteattr(blabel)} imageMso={quoteattr(icon)}"
                         f" size=\"large\" onAction={quoteattr(action)}/>")
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines).encode("utf-8")
