"""Cut a conversation into exchanges: a customer question and the agent turns that answer it.

Voice transcripts come from speech recognition (lower case, no punctuation), so
nothing here relies on ``?`` or capitals alone. A turn is *social* when, after
the greeting, hold and closing phrases and filler words are taken out, nothing
is left ("thanks for calling acme how can i help", "please hold", "is there
anything else", "you're welcome bye"). Social agent turns are dropped from
answers; a turn with anything else in it is kept whole, so every span in
``Exchange.answer`` maps back to its turn exactly (see :meth:`Exchange.locate`).

The rules, in order:

1. Consecutive customer turns form one block. Its social turns are dropped; if
   what is left asks something (a ``?`` or an interrogative/request cue: "how",
   "what", "can i", "do you", "i want to", "i need", "is it", ...) the block starts
   a new exchange. The first non-social customer block always does: the reason
   for the call ("my parcel never arrived") is a request even without a cue, unless
   it answers the agent's identity check ("Joe Khan, G12 8QQ"). Preambles ("hi, quick
   question", "I'm ringing about my account") are social.
2. Other customer turns ("ok thanks", "yes it's four five six seven") start
   nothing; the agent turns after them still answer the open question.
3. A question whose only replies so far are social ("let me check") is merged
   with the next question: the agent answers both at once.
4. Agent turns before the first question (the greeting) and questions never
   answered are not exchanges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from consistency.ingest.models import Transcript
from consistency.models import Exchange

__all__ = ["is_question", "is_social", "segment", "segment_many"]

# A name or a company name in a greeting: any word but one a sentence goes on with.
_NAME = (
    r"(?: (?!(?:no|not|yes|we|you|you're|i|i'm|im|my|our|it|it's|is|are|can|how|what|this"
    r"|and|so|the|a|at|from|here|speaking|today)\b)[a-z]+)"
)
_AT = r"(?: (?:at|from)" + _NAME + r"{1,2})?"

# Greeting, hold and closing phrases, matched on normalised text (lower case,
# punctuation removed). Order matters only for overlapping phrases.
_SOCIAL_PATTERNS = [
    # greetings and introductions
    r"\b(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening|day))(?: there| again)?\b",
    r"\bwelcome to" + _NAME + r"{1,2}",
    r"\b(?:thank you|thanks|thank u|thankyou)(?: so much| very much| a lot| again)?"
    r"(?: for (?:(?:calling|contacting|choosing)(?: us)?" + _NAME + r"{0,2}"
    r"|reaching out(?: to us)?|getting in touch(?: with us)?|your call|chatting(?: with us)?"
    r"|holding|waiting|your patience|the info(?:rmation)?|your help|the help|that|all that"
    r"|clarifying|checking|taking my call|letting me know|your time))?\b",
    r"\b(?:my name is|my name's|you're speaking (?:with|to)|you are speaking (?:with|to)"
    r"|you've reached|you have reached|you're through to|you are through to"
    r"|you're chatting with|you are chatting with|you're now chatting with)"
    + _NAME
    + r"{1,2}"
    + _AT,
    r"\b(?:this is|i'm|i am)" + _NAME + _AT + r"(?: (?:here|speaking))?"
    r"(?= (?:how|what|and)\b|$)",
    r"\bhow (?:can|may|could) (?:i|we) (?:help|assist)(?: you)?"
    r"(?: today| this (?:morning|afternoon|evening))?\b",
    r"\bwhat can i (?:do for you|help (?:you )?with)(?: today)?\b",
    r"\bhow(?:'s| is| are) (?:it going|you|your day|things)(?: doing| going)?(?: today)?\b",
    r"\b(?:i'm|im|i am) (?:good|fine|well|great|doing (?:well|good|great|fine))\b",
    r"\bnice to (?:meet|talk to|speak (?:to|with)) you\b",
    r"\b(?:i'd|i would|i'll|i will|i'm|im|i am) (?:be )?(?:happy|glad) to help(?: you)?"
    r"(?: with (?:that|this))?(?: today)?\b",
    r"\bi can (?:definitely |certainly )?help (?:you )?with (?:that|this)\b",
    # hold
    r"\b(?:can you |could you |if you could )?(?:please )?(?:hold|bear with me)(?: on)?(?: please)?"
    r"(?: (?:for )?(?:a|one|just a) (?:moment|second|sec|minute))?\b",
    r"\b(?:one|a|just a|just one) (?:moment|second|sec|minute)(?: please)?\b",
    r"\bgive me (?:a|one|just a) (?:moment|second|sec|minute)\b",
    r"\blet me (?:just |quickly )?(?:check|look|see|pull|find|bring|have a look)"
    r"(?: (?:that|this|it|up|into|for you|on that|your (?:account|order|details)))*\b",
    r"\b(?:i'll|i will|i'm going to|im going to) (?:put|place) you on (?:a )?"
    r"(?:brief |short |quick )?hold\b",
    r"\b(?:i'm|im|i am) (?:just )?(?:checking|looking)(?: (?:that|this|it|into|for you|now|up))*\b",
    r"\bsorry (?:about|for) (?:the|that) (?:wait|hold|delay)\b",
    r"\b(?:are you )?still there\b",
    # closing and acknowledgement
    r"\b(?:is there )?anything else(?: (?:i|we) can (?:help|assist|do)(?: you)?(?: with)?)?"
    r"(?: for you)?(?: today)?\b",
    r"\b(?:you're|you are|youre|your) (?:very |most )?welcome\b",
    r"\b(?:no problem(?: at all)?|no worries|not a problem|my pleasure|any ?time|of course"
    r"|glad (?:i|to) (?:could )?help|happy to help)\b",
    r"\bhave a (?:great|good|nice|lovely|wonderful) (?:day|evening|afternoon|weekend|one|night)\b",
    r"\b(?:good ?bye|bye(?: bye| now)?|take care|see you|talk (?:to you )?(?:soon|later))\b",
    r"\b(?:no )?(?:that's|that is|thats) (?:all|everything|it|great|perfect|helpful|very helpful"
    r"|good|fine|brilliant|really helpful)(?: (?:i|i've) (?:need|needed|had|got|wanted))?"
    r"(?: to know)?(?: for (?:now|today))?\b",
    r"\b(?:got it|i see|makes sense|sounds good|that helps|understood|nothing else|fair enough)\b",
    r"\b(?:sorry|pardon)(?: what(?: was that| did you say)?)?\b",
    r"\b(?:can|could) you (?:repeat|say) that(?: again)?(?: please)?\b",
    r"\bcome again\b",
    # preambles: what a caller says before the question ("hi, quick question", "I was
    # hoping you could help me", "I'm ringing about my account", "sorry, it's noisy")
    r"\b(?:i(?:'ve| have)(?: got)?|got) (?:a|one|two|a few|a couple of|some|a quick|few)"
    r"(?: (?:quick|little|small))? (?:questions?|queries|query|things to ask)\b",
    r"\b(?:a |one )?quick (?:question|query)\b",
    r"\b(?:i was|i'm|im|i am|was) hoping (?:you|someone) (?:can|could|might be able to) help"
    r"(?: me)?(?: (?:out|with something|today))?\b",
    r"\b(?:i'm|im|i am|i'm just|just) (?:ringing|calling|phoning|contacting you|getting in touch"
    r"|writing|messaging)(?: (?:about|regarding|re) (?:my|the) (?:account|bill|phone|contract"
    r"|order|broadband|plan))?\b",
    r"\b(?:it's|its|it is) (?:a bit|really|quite|very|so) (?:noisy|loud)(?: here)?\b",
    r"\b(?:i'm|im|i am) (?:on|in) the (?:bus|train|car|road|street)\b",
    r"\b(?:the )?(?:kids|children|dog|dogs|baby) (?:are|is) (?:shouting|screaming|barking|crying"
    r"|playing)(?: in the background)?\b",
    # lead-ins to a follow-up question
    r"\b(?:while i(?:'ve| have) got you|while i have you|one more thing|another thing"
    r"|one last thing|just one more question)\b",
]
_SOCIAL = re.compile("|".join(f"(?:{p})" for p in _SOCIAL_PATTERNS))

# Words that carry nothing on their own. ``yes``/``no`` are filler only for the
# customer: from an agent, "no" answers "can I return sale items".
_FILLER_WORDS = """
    um umm uh uhh uhm er erm ah ahh oh hmm mm mhm ok okay k alright right sure so well and
    then also just actually really great perfect wonderful lovely awesome excellent cool fine
    good nice brilliant thanks thank you u your yours me my i i'm im we us our it it's its
    that that's this is are was be been am the a an to for of with on at in there here now
    today again sir madam ma'am maam mate please but like yeah"""
