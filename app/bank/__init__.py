"""The problem bank: templates in problems/*.yaml, their seeded variants and solutions."""

from app.bank.errors import BankError, TemplateError, TemplateNotFound
from app.bank.loader import Bank, clear_cache, load_bank, read_templates, validate_folder
from app.bank.prompt import prompt_html
from app.bank.template import Template
from app.bank.variant import SEED_RANGE, Solution, Variant, VariantError, build_variant

__all__ = [
    "SEED_RANGE",
    "Bank",
    "BankError",
    "Solution",
    "Template",
    "TemplateError",
    "TemplateNotFound",
    "Variant",
    "VariantError",
    "build_variant",
    "clear_cache",
    "load_bank",
    "prompt_html",
    "read_templates",
    "validate_folder",
]
