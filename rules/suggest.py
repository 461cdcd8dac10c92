"""Which matters a free complaint text is most likely about (智能分拨).

A linear text classifier (TF-IDF over jieba words and character n-grams, a linear support
vector machine from scikit-learn) trained on the catalog's own names and keywords, the labelled
texts that ship with the platform, and — for a county model — the county's cases whose matter
a dispatcher confirmed or corrected. Pure: the catalog, the text and optionally a model come
in; nothing is read from a database or the network. ADR 0018 says why this shape.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from responsibility_catalog import Catalog

from .intake_corpus import LabelledText, not_complaints, shipped_texts
from .text_features import GRAM, WORD, features, teach_words, words_and_features

__all__ = [
    "Evaluation",
    "LabelledText",
    "Suggestion",
    "SuggestionModel",
    "evaluate",
    "shipped_model",
    "shipped_texts",
    "suggest_matters",
    "train_model",
]

MAX_TEXT = 2000  # the report form's description limit; longer input is cut, never refused
NOT_A_COMPLAINT = "-"  # the class of greetings and noise; never a matter id
# Scores are a softmax over the machine's decision values (about -1 … 1); this sharpness
# makes a clear first choice read as 60–90 % and a toss-up between two as ~40 % each.
SHARPNESS = 8.0
# A follower this unlikely is noise ("工业废气污染, because of 东头" under a sure "垃圾清运");
# measured across independently written sets, dropping them costs 0.1–0.15 points of top-3
# and shows 2.4 buttons instead of 3.
MIN_FOLLOWER_SCORE = 0.005
MAX_WORDS = 5
PRUNE_BELOW = 0.01
REASON_SHARE = 0.3  # a reason word weighs at least this share of the strongest one
# The catalog's own words (the name, the keywords, both together) are training texts too:
# enough for a matter nobody wrote texts for to be found by its official words; repeating
# them drowned usage (measured across independently written sets, ADR 0018).
CATALOG_COPIES = 1


@dataclass(frozen=True)
class Suggestion:
    matter_id: str
    name: str
    domain: str
    score: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    n: int
    top1: float
    top3: float
    no_suggestion: float
    ms_per_text: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "no_suggestion": round(self.no_suggestion, 4),
            "ms_per_text": round(self.ms_per_text, 3),
        }


class SuggestionModel:
    """A trained classifier for one catalog. Immutable after training, so one model serves
    every request thread.

    Training uses scikit-learn; a suggestion applies the fitted weights directly (the same
    TF-IDF arithmetic: sublinear counts × idf, unit length, then one dot product per matter),
    because scikit-learn's per-call input validation costs more than the arithmetic on a
    single short text.
    """

    def __init__(
        self,
        *,
        label: str,
        catalog_key: tuple[str, str],
        vectorizer: TfidfVectorizer,
        classifier: LinearSVC,
        examples: int,
    ) -> None:
        self.label = label
        self.catalog_key = catalog_key
        self.examples = examples
        self.size_bytes = 0
        self._classes: Sequence[str] = [str(c) for c in classifier.classes_]
        self._none = self._classes.index(NOT_A_COMPLAINT)
        self._columns: dict[str, int] = dict(vectorizer.vocabulary_)
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        # Feature-major, so the columns of one text are one row gather; weights too small to
        # move a ranking are dropped (ADR 0018: 6 % of them stay, accuracy unchanged), which
        # keeps a model near 10 MB instead of 75.
        weights = classifier.coef_.T.astype(np.float32)
        weights[np.abs(weights) < PRUNE_BELOW] = 0.0
        self._weights = sparse.csr_array(weights)
        self._intercept = np.asarray(classifier.intercept_, dtype=np.float32)
        self._feature_names = np.empty(len(self._columns), dtype=object)
        for name, column in self._columns.items():
            self._feature_names[column] = name
        self.size_bytes = (
            self._weights.data.nbytes
            + self._weights.indices.nbytes
            + self._weights.indptr.nbytes
            + self._idf.nbytes
            + self._feature_names.nbytes
        )

    def _vector(self, text_features: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the text's unit-length TF-IDF vector."""
        counts: dict[int, int] = {}
        for feature in text_features:
            column = self._columns.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))) * self._idf[columns]
        norm = float(np.sqrt(values @ values)) if len(values) else 0.0
        return columns, (values / norm if norm else values)

    def rank(self, text: str, limit: int) -> list[tuple[str, float, tuple[str, ...]]]:
        """(matter id, score, driving words) best first; [] when the text shares no feature
        with anything the model was trained on, or reads as no complaint at all."""
        text_words, text_features = words_and_features(text[:MAX_TEXT])
        columns, values = self._vector(text_features)
        if not len(columns):
            return []
        contributions = self._weights[columns].toarray() * values[:, None]  # feature × matter
        decision = contributions.sum(axis=0) + self._intercept
        if int(np.argmax(decision)) == self._none:
            return []
        scores = np.exp(SHARPNESS * (decision - decision.max()))
        scores[self._none] = 0.0
        scores /= scores.sum()
        order = np.argsort(-scores)[:limit]
        ranked = []
        for position, index in enumerate(order.tolist()):
            score = float(scores[index])
            if position and score < MIN_FOLLOWER_SCORE:
                break
            reasons = self._reasons(columns, contributions[:, index], text_words)
            ranked.append((self._classes[index], score, reasons))
        return ranked

    def _reasons(
        self, columns: np.ndarray, contributions: np.ndarray, text_words: list[str]
    ) -> tuple[str, ...]:
        """The text's words that pushed this matter up most: each feature's weight for the
        matter times its value in the text, summed per word of the text (a character n-gram
        counts for every word it lies in)."""
        positive = contributions > 0
        per_word: dict[str, float] = defaultdict(float)
        for name, weight in zip(
            self._feature_names[columns[positive]], contributions[positive].tolist(), strict=True
        ):
            if name.startswith(WORD):
                per_word[name[len(WORD) :]] += weight
            elif name.startswith(GRAM):
                gram = name[len(GRAM) :]
                for word in text_words:
                    if gram in word:
                        per_word[word] += weight / 2
        if not per_word:
            return ()
        # Words that counted little (a place, "半个月") would read as reasons too.
        floor = max(per_word.values()) * REASON_SHARE
        best = [w for w, weight in sorted(per_word.items(), key=lambda i: -i[1]) if weight >= floor]
        # One character is rarely a reason a person recognises ("子", "接"); show it only
        # when the text has nothing longer that counted (a text like "狗咬人").
        longer = [word for word in best if len(word) > 1]
        return tuple((longer or best)[:MAX_WORDS])


