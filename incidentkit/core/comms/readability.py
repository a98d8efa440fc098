"""Plain language: a draft's Flesch-Kincaid grade (textstat) and its sentences over 30 words.

Only prose counts: paragraphs and list items, not headings, tables or code. textstat
scores text but has no way to list its sentences, so splitting them (to flag the long
ones with their lines) is ours: a sentence ends at `.`, `!` or `?` before a space and a
capital letter, a digit or an opening quote or bracket.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from incidentkit.core.comms.markdown_text import Block
from incidentkit.core.comms.vocabulary import LONG_SENTENCE_WORDS

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"'“‘(\[])")


@dataclass(frozen=True)
class LongSentence:
    line: int
    words: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "words": self.words, "text": self.text}


@dataclass(frozen=True)
class Readability:
    grade: float                       # Flesch-Kincaid grade level (US school grade)
    words: int
    sentences: int
    long_sentences: tuple[LongSentence, ...]

    def to_json(self) -> dict[str, Any]:
        return {"grade": self.grade, "words": self.words, "sentences": self.sentences,
                "long_sentence_words": LONG_SENTENCE_WORDS,
                "long_sentences": [s.to_json() for s in self.long_sentences]}

    def words_line(self) -> str:
        """`Grade 7.2 (Flesch-Kincaid), 412 words in 38 sentences; 2 over 30 words`."""
        long = len(self.long_sentences)
        return (f"Grade {self.grade:.1f} (Flesch-Kincaid), {self.words} words in {self.sentences} sentences; "
                f"{long} over {LONG_SENTENCE_WORDS} words")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def readability(blocks: Sequence[Block]) -> Readability:
    import textstat

    prose = [b for b in blocks if b.kind in ("paragraph", "item")]
    found: list[LongSentence] = []
    count = 0
    for block in prose:
        for sentence in sentences(block.text):
            count += 1
            n = len(sentence.split())
            if n > LONG_SENTENCE_WORDS:
                found.append(LongSentence(block.line, n, sentence))
    text = "\n".join(b.text if b.text.rstrip().endswith((".", "!", "?", ":")) else b.text + "." for b in prose)
    grade = round(float(textstat.flesch_kincaid_grade(text)), 1) if text.strip() else 0.0
    return Readability(grade, int(textstat.lexicon_count(text)) if text.strip() else 0, count, tuple(found))
