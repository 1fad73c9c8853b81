"""Text decoding for the readers: the most plausible legacy encoding of non-UTF-8 bytes.

Moved out of :mod:`._columns` (which re-exports :func:`decode_best`) to keep modules small.
"""

from __future__ import annotations

import functools

# _io.read_text trusts charset-normalizer's first guess for non-UTF-8 bytes; on short CJK files
# that guess is often wrong (GBK read as cp949). These readers re-rank the candidates by how
# plausible the decoded text looks (scripts do not alternate inside words, no control or
# private-use characters). Suggested for _io.decode itself.

_LEGACY_CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1252", "latin-1")
_JAPANESE = {"shift_jis", "euc_jp", "euc_jis_2004", "euc_jisx0213", "cp932", "shift_jis_2004",
             "shift_jisx0213", "iso2022_jp"}
_CHINESE = {"gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "hz"}
_PLAUSIBLE_SYMBOLS = set("°©®±×÷€£¥§µ¶·¢¤¦¨¬¯´¸¹²³¼½¾™•‰†‡")


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x600 <= o < 0x700:
        return "arabic"
    if 0xE00 <= o < 0xE80:
        return "thai"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
        return "hangul"
    if 0x3040 <= o < 0x3100 or 0xFF66 <= o < 0xFFA0:
        return "kana"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0:
        return "han"
    return "other"


@functools.lru_cache(maxsize=8192)
def _rare_cjk(ch: str) -> bool:
    """A Han or Hangul character outside the common national sets (GB2312, Big5, JIS X 0208, KS X 1001)."""
    for codec in ("gb2312", "big5", "euc_jp", "euc_kr"):
        try:
            if len(ch.encode(codec)) == 2:  # euc_kr spells rare syllables as 8-byte sequences
                return False
        except UnicodeEncodeError:
            continue
    return True


def text_oddness(text: str) -> int:
    """How implausible decoded text looks (0 = nothing odd). Used to choose an encoding.

    >>> text_oddness("凯撒 测试期刊") < text_oddness("꿎桿퍅엷")
    True
    """
    import unicodedata
    score, prev, last_latin_ext = 0, None, False
    for ch in text:
        if ch < "\x80":
            prev = "latin" if ch.isalpha() else None
            last_latin_ext = False
            if ch < " " and ch not in "\n\t\r":
                score += 3
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "C":
            score += 3
            prev, last_latin_ext = None, False
            continue
        script = _script(ch) if cat[0] == "L" else None
        if script == "other" or (script in ("han", "hangul") and _rare_cjk(ch)):
            score += 2
        elif cat[0] == "S" and ch not in _PLAUSIBLE_SYMBOLS:
            score += 1
        if script and prev and script != prev and {script, prev} != {"han", "kana"}:
            score += 1
        if ch < "\u0250" and last_latin_ext:
            score += 1  # runs of accented Latin letters are mojibake ('ÖÐÎÄ'), real words have one at a time
        last_latin_ext = ch < "\u0250"
        prev = script
    return score


def decode_best(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the most plausible legacy encoding: ``(text, encoding)``."""
    import codecs
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes
        candidates.extend(m.encoding for m in from_bytes(data[:200_000]) if m.encoding)
    except Exception:  # optional, and it must never break reading
        pass
    candidates.extend(_LEGACY_CANDIDATES)
    best: tuple[tuple[int, int, int], str, str] | None = None
    seen: set[str] = set()
    for rank, name in enumerate(candidates):
        try:
            codec = codecs.lookup(name).name
            if codec in seen:
                continue
            seen.add(codec)
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        head = text[:100_000]
        odd = text_oddness(head)
        kana = sum(1 for c in head if "\u3040" <= c < "\u3100")
        if codec in _JAPANESE and not kana:
            odd += 1  # Han without any kana is Chinese far more often than Japanese
        elif codec in _CHINESE:
            odd += kana  # kana inside Chinese text is a sign of the wrong Chinese codec
        # ties: cp1252 (Western European) is the most common legacy encoding of exports
        key = (odd, 0 if codec == "cp1252" else 1, rank)
        if best is None or key < best[0]:
            best = (key, text, codec)
    if best is None:
        return data.decode("cp1252", errors="replace"), "cp1252"
    return best[1], best[2]


