"""Assembling the result: labels, parents, confidences, similarity and the map, from a fitted clustering."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._memory import release_freed_memory
from .fit import _key_phrases
from .graph import _map_2d
from .label_choice import _choose_labels, _tidy_phrases
from .labels import _WORD, _case_map, word_spread
from .refine import _centroids
from .result import TopicResult
from .settings import CONFIDENCE_TEMPERATURE
from .vocabulary import stop_words
from .word_index import WordIndex


@dataclass
class Assembly:
    """What assembling the topics found (recorded in :attr:`TopicResult.params`).

    Attributes
    ----------
    k : int
        Topics.
    n_parents : int
        Parent themes.
    unassigned_share : float
        Share of papers without a topic.
    timings : dict
        Seconds of the ``key_phrases``, ``labels`` and ``map`` steps.
    """

    k: int
    n_parents: int
    unassigned_share: float
    timings: dict[str, float] = field(default_factory=dict, metadata={"recorded": False})


def _assemble(labels, model, X, ids, titles, texts, order, n, *, seed, representation_model,
              vectorizer_model, embedder, settings, n_topics, progress, knn=None,
              outlier_threshold_used=None, split_left=()) -> tuple[TopicResult, Assembly]:
    """The result's frames (``params`` left empty) and what assembling them found.

    ``outlier_threshold_used`` and ``split_left`` (rows left over by a split) explain
    why a paper stayed unassigned.
    """
    stops = stop_words()
    old_ids = sorted(set(labels.tolist()) - {-1})
    # Key phrases (needs a fitted BERTopic; the one-topic shortcut uses c-TF-IDF-free words).
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if model and old_ids:
        phrases = _key_phrases(texts, labels, seed=seed, representation_model=representation_model,
                               vectorizer_model=vectorizer_model, n=n, progress=progress, embedder=embedder)
    else:
        words = Counter(w.lower() for t in texts for w in _WORD.findall(t)
                        if w.lower() not in stops and w[0].isalpha())
        phrases = {0: ([w for w, _ in words.most_common(10)], [])}
    timings["key_phrases"] = round(time.perf_counter() - t0, 2)
    release_freed_memory()  # BERTopic's vectorizer and c-TF-IDF matrices
    t0 = time.perf_counter()
    C = _centroids(X, labels, old_ids)
    sim_all = X @ C.T if len(old_ids) else np.zeros((n, 0), np.float32)

    # Confidence: softmax of centroid similarities, read at the paper's own topic.
    pos = {t: i for i, t in enumerate(old_ids)}
    confidence = np.zeros(n)
    if len(old_ids):
        z = sim_all / CONFIDENCE_TEMPERATURE
        z = np.exp(z - z.max(axis=1, keepdims=True))
        prob = z / z.sum(axis=1, keepdims=True)
        for i, t in enumerate(labels):
            if t != -1:
                confidence[i] = prob[i, pos[t]]

    # Spelling from abstracts only: titles are often in Title Case.
    # (a generator: a list held a second copy of every abstract while the map was built)
    case = _case_map(t[len(ti):] if t.startswith(ti) else t for t, ti in zip(texts, titles))
    # The compact index (labels._Corpus answers the same, in ~10x the memory at 100k papers).
    corpus = WordIndex(texts)
    groups = []
    for t in old_ids:
        members = np.flatnonzero(labels == t)
        central = members[np.lexsort((np.array(ids, dtype=object)[members].astype(str),
                                      -sim_all[members, pos[t]]))]
        ph, fallback = phrases.get(t, ([], []))
        key_ph = _tidy_phrases(ph, fallback, stops)
        groups.append({"old": t, "members": members, "central": central,
                       "phrases": key_ph, "titles": [titles[m] for m in central[:5]],
                       "key": ids[central[0]]})
    spread = word_spread(corpus, [set(int(m) for m in g["members"]) for g in groups])
    topic_labels = _choose_labels(groups, C, embedder, case, corpus, spread) if groups else []

    # Renumber: by descending size, then label.
    rank = sorted(range(len(groups)), key=lambda g: (-len(groups[g]["members"]), topic_labels[g]))
    new_of_old = {groups[g]["old"]: k for k, g in enumerate(rank)}
    k = len(groups)
    new_labels = np.array([new_of_old.get(t, -1) for t in labels], dtype=int)
    Cn = C[[rank[i] for i in range(k)]] if k else C

    # Parents: agglomerative clustering of centroids into ~sqrt(k) themes.
    n_parents = max(1, int(round(math.sqrt(k)))) if k else 0
    if k >= 3 and n_parents > 1:
        from sklearn.cluster import AgglomerativeClustering

        # Ward on unit vectors (euclidean ~ cosine) gives balanced themes; average
        # linkage left one theme holding nearly every topic.
        pl = AgglomerativeClustering(n_clusters=n_parents, linkage="ward").fit_predict(Cn)
    else:
        pl = np.zeros(k, dtype=int)
    sizes = np.array([len(groups[rank[i]]["members"]) for i in range(k)])
    pgroups = []
    for p in sorted(set(pl.tolist())):
        kids = [i for i in range(k) if pl[i] == p]
        members = np.concatenate([groups[rank[i]]["members"] for i in kids])
        kid_phr = [ph for i in kids for ph in groups[rank[i]]["phrases"][:5]]
        pgroups.append({"old": p, "members": members, "kids": kids,
                        "phrases": kid_phr,
                        "titles": [t for i in kids for t in groups[rank[i]]["titles"][:2]],
                        "kid_members": [set(int(m) for m in groups[rank[i]]["members"]) for i in kids],
                        "forbid": [topic_labels[rank[i]] for i in kids],
                        "key": min(ids[m] for m in members)})
    Cp = _centroids(X, np.array([pl[new_labels[i]] if new_labels[i] >= 0 else -1 for i in range(n)]),
                    [g["old"] for g in pgroups]) if pgroups else np.zeros((0, X.shape[1]))
    parent_labels = _choose_labels(pgroups, Cp, embedder, case, corpus, spread) if pgroups else []
    prank = sorted(range(len(pgroups)), key=lambda g: (-len(pgroups[g]["members"]), parent_labels[g]))
    new_parent = {pgroups[g]["old"]: j for j, g in enumerate(prank)}
    parent_of_topic = [new_parent[int(pl[i])] for i in range(k)]
    parent_label_of = {new_parent[pgroups[g]["old"]]: parent_labels[g] for g in range(len(pgroups))}

    timings["labels"] = round(time.perf_counter() - t0, 2)
    del corpus, spread, case  # the label engine's indexes are not needed by the map
    release_freed_memory()
    t0 = time.perf_counter()
    # 2-D map.
    xy = _map_2d(X, seed=seed, n_neighbors=settings["umap"]["n_neighbors"], knn=knn)
    timings["map"] = round(time.perf_counter() - t0, 2)

    # Frames in canonical order, then back to the input order.
    label_of = [topic_labels[rank[i]] for i in range(k)]
    canon = pd.DataFrame({
        "id": ids,
        "topic": new_labels,
        "topic_label": [label_of[t] if t >= 0 else "Unassigned" for t in new_labels],
        "confidence": confidence.round(6),
        "parent": [parent_of_topic[t] if t >= 0 else -1 for t in new_labels],
        "x": xy[:, 0].astype(float), "y": xy[:, 1].astype(float),
    })
    inverse = np.empty(n, dtype=int)
    inverse[np.asarray(order)] = np.arange(n)
    papers = canon.iloc[inverse].reset_index(drop=True)

    topics_rows = []
    for i in range(k):
        g = groups[rank[i]]
        topics_rows.append({
            "topic": i, "label": label_of[i], "size": int(sizes[i]), "share": float(sizes[i] / n),
            "key_phrases": list(g["phrases"]), "parent": parent_of_topic[i],
            "parent_label": parent_label_of[parent_of_topic[i]],
            "representative_ids": [ids[m] for m in g["central"][:3]],
            "mean_confidence": float(confidence[g["members"]].mean()),
        })
    topics = pd.DataFrame(topics_rows, columns=["topic", "label", "size", "share", "key_phrases", "parent",
                                                "parent_label", "representative_ids", "mean_confidence"])
    parents = pd.DataFrame([
        {"parent": j, "label": parent_label_of[j],
         "size": int(sum(sizes[i] for i in range(k) if parent_of_topic[i] == j)),
         "topics": [i for i in range(k) if parent_of_topic[i] == j]}
        for j in range(len(pgroups))], columns=["parent", "label", "size", "topics"])
    S = Cn @ Cn.T if k else np.zeros((0, 0))
    S = (S + S.T) / 2
    np.fill_diagonal(S, 1.0)
    similarity = pd.DataFrame(S.astype(float), index=pd.Index(range(k), name="topic"),
                              columns=pd.Index(range(k), name="topic"))

    un_rows = []
    split_left = set(split_left)
    for i in np.flatnonzero(new_labels == -1):
        if k:
            best_old = int(np.argmax(sim_all[i]))
            best_new = new_of_old[old_ids[best_old]]
            best_sim = float(sim_all[i, best_old])
            used = outlier_threshold_used
            reason = (f"no topic close enough: nearest is {best_new} '{label_of[best_new]}' "
                      f"at cosine {best_sim:.2f}" + (f" < {used:.2f}" if used is not None else ""))
            if i in split_left:
                reason += f"; left over when a mixed topic was split"
        else:
            best_new, best_sim, reason = -1, float("nan"), "no topics found"
        un_rows.append({"id": ids[i], "title": titles[i], "reason": reason,
                        "nearest_topic": best_new, "nearest_similarity": best_sim})
    unassigned = pd.DataFrame(un_rows, columns=["id", "title", "reason", "nearest_topic", "nearest_similarity"])
    # Unassigned in input order too.
    if len(unassigned):
        pos_in = {pid: j for j, pid in enumerate(papers["id"])}
        unassigned = unassigned.assign(_o=unassigned["id"].map(pos_in)).sort_values("_o", kind="stable") \
            .drop(columns="_o").reset_index(drop=True)

    found = Assembly(k=k, n_parents=len(pgroups),
                     unassigned_share=float((new_labels == -1).mean()) if n else 0.0, timings=timings)
    return TopicResult(papers=papers, topics=topics, parents=parents, similarity=similarity,
                       unassigned=unassigned), found
