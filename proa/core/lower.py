"""From the rule language to the operations both engines evaluate.

`Override` is a construct of the law (`proa/core/expr.py`); the scalar engine (`codegen`)
and the table engine (`table`) know only `Op`s. This module gives an override its meaning
once, for both:
- in a value position (a variable, a limit, a message): `if_(established(when), by, base)`,
  the bound established by the answers given;
- in a strict operation that reaches a verdict (a rule's comparison with a limit): a case
  split on the override's condition, `if_(when, cmp[by], cmp[base])`, which three-valued `if`
  decides when both answers agree and leaves missing otherwise (asking for the inputs of
  `when`). Splits start with an override whose condition holds no other, so that nested
  overrides (the Code prevailing over a clause) are decided world by world.
The notices an override carries (its struck clauses, its contested reading) are shown by the
rules that compare with it: each becomes a `Notice` placed after the first such rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from proa.core.expr import ALWAYS, Expr, Op, Override, Var, all_of, any_of, established
from proa.core.rules import Notice, RegimeLaw, Rule

_LOGIC = frozenset({"and", "or", "not", "if", "established"})


class Lowering:
    """Lowers the trees of one regime (whose variables are `variables`)."""

    def __init__(self, variables: Mapping[str, Expr]) -> None:
        self.defs = variables
        self._has: dict[str, bool] = {}
        # By id, holding the node itself: lowering makes short-lived trees (`substitute`), and
        # a freed node's id, reused by a new node, must never find another node's result.
        self._inlined: dict[int, tuple[Expr, Expr]] = {}

    def has(self, node: Expr) -> bool:
        """Whether an override is reachable from `node` (through variables)."""
        if isinstance(node, Override):
            return True
        if isinstance(node, Var):
            known = self._has.get(node.name)
            if known is None:
                known = self._has[node.name] = self.has(self.defs[node.name])
            return known
        if isinstance(node, Op):
            return any(self.has(a) for a in node.args)
        return False

    # --- value positions ---------------------------------------------------------------------
    def value(self, node: Expr) -> Expr:
        if isinstance(node, Override):
            return Op(
                "if",
                (established(self.value(node.when)), self.value(node.by), self.value(node.base)),
            )
        if isinstance(node, Op) and self.has(node):
            return Op(node.op, tuple(self.value(a) for a in node.args))
        return node

    # --- verdicts ----------------------------------------------------------------------------
    def decide(self, node: Expr) -> Expr:
        if not self.has(node):
            return node
        if isinstance(node, Var):
            return self.decide(self.inline(node))
        if isinstance(node, Override):
            return Op("if", (self.decide(node.when), self.decide(node.by), self.decide(node.base)))
        assert isinstance(node, Op)
        if node.op in _LOGIC:
            return Op(node.op, tuple(self.decide(a) for a in node.args))
        return self._split(self.inline(node))

    def _split(self, node: Expr) -> Expr:
        o = self._innermost(node)
        if o is None:
            return node
        return Op(
            "if",
            (
                self.decide(o.when),
                self._split(substitute(node, o, o.by)),
                self._split(substitute(node, o, o.base)),
            ),
        )

    def _innermost(self, node: Expr) -> Override | None:
        """An override of `node` whose condition holds no other override."""
        for o in overrides_in(node):
            if not self.has(o.when):
                return o
        return None

    def inline(self, node: Expr) -> Expr:
        """`node` with the variables that hold an override replaced by their definitions
        (memoised: an override reached twice stays one node, split once)."""
        if not self.has(node):
            return node
        done = self._inlined.get(id(node))
        if done is not None and done[0] is node:
            return done[1]
        out: Expr
        if isinstance(node, Var):
            out = self.inline(self.defs[node.name])
        elif isinstance(node, Override):
            out = replace(
                node,
                base=self.inline(node.base),
                by=self.inline(node.by),
                when=self.inline(node.when),
            )
        else:
            assert isinstance(node, Op)
            out = Op(node.op, tuple(self.inline(a) for a in node.args))
        self._inlined[id(node)] = (node, out)
        return out

    # --- the notices of overrides ------------------------------------------------------------
    def sites(self, node: Expr) -> list[Expr]:
        """The strict operations of a verdict that reach an override (inlined)."""
        if not self.has(node):
            return []
        if isinstance(node, Var):
            return self.sites(self.inline(node))
        if isinstance(node, Op) and node.op in _LOGIC:
            return [s for a in node.args for s in self.sites(a)]
        return [self.inline(node)]

    def notices(self, rule: Rule) -> dict[str, Expr]:
        """{notice: when} for the struck clauses and readings of the overrides `rule`
        compares with: a struck clause shows when the general rule alone refuses the case; a
        reading when its override applies and changes the rule's answer."""
        applies = self.decide(rule.applies) if rule.applies is not None else ALWAYS
        found: dict[str, list[Expr]] = {}
        for site in self.sites(rule.condition):
            for o in overrides_in(site):
                without = self.decide(substitute(site, o, o.base))
                for x in o.struck:
                    found.setdefault(x.notice, []).append(Op("not", (without,)))
                if o.notice:
                    with_ = self.decide(substitute(site, o, o.by))
                    found.setdefault(o.notice, []).append(
                        all_of(self.decide(o.when), Op("!=", (with_, without)))
                    )
        return {name: all_of(applies, any_of(*whens)) for name, whens in found.items()}


