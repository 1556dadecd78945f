"""Each PII detector on written and spoken text: what it masks and what it leaves alone."""

from __future__ import annotations

import pytest

from consistency.redact.detectors import (
    AccountNumberDetector,
    CardNumberDetector,
    DateOfBirthDetector,
    EmailDetector,
    NameDetector,
    PhoneDetector,
    PostcodeDetector,
    SortCodeDetector,
    default_detectors,
    luhn_valid,
    proper_nouns,
)

DETECTORS = {d.kind: d for d in default_detectors()}

# (text, kind, the masked text exactly, normalised value); one row a case.
# fmt: off
FOUND = [
    ("my card number is 4539 1488 0343 6467 thanks", "card", "4539 1488 0343 6467", "4539148803436467"),
    ("card 4539-1488-0343-6467", "card", "4539-1488-0343-6467", "4539148803436467"),
    ("it's 5555555555554444", "card", "5555555555554444", "5555555555554444"),
    ("amex 3782 822463 10005 exp", "card", "3782 822463 10005", "378282246310005"),
    ("card is four five three nine one four eight eight oh three four three six four six seven",
     "card", "four five three nine one four eight eight oh three four three six four six seven",
     "4539148803436467"),
    ("it's five five five five five five five five five five five five double four double four",
     "card", "five five five five five five five five five five five five double four double four",
     "5555555555554444"),
    ("call me on 07911 123456 please", "phone", "07911 123456", "+447911123456"),
    ("my number is oh seven nine one one one two three four five six", "phone",
     "oh seven nine one one one two three four five six", "+447911123456"),
    ("call me back on 07700 900123", "phone", "07700 900123", "+447700900123"),
    ("we'll call you back on oh seven seven double oh nine double oh one two three", "phone",
     "oh seven seven double oh nine double oh one two three", "+447700900123"),
    ("email me at jo.bloggs@gmail.com", "email", "jo.bloggs@gmail.com", "jo.bloggs@gmail.com"),
    ("it's jo dot bloggs at gmail dot com", "email", "jo dot bloggs at gmail dot com",
     "jo.bloggs@gmail.com"),
    ("my postcode is SW1A 1AA.", "postcode", "SW1A 1AA", "SW1A1AA"),
    ("postcode m1 1ae thanks", "postcode", "m1 1ae", "M11AE"),
    ("the sort code is 20-45-77", "sort_code", "20-45-77", "204577"),
    ("sort code 20 45 77 please", "sort_code", "20 45 77", "204577"),
    ("sort code four oh double two nine one", "sort_code", "four oh double two nine one", "402291"),
    ("account number 41234567", "account", "41234567", "41234567"),
    ("my account no. is 4123 4567", "account", "4123 4567", "41234567"),
    ("account number three one nine two six four five eight", "account",
     "three one nine two six four five eight", "31926458"),
    ("my date of birth is 14/07/1983 thanks", "dob", "14/07/1983", "14/07/1983"),
    ("DOB: 14.07.1983", "dob", "14.07.1983", "14.07.1983"),
    ("born on the twelfth of march nineteen eighty five ok", "dob",
     "twelfth of march nineteen eighty five", "twelfth of march nineteen eighty five"),
    ("my birthday is 3rd May 1990", "dob", "3rd May 1990", "3rd may 1990"),
    ("Hello, my name is Priya Patel.", "name", "Priya Patel", "priya patel"),
    ("hi my name is tom jones and i want a refund", "name", "tom jones", "tom jones"),
    ("my name is sam i'm calling about", "name", "sam", "sam"),
    ("This is Sarah from the returns team", "name", "Sarah", "sarah"),
    ("I'm Sean O'Brien", "name", "Sean O'Brien", "sean o'brien"),
    ("Thanks Priya, that's done", "name", "Priya", "priya"),
    ("We're open 9am to 5pm, Aisha.", "name", "Aisha", "aisha"),
    ("Hi, it's Tom Baker speaking.", "name", "Tom Baker", "tom baker"),
    ("Yes, Tom here", "name", "Tom", "tom"),
    ("hi it's tom baker speaking", "name", "tom baker", "tom baker"),
    ("this is priya shah calling about my order", "name", "priya shah", "priya shah"),
    ("send it to flat 3, 22 Mill Lane, Bristol", "address", "flat 3, 22 Mill Lane",
     "flat 3 22 mill lane"),
    ("NHS number 943 476 5919", "nhs", "943 476 5919", "9434765919"),
    ("NI number QQ 12 34 56 C", "nino", "QQ 12 34 56 C", "QQ123456C"),
    ("passport no 987 654 321.", "passport", "987 654 321", "987654321"),
    ("IBAN GB82 WEST 1234 5698 7654 32", "iban", "GB82 WEST 1234 5698 7654 32",
     "GB82WEST12345698765432"),
    ("iban g b eight two w e s t one two three four five six nine eight seven six five four "
     "three two", "iban", "g b eight two w e s t one two three four five six nine eight seven "
     "six five four three two", "GB82WEST12345698765432"),
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "masked", "value"), FOUND)
def test_detector_finds(text: str, kind: str, masked: str, value: str) -> None:
    spans = DETECTORS[kind].detect(text)
    assert [(text[s.start : s.end], s.value) for s in spans] == [(masked, value)]
    assert all(s.kind == kind for s in spans)


