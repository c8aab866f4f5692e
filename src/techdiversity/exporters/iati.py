"""The ``iati`` exporter: a plan as IATI 2.03 activity XML, valid against the official schema.

The mapping, the writing and the validation live in :mod:`techdiversity.formats.iati`
(beside the reader of the same format); this module registers the exporter and its
options. The names below stay importable from here.
"""

from __future__ import annotations

from ..formats.iati import (
    DEFAULT_REPORTING_ORG_REF,
    SCHEMA_FILES,
    TD_NAMESPACE,
    schema_files,
    validate_iati,
    write_iati,
    xml_text,
)
from . import ExportContext, Exporter, ExporterOption

__all__ = [
    "DEFAULT_REPORTING_ORG_REF",
    "EXPORTERS",
    "SCHEMA_FILES",
    "TD_NAMESPACE",
    "export_iati",
    "schema_files",
    "validate_iati",
    "xml_text",
]


def export_iati(ctx: ExportContext) -> str:
    """The plan as IATI 2.03 activity XML (text, UTF-8 declared)."""
    return write_iati(ctx.plan, ctx.options)


EXPORTERS = (
    Exporter(
        "iati",
        "IATI 2.03 activity XML",
        ".xml",
        "application/xml",
        export_iati,
        description=(
            "One iati-activity with the objectives and actions as results and their indicators "
            "(baselines, targets, actuals), valid against the IATI 2.03 schema (shipped with the "
            "package; `export --validate` checks the output against it when lxml is installed)."
        ),
        options=(
            ExporterOption(
                "identifier",
                "the iati-identifier of the activity; by default the reporting-org-ref, a hyphen and the plan id",
            ),
            ExporterOption(
                "reporting-org-ref",
                "the city's registered IATI organisation identifier",
                default=DEFAULT_REPORTING_ORG_REF,
            ),
            ExporterOption(
                "reporting-org-type",
                "the IATI OrganisationType code of the reporting organisation (11: Local Government)",
                default="11",
            ),
            ExporterOption(
                "reporting-org-name",
                "the name of the reporting organisation; by default the first public-authority stakeholder,"
                " else the city",
            ),
            ExporterOption("sector", "a sector code of sector-vocabulary for the activity; by default none"),
            ExporterOption(
                "sector-vocabulary",
                "the IATI SectorVocabulary of sector (1: OECD DAC CRS 5-digit purpose codes)",
                default="1",
            ),
            ExporterOption(
                "generated-datetime",
                "the generated-datetime of the file, an ISO date and time such as 2025-01-31T12:00:00Z; by default now",
            ),
        ),
        validator=validate_iati,
    ),
)
