"""Importing clients from a CSV or vCard file: read, validate every row, preview, then create all or nothing.

Reading never writes: `read_upload` turns a file into rows, each with its errors named precisely
("row 4: last name is missing"). Only a file whose every row is valid can be imported, and
`clients_import` creates all its rows in one transaction, with their history and search text.
"""

from .csvfile import csv_template, parse_csv
from .duplicates import RowDuplicates, find_import_duplicates
from .rows import COLUMNS, MAX_BYTES, MAX_ROWS, NO_YEAR, ImportFileError, ParsedFile, ParsedRow
from .upload import decode_text, read_upload
from .vcard import parse_vcards
from .writing import IMPORT, MERGE_PREFIX, SKIP, clients_import, clients_import_decided

__all__ = [
    "COLUMNS",
    "IMPORT",
    "MERGE_PREFIX",
    "SKIP",
    "clients_import_decided",
    "MAX_BYTES",
    "MAX_ROWS",
    "NO_YEAR",
    "ImportFileError",
    "ParsedFile",
    "ParsedRow",
    "RowDuplicates",
    "clients_import",
    "csv_template",
    "decode_text",
    "find_import_duplicates",
    "parse_csv",
    "parse_vcards",
    "read_upload",
]
