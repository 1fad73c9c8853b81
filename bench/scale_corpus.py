"""Build large review corpora (1k / 10k / 100k records) from real abstracts, as RIS exports.

Sources (all bundled with the project, never read from elsewhere at run time):

* ``bench/data/cohen2006/*.csv``       3.4k PubMed records, 7 drug classes (one group each)
* ``bench/data/s2orc_sample``          488 S2ORC records with an abstract (group = first field)
* ``bench/data/kitchenham2010``        1.7k software-engineering records (one group)
* ``data/samples/hf-papers-listing.txt`` 91 recent ML papers (one group)

Each synthetic record is built *within one source group*, so topics stay real:

* **title**: a real title (the "base" paper). The first pass over the shuffled pool keeps the
  base title unchanged; later passes add a real phrase of 3-6 words cut from another title of
  the same group, as a subtitle (``Base title: phrase``) or a lead-in (``Phrase: base title``).
  No counters. Every title is unique after normalisation, and litscope's own de-duplication is
  run over the whole corpus: records it would merge get a longer phrase and are checked again
  (the counts before and after repair are in ``manifest.json`` and printed).
* **abstract**: the base paper's abstract re-told sentence by sentence
  (:func:`litscope.text.split_sentences`) from 2-4 real abstracts of the group: sentence *j*
  comes from one of them at the same relative position (background, methods, results and
  conclusion stay in order). No sentence repeats within a record.
* **authors, year, journal, keywords**: authors from another real record of the group; year and
  journal from a real record of the group when the group has them (Cohen has neither, Kitchenham
  and the HF listing have no journals: they are drawn from the real S2ORC Medicine/Biology,
  resp. Computer Science/Engineering records), keywords from the base paper. No DOI or PMID (a
  reused identifier would make dedupe merge distinct records).

Files: ``parts/export-NNN.ris`` of at most 5,000 records each (like real database exports,
written with :func:`litscope.export.write_ris`) and ``extra/new-records.ris`` with 1 % more,
new records for the incremental check. Same seed, same bytes.

Usage::

    .venv/bin/python bench/scale_corpus.py 1000 --out /tmp/corpus-1000      # build + dedupe check
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
PART_SIZE = 5000
MIN_GROUP = 5  # S2ORC fields with fewer papers are left out
_STOP = {"a", "an", "the", "of", "in", "on", "for", "and", "or", "to", "with", "by", "at", "from",
         "vs", "versus", "as", "is", "are", "its", "their", "into", "via", "after", "during", "between"}
_WORD = re.compile(r"[\w'/+-]+")


def _clean(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip() if isinstance(text, str) else ""


def load_sources() -> list[dict]:
    """Real papers: dicts with group, title, sentences, authors, year, venue, keywords."""
    import json as _json

    import pandas as pd

    import litscope
    from litscope.text import split_sentences

    papers: list[dict] = []

    def add(group, title, abstract, authors=(), year=None, venue="", keywords=()):
        title = _clean(title)
        if not title:
            return
        try:
            year = int(year) if year is not None and 1900 < int(year) < 2100 else None
        except (TypeError, ValueError):
            year = None
        papers.append({"group": group, "title": title, "sentences": split_sentences(_clean(abstract)),
                       "authors": [a for a in authors if a], "year": year, "venue": _clean(venue),
                       "keywords": [k for k in keywords if k]})

    for path in sorted(glob.glob(str(DATA / "cohen2006" / "*.csv"))):
        group = "cohen:" + Path(path).stem
        for r in pd.read_csv(path, dtype=str).fillna("").itertuples():
            add(group, r.title, r.abstract, [a.strip() for a in r.authors.split(";")],
                keywords=[k.strip() for k in r.keywords.split(";")])
    with open(DATA / "s2orc_sample" / "metadata_sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = _json.loads(line)
            if not r.get("abstract"):
                continue
            fields = r.get("mag_field_of_study") or ["Other"]
            authors = [f"{a['last']}, {' '.join([a['first']] + a['middle'])}".strip(", ")
                       for a in r.get("authors") or []]
            add("s2orc:" + fields[0], r["title"], r["abstract"], authors, r.get("year"),
                r.get("journal") or r.get("venue") or "")
    k = pd.read_csv(DATA / "kitchenham2010" / "Kitchenham_2010.csv")
    for r in k.itertuples():
        add("kitchenham2010", r.title, r.abstract if isinstance(r.abstract, str) else "",
            year=int(r.year) if r.year == r.year else None)
    hf = litscope.load([ROOT / "data" / "samples" / "hf-papers-listing.txt"])
    for r in hf.itertuples():
        add("hf-papers", r.title, r.abstract, list(r.authors), r.year, r.venue)

    # one paper per normalised title (Cohen repeats some PMIDs across classes); 
    from litscope.schema import normalize_title_key
    seen: set[str] = set()
    unique = []
    for p in papers:
        key = normalize_title_key(p["title"])
        if key not in seen:
            seen.add(key)
            unique.append(p)
    sizes: dict[str, int] = {}
    for p in unique:
        sizes[p["group"]] = sizes.get(p["group"], 0) + 1
    return [p for p in unique if sizes[p["group"]] >= MIN_GROUP]  # too few abstracts to mix


def _phrase(title: str, rng: random.Random, length: int) -> str:
    """A run of ``length`` real words from a title, not starting or ending on a stop word."""
    words = [w for w in _WORD.findall(title) if not w.isdigit()]
    if len(words) < 3:
        return ""
    length = min(length, len(words))
    for _ in range(8):
        start = rng.randrange(0, len(words) - length + 1)
        span = words[start:start + length]
        while span and span[-1].lower() in _STOP:
            span.pop()
        while span and span[0].lower() in _STOP:
            span.pop(0)
        if len(span) >= 2:
            break
    if len(span) < 2:
        return ""
    return " ".join(span)


def _retitle(base: str, donor: str, rng: random.Random, length: int) -> str:
    phrase = _phrase(donor, rng, length)
    if not phrase:
        return ""
    base = base.rstrip(". ")
    if rng.random() < 0.6:
        lead = phrase[0].lower() + phrase[1:] if not phrase.split()[0].isupper() else phrase
        return f"{base}: {lead}"
    return f"{phrase[0].upper()}{phrase[1:]}: {base[0].upper()}{base[1:]}"


def _abstract(base: dict, group: list[dict], rng: random.Random) -> str:
    donors = [p for p in rng.sample(group, min(len(group), 6)) if p is not base and len(p["sentences"]) >= 2]
    sources = ([base] if base["sentences"] else []) + donors[:rng.randint(1, 3)]
    if not sources:
        return ""
    n = len(base["sentences"]) if len(base["sentences"]) >= 3 else rng.randint(4, 8)
    out, used = [], set()
    for j in range(n):
        src = sources[0] if j == 0 else rng.choice(sources)
        s = src["sentences"]
        pos = round(j * (len(s) - 1) / max(1, n - 1))
        sentence = s[pos]
        if sentence in used:
            continue
        used.add(sentence)
        out.append(sentence)
    return " ".join(out)


def synthesise(n: int, seed: int = 0, papers: list[dict] | None = None) -> list[dict]:
    """``n`` records (dicts in litscope's schema), deterministic for ``seed``."""
    from litscope.schema import normalize_title_key

    papers = papers if papers is not None else load_sources()
    rng = random.Random(seed)
    by_group: dict[str, list[dict]] = {}
    for p in papers:
        by_group.setdefault(p["group"], []).append(p)
    years: dict[str, list] = {}
    venues: dict[str, list] = {}
    # groups without years/journals (Cohen) borrow them from real records of the same domain
    medical = [p for p in papers if p["group"] in ("s2orc:Medicine", "s2orc:Biology")]
    computing = [p for p in papers if p["group"] in ("s2orc:Computer Science", "s2orc:Engineering")]
    fallback = {"cohen": medical, "kitchenham2010": computing, "hf-papers": computing}
    pool = list(papers)
    records, titles = [], set()
    for i in range(n):
        if i % len(pool) == 0:
            rng.shuffle(pool)
        base, rnd = pool[i % len(pool)], i // len(pool)
        group = by_group[base["group"]]
        title = base["title"] if rnd == 0 else ""
        tries = 0
        while not title or normalize_title_key(title) in titles:
            donor = rng.choice(group if tries < 20 else papers)
            title = _retitle(base["title"], donor["title"], rng, rng.randint(3, 6) + tries // 4)
            tries += 1
        titles.add(normalize_title_key(title))
        meta = rng.choice(group)
        if base["group"] not in years:
            borrowed = fallback.get(base["group"].split(":")[0], papers)
            years[base["group"]] = ([p["year"] for p in group if p["year"]]
                                    or [p["year"] for p in borrowed if p["year"]])
            venues[base["group"]] = ([p["venue"] for p in group if p["venue"]]
                                     or [p["venue"] for p in borrowed if p["venue"]])
        g_years, g_venues = years[base["group"]], venues[base["group"]]
        records.append({"title": title, "abstract": _abstract(base, group, rng),
                        "authors": list(meta["authors"] or rng.choice(papers)["authors"]),
                        "year": rng.choice(g_years), "venue": rng.choice(g_venues),
                        "keywords": list(base["keywords"]), "_base": base, "_group": base["group"]})
    return records


def _frame(records: list[dict], name: str):
    from litscope.schema import to_frame

    return to_frame([{k: v for k, v in r.items() if not k.startswith("_")} for r in records],
                    source_format="ris", source_file=name)


def merged_by_dedupe(records: list[dict]) -> list[int]:
    """Positions of records that litscope's de-duplication would merge into another."""
    from litscope.dedupe import find_duplicates

    found = find_duplicates(_frame(records, "corpus"))  # source_record = position + 1
    return sorted(int(r) - 1 for r, kept, size in zip(found["source_record"], found["kept"],
                                                       found["cluster_size"]) if size > 1 and not kept)


def build(n: int, out: Path, seed: int = 0, extra_fraction: float = 0.01, log=print) -> dict:
    """Write the corpus of ``n`` records (+ the extra file) to ``out``; return its manifest."""
    from litscope.export import write_ris
    from litscope.schema import normalize_title_key

    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("n") == n and manifest.get("seed") == seed:
            return manifest
    t0 = time.perf_counter()
    papers = load_sources()
    n_extra = max(1, round(n * extra_fraction))
    records = synthesise(n + n_extra, seed, papers)
    rng = random.Random(seed + 1)
    first = merged = merged_by_dedupe(records)
    rounds = 0
    titles = {normalize_title_key(r["title"]) for r in records}
    while merged and rounds < 6:  # give records dedupe would merge a longer, different phrase
        rounds += 1
        for i in merged:
            r = records[i]
            group = [p for p in papers if p["group"] == r["_group"]]
            new = ""
            while not new or normalize_title_key(new) in titles:
                new = _retitle(r["_base"]["title"], rng.choice(group if len(group) > 1 else papers)["title"],
                               rng, 5 + rounds)
            titles.add(normalize_title_key(new))
            r["title"] = new
            r["year"] = rng.choice([p["year"] for p in papers if p["year"]])
        merged = merged_by_dedupe(records)
    out.mkdir(parents=True, exist_ok=True)
    (out / "parts").mkdir(exist_ok=True)
    (out / "extra").mkdir(exist_ok=True)
    files = []
    for k, start in enumerate(range(0, n, PART_SIZE)):
        path = out / "parts" / f"export-{k + 1:03d}.ris"
        write_ris(_frame(records[start:min(start + PART_SIZE, n)], path.name), path)
        files.append(str(path))
    extra = out / "extra" / "new-records.ris"
    write_ris(_frame(records[n:], extra.name), extra)
    groups: dict[str, int] = {}
    for r in records[:n]:
        groups[r["_group"]] = groups.get(r["_group"], 0) + 1
    manifest = {"n": n, "seed": seed, "files": files, "extra_file": str(extra), "n_extra": n_extra,
                "source_papers": len(papers), "groups": groups,
                "dedupe_merged_before_repair": len(first), "dedupe_merged": len(merged),
                "repair_rounds": rounds, "build_seconds": round(time.perf_counter() - t0, 1)}
    manifest_path.write_text(json.dumps(manifest, indent=2))
    log(f"corpus {n:,} (+{n_extra:,} new): {len(files)} file(s), {len(groups)} groups from "
        f"{len(papers):,} real papers; dedupe would merge {len(first)} before repair, "
        f"{len(merged)} after ({manifest['build_seconds']} s)")
    return manifest


def check_load(manifest: dict) -> dict:
    """Load the written files back with litscope and count what dedupe merges (the real path)."""
    import litscope
    from litscope.dedupe import deduplicate

    df = litscope.load(manifest["files"] + [manifest["extra_file"]])
    merged = deduplicate(df)
    return {"loaded": len(df), "after_dedupe": len(merged), "merged_away": len(df) - len(merged),
            "unique_titles": int(df["title"].str.lower().nunique())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of records")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (reused when it holds this corpus)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-check", action="store_true", help="skip loading the files back")
    args = ap.parse_args(argv)
    manifest = build(args.n, args.out, args.seed)
    print(json.dumps({k: v for k, v in manifest.items() if k != "files"} | {"files": len(manifest["files"])},
                     indent=2))
    if not args.no_check:
        print("load + dedupe of the written files:", json.dumps(check_load(manifest)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
