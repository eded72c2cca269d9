"""The built-in sentiment scorer: lexicon and rules, Persian and English in one pass, no training.

For each token: its valence from the lexicon (phrases first, longest match), raised or lowered by an
intensifier just before it, flipped by a negator (after it in Persian: «خوب نبود»; before it in English:
"not good"), weighted by its side of a contrast word in the sentence («ولی», "but"), and turned negative
when it is a thanks word used sarcastically («مرسی از این همه تاخیر») or applause after a complaint in
its clause («سه هفته‌ست منتظرم 👏👏»), and counting nothing when it is
courtesy in a message that asks («کافئین داره؟ ممنون») or a good word in a question. The valences add
up to a raw total, which is squashed into [-1, 1] as VADER does: score = total / sqrt(total² + 15).
The formulas are in docs/formulas-text.md.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from peyvand.text.lexicon import Entry, Lexicon

ALPHA = 15.0
NEUTRAL_BAND = 0.05
EXCLAMATION_STEP = 0.292
EXCLAMATION_CAP = 4
SENTENCE_ENDS = frozenset({".", "!", "?", "؟", ";", "؛", "…"})
QUESTION_MARKS = frozenset({"?", "؟"})
# A word after a thanks at most this negative makes the thanks sarcastic (with a cue): a strong word, or a
# negated verb that negates nothing («هنوز کد رهگیری ندادین», the unconsumed valence −0.4).
SARCASM_NEGATIVE = -0.3
CLAUSE_ENDS = SENTENCE_ENDS | {",", "،", ":", "-", "(", ")", "/", "|"}
# Words that end the reach of a negator or intensifier (a subordinate clause starts): «انقدر خشک بود که
# نمیشد خورد» must not read as «not dry».
SCOPE_WORDS = frozenset({"که", "چون", "چونکه", "اگه", "اگر", "وقتی", "because", "if", "when", "و", "and"})
BOUNDARIES = CLAUSE_ENDS | SCOPE_WORDS
_SKIP = Entry()  # a token inside a phrase matched at an earlier position


class Scored:
    """The built-in scorer's result, with what attribute polarity needs (per-token valence, clauses)."""

    __slots__ = ("label", "score", "total", "hits", "valences", "tokens", "contrasts", "_clauses")

    def __init__(
        self,
        label: str,
        score: float,
        total: float,
        hits: int,
        valences: Sequence[float],
        tokens: Sequence[str],
        contrasts: Collection[int] = (),
    ) -> None:
        self.label, self.score, self.total, self.hits = label, score, total, hits
        self.valences, self.tokens, self.contrasts = valences, tokens, contrasts
        self._clauses: tuple[int, ...] | None = None

    @property
    def clauses(self) -> tuple[int, ...]:
        """Clause number of each token: punctuation ends a clause, a contrast word starts one."""
        if self._clauses is None:
            out, clause = [], 0
            for i, token in enumerate(self.tokens):
                clause += i in self.contrasts
                out.append(clause)
                clause += token in CLAUSE_ENDS
            self._clauses = tuple(out)
        return self._clauses

    def clause_total(self, clause: int) -> float:
        return sum(v for v, c in zip(self.valences, self.clauses, strict=True) if c == clause)


def label_of(score: float, band: float = NEUTRAL_BAND) -> str:
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def squash(total: float) -> float:
    return total / math.sqrt(total * total + ALPHA)


def resolve(tokens: list[str], lexicon: Lexicon, masked: Collection[int] = ()) -> list[Entry | None]:
    """The lexicon entry of each token; a phrase's entry sits on its first token (longest phrase first,
    no overlaps, none across a masked name)."""
    seconds = lexicon.phrase_seconds
    entries: list[Entry | None] = list(map(lexicon.forms.get, tokens))
    for i in masked:
        entries[i] = None
    if not lexicon.units.isdisjoint(tokens):
        for i, token in enumerate(tokens):
            if token in lexicon.units and i and tokens[i - 1][0].isdigit():
                entries[i] = None
    if seconds.keys().isdisjoint(tokens):
        return entries
    starts = [i for i, t in enumerate(tokens[:-1]) if t in seconds and tokens[i + 1] in seconds[t]]
    free = 0
    for i in starts:
        if i < free:
            continue
        phrase = lexicon.phrase_at(tokens, i)
        if phrase is None or any(j in masked for j in range(i, i + phrase[0])):
            continue
        length, entries[i] = phrase
        entries[i + 1 : i + length] = [_SKIP] * (length - 1)
        free = i + length
    return entries


