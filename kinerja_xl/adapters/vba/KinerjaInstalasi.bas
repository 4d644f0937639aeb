Attribute VB_Name = "KinerjaInstalasi"
Option Explicit
Option Private Module
' Is this computer ready for the ribbon buttons? Pure VBA, so it works when Python does not.
'
' CariPython finds the interpreter the way xlwings' RunPython will start it (xlwings.bas 0.37.8):
' GetConfig("INTERPRETER_WIN"), else the legacy GetConfig("INTERPRETER", "python"); "python" and "pythonw"
' are left to cmd.exe, which takes the first python.exe on PATH; any other value must be an existing file.
' xlwings' GetConfigFromSheet stores the xlwings.conf keys upper-cased in a case-sensitive Scripting.Dictionary,
' so the keys asked for here are upper case whatever the sheet shows ("Interpreter_Win").
' The python.exe under %LOCALAPPDATA%\Microsoft\WindowsApps is an App Execution Alias: without a Store Python
' it opens the Microsoft Store, so it never counts as Python, and it hides a real Python later on PATH.
'
' PeriksaInstalasi (the "Periksa Instalasi" button) reports, one line each: Python and its version, kinerja-xl's
' workbook format and xlwings' version against this workbook's meta_format and meta_xlwings, a OneDrive/
' SharePoint address, a read-only workbook, a folder outside Excel's trusted locations, and a blocked child
' process. Every call into Windows goes through KinerjaSistem.
'
' Windows only: xlwings' #If Mac branch needs Dictionary.cls, which this workbook does not carry.
' The text is plain ASCII: the VBA project stores module source in the ANSI code page, so marks such as a
' check mark would not survive; the report marks lines [OK] and [MASALAH].

Private Const ALIAS_STORE As String = "\Microsoft\WindowsApps\"
Private Const ATURAN_ASR As String = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"
Private Const LOKASI_DIPERIKSA As Long = 50   ' Trusted Locations\Location0 .. Location49
Private Const OK As String = "[OK] "
Private Const MASALAH As String = "[MASALAH] "
Private Const LEWAT As String = "[-] "
Private Const TIDAK_SELESAI As Long = vbObjectError + 513   ' KinerjaSistem.JalankanProgram: no end in time

' True with `lokasi` = the python.exe xlwings will run; False with `alasan` = what is wrong and what to do.
Public Function CariPython(ByRef lokasi As String, ByRef alasan As String) As Boolean
    Dim nama As String
    lokasi = ""
    alasan = ""
    nama = CStr(GetConfig("INTERPRETER_WIN", ""))
    If Len(nama) = 0 Then nama = CStr(GetConfig("INTERPRETER", "python"))
    If nama = "python" Or nama = "pythonw" Then
        CariPython = CariDiPath(nama & ".exe", lokasi, alasan)
    ElseIf Left(nama, 1) = """" Or Right(nama, 1) = """" Then
        alasan = "Alamat Python pada lembar xlwings.conf, baris Interpreter_Win, diapit tanda kutip: hapus tanda kutipnya."
    ElseIf AliasStore(nama) Then
        alasan = "Baris Interpreter_Win pada lembar xlwings.conf menunjuk ke pintasan Microsoft Store, bukan ke Python. " & _
                 SaranPasangPython()
    ElseIf AdaBerkas(nama) Then
        lokasi = nama
        CariPython = True
    Else
        alasan = "Python tidak ditemukan di alamat pada lembar xlwings.conf, baris Interpreter_Win (" & Singkat(nama, 80) & _
                 "). Perbaiki alamat itu, atau kosongkan baris itu agar Python dicari di PATH."
    End If
End Function

