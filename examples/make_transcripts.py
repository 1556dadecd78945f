"""Generate the sample transcripts and the ground truth of what was planted in them.

Five weekdays (Monday 30 March to Friday 3 April 2026) of a fictional contact
centre answering questions about the sample KB in ``knowledge_base/``. The days
straddle the 1 April 2026 delivery price change (standard delivery £3.99, then
£4.49), so correct answers legitimately differ across it. Voice calls are written
the way speech recognition writes them (lower case, no punctuation, numbers in
words, fillers); chats are typed.

Most answers are faithful paraphrases of the KB, often with extra detail (order
numbers, refund amounts) that must not be flagged. Planted on purpose, and listed
in ``ground_truth.json``:

* ``kb_contradiction``: an agent states a value the KB does not (one per conversation);
* ``agent_disagreement``: on two KB entries a minority of agents consistently give
  another value; on one question the KB does not cover (loyalty points) agents
  give different answers;
* ``repeat_contact_conflict``: a customer told different things on two calls;
* ``kb_gap``: a cluster of uncovered questions (recycling old electricals);
* ``broken_promise``: an agent promises a callback, refund, email, visit or escalation
  answer and the customer chases it after it was due, or ``fulfilment.csv`` shows it kept
  late or never (one refund promise also contradicts the KB);
* ``decoys``: conversations that must *not* be flagged.

Deterministic (seeded) and stdlib plus ``consistency.ingest`` only. Run from the
repository root::

    python examples/make_transcripts.py            # writes into examples/
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consistency.ingest import Transcript, Turn, segment, write_jsonl

SEED = 20260330
DAYS = [dt.date(2026, 3, 30) + dt.timedelta(days=i) for i in range(5)]
PRICE_CHANGE = dt.date(2026, 4, 1)
FILLER_CONVERSATIONS = 190

AGENTS = {
    "a01": "sam",
    "a02": "priya",
    "a03": "tom",
    "a04": "aisha",
    "a05": "jack",
    "a06": "megan",
    "a07": "omar",
    "a08": "chloe",
    "a09": "dan",
    "a10": "hannah",
    "a11": "lewis",
    "a12": "zara",
    "a13": "ben",
    "a14": "ellie",
}

Value = tuple[str, str]  # (chat form, voice form)
SlotValue = Value | Callable[[dt.date], Value]


@dataclass(frozen=True)
class Topic:
    """One thing customers ask about: question and answer templates, and the facts in them."""

    entry: str | None
    chat_q: tuple[str, ...]
    voice_q: tuple[str, ...]
    chat_a: tuple[str, ...]
    voice_a: tuple[str, ...]
    slots: dict[str, SlotValue] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)


def _delivery_price(day: dt.date) -> Value:
    if day < PRICE_CHANGE:
        return ("£3.99", "three pounds ninety nine")
    return ("£4.49", "four pounds forty nine")


TOPICS: dict[str, Topic] = {
    "returns-window": Topic(
        "returns-window",
        (
            "How long do I have to return something?",
            "What's your returns policy?",
            "I bought headphones 3 weeks ago, can I still send them back?",
            "Is there a time limit for returning an item I don't want any more?",
        ),
        (
            "how long have i got to return something",
            "what's your returns policy",
            "i bought some headphones about three weeks ago can i still send them back",
            "is there a time limit on sending stuff back if i've changed my mind",
        ),
        (
            "You can return most items within {days} of delivery for a full refund, as long as "
            "they're unused and in the original packaging.",
            "You've got {days} from delivery to return it, provided it's unused and still in its "
            "original packaging. You can start the return at voltstream.co.uk/returns.",
            "Yes, as long as it's within {days} of delivery and unused in the original box, "
            "you'll get a full refund.",
        ),
        (
            "you've got {days} from delivery to send it back as long as it's unused and in the "
            "original packaging",
            "so most items can be returned within {days} of delivery for a full refund they just "
            "need to be unused and in the original box",
            "yeah that's fine it's {days} from the delivery date as long as it's unused and still "
            "in the packaging",
        ),
        {"days": ("30 days", "thirty days")},
        {"days": "duration"},
    ),
    "returns-postage": Topic(
        "returns-postage",
        (
            "Do I have to pay to send something back?",
            "Are returns free?",
            "How much is the returns label?",
        ),
        ("do i have to pay to send it back", "are returns free", "how much is the returns label"),
        (
            "Returns are free for Volt Plus members. Otherwise the prepaid returns label is "
            "{price}, and we take that off your refund.",
            "If you're a Volt Plus member it's free; everyone else pays {price} for the prepaid "
            "label, deducted from the refund.",
        ),
        (
            "so if you're a volt plus member returns are free otherwise it's {price} for the "
            "prepaid label and that comes off your refund",
            "the returns label is {price} unless you're a plus member in which case it's free we "
            "just take it off the refund",
        ),
        {"price": ("£2.99", "two pounds ninety nine")},
        {"price": "money"},
    ),
    "returns-refund-time": Topic(
        "returns-refund-time",
        (
            "When will I get my refund?",
            "I sent my return back last week, where's my money?",
            "How long do refunds take?",
        ),
        (
            "when will i get my refund",
            "i sent my return back last week where's my money",
            "how long do refunds take to come through",
        ),
        (
            "We refund you within {days} of your return arriving at our warehouse, back to the "
            "card or account you paid with.",
            "Once the return reaches our warehouse the refund is issued within {days}, to your "
            "original payment method.",
            "I can see your return for order {order_chat} has been booked in, so your refund of "
            "£45.99 will be back on your card within {days} of it arriving at the warehouse.",
        ),
        (
            "once it gets back to our warehouse we refund you within {days} back to the card you "
            "paid with",
            "so refunds go back on the original payment method within {days} of the return "
            "arriving at the warehouse",
        ),
        {"days": ("5 working days", "five working days")},
        {"days": "duration"},
    ),
    "returns-damaged-on-arrival": Topic(
        "returns-damaged-on-arrival",
        (
            "My TV arrived with a cracked screen, what do I do?",
            "The box was smashed and the item inside is damaged.",
            "My order arrived broken, how do I report it?",
        ),
        (
            "my telly's arrived with a cracked screen what do i do",
            "the box was all smashed and the thing inside is damaged",
            "the item came broken how do i report it",
        ),
        (
            "I'm sorry about that! Let us know within {hours} of delivery and we'll collect it "
            "for free and send a replacement. Please email {email} with your order number and a "
            "photo of the damage.",
        ),
        (
            "oh i'm sorry about that so as long as you tell us within {hours} of delivery we'll "
            "collect it free of charge and send you a replacement if you can email a photo to "
            "{email} with your order number",
        ),
        {
            "hours": ("48 hours", "forty eight hours"),
            "email": ("returns@voltstream.co.uk", "returns at voltstream dot co dot uk"),
        },
        {"hours": "duration", "email": "email"},
    ),
    "returns-sealed-items": Topic(
        "returns-sealed-items",
        (
            "Can I return a game I've opened?",
            "I opened some software and don't want it, can I get a refund?",
            "Do you take back opened video games?",
        ),
        (
            "can i return a game i've opened",
            "i opened the software and i don't want it can i get a refund",
            "do you take back opened video games",
        ),
        (
            "Sorry, we can't accept returns of software, video games or gift cards once the seal "
            "has been broken, unless they're faulty.",
            "Unfortunately not. Once the seal is broken we can't take back games or software "
            "unless they're faulty.",
        ),
        (
            "unfortunately we can't take back games or software once the seal's been broken "
            "unless they're faulty",
            "no i'm afraid once the seal is broken we can't accept it back unless it's faulty",
        ),
    ),
    "returns-large-item-collection": Topic(
        "returns-large-item-collection",
        ("Can you collect a TV I want to return?", "How do I send back something too big to post?"),
        (
            "can you come and collect a tv i want to return",
            "how do i send back something that's too big to post",
        ),
        (
            "Yes, we can collect large items like TVs over 55 inches from your home for {price}. "
            "You can book a slot at voltstream.co.uk/returns/collection.",
        ),
        (
            "yes we can collect it from your home for {price} you can book a collection slot on "
            "the website",
        ),
        {"price": ("£19.99", "nineteen pounds ninety nine")},
        {"price": "money"},
    ),
    "delivery-standard": Topic(
        "delivery-standard",
        (
            "How much is delivery?",
            "How long does standard delivery take?",
            "What's the delivery charge?",
            "Is delivery free?",
        ),
        (
            "how much is delivery",
            "how long does standard delivery take",
            "what's the delivery charge",
            "is delivery free",
        ),
        (
            "Standard delivery is {price} and takes {days}. It's free on orders over {over}.",
            "It costs {price} for standard delivery, which takes {days}, or it's free if your "
            "order is over {over}.",
        ),
        (
            "standard delivery is {price} and takes {days} and it's free on orders over {over}",
            "so it's {price} for standard which is {days} but if you spend over {over} it's free",
        ),
        {
            "price": _delivery_price,
            "days": ("3 to 5 working days", "three to five working days"),
            "over": ("£50", "fifty pounds"),
        },
        {"price": "money", "days": "duration", "over": "money"},
    ),
    "delivery-next-day": Topic(
        "delivery-next-day",
        (
            "Do you do next day delivery?",
            "What time do I need to order by for next day?",
            "How much is next day delivery?",
        ),
        (
            "do you do next day delivery",
            "what time do i need to order by for next day",
            "how much is next day delivery",
        ),
        (
            "Next day delivery is {price} if you order by {cutoff}, Sunday to Thursday. It's "
            "free for Volt Plus members.",
            "Yes! Order by {cutoff} Sunday to Thursday and it's {price}, or free with Volt Plus.",
        ),
        (
            "yeah next day is {price} as long as you order by {cutoff} sunday to thursday and "
            "it's free if you're a volt plus member",
            "so if you order by {cutoff} sunday to thursday it's {price} for next day or free for "
            "plus members",
        ),
        {"price": ("£6.99", "six pounds ninety nine"), "cutoff": ("10pm", "ten pm")},
        {"price": "money", "cutoff": "time"},
    ),
    "delivery-po-boxes": Topic(
        "delivery-po-boxes",
        ("Can you deliver to a PO box?", "Can I use a PO Box as my delivery address?"),
        ("can you deliver to a p o box", "can i use a po box as my delivery address"),
        (
            "Sorry, we don't deliver to PO boxes or BFPO addresses.",
            "Unfortunately not, we can't deliver to PO boxes or BFPO addresses.",
        ),
        (
            "no sorry we don't deliver to p o boxes or b f p o addresses",
            "unfortunately we can't deliver to po boxes i'm afraid",
        ),
    ),
    "delivery-missed": Topic(
        "delivery-missed",
        (
            "I missed my delivery, what happens now?",
            "How many times will the driver try to deliver?",
        ),
        ("i missed my delivery what happens now", "how many times will the driver try to deliver"),
        (
            "The courier will try again the next working day. After {attempts} failed attempts "
            "the parcel comes back to us and we refund you.",
        ),
        (
            "they'll try again the next working day and after {attempts} failed attempts it comes "
            "back to us and we refund you",
        ),
        {"attempts": ("3", "three")},
        {"attempts": "count"},
    ),
    "delivery-large-items": Topic(
        "delivery-large-items",
        (
            "How is a big TV delivered?",
            "Do you take away my old TV when you deliver the new one?",
            "How much is delivery for a 65 inch TV?",
        ),
        (
            "how is a big tv delivered",
            "will you take my old telly away when you bring the new one",
            "how much is delivery for a sixty five inch tv",
        ),
        (
            "TVs over 55 inches are delivered to the room of your choice by a two-person team for "
            "{price}, and we take away your old TV for free.",
        ),
        (
            "for tvs over fifty five inches a two person team brings it to whatever room you want "
            "for {price} and they'll take your old one away for free",
        ),
        {"price": ("£29.99", "twenty nine pounds ninety nine")},
        {"price": "money"},
    ),
    "click-and-collect": Topic(
        "click-and-collect",
        (
            "How does Click & Collect work?",
            "How long will you hold my click and collect parcel?",
            "Is there a charge for Click and Collect?",
        ),
        (
            "how does click and collect work",
            "how long will you hold my click and collect parcel",
            "is there a charge for click and collect",
        ),
        (
            "Click & Collect is free and your order is usually ready within {ready}. We hold it "
            "for {hold}, after which it's returned and refunded.",
            "It's free! Orders are usually ready in {ready}, and the store keeps it for {hold}.",
        ),
        (
            "click and collect is free and it's usually ready within {ready} and we hold it for "
            "{hold} before it gets sent back",
            "so it's free and normally ready in {ready} and they'll keep it for {hold}",
        ),
        {"ready": ("2 hours", "two hours"), "hold": ("7 days", "seven days")},
        {"ready": "duration", "hold": "duration"},
    ),
    "contact-phone-hours": Topic(
        "contact-phone-hours",
        (
            "What's your phone number?",
            "What time are you open on weekdays?",
            "When can I call customer services?",
        ),
        ("what's your phone number", "what time are you open", "when can i call customer services"),
        (
            "You can call us on {phone}. We're open Monday to Friday {hours}, Saturday 9am to 5pm "
            "and Sunday 10am to 4pm.",
        ),
        (
            "the number is {phone} and we're open monday to friday {hours} saturday nine am to "
            "five pm and sunday ten am to four pm",
        ),
        {
            "phone": ("0333 014 2200", "oh three three three oh one four two two oh oh"),
            "hours": ("8am to 8pm", "eight am to eight pm"),
        },
        {"phone": "phone", "hours": "time"},
    ),
    "contact-email": Topic(
        "contact-email",
        (
            "What's your email address?",
            "Can I email you instead?",
            "How long do you take to reply to emails?",
        ),
        (
            "what's your email address",
            "can i email you instead",
            "how long do you take to reply to emails",
        ),
        (
            "Sure, email us at {email} and we'll reply within {reply}.",
            "Our email is {email}. We reply within {reply}.",
        ),
        ("yeah you can email us at {email} and we'll get back to you within {reply}",),
        {
            "email": ("help@voltstream.co.uk", "help at voltstream dot co dot uk"),
            "reply": ("24 hours", "twenty four hours"),
        },
        {"email": "email", "reply": "duration"},
    ),
    "price-match": Topic(
        "price-match",
        (
            "Do you price match?",
            "I've seen it cheaper somewhere else, will you match it?",
            "Will you match Currys' price?",
        ),
        (
            "do you price match",
            "i've seen it cheaper somewhere else can you match it",
            "will you match the currys price",
        ),
        (
            "Yes, we match any UK retailer's price on an identical in-stock item within {window} "
            "of your purchase. Just send the link to pricematch@voltstream.co.uk.",
        ),
        (
            "yes we'll match any uk retailer on an identical item that's in stock within {window} "
            "of your purchase just email us the link",
        ),
        {"window": ("7 days", "seven days")},
        {"window": "duration"},
    ),
    "student-discount": Topic(
        "student-discount",
        ("Do you have a student discount?", "How much off do students get?"),
        ("do you have a student discount", "how much off do students get"),
        ("Students get {pct} off orders over {min} with a verified UNiDAYS account.",),
        ("students get {pct} off orders over {min} if you verify with unidays",),
        {"pct": ("5%", "five percent"), "min": ("£100", "one hundred pounds")},
        {"pct": "percent", "min": "money"},
    ),
    "finance-interest-free": Topic(
        "finance-interest-free",
        ("Do you offer interest-free credit?", "Can I pay monthly for a laptop?"),
        ("do you offer interest free credit", "can i pay monthly for a laptop"),
        (
            "Yes, you can spread the cost over {months} at 0% APR on orders over {min}, subject to "
            "status. Just choose Pay Monthly at checkout.",
        ),
        (
            "yes you can spread it over {months} at zero percent apr on orders over {min} subject "
            "to status just pick pay monthly at checkout",
        ),
        {
            "months": ("12 months", "twelve months"),
            "min": ("£299", "two hundred and ninety nine pounds"),
        },
        {"months": "duration", "min": "money"},
    ),
    "gift-cards": Topic(
        "gift-cards",
        ("How long are your gift cards valid for?", "Does my Voltstream gift card expire?"),
        ("how long are your gift cards valid for", "does my gift card expire"),
        (
            "Gift cards are valid for {validity} from purchase. They can't be exchanged for cash, "
            "I'm afraid.",
        ),
        (
            "gift cards are valid for {validity} from when they were bought but they can't be "
            "swapped for cash",
        ),
        {"validity": ("24 months", "twenty four months")},
        {"validity": "duration"},
    ),
    "plus-price": Topic(
        "plus-price",
        ("How much is Volt Plus?", "What does the membership cost?"),
        ("how much is volt plus", "what does the membership cost"),
        ("Volt Plus is {year} a year or {month} a month.",),
        ("volt plus is {year} a year or {month} a month",),
        {"year": ("£59", "fifty nine pounds"), "month": ("£5.99", "five pounds ninety nine")},
        {"year": "money", "month": "money"},
    ),
    "plus-trial": Topic(
        "plus-trial",
        ("Is there a free trial of Volt Plus?", "How long is the Plus trial?"),
        ("is there a free trial of volt plus", "how long is the plus trial"),
        (
            "Yes, new customers can try Volt Plus free for {trial}. We email you {notice} before "
            "it ends, and you won't be charged if you cancel before then.",
        ),
        (
            "yeah new customers get {trial} free and we email you {notice} before the trial ends "
            "so you won't be charged if you cancel before then",
        ),
        {"trial": ("1 month", "one month"), "notice": ("3 days", "three days")},
        {"trial": "duration", "notice": "duration"},
    ),
    "order-cancel": Topic(
        "order-cancel",
        ("Can I cancel my order?", "I ordered the wrong thing, how do I cancel?"),
        ("can i cancel my order", "i ordered the wrong thing how do i cancel"),
        (
            "Yes, you can cancel free of charge until it's been dispatched, from My orders in "
            "your account.",
            "I can see order {order_chat} hasn't been dispatched yet, so you can cancel it free of "
            "charge from My orders.",
        ),
        (
            "yes you can cancel it free of charge up until it's dispatched just go into my orders "
            "in your account",
            "so order {order_voice} hasn't gone out yet so you can cancel it free of charge in my "
            "orders",
        ),
    ),
    "warranty-standard": Topic(
        "warranty-standard",
        ("Does my laptop come with a warranty?", "How long is the guarantee on your products?"),
        ("does my laptop come with a warranty", "how long is the guarantee on your products"),
        (
            "Everything we sell comes with at least a {months} manufacturer's guarantee at no "
            "extra cost.",
        ),
        (
            "everything we sell comes with at least a {months} manufacturer's guarantee at no "
            "extra cost",
        ),
        {"months": ("12-month", "twelve month")},
        {"months": "duration"},
    ),
    "volt-care-cover": Topic(
        "volt-care-cover",
        ("How much is Volt Care for my phone?", "What's the excess on Volt Care?"),
        ("how much is volt care for my phone", "what's the excess on volt care"),
        (
            "Volt Care for phones is {monthly} a month and covers accidental damage and theft, "
            "with a {excess} excess per claim.",
        ),
        (
            "volt care for phones is {monthly} a month covering accidental damage and theft and "
            "there's a {excess} excess on each claim",
        ),
        {"monthly": ("£7.99", "seven pounds ninety nine"), "excess": ("£49", "forty nine pounds")},
        {"monthly": "money", "excess": "money"},
    ),
    "repairs-booking": Topic(
        "repairs-booking",
        ("How do I book a repair?", "How long do repairs take?"),
        ("how do i book a repair", "how long do repairs take"),
        (
            "You can book a repair at voltstream.co.uk/repairs. We aim to send it back within "
            "{days} of receiving it.",
        ),
        (
            "you can book it on our website and we aim to get it back to you within {days} of "
            "receiving it",
        ),
        {"days": ("10 working days", "ten working days")},
        {"days": "duration"},
    ),
    "fraud-line": Topic(
        "fraud-line",
        ("I think someone has used my account, who do I call?", "How do I report fraud?"),
        ("i think someone's been using my account what do i do", "how do i report fraud"),
        ("Please call our fraud team straight away on {phone}. The line is open 24/7.",),
        ("please call our fraud team on {phone} it's open twenty four seven",),
        {"phone": ("020 7946 0321", "oh two oh seven nine four six oh three two one")},
        {"phone": "phone"},
    ),
    "account-locked": Topic(
        "account-locked",
        ("My account is locked, how long for?", "How many tries do I get before I'm locked out?"),
        (
            "my account's locked how long is it locked for",
            "how many tries do i get before i'm locked out",
        ),
        (
            "After {attempts} incorrect password attempts your account is locked for {lock} to "
            "keep it safe.",
        ),
        (
            "after {attempts} wrong password attempts the account locks for {lock} just to keep it "
            "safe",
        ),
        {"attempts": ("5", "five"), "lock": ("1 hour", "one hour")},
        {"attempts": "count", "lock": "duration"},
    ),
    # ---- not in the KB
    "loyalty-points": Topic(
        None,
        (
            "Do you have a loyalty scheme? How many points do I get per pound?",
            "How many reward points do I earn for each pound I spend?",
        ),
        (
            "how many points do i get per pound",
            "do i earn reward points when i spend with you how many per pound",
        ),
        ("You earn {points} for every pound you spend with us.",),
        ("you get {points} for every pound you spend",),
        {"points": ("1 point", "one point")},
        {"points": "count"},
    ),
}

#: Uncovered questions for the KB-gap cluster, with the answers agents improvise.
RECYCLING = [
    (
        "voice",
        "do you recycle old batteries",
        "um i'm not sure we do that i think your local council takes them",
    ),
    (
        "chat",
        "Can I bring my old electricals to you for recycling?",
        "Yes, you can drop small electricals at any partner store and we'll recycle them for free.",
    ),
    (
        "voice",
        "what do i do with my old printer can you recycle it",
        "we don't offer recycling at the moment unfortunately",
    ),
    (
        "chat",
        "Do you take old kettles and toasters for recycling?",
        "I don't think we do, sorry. Your local recycling centre should take them.",
    ),
    (
        "voice",
        "is there somewhere i can recycle my broken laptop with you",
        "yes you can post it back to us with a free label and we'll recycle it",
    ),
    ("chat", "Do you offer WEEE recycling?", "Yes, we take back old electricals free of charge."),
    (
        "voice",
        "can you get rid of my old microwave for me",
        "no sorry that's not something we do at the moment",
    ),
    (
        "chat",
        "How do I get rid of old cables and chargers? Do you recycle them?",
        "We can recycle cables and chargers if you bring them to a partner store.",
    ),
]


# --------------------------------------------------------------------------- conversation plan


@dataclass
class Planned:
    """One exchange to write: a topic and, where planted, the values or answer to use instead."""

    topic: str
    override: dict[str, Value] = field(default_factory=dict)
    answer: Value | None = None
    question: str | None = None
    mark: str | None = None  # the surface text of the planted value, to locate it
    promise: Value | None = None  # an agent turn after the answer: a commitment (or a decoy)
    chase: Value | None = None  # a customer turn before the question: "nobody called me back"


@dataclass
class Conversation:
    day: dt.date
    channel: str
    agent: str
    customer: str
    exchanges: list[Planned]
    id: str = ""
    started_at: dt.datetime | None = None
    transcript: Transcript | None = None
    evidence: list[tuple[int, str]] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)  # decoy features present in its answers
    rng: random.Random | None = None  # its own stream (promise plants), else the shared one


VOICE_GREETINGS = (
    "thank you for calling voltstream my name is {name} how can i help you today",
    "hi you're through to {name} at voltstream how can i help",
    "good morning thanks for calling voltstream this is {name} how can i help",
    "hello you're speaking with {name} how can i help",
)
CHAT_GREETINGS = (
    "Hi, you're chatting with {name}. How can I help today?",
    "Hello and welcome to Voltstream chat! I'm {name}, what can I do for you?",
    "Hi there, you're now chatting with {name}. How can I help?",
)
SPOKEN_DIGITS = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class Writer:
    """Turns a plan into turns, in the channel's style, with greetings, holds and closings."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def order(self, voice: bool) -> str:
        digits = "".join(self.rng.choice("0123456789") for _ in range(5))
        if not voice:
            return f"VS-{self.rng.choice('123456789')}{digits[1:]}"
        return "v s " + " ".join(
            SPOKEN_DIGITS[int(d)] for d in f"{self.rng.randint(1, 9)}{digits[1:]}"
        )

    def values(self, topic: Topic, planned: Planned, day: dt.date, voice: bool) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in topic.slots.items():
            pair = value(day) if callable(value) else value
            out[name] = pair[1] if voice else pair[0]
        for name, pair in planned.override.items():
            out[name] = pair[1] if voice else pair[0]
        out["order_chat"] = self.order(False)
        out["order_voice"] = self.order(True)
        return out

    def write(self, conv: Conversation) -> list[Turn]:
        voice = conv.channel == "voice"
        name = AGENTS[conv.agent]
        rng = self.rng
        turns: list[tuple[str, str]] = []
        greetings = VOICE_GREETINGS if voice else CHAT_GREETINGS
        turns.append(("agent", rng.choice(greetings).format(name=name if voice else name.title())))
        for position, planned in enumerate(conv.exchanges):
            topic = TOPICS.get(planned.topic)
            values = self.values(topic, planned, conv.day, voice) if topic else {}
            if planned.question is not None:
                question = planned.question
            else:
                assert topic is not None
                question = rng.choice(topic.voice_q if voice else topic.chat_q)
            if planned.answer is not None:
                answer = planned.answer[1] if voice else planned.answer[0]
            else:
                assert topic is not None
                answer = rng.choice(topic.voice_a if voice else topic.chat_a).format(**values)
            if planned.mark is not None:
                assert planned.mark in answer, (planned.mark, answer)
            if values and (values["order_chat"] in answer or values["order_voice"] in answer):
                conv.tags.add("order_number")
            if "£45.99" in answer:
                conv.tags.add("extra_detail")
            if planned.topic == "delivery-standard" and not planned.override:
                conv.tags.add("policy_change")
            # a chase of an earlier promise comes before the question, in the same block
            chase = None if planned.chase is None else planned.chase[1 if voice else 0]

            def chased(prefix: str = "", chase: str | None = chase) -> None:
                if chase is not None:
                    turns.append(("customer", prefix + chase))
                    conv.evidence.append((len(turns) - 1, chase))

            # the customer's question, with an opener or a follow-up lead-in
            if position == 0:
                if voice:
                    opener = rng.choice(
                        [
                            "hi yeah um ",
                            "hiya ",
                            "hello i was just wondering ",
                            "yeah hi ",
                            "oh hi ",
                            "",
                        ]
                    )
                    if chase is not None:
                        chased(opener)
                        opener = ""
                    turns.append(("customer", opener + question))
                else:
                    if rng.random() < 0.4:
                        turns.append(("customer", rng.choice(["Hi", "Hello there", "Hi!"])))
                    chased()
                    turns.append(("customer", question))
            elif voice:
                lead = rng.choice(
                    [
                        "and um while i've got you ",
                        "oh and another thing ",
                        "also ",
                        "great and ",
                        "okay and ",
                    ]
                )
                chased()
                turns.append(("customer", lead + question))
            else:
                lead = rng.choice(["Also, ", "One more thing: ", "Thanks. ", ""])
                if lead and not re.match(r"I\b", question):
                    question = question[0].lower() + question[1:]
                chased()
                turns.append(("customer", lead + question))
            # an order-number check or a hold, now and then
            roll = rng.random()
            if roll < 0.2:
                turns.append(
                    (
                        "agent",
                        "can i take your order number please"
                        if voice
                        else "Could I have your order number, please?",
                    )
                )
                turns.append(
                    (
                        "customer",
                        "yeah it's " + values.get("order_voice", "v s one two")
                        if voice
                        else values.get("order_chat", "VS-10001"),
                    )
                )
                conv.tags.add("greeting_in_fact_turn")
                turns.append(("agent", ("thanks for that " if voice else "Thanks! ") + answer))
            elif roll < 0.4:
                turns.append(
                    (
                        "agent",
                        rng.choice(
                            [
                                "let me just check that for you",
                                "bear with me one second",
                                "one moment please",
                            ]
                            if voice
                            else ["Let me just check that for you.", "One moment please."]
                        ),
                    )
                )
                if rng.random() < 0.5:
                    conv.tags.add("greeting_in_fact_turn")
                    turns.append(
                        (
                            "agent",
                            ("thanks for holding " if voice else "Thanks for waiting. ") + answer,
                        )
                    )
                else:
                    turns.append(("agent", answer))
            else:
                spoken = voice and not answer.startswith(("so ", "um ", "yeah "))
                filler = self.voice_filler() if spoken else ""
                turns.append(("agent", filler + answer))
            # a commitment (or a decoy offer, conditional, past tense) after the answer
            if planned.promise is not None:
                promise = planned.promise[1] if voice else planned.promise[0]
                turns.append(("agent", promise))
                conv.evidence.append((len(turns) - 1, promise))
        # closing
        if voice:
            turns.append(
                (
                    "customer",
                    rng.choice(
                        [
                            "ok great thanks that's all",
                            "brilliant thank you",
                            "no that's everything thanks",
                            "okay thanks bye",
                        ]
                    ),
                )
            )
            turns.append(
                (
                    "agent",
                    rng.choice(
                        [
                            "you're welcome have a lovely day bye",
                            "no problem at all thanks for calling voltstream bye",
                            "is there anything else i can help with today",
                        ]
                    ),
                )
            )
        else:
            turns.append(("agent", "Is there anything else I can help with?"))
            turns.append(
                (
                    "customer",
                    rng.choice(
                        [
                            "No, that's all, thanks!",
                            "That's everything, thank you.",
                            "No thanks, bye",
                        ]
                    ),
                )
            )
            if rng.random() < 0.6:
                turns.append(("agent", "Thanks for chatting with us, have a great day!"))
        return [Turn(speaker=s, text=t) for s, t in turns]  # type: ignore[arg-type]

    def voice_filler(self) -> str:
        return self.rng.choice(["", "", "so ", "yeah so ", "okay so ", "um ", "right so "])


