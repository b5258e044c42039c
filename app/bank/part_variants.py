"""Variants of multi-part templates: each part built like a single-answer variant.

A part whose answer names earlier parts (`(du*v - u*dv)/v^2`) keeps that `formula`: its
expected answer is the formula with the earlier parts' results put in, and follow-through
(`PartVariant.carried`) puts in a student's own earlier answers instead, so a wrong dL/dŷ
carried correctly into dL/dz = dL/dŷ · dŷ/dz can be credited for the later part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from app.bank.params import Value, sample
from app.bank.template import Part, Template
from app.bank.variant import Solution, Variant, VariantError, _Builder, _evaluated, _names
from app.cas.derivation import Step, tidy
from app.cas.mistakes import Mistake, distinct_mistakes
from app.cas.render import to_latex
from app.cas.symbols import var

# Of each earlier part's known mistakes, how many are carried into a part that uses it.
MISTAKES_CARRIED = 4


@dataclass(frozen=True)
class PartVariant:
    id: str
    label: str
    points: float
    follow_through: bool
    variant: Variant
    # The answer in terms of earlier parts' ids (None for a part that uses none of them),
    # the ids it uses, and the substitutions made after them (`where`).
    formula: sp.Expr | None = None
    uses: tuple[str, ...] = ()
    where: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    def carried(self, earlier: dict[str, sp.Expr]) -> sp.Expr | None:
        """The expected answer given these answers to the parts it uses (None when it uses
        none, or one of them is missing)."""
        if self.formula is None or any(name not in earlier for name in self.uses):
            return None
        value = self.formula.xreplace({var(name): earlier[name] for name in self.uses})
        return _evaluated(value.xreplace(dict(self.where)))


class _PartBuilder(_Builder):
    """One part of a template, built as the single-answer variant of a template whose
    fields are the part's; the earlier parts' results are known by id."""

    def __init__(self, template: Template, part: Part, index: int, seed: int,
                 earlier: dict[str, tuple[str, sp.Expr, tuple[Mistake, ...]]]) -> None:
        super().__init__(_as_template(template, part), seed)
        self.part = part
        self.index = index
        self.earlier = earlier
        self.formula: sp.Expr | None = None
        self.uses: tuple[str, ...] = ()
        self.where: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()

    def fail(self, field_name: str, message: str) -> VariantError:
        error = super().fail(f"parts[{self.index}].{field_name}", message).error
        return VariantError(replace(error, line=self.part.line or error.line))

    def shown_extra(self) -> dict[str, Value]:
        # An earlier part's result in a later prompt: "Using u' = {{du}}, ...".
        return {name: to_latex(expected, textbook=True)
                for name, (_label, expected, _mistakes) in self.earlier.items()}

    def explicit(self, declared, domain):
        names = set(self.earlier)
        text = self.fill(self.template.answer, "answer")
        allowed = None if declared is None else [*declared, *names]
        formula = self.expr(text, "answer", allowed)
        uses = tuple(n for n in self.earlier if var(n) in formula.free_symbols)
        if not uses:
            return super().explicit(declared, domain)
        where = tuple((var(self.fill(k, "where")), self.expr(v, f"where.{k}", declared))
                      for k, v in self.part.where)
        self.formula, self.uses, self.where = formula, uses, where
        put_in = _evaluated(formula.xreplace(
            {var(n): self.earlier[n][1] for n in uses}).xreplace(dict(where)))
        final = self.note(self.template.final, "final", declared)
        expected = final.expr if final is not None else tidy(put_in)
        variables = declared if declared is not None else _names(put_in)
        steps = self.combine_steps(formula, put_in, expected, final)
        carried = self.carried_mistakes(formula, where)
        mistakes = distinct_mistakes([*self.template_mistakes(declared), *carried], expected,
                                     domain)
        title = "Put in the earlier parts"
        return None, None, expected, variables, [Solution("combine", title, steps)], mistakes

    def carried_mistakes(self, formula, where) -> list[Mistake]:
        """The earlier parts' known mistakes carried into this one: what the formula gives
        with one of them in place of the right result (the others right)."""
        right = {var(n): self.earlier[n][1] for n in self.uses}
        found = []
        for name in self.uses:
            label, _expected, mistakes = self.earlier[name]
            for mistake in mistakes[:MISTAKES_CARRIED]:
                value = formula.xreplace({**right, var(name): mistake.answer})
                message = f"Your answer follows from a mistake in part ({label}): {mistake.message}"
                found.append(Mistake(_evaluated(value.xreplace(dict(where))), message,
                                     mistake.kind))
        return found

    def combine_steps(self, formula, put_in, expected, final) -> tuple[Step, ...]:
        symbol = self.fill(self.part.symbol, "symbol") if self.part.symbol else ""
        lhs = f"{symbol} = " if symbol else ""
        labels = ", ".join(f"({self.earlier[n][0]})" for n in self.uses)
        # The earlier results as they are put in, before anything cancels.
        shown = to_latex(formula.xreplace(
            {var(n): _held(self.earlier[n][1].xreplace(dict(self.where))) for n in self.uses}))
        steps = [Step("Earlier parts", f"Put in the results of parts {labels}.",
                      f"{lhs}{shown}", put_in, put_in)]
        if to_latex(expected) != shown:
            text = final.note if final is not None else "Simplify."
            steps.append(Step("Simplify", text, f"{lhs}{to_latex(expected)}", expected, put_in))
        return tuple(steps)


def _held(value: sp.Expr) -> sp.Expr:
    """`value` kept whole in the product it is put into; a negative one as the negation of
    a held positive one, so that the printer writes "+ e^(-x)", never "- - e^(-x)"."""
    if value.could_extract_minus_sign():
        return -sp.UnevaluatedExpr(-value)
    return sp.UnevaluatedExpr(value)


def _as_template(template: Template, part: Part) -> Template:
    return replace(
        template, prompt=part.prompt, function=part.function, wrt=part.wrt,
        answer=part.answer, at=part.at, requirements=part.requirements,
        methods=part.methods, rewrite=part.rewrite, final=part.final,
        mistakes=part.mistakes, parts=(),
    )


def build_parts_variant(template: Template, seed: int) -> Variant:
    """The variant of a multi-part template: its parts, each a variant, and the last part's
    variant under the stem and every part's prompt (for callers that know no parts)."""
    built: list[PartVariant] = []
    earlier: dict[str, tuple[str, sp.Expr, tuple[Mistake, ...]]] = {}
    for index, part in enumerate(template.parts):
        builder = _PartBuilder(template, part, index, seed, earlier)
        variant = builder.build()
        built.append(PartVariant(
            id=part.id, label=part.label, points=part.points,
            follow_through=part.follow_through, variant=variant, formula=builder.formula,
            uses=builder.uses, where=builder.where))
        earlier[part.id] = (part.label, variant.expected, variant.mistakes)
    stem_builder = _Builder(template, seed)
    stem_builder.values = sample(template.params, template.id, seed)
    stem = stem_builder.prompt(None, None, [], ())
    combined = stem.rstrip() + "".join(
        f"\n\n**({p.label})** {p.variant.prompt.strip()}" for p in built) + "\n"
    return replace(built[-1].variant, prompt=combined, parts=tuple(built), stem=stem)
