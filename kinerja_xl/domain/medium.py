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


# ---------------------------------------------------------------- signing keys where a person acts
# On the ribbon the actor is always the Windows user at the keyboard and their key is in that account's Windows
# Credential Manager; the CLI may also read a PKCS#12 key file (--berkas-kunci).

CREDENTIAL_MANAGER = "Windows Credential Manager"


def key_missing(medium: str, user: str) -> str:
    """The acting official's own key is needed (the workbook registers keys) and is not where they act."""
    if medium == CLI:
        return (f"Kunci tanda tangan elektronik pengguna '{user}' tidak ada di komputer ini. Bertindak atas nama "
                "pejabat hanya dapat dilakukan dengan kuncinya sendiri: jalankan perintah ini di komputer pejabat "
                "tersebut, atau pakai berkas kuncinya (--berkas-kunci).")
    return (f"Kunci tanda tangan elektronik Anda (pengguna Windows '{user}') tidak ada di {CREDENTIAL_MANAGER} "
            "komputer ini, padahal setiap aksi pada buku kerja ini wajib ditandatangani dengan kunci pejabat yang "
            "bertindak. Tidak ada yang berubah. Tekan tombol ini di komputer tempat Anda dahulu menekan Daftarkan "
            "Kunci Saya, dengan akun Windows yang sama. Bila kunci itu hilang (komputer diganti atau diinstal "
            "ulang), laporkan ke admin/Inspektorat: kunci baru hanya dapat didaftarkan untuk periode berikutnya.")


def credential_store_unavailable(medium: str, reason: str) -> str:
    """The system's credential store (keyring) cannot be used on this PC."""
    why = f" ({reason})" if reason else ""
    if medium == CLI:
        return (f"Penyimpanan kredensial sistem tidak dapat dipakai{why}. Pakai berkas kunci: --berkas-kunci "
                "BERKAS.p12 (frasa sandi dari KINERJA_XL_FRASA_SANDI atau ditanyakan).")
    return (f"{CREDENTIAL_MANAGER}, tempat kunci tanda tangan elektronik Anda disimpan, tidak dapat dipakai di "
            f"komputer ini{why}. Tidak ada yang berubah. Tutup Excel, buka lagi, lalu ulangi. Bila tetap gagal, "
            "minta admin/TI memeriksa Credential Manager akun Windows Anda dan paket keyring yang terpasang bersama "
            "kinerja-xl; sementara itu admin dapat menjalankan aksi ini dengan perintah kinerja-xl dan berkas kunci "
            "(--berkas-kunci).")


def own_key_registered(made: bool, user: str, registered: str, fingerprint: str) -> str:
    """Daftarkan Kunci Saya, done: whether a key was made on this PC or the user's own kept, what Pengaturan now
    holds (`registered`, the handler's message), and the fingerprint on a line of its own, to be read out."""
    if made:
        head = (f"Kunci tanda tangan elektronik baru dibuat untuk pengguna Windows '{user}' di {CREDENTIAL_MANAGER} "
                "komputer ini. Kunci rahasianya tetap di komputer ini dan tidak pernah masuk ke buku kerja.")
    else:
        head = (f"Pengguna Windows '{user}' sudah punya kunci tanda tangan elektronik di {CREDENTIAL_MANAGER} "
                "komputer ini; kunci itu yang dipakai (tidak diganti).")
    return f"{head}\n\n{registered}\n\nSidik jari kunci Anda:\n{fingerprint}"
