"""Where a person acts, and how a message names what to do next there: the ribbon names its buttons, the CLI
its commands. The one place for both, so a CLI user is never told to press a button, nor a ribbon user to type."""
from __future__ import annotations

from kinerja_xl.domain.definition import Button, Step

RIBBON, CLI = "pita", "cli"


def action(medium: str, step: Step, button: Button) -> str:
    """A step's button as the medium shows it: its label on the ribbon, the command that does it in the CLI."""
    if medium == CLI:
        where = f" --ke {button.to}" if button.action == "return" and len(step.returns) > 1 else ""
        return f"'kinerja-xl {button.action}{where}'"
    return button.label + (f" (ke langkah {button.to})" if button.to else "")


def allowed(medium: str, step: Step) -> str:
    """What may be done on `step` instead, ending a refusal."""
    names = ", ".join(action(medium, step, b) for b in step.buttons)
    return f"Perintah yang berlaku: {names}." if medium == CLI else f"Yang berlaku: {names}."


def export_before_signing(medium: str, signing: Step) -> str:
    """Why an export is refused before the signing step, and how to see a draft meanwhile."""
    sign = next(b for b in signing.buttons if b.action == "validate")
    if medium == CLI:
        return (f"Ekspor hanya setelah langkah {signing.no} ({signing.sheet}) divalidasi dengan "
                f"{action(CLI, signing, sign)}. Untuk melihat hasil sementara, jalankan 'kinerja-xl export --draft': "
                "setiap halaman diberi tanda DRAFT.")
    return (f"Ekspor hanya setelah {sign.label} (langkah {signing.no}, {signing.sheet}). Hasil sementara (DRAFT) "
            "tidak dibuat dari pita: tombol Status menunjukkan keadaan saat ini, dan admin dapat membuat ekspor "
            "DRAFT bila perlu.")
