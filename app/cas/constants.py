"""Exact values of constants built from exp, log, the sigmoid and the hyperbolic functions.

``exp(log(3))`` is 3, ``σ(log(3))`` is 3/4, ``cosh(log(2))`` is 5/4 and ``log(4)`` is
``2 log(2)``: relations the modular identity test (``app.cas.identity``) must know before
it may treat ``log(p)`` and ``exp(...)`` as independent generators. This module finds them:

- ``prime_logs(r)``: ``log(r)`` for a positive rational as a sum of logs of primes;
- ``log_primes(u)``: ``log(u)`` the same way for a constant ``u`` that is exactly a product of
  rational powers of positive rationals (``log(sqrt(2))`` is ``log(2)/2``), including values
  like ``σ(log(3))`` that reduce to rationals;
- ``exact_rational(u)``: the rational value of a constant, when it has one that follows from
  ``exp(k log p) = p^k`` and field operations (None otherwise, never a guess).

Factoring is bounded (a number with a large composite factor is left alone), so a hostile
constant cannot make the engine factor a 60-digit semiprime.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from app.cas.sigmoid import sigmoid

__all__ = ["clear_caches", "exact_rational", "log_expansion", "log_primes", "prime_logs"]

# Numerators and denominators beyond this are not factored.
_MAX_FACTORED = 10**40
# Trial division and rho stop here; what remains must be a prime or the number is left alone.
_FACTOR_LIMIT = 10**5
# exact_rational does not build rationals with more digits than this.
_MAX_DIGITS = 400

Logs = tuple[tuple[int, sp.Rational], ...]


@lru_cache(maxsize=4096)
def _factor(n: int) -> dict[int, int] | None:
    if n > _MAX_FACTORED:
        return None
    factors = sp.factorint(n, limit=_FACTOR_LIMIT)
    if any(not sp.isprime(prime) for prime in factors):
        return None
    return factors


@lru_cache(maxsize=4096)
def prime_logs(value: sp.Rational) -> Logs | None:
    """``log(value)`` as sorted (prime, multiplicity) pairs, for a positive rational of sane
    size; ``()`` for 1; None when ``value`` is not positive or could not be factored."""
    if not value.is_Rational or value <= 0:
        return None
    numerator = _factor(int(value.p))
    denominator = _factor(int(value.q))
    if numerator is None or denominator is None:
        return None
    factors: dict[int, sp.Rational] = {}
    for prime, count in numerator.items():
        factors[prime] = factors.get(prime, sp.S.Zero) + count
    for prime, count in denominator.items():
        factors[prime] = factors.get(prime, sp.S.Zero) - count
    return tuple(sorted((p, sp.Rational(c)) for p, c in factors.items() if c != 0))


@lru_cache(maxsize=4096)
def log_primes(u: sp.Expr) -> Logs | None:
    """``log(u)`` as (prime, rational coefficient) pairs, when ``u`` is a positive constant
    that is exactly a product of rational powers of positive rationals."""
    if u.free_symbols:
        return None
    if u.is_Rational:
        return prime_logs(u)
    factors = sp.Mul.make_args(u) if u.is_Mul else (u,)
    total: dict[int, sp.Rational] = {}
    for factor in factors:
        base, exponent = (factor.base, factor.exp) if factor.is_Pow else (factor, sp.S.One)
        if not exponent.is_Rational:
            return None
        value = exact_rational(base)
        if value is None:
            return None
        logs = prime_logs(value)
        if logs is None:
            return None
        for prime, count in logs:
            total[prime] = total.get(prime, sp.S.Zero) + count * exponent
    return tuple(sorted((p, c) for p, c in total.items() if c != 0))


def log_expansion(u: sp.Expr) -> sp.Expr | None:
    """``log(u)`` written as a sum of logs of primes (``log(12)`` is ``2 log(2) + log(3)``),
    or None when ``u`` is not such a constant."""
    logs = log_primes(u)
    if logs is None:
        return None
    return sp.Add(*[count * sp.log(sp.Integer(prime)) for prime, count in logs])


@lru_cache(maxsize=4096)
def exact_rational(u: sp.Expr) -> sp.Rational | None:
    """The rational value of the constant ``u``, or None when it has none that this module can
    prove (``exp(1)``, ``log(2)``, ``sqrt(2)``, anything with a variable)."""
    try:
        value = _exact(u)
    except ZeroDivisionError:
        return None
    # 2/0 is zoo in sympy, not an exception
    if value is None or not value.is_Rational:
        return None
    if max(len(str(abs(value.p))), len(str(value.q))) > _MAX_DIGITS:
        return None
    return value


def _exact(u: sp.Expr) -> sp.Rational | None:  # noqa: C901 - one branch per node type
    if u.is_Rational:
        return u
    if u.free_symbols or u.is_Number:
        return None
    if u.is_Add or u.is_Mul:
        parts = [exact_rational(arg) for arg in u.args]
        if any(part is None for part in parts):
            return None
        return sp.Add(*parts) if u.is_Add else sp.Mul(*parts)
    if u.is_Pow:
        if u.base is sp.E:
            return _exp_rational(u.exp)
        base = exact_rational(u.base)
        if base is None or not u.exp.is_Integer or abs(int(u.exp)) > _MAX_DIGITS:
            return None
        if base == 0 and u.exp < 0:
            raise ZeroDivisionError
        return base ** int(u.exp)
    if len(u.args) != 1:
        return None
    (arg,) = u.args
    if u.func is sp.exp:
        return _exp_rational(arg)
    if u.func is sigmoid:
        t = _exp_rational(-arg)
        return None if t is None else 1 / (1 + t)
    hyperbolic = _HYPERBOLIC.get(u.func)
    if hyperbolic is not None:
        t = _exp_rational(arg)
        return None if t is None else hyperbolic(t)
    return None


def _exp_rational(arg: sp.Expr) -> sp.Rational | None:
    """``exp(arg)`` when ``arg`` is an integer combination of logs of positive constants."""
    if arg.free_symbols:
        return None
    total = sp.S.One
    for term in sp.Add.make_args(arg):
        coeff, rest = term.as_coeff_Mul()
        if not isinstance(rest, sp.log):
            return None
        logs = log_primes(rest.args[0])
        if logs is None:
            return None
        for prime, count in logs:
            power = coeff * count
            if not power.is_Integer or abs(int(power)) > _MAX_DIGITS:
                return None
            total *= sp.Integer(prime) ** int(power)
    return total


_HYPERBOLIC = {
    sp.sinh: lambda t: (t - 1 / t) / 2,
    sp.cosh: lambda t: (t + 1 / t) / 2,
    sp.tanh: lambda t: (t * t - 1) / (t * t + 1),
    sp.coth: lambda t: (t * t + 1) / (t * t - 1),
    sp.sech: lambda t: 2 / (t + 1 / t),
    sp.csch: lambda t: 2 / (t - 1 / t),
}


def clear_caches() -> None:
    for cached in (_factor, prime_logs, log_primes, exact_rational):
        cached.cache_clear()
