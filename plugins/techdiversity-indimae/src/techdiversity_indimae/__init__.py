"""techdiversity-indimae: the INDIMAE policy lessons as a ``techdiversity`` rubric.

Installing this distribution adds the rubric ``indimae`` to ``techdiversity``
through the ``techdiversity`` entry-point group::

    import techdiversity as td
    from techdiversity.rubrics import score

    card = score(td.load("examples/bielsko-biala.yaml"), "indimae")
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
