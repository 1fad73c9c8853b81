"""The one vocabulary (issue 9): word grammar, stop words, missing cells, atomic writes, install hints."""

from __future__ import annotations

import os
import random
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from litscope import _optional, wordlists
from litscope.atomic import atomic_write, replacing
from litscope.missing import as_text, is_missing

FIXTURES = Path(__file__).parent / "fixtures"

# The regexes each module compiled for itself before the vocabulary was shared (the reference
# the shared grammar must reproduce, so that no report changed).
OLD_GRAMMARS = {
    "words": (re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'\u2019][A-Za-z0-9]+)*"),
              dict(start="letter")),
    "summary phrases": (re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'\u2019][A-Za-z0-9]+)*"), {}),
    "label words": (re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*"), dict(joiners="-'")),
    "label case": (re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|[.!?:;]"),
                   dict(start="letter", joiners="-'", other="[.!?:;]")),
    "label corpus": (re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|[^\sA-Za-z0-9]"),
                     dict(joiners="-'", other=r"[^\sA-Za-z0-9]")),
    "topic vectoriser": (re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[0-9][a-z0-9.,-]*|[^\sa-z0-9]"),
                         dict(start="letter", joiners="-", numbers=True, other=r"[^\sA-Za-z0-9]")),
}


def _texts() -> list[str]:
    """Real abstracts and titles (RIS fixtures) and random strings of the tricky characters."""
    texts = []
    for path in sorted((FIXTURES / "ris" / "asreview").glob("*.ris")):
        texts += [line[6:] for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                  if line[:2] in ("AB", "TI", "T1")]
    rng = random.Random(9)
    alphabet = "aZ9 -'\u2019.,;:!?()\u00e9\u2013_/\n"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    return texts


@pytest.mark.parametrize("name", sorted(OLD_GRAMMARS))
def test_shared_word_grammar_reproduces_each_callers_old_regex(name):
    old, options = OLD_GRAMMARS[name]
    new = wordlists.word_pattern(**options)
    texts = _texts()
    assert len(texts) > 3100
    for text in texts:
        subject = text.lower() if name == "topic vectoriser" else text  # it reads lower-cased text
        assert new.findall(subject) == old.findall(subject), (name, text)


def test_word_pattern_rejects_an_unknown_start():
    with pytest.raises(ValueError, match="start"):
        wordlists.word_pattern(start="digit")


def test_stop_words_share_one_base_and_differ_where_the_steps_do():
    base = wordlists.ACADEMIC_STOP_WORDS
    assert base <= wordlists.key_phrase_stop_words() and base <= wordlists.topic_stop_words()
    # a topic may be "Large language models"; a key phrase is better without "large"
    assert "large" in wordlists.key_phrase_stop_words() and "large" not in wordlists.topic_stop_words()
    assert "sota" in wordlists.topic_stop_words() and "sota" not in wordlists.key_phrase_stop_words()
    assert not base & wordlists.KEY_PHRASE_STOP_WORDS_EXTRA - {"vs"}
    assert not base & wordlists.TOPIC_STOP_WORDS_EXTRA
    from litscope.topics.vocabulary import stop_words
    assert stop_words() == wordlists.topic_stop_words()


@pytest.mark.parametrize("value, missing", [
    (None, True), (float("nan"), True), (np.nan, True), (np.float32("nan"), True), (pd.NA, True),
    (pd.NaT, True), ("", False), ("nan", False), (0, False), (0.0, False), ([], False),
    (np.array([np.nan]), False), (pd.Timestamp("2020-01-01"), False),
])
def test_is_missing(value, missing):
    assert is_missing(value) is missing


def test_as_text_keeps_strings_and_empties_missing_cells():
    assert [as_text(v) for v in (None, np.nan, pd.NA, pd.NaT, " a ", 2, 2.5)] == ["", "", "", "", " a ", "2", "2.5"]


def test_atomic_write_modes_and_no_leftovers(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    public = atomic_write(tmp_path / "sub" / "a.txt", "text")
    private = atomic_write(tmp_path / "sub" / "b.bin", lambda fh: fh.write(b"\x00"), private=True)
    assert stat.S_IMODE(public.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["a.txt", "b.bin"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = atomic_write(tmp_path / "a.txt", "old")

    def half(fh):
        fh.write(b"ne")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_replacing_needs_the_file_to_exist_at_the_end(tmp_path):
    with pytest.raises(FileNotFoundError):
        with replacing(tmp_path / "c.pdf") as tmp:
            tmp.unlink()  # like a printer that failed to write
    assert list(tmp_path.iterdir()) == []


def test_install_hint_from_a_checkout_and_from_a_wheel(monkeypatch):
    monkeypatch.setattr(_optional, "_in_checkout", lambda: True)
    assert _optional.install_hint("model") == "pip install -e .[model]"
    monkeypatch.setattr(_optional, "_in_checkout", lambda: False)
    assert _optional.install_hint("formats") == "pip install 'litscope[formats]'"
    assert _optional.install_hint(None) == "pip install litscope"
    with pytest.raises(ImportError, match=r"Reading X needs the package 'no_such_mod_q'.*litscope\[formats\]"):
        _optional.import_optional("no_such_mod_q", "Reading X", "formats")
