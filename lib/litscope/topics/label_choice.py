"""Choosing one readable, unique 2-6 word label per topic from key phrases and title spans."""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from .labels import _Corpus, _WORD, _is_good_span, _title_spans, _vagueness, tidy_label, word_spread
from .vocabulary import GENERIC_WORDS, _edge_words


def _choose_labels(groups: list[dict[str, Any]], centroids: np.ndarray, embedder: Any,
                   case: dict[str, str], corpus: _Corpus | None = None,
                   spread: dict[str, float] | None = None) -> list[str]:
    """Pick a unique, readable label for each group.

    Each group has ``phrases`` (key phrases, best first), ``titles`` (central
    titles, most central first) and ``members`` (row numbers).  Candidates are
    the multi-word key phrases and 2-6 word spans of the titles; a candidate
    nearly always followed by the same word in the group's papers ("large
    language" -> "models") is completed.  Score::

        cos(own centroid) - 0.7 * max cos(other centroids)
        + 0.6 * (share of own papers containing its words - 2 * share of other papers)
        + 0.03 if it is a whole phrase - 0.01 per word beyond four
        - 0.1 if fewer than two of the group's papers (of six or more) contain its words
        - 0.3 * vagueness (words frequent across the corpus's topics, or vague words)
        + 0.3 * share of the group's children (``kid_members``, parents only) using its words

    Labels are chosen greedily, largest group first, never reusing a label or
    its set of words, nor one in the group's ``forbid`` (a parent's children labels).
    """
    if spread is None:
        spread = word_spread(corpus, [set(int(m) for m in g["members"]) for g in groups]) \
            if corpus is not None else {}
    stops = _edge_words()
    per_group: list[list[str]] = []

    def content_of(key: str) -> list[str]:
        return [w for w in key.split() if w not in stops]

    def contrast(key: str, members: set[int], rows: Any) -> float:
        if corpus is None or not members:
            return 0.0
        words = content_of(key)
        inside_n = corpus.count_in(words, rows)
        outside_n = corpus.n - len(members)
        outside = (corpus.count(words) - inside_n) / outside_n if outside_n else 0.0
        return inside_n / len(members) - 2.0 * outside

    for g in groups:
        members = set(int(m) for m in g["members"])
        g["_members"] = members
        # the corpus's own form of the member set (a row mask for WordIndex): counted often
        rows = corpus.member_rows(members) if corpus is not None else members
        cands: dict[str, tuple[str, ...]] = {}
        bonus: dict[str, float] = {}
        for phrase in g["phrases"]:
            words = tuple(_WORD.findall(phrase))
            if _is_good_span(words, stops):
                key = " ".join(w.lower() for w in words)
                cands.setdefault(key, words)
                bonus[key] = 0.03
        titled: dict[str, tuple[str, ...]] = {}
        for title in g["titles"]:
            for words, clean in _title_spans(title, stops):
                key = " ".join(w.lower() for w in words)
                titled.setdefault(key, words)
                if clean:
                    bonus[key] = max(bonus.get(key, 0.0), 0.03)
        # Only the title spans best supported by the topic's papers are embedded.
        ranked = sorted(titled, key=lambda k: (-(contrast(k, members, rows) + bonus.get(k, 0.0)), len(k), k))
        for key in ranked[:30]:
            cands.setdefault(key, titled[key])
        # Complete phrases cut short ("large language" -> "large language models").
        if corpus is not None:
            for key in sorted(cands):
                words = key.split()
                nxt = corpus.next_word(words, rows, stops)
                if nxt and len(words) < 6:
                    longer = key + " " + nxt
                    orig = cands.pop(key)
                    cands.setdefault(longer, orig + (nxt,))
                    bonus[longer] = max(bonus.get(longer, 0.0), bonus.pop(key, 0.0))
        if not cands:  # fall back on two key phrases joined
            top = [p for p in g["phrases"] if p.strip()][:2] or ["miscellaneous", "papers"]
            words = tuple(" and ".join(top).split())[:6]
            cands[" ".join(w.lower() for w in words)] = words
        per_group.append(sorted(cands))  # sorted keys: deterministic order
        g["_cands"] = cands
        g["_bonus"] = bonus
        g["_contrast"] = {k: contrast(k, members, rows) for k in cands}
        # A parent's label should name what its children share, not one child.
        kid_sets = g.get("kid_members", [])
        kid_rows = [(corpus.member_rows(ks), len(ks)) for ks in kid_sets] if corpus is not None else []
        g["_cover"] = {k: (sum(corpus.count_in(content_of(k), kr) >= 0.25 * nk for kr, nk in kid_rows)
                           / len(kid_rows)) if kid_rows else 0.0 for k in cands}
        # A phrase only one paper uses names that paper, not the topic.
        g["_rare"] = {k: float(corpus is not None and len(members) >= 6
                               and corpus.count_in(content_of(k), rows) < 2) for k in cands}

    all_keys = sorted({k for keys in per_group for k in keys})
    texts = [tidy_label(_candidate_words(groups, k), case) or k for k in all_keys]
    vecs = embedder.encode(texts) if all_keys else np.zeros((0, centroids.shape[1]), np.float32)
    sims = vecs @ centroids.T  # candidates x groups
    index = {k: i for i, k in enumerate(all_keys)}

    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]["members"]), groups[i]["key"]))
    used: set[str] = set()
    used_wordsets: set[frozenset[str]] = set()
    labels = [""] * len(groups)
    for gi in order:
        g = groups[gi]
        forbid = {frozenset(w.lower() for w in f.split()) for f in g.get("forbid", [])}
        scored = []
        for key in per_group[gi]:
            row = sims[index[key]]
            own = float(row[gi])
            other = float(np.delete(row, gi).max()) if len(groups) > 1 else 0.0
            n_words = len(key.split())
            score = (own - 0.7 * other + 0.6 * g["_contrast"][key] + g["_bonus"].get(key, 0.0)
                     - 0.01 * max(0, n_words - 4) - 0.1 * g["_rare"][key]
                     - 0.3 * _vagueness(key, spread, stops) + 0.3 * g["_cover"][key])
            scored.append((-round(score, 9), key))
        scored.sort()
        if os.environ.get("LITSCOPE_DEBUG_LABELS"):
            print("LABELS", g["key"], [(k, -sc) for sc, k in scored[:6]])
        chosen = None
        for _, key in scored:
            label = tidy_label(g["_cands"][key], case)
            words = label.split()
            if not 2 <= len(words) <= 6:
                continue
            wordset = frozenset(w.lower() for w in words)
            if label.lower() in used or wordset in used_wordsets or wordset in forbid:
                continue
            chosen = label
            break
        if chosen is None:  # every candidate taken: disambiguate deterministically
            base = tidy_label(g["_cands"][scored[0][1]], case) if scored else "Miscellaneous papers"
            extra = [p for p in g["phrases"] if p.lower() not in base.lower()]
            chosen = base
            for p in extra:
                trial = tidy_label(base.split() + p.split(), case)
                if trial.lower() not in used and len(trial.split()) <= 6:
                    chosen = trial
                    break
            suffix = 2
            while chosen.lower() in used:
                chosen = f"{base} {suffix}"  # last resort, still unique
                suffix += 1
        labels[gi] = chosen
        used.add(chosen.lower())
        used_wordsets.add(frozenset(w.lower() for w in chosen.split()))
    return labels