def chain(node: Expr) -> tuple[list[Override], Expr]:
    """The overrides stacked on a general rule through their `base` (outermost, the one that
    prevails, first), and that general rule."""
    stack: list[Override] = []
    while isinstance(node, Override):
        stack.append(node)
        node = node.base
    return stack, node


def overrides_in(node: Expr) -> list[Override]:
    """The overrides of a tree (not through variables), outermost first."""
    out: list[Override] = []
    seen: set[int] = set()

    def walk(n: Expr) -> None:
        if isinstance(n, Override):
            if id(n) in seen:
                return
            seen.add(id(n))
            out.append(n)
            for child in (n.base, n.by, n.when):
                walk(child)
        elif isinstance(n, Op):
            for a in n.args:
                walk(a)

    walk(node)
    return out


def substitute(node: Expr, target: Override, by: Expr) -> Expr:
    """`node` with every occurrence of `target` replaced by `by` (shared subtrees stay
    shared)."""
    memo: dict[int, Expr] = {}

    def sub(n: Expr) -> Expr:
        if n is target:
            return by
        if not isinstance(n, Op | Override):
            return n
        done = memo.get(id(n))
        if done is not None:
            return done
        out: Expr
        if isinstance(n, Override):
            parts = (sub(n.base), sub(n.by), sub(n.when))
            out = (
                n
                if parts == (n.base, n.by, n.when)
                else replace(n, base=parts[0], by=parts[1], when=parts[2])
            )
        else:
            args = tuple(sub(a) for a in n.args)
            out = n if all(a is b for a, b in zip(args, n.args, strict=True)) else Op(n.op, args)
        memo[id(n)] = out
        return out

    return sub(node)


_LOWERED: dict[int, tuple[RegimeLaw, RegimeLaw]] = {}


def lower(law: RegimeLaw) -> RegimeLaw:
    """The regime's law with every override given its meaning (cached per law)."""
    cached = _LOWERED.get(id(law))
    if cached is not None and cached[0] is law:
        return cached[1]
    low = Lowering({v.name: v.expr for v in law.variables})
    items: list[Rule | Notice] = []
    derived: set[str] = set()
    for item in law.rules:
        if isinstance(item, Notice):
            items.append(replace(item, when=low.decide(item.when)))
            continue
        items.append(
            replace(
                item,
                condition=low.decide(item.condition),
                applies=None if item.applies is None else low.decide(item.applies),
                remedies=tuple(
                    replace(
                        r,
                        at_least=None if r.at_least is None else low.value(r.at_least),
                        at_most=None if r.at_most is None else low.value(r.at_most),
                        values=None if r.values is None else low.value(r.values),
                    )
                    for r in item.remedies
                ),
            )
        )
        for name, when in low.notices(item).items():
            if name not in derived:
                derived.add(name)
                items.append(Notice(name, when))
    decide: Callable[[Expr], Expr] = low.decide
    out = replace(
        law,
        variables=tuple(replace(v, expr=low.value(v.expr)) for v in law.variables),
        rules=tuple(items),
        funding=replace(
            law.funding,
            teaching_costs=low.value(law.funding.teaching_costs),
            pay_maintained=decide(law.funding.pay_maintained),
            notes=tuple(replace(n, when=decide(n.when)) for n in law.funding.notes),
        ),
        deadlines=tuple(replace(d, date=low.value(d.date)) for d in law.deadlines),
    )
    _LOWERED[id(law)] = (law, out)
    return out
