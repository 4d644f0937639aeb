"""Pure domain: no I/O, no Excel, no files."""
