"""Sentence splitting and small text utilities for scientific abstracts.

Summaries and syntheses quote abstracts verbatim, so every sentence this
module returns is an exact substring of the input: :func:`sentence_spans`
gives the ``(start, end)`` offsets and :func:`split_sentences` the text at
those offsets.  The splitter is rule based (no model) and knows what trips
naive splitters in abstracts: abbreviations (``e.g.``, ``et al.``, ``Fig.``,
``vs.``), decimals and version numbers (``0.67``, ``Llama-3.1``), bracketed
asides and citations, structured-abstract section labels (``BACKGROUND:``,
``Methods:``, which are stripped and never returned as sentences), bullets,
the ``".; "`` section joints of some PubMed exports, the ``" ::: "`` joints of
S2ORC, the ``"(c) 2020 Elsevier Ltd."`` line of Scopus, sentences ending inside
their bracket (``"... systems.) We"``), and acronyms that look like
abbreviations (``"in the ED. Of 108 patients"``).

Examples
--------
>>> split_sentences("BACKGROUND: Drug X (approx. 5 mg) was used, e.g. in Fig. 2. "
...                 "Results: Accuracy rose to 0.67 vs. 0.52 (Smith et al. 2020).")
['Drug X (approx. 5 mg) was used, e.g. in Fig. 2.', 'Accuracy rose to 0.67 vs. 0.52 (Smith et al. 2020).']
>>> is_informative("© 2020 Elsevier Inc. All rights reserved.")
False
"""

from __future__ import annotations

import re
from typing import Any

# the word lists moved to .wordlists; re-exported here for existing imports
from .wordlists import ACADEMIC_STOP_WORDS, COUNTED_WORD, STOP_WORDS, word_count, words
from .informativeness import informative_facts, is_informative  # noqa: F401  (their old home)

__all__ = ["sentence_spans", "split_sentences", "is_informative", "informative_facts", "words", "word_count",
           "STOP_WORDS", "ACADEMIC_STOP_WORDS"]

# ------------------------------------------------------------------ vocabulary

#: Abbreviations after which a period never ends a sentence (lower case, with the period).
#: They match in lower or title case; an all-capitals token ("ED", "SR") is an acronym.
ABBREVIATIONS = frozenset("""
e.g. i.e. eg. ie. al. fig. figs. vs. v.s. v. eq. eqs. approx. appr. cf. ref. refs. ca. resp. incl.
viz. dr. prof. mr. mrs. ms. st. sect. sec. secs. ch. tab. tabs. inc. ltd. jr. sr. corp. dept. univ.
est. sp. spp. subsp. ssp. var. cv. n.b. nb. a.k.a. aka. ph.d. m.d. ed. eds. suppl. supp. et. etal.
approx resp. c.f. w.r.t. wrt. cit. op. ibid. mt. ft. gen. sens. sensu. lat. mol. exp. expt.
""".split())

#: Abbreviations that do not end a sentence when a number follows ("No. 5", "p. 12").
NUMERIC_ABBREVIATIONS = frozenset("no. nos. p. pp. vol. vols. art. para. n. nr. fn. ser. jan. feb. mar. apr. "
                                  "jun. jul. aug. sep. sept. oct. nov. dec.".split())

#: Words that make up structured-abstract section labels ("Materials and methods:").
_LABEL_WORDS = frozenset("""
background backgrounds introduction objective objectives aim aims purpose purposes context rationale
importance hypothesis hypotheses methods method methodology methodologies design designs setting
settings participants patients subjects subject population materials material interventions
intervention measurements measures measure main outcome outcomes primary secondary results result
findings finding conclusion conclusions discussion interpretation significance limitations summary
abstract evidence acquisition synthesis data sources source study studies selection extraction
eligibility criteria case cases presentation report description trial registration funding
keywords keyword key words points highlights motivation availability implementation contact
supplementary information problem problems approach implications clinical relevance level
experimental procedure procedures principal analysis analyses statistical review search strategy
novelty scope goal goals question questions research observations observation site sites location
overview contribution contributions application applications translational perspective
perspectives recommendations recommendation main outcomes what is known already this adds new
why does it matter and of the or & / to
""".split())
_LABEL_CONNECTORS = frozenset({"and", "of", "the", "or", "&", "/", "to", "what", "is", "this",
                               "does", "it", "why"})
