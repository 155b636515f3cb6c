"""``smsc segments``: how a text is encoded and split, offline."""

from __future__ import annotations

import click

from smsc import Encoding, is_gsm7, preview_segments

from .._options import output_options, state
from ._common import translit_mode, translit_option

__all__ = ["segments"]


def _wide_characters(text: str) -> list[str]:
    """The distinct characters that are not GSM-7, in order of first appearance."""
    seen: dict[str, None] = {}
    for char in text:
        if char not in seen and not is_gsm7(char):
            seen[char] = None
    return list(seen)


def _describe_char(char: str) -> str:
    shown = char if char.isprintable() else repr(char)
    return f"{shown} (U+{ord(char):04X})"


@click.command()
@click.argument("text")
@translit_option
@output_options
def segments(text: str, translit: str | None) -> None:
    """Show how TEXT would travel: encoding, SMS parts, room left, characters forcing UCS-2.

    Nothing is sent and no credentials are needed. --translit previews the service's
    transliteration first (an estimate: its rules are not published).
    """
    mode = translit_mode(translit)
    info = preview_segments(text) if mode is None else preview_segments(text, translit=mode)
    sent_text = "".join(info.part_texts)
    wide = _wide_characters(sent_text) if info.encoding is Encoding.UCS2 else []
    out = state()
    if out.json:
        out.emit(
            {
                "encoding": info.encoding.value,
                "parts": info.parts,
                "units": info.units,
                "part_size": info.part_size,
                "remaining": info.remaining,
                "ucs2_characters": wide,
                "part_texts": list(info.part_texts),
            }
        )
        return
    unit = "septets" if info.encoding is Encoding.GSM7 else "UTF-16 units"
    out.table(
        [
            ("encoding", "GSM-7" if info.encoding is Encoding.GSM7 else "UCS-2"),
            ("parts", f"{info.parts} (up to {info.part_size} {unit} each)"),
            ("length", f"{info.units} {unit}"),
            ("left in last part", info.remaining),
            ("forcing UCS-2", ", ".join(_describe_char(c) for c in wide) if wide else None),
        ]
    )
