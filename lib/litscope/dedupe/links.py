"""Candidate links between records: shared identifiers, and title matches within blocks."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from .keys import _Records, _triu
from .rules import (GENERIC_TITLES, MAX_BLOCK, _GENERIC_PREFIX, _NOTICE, _NUMBER_TOKENS, _PRIORITY)

# ---------------------------------------------------------------- candidate links

def _identifier_edges(recs: _Records) -> list[tuple]:
    edges = []
    for kind, values in (("doi", recs.dois), ("arxiv_id", recs.arxiv), ("pmid", recs.pmids)):
        first: dict[str, int] = {}
        for k, v in enumerate(values):
            if not v:
                continue
            if v in first:
                edges.append((_PRIORITY[kind], -100, first[v], k, kind, 100))
            else:
                first[v] = k
    return edges


def _title_features(recs: _Records):
    tokens = [key.split() for key in recs.keys]
    generic = np.array([(not key) or key in GENERIC_TITLES
                        or (bool(_GENERIC_PREFIX.match(key)) and len(tok) < 9)
                        for key, tok in zip(recs.keys, tokens)], dtype=bool)
    short = np.array([len(tok) < 4 or len(key) < 20 for key, tok in zip(recs.keys, tokens)], dtype=bool)
    notice = np.array([bool(_NOTICE.match(key)) for key in recs.keys], dtype=bool)
    numbers = [" ".join(sorted(t for t in tok if _NUMBER_TOKENS.match(t))) for tok in tokens]
    return tokens, generic, short, notice, numbers


def _candidate_pairs(recs: _Records, tokens: list[list[str]], eligible: np.ndarray,
                     window: int) -> np.ndarray:
    """Pairs (a < b) worth scoring, from three blockings, as an (m, 2) int array."""
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return np.empty((0, 2), dtype=np.int64)
    chunks = []
    # Sorted neighbourhoods of 1. title|year|author, 2. the reversed title (typos up front),
    # 3. the title rotated to start at its middle word (typos at both ends).
    forward = sorted(idx, key=lambda k: (recs.keys[k], int(recs.years[k]), recs.first_author[k], k))
    backward = sorted(idx, key=lambda k: (recs.keys[k][::-1], int(recs.years[k]), k))

    def rotated(k: int) -> str:
        words = tokens[k]
        m = len(words) // 2
        return " ".join(words[m:] + words[:m])

    middle = sorted(idx, key=lambda k: (rotated(k), k))
    for order in (np.array(forward), np.array(backward), np.array(middle)):
        for w in range(1, min(window, len(order) - 1) + 1):
            chunks.append(np.stack([order[:-w], order[w:]], axis=1))
    # 4. records sharing one of their two rarest words (catches typos at both ends, word swaps).
    df_count: Counter[str] = Counter()
    for k in idx:
        df_count.update(set(tokens[k]))
    blocks: dict[str, list[int]] = defaultdict(list)
    for k in idx:
        # a word no other record has blocks nothing (typos make many): take the rarest shared ones
        shared = {t for t in tokens[k] if len(t) > 3 and df_count[t] > 1}
        words = sorted(shared, key=lambda t: (df_count[t], t))[:2]
        for t in words:
            blocks[t].append(int(k))
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            m = np.array(members)
            a, b = _triu(len(m))
            chunks.append(np.stack([m[a], m[b]], axis=1))
    pairs = np.concatenate(chunks) if chunks else np.empty((0, 2), dtype=np.int64)
    lo, hi = pairs.min(axis=1).astype(np.int64), pairs.max(axis=1).astype(np.int64)
    code = np.sort((lo * recs.n + hi)[lo != hi])
    if len(code):
        code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return np.stack([code // recs.n, code % recs.n], axis=1)


def _title_edges(recs: _Records, threshold: float, window: int) -> list[tuple]:
    from rapidfuzz import fuzz, process

    tokens, generic, short, notice, numbers = _title_features(recs)
    pairs = _candidate_pairs(recs, tokens, ~generic, window)
    if not len(pairs):
        return []
    a, b = pairs[:, 0], pairs[:, 1]
    ya, yb = recs.years[a], recs.years[b]
    both_years = (ya >= 0) & (yb >= 0)
    dy = np.abs(ya - yb)
    lengths = np.array([len(k) for k in recs.keys])
    la, lb = lengths[a], lengths[b]
    # fuzz.ratio can never exceed 200*min/(sum); drop pairs that cannot reach the threshold.
    best_possible = 200.0 * np.minimum(la, lb) / np.maximum(la + lb, 1)
    keep = (~(both_years & (dy > 1))) & (notice[a] == notice[b]) & (best_possible >= threshold - 2)
    nums = np.array(numbers, dtype=object)
    keep &= nums[a] == nums[b]
    for ids in (recs.dois, recs.arxiv, recs.pmids):
        arr = np.array(ids, dtype=object)
        keep &= ~((arr[a] != "") & (arr[b] != "") & (arr[a] != arr[b]))
    keep &= ~recs.biblio.vetoed(a, b)
    a, b, dy, both_years = a[keep], b[keep], dy[keep], both_years[keep]
    if not len(a):
        return []
    keys = recs.keys
    qa, qb = [keys[k] for k in a], [keys[k] for k in b]
    sim = np.maximum(process.cpdist(qa, qb, scorer=fuzz.ratio, dtype=np.float32).ravel(),
                     process.cpdist(qa, qb, scorer=fuzz.token_sort_ratio, dtype=np.float32).ravel())
    fa = [recs.first_author[k] for k in a]
    fb = [recs.first_author[k] for k in b]
    both_authors = np.array([bool(x and y) for x, y in zip(fa, fb)])
    author_sim = process.cpdist(fa, fb, scorer=fuzz.ratio, dtype=np.float32).ravel()
    author_match = both_authors & ((author_sim >= 85) | np.array(
        [bool(x and y) and (x.startswith(y) or y.startswith(x)) for x, y in zip(fa, fb)]))
    score = sim.astype(np.float64)
    score -= np.where(both_years, np.where(dy == 0, 0, 3), 2)
    score -= np.where(both_authors, np.where(author_match, 0, 15), 3)
    # Short titles need the identical title, the same year and the same first author.
    is_short = short[a] | short[b]
    exact = np.array([keys[x] == keys[y] for x, y in zip(a, b)])
    short_ok = exact & both_years & (dy == 0) & author_match
    score = np.where(is_short, np.where(short_ok, 100.0, 0.0), score) - recs.biblio.penalty(a, b)
    score = np.floor(np.minimum(score, 100.0) + 1e-9).astype(int)
    edges = []
    for x, y, s, by, am in zip(a.tolist(), b.tolist(), score.tolist(), both_years.tolist(), author_match.tolist()):
        if s >= threshold:
            evidence = "title" + ("+year" if by else "") + ("+author" if am else "")
            edges.append((_PRIORITY["title"], -s, x, y, f"{evidence} (score {s})", s))
    return edges