#: Labels kept in the sentence, so :func:`is_informative` can recognise the line as boilerplate.
_KEEP_LABELS = frozenset({"keywords", "keyword", "key words", "trial registration", "funding",
                          "contact", "supplementary information", "registration"})

_BULLET = r"(?:[-\u2022*\u00b7\u25aa\u25e6\u2023\u2013\u2014\u25cf\u25a0>]|\(?\d{1,2}[.)]|\(?[a-z][)])"
_BULLET_AT_LINE = re.compile(r"\n[ \t]*" + _BULLET + r"[ \t]+(?=\S)")
_BULLET_HERE = re.compile(_BULLET + r"[ \t]+(?=\S)")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# terminal punctuation, closing quotes/brackets, an optional ';' (".; " section joints), whitespace
_TERMINAL = re.compile(r"(?:[.!?\u2026]+)[\"'\u201d\u2019)\]]*;?(?=\s)")
# a period glued to the next sentence ("results.Conclusions") after a lower-case word
_GLUED = re.compile(r"(?<=[a-z]{3})\.(?=[A-Z][a-z]{2,})")
_LABEL = re.compile(rf"(?P<label>{COUNTED_WORD.pattern}(?:[ \t]+(?:{COUNTED_WORD.pattern}|&|/)){{0,5}})"
                    r"[ \t]*[:\uff1a](?=\s|$)\s*")
# a label alone on its line, without a colon ("Background\n")
_LINE_LABEL = re.compile(r"(?P<label>[A-Z][A-Za-z]*(?:[ \t]+[A-Za-z&/]+){0,4})[ \t]*:?[ \t]*\n\s*")
_CAPS_LABEL = re.compile(r"(?<=\s)(?P<label>[A-Z][A-Z'-]{2,}(?:[ \t]+(?:[A-Z][A-Z'-]*|&|/)){0,4})"
                         r"[ \t]*:(?=\s)\s*")
