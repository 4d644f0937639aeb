"""kinerja-xl: an office's SOP as a macro-enabled Excel workbook with an audited workflow (the packaged default is the first office's SOP)."""

__version__ = "0.1.0"
# Version of the workbook layout (defined names, Log columns, the embedded definition). A workbook of
# another layout is refused rather than misread.
WORKBOOK_FORMAT = 4
