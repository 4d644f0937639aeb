Attribute VB_Name = "KinerjaSistem"
Option Explicit
Option Private Module
' The only places the VBA touches Windows (files, environment, registry, other programs) or asks
' Excel about the workbook's file, kept apart so tests can stand in for them (tests/integration/test_vba.py
' replaces this whole module).
'
' Option Private Module: the other modules of this project still call these procedures; other projects
' do not see them. Nothing here reads an arbitrary environment variable, and the one procedure that
' starts a program is a Sub, which a worksheet formula can never call.
' Windows only: xlwings' #If Mac branch needs Dictionary.cls, which this workbook does not carry.

' True when a file (not a folder) exists at the path; never raises (a PATH entry can be malformed).
Public Function AdaBerkas(ByVal lokasi As String) As Boolean
    On Error Resume Next
    AdaBerkas = Len(Dir(lokasi)) > 0
End Function

' The PATH that Excel passes to the programs it starts (cmd.exe looks there for "python").
Public Function JalurPencarian() As String
    JalurPencarian = Environ("PATH")
End Function

' Runs a command line without waiting more than `batasDetik` seconds; stdout (with stderr, when the command
' merges it) comes back in `keluaran`, the exit code in `kodeKeluar`. Raises when the program cannot be
' started at all (for example when Microsoft Defender blocks Office from starting child processes) or does
' not finish in time.
Public Sub JalankanProgram(ByVal baris As String, ByRef keluaran As String, ByRef kodeKeluar As Long, _
                           Optional ByVal batasDetik As Long = 60)
    Dim proses As Object, batas As Date
    Set proses = CreateObject("WScript.Shell").Exec(baris)
    batas = Now + TimeSerial(0, 0, batasDetik)
    Do While proses.Status = 0
        If Now > batas Then
            proses.Terminate
            Err.Raise vbObjectError + 513, "KinerjaSistem.JalankanProgram", _
                      "tidak selesai dalam " & batasDetik & " detik"
        End If
        Application.Wait Now + TimeSerial(0, 0, 1)
    Loop
    keluaran = proses.StdOut.ReadAll
    kodeKeluar = proses.ExitCode
End Sub

' Reads one registry value (WScript.Shell.RegRead); False when the key or value is missing.
' Environment variables in the value (REG_EXPAND_SZ paths such as %APPDATA%\...) are expanded.
Public Function BacaRegistri(ByVal kunci As String, ByRef nilai As Variant) As Boolean
    Dim wsh As Object
    On Error GoTo Tidak
    Set wsh = CreateObject("WScript.Shell")
    nilai = wsh.RegRead(kunci)
    If VarType(nilai) = vbString Then nilai = wsh.ExpandEnvironmentStrings(nilai)
    BacaRegistri = True
    Exit Function
Tidak:
    BacaRegistri = False
End Function

' The workbook's full name: a local or network path, or an https:// address when opened from OneDrive/SharePoint.
Public Function AlamatBukuKerja() As String
    AlamatBukuKerja = ThisWorkbook.FullName
End Function

Public Function BukuKerjaHanyaBaca() As Boolean
    BukuKerjaHanyaBaca = ThisWorkbook.ReadOnly
End Function
