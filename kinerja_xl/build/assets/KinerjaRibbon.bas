Attribute VB_Name = "KinerjaRibbon"
Option Explicit
' Ribbon callbacks of the tab "Kinerja SETWAN".
' Every button hands its id to Python; kinerja_xl.ribbon decides what the button does,
' so a new SOP definition needs no change here.

Public Sub KinerjaTombol(control As IRibbonControl)
    JalankanPython "import kinerja_xl.ribbon as r; r.tekan('" & control.Id & "')"
End Sub

Private Sub JalankanPython(ByVal perintah As String)
    On Error GoTo Gagal
    RunPython perintah
    Exit Sub
Gagal:
    MsgBox "Python tidak dapat dijalankan dari buku kerja ini." & vbCrLf & vbCrLf & _
           "Penyebab: " & Err.Description & vbCrLf & vbCrLf & _
           "Yang perlu dilakukan: pastikan Python dan paket kinerja-xl sudah terpasang " & _
           "(lihat README bagian 'Untuk staf'), atau isi alamat python.exe pada " & _
           "lembar xlwings.conf, baris Interpreter_Win. Hubungi admin bila masih gagal.", _
           vbExclamation, "Kinerja SETWAN"
End Sub
