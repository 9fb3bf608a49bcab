"""Compiles an expression tree into one Python function (the scalar engine's hot path).

The generated code is straight-line Python with the three-valued logic written out: an
operand that is `Missing` makes a strict operation `Missing` (with the union of the missing
fields); `and`/`or` short-circuit on a deciding value and are `Missing` otherwise; `if` on
an unknown condition is known only when both branches agree. Parameters in force for the
period are folded in as constants, and operations on constants are computed here, once.
Generating source rather than nesting closures removes a Python call per node.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from proa.core.expr import (
    _STRICT,
    Const,
    Evaluator,
    Expr,
    Field,
    Missing,
    Op,
    Param,
    Var,
    _union,
    expand_any_true,
)

# Operations written inline; the others call their function from `_STRICT`.
_INLINE = {
    "+": "{0} + {1}",
    "-": "{0} - {1}",
    "*": "{0} * {1}",
    "/": "_Fraction({0}) / {1}",
    "<": "{0} < {1}",
    "<=": "{0} <= {1}",
    ">": "{0} > {1}",
    ">=": "{0} >= {1}",
    "==": "{0} == {1}",
    "!=": "{0} != {1}",
    "in": "{0} in {1}",
    "is_null": "{0} is None",
    "not": "not {0}",
}
_UNSET = object()


class _Gen:
    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params
        self.lines: list[str] = []
        self.names: dict[str, Any] = {}
        self.counter = itertools.count()

    def constant(self, value: Any) -> str:
        name = f"k{next(self.counter)}"
        self.names[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def gen(self, node: Expr, ind: int) -> tuple[str, bool, Any]:
        """Emit code computing `node`; return (name holding it, is constant, value)."""
        if isinstance(node, Const | Param):
            value = node.value if isinstance(node, Const) else self.params[node.name]
            return self.constant(value), True, value
        t = f"t{next(self.counter)}"
        if isinstance(node, Field):
            absent = self.constant(Missing(frozenset({node.path})))
            self.emit(ind, f"{t} = inputs.get({node.path!r}, {absent})")
            return t, False, None
        if isinstance(node, Var):
            self.emit(ind, f"{t} = cache.get({node.name!r}, _UNSET)")
            self.emit(ind, f"if {t} is _UNSET:")
            self.emit(ind + 1, f"{t} = cache[{node.name!r}] = variables[{node.name!r}](ctx)")
            return t, False, None
        assert isinstance(node, Op)
        if node.op == "any_true":
            (arg,) = node.args
            listed = self.params[arg.name] if isinstance(arg, Param) else arg.value  # type: ignore[attr-defined]
            return self.gen(expand_any_true(listed), ind)
        if node.op in ("and", "or"):
            return self._logic(node.op, list(node.args), t, ind)
        if node.op == "if":
            return self._if(node.args, t, ind)
        if node.op == "established":
            inner, const, value = self.gen(node.args[0], ind)
            if const:
                return self.constant(value is True), True, value is True
            self.emit(ind, f"{t} = {inner} is True")
            return t, False, None
        parts = [self.gen(a, ind) for a in node.args]
        if all(const for _, const, _ in parts):
            value = _STRICT[node.op](*(v for _, _, v in parts))
            return self.constant(value), True, value
        names = [n for n, _, _ in parts]
        unknown = [n for n, const, _ in parts if not const]
        test = " or ".join(f"type({n}) is _Missing" for n in unknown)
        self.emit(ind, f"if {test}:")
        # One unknown operand: its Missing is the result as it is.
        union = unknown[0] if len(unknown) == 1 else f"_union(({', '.join(unknown)},))"
        self.emit(ind + 1, f"{t} = {union}")
        self.emit(ind, "else:")
        if node.op in _INLINE:
            self.emit(ind + 1, f"{t} = " + _INLINE[node.op].format(*names))
        else:
            fn = self.constant(_STRICT[node.op])
            self.emit(ind + 1, f"{t} = {fn}({', '.join(names)})")
        return t, False, None

    def _logic(self, op: str, args: list[Expr], t: str, ind: int) -> tuple[str, bool, Any]:
        decisive = op == "or"  # the value that settles the whole expression
        unk = f"u{next(self.counter)}"
        self.emit(ind, f"{t} = {not decisive}")
        self.emit(ind, f"{unk} = None")
        depth = ind
        for arg in args:
            name, const, value = self.gen(arg, depth)
            if const:
                if bool(value) is decisive:
                    self.emit(depth, f"{t} = {decisive}")
                    break
                continue
            self.emit(depth, f"if type({name}) is _Missing:")
            self.emit(depth + 1, f"{unk} = [{name}] if {unk} is None else [*{unk}, {name}]")
            self.emit(depth, f"elif {'' if decisive else 'not '}{name}:")
            self.emit(depth + 1, f"{t} = {decisive}")
            self.emit(depth, f"if {t} is {not decisive}:")
            depth += 1
        self.emit(depth, "pass")
        self.emit(ind, f"if {t} is {not decisive} and {unk} is not None:")
        self.emit(ind + 1, f"{t} = _union({unk})")
        return t, False, None

    def _if(self, args: tuple[Expr, ...], t: str, ind: int) -> tuple[str, bool, Any]:
        cond, then, otherwise = args
        c, c_const, c_value = self.gen(cond, ind)
        if c_const:
            return self.gen(then if c_value else otherwise, ind)
        self.emit(ind, f"if type({c}) is _Missing:")
        a, _, _ = self.gen(then, ind + 1)
        b, _, _ = self.gen(otherwise, ind + 1)
        self.emit(
            ind + 1, f"if type({a}) is not _Missing and type({b}) is not _Missing and {a} == {b}:"
        )
        self.emit(ind + 2, f"{t} = {a}")
        self.emit(ind + 1, "else:")
        self.emit(ind + 2, f"{t} = _union(({c}, {a}, {b}))")
        self.emit(ind, f"elif {c}:")
        a, _, _ = self.gen(then, ind + 1)
        self.emit(ind + 1, f"{t} = {a}")
        self.emit(ind, "else:")
        b, _, _ = self.gen(otherwise, ind + 1)
        self.emit(ind + 1, f"{t} = {b}")
        return t, False, None


def constant(node: Expr, params: Mapping[str, Any]) -> tuple[bool, Any]:
    """(True, value) when `node` is constant for these parameters, else (False, None)."""
    _, const, value = _Gen(params).gen(node, 1)
    return const, value


def compile_expr(node: Expr, params: Mapping[str, Any]) -> Evaluator:
    """One Python function evaluating `node` on a `Context`, parameters folded in."""
    g = _Gen(params)
    result, const, value = g.gen(node, 1)
    if const:
        return lambda ctx: value
    source = "\n".join(
        [
            "def evaluate(ctx):",
            "    inputs = ctx.inputs",
            "    cache = ctx.cache",
            "    variables = ctx.variables",
            *g.lines,
            f"    return {result}",
        ]
    )
    namespace: dict[str, Any] = {
        "_Missing": Missing,
        "_union": _union,
        "_UNSET": _UNSET,
        "_Fraction": Fraction,
        **g.names,
    }
    exec(compile(source, "<proa rule>", "exec"), namespace)
    fn: Evaluator = namespace["evaluate"]
    return fn
