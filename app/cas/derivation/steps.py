"""Numbered steps of a worked solution, read off a rule tree.

The narration goes top-down the way a teacher writes it: state the rule with the
derivatives still to be found, find each of them, substitute, simplify. Pieces a student
differentiates at a glance (3x + 2, e^(-x) inside a larger derivation) take one step.

Every step is an equation ``lhs = expr`` that holds: ``lhs`` may contain unevaluated
derivatives (``Derivative``/``Subs``), ``expr`` is what the step claims they equal. The
steps whose ``lhs`` is the derivative being asked for form the chain of equalities that
leads to the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from app.cas.derivation import latex as tx
from app.cas.derivation.notes import join_names, note, sentence
from app.cas.derivation.simplify import simplification
from app.cas.derivation.tidy import prefer_negated, tidy
from app.cas.derivation.tree import RULE_NAMES, Node
from app.cas.derivation.wording import say
from app.cas.i18n import N_, _
from app.cas.plain import ordered_terms
from app.cas.symbols import var


@dataclass(frozen=True)
class Step:
    rule: str
    text: str
    latex: str
    expr: sp.Expr
    lhs: sp.Expr

    def holds_for(self) -> tuple[sp.Expr, sp.Expr]:
        """The two sides with every derivative carried out, for checking."""
        return self.lhs.doit(), self.expr.doit()


# A sum step's label (Step.rule: English, for the bank's tools, never shown on a page) and its
# sentence, by the kind of sum and whether none, one or several terms are constants.
_SUM_RULES = {"alone": "Constant multiple rule", "multiples": "Sum and constant multiple rules",
              "sum": "Sum rule"}
_SUM_SENTENCES = {
    "alone": (N_("The constant factor stays in front."),
              N_("The constant factor stays in front; %(listed)s does not depend on %(wrt)s."),
              N_("The constant factor stays in front; %(listed)s do not depend on %(wrt)s.")),
    "multiples": (
        N_("Differentiate term by term, keeping constant factors in front."),
        N_("Differentiate term by term, keeping constant factors in front; %(listed)s does not "
           "depend on %(wrt)s."),
        N_("Differentiate term by term, keeping constant factors in front; %(listed)s do not "
           "depend on %(wrt)s.")),
    "sum": (N_("Differentiate term by term."),
            N_("Differentiate term by term; %(listed)s does not depend on %(wrt)s."),
            N_("Differentiate term by term; %(listed)s do not depend on %(wrt)s.")),
}

_LEAF_RULES = {"constant", "variable", "power", "exp", "log", "sigmoid", "function", "exponential"}

class Narrator:
    """Writes the steps of one derivation; `explain` returns the derivative it found."""

    def __init__(self, wrt: sp.Symbol, reserved: set[str]) -> None:
        self.wrt = wrt
        self.steps: list[Step] = []
        # (factors of the product just written, what is simplified) for the next simplification.
        self.hint: tuple | None = None
        letter = next(name for name in ("u", "w", "s", "q") if name not in reserved)
        self.u = var(letter)

    def add(self, rule: str, text: str, latex: str, lhs: sp.Expr, expr: sp.Expr) -> None:
        self.steps.append(Step(rule, text, latex, expr, lhs))

    def D(self, expr: sp.Expr) -> sp.Derivative:  # noqa: N802 - the operator's usual name
        return sp.Derivative(expr, self.wrt)

    def d(self, expr: sp.Expr) -> str:
        return tx.d(expr, self.wrt)

    # -- dispatch -------------------------------------------------------------------------

    def quick(self, node: Node, top: bool) -> bool:
        if node.is_elementary() or node.rule in _LEAF_RULES:
            return True
        if top:
            return False
        if node.rule == "chain":
            return node.children[0].is_elementary()
        if node.rule in {"sum", "constant_multiple"}:
            moving = [c for c in node.children if c.rule != "constant"]
            return len(moving) == 1 and self.quick(moving[0], top=False)
        return False

    def explain(
        self,
        node: Node,
        top: bool = False,
        shown: sp.Expr | None = None,
        target: sp.Expr | None = None,
    ) -> sp.Expr:
        """Narrate d/dx of `node.expr` (written as `shown` when given); return its value.

        `target` is the form to simplify to (the template's final form) when it is written
        with the same functions as the simplified result: then the simplification goes there
        directly, with no detour through another form.
        """
        shown = node.expr if shown is None else shown
        if self.quick(node, top):
            return self.one_step(node, shown)
        handler = getattr(self, f"explain_{node.rule}")
        self.hint = None
        raw = handler(node, shown)
        factors, what = self.hint or (None, None)
        self.hint = None
        value = tidy(raw)
        if target is not None and vocabulary(target) == vocabulary(value):
            value = target
        last = _right_side(self.steps[-1].latex)
        for rule, text, rhs, expr in simplification(raw, value, factors, what):
            if _same_latex(rhs, last):
                continue
            self.add(rule, text, tx.equation(self.d(shown), rhs), self.D(shown), expr)
            last = rhs
        return value

    # -- one-step pieces ------------------------------------------------------------------

    def one_step(self, node: Node, shown: sp.Expr) -> sp.Expr:
        value = tidy(node.result)
        rules = [n.rule for n in node.walk() if n.rule not in {"constant", "variable"}]
        if not rules:
            rules = [node.rule]
        notes = [said for n in node.walk() if (said := note(n))]
        if node.rule == "constant":
            text = _("%(expr)s does not depend on %(wrt)s.") % {"expr": say(node.expr), "wrt": say(self.wrt)}
        elif node.rule == "variable":
            text = _("The derivative of %(wrt)s with respect to itself is 1.") % {"wrt": say(self.wrt)}
        else:
            text = sentence(_("; ").join(notes[:3]))
        sides = [self.d(shown)]
        if node.rule == "chain":
            inner_value = tidy(node.children[0].result)
            sides.append(tx.times(tx.tex(node.parts["outer_derivative"]), inner_value))
        sides.append(tx.tex(value))
        if sides[-2] == sides[-1]:
            sides.pop(-2)
        self.add(join_names(rules), text, tx.equation(*sides), self.D(shown), value)
        return value

    # -- rules with sub-derivations -------------------------------------------------------

    def _linear_terms(self, node: Node) -> list[tuple[sp.Expr, Node]]:
        """(coefficient, node) for each term that depends on the variable."""
        children = node.children if node.rule == "sum" else (node,)
        if node.rule == "sum":
            # In the order the sum is printed, so that each line reads like the one before.
            order = {term: index for index, term in enumerate(ordered_terms(node.expr))}
            children = sorted(children, key=lambda child: order.get(child.expr, len(order)))
        terms = []
        for child in children:
            if child.rule == "constant":
                continue
            if child.rule == "constant_multiple":
                terms.append((child.parts["c"], child.children[0]))
            else:
                terms.append((sp.S.One, child))
        return terms

    def _linear_latex(self, terms: list[tuple[sp.Expr, str]]) -> str:
        pieces = []
        for index, (coefficient, body) in enumerate(terms):
            # -(1 - t), as the loss is written, rather than + (t - 1).
            negative = coefficient.could_extract_minus_sign() or (
                coefficient.is_Add and prefer_negated(coefficient)
            )
            magnitude = sp.expand(-coefficient) if negative else coefficient
            text = body if magnitude == 1 else tx.times(magnitude, body)
            if index == 0:
                pieces.append(("-" if negative else "") + text)
            else:
                pieces.append((" - " if negative else " + ") + text)
        return "".join(pieces)

    def explain_sum(self, node: Node, shown: sp.Expr) -> sp.Expr:
        terms = self._linear_terms(node)
        constants = [c.expr for c in node.children if c.rule == "constant"]
        multiples = any(c != 1 for c, _term in terms)
        alone = node.rule == "constant_multiple"
        kind = "alone" if alone else "multiples" if multiples else "sum"
        rule = _SUM_RULES[kind]
        how_many = min(len(constants), 2)
        text = _(_SUM_SENTENCES[kind][how_many]) % {
            "listed": ", ".join(say(c) for c in constants), "wrt": say(self.wrt)}
        form = sp.Add(*(c * self.D(t.expr) for c, t in terms))
        self.add(
            rule,
            text,
            tx.equation(self.d(shown), self._linear_latex([(c, self.d(t.expr)) for c, t in terms])),
            self.D(shown),
            form,
        )
        values = [(c, self.explain(t)) for c, t in terms]
        combined = sp.Add(*(c * v for c, v in values))
        self.add(
            "Substitute",
            _("Multiply by the constant factor.")
            if alone
            else _("Put the derivatives found above into the sum."),
            tx.equation(
                self.d(shown),
                self._linear_latex([(c, tx.factor(v, first=c == 1)) for c, v in values]),
            ),
            self.D(shown),
            combined,
        )
        return combined

    def explain_constant_multiple(self, node: Node, shown: sp.Expr) -> sp.Expr:
        return self.explain_sum(node, shown)

    def explain_chain(self, node: Node, shown: sp.Expr) -> sp.Expr:
        inner = node.parts["inner"]
        outer_rule = node.parts["outer_rule"]
        n = node.parts.get("n")
        outer_at = self._outer_function(node)
        u = self.u
        xi = sp.Dummy("xi")
        outer_claim = sp.Subs(sp.Derivative(outer_at(xi), xi), xi, inner)
        self.add(
            "Chain rule",
            _("Outer function %(outer_name)s, inner function %(u)s = %(inner)s: the "
               "derivative is the outer derivative at %(u)s times d%(u)s/d%(wrt)s.") % {"outer_name": self._outer_name(outer_at(u), n), "u": say(u), "inner": say(inner), "wrt": say(self.wrt)},
            tx.equation(self.d(shown), tx.times(self._prime(node), self.d(inner))),
            self.D(shown),
            outer_claim * self.D(inner),
        )
        outer_value = tidy(sp.diff(outer_at(u), u))
        self.add(
            RULE_NAMES["power" if outer_rule == "power" else outer_rule],
            self._outer_text(outer_rule, n),
            tx.equation(self._d_u(outer_at(u), n), self._outer_latex(outer_value, n)),
            sp.Derivative(outer_at(u), u),
            outer_value,
        )
        inner_value = self.explain(node.children[0])
        outer_derivative = node.parts["outer_derivative"]
        combined = outer_derivative * inner_value
        self.hint = ([outer_derivative, inner_value], None)
        self.add(
            "Chain rule",
            _("Multiply the outer derivative at %(u)s = %(inner)s by the inner derivative.") % {"u": say(u), "inner": say(inner)},
            tx.equation(self.d(shown), tx.times(self._outer_at_inner(node), inner_value)),
            self.D(shown),
            combined,
        )
        return combined

    def _outer_function(self, node: Node):
        n = node.parts.get("n")
        if node.parts["outer_rule"] == "power" and n is not None:
            return lambda arg: arg**n
        return node.expr.func

    def _outer_name(self, outer_of_u: sp.Expr, n) -> str:
        return f"{say(self.u)}^({say(n)})" if n is not None and n < 0 else say(outer_of_u)

    def _prime(self, node: Node) -> str:
        inner = node.parts["inner"]
        if node.parts["outer_rule"] == "power":
            return tx.prime(None, inner, node.parts["n"])
        return tx.prime(node.expr.func, inner)

    def _d_u(self, outer_of_u: sp.Expr, n) -> str:
        body = self._power_latex(sp.S.One, n) if n is not None else tx.tex(outer_of_u)
        return rf"\frac{{d}}{{d{tx.tex(self.u)}}} {body}"

    def _power_latex(self, coefficient: sp.Expr, exponent: sp.Expr) -> str:
        """c·u^k written with the exponent shown, as in -u^{-2} (sympy would write 1/u²)."""
        base = tx.tex(self.u)
        power = base if exponent == 1 else f"{base}^{{{tx.tex(exponent)}}}"
        if exponent == 0:
            power = ""
        if coefficient == 1:
            return power or "1"
        if coefficient == -1:
            return "-" + (power or "1")
        return tx.tex(coefficient) + (" " + power if power else "")

    def _outer_latex(self, outer_value: sp.Expr, n) -> str:
        if n is not None:
            return self._power_latex(n, n - 1)
        return tx.tex(outer_value)

    def _outer_at_inner(self, node: Node) -> str:
        if node.parts["outer_rule"] == "power":
            n = node.parts["n"]
            inner = tx.tex(node.parts["inner"])
            coefficient = "-" if n == -1 else ("" if n == 1 else tx.tex(n) + " ")
            return rf"{coefficient}\left({inner}\right)^{{{tx.tex(n - 1)}}}"
        return tx.factor(node.parts["outer_derivative"], first=True)

    def _outer_text(self, outer_rule: str, n) -> str:
        u = say(self.u)
        match outer_rule:
            case "sigmoid":
                return _("The sigmoid's derivative is σ'(%(u)s) = σ(%(u)s)(1 - σ(%(u)s)).") % {"u": u}
            case "exp":
                return _("e^%(u)s is its own derivative.") % {"u": u}
            case "log":
                return _("The derivative of log(%(u)s) is 1/%(u)s.") % {"u": u}
            case "power":
                return _("Bring the exponent %(n)s down and lower it by one.") % {"n": say(n)}
            case _:
                return _("From the table of derivatives, with %(u)s as the variable.") % {"u": u}

    def explain_product(self, node: Node, shown: sp.Expr) -> sp.Expr:
        u, v = node.parts["u"], node.parts["v"]
        self.add(
            "Product rule",
            _("With u = %(u)s and v = %(v)s: (uv)' = u'v + uv'.") % {"u": say(u), "v": say(v)},
            tx.equation(self.d(shown), tx.times(self.d(u), v) + " + " + tx.times(u, self.d(v))),
            self.D(shown),
            self.D(u) * v + u * self.D(v),
        )
        du = self.explain(node.children[0])
        dv = self.explain(node.children[1])
        self.add(
            "Product rule",
            _("Substitute u' and v'."),
            tx.equation(self.d(shown), tx.times(du, v) + " + " + tx.times(u, dv)),
            self.D(shown),
            du * v + u * dv,
        )
        return du * v + u * dv

    def explain_quotient(self, node: Node, shown: sp.Expr) -> sp.Expr:
        u, v = node.parts["u"], node.parts["v"]
        self.add(
            "Quotient rule",
            _("With u = %(u)s and v = %(v)s: (u/v)' = (u'v - uv')/v^2.") % {"u": say(u), "v": say(v)},
            tx.equation(
                self.d(shown),
                rf"\frac{{{tx.times(self.d(u), v)} - {tx.times(u, self.d(v))}}}"
                rf"{{{tx.factor(v, first=False) if v.is_Add else tx.tex(v)}^{{2}}}}",
            ),
            self.D(shown),
            (self.D(u) * v - u * self.D(v)) / v**2,
        )
        du = self.explain(node.children[0])
        dv = self.explain(node.children[1])
        denominator = rf"\left({tx.tex(v)}\right)^{{2}}" if v.is_Add else rf"{tx.tex(v)}^{{2}}"
        self.add(
            "Quotient rule",
            _("Substitute u' and v'."),
            tx.equation(
                self.d(shown),
                rf"\frac{{{tx.times(du, v)} - {tx.times(u, dv)}}}{{{denominator}}}",
            ),
            self.D(shown),
            (du * v - u * dv) / v**2,
        )
        self.hint = (None, _("the numerator"))
        return (du * v - u * dv) / v**2


def _right_side(latex: str) -> str:
    return latex.rsplit(" = ", 1)[-1]


def _same_latex(a: str, b: str) -> bool:
    """Two renderings that show the same line (they differ in spacing only)."""
    return a.replace(" ", "") == b.replace(" ", "")


def vocabulary(expr: sp.Expr) -> frozenset:
    return frozenset(type(a) for a in expr.atoms(sp.Function)) | (
        {sp.exp} if expr.has(sp.E) else set()
    )


def reserved_names(*exprs: sp.Expr) -> set[str]:
    return {s.name for e in exprs for s in e.free_symbols}
