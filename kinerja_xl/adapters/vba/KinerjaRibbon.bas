Attribute VB_Name = "KinerjaRibbon"
Option Explicit
' Ribbon callbacks of the tab the definition names (aplikasi), and nothing else public.
' KinerjaTombol hands every workflow button's id to Python; kinerja_xl.entrypoints.ribbon decides what the
' button does, so a new SOP definition needs no change here. KinerjaPeriksaInstalasi is pure VBA.
'
' This module deliberately has no Option Private Module: Office calls these Subs by name, and they must stay
' reachable. Subs with an IRibbonControl argument are not worksheet functions and are not listed in the
' Macros dialog. The helpers live in KinerjaInstalasi and KinerjaSistem (Option Private Module).
' Every callback traps its errors: an unexpected error would otherwise show Excel's End/Debug dialog, and
' Debug opens the editor on this (unlocked) project.
' Windows only: xlwings' #If Mac branch needs Dictionary.cls, which this workbook does not carry.

Public Sub KinerjaTombol(control As IRibbonControl)
    Dim tombol As String, python As String, alasan As String
    On Error GoTo Gagal
    tombol = control.Id
    If Not CariPython(python, alasan) Then
        MsgBox "Tombol kinerja-xl belum dapat bekerja di komputer ini." & vbCrLf & vbCrLf & alasan & vbCrLf & vbCrLf & _
               "Tekan tombol Periksa Instalasi untuk memeriksa komputer ini. Hubungi admin bila perlu bantuan.", _
               vbExclamation, "kinerja-xl"
        Exit Sub
    End If
    JalankanPython "import kinerja_xl.entrypoints.ribbon as r; r.tekan('" & tombol & "')"
    Exit Sub
Gagal:
    KesalahanTakTerduga "tombol '" & tombol & "'", Err.Number, Err.Description
End Sub

Public Sub KinerjaPeriksaInstalasi(control As IRibbonControl)
    On Error GoTo Gagal
    PeriksaInstalasi
    Exit Sub
Gagal:
    KesalahanTakTerduga "Periksa Instalasi", Err.Number, Err.Description, "ulangi sekali lagi."
End Sub

Private Sub JalankanPython(ByVal perintah As String)
    On Error GoTo Gagal
    RunPython perintah
    Exit Sub
Gagal:
    MsgBox "Python tidak dapat dijalankan dari buku kerja ini." & vbCrLf & vbCrLf & _
           "Penyebab: " & Err.Description & vbCrLf & vbCrLf & _
           "Yang perlu dilakukan: tekan tombol Periksa Instalasi untuk memeriksa komputer ini. Pastikan Python dan " & _
           "paket kinerja-xl sudah terpasang (lihat README bagian 'Untuk staf'), atau isi alamat python.exe pada " & _
           "lembar xlwings.conf, baris Interpreter_Win. Hubungi admin bila masih gagal.", _
           vbExclamation, "kinerja-xl"
End Sub

' The error is passed in rather than read from Err here, so nothing between the handler and the MsgBox can clear it.
Private Sub KesalahanTakTerduga(ByVal asal As String, ByVal nomor As Long, ByVal uraian As String, _
                                Optional ByVal saran As String = "tekan tombol Periksa Instalasi untuk memeriksa komputer ini, lalu ulangi.")
    MsgBox "Terjadi kesalahan tak terduga pada makro kinerja-xl (" & asal & ")." & vbCrLf & vbCrLf & _
           "Penyebab: " & uraian & " (kode " & nomor & ")." & vbCrLf & vbCrLf & _
           "Yang perlu dilakukan: " & saran & " Bila pesan ini muncul lagi, kirim isi pesan ini kepada admin.", _
           vbCritical, "kinerja-xl"
End Sub
