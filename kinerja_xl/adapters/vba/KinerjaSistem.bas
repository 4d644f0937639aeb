Attribute VB_Name = "KinerjaSistem"
Option Explicit
' The only places the VBA touches the file system and the environment,
' kept apart so tests can stand in for them.

Public Function AdaBerkas(ByVal lokasi As String) As Boolean
    On Error Resume Next
    AdaBerkas = Len(Dir(lokasi)) > 0
End Function

Public Function VariabelLingkungan(ByVal nama As String) As String
    VariabelLingkungan = Environ(nama)
End Function
