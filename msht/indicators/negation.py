"""Negation and hedging (NegEx-style): whether a mention is denied in its own clause.

"No signs of injury", "denied being threatened", "not overcrowded", "restrictions on her
movements were not evident": a cue within a few words before the mention, or one just after
it, in the same clause, negates it. Clauses end at sentence marks, brackets and at "but",
"however", "although", "whereas", so "no injuries, but he was frightened" still finds the
fear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from msht.errors import ConfigError

#: Words whose full stop ends no sentence ("paid approx. £20 a day", "Mr. Ali keeps it",
#: "e.g. phones"). Single letters are not among them: "Class A.", "Male B." and "didn't." end
#: sentences, and so the initial of a name does too.
ABBREVIATIONS: tuple[str, ...] = ("approx", "appx", "apprx", "ca", "est", "incl", "viz", "vs")
ABBREVIATIONS += ("nr", "mr", "mrs", "ms", "dr", "sgt", "det", "insp", "supt", "cllr", "cf")
ABBREVIATIONS += ("e.g", "i.e")
#: A full stop that may end a sentence: not inside a word or number ("6.30am", "12.03.2024",
#: "U.K") nor after an abbreviation. The stop comes first, so that the look-behinds run only
#: at stops (before it, they ran at every character of every clause searched: 60% slower).
FULL_STOP = r"\.(?!\w)" + "".join(rf"(?<!\b{re.escape(word)}\.)" for word in ABBREVIATIONS)
#: Where a clause ends (sentence marks, brackets, contrast words).
CLAUSE_END = re.compile(
    rf"{FULL_STOP}|[;!?()\n]|\b(?:but|however|although|whereas|though)\b", re.IGNORECASE
)
_WORD = re.compile(r"[\w']+")
#: Where one item of a list ends: "no pay, no days off", "no pay and no days off".
_LIST_BREAK = re.compile(r",|\b(?:and|or)\b", re.IGNORECASE)
#: Where a cue may start: after no letter and no in-word apostrophe ("didn't" holds no cue
#: "t"), but after an opening quote ("'No, he never hit me'").
WORD_START = r"(?<!\w)(?<!\w['\u2019])"


def enclosing(cuts: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the part of `text` between `cuts` (sentence or clause ends) that
    holds text[start:end]."""
    first, last = 0, len(text)
    for cut in cuts.finditer(text):
        if cut.end() <= start:
            first = cut.end()
        elif cut.start() >= end:
            last = cut.start()
            break
    return first, last


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    window: int = Field(ge=1, le=20)
    before: tuple[str, ...] = Field(min_length=1)
    clause: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    statements: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Negation:
    """Compiled cues: `before` must end within `window` words before a mention; `clause`
    cues ("no evidence that") reach the whole rest of their clause."""

    window: int
    before: re.Pattern[str]
    clause: re.Pattern[str] | None
    after: re.Pattern[str] | None
    lists: re.Pattern[str] | None = None
    """Cues that govern a whole list after them ("denied having no food, no days off")."""
    statements: re.Pattern[str] | None = None
    """Where a new statement starts in a clause: no `before` cue reaches past it."""
    accounts: re.Pattern[str] | None = None
    """Where another person's account starts in a clause: no `clause` cue reaches past it."""

    def negated(self, text: str, start: int, end: int) -> bool:
        """Whether the mention text[start:end] is negated in its clause."""
        clause_start = 0
        for m in CLAUSE_END.finditer(text, 0, start):
            clause_start = m.end()
        reach = clause_start
        governed = self.lists is not None and self.lists.search(text, clause_start, start)
        if self.before.match(text, start) and not governed:
            # A mention with its own cue is an item of a list of absences ("no pay, no days
            # off"): the cue of an earlier item does not reach past the break before it. A
            # denial governs its whole list ("he denied having no food, no days off").
            for cut in _LIST_BREAK.finditer(text, clause_start, start):
                reach = cut.end()
        if self.statements is not None:
            for cut in self.statements.finditer(text, reach, start):
                reach = cut.end()
        words = list(_WORD.finditer(text, reach, start))
        window_start = words[-self.window].start() if len(words) >= self.window else reach
        if self.before.search(text, window_start, start):
            return True
        account = clause_start
        if self.accounts is not None:
            for cut in self.accounts.finditer(text, clause_start, start):
                account = cut.end()
        if self.clause is not None and self.clause.search(text, account, start):
            return True
        if self.after is None:
            return False
        stop = CLAUSE_END.search(text, end)
        return bool(self.after.search(text[end : stop.start() if stop else len(text)]))


def load_negation(path: Path | None = None) -> Negation:
    """The cues of `negation.yaml`; errors name the file and key."""
    source = path or Path(str(resources.files("msht.indicators") / "lexicon" / "negation.yaml"))
    try:
        cues = _Cues.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
        before = re.compile(WORD_START + "(?:" + "|".join(cues.before) + r")(?![\w])", re.I)
        after = (
            re.compile(r"^\W*(?:" + "|".join(cues.after) + r")(?![\w])", re.I)
            if cues.after
            else None
        )
        clause = (
            re.compile(WORD_START + "(?:" + "|".join(cues.clause) + r")(?![\w])", re.I)
            if cues.clause
            else None
        )
        lists = (
            re.compile(WORD_START + "(?:" + "|".join(cues.lists) + r")(?![\w])", re.I)
            if cues.lists
            else None
        )
        statements = re.compile("|".join(cues.statements), re.I) if cues.statements else None
        accounts = re.compile("|".join(cues.accounts), re.I) if cues.accounts else None
    except ValidationError as exc:
        raise ConfigError.from_validation(str(source), exc) from exc
    except (yaml.YAMLError, re.error) as exc:
        raise ConfigError(str(source), "", str(exc)) from exc
    return Negation(cues.window, before, clause, after, lists, statements, accounts)