# --------------------------------------------------------------------------- the plan


def build(rng: random.Random) -> tuple[list[Conversation], list[dict], list[dict]]:
    """Plan every conversation; return them with ground-truth findings and decoys (unresolved)."""
    convs: list[Conversation] = []
    findings: list[dict] = []
    decoys: list[dict] = []
    covered = [k for k, t in TOPICS.items() if t.entry is not None]

    def extras(avoid: set[str], k: int | None = None) -> list[Planned]:
        k = rng.choice([0, 0, 1, 1, 2]) if k is None else k
        return [Planned(t) for t in rng.sample([c for c in covered if c not in avoid], k)]

    def conv(
        day: int,
        channel: str,
        agent: str,
        customer: str,
        *planned: Planned,
        extra: int | None = None,
    ) -> Conversation:
        topics = {p.topic for p in planned}
        exchanges = list(planned) + extras(topics | MINORITY_TOPICS.get(agent, set()), extra)
        rng.shuffle(exchanges)
        c = Conversation(DAYS[day], channel, agent, customer, exchanges)
        convs.append(c)
        return c

    def kb_contradiction(c: Conversation, topic: str, slot: str, wrong: Value, note: str) -> None:
        t = TOPICS[topic]
        right = t.slots[slot]
        right = right(c.day) if callable(right) else right
        findings.append(
            {
                "kind": "kb_contradiction",
                "entry_id": t.entry,
                "fact_kind": t.kinds[slot],
                "conversations": [c],
                "agent_ids": [c.agent],
                "customer_ids": [c.customer],
                "values": [wrong[0], right[0]],
                "note": note,
            }
        )

    def planted(topic: str, slot: str, wrong: Value) -> Planned:
        return Planned(topic, override={slot: wrong}, mark=None)

    # 1. single KB contradictions, one per fact kind and then some
    singles = [
        (
            0,
            "voice",
            "a07",
            "returns-window",
            "days",
            ("14 days", "fourteen days"),
            "says 14 days to return; the KB says 30 days",
        ),
        (
            1,
            "chat",
            "a12",
            "returns-postage",
            "price",
            ("£3.99", "three pounds ninety nine"),
            "returns label price wrong",
        ),
        (
            3,
            "voice",
            "a08",
            "delivery-standard",
            "price",
            ("£3.99", "three pounds ninety nine"),
            "stale price after the 1 April 2026 change (£3.99 until 31 March, £4.49 from 1 April)",
        ),
        (
            2,
            "chat",
            "a04",
            "delivery-next-day",
            "cutoff",
            ("8pm", "eight pm"),
            "next-day cut-off time wrong",
        ),
        (
            2,
            "chat",
            "a06",
            "delivery-missed",
            "attempts",
            ("2", "two"),
            "number of delivery attempts wrong",
        ),
        (
            4,
            "chat",
            "a13",
            "contact-phone-hours",
            "phone",
            ("0333 014 2220", ""),
            "one digit of the customer service number wrong",
        ),
        (
            1,
            "chat",
            "a02",
            "contact-email",
            "email",
            ("support@voltstream.co.uk", ""),
            "wrong email address",
        ),
        (
            3,
            "voice",
            "a12",
            "student-discount",
            "pct",
            ("10%", "ten percent"),
            "student discount percentage wrong",
        ),
        (
            4,
            "voice",
            "a04",
            "volt-care-cover",
            "excess",
            ("£25", "twenty five pounds"),
            "Volt Care excess wrong",
        ),
        (
            0,
            "chat",
            "a10",
            "account-locked",
            "lock",
            ("24 hours", "twenty four hours"),
            "lock-out period wrong",
        ),
    ]
    for day, channel, agent, topic, slot, wrong, note in singles:
        p = planted(topic, slot, wrong)
        p.mark = wrong[1] if channel == "voice" else wrong[0]
        c = conv(day, channel, agent, f"c-6{len(convs):03d}", p)
        kb_contradiction(c, topic, slot, wrong, note)
    # polarity: agents saying yes where the KB says no
    for day, channel, agent, topic, answer, note in [
        (
            2,
            "voice",
            "a10",
            "delivery-po-boxes",
            (
                "Yes, you can use a PO box as your delivery address.",
                "yeah a po box is fine we can deliver there",
            ),
            "says PO boxes are fine; the KB says no",
        ),
        (
            4,
            "chat",
            "a01",
            "returns-sealed-items",
            (
                "Yes, you can return opened games and software, no problem.",
                "yeah you can send opened games back no problem",
            ),
            "says opened games can be returned; the KB says not once the seal is broken",
        ),
    ]:
        c = conv(day, channel, agent, f"c-6{len(convs):03d}", Planned(topic, answer=answer))
        findings.append(
            {
                "kind": "kb_contradiction",
                "entry_id": topic,
                "fact_kind": "polarity",
                "conversations": [c],
                "agent_ids": [agent],
                "customer_ids": [c.customer],
                "values": ["yes", "no"],
                "note": note,
            }
        )

    # 2. agent disagreement on KB entries: a minority consistently says another value
    minority = [
        (
            "returns-refund-time",
            "days",
            ("3 working days", "three working days"),
            ["a05", "a11"],
            ["a01", "a02", "a04", "a06", "a08", "a12"],
        ),
        (
            "click-and-collect",
            "hold",
            ("14 days", "fourteen days"),
            ["a03", "a09"],
            ["a02", "a05", "a07", "a10", "a14"],
        ),
    ]
    for topic, slot, wrong, agents, majority in minority:
        involved: list[Conversation] = []
        for i, agent in enumerate(agents * 3):
            p = planted(topic, slot, wrong)
            channel = "voice" if i % 2 == 0 else "chat"
            p.mark = wrong[1] if channel == "voice" else wrong[0]
            c = conv(i % 5, channel, agent, f"c-6{len(convs):03d}", p)
            kb_contradiction(c, topic, slot, wrong, f"minority agents {', '.join(agents)}")
            involved.append(c)
        for i, agent in enumerate(majority):
            c = conv(
                (i + 2) % 5,
                "chat" if i % 2 else "voice",
                agent,
                f"c-6{len(convs):03d}",
                Planned(topic),
            )
            involved.append(c)
        right = TOPICS[topic].slots[slot]
        assert not callable(right)
        findings.append(
            {
                "kind": "agent_disagreement",
                "entry_id": topic,
                "fact_kind": TOPICS[topic].kinds[slot],
                "conversations": involved,
                "agent_ids": sorted({c.agent for c in involved}),
                "minority_agent_ids": agents,
                "customer_ids": sorted({c.customer for c in involved}),
                "values": [wrong[0], right[0]],
                "note": f"{' and '.join(agents)} always say {wrong[0]}; the others and the KB say "
                f"{right[0]}",
            }
        )

    # 3. repeat contacts told different things
    for customer, topic, slot, first, second, wrong in [
        (
            "c-5001",
            "returns-refund-time",
            "days",
            (0, "voice", "a02"),
            (3, "chat", "a14"),
            ("10 working days", "ten working days"),
        ),
        (
            "c-5002",
            "delivery-next-day",
            "price",
            (1, "chat", "a06"),
            (4, "voice", "a13"),
            ("£4.99", "four pounds ninety nine"),
        ),
    ]:
        a = conv(first[0], first[1], first[2], customer, Planned(topic))
        p = planted(topic, slot, wrong)
        p.mark = wrong[1] if second[1] == "voice" else wrong[0]
        b = conv(second[0], second[1], second[2], customer, p)
        right = TOPICS[topic].slots[slot]
        assert not callable(right)
        kb_contradiction(b, topic, slot, wrong, f"second call of {customer}")
        findings.append(
            {
                "kind": "repeat_contact_conflict",
                "entry_id": topic,
                "fact_kind": TOPICS[topic].kinds[slot],
                "conversations": [a, b],
                "agent_ids": [a.agent, b.agent],
                "customer_ids": [customer],
                "values": [right[0], wrong[0]],
                "note": f"{customer} was told {right[0]}, then {wrong[0]} on a later call",
            }
        )

    # 4. a question the KB does not cover, answered differently (and one repeat contact)
    points = []
    for day, channel, agent, customer, value in [
        (0, "voice", "a01", "c-5003", ("1 point", "one point")),
        (0, "chat", "a04", "c-6401", ("1 point", "one point")),
        (1, "voice", "a08", "c-6402", ("1 point", "one point")),
        (2, "chat", "a06", "c-6403", ("2 points", "two points")),
        (2, "voice", "a12", "c-6404", ("1 point", "one point")),
        (3, "chat", "a10", "c-5003", ("2 points", "two points")),
        (4, "voice", "a06", "c-6405", ("2 points", "two points")),
    ]:
        p = Planned("loyalty-points", override={"points": value})
        p.mark = value[1] if channel == "voice" else value[0]
        points.append(conv(day, channel, agent, customer, p))
    findings.append(
        {
            "kind": "agent_disagreement",
            "entry_id": None,
            "fact_kind": "count",
            "conversations": points,
            "agent_ids": sorted({c.agent for c in points}),
            "customer_ids": sorted({c.customer for c in points}),
            "values": ["1", "2"],
            "note": "loyalty points per pound: not in the KB; a01, a04, a08, a12 say 1 point, a06 "
            "and a10 say 2 points. May also surface as a kb_gap.",
            "also_acceptable": ["kb_gap"],
        }
    )
    findings.append(
        {
            "kind": "repeat_contact_conflict",
            "entry_id": None,
            "fact_kind": "count",
            "conversations": [points[0], points[5]],
            "agent_ids": ["a01", "a10"],
            "customer_ids": ["c-5003"],
            "values": ["1", "2"],
            "note": "c-5003 was told 1 point per pound, then 2 points (not in the KB)",
        }
    )

    # 5. a KB gap: customers keep asking about recycling
    gap = []
    for i, (channel, question, answer) in enumerate(RECYCLING):
        agent = ["a02", "a07", "a13", "a03", "a14", "a09", "a11", "a05"][i]
        gap.append(
            conv(
                i % 5,
                channel,
                agent,
                f"c-65{i:02d}",
                Planned("recycling", question=question, answer=(answer, answer)),
            )
        )
    findings.append(
        {
            "kind": "kb_gap",
            "entry_id": None,
            "fact_kind": None,
            "conversations": gap,
            "agent_ids": sorted({c.agent for c in gap}),
            "customer_ids": sorted({c.customer for c in gap}),
            "values": [],
            "note": "8 questions about recycling old electricals, worded differently; no KB entry; "
            "agents answer yes, no and not sure",
        }
    )

    # 6. decoys: nothing here may be flagged
    a = conv(1, "voice", "a03", "c-5004", Planned("delivery-standard"), extra=0)
    b = conv(2, "chat", "a11", "c-5004", Planned("delivery-standard"), extra=0)
    decoys.append(
        {
            "kind": "policy_change",
            "entry_id": "delivery-standard",
            "conversations": [a, b],
            "note": "c-5004 told £3.99 on 31 March and £4.49 on 1 April: both right on "
            "their day, not a repeat-contact conflict",
        }
    )
    a = conv(0, "voice", "a06", "c-5005", Planned("returns-window"), extra=0)
    b = conv(3, "chat", "a12", "c-5005", Planned("returns-window"), extra=0)
    decoys.append(
        {
            "kind": "paraphrase",
            "entry_id": "returns-window",
            "conversations": [a, b],
            "note": "'thirty days' on a call and '30 days' in a chat: the same value",
        }
    )
    for topic, note in [
        ("order-cancel", "order number in the answer is not a count or a contradiction"),
        ("returns-refund-time", "order number and a refund amount (£45.99) are extra detail"),
    ]:
        c = conv(rng.randrange(5), "chat", "a08", f"c-66{len(decoys):02d}", Planned(topic), extra=0)
        c.exchanges[0].answer = None
        decoys.append(
            {
                "kind": "extra_detail",
                "entry_id": topic,
                "conversations": [c],
                "note": note,
                "force_answer": 2 if topic == "returns-refund-time" else 1,
            }
        )
    return convs, findings, decoys


