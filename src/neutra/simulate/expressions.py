r"""The expression language of scenario data, after LEAP's (Low Emissions Analysis Platform).

Source: LEAP help, "Expressions", "Examples of Expressions" and the pages of each function
(https://leap.sei.org/help/Expressions/Interp.htm and its neighbours).  Text is tokenised and
parsed by hand into an immutable tree; nothing is ever passed to ``eval`` or Python's ``ast``.
Values are float arrays over model years (last axis), optionally with leading batch axes
(Monte-Carlo draws) that come from references or base-year values.

* Numbers ``12``, ``1.5``, ``1e3``, ``.5``; ``6%`` is 0.06.  Operators, loosest first:
  ``or``, ``and``, ``not``, comparisons ``< <= > >= = <>`` (also ``== !=``; 1.0 or 0.0, not
  chained), ``+ -``, ``* /``, unary ``- +``, ``^`` (right-associative, so ``-2^2`` is -4).
* References: ``gdp`` and ``Key\gdp`` are the driver ``gdp``; ``Demand\Industry\Steel:activity``
  is a branch variable; ``[Demand/Industry/Iron and steel:activity]`` and
  ``Value("Demand/Industry", "activity")`` allow any branch name.
* Keywords (any case): ``Year``, ``BaseYear``, ``BaseYearValue`` (of the variable being
  evaluated), ``Inherited`` (its value without this expression: the next scenario up).
* Functions (any case): ``Interp(y1, v1, …, [growth])`` (from the base-year value when
  ``y1`` is later than the base year; after the last year constant or growing), ``Data(y1, v1,
  …)`` (no implicit point; constant outside), ``Step(y1, v1, …)``, ``Growth(r)`` and
  ``Growth(r1, y1, r2, …)`` (``r1`` for the years up to ``y1``…), ``GrowthAs(x, [e])``
  (``V(t) = V(t−1)·(x(t)/x(t−1))^e``), ``Remainder(total)``, ``Min``, ``Max``, ``Abs``, ``Exp``,
  ``Ln``, ``Log`` (natural), ``Sqrt``, ``Round(x, [n])`` (halves away from zero),
  ``If(c, a, b)``.  Years in time-series functions are number literals, increasing.
* Values in time-series functions may be formulas; they are evaluated year by year like the rest.
* Full-width ``（）［］，％：`` and quotes typed by Chinese input methods count as ASCII.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

from neutra.errors import ExpressionError

__all__ = ["Context", "Expr", "Node", "Ref", "describe", "evaluate", "parse"]

FloatArray: TypeAlias = npt.NDArray[np.float64]

_FULL_WIDTH = str.maketrans("（）［］，％：＋－＊／＾＜＞＝“”‘’", "()[],%:+-*/^<>=\"\"''")
_KEY_ROOTS = frozenset({"key", "key assumptions"})
_KEYWORDS = {k.lower(): k for k in ("Year", "BaseYear", "BaseYearValue", "Inherited")}
_ANY, _EVEN, _ODD = -1, 0, 1
# Arguments of each function: (min, max or None, count parity, usage for messages)
_ARITY: dict[str, tuple[int, int | None, int, str]] = {
    **dict.fromkeys(("Abs", "Exp", "Ln", "Log", "Sqrt", "Remainder"), (1, 1, _ANY, "x")),
    **dict.fromkeys(("Min", "Max"), (2, None, _ANY, "a, b, …")),
    **dict.fromkeys(("Data", "Step"), (2, None, _EVEN, "year1, value1, …")),
    "Interp": (2, None, _ANY, "year1, value1, …, [growth]"),
    "Growth": (1, None, _ODD, "rate1, [year1, rate2, …]"),
    "GrowthAs": (1, 2, _ANY, "driver, [elasticity]"),
    "Round": (1, 2, _ANY, "x, [digits]"),
    "If": (3, 3, _ANY, "condition, then, else"),
    "Value": (1, 2, _ANY, '"branch/path", "variable"'),
}
_FUNCTIONS = {name.lower(): name for name in _ARITY}
_COMPARISONS = ("<", "<=", ">", ">=", "=", "<>")
# binary operators by level, loosest first; level 2 is the prefix "not"
_LEVELS = (("or",), ("and",), ("not",), _COMPARISONS, ("+", "-"), ("*", "/"))
_PRECEDENCE = {op: level + 1 for level, ops in enumerate(_LEVELS) for op in ops} | {"^": 8}
_PLAIN = re.compile(r"\w+")  # letters (any script), digits, underscore
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a driver (``Key\\gdp``) or to a branch variable."""

    path: tuple[str, ...]
    variable: str | None
    driver: bool

    def __str__(self) -> str:
        segments = ("Key", *self.path) if self.driver else self.path
        var = "" if self.variable is None else f":{self.variable}"
        plain = all(_PLAIN.fullmatch(s) for s in segments) and not segments[0][0].isdigit()
        plain = plain and (self.variable is None or bool(_PLAIN.fullmatch(self.variable)))
        if plain and (len(segments) > 1 or var):
            return "\\".join(segments) + var
        return "[" + "\\".join(segments) + var + "]"


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Keyword:
    name: str  # "Year", "BaseYear", "BaseYearValue" or "Inherited"


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # display name, e.g. "GrowthAs"
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """``Interp``, ``Data`` or ``Step``: values at literal years."""

    kind: str
    years: tuple[int, ...]
    values: tuple[Node, ...]
    growth: Node | None


