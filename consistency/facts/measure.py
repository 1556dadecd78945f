"""Units of measure after a number: "3.68kW", "20cm", "23 kg", "two miles", "50 litres".

A measured amount is a count of a unit ("kw", "cm"), read by the count facts, so that a
KB's "systems up to 3.68kW" and an answer's "up to 5kW" are compared as any two counts
are. What is special is only the comparison: units of one dimension convert ("20cm" is
"200mm"), and units of two dimensions never describe one claim ("20kg" and "20cm").

Single-letter symbols are read only in the case they are written in ("5m" metres, "2L";
"5G" is a network, "5M" is not metres), and data sizes (GB, MB) stay with the count
facts' own data units.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["MEASURE_AFTER", "base_amount", "canonical_unit", "is_measure", "shown"]

# canonical symbol -> (dimension, size in the dimension's base unit)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "mm": ("length", Decimal("0.001")),
    "cm": ("length", Decimal("0.01")),
    "m": ("length", Decimal(1)),
    "km": ("length", Decimal(1000)),
    "inch": ("length", Decimal("0.0254")),
    "ft": ("length", Decimal("0.3048")),
    "yard": ("length", Decimal("0.9144")),
    "mile": ("length", Decimal("1609.344")),
    "g": ("weight", Decimal("0.001")),
    "kg": ("weight", Decimal(1)),
    "tonne": ("weight", Decimal(1000)),
    "lb": ("weight", Decimal("0.45359237")),
    "stone": ("weight", Decimal("6.35029318")),
    "w": ("power", Decimal("0.001")),
    "kw": ("power", Decimal(1)),
    "mw": ("power", Decimal(1000)),
    "wh": ("energy", Decimal("0.001")),
    "kwh": ("energy", Decimal(1)),
    "mwh": ("energy", Decimal(1000)),
    "ml": ("volume", Decimal("0.001")),
    "l": ("volume", Decimal(1)),
    "mph": ("speed", Decimal(1)),
    "kmh": ("speed", Decimal("0.621371192")),
}
# what may be written, lower case -> canonical symbol
_WRITTEN: dict[str, str] = {
    "millimetre": "mm",
    "millimeter": "mm",
    "centimetre": "cm",
    "centimeter": "cm",
    "metre": "m",
    "meter": "m",
    "kilometre": "km",
    "kilometer": "km",
    "inches": "inch",
    "foot": "ft",
    "feet": "ft",
    "yards": "yard",
    "miles": "mile",
    "gram": "g",
    "grams": "g",
    "kilo": "kg",
    "kilos": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "kgs": "kg",
    "tonnes": "tonne",
    "lbs": "lb",
    "watt": "w",
    "watts": "w",
    "kilowatt": "kw",
    "kilowatts": "kw",
    "kwp": "kw",
    "megawatt": "mw",
    "kilowatt hour": "kwh",
    "watt hour": "wh",
    "millilitre": "ml",
    "milliliter": "ml",
    "litre": "l",
    "liter": "l",
    "litres": "l",
    "liters": "l",
    "km/h": "kmh",
    "kph": "kmh",
}
_WORDS = sorted(
    {*(_UNITS.keys() - {"m", "g", "w", "l"}), *_WRITTEN, "metres", "meters", "kilometres",
     "kilometers", "centimetres", "centimeters", "millimetres", "millimeters"},
    key=len,
    reverse=True,
)  # fmt: skip
#: A unit right after a number (one space at most); ``group(1)`` is the unit as written.
MEASURE_AFTER = re.compile(
    r"(?:\s?)((?i:"
    + "|".join(re.escape(w).replace(r"\ ", r"[\s-]") + "s?" for w in _WORDS)
    + r")|m|g|W|[lL])(?![\w/])"
)


def canonical_unit(written: str) -> str:
    """ "Kilos" -> ``"kg"``, ``"kW"`` -> ``"kw"``, ``"metres"`` -> ``"m"``."""
    w = " ".join(written.lower().replace("-", " ").split())
    if w.endswith("s") and w[:-1] in _WRITTEN and w not in _WRITTEN:
        w = w[:-1]
    return _WRITTEN.get(w, w)


def is_measure(unit: str | None) -> bool:
    """Whether a count's unit is a unit of measure."""
    return unit in _UNITS


def base_amount(unit: str, value: Decimal) -> tuple[str, Decimal]:
    """``(dimension, amount in its base unit)``: ``("length", 0.2)`` for 20 cm."""
    dimension, size = _UNITS[unit]
    return dimension, value * size


_SYMBOL = {"w": "W", "kw": "kW", "mw": "MW", "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "l": "L"}
_SPOKEN = {"inch": "inches", "yard": "yards", "mile": "miles", "tonne": "tonnes", "stone": "stone"}


def shown(amount: str, unit: str) -> str:
    """How a measured amount reads: ``"3.68kW"``, ``"20cm"``, ``"2 miles"``."""
    if unit in _SPOKEN:
        return f"{amount} {unit if amount == '1' else _SPOKEN[unit]}"
    return f"{amount}{_SYMBOL.get(unit, unit)}"
