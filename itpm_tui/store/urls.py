"""A database URL's password, kept out of what the app shows: masked as ``***``.

Text, not psycopg: the CLI asks here too (``serve`` warns about a password on its own
command line), and only the store may import the PostgreSQL backend.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_PASSWORD_IN_URL = (
    re.compile(r"^(\w+://[^:@/?#]*:)[^@/?#]*(?=@)"),  # user:PASSWORD@host
    re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE),  # ?password=PASSWORD
)
MASK = "***"
"""What a password in a URL is shown as, in every message and the header."""


def safe_url(url: str) -> str:
    """The URL with its password (``user:PASSWORD@``, ``?password=``) shown as ``***``, for
    messages. Text, not a parse: a URL too broken to parse is still masked."""
    for pattern in _PASSWORD_IN_URL:
        url = pattern.sub(lambda match: match.group(1) + MASK, url)
    return url


def secrets_of(url: str) -> list[str]:
    """The password(s) ``url`` holds, as written and percent-decoded: what no message may
    show (libpq's errors quote a bad part of the URL as written)."""
    found = [m.group(0)[len(m.group(1)) :] for p in _PASSWORD_IN_URL for m in p.finditer(url)]
    found += [unquote(word) for word in found]
    return sorted({word for word in found if word}, key=len, reverse=True)


def mask_secrets(text: str, url: str) -> str:
    """``text`` with every password of ``url`` in it replaced by ``***``."""
    for word in secrets_of(url):
        text = text.replace(word, MASK)
    return text
