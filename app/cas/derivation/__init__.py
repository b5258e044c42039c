"""The derivation engine: rule trees, worked solutions and their steps."""

from app.cas.derivation.methods import (
    METHODS,
    SIGMOID_METHODS,
    Derivation,
    Final,
    MethodError,
    derive,
)
from app.cas.derivation.steps import Step
from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import RULE_NAMES, Node, differentiate

__all__ = [
    "METHODS",
    "RULE_NAMES",
    "SIGMOID_METHODS",
    "Derivation",
    "Final",
    "MethodError",
    "Node",
    "Step",
    "derive",
    "differentiate",
    "tidy",
]
