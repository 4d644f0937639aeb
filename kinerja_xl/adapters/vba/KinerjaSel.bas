Attribute VB_Name = "KinerjaSel"
Option Explicit
' Cell reads and writes for the ribbon's Python, one call each.
' Every call from Python into Excel crosses a process boundary; through these
' macros a button costs the same few calls with 10 indicators or 2,000.
' Arrays arrive from Python as 0-based one-dimensional arrays of plain values.

' The workbook's shape: the hidden name map's address, its rows, and the sheet names.
Public Function Peta(ByVal nama As String) As Variant
    Dim n As Object, lembar() As Variant, i As Long
    Set n = ThisWorkbook.Names(nama)
    ReDim lembar(0 To ThisWorkbook.Sheets.Count - 1)
    For i = 1 To ThisWorkbook.Sheets.Count
        lembar(i - 1) = ThisWorkbook.Sheets(i).Name
    Next i
    Peta = Array(n.RefersTo, n.RefersToRange.Value, lembar)
End Function

' The values of each block: lembar(i)!alamat(i), as Range.Value gives them.
Public Function Baca(ByVal lembar As Variant, ByVal alamat As Variant) As Variant
    Dim hasil() As Variant, i As Long
    If UBound(lembar) < LBound(lembar) Then
        Baca = Array()
        Exit Function
    End If
    ReDim hasil(LBound(lembar) To UBound(lembar))
    For i = LBound(lembar) To UBound(lembar)
        hasil(i) = ThisWorkbook.Worksheets(lembar(i)).Range(alamat(i)).Value
    Next i
    Baca = hasil
End Function

' Protect the sheets in lindungi for people only (UserInterfaceOnly), write each
' block (baris(i) x kolom(i) values, taken in order from the flat nilai), then set
' Locked on each area; returns the blocks' old values, for Python to put back if
' saving fails. If Excel refuses anything here, the blocks already written get
' their old values back and the error goes on to Python.
Public Function Tulis(ByVal lindungi As Variant, ByVal sandi As String, _
                 ByVal lembar As Variant, ByVal alamat As Variant, ByVal baris As Variant, _
                 ByVal kolom As Variant, ByVal nilai As Variant, _
                 ByVal kunciLembar As Variant, ByVal kunciAlamat As Variant, ByVal kunci As Variant)
    Dim lama As Variant, i As Long, k As Long, ditulis As Long
    Dim nomor As Long, sumber As String, pesan As String
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
    Tulis = lama
    Exit Function
Gagal:
    nomor = Err.Number
    sumber = Err.Source
    pesan = Err.Description
    On Error Resume Next
    For i = ditulis To LBound(lembar) Step -1
        ThisWorkbook.Worksheets(lembar(i)).Range(alamat(i)).Value = lama(i)
    Next i
    Application.ScreenUpdating = True
    On Error GoTo 0
    Err.Raise nomor, sumber, pesan
End Function

' A baris x kolom block (1-based, as Range.Value wants it) from nilai, starting at mulai.
Private Function Blok(ByVal nilai As Variant, ByVal mulai As Long, ByVal baris As Long, ByVal kolom As Long) As Variant
    Dim hasil() As Variant, r As Long, c As Long
    ReDim hasil(1 To baris, 1 To kolom)
    For r = 1 To baris
        For c = 1 To kolom
            hasil(r, c) = nilai(mulai + (r - 1) * kolom + (c - 1))
        Next c
    Next r
    Blok = hasil
End Function