@dataclass(frozen=True, slots=True)
class Growth:
    """``Growth(r1, y1, r2, …)``: ``rates`` has one more element than ``years``."""

    rates: tuple[Node, ...]
    years: tuple[int, ...]


Node: TypeAlias = Num | Ref | Keyword | Unary | Binary | Call | Series | Growth


@dataclass(frozen=True, slots=True)
class Expr:
    """A parsed expression and what it needs from its context."""

    text: str
    node: Node
    refs: tuple[Ref, ...]
    uses_base: bool  # may need BaseYearValue (Interp and Step only if y1 > base year)
    uses_inherited: bool
    uses_siblings: bool
    constant: float | None


class Context(Protocol):
    """What an expression reads while it is evaluated; see :func:`evaluate`."""

    years: npt.NDArray[np.int64]
    base_year: int

    def ref(self, ref: Ref) -> FloatArray: ...
    def base_value(self) -> FloatArray | float: ...
    def inherited(self) -> FloatArray: ...
    def siblings_sum(self) -> FloatArray: ...


# --- tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "num", "name", "ref", "str", "op", "(", ")", ",", "end"
    pos: int
    text: str
    value: float = 0.0
    percent: bool = False
    ref: Ref | None = None


def _tokenize(source: str) -> list[_Tok]:
    s = source.translate(_FULL_WIDTH)  # one character for one: positions are kept
    toks: list[_Tok] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
        elif number := _NUMBER.match(s, i):
            j = number.end()
            value = float(number.group())
            percent = s[j : j + 1] == "%"
            end = j + 1 if percent else j
            toks.append(_Tok("num", i, s[i:end], value / 100 if percent else value, percent))
            i = end
        elif c.isalpha() or c == "_":
            i = _lex_name(source, s, i, toks)
        elif c == "[":
            end = s.find("]", i)
            if end < 0:
                raise ExpressionError(source, i, "'[' is never closed")
            ref = _path_ref(source, i, source[i + 1 : end], None)
            toks.append(_Tok("ref", i, s[i : end + 1], ref=ref))
            i = end + 1
        elif c in "\"'":
            end = s.find(c, i + 1)
            if end < 0:
                raise ExpressionError(source, i, "quoted text is never closed")
            toks.append(_Tok("str", i, source[i + 1 : end]))
            i = end + 1
        elif s[i : i + 2] in ("<=", ">=", "<>", "==", "!="):
            toks.append(_Tok("op", i, {"==": "=", "!=": "<>"}.get(s[i : i + 2], s[i : i + 2])))
            i += 2
        elif c in "+-*/^<>=(),":
            toks.append(_Tok(c if c in "()," else "op", i, c))
            i += 1
        else:
            raise ExpressionError(source, i, f"unexpected character {c!r}")
    toks.append(_Tok("end", n, ""))
    return toks


