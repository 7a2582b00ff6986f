"""Readers and writers of plan files: folders of TOML + CSV, and XLSX workbooks."""

from pathlib import Path

from neutra.errors import PlanError, raise_if_problems
from neutra.model.plan import Plan


def read_plan(path: str | Path) -> Plan:
    """Read a plan folder or workbook; raise once with every problem of its files.

    Raises:
        PlanError: the path is neither a plan folder nor a workbook.
        PlanValidationError: the files have problems (all of them are listed).
    """
    from neutra.io.folder import read_folder
    from neutra.io.workbook import read_workbook

    p = Path(path)
    if p.is_dir():
        plan, problems = read_folder(p)
    elif p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file():
        plan, problems = read_workbook(p)
    elif not p.exists():
        raise PlanError(f"{p}: no such file or folder; expected a plan folder or an .xlsx workbook")
    else:
        raise PlanError(f"{p}: expected a plan folder (plan.toml + CSV) or an .xlsx workbook")
    raise_if_problems(problems)
    if plan is None:  # pragma: no cover - problems are always reported when no plan is built
        raise PlanError(f"{p}: the plan could not be read")
    return plan


__all__ = ["read_plan"]