# fmt: off
LEFT = [
    ("card", "your order 4539 1488 0343 6468 has shipped"),       # not Luhn-valid
    ("card", "order number 4539 1488 0343 6467"),                 # an order number, even if Luhn-valid
    ("card", "reference four five three nine one four eight eight oh three four three six four six seven"),
    ("card", "the IMEI is 490154203237518"),                      # Luhn-valid device number
    ("card", "it costs 1,299.50 and takes 14 days"),
    ("card", "card ending 4242"),                                 # the last four are not the card
    ("card", "0800 048 7730 or 0333 014 2200"),                   # phone numbers
    ("phone", "your order 12345678 ships in 3 days"),
    ("phone", "the relay prefix is 18001"),
    ("email", "email us at voltstream dot co dot uk"),
    ("postcode", "the M25 4pm rush and a 2nd try"),
    ("sort_code", "sort code please"),
    ("sort_code", "it's 20 45 77 pounds"),
    ("account", "account number ending 4567"),                    # four digits: not the number
    ("account", "your account will be credited in 5 days"),
    ("dob", "delivery on the 12th of March"),
    ("dob", "I was born and raised in Leeds"),
    ("name", "this is ridiculous"),
    ("name", "I'm Sorry about that"),
    ("name", "I'm afraid not"),
    ("name", "This is Monday's delivery"),
    ("name", "my name is and i need help"),
    ("name", "Open Monday to Friday, Cheers."),
    ("name", "it is raining speaking of which"),
    ("name", "it's, strictly speaking, a refund"),
    ("name", "it's cold here"),
    ("name", "Customer Service speaking"),
    ("address", "you have 14 days to return it"),
    ("nhs", "your order 943 476 5919 has shipped"),
    ("nhs", "it's 943 476 5918"),                                 # fails mod 11
    ("nhs", "ref 9434765919"),                                    # ten digits typed together
    ("nino", "AB 12 34 56 E"),                                    # the letter is A-D
    ("passport", "passport photos cost 15 pounds"),
    ("iban", "GB82 WEST 1234 5698 7654 33"),                      # fails mod 97
]
# fmt: on


@pytest.mark.parametrize(("kind", "text"), LEFT)
def test_detector_leaves(kind: str, text: str) -> None:
    assert DETECTORS[kind].detect(text) == []


def test_luhn() -> None:
    assert luhn_valid("4539148803436467")
    assert luhn_valid("79927398713")
    assert not luhn_valid("4539148803436468")
    assert not luhn_valid("")
    assert not luhn_valid("4539 1488")


def test_card_mixed_typed_and_spoken_is_one_number() -> None:
    text = "it's 4539 1488 oh three four three six four six seven"
    (span,) = CardNumberDetector().detect(text)
    assert text[span.start : span.end] == "4539 1488 oh three four three six four six seven"


def test_sort_code_then_account_in_one_run() -> None:
    text = "sort code 20 45 77 41234567 thanks"
    spans = SortCodeDetector().detect(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [
        ("sort_code", "20 45 77"),
        ("account", "41234567"),
    ]


def test_phone_detector_reports_kb_numbers_too() -> None:
    """Detectors know nothing of the KB; the Redactor decides what stays."""
    (span,) = PhoneDetector().detect("call 0333 014 2200")
    assert span.value == "+443330142200"


def test_email_detector_needs_an_address() -> None:
    assert EmailDetector().detect("no at sign here") == []


def test_postcode_in_brackets_of_a_mask_is_not_found() -> None:
    assert PostcodeDetector().detect("[SW1A 1AA]") == []


def test_account_number_after_cue_only() -> None:
    assert AccountNumberDetector().detect("41234567") == []


def test_date_of_birth_needs_a_date() -> None:
    assert DateOfBirthDetector().detect("what is your date of birth?") == []


def test_names_known_to_the_kb_are_not_names() -> None:
    known = proper_nouns(["Call Voltstream today.", "Our Plus members get Black Friday prices."])
    assert {"voltstream", "plus", "black", "friday"} <= known
    assert NameDetector(known).detect("This is Voltstream customer services") == []
    assert NameDetector().detect("This is Voltstream customer services") != []