' The first `namaExe` on PATH, as cmd.exe would take it; a Store alias before it means cmd.exe runs the alias.
Private Function CariDiPath(ByVal namaExe As String, ByRef lokasi As String, ByRef alasan As String) As Boolean
    Dim folders As Variant, folder As String, calon As String, alias As String, i As Long
    folders = Split(JalurPencarian(), ";")
    For i = LBound(folders) To UBound(folders)
        folder = Replace(Trim(folders(i)), """", "")
        If Right(folder, 1) = "\" Then folder = Left(folder, Len(folder) - 1)
        If Len(folder) > 0 Then
            calon = folder & "\" & namaExe
            If AdaBerkas(calon) Then
                If AliasStore(calon) Then
                    If Len(alias) = 0 Then alias = calon
                ElseIf Len(alias) = 0 Then
                    lokasi = calon
                    CariDiPath = True
                    Exit Function
                Else
                    alasan = "Pintasan Microsoft Store (" & Singkat(alias, 80) & ") ada di PATH sebelum Python yang " & _
                             "terpasang (" & Singkat(calon, 80) & "), jadi yang dijalankan pintasan itu. Matikan pintasan " & _
                             "itu (Settings > Apps > Advanced app settings > App execution aliases) atau isi baris " & _
                             "Interpreter_Win pada lembar xlwings.conf dengan alamat Python itu."
                    Exit Function
                End If
            End If
        End If
    Next i
    If Len(alias) > 0 Then
        alasan = "Yang ada hanya pintasan Microsoft Store (" & Singkat(alias, 80) & "), bukan Python. " & SaranPasangPython()
    Else
        alasan = "Python tidak ditemukan di komputer ini (tidak ada " & namaExe & " di PATH). Pasang Python dan paket " & _
                 "kinerja-xl (README bagian 'Untuk staf'), atau isi alamat lengkap python.exe pada lembar xlwings.conf, " & _
                 "baris Interpreter_Win."
    End If
End Function

Private Function SaranPasangPython() As String
    SaranPasangPython = "Pasang Python dari python.org (centang ""Add python.exe to PATH"") dan matikan pintasan itu " & _
                        "(Settings > Apps > Advanced app settings > App execution aliases), atau isi alamat python.exe " & _
                        "pada lembar xlwings.conf, baris Interpreter_Win."
End Function

Private Function AliasStore(ByVal lokasi As String) As Boolean
    AliasStore = InStr(1, lokasi, ALIAS_STORE, vbTextCompare) > 0
End Function

' ---------------------------------------------------------------- the "Periksa Instalasi" report

Public Sub PeriksaInstalasi()
    Dim laporan As String, masalahAda As Long
    laporan = SusunLaporan(masalahAda)
    MsgBox laporan, IIf(masalahAda > 0, vbExclamation, vbInformation), "kinerja-xl"
End Sub

Private Function SusunLaporan(ByRef jumlahMasalah As Long) As String
    Dim teks As String, python As String, alasan As String, alamat As String
    jumlahMasalah = 0
    teks = "Pemeriksaan instalasi kinerja-xl:" & vbCrLf & vbCrLf
    If CariPython(python, alasan) Then
        PeriksaPython python, teks, jumlahMasalah
    Else
        Baris teks, jumlahMasalah, False, alasan
    End If
    alamat = AlamatBukuKerja()
    If LCase(Left(alamat, 7)) = "http://" Or LCase(Left(alamat, 8)) = "https://" Then
        Baris teks, jumlahMasalah, False, "Buku kerja dibuka dari OneDrive/SharePoint (alamat web), bukan dari folder. " & _
              "Tutup, lalu buka berkasnya lewat File Explorer (folder OneDrive yang disinkronkan atau folder kantor)."
    Else
        PeriksaLokasiTepercaya FolderDari(alamat), teks, jumlahMasalah
    End If
    If BukuKerjaHanyaBaca() Then
        Baris teks, jumlahMasalah, False, "Buku kerja terbuka hanya-baca: hasil tombol tidak dapat disimpan. Tutup " & _
              "berkas, pastikan tidak dibuka orang lain dan Anda berhak menulis di foldernya, lalu buka lagi."
    Else
        Baris teks, jumlahMasalah, True, "Buku kerja dapat disimpan (tidak hanya-baca)."
    End If
    teks = teks & vbCrLf
    If jumlahMasalah = 0 Then
        teks = teks & "Semua pemeriksaan lulus: tombol kinerja-xl siap dipakai."
    Else
        teks = teks & "Ada " & jumlahMasalah & " masalah: perbaiki yang bertanda [MASALAH], lalu periksa lagi. " & _
               "Hubungi admin bila perlu bantuan."
    End If
    SusunLaporan = teks
End Function

Private Sub Baris(ByRef teks As String, ByRef jumlahMasalah As Long, ByVal baik As Boolean, ByVal isi As String, _
                  Optional ByVal tanda As String = "")
    If Len(tanda) = 0 Then tanda = IIf(baik, OK, MASALAH)
    If Not baik Then jumlahMasalah = jumlahMasalah + 1
    teks = teks & tanda & isi & vbCrLf
End Sub

' Starts the interpreter through cmd.exe, as xlwings' RunPython does, and reads what it reports of itself.
Private Sub PeriksaPython(ByVal python As String, ByRef teks As String, ByRef jumlahMasalah As Long)
    Dim keluaran As String, kode As Long, versi As String, formatTerpasang As String, xlwingsTerpasang As String
    Dim formatBuku As String, xlwingsBuku As String, pip As String, nomor As Long, uraian As String
    pip = """" & python & """ -m pip install "
    On Error GoTo TidakDapatDimulai
    JalankanProgram "cmd.exe /S /C """"" & python & """ -c """ & KodePemeriksa() & """ 2>&1""", keluaran, kode
    On Error GoTo 0
    versi = NilaiKeluaran(keluaran, "PYTHON")
    If Len(versi) = 0 Then
        Baris teks, jumlahMasalah, False, "Python (" & Singkat(python) & ") tidak berjalan dengan benar (kode keluar " & kode & _
              "): " & BarisTerakhir(keluaran) & ". Pasang ulang Python dari python.org."
        Exit Sub
    End If
    Baris teks, jumlahMasalah, True, "Python " & versi & ": " & Singkat(python)
    formatBuku = NilaiNama("meta_format")
    xlwingsBuku = NilaiNama("meta_xlwings")
    formatTerpasang = NilaiKeluaran(keluaran, "FORMAT")
    If formatTerpasang = "-" Then
        Baris teks, jumlahMasalah, False, "Paket kinerja-xl belum terpasang untuk Python ini. Di folder proyek jalankan: " & _
              pip & ". (README bagian 'Untuk staf', langkah 2)."
    ElseIf Len(formatTerpasang) = 0 Then
        Baris teks, jumlahMasalah, False, "Paket kinerja-xl tidak dapat dimuat: " & GagalDari(keluaran) & _
              ". Minta admin memasang ulang paket kinerja-xl."
    ElseIf formatTerpasang <> formatBuku Then
        Baris teks, jumlahMasalah, False, "kinerja-xl yang terpasang untuk format buku kerja " & formatTerpasang & _
              ", sedangkan buku kerja ini format " & formatBuku & ". Minta admin memasang kinerja-xl yang sesuai " & _
              "atau membangun ulang buku kerja."
    Else
        Baris teks, jumlahMasalah, True, "kinerja-xl terpasang; format buku kerja " & formatTerpasang & " sesuai."
    End If
    xlwingsTerpasang = NilaiKeluaran(keluaran, "XLWINGS")
    If Len(formatTerpasang) = 0 Then
        Baris teks, jumlahMasalah, True, "xlwings tidak diperiksa karena kinerja-xl gagal dimuat.", LEWAT
    ElseIf xlwingsTerpasang = "-" Then
        Baris teks, jumlahMasalah, False, "xlwings belum terpasang. Jalankan: " & pip & "xlwings==" & xlwingsBuku
    ElseIf Len(xlwingsTerpasang) = 0 Then
        Baris teks, jumlahMasalah, False, "xlwings tidak dapat dimuat: " & GagalDari(keluaran) & _
              ". Jalankan: " & pip & "--force-reinstall xlwings==" & xlwingsBuku
    ElseIf xlwingsTerpasang <> xlwingsBuku Then
        Baris teks, jumlahMasalah, False, "Versi xlwings tidak cocok: terpasang " & xlwingsTerpasang & _
              ", buku kerja ini untuk " & xlwingsBuku & ". Jalankan: " & pip & "xlwings==" & xlwingsBuku & _
              ", atau minta admin membangun ulang buku kerja."
    Else
        Baris teks, jumlahMasalah, True, "xlwings " & xlwingsTerpasang & " sesuai dengan buku kerja ini."
    End If
    Exit Sub
TidakDapatDimulai:
    nomor = Err.Number   ' first: calling a procedure can clear Err
    uraian = Err.Description
    If nomor = TIDAK_SELESAI Then
        Baris teks, jumlahMasalah, False, "Python (" & Singkat(python) & ") " & uraian & ". Tutup jendela " & _
              "hitam yang masih terbuka, lalu periksa lagi; bila terulang, minta admin memeriksa instalasi Python."
        Exit Sub
    End If
    Baris teks, jumlahMasalah, False, "Excel tidak dapat memulai program lain (" & Singkat(uraian) & "). Bila " & _
          "aturan ASR Microsoft Defender ""Block all Office applications from creating child processes"" (" & _
          ATURAN_ASR & ") aktif, minta IT mengizinkan EXCEL.EXE memulai cmd.exe dan python.exe."
End Sub

' The Python the probe runs: prints KEY=VALUE lines and, instead of a traceback, one GAGAL= line.
' Only single quotes inside, and none of cmd.exe's special characters.
Private Function KodePemeriksa() As String
    KodePemeriksa = "import sys,importlib.util as u;sys.stderr=sys.stdout;" & _
        "sys.excepthook=lambda t,v,b:print('GAGAL='+t.__name__+': '+str(v)[:200]);" & _
        "print('PYTHON='+sys.version.split()[0]);" & _
        "print('FORMAT='+(str(__import__('kinerja_xl').WORKBOOK_FORMAT) if u.find_spec('kinerja_xl') else '-'));" & _
        "print('XLWINGS='+(__import__('xlwings').__version__ if u.find_spec('xlwings') else '-'))"
End Function

Private Function NilaiKeluaran(ByVal keluaran As String, ByVal kunci As String) As String
    Dim garis As Variant
    For Each garis In Split(Replace(keluaran, vbCr, ""), vbLf)
        If Left(garis, Len(kunci) + 1) = kunci & "=" Then
            NilaiKeluaran = Trim(Mid(garis, Len(kunci) + 2))
            Exit Function
        End If
    Next garis
End Function

Private Function GagalDari(ByVal keluaran As String) As String
    GagalDari = NilaiKeluaran(keluaran, "GAGAL")
    If Len(GagalDari) = 0 Then GagalDari = BarisTerakhir(keluaran)
End Function

Private Function BarisTerakhir(ByVal keluaran As String) As String
    Dim garis As Variant
    For Each garis In Split(Replace(keluaran, vbCr, ""), vbLf)
        If Len(Trim(garis)) > 0 Then BarisTerakhir = Trim(garis)
    Next garis
    If Len(BarisTerakhir) = 0 Then BarisTerakhir = "tidak ada keluaran"
    BarisTerakhir = Singkat(BarisTerakhir)
End Function

' A workbook-level defined name's value as text, "" when the name is missing.
Private Function NilaiNama(ByVal nama As String) As String
    On Error Resume Next
    NilaiNama = CStr(ThisWorkbook.Names(nama).RefersToRange.Value)
End Function

' At most `panjang` characters, so one long path or message cannot push the rest out of the MsgBox (about 1024).
Private Function Singkat(ByVal teks As String, Optional ByVal panjang As Long = 80) As String
    If Len(teks) <= panjang Then
        Singkat = teks
    Else
        Singkat = Left(teks, panjang \ 2 - 2) & "..." & Right(teks, panjang - panjang \ 2 - 1)
    End If
End Function

Private Function FolderDari(ByVal alamat As String) As String
    FolderDari = Left(alamat, InStrRev(alamat, "\"))
End Function

' Excel's trusted locations: the user's (Trust Center) and those set by policy, Location0 to Location49 of each.
' A network (UNC) folder counts only when "Allow Trusted Locations on my network" is on.
Private Sub PeriksaLokasiTepercaya(ByVal folder As String, ByRef teks As String, ByRef jumlahMasalah As Long)
    Dim pengguna As String, kebijakan As String, jaringan As Boolean, nilai As Variant
    pengguna = "HKCU\Software\Microsoft\Office\" & Application.Version & "\Excel\Security\Trusted Locations\"
    kebijakan = "HKCU\Software\Policies\Microsoft\Office\" & Application.Version & "\Excel\Security\Trusted Locations\"
    jaringan = Left(folder, 2) = "\\"
    If BacaRegistri(kebijakan & "AllLocationsDisabled", nilai) Then
        If nilai = 1 Then
            Baris teks, jumlahMasalah, False, "Kebijakan IT mematikan semua lokasi tepercaya Excel, jadi makro buku " & _
                  "kerja ini bisa diblokir saat dibuka lagi. Minta IT mengizinkan makro untuk folder " & Singkat(folder)
            Exit Sub
        End If
    End If
    If TercantumDi(kebijakan, folder) Or TercantumDi(pengguna, folder) Then
        If jaringan And Not JaringanDiizinkan(pengguna, kebijakan) Then
            Baris teks, jumlahMasalah, False, "Folder jaringan " & Singkat(folder) & " terdaftar sebagai lokasi tepercaya, tetapi " & _
                  "lokasi jaringan tidak diizinkan. Centang ""Allow Trusted Locations on my network"" di File > " & _
                  "Options > Trust Center > Trust Center Settings > Trusted Locations."
        Else
            Baris teks, jumlahMasalah, True, "Folder buku kerja termasuk lokasi tepercaya Excel: " & Singkat(folder)
        End If
    Else
        Baris teks, jumlahMasalah, False, "Folder " & Singkat(folder) & " bukan lokasi tepercaya Excel; makro bisa " & _
              "diblokir saat berkas dibuka lagi. Tambahkan di File > Options > Trust Center > Trust Center Settings > " & _
              "Trusted Locations" & IIf(jaringan, " dan centang ""Allow Trusted Locations on my network""", "") & _
              " (README langkah 4)."
    End If
