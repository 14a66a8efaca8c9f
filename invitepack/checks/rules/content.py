"""Content rules: is there a note, does it say what the sender wants, is it about this person."""

from __future__ import annotations

from collections.abc import Iterator

from invitepack.checks.builtin import hookimpl
from invitepack.checks.context import CheckContext
from invitepack.checks.evidence import FAVOUR, NONE, REFERRAL, ROLE, STRONG, TIME, WEAK, gather
from invitepack.checks.findings import Finding, Rule
from invitepack.checks.regexes import compiled
from invitepack.checks.wording import WORDING_CODE, WORDING_NAME
from invitepack.render.message import Message

EMPTY_NOTE = Rule(
    "IP201",
    "empty-note",
    "error",
    "There is no note, or nothing but a greeting.",
    "An invitation without a note leaves the reader asking 'what do you want?'. Many ignore it, "
    "and some click 'I don't know this person', which can get the sender restricted. Accepting "
    "also hands over the reader's contact details, so an unexplained invite reads as a sales "
    "pitch waiting to happen.",
    "Say who you are, why this person, and what you want, in a sentence or two.",
)
MISSING_PURPOSE = Rule(
    "IP202",
    "missing-purpose",
    "warning",
    "The reader can't tell what you want.",
    "The first question a recipient asks is 'what do you want?'. A note that does not answer it "
    "gets ignored or reported. Say it plainly: you're looking for work and want to know who to "
    "talk to; you have skills that would help; you enjoyed their talk and want to follow their "
    "work; you're hiring for a role, and it's fine if they're not looking.",
    "Add one sentence that says what you want, e.g. 'Who would be the right person to talk to "
    "about ...?'",
)
GENERIC_NOTE = Rule(
    "IP203",
    "generic-note",
    "warning",
    "A stock line that fits anyone, and nothing specific beside it.",
    "'Since we're in the same industry' and 'always looking to expand my network' explain "
    "nothing: generic notes perform no better than blank ones. A stock line counts against a "
    "note only when nothing else in it is specific.",
    "Replace the stock line with the specific reason you are writing to this person.",
)
DEFAULT_TEXT = Rule(
    "IP207",
    "default-text",
    "error",
    "The note is LinkedIn's default invitation text, or one of its one-click prompts.",
    "'I'd like to add you to my professional network' is the text people have learnt to "
    "ignore: it says no more than no note at all, and the same goes for the one-click "
    "'Congrats on the work anniversary!'. Everyone who receives it knows nobody wrote it.",
    "Write the note yourself: who you are, why this person, what you want.",
)
NO_PERSONAL_DETAIL = Rule(
    "IP204",
    "no-personal-detail",
    "warning",
    "Nothing in the note is about this person beyond what a mail merge fills in.",
    "Name, title and company come from any mail merge. One specific, true detail (their talk, "
    "their post, where you met, who suggested you write) shows you looked at the person, and "
    "checks that you are not offering a role they left years ago.",
    "Add one true detail: what they wrote, said or built, or where you met.",
)

WEAK_DETAIL = Rule(
    "IP205",
    "weak-detail",
    "warning",
    "The only detail about the person is one any mail merge could fill in.",
    "'Your impressive profile', 'great work at Acme', 'we're in the same industry' and 'I follow "
    "your content' could be said of anyone; readers see through them at once. What shows you "
    "looked at this person is a particular thing: what they wrote, said, built or hired for, "
    "where you met, who suggested you write, or what you did together.",
    "Swap the general compliment for one particular thing: 'your post on testing dbt models "
    "in CI'.",
)
NO_INTRODUCTION = Rule(
    "IP206",
    "no-introduction",
    "info",
    "The note doesn't say who you are.",
    "A stranger's first question is 'who is this?'. A few words (your name or role, where you "
    "work or what you do) answer it and make the rest of the note easier to trust.",
    "Add a few words about yourself: 'I'm Ada, a data engineer at Loop'.",
)
ASK_WITHOUT_DETAIL = Rule(
    "IP208",
    "ask-without-detail",
    "warning",
    "The note asks a stranger to consider a role, to vouch for you, to give you their time, "
    "or to give you work or their own code or data, and shows nothing particular about them.",
    "A big ask is weighed by whether the sender looked at the reader. A role offered on the "
    "strength of a title is how people get offered jobs they left years ago; a referral "
    "request that could go to anyone at the company asks a stranger to stake their name on "
    "someone they know nothing about; a call asked of anyone is a call nobody owes; and "
    "'can I work for you?' or 'please send me the code' under anyone's project reads as "
    "pasted, because it was.",
    "Say what you know of them in particular: the project they lead, the post where they "
    "described the team, who suggested you write.",
)
# Never a finding of its own: it names the wording's place in the verdict, so that `rules`
# lists it and `--ignore wording` leaves the verdict to the rules alone.
WORDING = Rule(
    WORDING_CODE,
    WORDING_NAME,
    "info",
    "The note's wording: every word weighed by what real notes, labelled by people, taught.",
    "Beside the rules, the verdict weighs every word as real notes labelled by people taught "
    "it: the words of a sale or a mail merge ('client', 'freelance', 'opportunity', "
    "'connect') count against a note, words about the reader's work ('kernel', 'slides', "
    "'project') count for it. It shows among the "
    "verdict's reasons, with the words that moved it most and what it added to the score; a "
    "short note's few words count for less than a long one's. Names weigh nothing: whom the "
    "greeting names, who signs, and a company after 'at' or 'from' are left out.",
    "Write about them and their work in your own words, not in the words of a pitch.",
)