class _Text:
    """One message being scored: tokens, entries and the valences the rules change."""

    def __init__(self, tokens: list[str], entries: list[Entry | None], lexicon: Lexicon) -> None:
        self.tokens, self.entries, self.lexicon = tokens, entries, lexicon
        self.values = [0.0] * len(tokens)
        self.negated: set[int] = set()
        self.rule_at: list[int] = []
        self.hits = 0
        self._stops: list[bool] | None = None
        for i, entry in enumerate(entries):
            if entry is not None:
                self.values[i] = entry.valence
                self.hits += entry.bears_sentiment
                if entry.is_rule:
                    self.rule_at.append(i)

    def stops(self) -> list[bool]:
        """Where the reach of a negator or intensifier ends: punctuation, conjunctions, contrast words."""
        if self._stops is None:
            self._stops = [t in BOUNDARIES for t in self.tokens]
            for i in self.rule_at:
                entry = self.entries[i]
                if entry is not None and entry.contrast is not None:
                    self._stops[i] = True
        return self._stops

    def reach(self, start: int, step: int, width: int, skip: Collection[str] = ()) -> list[int]:
        """Positions from `start` in direction `step`, at most `width` of them, stopping at a clause
        boundary; tokens in `skip` are passed over without counting."""
        stops, i = self.stops(), start
        out: list[int] = []
        while len(out) < width and 0 <= i < len(stops) and not stops[i]:
            if self.tokens[i] not in skip:
                out.append(i)
            i += step
        return out

    def sentence_of(self, i: int) -> range:
        start = i
        while start > 0 and self.tokens[start - 1] not in SENTENCE_ENDS:
            start -= 1
        end = i
        while end < len(self.tokens) and self.tokens[end] not in SENTENCE_ENDS:
            end += 1
        return range(start, end)

    def in_question(self, i: int) -> bool:
        """Whether token i's sentence ends with a question mark: a negated verb there asks politely
        («استخدام ندارید؟», "don't you have…?") rather than reports something missing."""
        end = self.sentence_of(i).stop
        return end < len(self.tokens) and self.tokens[end] in QUESTION_MARKS

    def sentiment_word(self, i: int) -> bool:
        entry = self.entries[i]
        return entry is not None and entry.bears_sentiment and not entry.post_negator


def _intensify(text: _Text, i: int, boost: float) -> None:
    for distance, j in enumerate(text.reach(i + 1, 1, 2)):
        if text.sentiment_word(j):
            step = boost * (1.0 if distance == 0 else 0.95)  # a diminisher's boost is negative
            if text.values[j]:
                text.values[j] += step if text.values[j] > 0 else -step
            text.values[i] = 0.0
            return


def _negate(text: _Text, j: int, entry: Entry) -> None:
    if entry.post_negator:
        span = text.reach(j - 1, -1, text.lexicon.post_window, skip=text.lexicon.transparent)
    else:
        span = text.reach(j + 1, 1, text.lexicon.pre_window)
    for i in span:
        target = text.entries[i]
        if i in text.negated or target is None or target.fixed or not text.sentiment_word(i):
            continue
        text.values[i] = (
            target.negated if target.negated is not None else text.values[i] * text.lexicon.negation_scalar
        )
        text.negated.add(i)
        text.values[j] = 0.0
        return
    if entry.post_negator and text.values[j] == 0.0 and not text.in_question(j):
        text.values[j] = text.lexicon.unconsumed_valence


def _sarcasm(text: _Text, i: int) -> None:
    """A thanks word turns negative when its sentence and the next one («مرسی از پیگیریتون. هنوز هیچ
    خبری نیست») hold a sarcasm cue and, after the thanks, a negative word."""
    sentence, tokens = text.sentence_of(i), text.tokens
    following = sentence.stop
    while following < len(tokens) and tokens[following] in SENTENCE_ENDS:
        following += 1
    end = text.sentence_of(following).stop if following < len(tokens) else sentence.stop
    window = range(sentence.start, end)
    cued = any((e := text.entries[k]) is not None and e.cue for k in window)
    if cued and text.values[i] > 0 and any(text.values[k] < SARCASM_NEGATIVE for k in window if k > i):
        text.values[i] = -text.values[i]


