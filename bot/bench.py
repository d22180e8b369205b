"""`python -m bot bench`: synthetic FAQs and the speed and memory figures."""
from __future__ import annotations


def register(sub) -> None:
    """Add the `bench` subcommand."""
