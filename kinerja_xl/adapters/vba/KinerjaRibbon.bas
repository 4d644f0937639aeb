Attribute VB_Name = "KinerjaRibbon"
Option Explicit
' Ribbon callbacks of the tab the definition names (aplikasi).
' Every button hands its id to Python; kinerja_xl.entrypoints.ribbon decides what the button does,
' so a new SOP definition needs no change here.

Public Sub KinerjaTombol(control As IRibbonControl)
    If Not PythonDitemukan() Then
        MsgBox "Python tidak ditemukan di komputer ini, jadi tombol kinerja-xl belum dapat bekerja." & vbCrLf & vbCrLf & _
               "Yang perlu dilakukan: pasang Python dan paket kinerja-xl (lihat README bagian 'Untuk staf'), " & _
               "atau isi alamat lengkap python.exe pada lembar xlwings.conf, baris Interpreter_Win. " & _
               "Hubungi admin bila perlu bantuan.", vbExclamation, "kinerja-xl"
        Exit Sub
    End If
    JalankanPython "import kinerja_xl.entrypoints.ribbon as r; r.tekan('" & control.Id & "')"
End Sub

' Finds the interpreter the way xlwings will: Interpreter_Win from xlwings.conf (a full path,
' or a program name looked up on PATH), else python.exe on PATH.
Public Function PythonDitemukan() As Boolean
    Dim nama As String, folders As Variant, i As Long
    nama = CStr(GetConfig("Interpreter_Win", ""))
    If InStr(nama, "\") > 0 Then
        PythonDitemukan = AdaBerkas(nama)
        Exit Function
    End If
    If Len(nama) = 0 Then nama = "python"
    If LCase(Right(nama, 4)) <> ".exe" Then nama = nama & ".exe"
    folders = Split(VariabelLingkungan("PATH"), ";")
    For i = LBound(folders) To UBound(folders)
        If Len(folders(i)) > 0 Then
            If AdaBerkas(folders(i) & "\" & nama) Then
                PythonDitemukan = True
                Exit Function
            End If
        End If
    Next i
End Function

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
           vbExclamation, "kinerja-xl"
End Sub
