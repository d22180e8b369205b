"""Staff commands (faq test/reload/draft/import, report): registered into `python -m bot`."""
from __future__ import annotations


def register(sub, faq_sub) -> None:
    """Add the staff subcommands to the top-level and `faq` subparsers."""
