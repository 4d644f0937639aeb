"""Kinerja SETWAN: SOP-01/SETWAN as a macro-enabled Excel workbook with an audited workflow."""

__version__ = "0.1.0"
# Version of the workbook layout (defined names, Log columns). A workbook of a newer
# layout is refused rather than misread.
WORKBOOK_FORMAT = 1
