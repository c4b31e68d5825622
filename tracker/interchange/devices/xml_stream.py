"""Streaming XML for the device formats: defusedxml's iterparse (no entity expansion, no
external references), elements freed as soon as they are read, so a file of any size is read
in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from tracker.interchange.devices.activity import DeviceFileError, MissingExtra


def local(tag: str) -> str:
    """`{namespace}Name` → `Name`."""
    return tag.rsplit("}", 1)[-1]


def top_level(source: IO[bytes], what: str) -> Iterator[tuple[str, Any, dict[str, str]]]:
    """(name, element, root attributes) for each complete child of the root; the element is
    cleared from memory once the caller moves on."""
    try:
        from defusedxml import DefusedXmlException  # an optional extra: asked for only here

        # start-up: defusedxml only when an XML export is read
        from defusedxml.ElementTree import ParseError, iterparse
    except ImportError:
        raise MissingExtra(what, "defusedxml") from None
    depth = 0
    root: Any = None
    root_attrs: dict[str, str] = {}
    try:
        for event, elem in iterparse(source, events=("start", "end")):
            if event == "start":
                if depth == 0:
                    root, root_attrs = elem, dict(elem.attrib)
                depth += 1
                continue
            depth -= 1
            if depth == 1:
                yield local(elem.tag), elem, root_attrs
                root.clear()
    except ParseError as exc:
        raise DeviceFileError(f"damaged XML ({exc})") from None
    except DefusedXmlException as exc:
        raise DeviceFileError(f"refused: the XML declares entities ({exc})") from None
