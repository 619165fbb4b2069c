"""A logistic regression over hashed string features: what every decider trains.

Candidates number a few hundred per notice and their features are sparse strings (the
proposer, the words around, the marker, the depth…), so a linear model over hashed features
trains in seconds on the corpus, scores a notice in well under a millisecond, and has nothing
to download. Hashing is ``zlib.crc32`` (stable across processes and Python versions, unlike
``hash``).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import srsly


def hash_features(features: Sequence[str], n_bits: int) -> np.ndarray:
    """Bucket indices of ``features`` (duplicates kept: a repeated feature counts twice).

    >>> hash_features(["a", "a"], 4).tolist() == [zlib.crc32(b"a") % 16] * 2
    True
    """
    mask = (1 << n_bits) - 1
    return np.fromiter((zlib.crc32(f.encode("utf-8")) & mask for f in features),
                       dtype=np.int64, count=len(features))


class Examples:
    """Training examples in compact form: the hashed feature indices of each (concatenated,
    with offsets) and its label."""

    def __init__(self, index: np.ndarray, offsets: np.ndarray, labels: np.ndarray) -> None:
        self.index = np.asarray(index, dtype=np.uint32)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.labels = np.asarray(labels, dtype=np.uint8)
        if len(self.offsets) != len(self.labels) + 1:
            raise ValueError("one offset per example, plus the end")

    @classmethod
    def of(cls, rows: Sequence[np.ndarray], labels: Sequence[float]) -> Examples:
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(r) for r in rows])
        index = np.concatenate(rows) if rows else np.zeros(0, dtype=np.uint32)
        return cls(index, offsets, np.asarray(labels, dtype=np.uint8))

    def rows(self) -> list[np.ndarray]:
        idx = self.index.astype(np.int64)
        return [idx[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:])]


class LinearModel:
    """``P(keep | features) = sigmoid(bias + Σ w[hash(f)])``.

    A trained model keeps the examples it learnt from (hashed feature indices and labels,
    ``examples``), so that fine-tuning (:meth:`fit` with ``rehearse=``) refits on them and on
    the new ones together: a user's few notices change the decisions without the model
    forgetting the rest.

    >>> m = LinearModel.fit([["good"], ["bad"]] * 20, [1, 0] * 20, epochs=5)
    >>> m.scores([["good"], ["bad"]]).round(1).tolist()[0] > 0.5
    True
    """

    def __init__(self, n_bits: int = 18, weights: np.ndarray | None = None,
                 bias: float = 0.0, examples: Examples | None = None) -> None:
        if not 4 <= n_bits <= 26:
            raise ValueError("n_bits must be between 4 and 26")
        self.n_bits = n_bits
        self.weights = (np.zeros(1 << n_bits, dtype=np.float32) if weights is None
                        else np.asarray(weights, dtype=np.float32))
        if self.weights.shape != (1 << n_bits,):
            raise ValueError("weights do not match n_bits")
        self.bias = float(bias)
        self.examples = examples

    def __repr__(self) -> str:
        kept = 0 if self.examples is None else len(self.examples.labels)
        return (f"LinearModel(n_bits={self.n_bits}, "
                f"nonzero={int(np.count_nonzero(self.weights))}, examples={kept})")

    def score(self, features: Sequence[str]) -> float:
        """The probability of one candidate."""
        return float(self.scores([features])[0])

    def scores(self, batch: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities of many candidates (each distinct feature hashed once per call)."""
        mask = (1 << self.n_bits) - 1
        buckets: dict[str, int] = {}
        flat = [f for features in batch for f in features]
        index = np.fromiter(
            (buckets[f] if f in buckets
             else buckets.setdefault(f, zlib.crc32(f.encode("utf-8")) & mask) for f in flat),
            dtype=np.int64, count=len(flat))
        rows = np.repeat(np.arange(len(batch)), [len(features) for features in batch])
        z = self.bias + np.bincount(rows, weights=self.weights[index].astype(np.float64),
                                    minlength=len(batch))
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    @classmethod
    def fit(cls, batch: Sequence[Sequence[str]], labels: Sequence[int], *, n_bits: int = 18,
            epochs: int = 12, learning_rate: float = 0.2, l2: float = 1e-5,
            balanced: bool = True, seed: int = 0, rehearse: LinearModel | None = None,
            new_weight: float = 5.0) -> LinearModel:
        """Train by AdaGrad on the log loss, examples shuffled each epoch (``seed``).

        ``balanced`` weights each class by the inverse of its frequency, so a rare kept class
        is not drowned by the many candidates a high-recall rule proposes.

        Fine-tuning: with ``rehearse``, the model is refitted on ``rehearse``'s own examples
        and these together, each new example counting ``new_weight`` times, starting from
        ``rehearse``'s weights. (Starting from the weights alone, without the old examples, let
        a few notices pull shared weights far: docs/training.md §0.)
        """
        if len(batch) != len(labels):
            raise ValueError("one label per example")
        start = rehearse
        if start is not None:
            n_bits = start.n_bits
        rows = [hash_features(f, n_bits) for f in batch]
        y = np.asarray(labels, dtype=np.float64)
        scale = np.ones(len(rows))
        if rehearse is not None and rehearse.examples is not None:
            old = rehearse.examples
            scale = np.concatenate([np.ones(len(old.labels)), np.full(len(rows), new_weight)])
            rows = old.rows() + rows
            y = np.concatenate([old.labels.astype(np.float64), y])
        if not rows:
            return (cls(n_bits, start.weights.copy(), start.bias, start.examples)
                    if start is not None else cls(n_bits))
        pos = float(y.sum())
        neg = len(y) - pos
        if balanced and pos and neg:
            weight = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg)) * scale
        else:
            weight = scale
        w = (start.weights.astype(np.float64) if start is not None
             else np.zeros(1 << n_bits, dtype=np.float64))
        g2 = np.full(1 << n_bits, 1e-8)
        b, b2 = (start.bias if start is not None else 0.0), 1e-8
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            for i in rng.permutation(len(rows)):
                idx = rows[i]
                z = b + w[idx].sum()
                p = 1.0 / (1.0 + np.exp(-min(max(z, -30.0), 30.0)))
                g = (p - y[i]) * weight[i]
                grad = g + l2 * w[idx]
                np.add.at(g2, idx, grad * grad)
                np.subtract.at(w, idx, learning_rate * grad / np.sqrt(g2[idx]))
                b2 += g * g
                b -= learning_rate * g / np.sqrt(b2)
        return cls(n_bits, w.astype(np.float32), b, Examples.of(rows, y))

    # -- serialisation -------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        nz = np.flatnonzero(self.weights)
        msg: dict[str, object] = {
            "n_bits": self.n_bits, "bias": self.bias,
            "index": nz.astype("<u4").tobytes(),
            "value": self.weights[nz].astype("<f4").tobytes()}
        if self.examples is not None:
            msg["examples"] = {"index": self.examples.index.astype("<u4").tobytes(),
                               "offsets": self.examples.offsets.astype("<i8").tobytes(),
                               "labels": self.examples.labels.astype("u1").tobytes()}
        return srsly.msgpack_dumps(msg)

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        msg = srsly.msgpack_loads(data)
        examples = None
        if msg.get("examples"):
            e = msg["examples"]
            examples = Examples(np.frombuffer(e["index"], dtype="<u4"),
                                np.frombuffer(e["offsets"], dtype="<i8"),
                                np.frombuffer(e["labels"], dtype="u1"))
        model = cls(int(msg["n_bits"]), bias=float(msg["bias"]), examples=examples)
        model.weights[np.frombuffer(msg["index"], dtype="<u4").astype(np.int64)] = \
            np.frombuffer(msg["value"], dtype="<f4")
        return model
