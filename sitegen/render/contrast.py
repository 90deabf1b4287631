"""WCAG 2.1 colour contrast: relative luminance and the contrast ratio of two #rrggbb colours.

The formulas are those of WCAG 2.1 (success criterion 1.4.3); AA asks 4.5:1 for text and
3:1 for large text and the parts of controls.
"""

from __future__ import annotations

TEXT_MINIMUM = 4.5
LARGE_TEXT_MINIMUM = 3.0


def channels(color: str) -> tuple[int, int, int]:
    """(red, green, blue) of "#rrggbb" or "#rgb"."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(color: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in channels(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same colour) to 21 (black on white); the order of the colours does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """4.48 → "4.4:1": rounded down, so a pair shown as 4.5:1 really passes."""
    return f"{int(ratio * 10) / 10:g}:1"
