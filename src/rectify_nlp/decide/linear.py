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


class LinearModel:
    """``P(keep | features) = sigmoid(bias + Σ w[hash(f)])``.

    >>> m = LinearModel.fit([["good"], ["bad"]] * 20, [1, 0] * 20, epochs=5)
    >>> m.scores([["good"], ["bad"]]).round(1).tolist()[0] > 0.5
    True
    """

    def __init__(self, n_bits: int = 18, weights: np.ndarray | None = None,
                 bias: float = 0.0) -> None:
        if not 4 <= n_bits <= 26:
            raise ValueError("n_bits must be between 4 and 26")
        self.n_bits = n_bits
        self.weights = (np.zeros(1 << n_bits, dtype=np.float32) if weights is None
                        else np.asarray(weights, dtype=np.float32))
        if self.weights.shape != (1 << n_bits,):
            raise ValueError("weights do not match n_bits")
        self.bias = float(bias)

    def __repr__(self) -> str:
        return f"LinearModel(n_bits={self.n_bits}, nonzero={int(np.count_nonzero(self.weights))})"

    def score(self, features: Sequence[str]) -> float:
        """The probability of one candidate."""
        z = self.bias + float(self.weights[hash_features(features, self.n_bits)].sum())
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))

    def scores(self, batch: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities of many candidates."""
        return np.array([self.score(f) for f in batch], dtype=np.float64)

    @classmethod
    def fit(cls, batch: Sequence[Sequence[str]], labels: Sequence[int], *, n_bits: int = 18,
            epochs: int = 12, learning_rate: float = 0.2, l2: float = 1e-5,
            balanced: bool = True, seed: int = 0,
            init: LinearModel | None = None) -> LinearModel:
        """Train by AdaGrad on the log loss, examples shuffled each epoch (``seed``).

        ``balanced`` weights each class by the inverse of its frequency, so a rare kept class
        is not drowned by the many candidates a high-recall rule proposes. ``init`` starts
        from a trained model's weights (fine-tuning: what the examples do not speak about
        stays as it was).
        """
        if init is not None:
            n_bits = init.n_bits
        if len(batch) != len(labels):
            raise ValueError("one label per example")
        if not batch:
            return cls(n_bits, init.weights.copy(), init.bias) if init is not None else cls(n_bits)
        y = np.asarray(labels, dtype=np.float64)
        rows = [hash_features(f, n_bits) for f in batch]
        pos = float(y.sum())
        neg = len(y) - pos
        if balanced and pos and neg:
            weight = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))
        else:
            weight = np.ones_like(y)
        w = (init.weights.astype(np.float64) if init is not None
             else np.zeros(1 << n_bits, dtype=np.float64))
        g2 = np.full(1 << n_bits, 1e-8)
        b, b2 = (init.bias if init is not None else 0.0), 1e-8
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
        return cls(n_bits, w.astype(np.float32), b)

    # -- serialisation -------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        nz = np.flatnonzero(self.weights)
        return srsly.msgpack_dumps({"n_bits": self.n_bits, "bias": self.bias,
                                    "index": nz.astype(np.int64).tolist(),
                                    "value": self.weights[nz].astype(float).tolist()})

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        msg = srsly.msgpack_loads(data)
        model = cls(int(msg["n_bits"]), bias=float(msg["bias"]))
        model.weights[np.asarray(msg["index"], dtype=np.int64)] = np.asarray(msg["value"],
                                                                           dtype=np.float32)
        return model
