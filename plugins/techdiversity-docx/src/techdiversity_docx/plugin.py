"""The plugin module named by the entry point: it contributes the ``docx`` exporter.

python-docx is imported only when a document is written, so that listing plugins
and exporters stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from techdiversity.errors import MissingDependencyError
from techdiversity.exporters import Exporter, ExporterOption
from techdiversity.hookspecs import hookimpl

if TYPE_CHECKING:
    from techdiversity.exporters import ExportContext

__all__ = ["DOCX_MEDIA_TYPE", "OPTIONS", "export_docx", "techdiversity_exporters"]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_docx(ctx: ExportContext) -> bytes:
    """The plan in ``ctx`` as the bytes of a Word document laid out like an URBACT IAP."""
    try:
        import docx  # noqa: F401 - python-docx, imported here to say clearly when it is missing
    except ImportError:
        raise MissingDependencyError("the docx exporter", "python-docx", "pip install python-docx") from None
    from .document import export_docx as write

    return write(ctx)


#: The options of the docx exporter (``--option landscape=no``...).
OPTIONS = (
    ExporterOption("annex", "add the annex of findings and scorecards", "boolean", True),
    ExporterOption("canvas", "add the IAP Canvas annex", "boolean", True),
    ExporterOption("landscape", "lay the City Action Table out on landscape pages", "boolean", True),
)


@hookimpl
def techdiversity_exporters() -> Sequence[Exporter]:
    """The ``docx`` exporter."""
    return [
        Exporter(
            "docx",
            "Word document (IAP layout)",
            ".docx",
            DOCX_MEDIA_TYPE,
            export_docx,
            binary=True,
            description=(
                "The plan as a Word document laid out like an URBACT Integrated Action Plan: title page;"
                " 1 Context, needs and vision; 2 Overall logic and integrated approach; 3 Action planning"
                " details (City Action Table, Actions Details Tables); 4 Implementation framework; annexes"
                " with the IAP Canvas, the findings of the checks and the scorecards."
            ),
            options=OPTIONS,
        )
    ]
