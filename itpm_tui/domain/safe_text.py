"""Text from the database or another user, made harmless before a terminal sees it.

On a shared file every member writes text that every other member's terminal prints. A
terminal acts on control characters: ESC and the C1 controls start sequences that set the
clipboard (OSC 52), rename the window (OSC 0), blank the screen (CSI 2J) or make lying
links (OSC 8); bidi overrides reverse what is shown. Rich and Textual strip only a few C0
bytes. So every string shown is passed through ``visible``: such characters become
visible stand-ins of one cell each, and nothing else changes:

- C0 controls U+0000-U+001F become the control pictures ␀-␟ (ESC is ␛), DEL becomes ␡;
  tab and newline stay where the output allows them (``multiline``);
- C1 controls U+0080-U+009F and the bidi controls U+202A-U+202E and U+2066-U+2069 become
  U+FFFD (�).

The stored data is never changed; ``unsafe_character`` lets writers refuse such text at
input with a clear message.
"""

from __future__ import annotations

import re

from itpm_tui.errors import InvalidInput

REPLACEMENT = "\ufffd"
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_C0 = {code: chr(0x2400 + code) for code in range(0x20)}
_SINGLE_LINE = {**_C0, 0x7F: "\u2421", **dict.fromkeys((*range(0x80, 0xA0), *_BIDI), REPLACEMENT)}
_MULTI_LINE = {k: v for k, v in _SINGLE_LINE.items() if k not in (0x09, 0x0A)}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_MULTI_LINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character a terminal would act on shown as a stand-in."""
    pattern = _UNSAFE_MULTI_LINE if multiline else _UNSAFE
    if pattern.search(text) is None:  # the common case, at C speed
        return text
    return text.translate(_MULTI_LINE if multiline else _SINGLE_LINE)


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` that ``visible`` would replace, if any."""
    found = (_UNSAFE_MULTI_LINE if multiline else _UNSAFE).search(text)
    return found.group() if found else None


def refuse_unsafe(text: str, what: str, *, multiline: bool = False) -> str:
    """``text`` unchanged, or ``InvalidInput`` naming the control character it contains."""
    bad = unsafe_character(text, multiline=multiline)
    if bad is not None:
        kind = "line break or tab" if bad in "\n\t\r" else "control character"
        raise InvalidInput(
            f"{what} cannot contain a {kind} (U+{ord(bad):04X} at position "
            f"{text.index(bad) + 1}); type plain text"
        )
    return text
