"""A synthetic KB of any size, for speed benchmarks (its facts are realistic, not its variety)."""

from __future__ import annotations

import random
from typing import Any

PRODUCTS = [
    "laptop",
    "tablet",
    "phone",
    "television",
    "soundbar",
    "fridge",
    "washing machine",
    "dishwasher",
    "camera",
    "printer",
    "router",
    "smartwatch",
    "headphones",
    "console",
    "monitor",
    "vacuum",
    "kettle",
    "microwave",
    "e-bike",
    "drone",
]
SERVICES = [
    ("delivery", "costs £{p}.99 and arrives in {d} working days"),
    ("installation", "costs £{p}.00 and is booked within {d} days"),
    ("extended warranty", "costs £{p}.99 a year and covers repairs for {d} years"),
    ("repair", "costs £{p}.50 and takes {d} working days"),
    ("trade-in", "pays up to £{p}0 and the credit arrives in {d} days"),
    ("return", "is free within {d} days if unused; collection costs £{p}.95"),
    ("recycling", "costs £{p}.00 and is collected within {d} days"),
    ("setup support", "is free for {d} days, then £{p}.99 a call"),
]
REGIONS = [
    "",
    "in Scotland",
    "in Wales",
    "in Northern Ireland",
    "on the Isle of Wight",
    "in the Highlands",
    "for business customers",
    "for Plus members",
    "for students",
    "in London",
    "in Cornwall",
    "on the Channel Islands",
    "for refurbished items",
    "for ex-display items",
    "for pre-orders",
    "for gift purchases",
    "at weekends",
    "for bulk orders",
    "for marketplace sellers",
    "for clearance items",
    "in Jersey",
    "in Orkney",
    "for trade accounts",
    "for charity orders",
    "for schools",
    "for NHS staff",
    "for over-65s",
    "for new customers",
    "for returning customers",
    "for click and collect",
    "for international orders",
    "for large items",
    "for small items",
    "for fragile items",
    "for urgent orders",
    "for overnight orders",
    "for Sunday orders",
    "for bank holidays",
    "for Black Friday orders",
    "for Christmas orders",
    "for summer sale orders",
    "for January sale orders",
    "for outlet items",
    "for bundle deals",
    "for open-box items",
    "for contract customers",
    "for prepaid customers",
    "for family plans",
    "for SIM-only plans",
    "for broadband customers",
    "for corporate accounts",
    "for education accounts",
    "for government accounts",
    "for members abroad",
    "for armed forces",
    "for carers",
    "for apprentices",
    "for graduates",
    "for landlords",
    "for tenants",
    "for sole traders",
    "for resellers",
    "for partners",
]
ASK = [
    "How much is {s} for a {prod} {r}?",
    "what does {s} cost on a {prod} {r}",
    "{prod} {s} price {r}?",
]


def synthetic_entries(n: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` distinct entries (product × service × region), 3 phrasings each."""
    rng = random.Random(seed)
    combos = [(pr, sv, rg) for rg in REGIONS for pr in PRODUCTS for sv in SERVICES]
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} synthetic entries")
    entries = []
    for i, (prod, (service, template), region) in enumerate(combos[:n]):
        fact = template.format(p=rng.randint(2, 99), d=rng.randint(2, 30))
        entries.append(
            {
                "id": f"syn-{i:05d}",
                "topic": service,
                "questions": [
                    " ".join(a.format(s=service, prod=prod, r=region).split()) for a in ASK
                ],
                "answer": f"{service.capitalize()} for a {prod} {region} {fact}.".replace(
                    "  ", " "
                ),
            }
        )
    return entries
