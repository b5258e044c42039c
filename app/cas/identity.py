"""Exact zero test for the difference of two expressions, by evaluation modulo a prime.

Every expression the parser builds is, after writing the sigmoid, the hyperbolic and the
trigonometric functions with exponentials, a rational function of *generators*:

- each variable ``x`` (valued as ``r^L``, so that every root ``x^(k/q)`` with ``q | L`` is
  the power ``r^(kL/q)``: the map is a field embedding, roots included);
- ``exp(m/L)`` for every monomial ``m`` occurring, with a rational coefficient, in an
  exponent (``exp(-(2x-1))`` is ``exp(x/L)^(-2L) * exp(1/L)^L``; ``e`` is ``exp(1/L)^L``);
  trigonometric functions use ``exp(i*m/L)`` with ``i`` a square root of -1 modulo ``p``;
- ``pi``, ``log(p)`` for each prime ``p``: the log of every positive constant that is a
  product of rational powers of rationals (``log(4)``, ``log(sqrt(2))``, ``log(σ(log 3))``,
  see ``app.cas.constants``) is first written with them;
- ``p^(1/L)`` for a prime ``p`` with a fractional power (``sqrt(2)``, ``exp(log(3)/2)``);
- *opaque* generators for anything else: ``abs(u)``, ``asin(u)``, ``log(u)`` for a
  non-constant ``u``, roots of non-variables, ...

Relations between them are applied before any generator is made: ``exp(k log p)`` is the
rational ``p^k``, not a generator (so ``exp(log 3) = 3``, ``σ(log 3) = 3/4``,
``tanh(log 2) = 3/5``), and an exponent with log terms factors (``exp(x + log 3) =
3 exp(x)``).

A rational function that vanishes at random points of a large prime field is zero
(Schwartz-Zippel: each point errs with probability at most degree/p, about 1e-12 with the
``L`` used here, and independent points multiply). Zero as a rational function of independent
generators means zero for the actual functions, so ``zero`` is a proof of equality up to that
probability, whatever the generators.

The converse needs the generators to be algebraically independent. That holds (Lindemann-
Weierstrass, Ax's theorem; e, pi and the log of primes as in Schanuel's conjecture) when no
opaque generator was used: then a non-zero value proves the difference is a non-zero
analytic function, i.e. not equivalent. With opaque generators a non-zero value proves
nothing (``asin(x) + acos(x) = pi/2``) and the caller decides numerically; so does a value
that used ``p^(1/L)`` (its L-th power is ``p``, which the field does not know), or a
``log(n)`` that could not be factored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from app.cas import constants
from app.cas.sigmoid import sigmoid

# A prime p = 1 (mod 4) just above 2^61, so that -1 has a square root modulo p.
P = next(n for n in range(2**61 + 1, 2**61 + 10**6, 4) if sp.isprime(n))
I_MOD = sp.sqrt_mod(-1, P)
# Roots up to this order are exact powers of the variables' generators (lcm(1..16)).
L = 720720
# Per-process salt: the evaluation points cannot be predicted from the source code.
_SALT = secrets.token_bytes(16)


def clear_caches() -> None:
    """Forget the cached exponent splittings and constant reductions."""
    for cached in (_exponent_terms, _key, generator):
        cached.cache_clear()
    constants.clear_caches()


class BadPoint(Exception):  # noqa: N818
    """A denominator vanished at this point: try another one."""


@dataclass(slots=True)
class Evaluation:
    value: int
    clean: bool  # no opaque generator: a non-zero value proves non-equivalence


@lru_cache(maxsize=65536)
def generator(key: str, trial: int) -> int:
    """The value of a generator at evaluation ``trial``: a salted hash, never 0 or 1."""
    digest = hashlib.blake2b(f"{trial}|{key}".encode(), key=_SALT, digest_size=16).digest()
    return 2 + int.from_bytes(digest, "big") % (P - 3)


@lru_cache(maxsize=16384)
def _key(prefix: str, expr: sp.Basic) -> str:
    """A generator's name: ``srepr`` tells ``x`` from ``x`` with other assumptions (and is
    slow, hence the cache)."""
    return prefix + sp.srepr(expr)


def evaluate(expr: sp.Expr, trial: int) -> Evaluation:
    """``expr`` modulo P at evaluation ``trial`` (raises ``BadPoint``)."""
    evaluator = _ModEvaluator(trial)
    value = evaluator.value(expr)
    return Evaluation(value, evaluator.clean)


def _inverse(value: int) -> int:
    if value == 0:
        raise BadPoint
    return pow(value, -1, P)


def _power(value: int, exponent: int) -> int:
    if value == 0:
        if exponent < 0:
            raise BadPoint
        return 0 if exponent > 0 else 1
    if exponent < 0:
        # the inverse (extended Euclid) and a short exponent beat v^((P-1) - k)
        value, exponent = pow(value, -1, P), -exponent
    # Fermat: v^(P-1) = 1, so the exponent counts modulo P - 1
    return pow(value, exponent if exponent < P - 1 else exponent % (P - 1), P)


def _rational(value: sp.Rational) -> int:
    return int(value.p) % P * _inverse(int(value.q) % P) % P


_EXP_REWRITTEN = (sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth, sigmoid)


@lru_cache(maxsize=8192)
def _exponent_terms(arg: sp.Expr) -> tuple[tuple[sp.Expr, int], ...] | None:
    """``arg`` as a sum of (monomial, coefficient * L) with integer second parts.

    The monomial 1 stands for the constant term. Every log of a positive constant is written
    with logs of primes first (``x*log(4)`` is ``2*x*log(2)``, ``log(σ(log(3)))`` is
    ``log(3) - 2*log(2)``), so that ``4^x`` and ``2^(2x)`` share a generator and a monomial
    ``log(p)`` alone is recognised as ``exp(log(p)) = p``. None when a coefficient's
    denominator does not divide L (or the argument cannot be split), so ``exp(arg)`` must
    stay opaque.
    """
    if arg.has(*_EXP_REWRITTEN):
        # exp(cosh(y)) and exp(e^y/2 + e^(-y)/2) must meet on the same generators.
        arg = arg.rewrite(list(_EXP_REWRITTEN), sp.exp)
    expanded = _expand_constant_logs(arg)
    terms = sp.Add.make_args(expanded)
    if expanded is not arg or any(_needs_expand(term) for term in terms):
        arg = sp.expand(expanded, deep=False, power_base=False, log=False, multinomial=True)
        terms = sp.Add.make_args(arg)
    collected: dict[sp.Expr, sp.Rational] = {}
    for term in terms:
        coeff, monomial = term.as_coeff_Mul()
        if not coeff.is_Rational:
            return None
        collected[monomial] = collected.get(monomial, sp.S.Zero) + coeff
    result = []
    for monomial, coeff in collected.items():
        scaled = coeff * L
        if not scaled.is_Integer:
            return None
        if scaled != 0:
            result.append((monomial, int(scaled)))
    return tuple(result)


def _expand_constant_logs(arg: sp.Expr) -> sp.Expr:
    """``arg`` with each log of a positive constant written as a sum of logs of primes."""
    if not arg.has(sp.log):
        return arg
    replacements = {}
    for node in arg.atoms(sp.log):
        u = node.args[0]
        if u.free_symbols or (u.is_Integer and _is_prime(int(u))):
            continue
        expansion = constants.log_expansion(u)
        if expansion is not None:
            replacements[node] = expansion
    return arg.xreplace(replacements) if replacements else arg


def _is_prime(n: int) -> bool:
    return constants.prime_logs(sp.Integer(n)) == ((n, 1),) if n > 1 else False


def _needs_expand(term: sp.Expr) -> bool:
    return any(f.is_Add or (f.is_Pow and f.base.is_Add) for f in sp.Mul.make_args(term))


def _prime_of_log(monomial: sp.Expr) -> int | None:
    """p when the monomial is log(p) for a prime p: exp(c*log(p)) is then p^c."""
    if isinstance(monomial, sp.log) and monomial.args[0].is_Integer:
        p = int(monomial.args[0])
        if _is_prime(p):
            return p
    return None


class _ModEvaluator:
    def __init__(self, trial: int) -> None:
        self.trial = trial
        self.clean = True
        self.memo: dict[sp.Basic, int] = {}

    def gen(self, key: str) -> int:
        return generator(key, self.trial)

    def opaque(self, expr: sp.Basic) -> int:
        self.clean = False
        return self.gen(_key("opaque:", expr))

    def value(self, expr: sp.Basic) -> int:
        found = self.memo.get(expr)
        if found is None:
            found = self._value(expr)
            self.memo[expr] = found
        return found

    def _value(self, expr: sp.Basic) -> int:  # noqa: C901 - one branch per node type
        if expr.is_Rational:
            return _rational(expr)
        if expr.is_Symbol:
            return _power(self.gen("var:" + expr.name), L)
        if expr.is_Add:
            return sum(self.value(arg) for arg in expr.args) % P
        if expr.is_Mul:
            result = 1
            for arg in expr.args:
                result = result * self.value(arg) % P
            return result
        if expr.is_Pow:
            return self._pow(expr)
        if expr is sp.E:
            return self.exp_of(sp.S.One, False)
        if expr is sp.pi:
            return self.gen("pi")
        if expr is sp.I:
            return I_MOD
        if expr.is_Float:
            self.clean = False
            return _rational(sp.Rational(expr))
        func = expr.func
        if len(expr.args) != 1:
            return self.opaque(expr)
        (u,) = expr.args
        if func is sp.exp:
            return self.exp_of(u, False)
        if func is sigmoid:
            return _inverse((1 + self.exp_of(-u, False)) % P)
        if func is sp.log:
            return self.log_of(u)
        if func in _TRIG:
            t = self.exp_of(u, True)
            return _TRIG[func](t)
        if func in _HYPERBOLIC:
            t = self.exp_of(u, False)
            return _HYPERBOLIC[func](t)
        return self.opaque(expr)

    def _pow(self, expr: sp.Pow) -> int:
        base, exponent = expr.args
        if exponent.is_Integer:
            return _power(self.value(base), int(exponent))
        if base is sp.E:
            return self.exp_of(exponent, False)
        if exponent.is_Rational:
            q = int(exponent.q)
            if base.is_Symbol and L % q == 0:
                root = self.gen("var:" + base.name)
                return _power(root, int(exponent.p) * (L // q))
            logs = constants.log_primes(base) if base.is_Rational else None
            if logs is not None:
                return self.prime_powers((p, c * exponent) for p, c in logs)
            root = self.opaque(sp.Pow(base, sp.Rational(1, q), evaluate=False))
            return _power(root, int(exponent.p))
        if base.is_Rational and base > 0:
            return self.exp_of(exponent * sp.log(base), False)
        # A variable base: b^u = exp(u*log(b)) with log(b) opaque.
        self.clean = False
        return self.exp_of(exponent * sp.log(base), False)

    def prime_powers(self, powers) -> int:
        """The product of p^c for (prime, rational c): exact for integer c. A fractional
        power is a power of a generator standing for p^(1/L); the field does not know that
        its L-th power is p, so such a value is not clean (stage 3 decides)."""
        result = 1
        for prime, c in powers:
            whole = c.p // c.q
            result = result * _power(prime % P, int(whole)) % P
            fraction = c - whole
            if fraction == 0:
                continue
            self.clean = False
            if L % int(fraction.q) == 0:
                root = self.gen(f"root:{prime}")
                result = result * _power(root, int(fraction * L)) % P
            else:
                root = self.opaque(sp.Pow(sp.Integer(prime), fraction, evaluate=False))
                result = result * root % P
        return result

    def log_of(self, u: sp.Expr) -> int:
        logs = constants.log_primes(u)
        if logs is not None:
            return sum(_rational(c) * self.gen(f"log:{p}") for p, c in logs) % P
        return self.opaque(sp.log(u, evaluate=False))

    def exp_of(self, arg: sp.Expr, imaginary: bool) -> int:
        """exp(arg), or exp(i*arg) when ``imaginary``."""
        terms = _exponent_terms(arg)
        if terms is None:
            return self.opaque(sp.exp(sp.I * arg if imaginary else arg, evaluate=False))
        result = 1
        prefix = "iexp:" if imaginary else "exp:"
        for monomial, scaled in terms:
            prime = None if imaginary else _prime_of_log(monomial)
            if prime is not None:
                # exp(c*log(p)) is p^c: not a generator of its own
                result = result * self.prime_powers([(prime, sp.Rational(scaled, L))]) % P
                continue
            if not _known_monomial(monomial) or (imaginary and _pi_constant(monomial)):
                self.clean = False
            g = self.gen(_key(prefix, monomial))
            result = result * _power(g, scaled) % P
        return result


def _known_monomial(monomial: sp.Expr) -> bool:
    """True when exp(monomial) is independent of the other generators (Ax's theorem; for
    constants as in Schanuel's conjecture): the monomial is a product of variables and
    powers of them, and of e, pi, e^r and logs of primes, and is not a log of a prime alone
    (exp(log(p)) is p)."""
    for factor in sp.Mul.make_args(monomial):
        if factor is sp.S.One or factor is sp.I:
            continue
        base = factor.base if factor.is_Pow and factor.exp.is_Rational else factor
        if base.is_Symbol or base is sp.pi or base is sp.E:
            continue
        if isinstance(base, sp.log) and _prime_of_log(base) is not None:
            continue
        if isinstance(base, sp.exp) and base.args[0].is_Rational:
            continue  # e^r, independent of the others as in Schanuel's conjecture
        return False
    return True


def _pi_constant(monomial: sp.Expr) -> bool:
    # exp(i*pi) = -1: a constant multiple of pi in an imaginary exponent is not independent
    # of the rationals (sin(x + 2*pi) = sin(x)), so its generator proves equality only.
    return not monomial.free_symbols and monomial.has(sp.pi)


def _sin(t: int) -> int:
    return (t - _inverse(t)) * _inverse(2 * I_MOD % P) % P


def _cos(t: int) -> int:
    return (t + _inverse(t)) * _inverse(2) % P


def _sinh(t: int) -> int:
    return (t - _inverse(t)) * _inverse(2) % P


def _cosh(t: int) -> int:
    return (t + _inverse(t)) * _inverse(2) % P


_TRIG = {
    sp.sin: _sin,
    sp.cos: _cos,
    sp.tan: lambda t: _sin(t) * _inverse(_cos(t)) % P,
    sp.cot: lambda t: _cos(t) * _inverse(_sin(t)) % P,
    sp.sec: lambda t: _inverse(_cos(t)),
    sp.csc: lambda t: _inverse(_sin(t)),
}
_HYPERBOLIC = {
    sp.sinh: _sinh,
    sp.cosh: _cosh,
    sp.tanh: lambda t: _sinh(t) * _inverse(_cosh(t)) % P,
    sp.coth: lambda t: _cosh(t) * _inverse(_sinh(t)) % P,
    sp.sech: lambda t: _inverse(_cosh(t)),
    sp.csch: lambda t: _inverse(_sinh(t)),
}

__all__ = ["BadPoint", "Evaluation", "I_MOD", "L", "P", "clear_caches", "evaluate", "generator"]
