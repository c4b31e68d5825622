"""Text on its way to a terminal: control characters shown escaped, never sent raw.

Notes, names and imported cells are stored exactly as they were typed or imported (exports keep
them). Only what a terminal would obey instead of showing is escaped, and only for display: C0
controls except tab and newline (ESC, CR, backspace, BEL, ...), DEL, C1 controls (0x80-0x9f,
CSI and OSC among them), the bidirectional overrides and isolates that reorder a line (U+202E
and friends), the line and paragraph separators, and lone surrogates (not text at all). Each
shows as a Python-style escape, `\\x1b`, `\\u202e`, so the reader sees that it is there.

The CLI and the TUI both print through `printable`; `--json` output through `printable_json`,
which uses JSON's own `\\uXXXX` escapes so the output stays valid JSON with the same data.
"""

from __future__ import annotations

import re

_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, overrides, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates (undecodable bytes arrive as these)
)
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_OR_NEWLINE_RE = re.compile(f"[{_UNSAFE}\n]")
_JSON_UNSAFE_RE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character escaped; `one_line` escapes newlines too (a listing
    where each record is one line, so a note cannot fake a record of its own)."""
    pattern = _UNSAFE_OR_NEWLINE_RE if one_line else _UNSAFE_RE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether `printable` would change `text` (newlines kept)."""
    return _UNSAFE_RE.search(text) is not None


def printable_json(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) safe for a terminal: the
    characters JSON leaves raw but a terminal obeys become `\\uXXXX` escapes (still valid JSON,
    the same strings once parsed; JSON has already escaped the C0 controls)."""
    if _JSON_UNSAFE_RE.search(text) is None:
        return text
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