def _lex_name(source: str, s: str, i: int, toks: list[_Tok]) -> int:
    """A name, ``a\\b\\c`` path or ``a:variable``; returns the index after it."""
    m = _PLAIN.match(s, i)
    j = m.end() if m else i + 1
    segments = [s[i:j]]
    while s[j : j + 1] == "\\":
        m = _PLAIN.match(s, j + 1)
        if not m:
            raise ExpressionError(source, j + 1, "expected a branch name after '\\'")
        segments.append(m.group())
        j = m.end()
    variable = None
    if s[j : j + 1] == ":":
        m = _PLAIN.match(s, j + 1)
        if not m:
            raise ExpressionError(source, j + 1, "expected a variable name after ':'")
        variable, j = m.group(), m.end()
    if len(segments) == 1 and variable is None:
        name = segments[0]
        kind = "op" if name.lower() in ("and", "or", "not") else "name"
        toks.append(_Tok(kind, i, name.lower() if kind == "op" else name))
    else:
        toks.append(_Tok("ref", i, s[i:j], ref=_make_ref(source, i, segments, variable)))
    return j


def _make_ref(source: str, pos: int, segments: list[str], variable: str | None) -> Ref:
    if segments[0].lower() in _KEY_ROOTS:
        if len(segments) == 1:
            raise ExpressionError(source, pos, "Key needs a driver name, e.g. Key\\gdp")
        if variable is not None:
            raise ExpressionError(source, pos, "a driver (Key\\…) has no variables")
        return Ref(tuple(segments[1:]), None, True)
    return Ref(tuple(segments), variable, False)


def _path_ref(source: str, pos: int, raw: str, variable: str | None) -> Ref:
    """The branch of ``[a/b:variable]`` or ``Value("a/b", "variable")``."""
    if variable is None and re.search("[:：]", raw):
        raw, variable = re.split("[:：]", raw, maxsplit=1)
        if not variable.strip():
            raise ExpressionError(source, pos, "expected a variable name after ':'")
    segments = [seg.strip() for seg in re.split(r"[/\\／＼]", raw)]
    if not all(segments):
        raise ExpressionError(source, pos, f"empty branch name in path {raw.strip()!r}")
    return _make_ref(source, pos, segments, None if variable is None else variable.strip())