End Sub

Private Function TercantumDi(ByVal akar As String, ByVal folder As String) As Boolean
    Dim n As Long, lokasi As Variant, subfolder As Variant
    For n = 0 To LOKASI_DIPERIKSA - 1
        If BacaRegistri(akar & "Location" & n & "\Path", lokasi) Then
            lokasi = CStr(lokasi)
            If Right(lokasi, 1) <> "\" Then lokasi = lokasi & "\"
            If StrComp(folder, lokasi, vbTextCompare) = 0 Then
                TercantumDi = True
                Exit Function
            End If
            If Not BacaRegistri(akar & "Location" & n & "\AllowSubfolders", subfolder) Then subfolder = 0
            If subfolder = 1 And StrComp(Left(folder, Len(lokasi)), lokasi, vbTextCompare) = 0 Then
                TercantumDi = True
                Exit Function
            End If
        End If
    Next n
End Function

' The policy value wins over the user's Trust Center setting.
Private Function JaringanDiizinkan(ByVal pengguna As String, ByVal kebijakan As String) As Boolean
    Dim nilai As Variant
    If BacaRegistri(kebijakan & "AllowNetworkLocations", nilai) Then
        JaringanDiizinkan = (nilai = 1)
    ElseIf BacaRegistri(pengguna & "AllowNetworkLocations", nilai) Then
        JaringanDiizinkan = (nilai = 1)
    End If
End Function