# What ask-without-detail says each big ask asks of the reader.
_ASKED = {
    ROLE: "to consider a role",
    REFERRAL: "to vouch for you",
    TIME: "for their time",
    FAVOUR: "for work or their own work",
}
_WORD = compiled(r"[^\W\d_][\w’'-]*")
# Nine words as _WORD finds them one after another, each with the gap before it. A word's
# characters and a gap's are disjoint, and each is read possessively: no word is split in two
# to make up the count.
_NINE_WORDS = compiled(r"(?:[\W\d_]*+[^\W\d_][\w’'-]*+){9}")
_GREETING_WORDS = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "dear",
        "hiya",
        "greetings",
        "morning",
        "afternoon",
        "evening",
        "thanks",
        "thank",
        "you",
        "cheers",
        "best",
        "regards",
        "kind",
        "warm",
        "warmly",
        "many",
        "all",
        "the",
        "team",
        "there",
        "yours",
        "sincerely",
        "wishes",
        "sent",
        "from",
        "my",
        "iphone",
    ]
)


def is_empty(body: str) -> bool:
    """Nothing, or only greeting and sign-off words and names (capitalised words)."""
    # Nine words are never empty: a note has dozens, and its first nine are read in one match.
    if _NINE_WORDS.match(body):
        return False
    words = _WORD.findall(body)
    if not words:
        return True
    rest = [w for w in words if w.lower() not in _GREETING_WORDS]
    return len(rest) <= 2 and all(w[0].isupper() for w in rest)


@hookimpl
def invitepack_rules() -> list[Rule]:
    return [
        EMPTY_NOTE,
        MISSING_PURPOSE,
        GENERIC_NOTE,
        NO_PERSONAL_DETAIL,
        WEAK_DETAIL,
        NO_INTRODUCTION,
        DEFAULT_TEXT,
        ASK_WITHOUT_DETAIL,
        WORDING,
    ]


@hookimpl
def invitepack_check_message(message: Message, context: CheckContext) -> Iterator[Finding]:
    body = message.body
    if is_empty(body):
        yield EMPTY_NOTE.on(message, "no note: the reader can't tell who you are or what you want")
    evidence = gather(message, context)
    default = context.phrases.search("default-invite", body)
    if default:
        yield DEFAULT_TEXT.on(
            message, f"LinkedIn's stock text: {default.group(0)!r}", span=default.span()
        )
    stock = None if evidence.detail == STRONG else context.phrases.search("generic", body)
    if stock:
        yield GENERIC_NOTE.on(
            message,
            f"a stock line with nothing specific beside it: {stock.group(0)!r}",
            span=stock.span(),
        )
    if evidence.replying:
        return  # a reply's thread says who, why and what; the rules below would misread it
    if evidence.purpose == NONE:
        yield MISSING_PURPOSE.on(
            message, "the note doesn't say what you want or why you're writing"
        )
    if evidence.detail == NONE:
        yield NO_PERSONAL_DETAIL.on(message, "nothing here is about this person in particular")
    elif evidence.blank_detail:
        yield WEAK_DETAIL.on(message, f"the detail is still a blank: {evidence.detail_text!r}")
    elif evidence.detail == WEAK:
        yield WEAK_DETAIL.on(message, f"only a detail anyone could write: {evidence.detail_text!r}")
    if not evidence.introduces:
        yield NO_INTRODUCTION.on(message, "the reader can't tell who is writing")
    if evidence.big_ask and evidence.detail != STRONG:
        asked = _ASKED[evidence.big_ask]
        yield ASK_WITHOUT_DETAIL.on(
            message, f"asks the reader {asked} but says nothing particular about them"
        )