# --- parser ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Arg:
    pos: int
    node: Node | None  # None for quoted text
    literal: _Tok | None  # the argument is exactly one number
    text: str | None


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.toks = _tokenize(source)
        self.i = 0
        self.refs: list[Ref] = []
        self.uses_base = self.uses_inherited = self.uses_siblings = False

    def error(self, pos: int, reason: str) -> ExpressionError:
        return ExpressionError(self.source, pos, reason)

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        self.i += 1
        return self.toks[self.i - 1]

    def at_op(self, *ops: str) -> bool:
        t = self.peek()
        return t.kind == "op" and t.text in ops

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error(0, "the expression is empty")
        node = self.expression()
        t = self.peek()
        if t.kind == ")":
            raise self.error(t.pos, "unmatched ')'")
        if t.kind != "end":
            raise self.error(t.pos, f"unexpected {t.text!r}; expected an operator")
        return node

    def expression(self, level: int = 0) -> Node:
        """Binary operators of ``_LEVELS[level:]``, by precedence climbing."""
        if level == len(_LEVELS):
            return self.unary()
        if level == 2:
            if self.at_op("not"):
                self.take()
                return Unary("not", self.expression(2))
            return self.expression(3)
        node = self.expression(level + 1)
        while self.at_op(*_LEVELS[level]):
            node = Binary(self.take().text, node, self.expression(level + 1))
            if level == 3 and self.at_op(*_COMPARISONS):
                raise self.error(self.peek().pos, "comparisons cannot be chained; use 'and'")
        return node

    def unary(self) -> Node:
        if self.at_op("+", "-"):
            op = self.take().text
            operand = self.unary()
            if op == "+":
                return operand
            return Num(-operand.value) if isinstance(operand, Num) else Unary("-", operand)
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.at_op("^"):
            self.take()
            return Binary("^", base, self.unary())
        return base

    def primary(self) -> Node:
        t = self.take()
        if t.kind == "num":
            return Num(t.value)
        if t.kind == "ref" and t.ref is not None:
            return self.add_ref(t.ref)
        if t.kind == "(":
            node = self.expression()
            self.close(t, "'('")
            return node
        if t.kind == "name":
            return self.name(t)
        if t.kind == "str":
            raise self.error(t.pos, 'quoted text is only allowed in Value("path", "variable")')
        if t.kind == "end":
            raise self.error(t.pos, "the expression ends too early; expected a value")
        raise self.error(t.pos, f"expected a value, got {t.text!r}")

    def close(self, opening: _Tok, what: str) -> None:
        t = self.peek()
        if t.kind == "end":
            raise self.error(opening.pos, f"{what} is never closed")
        if t.kind != ")":
            raise self.error(t.pos, f"unexpected {t.text!r}; expected ')'")
        self.take()

    def add_ref(self, ref: Ref) -> Ref:
        if ref not in self.refs:
            self.refs.append(ref)
        return ref

    def name(self, t: _Tok) -> Node:
        lower = t.text.lower()
        if self.peek().kind == "(":
            if lower not in _FUNCTIONS:
                raise self.error(t.pos, f"unknown function {t.text!r}")
            return self.call(t, lower)
        if lower in _KEYWORDS:
            self.uses_base |= lower == "baseyearvalue"
            self.uses_inherited |= lower == "inherited"
            return Keyword(_KEYWORDS[lower])
        if lower in _FUNCTIONS:
            raise self.error(t.pos, f"{_FUNCTIONS[lower]} needs arguments in parentheses")
        if lower in _KEY_ROOTS:
            raise self.error(t.pos, "Key needs a driver name, e.g. Key\\gdp")
        return self.add_ref(Ref((t.text,), None, True))

    def call(self, t: _Tok, lower: str) -> Node:
        name = _FUNCTIONS[lower]
        low, high, parity, usage = _ARITY[name]
        opening = self.take()
        args: list[_Arg] = []
        if self.peek().kind != ")":
            while True:
                args.append(self.argument())
                if self.peek().kind != ",":
                    break
                self.take()
        self.close(opening, f"'(' of {name}")
        k = len(args)
        if k < low or (high is not None and k > high) or (parity != _ANY and k % 2 != parity):
            plural = "s" if k != 1 else ""
            raise self.error(t.pos, f"{name} cannot take {k} argument{plural}; use {name}({usage})")
        if name == "Value":
            return self.add_ref(self.value_ref(args))
        for a in args:
            if a.node is None:
                raise self.error(a.pos, "quoted text is only allowed in Value()")
        nodes = tuple(a.node for a in args if a.node is not None)
        if name in ("Interp", "Data", "Step"):
            self.uses_base |= name != "Data"
            pairs = args[: k - k % 2]
            years = self.years(name, pairs[0::2])
            growth = nodes[-1] if k % 2 else None
            return Series(name, years, nodes[1 : k - k % 2 : 2], growth)
        if name == "Growth":
            self.uses_base = True
            return Growth(nodes[0::2], self.years(name, args[1::2], first=2))
        self.uses_base |= name == "GrowthAs"
        self.uses_siblings |= name == "Remainder"
        return Call(name, nodes)

    def argument(self) -> _Arg:
        t = self.peek()
        if t.kind == "str" and self.toks[self.i + 1].kind in (",", ")"):
            self.take()
            return _Arg(t.pos, None, None, t.text)
        start = self.i
        node = self.expression()
        literal = t if self.i == start + 1 and t.kind == "num" else None
        return _Arg(t.pos, node, literal, None)

    def years(self, name: str, args: list[_Arg], first: int = 1) -> tuple[int, ...]:
        years: list[int] = []
        for n, a in enumerate(args):
            lit = a.literal
            if lit is None or lit.percent or not lit.value.is_integer():
                raise self.error(
                    a.pos, f"argument {first + 2 * n} of {name} must be a year written as a number"
                )
            if years and lit.value <= years[-1]:
                raise self.error(
                    a.pos, f"years of {name} must increase: {lit.text} after {years[-1]}"
                )
            years.append(int(lit.value))
        return tuple(years)

    def value_ref(self, args: list[_Arg]) -> Ref:
        for a in args:
            if a.text is None:
                raise self.error(a.pos, f"Value takes quoted text: Value({_ARITY['Value'][3]})")
        path, variable = args[0].text or "", args[1].text if len(args) > 1 else None
        if variable is not None and not variable.strip():
            raise self.error(args[1].pos, "empty variable name")
        return _path_ref(self.source, args[0].pos, path, variable)


