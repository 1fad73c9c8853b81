"""The review pipeline: steps in order, settings from the signature, stage caching."""

from __future__ import annotations

import json

import pytest

from litscope import pipeline
from litscope.errors import ParameterError


def test_steps_read_as_the_table_of_contents():
    assert pipeline.STEPS == ("load", "dedupe", "references", "embed", "relevance", "screening", "topics",
                              "summaries", "answer", "write")


def test_settings_come_from_the_signature():
    settings = pipeline.run_settings(seed=3, embedder="static")
    assert settings["seed"] == 3 and settings["embedder"] == "static"
    assert settings["granularity"] == "auto" and settings["cache"] is True
    assert "output_dir" not in settings and "timer" not in settings


def test_unknown_setting_is_refused():
    with pytest.raises(ParameterError, match="unknown review setting"):
        pipeline.run_settings(sed=3)


@pytest.mark.slow
def test_unchanged_rerun_hits_the_stage_cache_and_a_change_recomputes_only_its_stage(
        tmp_path, monkeypatch, sample_path):
    monkeypatch.setenv("LITSCOPE_CACHE", str(tmp_path / "cache"))

    def review(out, **settings):  # the static embedder and k-means keep this test fast
        return pipeline.run([str(sample_path)], output_dir=tmp_path / out, embedder="static", n_topics=4,
                            **settings)

    first = review("first")
    assert first.cache_status == {"topics": "miss", "summaries": "miss"}
    assert first.topics.n_topics == 4
    stats = json.loads(pipeline.write_run_stats(first).read_text())
    assert [s["stage"] for s in stats["stages"]] == list(pipeline.STEPS)
    assert stats["papers"] == len(first.corpus) == 91

    again = review("again")
    assert again.cache_status == {"topics": "hit", "summaries": "hit"}
    for name in ("papers.csv", "topics.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()

    fewer = review("fewer", synthesis_sentences=2)
    assert fewer.cache_status == {"topics": "hit", "summaries": "miss"}
    assert max(len(s) for s in fewer.syntheses["sentences"]) <= 2

    uncached = review("uncached", cache=False)
    assert uncached.cache_status == {"topics": "miss", "summaries": "miss"}
