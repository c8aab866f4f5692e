"""IATI 2.03 activity XML: a plan as one activity with its results, read and written.

- :mod:`~techdiversity.formats.iati.mapping`: which element and attribute holds which
  field of the plan, with the code tables both ways, declared once;
- :mod:`~techdiversity.formats.iati.writer` (``write_iati``, the ``iati`` exporter) and
  :mod:`~techdiversity.formats.iati.reader` (``read_iati``, the ``iati`` reader) walk it;
- :mod:`~techdiversity.formats.iati.schema`: validation against the official schema.
"""

from __future__ import annotations

from .mapping import TD_NAMESPACE
from .reader import MAX_DEPTH, READERS, activity_keys, read_iati, read_iati_activity
from .schema import SCHEMA_FILES, schema_files, validate_iati
from .writer import DEFAULT_REPORTING_ORG_REF, write_iati, xml_text

__all__ = [
    "DEFAULT_REPORTING_ORG_REF",
    "MAX_DEPTH",
    "READERS",
    "SCHEMA_FILES",
    "TD_NAMESPACE",
    "activity_keys",
    "read_iati",
    "read_iati_activity",
    "schema_files",
    "validate_iati",
    "write_iati",
    "xml_text",
]
