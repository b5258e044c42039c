"""Half-sentences on single rule applications, for the steps that take several at a glance."""

from __future__ import annotations

from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import RULE_NAMES, Node
from app.cas.derivation.wording import say
from app.cas.i18n import _


def join_names(rules: list[str]) -> str:
    names = [RULE_NAMES[rule].removesuffix(" rule") for rule in dict.fromkeys(rules)]
    if len(names) == 1:
        return RULE_NAMES[rules[0]]
    names = [names[0]] + [name[0].lower() + name[1:] for name in names[1:]]
    return ", ".join(names[:-1]) + " and " + names[-1] + " rules"


def note(node: Node) -> str | None:
    """Half a sentence on what one rule application does, for collapsed steps."""
    x = say(node.wrt)
    match node.rule:
        case "constant":
            return None
        case "variable":
            return None
        case "power":
            n = node.parts["n"]
            return f"d/d{x} {say(node.expr)} = {say(n * node.wrt ** (n - 1))}"
        case "exp":
            power = x if len(x) == 1 else f"({x})"
            return _("e^%(power)s is its own derivative") % {"power": power}
        case "log":
            return f"d/d{x} log({x}) = 1/{x}"
        case "sigmoid":
            return f"σ'({x}) = σ({x})(1 - σ({x}))"
        case "sum":
            return _("differentiate term by term, constants give 0")
        case "constant_multiple":
            return _("the constant %(parts)s stays as a factor") % {"parts": say(node.parts['c'])}
        case "chain":
            return (
                _("chain rule with inner function %(parts)s, whose derivative is %(tidy)s") % {"parts": say(node.parts['inner']), "tidy": say(tidy(node.children[0].result))}
            )
        case _:
            return f"d/d{x} {say(node.expr)} = {say(tidy(node.result))}"


def sentence(text: str) -> str:
    # Capitalise only an ASCII initial: "σ'(x) = ..." must not become "Σ'(x) = ...", and
    # "d/dx" stays lower case.
    if text[:1].isascii() and not text.startswith("d/d"):
        text = text[:1].upper() + text[1:]
    return _("%(sentence)s.") % {"sentence": text}
