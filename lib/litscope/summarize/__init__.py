"""Extractive summaries: one sentence per paper, one cited paragraph per topic.

Nothing here writes new prose.  Every sentence a summary or synthesis shows is
quoted verbatim from an abstract (found with :func:`litscope.text.sentence_spans`),
so a reader can always check it against the paper it cites.

* :func:`compute_paper_summaries` picks each abstract's most representative
  sentence: the one closest (cosine) to the mean of the abstract's sentence
  embeddings, nudged towards the title, with a light penalty for very short,
  very long or boilerplate sentences.  Papers without an abstract get their title.
* :func:`compute_syntheses` writes one paragraph per topic by Maximal Marginal
  Relevance over the sentences of the topic's papers: relevance is similarity to
  the topic centroid, each new sentence is penalised by its similarity to those
  already chosen, and at most one sentence is taken from any paper so the paragraph
  cites several.  The chosen sentences are ordered to read like a review:
  background, then aims/methods, then results, then conclusions (by cue words);
  within a role older papers come first, then the more relevant sentence.
* :func:`compute_key_phrases` ranks 1-3-word phrases per topic by class-based
  TF-IDF, for callers without BERTopic's key phrases.

Modules: :mod:`.papers` (per-paper summaries), :mod:`.syntheses` (topic paragraphs),
:mod:`.key_phrases`, :mod:`.roles` (sentence roles), :mod:`.scoring` (sentence shape
penalties and cues), :mod:`.sentences` (abstracts split and embedded once, for a caller
that computes both summaries and syntheses) and :mod:`._shared` (encoder, embedding, checks).

Every function takes an ``encode`` callable (``list[str] -> (n, d) array`` of
L2-normalised rows); by default :class:`litscope.embed.Embedder`'s, loaded
lazily.  All sentences of all papers are embedded in one call.

Examples
--------
>>> import numpy as np, pandas as pd
>>> def encode(texts):  # a toy encoder: bag of letters
...     v = np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts], float)
...     return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
>>> df = pd.DataFrame({"id": ["a", "b"], "title": ["Title A", "Title B"],
...                    "abstract": ["Cats purr loudly at night. Cats purr softly too.", ""]})
>>> compute_paper_summaries(df, encode=encode).tolist()[1]
'Title B'
"""

from ._shared import Encoder
from .key_phrases import compute_key_phrases
from .papers import compute_paper_summaries
from .sentences import SentenceTable, compute_sentence_table
from .roles import ROLE_NAMES, sentence_role
from .syntheses import compute_syntheses

__all__ = ["compute_paper_summaries", "compute_syntheses", "compute_sentence_table", "SentenceTable", "compute_key_phrases", "sentence_role",
           "ROLE_NAMES", "Encoder"]
