"""Text of BibTeX values: LaTeX to Unicode, identifiers, and name lists.

Split from :mod:`litscope.sources.bibtex` (which parses the entries) so each stays small. Every
function here is linear in its input: one long value (a 1 MB author list, a whitespace run
in a title) must not stall a review.

Examples
--------
>>> latex_to_text(r"Caf{\\'e}   au lait"), _plain_identifier(r"\\url{10.1000/a\\_b}")
('Café au lait', '10.1000/a_b')
>>> [n["family"] for n in parse_names("Doe, J and  Roe, R")]
['Doe', 'Roe']
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_L2T: Any = None

#: Values longer than this (characters) skip pylatexenc, which needs 10-30 µs a character, for
#: :func:`_simple_latex_to_text`: hardly any abstract is this long, and a crafted one must not
#: cost minutes.
LATEX_MAX_CHARS = 10_000

_LATEX_SPECIAL = re.compile(r"(?<!\\)([%&#])")
_WS_RUN = re.compile(r"\s{2,}")
_ACCENT = re.compile(r"\\([`'^\"~=.])\{?([A-Za-z])\}?")
_COMBINING = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
              ".": "\u0307"}
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _latex_converter() -> Any:
    global _L2T
    if _L2T is None:
        from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
        db = get_default_latex_context_db()
        # keep the content of boxes and URLs ('200\,\mbox{$\mu$}J' -> '200 μJ')
        db.add_context_category("litscope", prepend=True, macros=[
            MacroTextSpec(name, simplify_repl="%s") for name in ("mbox", "hbox", "url", "href")]
            # pylatexenc gives the modifier letters (U+02C6, U+02DC); writers mean the ASCII characters
            + [MacroTextSpec("textasciicircum", simplify_repl="^"),
               MacroTextSpec("textasciitilde", simplify_repl="~")])
        _L2T = LatexNodes2Text(latex_context=db, math_mode="text")
    return _L2T


def latex_to_text(value: str) -> str:
    """Plain Unicode text from a BibTeX value: accents and commands converted, braces removed.

    Runs of white space become one space (pylatexenc is quadratic in a long run; the text is
    whitespace-collapsed later anyway). A value longer than :data:`LATEX_MAX_CHARS` only has
    its braces removed.

    >>> latex_to_text(r'Jean C{\\'e}sar{\\"u}'), latex_to_text(r"$\\alpha$ and \\textit{x}")
    ('Jean Césarü', 'α and x')
    """
    if not value:
        return ""
    if "\\" not in value and "$" not in value and "~" not in value:
        return value.replace("{", "").replace("}", "")
    if len(value) > LATEX_MAX_CHARS:
        return _simple_latex_to_text(value)
    # '%', '&' and '#' are literal in BibTeX values; LaTeX would read a comment or a table cell.
    escaped = _WS_RUN.sub(" ", _LATEX_SPECIAL.sub(r"\\\1", value))
    try:
        text = _latex_converter().latex_to_text(escaped)
    except Exception:  # pylatexenc on pathological input: fall back to removing braces
        text = value.replace("{", "").replace("}", "")
    return text.replace("\xa0", " ")


def _simple_latex_to_text(value: str) -> str:
    """A linear approximation of :func:`latex_to_text`: accents, then command names and braces dropped.

    >>> _simple_latex_to_text(r"Caf{\\'e}  \\textit{na\\"{i}ve} 50\\%~$x$")
    'Café naïve 50% x'
    """
    text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _COMBINING[m.group(1)]), value)
    text = _COMMAND.sub(lambda m: "" if m.group(1).isalpha() else m.group(1), text)
    text = text.replace("{", "").replace("}", "").replace("$", "").replace("~", " ")
    return _WS_RUN.sub(" ", text)


def _plain_identifier(value: str) -> str:
    """DOIs and URLs: no LaTeX conversion, only braces and escapes removed."""
    text = re.sub(r"\\([_%&#$~])", r"\1", value or "")
    # linear: parsed values have balanced braces, so every '\url{' has a '}' after it
    text = re.sub(r"\\url\{([^}]*)\}", r"\1", text)
    return re.sub(r"\s+", "", text.replace("{", "").replace("}", ""))


# ---------------------------------------------------------------- names

_BRACE = "[{}]"
#: ' and ' between names. The look-behind starts a match only where a whitespace run starts:
#: tried inside a long run, '\s+' would rescan the rest of the run at every position.
_AND = re.compile(r"(?<!\s)\s+and\s+", re.I)
_COMMA = re.compile(r",")
_SPACE = re.compile(r"\s+")
_SPLITTERS: dict[re.Pattern[str], re.Pattern[str]] = {}


def _split_depth0(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split ``text`` where ``pattern`` (which matches no brace) matches outside braces.

    >>> _split_depth0("a and {b and c} and d", _AND)
    ['a', '{b and c}', 'd']
    """
    scan = _SPLITTERS.get(pattern)
    if scan is None:  # braces and separators found in one linear pass of the regex engine
        scan = _SPLITTERS[pattern] = re.compile(f"({_BRACE})|{pattern.pattern}", pattern.flags)
    out, depth, last = [], 0, 0
    for m in scan.finditer(text):
        brace = m.group(1)
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and m.end() > m.start():
            out.append(text[last:m.start()])
            last = m.end()
    out.append(text[last:])
    return out


def parse_names(value: str) -> list[dict[str, str]]:
    """Authors of a BibTeX name list as {'family', 'given'} dicts.

    >>> parse_names("Bird, R.B. and Hassager, O. AND {World Health Organization} and Ludwig van Beethoven")
    [{'family': 'Bird', 'given': 'R.B.'}, {'family': 'Hassager', 'given': 'O.'}, {'family': 'World Health Organization', 'given': ''}, {'family': 'van Beethoven', 'given': 'Ludwig'}]
    """
    names = []
    for raw in _split_depth0(" " + (value or "").strip() + " ", _AND):
        raw = raw.strip().strip(",")
        if not raw or raw.lower() == "others":
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced_whole(raw):
            names.append({"family": latex_to_text(raw[1:-1]).strip(), "given": ""})
            continue
        parts = [p.strip() for p in _split_depth0(raw, _COMMA)]
        if len(parts) >= 3:
            family, given = parts[0], f"{parts[2]}, {parts[1]}".strip(", ")
        elif len(parts) == 2:
            family, given = parts
        else:
            words = [w for w in _split_depth0(raw, _SPACE) if w]
            von = next((i for i, w in enumerate(words[:-1]) if w[:1].islower()), None)
            cut = von if von is not None else len(words) - 1
            family, given = " ".join(words[cut:]), " ".join(words[:cut])
        family, given = latex_to_text(family).strip(), latex_to_text(given).strip()
        if family or given:
            names.append({"family": family or given, "given": given if family else ""})
    return names


def _balanced_whole(text: str) -> bool:
    """Whether the first '{' of ``text`` closes at its last character.

    >>> _balanced_whole("{ACME}"), _balanced_whole("{A} and {B}")
    (True, False)
    """
    if not text.startswith("{"):
        return False
    depth = 0
    for m in re.finditer(_BRACE, text):
        depth += 1 if m.group(0) == "{" else -1
        if depth == 0:
            return m.start() == len(text) - 1
    return False
