"""Every word the spoken forms of mathematics use, in one place.

Phrases are templates with named slots, never pieces glued together by the printers, so a
translation can reorder them ("{a} 的 {f}"); names of functions, letters and small numbers are
tables. `app.cas.spoken.expressions` (sympy expressions) and `app.cas.spoken.mathml` (the
presentation MathML of prompts and worked steps) read from here only.
"""

from __future__ import annotations

PHRASES = {
    "plus": "{a} plus {b}",
    "minus": "{a} minus {b}",
    "negative": "minus {a}",
    "times": "{a} times {b}",
    "scaled": "{a} {b}",  # a number before what it multiplies: "3 x"
    "over": "{a} over {b}",
    "fraction": "the fraction {a}, over {b}, end fraction",
    "squared": "{a} squared",
    "cubed": "{a} cubed",
    "power": "{a} to the {b} power",  # ClearSpeak: "e to the minus x power"
    "power_long": "{a} raised to the exponent {b}, end exponent",
    "of": "{f} of {a}",
    "group": "open paren {a} close paren",
    "sqrt": "the square root of {a}",
    "root": "the root of index {n} of {a}",
    "abs": "the absolute value of {a}",
    "derivative": "the derivative of {a} with respect to {x}",
    "derivative_n": "the derivative of order {n} of {a} with respect to {x}",
    "derivative_of": "the derivative with respect to {x} of {a}",
    "derivative_n_of": "the derivative of order {n} with respect to {x} of {a}",
    "partial": "the partial derivative of {a} with respect to {x}",
    "partial_of": "the partial derivative with respect to {x} of {a}",
    "at": "{a}, at {x} equals {v}",
    "evaluated": "{a}, evaluated at {x}",
    "relation": "{a} {op} {b}",
    "sub": "{a} sub {b}",
    "prime": "{a} prime",
    "double_prime": "{a} double prime",
    "accent": "{a} {accent}",
    "sum_from_to": "the sum from {start} to {end} of {a}",
    "sum_over": "the sum over {start} of {a}",
    "sum": "the sum of {a}",
    "signed": "{op} {a}",  # an operator before its only operand
    "trailing": "{a} {op}",  # an operator with nothing after it
    "list": "{a}, {b}",
}

# Relations and punctuation between the parts of a displayed equation or prompt formula.
OPERATORS = {
    "=": "equals", "≠": "is not equal to", "<": "is less than", ">": "is greater than",
    "≤": "is at most", "≥": "is at least", "∈": "is in", "≈": "is approximately",
    "→": "to", "…": "and so on", "⋯": "and so on", "∝": "is proportional to",
    "±": "plus or minus", "∓": "minus or plus",
}

FUNCTION_NAMES = {
    "sigmoid": "sigma", "sigma": "sigma", "σ": "sigma", "exp": "exp", "log": "log",
    "ln": "natural log", "sin": "sine", "cos": "cosine", "tan": "tangent", "sec": "secant",
    "csc": "cosecant", "cot": "cotangent", "asin": "arc sine", "acos": "arc cosine",
    "atan": "arc tangent", "arcsin": "arc sine", "arccos": "arc cosine", "arctan": "arc tangent",
    "sinh": "hyperbolic sine", "cosh": "hyperbolic cosine", "tanh": "hyperbolic tangent",
    "sech": "hyperbolic secant", "csch": "hyperbolic cosecant", "coth": "hyperbolic cotangent",
    "softmax": "softmax", "max": "max", "min": "min",
}

LETTERS = {
    "yhat": "y hat", "pi": "pi", "π": "pi", "e": "e", "α": "alpha", "β": "beta",
    "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "η": "eta", "θ": "theta",
    "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "φ": "phi", "ϕ": "phi", "ω": "omega",
    "∂": "partial", "∞": "infinity", "Σ": "sigma",
}

ACCENTS = {"^": "hat", "ˆ": "hat", "¯": "bar", "‾": "bar", "~": "tilde", "˙": "dot",
           "→": "vector"}

SMALL_NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)


ORDINALS = {
    4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth",
    11: "eleventh", 12: "twelfth",
}


def say(phrase: str, **parts: str) -> str:
    return PHRASES[phrase].format(**parts)


def number(text: str) -> str:
    """A whole number up to twenty in words; anything else as written (a screen reader reads
    "0.25" and "144" well, and a translation may keep digits)."""
    if text.isdigit() and int(text) < len(SMALL_NUMBERS):
        return SMALL_NUMBERS[int(text)]
    return text
