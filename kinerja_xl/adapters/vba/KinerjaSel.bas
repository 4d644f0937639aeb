Attribute VB_Name = "KinerjaSel"
Option Explicit
' Cell reads and writes for the ribbon's Python, one call each.
' Every call from Python into Excel crosses a process boundary; through these
' macros a button costs the same few calls with 10 indicators or 2,000.
' Arrays arrive from Python as 0-based one-dimensional arrays of plain values.
'
' Every function answers Array(True, result), or Array(False, number, description) when
' Excel refuses: an error left to reach Application.Run would stop at Excel's run-time
' error dialog (End/Debug) in front of staff instead of reaching Python (docs/excel.md).

' The workbook's shape: the hidden name map's address, its rows, the sheet names, and
' whether Excel opened the file read-only (then nothing can be saved).
Public Function Peta(ByVal nama As String) As Variant
    Dim n As Object, lembar() As Variant, i As Long
    On Error GoTo Gagal
    Set n = ThisWorkbook.Names(nama)
    ReDim lembar(0 To ThisWorkbook.Sheets.Count - 1)
    For i = 1 To ThisWorkbook.Sheets.Count
        lembar(i - 1) = ThisWorkbook.Sheets(i).Name
    Next i
    Peta = Array(True, Array(n.RefersTo, n.RefersToRange.Value, lembar, ThisWorkbook.ReadOnly))
    Exit Function
Gagal:
    Peta = Array(False, Err.Number, Err.Description)
End Function

' The values of each block: lembar(i)!alamat(i), as Range.Value gives them.
Public Function Baca(ByVal lembar As Variant, ByVal alamat As Variant) As Variant
    Dim hasil() As Variant, i As Long
    On Error GoTo Gagal
    If UBound(lembar) < LBound(lembar) Then
        Baca = Array(True, Array())
        Exit Function
    End If
    ReDim hasil(LBound(lembar) To UBound(lembar))
    For i = LBound(lembar) To UBound(lembar)
        hasil(i) = ThisWorkbook.Worksheets(lembar(i)).Range(alamat(i)).Value
    Next i
    Baca = Array(True, hasil)
    Exit Function
Gagal:
    Baca = Array(False, Err.Number, Err.Description)
End Function

' Protect the sheets in lindungi for people only (UserInterfaceOnly), write each
' block (baris(i) x kolom(i) values, taken in order from the flat nilai), then set
' Locked on each area; answers the blocks' old values, for Python to put back if
' saving fails. If Excel refuses anything here, the blocks already written get
' their old values back and the refusal is answered to Python.
Public Function Tulis(ByVal lindungi As Variant, ByVal sandi As String, _
                 ByVal lembar As Variant, ByVal alamat As Variant, ByVal baris As Variant, _
                 ByVal kolom As Variant, ByVal nilai As Variant, _
                 ByVal kunciLembar As Variant, ByVal kunciAlamat As Variant, ByVal kunci As Variant) As Variant
    Dim lama As Variant, i As Long, k As Long, ditulis As Long
    Dim nomor As Long, pesan As String
    ditulis = -1
    Application.ScreenUpdating = False
    On Error GoTo Gagal
    For i = LBound(lindungi) To UBound(lindungi)
        ThisWorkbook.Worksheets(lindungi(i)).Protect Password:=sandi, UserInterfaceOnly:=True, _
            AllowFormattingColumns:=True
    Next i
    lama = Array()
    If UBound(lembar) >= LBound(lembar) Then ReDim lama(LBound(lembar) To UBound(lembar))
    k = LBound(nilai)
    For i = LBound(lembar) To UBound(lembar)
        With ThisWorkbook.Worksheets(lembar(i)).Range(alamat(i))
            lama(i) = .Value
            .Value = Blok(nilai, k, baris(i), kolom(i))
        End With
        ditulis = i
        k = k + baris(i) * kolom(i)
    Next i
    For i = LBound(kunciLembar) To UBound(kunciLembar)
        ThisWorkbook.Worksheets(kunciLembar(i)).Range(kunciAlamat(i)).Locked = kunci(i)
    Next i
    Application.ScreenUpdating = True
    Tulis = Array(True, lama)
    Exit Function
Gagal:
    nomor = Err.Number
    pesan = Err.Description
    On Error Resume Next
    For i = ditulis To LBound(lembar) Step -1
        ThisWorkbook.Worksheets(lembar(i)).Range(alamat(i)).Value = Teks(lama(i))
    Next i
    Application.ScreenUpdating = True
    Tulis = Array(False, nomor, pesan)
End Function

' A baris x kolom block (1-based, as Range.Value wants it) from nilai, starting at mulai.
Private Function Blok(ByVal nilai As Variant, ByVal mulai As Long, ByVal baris As Long, ByVal kolom As Long) As Variant
    Dim hasil() As Variant, r As Long, c As Long
    ReDim hasil(1 To baris, 1 To kolom)
    For r = 1 To baris
        For c = 1 To kolom
            hasil(r, c) = Teks(nilai(mulai + (r - 1) * kolom + (c - 1)))
        Next c
    Next r
    Blok = hasil
End Function

' Text stays text: Excel parses a string written through Range.Value as if typed, so
' "01-10-2026 09:05" would become a date and "2" a number. A leading apostrophe marks
' it as text and is not part of the value (docs/excel.md). Blocks are marked cell by cell.
Private Function Teks(ByVal nilai As Variant) As Variant
    Dim hasil() As Variant, r As Long, c As Long
    If IsArray(nilai) Then
        hasil = nilai
        For r = LBound(nilai, 1) To UBound(nilai, 1)
            For c = LBound(nilai, 2) To UBound(nilai, 2)
                hasil(r, c) = Teks(nilai(r, c))
            Next c
        Next r
        Teks = hasil
    ElseIf VarType(nilai) = vbString Then
        If Len(nilai) > 0 Then Teks = "'" & nilai Else Teks = nilai
    Else
        Teks = nilai
    End If
End Function
