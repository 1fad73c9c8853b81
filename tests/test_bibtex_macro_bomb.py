"""Issue 8 (unbounded memory on crafted files, found by the item-2 audit): BibTeX @string "billion laughs".

``@string{m1 = m0 # m0}`` doubles a macro at each line, so 30 lines of a 1 KB file expanded to
gigabytes. Macro expansion now has a budget (64 times the file, at least 16 MB); an entry that
needs more is not expanded (the @string or the entry is listed with the reason) and the other
entries load.
"""

from __future__ import annotations

import io
import tracemalloc

from litscope.sources.bibtex import read_bibtex


def _bomb(doublings: int) -> bytes:
    lines = ['@string{m0 = "abcdefgh"}']
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, doublings + 1)]
    lines += [f"@article{{bomb, title = m{doublings}}}", "@article{kept, title = {Kept}, journal = m0}"]
    return "\n".join(lines).encode()


def test_string_macro_bomb_is_listed_not_expanded():
    data = _bomb(22)  # 600 bytes; was a 33 MB title built through 67 MB of macros
    assert len(data) < 1000
    tracemalloc.start()
    try:
        df_result = read_bibtex(io.BytesIO(data))
        df = df_result.frame
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * 1024 * 1024
    assert df["title"].str.len().max() < 100  # the bomb's title is not expanded
    kept = df[df["title"] == "Kept"].iloc[0]
    assert kept["venue"] == "abcdefgh"  # short macros still expand once the budget is spent
    said = [s["reason"] for s in [s.as_dict() for s in df_result.skipped]] + [n["note"] for n in [n.as_dict() for n in df_result.notes]]
    assert any("macro bomb" in text for text in said)


def test_honest_macro_use_is_unaffected():
    entries = "\n".join(f"@article{{k{i}, title = {{T{i}}}, journal = jn # { {i} } }}" for i in range(2000))
    data = ('@string{jn = "Journal of Repeated Macro Use, Series "}\n' + entries).encode()
    df_result = read_bibtex(io.BytesIO(data))
    df = df_result.frame
    assert len(df) == 2000 and not [s.as_dict() for s in df_result.skipped]
    assert df.loc[1999, "venue"] == "Journal of Repeated Macro Use, Series 1999"