@functools.cache  # the same as lru_cache(maxsize=None)
def parse(text: str) -> Expr:
    """Parse ``text``; raises :class:`~neutra.errors.ExpressionError` with the position."""
    p = _Parser(text)
    node = p.parse()
    constant = node.value if isinstance(node, Num) else None
    flags = (p.uses_base, p.uses_inherited, p.uses_siblings)
    return Expr(text, node, tuple(p.refs), *flags, constant)


# --- evaluation -----------------------------------------------------------------------------


def _logical(a: FloatArray) -> FloatArray:
    return np.asarray(a != 0, dtype=np.float64)


_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
_COMPARE = (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal)
_BINARY = _ARITHMETIC | dict(zip(_COMPARISONS, _COMPARE, strict=True))
_UNARY = {"Abs": np.abs, "Exp": np.exp, "Ln": np.log, "Log": np.log, "Sqrt": np.sqrt}


class _Evaluator:
    def __init__(self, expr: Expr, ctx: Context) -> None:
        self.text = expr.text
        self.ctx = ctx
        self.years = np.asarray(ctx.years, dtype=np.int64)
        self.t = self.years.astype(np.float64)
        self.n = len(self.years)
        self.cache: dict[object, FloatArray] = {}

    def full(self, a: FloatArray) -> FloatArray:
        if a.ndim and a.shape[-1] == self.n:
            return a
        return np.broadcast_to(a, np.broadcast_shapes(a.shape, (self.n,)))

    def read(self, key: object, what: str, get: Callable[[], object]) -> FloatArray:
        """``get()`` once per evaluation, checked to have the years on its last axis."""
        if key not in self.cache:
            a = np.asarray(get(), dtype=np.float64)
            if a.ndim == 0 or a.shape[-1] != self.n:
                reason = f"{what} has shape {a.shape}; expected (…, {self.n}) for the years"
                raise ExpressionError(self.text, -1, reason)
            self.cache[key] = a
        return self.cache[key]

    def base(self) -> FloatArray:
        if "base" not in self.cache:
            self.cache["base"] = np.asarray(self.ctx.base_value(), dtype=np.float64)[..., None]
        return self.cache["base"]

    def ev(self, node: Node) -> FloatArray:
        match node:
            case Num(value):
                return np.asarray(value, dtype=np.float64)
            case Ref():
                return self.read(node, str(node), lambda: self.ctx.ref(node))
            case Keyword("Year"):
                return self.t
            case Keyword("BaseYear"):
                return np.asarray(float(self.ctx.base_year))
            case Keyword("BaseYearValue"):
                return self.base()
            case Keyword("Inherited"):
                return self.read("inherited", "Inherited", self.ctx.inherited)
            case Unary("not", x):
                return 1.0 - _logical(self.ev(x))
            case Unary(_, x):
                return -self.ev(x)
            case Binary("and" | "or" as op, a, b):
                both = _logical(self.ev(a)) + _logical(self.ev(b))
                return np.asarray(both >= (2 if op == "and" else 1), dtype=np.float64)
            case Binary(op, a, b):
                return np.asarray(_BINARY[op](self.ev(a), self.ev(b)), dtype=np.float64)
            case Call(name, args):
                return self.call(name, [self.ev(a) for a in args])
            case Series():
                return self.series(node)
            case Growth(rates, years):
                rate = self.full(self.ev(rates[-1]))
                for y, r in reversed(list(zip(years, rates[:-1], strict=True))):
                    rate = np.where(self.years <= y, self.ev(r), rate)
                return self.base() * self.compound(rate, self.ctx.base_year)
        raise AssertionError(node)  # pragma: no cover - every node type is matched above

    def call(self, name: str, args: list[FloatArray]) -> FloatArray:
        if name in _UNARY:
            return np.asarray(_UNARY[name](args[0]), dtype=np.float64)
        if name in ("Min", "Max"):
            fn = np.minimum if name == "Min" else np.maximum
            return functools.reduce(lambda a, b: np.asarray(fn(a, b), dtype=np.float64), args)
        if name == "Round":
            scale = 10.0 ** (args[1] if len(args) > 1 else 0.0)
            return np.sign(args[0]) * np.floor(np.abs(args[0]) * scale + 0.5) / scale
        if name == "If":
            return np.where(args[0] != 0, args[1], args[2])
        if name == "Remainder":
            return args[0] - self.read("siblings", "the siblings' sum", self.ctx.siblings_sum)
        # GrowthAs: V(t) = V(t-1) * (x(t) / x(t-1)) ** e, V(base) = BaseYearValue
        x = self.full(args[0])
        e = self.full(args[1] if len(args) > 1 else np.asarray(1.0))
        steps = np.cumprod((x[..., 1:] / x[..., :-1]) ** e[..., 1:], axis=-1)
        ones = np.ones((*steps.shape[:-1], 1))
        return np.asarray(self.base() * np.concatenate([ones, steps], axis=-1), dtype=np.float64)

    def series(self, node: Series) -> FloatArray:
        years = list(node.years)
        values = [self.ev(v) for v in node.values]
        base = self.ctx.base_year
        if node.kind == "Step":
            out = self.base() if years[0] > base else values[0]
            for y, v in zip(years, values, strict=True):
                out = np.where(self.years >= y, v, out)
            return out
        if node.kind == "Interp" and years[0] > base:
            years.insert(0, base)
            values.insert(0, self.base())
        out = values[0]
        if len(years) > 1:
            # weights of the points in each model year: a hat function per point
            pts = np.asarray(years, dtype=np.float64)
            k = np.clip(np.searchsorted(pts, self.t, side="right") - 1, 0, len(pts) - 2)
            w = np.clip((self.t - pts[k]) / (pts[k + 1] - pts[k]), 0.0, 1.0)
            weights = np.zeros((len(pts), self.n))
            cols = np.arange(self.n)
            weights[k, cols] = 1.0 - w
            weights[k + 1, cols] += w
            out = sum(
                (np.where(wk != 0, wk * v, 0.0) for wk, v in zip(weights, values, strict=True)),
                start=np.zeros(self.n),
            )
        if node.growth is not None:
            out = out * self.compound(self.ev(node.growth), years[-1])
        return out

    def compound(self, rate: FloatArray, start: int) -> FloatArray:
        """Product of ``1 + rate(s)`` over the years ``start < s ≤ t``, for each model year t.

        Years between ``start`` and the first model year use the first model year's rate.
        """
        rate = self.full(rate)
        factor = np.cumprod(np.where(self.years > start, 1.0 + rate, 1.0), axis=-1)
        gap = int(self.years[0]) - 1 - start
        return np.asarray(factor * (1.0 + rate[..., :1]) ** max(gap, 0), dtype=np.float64)