#: Agents who, in the minority plant, always give a wrong value: they never answer that
#: topic correctly anywhere else.
MINORITY_TOPICS = {
    "a05": {"returns-refund-time"},
    "a11": {"returns-refund-time"},
    "a03": {"click-and-collect"},
    "a09": {"click-and-collect"},
}


def fillers(rng: random.Random, count: int) -> list[Conversation]:
    """Ordinary conversations, answered faithfully."""
    covered = [k for k, t in TOPICS.items() if t.entry is not None]
    customers = [f"c-{1001 + i}" for i in range(int(count * 0.75))]
    out = []
    for _ in range(count):
        agent = rng.choice(sorted(AGENTS))
        allowed = [t for t in covered if t not in MINORITY_TOPICS.get(agent, set())]
        k = rng.choice([1, 1, 1, 2, 2, 3, 4])
        channel = "voice" if rng.random() < 0.6 else "chat"
        out.append(
            Conversation(
                rng.choice(DAYS),
                channel,
                agent,
                rng.choice(customers),
                [Planned(t) for t in rng.sample(allowed, k)],
            )
        )
    return out


# --------------------------------------------------------------------------- output

_ASR_OK = re.compile(r"^[a-z' ]*$")


def render(convs: list[Conversation], rng: random.Random, forced: dict[int, int]) -> None:
    """Write turns, timestamps and ids; check each plant is where segmentation will find it."""
    writer = Writer(rng)
    for c in convs:
        r = c.rng or rng  # promise plants draw from their own stream: the rest stay as they were
        hour = r.randint(8, 19 if c.channel == "voice" else 21)
        c.started_at = dt.datetime.combine(
            c.day, dt.time(hour, r.randrange(60), r.randrange(60)), tzinfo=dt.UTC
        )
    convs.sort(key=lambda c: (c.started_at, c.agent, c.customer))
    for n, c in enumerate(convs, start=1):
        c.id = f"{'call' if c.channel == 'voice' else 'chat'}-{n:06d}"
        if id(c) in forced:  # pin the extra-detail template for the decoy
            topic = TOPICS[c.exchanges[0].topic]
            values = writer.values(topic, c.exchanges[0], c.day, False)
            c.exchanges[0].answer = (topic.chat_a[forced[id(c)]].format(**values), "")
        turns = (Writer(c.rng) if c.rng else writer).write(c)
        if c.channel == "voice":
            bad = [t.text for t in turns if not _ASR_OK.match(t.text)]
            assert not bad, bad
        c.transcript = Transcript(
            id=c.id,
            started_at=c.started_at,
            channel=c.channel,
            agent_id=c.agent,
            customer_id=c.customer,
            turns=tuple(turns),
        )
        exchanges = segment(c.transcript)
        assert len(exchanges) == len(c.exchanges), (c.id, len(exchanges), c.exchanges, turns)
        for planned, ex in zip(c.exchanges, exchanges, strict=True):
            if planned.mark is not None:
                at = ex.answer.index(planned.mark)
                turn, offset = ex.locate(at)
                assert turns[turn].text[offset:].startswith(planned.mark)
                c.evidence.append((turn, planned.mark))