def _candidate_words(groups: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    """The original-case words of candidate ``key`` (first group that has it)."""
    for g in groups:
        if key in g["_cands"]:
            return g["_cands"][key]
    return tuple(key.split())


def _tidy_phrases(phrases: Sequence[str], fallback: Sequence[str], stops: frozenset[str],
                  lo: int = 5, hi: int = 10) -> list[str]:
    """Key phrases without stop words, unigrams already inside a longer phrase dropped, 5-10 of them."""
    clean: list[str] = []
    for p in list(phrases):
        words = [w for w in p.split() if w.lower() not in stops]
        if not words or len(set(w.lower() for w in words)) != len(words):
            continue
        if len(words) == 1 and words[0].lower() in GENERIC_WORDS:
            continue
        text = " ".join(words)
        if text.lower() not in (c.lower() for c in clean):
            clean.append(text)
    longer = [c.lower().split() for c in clean if " " in c]
    kept = [c for c in clean if " " in c or not any(c.lower() in ws for ws in longer)]
    for p in list(fallback) + clean:  # top up from c-TF-IDF words, then the dropped unigrams
        if len(kept) >= lo:
            break
        words = [w for w in p.split() if w.lower() not in stops]
        text = " ".join(words)
        if text and text.lower() not in (k.lower() for k in kept):
            kept.append(text)
    return kept[:hi]
