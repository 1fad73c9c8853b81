"""Topics of a corpus: BERTopic with review-sized defaults, readable labels and a hierarchy.

:func:`compute_topics` groups papers by their embeddings (see
:mod:`litscope.embed`) and returns a :class:`TopicResult`: one row per paper
(topic, label, confidence, parent theme, map coordinates), one row per topic
(label, size, key phrases, representative papers), broad parent themes, the
topic-to-topic similarity, and the papers left unassigned with the reason.

Pipeline (every step can be swapped through a keyword argument):

1. canonical order: papers are sorted by record id before fitting, so the
   result does not depend on the input row order;
2. UMAP to 5 dimensions (cosine, ``min_dist=0``, seeded); ``n_neighbors``
   grows with the corpus (10 for a few dozen papers, 50 for 10,000).  Its
   neighbour graph is computed once, exactly, with cosine distances rounded
   to :data:`KNN_DISTANCE_STEP` (:func:`knn_graph`), and shared with the 2-D
   map: embeddings that differ only by float noise (the same texts embedded in
   other batches differ by ~1e-7) give the same graph, hence the same topics,
   where UMAP's own search made such noise change the number of topics;
3. clustering: HDBSCAN with ``min_cluster_size`` scaled with the corpus
   (``max(5, n/60)``, halved for ``"finer"``, doubled for ``"coarser"``) and a
   small ``min_samples`` so fewer papers start as noise; with ``n_topics``
   given, seeded k-means on the UMAP vectors instead, which gives exactly that
   many topics;
4. near-duplicate topics (centroid cosine above ``merge_threshold``) are merged;
5. mixed topics and outliers (:func:`refine_assignments`): a topic far less
   coherent than the others is split into coherent parts (small leftovers become
   unassigned); a noise paper joins its nearest topic only when its cosine
   similarity to that topic's centroid is as high as that of typical topic
   members (10th percentile, at least 0.35); the others stay ``-1`` (at most
   12 % of the corpus) and are listed in :attr:`TopicResult.unassigned`;
6. key phrases: c-TF-IDF over 1-2-grams (English and academic stop words
   removed, ``reduce_frequent_words``), refined by KeyBERTInspired and
   maximal marginal relevance (deterministic, embeddings from the cache);
7. labels: candidate phrases (key phrases and word spans of the most central
   titles) are scored by how close they are to their topic and how far from
   the others, and the best one becomes a 2-6 word label, unique per topic;
8. parents: topic centroids are clustered (Ward linkage on unit vectors) into about
   ``sqrt(k)`` broad themes, labelled the same way.

The result records what determined it (:attr:`TopicResult.params`): the call's
settings read from :func:`compute_topics`' signature with the derived ones
(:func:`topic_settings`), then the steps' timings and what each step found,
returned by the step (:class:`Refinement`, ...) rather than written into a shared dict.

Confidence of a paper's assignment: the softmax, at temperature
:data:`CONFIDENCE_TEMPERATURE`, of its cosine similarities to every topic
centroid, read at its own topic (1 = clearly closer to its topic than to any
other; near ``1/k`` = equally close to all).  Unassigned papers have 0.

Examples
--------
>>> from litscope.topics import default_settings
>>> s = default_settings(91)
>>> s["umap"]["n_neighbors"], s["hdbscan"]["min_cluster_size"]
(10, 5)
>>> default_settings(3000, granularity="coarser")["hdbscan"]["min_cluster_size"]
100
"""

from __future__ import annotations

from .compute import NOT_SETTINGS, compute_topics, compute_topics_cached, topic_settings, topics_cache_key
from .fit import PhraseAnalyzer, default_vectorizer
from .graph import KNN_DISTANCE_STEP, knn_graph
from .labels import tidy_label, word_spread
from .refine import Refinement, compute_refinement, refine_assignments, topic_coherence
from .result import TopicResult
from .settings import CONFIDENCE_TEMPERATURE, GRANULARITY, default_settings
from .vocabulary import ACADEMIC_STOP_WORDS, english_stop_words, stop_words

__all__ = ["TopicResult", "compute_topics", "compute_topics_cached", "topics_cache_key", "topic_settings",
           "NOT_SETTINGS", "knn_graph", "Refinement", "compute_refinement",
           "default_settings", "default_vectorizer", "stop_words", "english_stop_words",
           "tidy_label", "word_spread", "refine_assignments", "topic_coherence", "PhraseAnalyzer",
           "ACADEMIC_STOP_WORDS", "CONFIDENCE_TEMPERATURE", "GRANULARITY", "KNN_DISTANCE_STEP"]