_FILLER = frozenset(_FILLER_WORDS.split())
_CUSTOMER_FILLER = _FILLER | {"yes", "yep", "yup", "no", "nope", "nah"}

_CUES = re.compile(
    r"\b(?:how|what|what's|whats|when|when's|where|where's|which|why|who|whose|whom"
    r"|is (?:it|there|that|this|my|the|your|he|she)|are (?:there|you|my|the|your|they|these)"
    r"|do (?:you|i|they|we)|does|did (?:you|i|my|the)|can (?:i|you|we|my|it|someone)"
    r"|could (?:i|you|it|we)|will (?:i|you|it|my|that|the)|would (?:i|you|it|that)"
    r"|should (?:i|we)|may i|am i|have (?:you|i)|has (?:my|the)"
    r"|i(?:'d| would) like|i want|i wanna|i need|i'm (?:looking|trying|wondering|calling"
    r"|hoping|interested)|im (?:looking|trying|wondering|calling|hoping|interested)"
    r"|i am (?:looking|trying|wondering|calling|hoping|interested)"
    r"|i was (?:wondering|hoping|told|trying|charged)|wondering|tell me|let me know"
    r"|need to know|want to know|help me|question|explain|any way|possible|need (?:a|an|to|some)"
    r"|problem|issue|broken|damaged|missing|never (?:arrived|came|received|got)"
    r"|hasn't (?:arrived|come)|charged twice)\b"
)
# A question asked by inversion ("are returns free", "and is it free"), after lead-in words.
_INVERTED = re.compile(
    r"^(?:(?:and|also|so|oh|okay|ok|great|um|uh|yeah|right|well|then|but|just|sorry)\s+)*"
    r"(?:are|is|do|does|did|can|could|will|would|should|have|has|am|was|were|may|shall)\s+\w"
)
# An agent asking for identity details: the customer's reply ("Joe Khan, G12 8QQ") answers
# it and is not the reason for the call.
_ID_CHECK = re.compile(
    r"\b(?:postcode|post code|date of birth|full name|your name|account number|first line of"
    r"|security (?:question|check|details)|verify|confirm (?:your|the|some)|account holder"
    r"|memorable (?:word|date)|pin\b|house number|details (?:please|first))"
)
_NORMALISE = re.compile(r"[^a-z0-9']+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_NORMALISE.sub(" ", text).split())


def _residue(text: str) -> str:
    """The text with greeting, hold and closing phrases taken out (normalised)."""
    return " ".join(_SOCIAL.sub(" ", _normalise(text)).split())


def is_social(text: str, *, speaker: str = "agent") -> bool:
    """True when the turn is only greeting, hold message, closing or filler.

    Example:
        >>> is_social("thank you for calling acme outfitters my name is sam how can i help")
        True
        >>> is_social("Thanks for waiting! You have 30 days from delivery.")
        False
        >>> is_social("no", speaker="agent"), is_social("no", speaker="customer")
        (False, True)
    """
    filler = _CUSTOMER_FILLER if speaker == "customer" else _FILLER
    return all(
        token.strip("'") in filler or not token.strip("'") for token in _residue(text).split()
    )


def is_question(text: str) -> bool:
    """True when a customer turn asks or requests something, with or without ``?``.

    Example:
        >>> is_question("um yeah hi how long do i have to send it back")
        True
        >>> is_question("ok thanks that's all i needed")
        False
    """
    if is_social(text, speaker="customer"):
        return False
    residue = _residue(text)
    return "?" in text or bool(_CUES.search(residue) or _INVERTED.search(residue))


def _question_text(texts: Iterable[str]) -> str:
    """Join the customer's turns, leaving out whole sentences that are only social."""
    kept = []
    for text in texts:
        sentences = [s for s in _SENTENCE.split(text.strip()) if s]
        useful = [s for s in sentences if not is_social(s, speaker="customer")]
        kept.append(" ".join(useful or sentences))
    return " ".join(kept)


def segment(transcript: Transcript) -> list[Exchange]:
    """Split one transcript into exchanges, in conversation order.

    ``answer`` is the answering agent turns joined with one space and
    ``answer_offsets`` where each starts, so ``answer[off:off + len(turn.text)]``
    is the turn's text. ``started_at``, ``channel``, ``agent_id`` and
    ``customer_id`` are the conversation's.
    """
    turns = transcript.turns
    blocks: list[tuple[str, list[int]]] = []
    for index, turn in enumerate(turns):
        if blocks and blocks[-1][0] == turn.speaker:
            blocks[-1][1].append(index)
        else:
            blocks.append((turn.speaker, [index]))

    exchanges: list[Exchange] = []
    question: list[int] = []
    answer: list[int] = []
    id_check = False  # the last agent block asked for identity details

    def close() -> None:
        if question and answer:
            exchanges.append(_exchange(transcript, question, answer))

    for speaker, indexes in blocks:
        if speaker == "customer":
            useful = [i for i in indexes if not is_social(turns[i].text, speaker="customer")]
            if not useful:
                continue
            opening = not question and not exchanges and not id_check
            if opening or any(is_question(turns[i].text) for i in useful):
                if question and not answer:
                    question = question + useful  # rule 3: still unanswered, ask together
                else:
                    close()
                    question, answer = list(useful), []
        else:
            id_check = any(_ID_CHECK.search(_normalise(turns[i].text)) for i in indexes)
            if question:
                answer.extend(i for i in indexes if not is_social(turns[i].text, speaker="agent"))
    close()
    return exchanges


def _exchange(transcript: Transcript, question: list[int], answer: list[int]) -> Exchange:
    offsets = []
    position = 0
    for index in answer:
        offsets.append(position)
        position += len(transcript.turns[index].text) + 1
    return Exchange(
        transcript_id=transcript.id,
        question=_question_text(transcript.turns[i].text for i in question),
        answer=" ".join(transcript.turns[i].text for i in answer),
        question_turns=tuple(question),
        answer_turns=tuple(answer),
        answer_offsets=tuple(offsets),
        agent_id=transcript.agent_id,
        customer_id=transcript.customer_id,
        started_at=transcript.started_at,
        channel=transcript.channel,
    )


def segment_many(transcripts: Iterable[Transcript]) -> Iterator[Exchange]:
    """Segment a stream of transcripts lazily, in order."""
    for transcript in transcripts:
        yield from segment(transcript)
