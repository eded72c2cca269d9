"""Building an analyzer is cheap after the first: the lexicon and rules are compiled once per process,
and combining the shared cue matcher with a brand's names copies it instead of re-indexing it."""

from __future__ import annotations

from peyvand.domain.brand import BrandProfile
from peyvand.domain.items import Author
from peyvand.text.enrich import TextAnalyzer
from peyvand.text.lexicon import load_lexicon
from peyvand.text.matcher import PhraseMatcher, _index, brand_phrases
from peyvand.text.rules import default_text_rules


def test_combining_matchers_gives_the_index_of_all_their_phrases(brand: BrandProfile) -> None:
    cues, names = default_text_rules().cues, PhraseMatcher(brand_phrases(brand), flexible=True)
    combined = PhraseMatcher.combine(cues, names)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for matcher in (cues, names):
        for tokens, keys in matcher._phrases.items():
            old = phrases.get(tokens)
            phrases[tokens] = keys if old is None else tuple(dict.fromkeys(old + keys))
    assert combined._phrases == phrases
    assert (combined._lengths, combined._seconds) == _index(phrases)
    assert len(cues._phrases) == len(default_text_rules().cues._phrases)  # the shared matcher is untouched


def test_analyzers_share_the_compiled_lexicon_and_rules(brand: BrandProfile) -> None:
    first, second = TextAnalyzer(brand), TextAnalyzer(brand)
    assert first._lexicon is second._lexicon is load_lexicon()
    assert first._rules is second._rules is default_text_rules()
    text, author = "@niloofartea چای سبزتون عالیه ولی خیلی گرونه", Author(handle="sara")
    one = first.enrich(text, author=author, source="instagram", kind="comment")
    assert one == second.enrich(text, author=author, source="instagram", kind="comment")
    assert one.products == ("green-tea",) and one.addressed_to_brand
