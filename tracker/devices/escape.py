"""Text from device files printed safely: names and notes can hold terminal control codes.

A local stand-in for the shared escaping function being added to the CLI (issue 15); switch to
it at merge.
"""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """Control characters (escape sequences, bidi overrides, NUL) as visible `\\x..` codes."""
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
