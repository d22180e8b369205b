"""How citizens describe a need → the FAQ's words for it (`faq_data/needs.yaml`, kept by staff).

"家里老楼没电梯爬楼累" names no FAQ topic, yet means 加装电梯. Each need in needs.yaml lists
the FAQ words (`terms`) and the cue lines (`when`) that recognise it: every line must match
(AND), any cue of a line matches it (OR). The matcher adds the terms of every recognised need
to the question, so that the question meets the FAQ's own words.

    needs, problems = load_needs(Path("faq_data/needs.yaml"))   # from bot.content.needs
    warnings = check_needs(needs, faq_words(entries, normalizer), normalize=normalizer)
    matcher = NeedMatcher(needs, normalize=normalizer)
    matcher.terms_for(normalizer("家里老楼没电梯爬楼累"))   # → ["加装电梯"]

Messages are in Chinese for the staff and name the file and line, like the FAQ loader's.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.language.lexicon import FILLERS
from bot.language.textcache import MB, TextCache
from bot.language.textnorm import normalize as basic_normalize
from bot.language.textnorm import strip_particles

MIN_CUE_CHARS = 2


@dataclass(frozen=True)
class Need:
    terms: tuple[str, ...]
    when: tuple[tuple[str, ...], ...]
    line: int                                # line in needs.yaml, for messages
    # Line of each `when` row (same order as `when`); empty when built by hand.
    when_lines: tuple[int, ...] = field(default=(), compare=False)

    def line_of_row(self, index: int) -> int:
        return self.when_lines[index] if index < len(self.when_lines) else self.line


def _where(file: str, line: int | None) -> str:
    return f"{file} 第{line}行" if line else file


# ---------------------------------------------------------------- checking

def faq_words(entries: Iterable, normalize: Callable[[str], str] | None = None) -> set[str]:
    """The FAQ's own words for check_needs: every entry's question, alternates and keywords,
    normalised as the matcher sees them."""
    norm = normalize or basic_normalize
    words: set[str] = set()
    for entry in entries:
        for text in (entry.question, *entry.alternates, *entry.keywords):
            if (text := norm(text)):
                words.add(text)
    return words


def check_needs(needs: list[Need], faq_words: set[str], normalize: Callable[[str], str] | None = None,
                file: str = "needs.yaml") -> list[str]:
    """Chinese warnings: a term that no FAQ entry uses (with its line), a cue shorter than 2
    characters, a need with no `when`. A term is used when it is one of `faq_words` or part of
    one of them (pass whole questions and keywords, as faq_words() makes them)."""
    norm = normalize or basic_normalize
    haystack = "\n".join(sorted(faq_words))
    warnings: list[str] = []
    for need in needs:
        where = _where(file, need.line)
        for term in need.terms:
            form = norm(term)
            if not form or (form not in faq_words and form not in haystack):
                warnings.append(f"{where}：terms 里的“{term}”在FAQ的问题、其他问法和关键词里都没有出现，"
                                f"加到问题里也匹配不到条目；请改用FAQ里的说法")
        if not need.when:
            warnings.append(f"{where}：这条需求没有 when（提示词），永远不会生效")
        for index, row in enumerate(need.when):
            row_where = _where(file, need.line_of_row(index))
            for cue in row:
                form = basic_normalize(cue)
                if len(form) < MIN_CUE_CHARS:
                    warnings.append(f"{row_where}：提示词“{cue}”不到{MIN_CUE_CHARS}个字，"
                                    f"太短，很多无关的问题都会含有它；请写成2个字以上的词")
                    continue
                filler = next((f for f in FILLERS if f in form), None)
                if filler:
                    warnings.append(f"{row_where}：提示词“{cue}”含有口头语“{filler}”，问题里的口头语会先被去掉，"
                                    f"这个提示词就对不上了；请去掉“{filler}”")
                elif strip_particles(form) != form:
                    warnings.append(f"{row_where}：提示词“{cue}”以语气词结尾，问题句末的语气词（吗、呢、啵…）"
                                    f"会先被去掉，这个提示词在句末就对不上了；请去掉结尾的语气词")
    return warnings


# ---------------------------------------------------------------- matching

class NeedMatcher:
    """All cues of all needs in one character trie: a message is scanned once, each position
    walking the trie as far as it goes, so every cue found — overlapping ones included — marks
    the `when` rows it belongs to (one bit per row); a need is recognised when all its bits are set.

    Cues and terms are compared in normalised form (textnorm.normalize, then `normalize`, the
    bot's Normalizer with synonyms, when given); a cue is also kept as written after the basic
    normalisation, so both "冇电梯" and its synonym form "没有电梯" are found."""

    def __init__(self, needs: list[Need], normalize: Callable[[str], str] | None = None):
        self.needs = list(needs)
        self._normalize = normalize
        self._trie: dict = {}
        self._rules: list[tuple[int, tuple[tuple[str, ...], ...]]] = []  # (mask of all rows, terms forms)
        self._found = TextCache(1 * MB)  # terms_for by text: the same questions come again
        bit = 0
        for need in self.needs:
            if not need.when:
                continue
            mask = 0
            for row in need.when:
                row_bit = 1 << bit
                bit += 1
                mask |= row_bit
                for cue in row:
                    for form in self._forms(cue, normalize):
                        self._add(form, row_bit)
            terms = []
            for term in need.terms:
                forms = self._forms(term, normalize)
                if forms:
                    terms.append(tuple(forms))  # first form is the one given out
            self._rules.append((mask, tuple(terms)))

    @staticmethod
    def _forms(word: str, normalize) -> list[str]:
        base = basic_normalize(word)
        full = normalize(word) if normalize else ""
        forms = [full] if full else []
        if base and base not in forms:
            forms.append(base)
        return forms

    def _add(self, cue: str, row_bit: int) -> None:
        node = self._trie
        for char in cue:
            node = node.setdefault(char, {})
        node[""] = node.get("", 0) | row_bit  # "" is never a character of the text

    def rows_found(self, text: str) -> int:
        """Bit mask of the `when` rows with a cue in `text`."""
        trie = self._trie
        found = 0
        n = len(text)
        for i in range(n):
            node = trie.get(text[i])
            j = i + 1
            while node is not None:
                bits = node.get("")
                if bits:
                    found |= bits
                if j == n:
                    break
                node = node.get(text[j])
                j += 1
        return found

    def terms_for(self, text: str) -> list[str]:
        """FAQ terms of every need whose `when` lines all match the (normalised) text, in order,
        deduplicated, leaving out terms the text already contains (a new list each time)."""
        return list(self._found.remembered(text, lambda: tuple(self._terms_for(text))))

    def _terms_for(self, text: str) -> list[str]:
        found = self.rows_found(text)
        if not found:
            return []
        out: list[str] = []
        for mask, terms in self._rules:
            if found & mask == mask:
                for forms in terms:
                    if forms[0] not in out and not any(form in text for form in forms):
                        out.append(forms[0])
        return out

    def explain(self, text: str) -> list[tuple[Need, list[list[str]]]]:
        """For staff tools: each recognised need, with the cues of each `when` row found in the
        (normalised) text."""
        result = []
        for need in self.needs:
            if not need.when:
                continue
            hits = [[cue for cue in row if any(form in text for form in self._forms(cue, self._normalize))]
                    for row in need.when]
            if all(hits):
                result.append((need, hits))
        return result