def _resolve(item: dict) -> dict:
    convs = item.pop("conversations")
    item.pop("force_answer", None)
    out = {"kind": item.pop("kind"), "entry_id": item.pop("entry_id")}
    if "fact_kind" in item:
        out["fact_kind"] = item.pop("fact_kind")
    out["transcript_ids"] = [c.id for c in convs]
    out.setdefault("agent_ids", item.pop("agent_ids", sorted({c.agent for c in convs})))
    out.setdefault("customer_ids", item.pop("customer_ids", sorted({c.customer for c in convs})))
    out.update(item)
    evidence = [
        {"transcript_id": c.id, "turn": turn, "text": text}
        for c in convs
        for turn, text in c.evidence
    ]
    if evidence:
        out["evidence"] = evidence
    return out


FEATURE_NOTES = {
    "policy_change": "delivery-standard answered correctly on every day: £3.99 up to 31 March, "
    "£4.49 from 1 April; neither an agent disagreement nor a contradiction",
    "order_number": "the answer quotes the customer's order number",
    "extra_detail": "the answer adds a refund amount the KB does not mention",
    "greeting_in_fact_turn": "the answering turn opens with 'thanks for holding', 'thanks for "
    "that' or the like and then states the facts",
}


def _feature_decoys(convs: list[Conversation]) -> list[dict]:
    """One decoy record per feature, listing every conversation that has it."""
    out = []
    for tag, note in FEATURE_NOTES.items():
        having = [c for c in convs if tag in c.tags]
        out.append(
            {
                "kind": tag,
                "entry_id": "delivery-standard" if tag == "policy_change" else None,
                "transcript_ids": [c.id for c in having],
                "agent_ids": sorted({c.agent for c in having}),
                "customer_ids": sorted({c.customer for c in having}),
                "note": note,
            }
        )
    return out