_ENUMERATOR = re.compile(r"\(?\d{1,2}[.)]")
_ENUMERATOR_HERE = re.compile(r"\(?\d{1,2}[.)][ \t]+(?=[A-Z])")
_ALNUM = re.compile(r"[^\W_]")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_CAMEL_START = re.compile(r"[a-z]{1,3}[A-Z]")
_INITIAL = re.compile(r"^[A-Z]\.$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_OPENERS = "\"'\u201c\u2018([{"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_MAX_ASIDE = 400  # longest bracketed aside that protects its periods


# ------------------------------------------------------------------ splitting

_BRACKET_OR_PARAGRAPH = re.compile(r"[()\[\]{}]|\n[ \t]*\n|:::")
# S2ORC joins paragraphs with " ::: " (runs of them where headings were dropped)
_JOINT = re.compile(r":{3,}(?:\s*:{3,})*\s*")  # no leading \s*: that would rescan runs of spaces
# characters that may open a sentence besides capitals and digits ("\u00a9 2020 Elsevier Ltd.")
_STARTERS = _OPENERS + "\u2022-*\u00a9"


def _protected(text: str) -> bytearray:
    """Mark positions inside matched, short brackets: no sentence ends there."""
    mask = bytearray(len(text))
    stack: list[tuple[str, int]] = []
    for m in _BRACKET_OR_PARAGRAPH.finditer(text):
        ch, i = m.group(), m.start()
        if ch in "([{":
            stack.append((ch, i))
        elif ch in _PAIRS:
            # pop to the matching opener; unmatched closers are ignored
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == _PAIRS[ch]:
                    start = stack[depth][1]
                    del stack[depth:]
                    if i - start <= _MAX_ASIDE:
                        mask[start + 1:i] = b"\x01" * (i - start - 1)
                    break
        else:
            stack.clear()  # brackets never span paragraphs or ::: joints
    return mask


def _label_words(label: str) -> list[str]:
    return label.replace("/", " / ").replace("&", " & ").lower().split()


def _is_label(label: str, *, strict: bool) -> bool:
    """Whether ``label`` (text before a colon) is a section label.

    ``strict`` (a label in the middle of running text) needs upper case and known words; at the
    start of a sentence known words in any case, or any upper-case word of 3+ letters, will do.
    """
    words = _label_words(label)
    if not words or len(words) > 6 or words[0] in _LABEL_CONNECTORS - {"what", "why", "this"}:
        return False
    known = all(w in _LABEL_WORDS for w in words)
    upper = label.upper() == label and sum(c.isalpha() for c in label) >= 3
    if strict:
        return known and upper
    return known or upper


def _ends_sentence(text: str, start: int, dot: int, after: int, mask: bytearray) -> bool:
    """Whether the terminal punctuation at ``dot`` ends a sentence starting at ``start``.

    ``after`` is the position of the next non-space character.
    """
    if after >= len(text):
        return not mask[dot]
    if mask[dot] and not _ends_aside(text, start, dot):
        return False
    nxt = text[after]
    if text[dot] in "!?\u2026":
        return nxt.isupper() or nxt.isdigit() or nxt in _STARTERS or bool(_CAMEL_START.match(text, after))
    if _ENUMERATOR.fullmatch(text[start:dot + 1].strip()):
        return False  # "1. In order to ..." is an inline list item, not a sentence "1."
    token_m = _TOKEN_BEFORE.search(text, max(start, dot - 40), dot + 1)
    token = token_m.group(1).lstrip(_OPENERS) if token_m else ""
    # "ED." or "SR." in mixed-case text is an acronym ending the sentence, not "ed." or "sr."
    # (mixed case judged on a bounded window, so a long run of capitals stays linear)
    acronym = token[:-1].isupper() and len(token) > 2 and \
        any(c.islower() for c in text[max(start, dot - 200):dot])
    low = "" if acronym else token.lower()
    if low in ABBREVIATIONS or _DOTTED.match(token):
        return False
    if low in NUMERIC_ABBREVIATIONS and (nxt.isdigit() or nxt in "(["):
        return False
    if _INITIAL.match(token):
        # "J. R. Smith": a chain of initials is a name, not a sentence end
        prev_m = _TOKEN_BEFORE.search(text[start:token_m.start()].rstrip())
        if _INITIAL.match(text[after:after + 2]) or (prev_m and _INITIAL.match(prev_m.group(1))):
            return False
    if nxt.isupper() or nxt.isdigit() or nxt in _STARTERS:
        return True
    # a sentence may start with a lower-case gene/unit-style token: "mRNA levels ...", "iPSCs were ..."
    return bool(_CAMEL_START.match(text, after))


def _ends_aside(text: str, start: int, dot: int) -> bool:
    """Whether the period at ``dot`` ends a clause in brackets that closes right after it.

    "(... in large software systems.) We" ends a sentence; "(Hartm.) Holmb." or "(Ed.)" do not:
    the aside must hold a few words.
    """
    close = text[dot + 1:dot + 2]
    if close not in (")", "]"):
        return False
    opener = text.rfind(_PAIRS[close], max(start, dot - _MAX_ASIDE), dot)
    return opener >= 0 and len(text[opener + 1:dot].split()) >= 3


def _boundaries(text: str) -> list[tuple[int, int]]:
    """``(end_of_previous, start_of_next)`` pairs, sorted, non-overlapping."""
    mask = _protected(text)
    cuts: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(text):
        cuts.append((m.start(), m.end()))
    for m in _JOINT.finditer(text):
        # a joint after a sentence or before a capital splits; "tumor growth ::: resumed" is a line break
        i = m.start() - 1
        while i > 0 and text[i].isspace():
            i -= 1
        before, nxt = text[i:i + 1] if i >= 0 else "", text[m.end():m.end() + 1]
        if before in ".!?\u2026)]\"'\u201d\u2019;" or nxt.isupper() or nxt in _OPENERS + "\u00a9":
            cuts.append((m.start(), m.end()))
    for m in _BULLET_AT_LINE.finditer(text):
        cuts.append((m.start(), m.start() + 1))  # keep the marker: cleanup strips it
    for m in _CAPS_LABEL.finditer(text):
        if not mask[m.start()] and _is_label(m.group("label"), strict=True):
            cuts.append((m.start(), m.start()))
    for m in _GLUED.finditer(text):
        if not mask[m.start()]:
            cuts.append((m.end(), m.end()))
    cuts.sort()
    # terminal punctuation needs the start of its sentence (for the token before it),
    # so walk the text in order, merging with the structural cuts found above.
    out: list[tuple[int, int]] = []
    sent_start = 0
    ci = 0
    for m in _TERMINAL.finditer(text):
        while ci < len(cuts) and cuts[ci][0] <= m.start():
            if cuts[ci][0] >= sent_start:
                out.append(cuts[ci])
                sent_start = cuts[ci][1]
            ci += 1
        if m.start() < sent_start:
            continue
        after = m.end()
        while after < len(text) and text[after].isspace():
            after += 1
        dot = m.start()
        while dot + 1 < m.end() and text[dot + 1] in ".!?\u2026":
            dot += 1
        if _ends_sentence(text, sent_start, dot, after, mask):
            out.append((m.end(), after))
            sent_start = after
    for cut in cuts[ci:]:
        if cut[0] >= sent_start:
            out.append(cut)
            sent_start = cut[1]
    return out


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a raw segment to its sentence: no leading label/bullet/space, no trailing ';'."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        back = start - 1
        while back >= 0 and text[back] in " \t":
            back -= 1
        at_line_start = back < 0 or text[back] == "\n"
        m = _BULLET_HERE.match(text, start, end) if at_line_start else _ENUMERATOR_HERE.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
            continue
        m = _LINE_LABEL.match(text, start, end)
        if m and all(w in _LABEL_WORDS for w in _label_words(m.group("label"))) and m.end() < end:
            start = m.end()
            continue
        m = _LABEL.match(text, start, end)
        if m and _is_label(m.group("label"), strict=False) and \
                " ".join(_label_words(m.group("label"))) not in _KEEP_LABELS:
            start = m.end()
            continue
        break
    while end > start and (text[end - 1].isspace() or text[end - 1] in ";,"):
        end -= 1
    if not _ALNUM.search(text, start, end):
        return None
    label = text[start:end].rstrip(".:")
    if len(label) < 60 and label[:1].isupper() and all(w in _LABEL_WORDS for w in _label_words(label)):
        return None  # a section label standing alone ("METHODS.")
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of the sentences of ``text``.

    ``text[start:end]`` is the sentence exactly as written, without a leading section label
    ("Methods:") or bullet and without surrounding whitespace.

    Parameters
    ----------
    text : str
        An abstract or any prose; ``None`` or NaN count as empty.

    Returns
    -------
    list of tuple of int

    Examples
    --------
    >>> text = "Methods: We used v2.1 of the tool. It works."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['We used v2.1 of the tool.', 'It works.']
    >>> sentence_spans("")
    []
    """
    if not isinstance(text, str) or not text.strip():
        return []
    spans: list[tuple[int, int]] = []
    start = 0
    for end_prev, start_next in _boundaries(text) + [(len(text), len(text))]:
        if end_prev > start:
            span = _clean(text, start, end_prev)
            if span:
                spans.append(span)
        start = max(start, start_next)
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each an exact substring of it.

    See :func:`sentence_spans` for the offsets.

    Examples
    --------
    >>> split_sentences("Prior work (Lee et al., 2019) used CNNs. We use i.e. transformers! Why?")
    ['Prior work (Lee et al., 2019) used CNNs.', 'We use i.e. transformers!', 'Why?']
    >>> split_sentences("OBJECTIVE: To test X.; METHODS: A trial.")
    ['To test X.', 'A trial.']
    """
    if not isinstance(text, str):
        return []
    return [text[a:b] for a, b in sentence_spans(text)]
