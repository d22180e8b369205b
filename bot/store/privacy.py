"""What of a citizen's message may be stored: the text, without the numbers that identify them.

Citizens type their mobile number or ID-card number into a question ("我的身份证号
43020219900101123X，社保怎么查"); the message log keeps the question for staff reports, which
need neither. Masked before the row is written, so no file or backup ever holds them.
"""
from __future__ import annotations

import re

# A mainland mobile number, alone or after +86, as typed or as voice recognition spaces it:
# 13812345678, 138 1234 5678, 138-1234-5678, +86 13812345678. Not part of a longer number.
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?(1[3-9][0-9])[\s-]?([0-9]{4})[\s-]?([0-9]{4})(?![0-9])")
# An 18-character resident ID number (17 digits and a digit or X), not part of a longer number.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])([0-9]{3})[0-9]{11}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_personal_numbers(text: str) -> str:
    """Mobile and ID-card numbers with all but their first 3 and last 4 characters starred:
    13812345678 → 138****5678, 43020219900101123X → 430***********123X."""
    text = _ID_CARD.sub(lambda m: f"{m[1]}{'*' * 11}{m[2]}", text)
    return _MOBILE.sub(lambda m: f"{m[1]}****{m[3]}", text)
