"""What a check is, and how checks run on a plan.

:class:`Check` (metadata and function), :class:`CheckContext` (what a check sees),
:func:`run_checks` (a plan's :class:`~techdiversity.findings.Report`), and the
:func:`check` decorator that declares the built-in checks of
:mod:`techdiversity.checks.builtin`. The checks to run are handed in, or else are the
ones the plugin host registered (:mod:`techdiversity.registered`): this module does not
import the host, which imports the built-in checks, which import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..findings import Finding, Report, Severity, severity_rank
from ..gcpause import paused_for_plan
from ..index import PlanIndex
from ..model import Plan
from ..registered import checks as registered_checks
from ..registered import report_failure

if TYPE_CHECKING:
    from ..sourcemap import Location

__all__ = ["Check", "CheckContext", "check", "declared_checks", "registry", "run_checks"]

_CODE_RE = r"^[A-Z]{2,8}[0-9]{3,4}$"


class CheckContext:
    """What a check sees: the plan, its index, and a helper to make findings."""

    __slots__ = ("_check", "index", "plan")

    def __init__(self, plan: Plan, index: PlanIndex | None = None) -> None:
        self.plan = plan
        self.index = index if index is not None else PlanIndex.of(plan)
        self._check: Check | None = None

    def finding(
        self,
        message: str,
        subjects: Sequence[str] = (),
        pointer: str = "",
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of the check now running, with its code and default severity."""
        chk = self._check
        if chk is None:  # pragma: no cover - only used from inside run_checks
            raise RuntimeError("CheckContext.finding() is for use inside a check")
        return Finding(
            code=chk.code,
            severity=severity or chk.severity,
            message=message,
            subjects=tuple(subjects),
            pointer=pointer,
        )

    def pointer(self, ident: str) -> str:
        """The JSON pointer of the thing with this id (``/actions/3``)."""
        return self.index.pointer_of.get(ident, "")


CheckFunction = Callable[[CheckContext], Iterable[Finding]]


@attrs.frozen
class Check:
    """A check's identity and documentation, and the function that runs it.

    ``code`` is stable forever (``TD103``); ``name`` is a readable alias
    (``action-without-objective``); ``title`` one line; ``why`` says why it matters
    in an Integrated Action Plan; ``fix`` how to fix it; ``example`` a plan excerpt
    that triggers it.
    """

    code: str = attrs.field(validator=attrs.validators.matches_re(_CODE_RE))
    name: str
    severity: Severity
    title: str
    why: str
    fix: str
    function: CheckFunction = attrs.field(eq=False, repr=False)
    example: str = ""
    plugin: str = "techdiversity"


_BUILTIN: list[Check] = []


def check(
    code: str,
    name: str,
    severity: Severity,
    title: str,
    *,
    why: str,
    fix: str,
    example: str = "",
) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator that registers a built-in check."""

    def register(function: CheckFunction) -> CheckFunction:
        _BUILTIN.append(Check(code, name, severity, title, why.strip(), fix.strip(), function, example.strip()))
        return function

    return register


def declared_checks() -> tuple[Check, ...]:
    """The checks declared with :func:`check` so far, in code order."""
    return tuple(sorted(_BUILTIN, key=lambda c: c.code))


def registry() -> tuple[Check, ...]:
    """Every check: built-ins and those contributed by plugins, in code order."""
    return registered_checks()


#: The plugin name of the built-in checks; the codes starting with :data:`RESERVED_PREFIX`
#: are theirs alone.
BUILTIN_PLUGIN = "techdiversity"
RESERVED_PREFIX = "TD"


def _wrong_finding(finding: object, chk: Check) -> str | None:
    """Why something a plugin's check produced cannot be reported as a finding, or None."""
    from ..sourcemap import Location

    if not isinstance(finding, Finding):
        return f"it returned {type(finding).__name__}, not a Finding"
    for name, kind in (("code", str), ("message", str), ("pointer", str)):
        value = getattr(finding, name)
        if not isinstance(value, kind):
            return f"it returned a Finding whose {name} is {type(value).__name__}, not text"
    if not isinstance(finding.subjects, tuple) or not all(isinstance(s, str) for s in finding.subjects):
        return "it returned a Finding whose subjects are not a tuple of ids (texts)"
    if finding.location is not None and not isinstance(finding.location, Location):
        return f"it returned a Finding whose location is {type(finding.location).__name__}, not a Location"
    if finding.code.startswith(RESERVED_PREFIX) or _is_builtin_code(finding.code):
        return f"it returned a finding under the code {finding.code!r}, which is the built-in checks' own"
    return None


def _is_builtin_code(code: str) -> bool:
    return any(c.code == code for c in _BUILTIN)


def _locate(plan: Plan, finding: Finding) -> Location | None:
    if plan.source is None:
        return None
    return plan.source.locate(finding.pointer)


def run_checks(
    plan: Plan,
    checks: Iterable[Check] | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> Report:
    """Run checks on a plan and return a :class:`Report` (findings in file order).

    ``select`` and ``ignore`` take codes or code prefixes (``TD1`` selects TD100 to
    TD199) or check names.
    """
    with paused_for_plan(plan):
        return _run_checks(plan, checks, select, ignore)


def _run_checks(plan: Plan, checks: Iterable[Check] | None, select: Iterable[str], ignore: Iterable[str]) -> Report:
    chosen = tuple(checks) if checks is not None else registry()
    sel = tuple(select)
    ign = tuple(ignore)
    ctx = CheckContext(plan)
    findings: list[Finding] = []
    for chk in chosen:
        if sel and not (chk.code.startswith(sel) or chk.name in sel):
            continue
        if ign and (chk.code.startswith(ign) or chk.name in ign):
            continue
        ctx._check = chk
        try:
            produced = list(chk.function(ctx))
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken plugin check must not take the host down
            what = f"called sys.exit({exc.code!r})" if isinstance(exc, SystemExit) else "raised"
            report_failure(
                chk.plugin,
                f"it {what} {type(exc).__name__}: {exc}; the other checks still ran",
                f"the findings of check {chk.code!r}",
            )
            continue
        if chk.plugin != BUILTIN_PLUGIN:
            wrong = next((why for f in produced if (why := _wrong_finding(f, chk)) is not None), None)
            if wrong is not None:
                skipped = f"the findings of check {chk.code!r}"
                report_failure(chk.plugin, f"{wrong}; the other checks still ran", skipped)
                continue
        findings.extend(produced)
    ctx._check = None
    if plan.source is not None:  # one pass over the text for all the findings' places
        plan.source.prepare(f.pointer for f in findings if f.location is None)
    located = [attrs.evolve(f, location=_locate(plan, f)) if f.location is None else f for f in findings]
    located.sort(key=_order)
    path = plan.source.path if plan.source is not None else None
    return Report(plan_id=plan.id, path=path, findings=tuple(located))


def _order(f: Finding) -> tuple[Any, ...]:
    loc = f.location
    return (
        loc.line if loc is not None and loc.line is not None else 0,
        loc.column if loc is not None and loc.column is not None else 0,
        f.code,
        severity_rank(f.severity),
        f.subjects,
    )