def _applause(text: _Text, i: int) -> None:
    """Applause after a complaint is sarcastic («سه هفته‌ست منتظرم 👏👏»): when the valences of its clause
    before it (back to a punctuation mark or a contrast word) add up to less than −0.3. «مرسی از پیگیریتون
    👏» and "the box was damaged but the tea is perfect 👏" stay praise."""
    total = 0.0
    for k in range(i - 1, -1, -1):
        entry = text.entries[k]
        if text.tokens[k] in CLAUSE_ENDS or (entry is not None and entry.contrast is not None):
            break
        total += text.values[k]
    if text.values[i] > 0 and total < SARCASM_NEGATIVE:
        text.values[i] = -text.values[i]


def _contrast(text: _Text, contrasts: list[int]) -> None:
    """Within a sentence, the first contrast word weights the valences before and after it."""
    done: set[int] = set()
    for c in contrasts:
        sentence = text.sentence_of(c)
        entry = text.entries[c]
        if sentence.start in done or entry is None or entry.contrast is None:
            continue
        done.add(sentence.start)
        before, after = entry.contrast
        for i in sentence:
            if text.values[i]:
                text.values[i] *= before if i < c else after


def _courtesy(text: _Text, polite: list[int], asks: bool) -> None:
    """Courtesy in a message that asks («چای سبز کافئین داره؟ ممنون», "Please let me know … Thanks!",
    «ممنون میشم راهنمایی کنید») is politeness, not praise: it counts nothing."""
    if asks or not QUESTION_MARKS.isdisjoint(text.tokens):
        for i in polite:
            text.values[i] = min(text.values[i], 0.0)  # a thanks turned sarcastic stays negative


def _indirect_questions(text: _Text, whether: list[int]) -> None:
    """An indirect question («بگید برای پوست خشک مناسبه یا نه», "let me know if it is fine for kids")
    asserts no more than a question does: positive valences in its sentence count nothing."""
    for i in whether:
        for k in text.sentence_of(i):
            if text.values[k] > 0:
                text.values[k] = 0.0


def _apply_rules(text: _Text, rule_at: list[int]) -> list[int]:
    contrasts, thanks, applause, polite, whether, asks = [], [], [], [], [], False
    for i in rule_at:
        entry = text.entries[i]
        assert entry is not None
        if entry.boost:
            _intensify(text, i, entry.boost)
        if entry.contrast is not None:
            contrasts.append(i)
        thanks += [i] if entry.thanks else []
        applause += [i] if entry.applause else []
        polite += [i] if entry.polite else []
        whether += [i] if entry.whether else []
        asks = asks or entry.request
    for i in rule_at:
        entry = text.entries[i]
        if entry is not None and (entry.post_negator or entry.pre_negator):
            _negate(text, i, entry)
    for i in thanks:
        _sarcasm(text, i)
    for i in applause:
        _applause(text, i)
    if polite:
        _courtesy(text, polite, asks)
    if whether:
        _indirect_questions(text, whether)
    _contrast(text, contrasts)
    return contrasts


def _questions(text: _Text) -> None:
    """A question does not assert the good it asks about («برای دیابتی‌ها مناسبه؟», "is it good?", «کد
    تخفیف دارین؟»): in a sentence that ends with a question mark, positive valences count nothing.
    Negative ones stay («چرا انقدر گرونه؟» complains)."""
    end = len(text.tokens)
    while end > 0:
        stop = end - 1
        if text.tokens[stop] in QUESTION_MARKS:
            start = stop
            while start > 0 and text.tokens[start - 1] not in SENTENCE_ENDS:
                start -= 1
            for i in range(start, stop):
                if text.values[i] > 0:
                    text.values[i] = 0.0
            end = start
        else:
            end = stop


def score_tokens(tokens: list[str], lexicon: Lexicon, masked: Collection[int] = ()) -> Scored:
    entries = resolve(tokens, lexicon, masked)
    text = _Text(tokens, entries, lexicon)
    contrasts = _apply_rules(text, text.rule_at) if text.rule_at else []
    if not QUESTION_MARKS.isdisjoint(tokens):
        _questions(text)
    total = sum(text.values)
    if total and "!" in tokens:
        total += math.copysign(min(tokens.count("!"), EXCLAMATION_CAP) * EXCLAMATION_STEP, total)
    score = squash(total)
    return Scored(label_of(score), score, total, text.hits, text.values, tokens, contrasts)
