"""techdiversity-docx: an URBACT Integrated Action Plan as a Word document.

A plugin of the ``techdiversity`` library, registered through the ``techdiversity``
entry-point group. It adds the exporter ``docx``::

    techdiversity export plan.yaml --to docx -o plan.docx

or, from Python::

    import techdiversity as td
    from techdiversity.exporters import export

    data = export(td.load("plan.yaml"), "docx")   # bytes of a .docx file
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