def _given(features: list[str]) -> list[str]:
    return features


def _catalog_key(catalog: Catalog) -> tuple[str, str]:
    return (catalog.label, catalog.content_hash)


def _catalog_texts(catalog: Catalog) -> list[LabelledText]:
    out: list[LabelledText] = []
    for domain in catalog.domains:
        for matter in domain.matters:
            own = [matter.name, *matter.keywords]
            texts = [matter.name, " ".join(own), *matter.keywords]
            out.extend(LabelledText(t, matter.id) for t in texts for _ in range(CATALOG_COPIES))
    return out


def train_model(
    catalog: Catalog,
    examples: Iterable[LabelledText] = (),
    *,
    label: str,
    shipped: Iterable[LabelledText] | None = None,
) -> SuggestionModel:
    """Fit a model for ``catalog`` on its names and keywords, the shipped training texts and
    ``examples`` (the county's labelled cases). Texts labelled with a matter the catalog does
    not have (removed in a later version) are left out. ``shipped`` replaces the shipped
    training texts (the benchmark holds one written set out to measure on it)."""
    known = catalog.matters_by_id
    teach_words(w for m in known.values() for w in (m.name, *m.keywords))
    extra = [e for e in examples if e.matter_id in known and e.text.strip()]
    base = shipped_texts("train") if shipped is None else tuple(shipped)
    corpus = (
        _catalog_texts(catalog)
        + [t for t in base if t.matter_id in known]
        + [LabelledText(e.text[:MAX_TEXT], e.matter_id) for e in extra]
        + [LabelledText(text, NOT_A_COMPLAINT) for text in not_complaints()]
    )
    # The analyzer takes features computed by the caller, so a suggestion segments once.
    vectorizer = TfidfVectorizer(analyzer=_given, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([features(t.text) for t in corpus])
    classifier = LinearSVC(C=1.0)
    classifier.fit(matrix, [t.matter_id for t in corpus])
    return SuggestionModel(
        label=label,
        catalog_key=_catalog_key(catalog),
        vectorizer=vectorizer,
        classifier=classifier,
        examples=len(extra),
    )


_SHIPPED: OrderedDict[tuple[str, str], SuggestionModel] = OrderedDict()
_SHIPPED_LOCK = threading.Lock()
CACHED_MODELS = 4


def shipped_model(catalog: Catalog) -> SuggestionModel:
    """The model of what ships in the repository for this catalog, trained once per process
    (a second caller waits for the first instead of training again)."""
    key = _catalog_key(catalog)
    with _SHIPPED_LOCK:
        model = _SHIPPED.get(key)
        if model is None:
            model = train_model(catalog, label="shipped")
            _SHIPPED[key] = model
            while len(_SHIPPED) > CACHED_MODELS:
                _SHIPPED.popitem(last=False)
        else:
            _SHIPPED.move_to_end(key)
        return model


def suggest_matters(
    catalog: Catalog, text: str, *, limit: int = 10, model: SuggestionModel | None = None
) -> list[Suggestion]:
    """The matters ``text`` is most likely about, best first, at most ``limit``; [] when the
    text says nothing the model recognises (empty, a greeting, noise).

    ``model`` must have been trained for this catalog; ``None`` uses the shipped model.
    """
    if not text or not text.strip() or limit < 1:
        return []
    if model is None:
        model = shipped_model(catalog)
    elif model.catalog_key != _catalog_key(catalog):
        raise ValueError(f"model {model.label} was trained for another catalog version")
    matters = catalog.matters_by_id
    domains = {m.id: d.name for d in catalog.domains for m in d.matters}
    return [
        Suggestion(matter_id, matters[matter_id].name, domains[matter_id], score, reasons)
        for matter_id, score, reasons in model.rank(text, limit)
        if matter_id in matters
    ]


def evaluate(
    catalog: Catalog, model: SuggestionModel | None, examples: Iterable[LabelledText]
) -> Evaluation:
    """Share of ``examples`` whose matter is the first suggestion, among the first three, and
    that get no suggestion at all; mean milliseconds per text (the model already trained)."""
    if model is None:
        model = shipped_model(catalog)
    cases = [e for e in examples if e.matter_id in catalog.matters_by_id]
    if not cases:
        return Evaluation(0, 0.0, 0.0, 0.0, 0.0)
    top1 = top3 = empty = 0
    started = time.perf_counter()
    for case in cases:
        ranked = [s.matter_id for s in suggest_matters(catalog, case.text, limit=3, model=model)]
        top1 += bool(ranked) and ranked[0] == case.matter_id
        top3 += case.matter_id in ranked
        empty += not ranked
    elapsed = time.perf_counter() - started
    n = len(cases)
    return Evaluation(n, top1 / n, top3 / n, empty / n, elapsed * 1000 / n)