def write_csv(convs: list[Conversation], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "conversation_id",
                "started_at",
                "channel",
                "agent_id",
                "customer_id",
                "speaker",
                "text",
            ]
        )
        for c in convs:
            t = c.transcript
            assert t is not None
            stamp = t.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            for turn in t.turns:
                out.writerow(
                    [t.id, stamp, t.channel, t.agent_id, t.customer_id, turn.speaker, turn.text]
                )


def write_contact_lens(c: Conversation, folder: Path, rng: random.Random) -> Path:
    """One voice call in the shape of a Contact Lens post-call analysis file."""
    t = c.transcript
    assert t is not None and t.channel == "voice"
    parts = [rng.getrandbits(bits) for bits in (32, 16, 12, 12, 48)]
    contact_id = f"{parts[0]:08x}-{parts[1]:04x}-4{parts[2]:03x}-8{parts[3]:03x}-{parts[4]:012x}"
    items, clock = [], 0
    for i, turn in enumerate(t.turns):
        length = 600 + 55 * len(turn.text)
        items.append(
            {
                "BeginOffsetMillis": clock,
                "EndOffsetMillis": clock + length,
                "Id": f"{contact_id[:8]}-{i:04d}",
                "ParticipantId": turn.speaker.upper(),
                "Content": turn.text,
                "Sentiment": "NEUTRAL",
                "LoudnessScore": [72.1, 74.5, 70.3],
            }
        )
        clock += length + 400
    data = {
        "Version": "1.1.0",
        "AccountId": "123456789012",
        "Channel": "VOICE",
        "ContentMetadata": {"Output": "Raw"},
        "JobStatus": "COMPLETED",
        "LanguageCode": "en-GB",
        "CustomerMetadata": {
            "ContactId": contact_id,
            "InstanceId": "example-instance",
            "InputS3Uri": f"s3://example-bucket/Voice/{contact_id}.wav",
        },
        "Participants": [
            {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"},
            {"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"},
        ],
        "Categories": {"MatchedCategories": [], "MatchedDetails": {}},
        "ConversationCharacteristics": {
            "TotalConversationDurationMillis": clock,
            "Sentiment": {"OverallSentiment": {"AGENT": 2.5, "CUSTOMER": 1.8}},
        },
        "Transcript": items,
    }
    # Connect names the file <ContactId>_analysis_<start time>.json; the reader takes the
    # start time from there. Dashes in the time keep the name valid on every file system.
    stamp = t.started_at.strftime("%Y-%m-%dT%H-%M-%SZ")
    path = folder / f"{contact_id}_analysis_{stamp}.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- promises

#: Planted broken promises, one a row: the kind, the promise conversation (day, channel,
#: agent, topic, what the agent says after the answer), the chase conversation (day,
#: channel, agent, topic, what the customer says before the question) or ``None`` when
#: the fulfilment file shows it, and then when it was done (``""``: never).
# fmt: off
BROKEN_PROMISES: list[tuple] = [
    ("callback",
     (0, "voice", "a03", "account-locked", "i've asked our security team to have a look as well "
      "and i'll call you back tomorrow before five"),
     (2, "chat", "a08", "account-locked",
      "Hi, I was promised a call back yesterday before five and nobody rang me.")),
    ("callback",
     (1, "chat", "a09", "order-cancel",
      "I'll check with the warehouse and give you a call back by the end of the day."),
     (3, "voice", "a01", "order-cancel", "nobody called me back on tuesday about my order")),
    ("refund",
     (0, "voice", "a06", "returns-refund-time",
      "i've put the refund through now so it'll be back in your account by wednesday"),
     (3, "chat", "a14", "returns-refund-time",
      "Still no refund in my account, and it's Thursday now.")),
    ("email_or_letter",
     (1, "voice", "a04", "returns-postage", "i'll email you the returns label today"),
     (3, "chat", "a10", "returns-postage",
      "I never got the email with the returns label you promised.")),
    ("email_or_letter",
     (0, "chat", "a11", "warranty-standard",
      "I'll send you the warranty claim form by email this afternoon."),
     (2, "voice", "a07", "warranty-standard",
      "i'm still waiting for the claim form you said you'd email me")),
    ("visit",
     (0, "voice", "a10", "returns-damaged-on-arrival",
      "an engineer will come out on tuesday to have a look at the screen"),
     (2, "chat", "a12", "returns-damaged-on-arrival",
      "The engineer didn't turn up yesterday and I waited in all day.")),
    ("visit",
     (1, "chat", "a14", "returns-large-item-collection", "Our collection team will be with you "
      "on Wednesday between 8am and 12pm to pick up the TV."),
     (3, "voice", "a02", "returns-large-item-collection",
      "nobody turned up on wednesday to collect the telly")),
    ("escalation",
     (1, "chat", "a13", "price-match",
      "I've escalated this to our pricing team, and you'll hear from us within 24 hours."),
     (3, "voice", "a06", "price-match", "i haven't heard anything from the pricing team")),
    ("escalation",
     (0, "voice", "a07", "volt-care-cover", "i've passed your claim on to our claims team and "
      "they'll get back to you within forty eight hours"),
     (3, "chat", "a01", "volt-care-cover", "Nobody has got back to me about my claim.")),
    ("other",
     (1, "chat", "a08", "returns-damaged-on-arrival",
      "I'll sort out the replacement for you by Thursday."),
     (4, "voice", "a05", "returns-damaged-on-arrival",
      "you said you'd sort it out by thursday and nothing's happened")),
    ("callback",
     (1, "voice", "a12", "delivery-missed",
      "i'll ring you back tomorrow morning with what the courier says"),
     None, "2026-04-01T15:45:00Z"),
    ("email_or_letter",
     (0, "chat", "a01", "gift-cards", "I'll email you a copy of the invoice today."),
     None, ""),
]

#: Promises that must not be reported broken, one a row: the decoy, the first conversation
#: (as above), the customer's next one (its chase, or ``None``: about something else),
#: a fulfilment row (kind, when) or ``None``, and why it is not a broken promise.
PROMISE_DECOYS: list[tuple] = [
    ("kept_on_time",
     (0, "voice", "a02", "repairs-booking", "i'll call you back tomorrow to confirm the booking"),
     (3, "chat", "a03", "delivery-standard", None), ("callback", "2026-03-31T10:20:00Z"),
     "the fulfilment file shows the callback made on time; the next contact is about delivery"),
    ("kept_next_contact_elsewhere",
     (1, "chat", "a04", "returns-postage", "I'll email you the returns label today."),
     (3, "voice", "a09", "click-and-collect", None), None,
     "nobody chased it: the customer's next contact is about something else"),
    ("offer",
     (0, "voice", "a05", "delivery-missed",
      "if you want i can call you back tomorrow when the courier's updated it"),
     (2, "chat", "a06", "delivery-missed", None), None, "an offer, not a promise"),
    ("conditional",
     (1, "chat", "a07", "order-cancel",
      "If it hasn't been dispatched by tomorrow, I'll call you back to arrange a return."),
     (3, "voice", "a08", "order-cancel", None), None, "a conditional, not a promise"),
    ("past_tense",
     (2, "voice", "a09", "delivery-standard",
      "i called you back yesterday but i couldn't get through"),
     (4, "chat", "a10", "delivery-next-day", None), None,
     "a report of a callback made, not a promise"),
    ("negation",
     (0, "chat", "a11", "returns-window", "We won't need to call you back, it's all sorted now."),
     (2, "voice", "a12", "returns-window", None), None, "a negation, not a promise"),
    ("chased_before_due",
     (0, "chat", "a13", "returns-refund-time",
      "The refund will be back in your account by Friday."),
     (2, "voice", "a14", "returns-refund-time", "still no refund in my account"), None,
     "chased on Wednesday, a refund due by Friday: early, not broken"),
    ("callback_about_something_else",
     (1, "voice", "a01", "warranty-standard", "i'll call you back tomorrow about the repair"),
     (3, "chat", "a02", "plus-price", None), None,
     "the customer calls back, about something else"),
    ("chase_of_another_kind",
     (0, "chat", "a03", "returns-postage", "I'll email you the returns label today."),
     (2, "voice", "a04", "returns-refund-time", "i still haven't received my refund"), None,
     "the customer chases a refund nobody promised; the emailed label is not chased"),
    ("due_after_the_week",
     (1, "voice", "a06", "returns-refund-time",
      "the refund should reach your account within five working days"),
     (4, "chat", "a05", "returns-refund-time", "Still no refund."), None,
     "due Thursday 9 April (five working days from Tuesday, Easter in between): the "
     "customer's chase on Friday is early"),
]
# fmt: on


def promise_plan(
    rng: random.Random,
) -> tuple[list[Conversation], list[dict], list[dict], list[tuple[Conversation, str, str, bool]]]:
    """Broken promises, decoys and the fulfilment rows, in conversations of their own stream.

    Each conversation draws from ``rng`` (a stream apart from the rest of the
    sample), so adding them leaves every other conversation as it was.
    """
    convs: list[Conversation] = []
    findings: list[dict] = []
    decoys: list[dict] = []
    rows: list[tuple[Conversation, str, str, bool]] = []

    def make(
        spec: tuple, customer: str, *, promise: bool, planned: Planned | None = None
    ) -> Conversation:
        day, channel, agent, topic, text = spec
        planned = planned or Planned(topic)
        value = None if text is None else (("", text) if channel == "voice" else (text, ""))
        if promise:
            planned.promise = value
        else:
            planned.chase = value
        c = Conversation(DAYS[day], channel, agent, customer, [planned], rng=rng)
        convs.append(c)
        return c

    for n, (kind, said, chased, *kept) in enumerate(BROKEN_PROMISES, start=1):
        customer = f"c-70{n:02d}"
        p = make(said, customer, promise=True)
        involved = [p]
        if chased is not None:
            involved.append(make(chased, customer, promise=False))
            note = f"{kind} promised on {p.day}: {said[4]!r}; chased on {chased and DAYS[chased[0]]}: {chased[4]!r}"
        else:
            done = kept[0]
            rows.append((p, kind, done, bool(done)))  # the late one names its conversation
            note = f"{kind} promised on {p.day}: {said[4]!r}; the fulfilment file says " + (
                f"done {done}, after it was due" if done else "never done"
            )
        findings.append(
            {
                "kind": "broken_promise",
                "entry_id": said[3],
                "fact_kind": "promise",
                "conversations": involved,
                "agent_ids": [p.agent],
                "customer_ids": [customer],
                "promise_kind": kind,
                "note": note,
            }
        )
    # a promise that also contradicts the KB: a refund in 2 working days (the KB says 5)
    refund = Planned(
        "returns-refund-time",
        answer=(
            "I've processed your refund today, and it will reach your account within 2 working "
            "days.",
            "",
        ),
        mark="2 working days",
    )
    p = make(
        (0, "chat", "a02", "returns-refund-time", None), "c-7099", promise=True, planned=refund
    )
    chase = make(
        (4, "voice", "a13", "returns-refund-time", "i still haven't received my refund"),
        "c-7099",
        promise=False,
    )
    findings.append(
        {
            "kind": "kb_contradiction",
            "entry_id": "returns-refund-time",
            "fact_kind": "duration",
            "conversations": [p],
            "agent_ids": ["a02"],
            "customer_ids": ["c-7099"],
            "values": ["2 working days", "5 working days"],
            "note": "a refund promised in 2 working days; the KB says 5 working days",
        }
    )
    findings.append(
        {
            "kind": "broken_promise",
            "entry_id": "returns-refund-time",
            "fact_kind": "promise",
            "conversations": [p, chase],
            "agent_ids": ["a02"],
            "customer_ids": ["c-7099"],
            "promise_kind": "refund",
            "note": "the refund promised in 2 working days (due Wednesday) is chased on Friday",
        }
    )
    findings.append(
        {
            "kind": "repeat_contact_conflict",
            "entry_id": "returns-refund-time",
            "fact_kind": "duration",
            "conversations": [p, chase],
            "agent_ids": ["a02", "a13"],
            "customer_ids": ["c-7099"],
            "values": ["2 working days", "5 working days"],
            "note": "c-7099 was promised the refund in 2 working days; chasing it, told 5",
        }
    )
    for n, (name, said, later, kept, note) in enumerate(PROMISE_DECOYS, start=1):
        customer = f"c-71{n:02d}"
        p = make(said, customer, promise=True)
        involved = [p, make(later, customer, promise=False)]
        if kept is not None:
            rows.append((p, kept[0], kept[1], False))
        decoys.append(
            {
                "kind": f"promise_{name}",
                "entry_id": None,
                "conversations": involved,
                "note": note,
            }
        )
    return convs, findings, decoys, rows


def write_fulfilment(rows: list[tuple[Conversation, str, str, bool]], path: Path) -> None:
    """The fulfilment file: customer_id, kind, fulfilled_at (empty: never done), transcript_id."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["customer_id", "kind", "fulfilled_at", "transcript_id"])
        for c, kind, when, pin in sorted(rows, key=lambda r: (r[0].customer, r[1])):
            out.writerow([c.customer, kind, when, c.id if pin else ""])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)

    convs, findings, decoys = build(rng)
    forced = {id(d["conversations"][0]): d["force_answer"] for d in decoys if "force_answer" in d}
    convs += fillers(rng, FILLER_CONVERSATIONS)
    promised, promise_findings, promise_decoys, kept = promise_plan(random.Random(SEED + 2))
    convs += promised
    findings += promise_findings
    decoys += promise_decoys
    render(convs, rng, forced)
    write_fulfilment(kept, out / "fulfilment.csv")
    write_jsonl(
        [c.transcript for c in convs if c.transcript is not None], out / "transcripts.jsonl"
    )

    truth = {
        "description": "What examples/make_transcripts.py planted in examples/transcripts.jsonl. "
        "`findings` must be found; `decoys` must not be flagged. Values are (planted, KB) or "
        "(first call, later call) in a readable normal form.",
        "seed": SEED,
        "days": [d.isoformat() for d in DAYS],
        "policy_changes": [
            {"entry_id": "delivery-standard", "from": "2026-04-01", "values": ["£3.99", "£4.49"]}
        ],
        "findings": [_resolve(f) for f in findings],
        "decoys": [_resolve(d) for d in decoys] + _feature_decoys(convs),
    }
    (out / "ground_truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )

    # the other formats, with conversations of their own
    extra_rng = random.Random(SEED + 1)
    extra = fillers(extra_rng, 5)
    extra[0].channel, extra[4].channel = "chat", "voice"
    render(extra, extra_rng, {})
    for i, c in enumerate(extra):
        c.transcript = c.transcript.model_copy(update={"id": f"csv-{i + 1:06d}"})  # type: ignore[union-attr]
    write_csv(extra[:4], out / "transcripts.csv")
    voice = extra[4]
    lens = out / "contact_lens"
    lens.mkdir(exist_ok=True)
    for old in lens.glob("*_analysis_*.json"):
        old.unlink()
    write_contact_lens(voice, lens, extra_rng)
    print(
        f"wrote {len(convs)} conversations, {len(truth['findings'])} findings, "
        f"{len(truth['decoys'])} decoys to {out}"
    )


if __name__ == "__main__":
    main()