def evaluate(expr: Expr, ctx: Context) -> FloatArray:
    """Values of ``expr`` in every model year: a new float64 array of shape ``(…, T)``.

    Batch axes come from references and base values (numpy broadcasting, years last).  Only the
    context methods the expression needs are called, each at most once.  Division by zero and
    other invalid operations give ``inf``/``nan`` silently; the caller checks results.
    """
    ev = _Evaluator(expr, ctx)
    with np.errstate(all="ignore"):
        out = ev.full(ev.ev(expr.node))
    return np.array(out, dtype=np.float64)


# --- description ----------------------------------------------------------------------------


def _num(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _render(node: Node, parent: int = 0) -> str:
    """Canonical text of ``node``; parses back to the same tree."""
    prec = 9
    match node:
        case Num(v):
            text, prec = _num(v), (9 if v >= 0 else 7)
        case Ref():
            text = str(node)
        case Keyword(name):
            text = name
        case Unary("not", x):
            text, prec = f"not {_render(x, 3)}", 3
        case Unary(op, x):
            text, prec = f"{op}{_render(x, 7)}", 7
        case Binary("^", a, b):
            text, prec = f"{_render(a, 9)}^{_render(b, 7)}", 8
        case Binary(op, a, b):
            prec = _PRECEDENCE[op]
            left = _render(a, prec + 1 if op in _COMPARISONS else prec)
            text = f"{left} {op} {_render(b, prec + 1)}"
        case Call(name, args):
            text = f"{name}({', '.join(_render(a) for a in args)})"
        case Series(kind, years, values, growth):
            parts = [p for y, v in zip(years, values, strict=True) for p in (str(y), _render(v))]
            tail = [] if growth is None else [_render(growth)]
            text = f"{kind}({', '.join(parts + tail)})"
        case Growth(rates, years):
            parts = [_render(r) for r in rates[:1]]
            for y, r in zip(years, rates[1:], strict=True):
                parts += [str(y), _render(r)]
            text = f"Growth({', '.join(parts)})"
    return f"({text})" if prec < parent else text


def _rate(node: Node) -> str:
    if isinstance(node, Num):
        return f"{node.value * 100:+.6g} %/yr"
    return f"growth at rate {_render(node)} per year"


def describe(expr: Expr) -> str:
    """A one-line description of ``expr`` in English, for ``explain``."""
    node = expr.node
    match node:
        case Num(v):
            return f"constant {_num(v)}"
        case Ref():
            return f"equal to {node}"
        case Keyword("Inherited"):
            return "the inherited value (unchanged)"
        case Series(kind, years, values, growth):
            points = ", ".join(f"{y}={_render(v)}" for y, v in zip(years, values, strict=True))
            if kind == "Step":
                return f"the base-year value, then steps to {points}"
            if kind == "Data":
                return f"data {points}, constant outside"
            tail = "constant" if growth is None else _rate(growth)
            return f"linear interpolation through {points}, then {tail}"
        case Growth(rates, years):
            if not years:
                return f"{_rate(rates[0])} from the base-year value"
            legs = ", ".join(f"{_rate(r)} to {y}" for r, y in zip(rates[:-1], years, strict=True))
            return f"from the base-year value: {legs}, then {_rate(rates[-1])}"
        case Call("GrowthAs", args):
            e = _render(args[1]) if len(args) > 1 else "1"
            return f"grows as {_render(args[0])} (elasticity {e}) from the base-year value"
        case Call("Remainder", args):
            return f"remainder: {_render(args[0])} minus the sibling branches"
    return f"formula {_render(node)}"
