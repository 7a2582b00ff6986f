"""Readers and writers of plan files: folders of TOML + CSV, and XLSX workbooks."""

from pathlib import Path

from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.model.plan import Plan

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # a plan in one workbook
SETTINGS_FILE = "plan.toml"  # a plan folder's [entity] and [settings]


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` names a workbook (by its suffix; it need not exist)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def workbook_name(plan: Plan) -> str | None:
    """The file name of the workbook a plan was read from, or ``None`` (a folder)."""
    return Path(plan.source).name if plan.source and is_workbook(plan.source) else None


def settings_label(plan: Plan) -> str:
    """Where a plan's settings are, as problems name it: ``plan.toml`` (a folder) or
    ``plan.xlsx[settings]`` (a workbook's settings sheet)."""
    book = workbook_name(plan)
    return SETTINGS_FILE if book is None else f"{book}[settings]"


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
    if is_workbook(p) and p.is_file():
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


__all__ = [
    "SETTINGS_FILE",
    "WORKBOOK_SUFFIXES",
    "is_workbook",
    "read_plan",
    "read_plan_lenient",
    "settings_label",
    "workbook_name",
]
