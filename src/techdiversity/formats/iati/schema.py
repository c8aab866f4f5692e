"""Validation of IATI activity XML against the official IATI 2.03 schema, shipped in the package.

The schema documents (``iati-activities-schema.xsd``, ``iati-common.xsd``, ``xml.xsd``,
with IATI's licence notice) are vendored unchanged in ``techdiversity/schemas/iati-2.03/``.
Validating needs lxml (the ``iati`` extra); without it,
:class:`~techdiversity.errors.MissingDependencyError` says so in one line.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import MissingDependencyError

__all__ = ["LXML_INSTALL", "SCHEMA_FILES", "schema_files", "validate_iati"]


#: The schema documents, vendored unchanged in ``techdiversity/schemas/iati-2.03/``.
SCHEMA_FILES = ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd")
LXML_INSTALL = "pip install 'techdiversity[iati]' (or pip install lxml)"


def schema_files() -> Any:
    """The folder of the vendored IATI 2.03 schema, as an :mod:`importlib.resources` traversable."""
    return resources.files("techdiversity").joinpath("schemas", "iati-2.03")


@functools.cache
def _schema() -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise MissingDependencyError("validating IATI XML", "lxml", LXML_INSTALL) from None
    folder = schema_files()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    if isinstance(folder, Path):
        return etree.XMLSchema(etree.parse(str(folder / SCHEMA_FILES[0]), parser))
    with tempfile.TemporaryDirectory() as tmp:  # a package in a zip: the includes need files
        for name in SCHEMA_FILES:
            with folder.joinpath(name).open("rb") as src, open(Path(tmp) / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
        return etree.XMLSchema(etree.parse(str(Path(tmp) / SCHEMA_FILES[0]), parser))


def validate_iati(xml: str | bytes) -> list[str]:
    """What keeps ``xml`` from being valid IATI 2.03 activity XML: an empty list when it is valid.

    Each problem is one line, ``line N: message``. The schema is the official one,
    shipped with the package; validating needs lxml (the ``iati`` extra), and
    :class:`~techdiversity.errors.MissingDependencyError` says so when it is missing.
    """
    schema = _schema()
    from lxml import etree

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        doc = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed XML: {exc.msg}"]
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {' '.join(e.message.split())}" for e in schema.error_log]
