"""What a person typed, as the terms a full-text search looks for.

Pure Python: no SQL here (projections/full_text.py turns terms into each
database's own query). A query becomes groups of alternatives: every group must
match, and a group matches when any of its alternatives (a word, or a phrase of
words in order) does. An abbreviation of the field and its long form are
alternatives of one group, both ways round: "HNA" also looks for "holistic
needs assessment", and "holistic needs assessments" also for "HNA". The pairs
are data, in config/abbreviations.csv, read once.

Only letters and digits make a word, so quotes, stars, hyphens, brackets and
operator words (OR, NEAR) never reach a database's query syntax as
syntax. Common English words ("the", "for") are left out, as PostgreSQL's
English dictionary leaves them out, so both databases find the same things.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config import PROJECT_ROOT

ABBREVIATIONS_CSV = PROJECT_ROOT / "config" / "abbreviations.csv"
MAX_WORD = 60
MAX_GROUPS = 32  # a paste of a whole page: the first 32 words are plenty to search by

Phrase = tuple[str, ...]
Group = tuple[Phrase, ...]  # alternatives, the words as typed first

# The Snowball English stop words, which PostgreSQL's 'english' configuration drops.
STOP_WORDS = frozenset([
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
    "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
    "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom",
    "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being",
    "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but",
    "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below", "to",
    "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
    "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few",
    "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now",
])


def words(text: str | None) -> list[str]:
    """The words of a text, lowercased: runs of letters and digits."""
    # Cut to a length any real word has: PostgreSQL refuses a query word over 2 KB.
    return [w[:MAX_WORD] for w in re.findall(r"[^\W_]+", (text or "").lower())]


def folded(text: str) -> str:
    """The text without accents ("Zoë Ní Bhriain" as "Zoe Ni Bhriain"), as SQLite's
    FTS5 tokenizer reads it (remove_diacritics): PostgreSQL's 'english' keeps
    accents, so both the indexed text and the query are folded before they get there,
    and a name is found typed with its accents or without."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _singular(word: str) -> str:
    """Enough of a stem to see "assessments" as "assessment" when looking up an
    abbreviation (the databases stem properly when they match)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _key(phrase: Phrase) -> Phrase:
    return tuple(_singular(w) for w in phrase)


@dataclass(frozen=True)
class Synonyms:
    """Each phrase (as looked up) → the phrases that mean the same."""

    alike: dict[Phrase, frozenset[Phrase]]
    longest: int

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> Synonyms:
        classes: dict[Phrase, set[Phrase]] = {}
        for short, meaning in pairs:
            classes.setdefault(tuple(words(short)), set()).add(tuple(words(meaning)))
        alike: dict[Phrase, set[Phrase]] = {}
        for abbreviation, meanings in classes.items():
            every = {abbreviation, *meanings}
            for phrase in every:
                alike.setdefault(_key(phrase), set()).update(every)
        return cls({k: frozenset(v) for k, v in alike.items() if k},
                   max((len(k) for k in alike), default=0))


@cache
def abbreviations(path: Path = ABBREVIATIONS_CSV) -> Synonyms:
    """The field's abbreviations, read once from the data file."""
    with path.open(newline="", encoding="utf-8") as f:
        return Synonyms.from_pairs([(row["abbreviation"], row["meaning"])
                                    for row in csv.DictReader(f)
                                    if row.get("abbreviation") and row.get("meaning")])


@dataclass(frozen=True)
class Terms:
    """The groups a text must match, and the words typed (for marking matches)."""

    groups: tuple[Group, ...]
    typed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    def phrases(self) -> list[Phrase]:
        """Every alternative of every group, once."""
        return list(dict.fromkeys(p for g in self.groups for p in g))

    def marks(self, tag: str) -> bool:
        """Whether a short text (an expertise tag) holds one of the alternatives."""
        held = " " + " ".join(_key(tuple(words(folded(tag))))) + " "
        return any(" " + " ".join(_key(p)) + " " in held for p in self.phrases())


def terms_of(q: str | None, synonyms: Synonyms | None = None) -> Terms:
    """The terms of a query: abbreviations matched longest first, stop words left out."""
    typed = words(folded(q or ""))
    synonyms = abbreviations() if synonyms is None else synonyms
    groups: list[Group] = []
    i = 0
    while i < len(typed) and len(groups) < MAX_GROUPS:
        for n in range(min(synonyms.longest, len(typed) - i), 0, -1):
            phrase = tuple(typed[i:i + n])
            alike = synonyms.alike.get(_key(phrase))
            if alike:
                others = {p for p in alike if _key(p) != _key(phrase)}
                groups.append((phrase, *sorted(others)))
                i += n
                break
        else:
            if typed[i] not in STOP_WORDS:
                groups.append(((typed[i],),))
            i += 1
    return Terms(tuple(dict.fromkeys(groups)), tuple(dict.fromkeys(typed)))
