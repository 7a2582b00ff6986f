"""Readers and writers of plan files: folders of TOML + CSV, and XLSX workbooks."""

from pathlib import Path

from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.model.plan import Plan


def read_plan_lenient(path: str | Path) -> tuple[Plan | None, list[Problem]]:
    """Read a plan folder or workbook and return it (built from its valid rows) with every
    problem of its files. A plan returned with problems is for further checks only.

    Raises:
        PlanError: the path is neither a plan folder nor a workbook.
    """
    from neutra.io.folder import read_folder
    from neutra.io.workbook import read_workbook

    p = Path(path)
    if p.is_dir():
        return read_folder(p)
    if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file():
        return read_workbook(p)
    if not p.exists():
        raise PlanError(f"{p}: no such file or folder; expected a plan folder or an .xlsx workbook")
    raise PlanError(f"{p}: expected a plan folder (plan.toml + CSV) or an .xlsx workbook")


def read_plan(path: str | Path) -> Plan:
    """Read a plan folder or workbook; raise once with every problem of its files.

    Raises:
        PlanError: the path is neither a plan folder nor a workbook.
        PlanValidationError: the files have problems (all of them are listed).
    """
    plan, problems = read_plan_lenient(path)
    raise_if_problems(problems)
    if plan is None:  # pragma: no cover - problems are always reported when no plan is built
        raise PlanError(f"{path}: the plan could not be read")
    return plan


__all__ = ["read_plan", "read_plan_lenient"]
