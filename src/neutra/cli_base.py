"""What every ``neutra`` command shares: the Typer apps, options, consoles and the error exit."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from neutra.errors import NeutraError, PlanValidationError
from neutra.i18n import Lang

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Neutra: carbon-neutrality planning and management (碳中和规划与管理).",
)
factors_app = typer.Typer(
    no_args_is_help=True, help="Browse the reference factor sets / 浏览因子集."
)
runs_app = typer.Typer(no_args_is_help=True, help="Stored runs / 已保存的运行.")
plan_app = typer.Typer(no_args_is_help=True, help="Plan files / 计划文件.")
target_app = typer.Typer(no_args_is_help=True, help="Targets / 目标设定.")
app.add_typer(factors_app, name="factors")
app.add_typer(target_app, name="target")
app.add_typer(runs_app, name="runs")
app.add_typer(plan_app, name="plan")

PlanArg = Annotated[Path, typer.Argument(help="plan folder (plan.toml + CSV) or .xlsx workbook")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB store (default: inside the plan)")]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="print the documented JSON (docs/cli-json.md)")
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="do not store")]
LangOpt = Annotated[str, typer.Option("--lang", help="zh or en")]

EXIT_PROBLEMS = 2  # the plan has problems; every one is listed


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _lang(value: str | None) -> Lang:
    v = (value or os.environ.get("NEUTRA_LANG", "en")).lower()
    if v.startswith("zh"):
        return "zh"
    if v.startswith("en"):
        return "en"
    raise typer.BadParameter(f"--lang {value!r}: expected zh or en")


def _fail(exc: NeutraError, as_json: bool = False) -> None:
    """Print an error the user can act on and exit (2 for plan problems, 1 otherwise)."""
    code = EXIT_PROBLEMS if isinstance(exc, PlanValidationError) else 1
    if as_json:
        problems = [
            {
                "file": p.file,
                "row": p.row,
                "rows": list(p.rows),
                "cell": p.cell,
                "field": p.field,
                "value": p.value,
                "expected": p.expected,
            }
            for p in getattr(exc, "problems", ())
        ]
        print(
            json.dumps(
                {
                    "schema": "neutra.error/1",
                    "error": type(exc).__name__,
                    "message": str(exc),
                    "problems": problems,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _err().print(f"[bold red]error / 错误:[/] {escape(str(exc))}")
    raise typer.Exit(code)
