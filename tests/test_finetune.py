"""Fine-tuning (``train_component(base=...)``, ``rectify train --base-model``): the base's
examples are refitted with the new ones from zero weights, so no new notice gives the base
back and a few new ones move only what they speak about."""

from __future__ import annotations

import numpy as np
import pytest

from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.decide.train import (
    FINE_TUNE_EPOCHS,
    prepare,
    rehearsal_start,
    train_component,
)

_TEXTS = [
    ("中共西湖街道工作委员会关于巡察整改情况的通报\n2023年5月,区委第一巡察组对西湖街道党工委开展了"
     "巡察。\n一、整改情况\n认真整改。\n", ["西湖街道党工委"]),
    ("中共南山镇委员会关于巡察整改进展情况的通报\n2023年10月,县委第二巡察组对南山镇党委开展了"
     "巡察。\n一、整改情况\n认真整改。\n", ["南山镇党委"]),
]


def _notices(offset: int = 0):
    return prepare([(f"t{offset + i}", {"inspection": {"targets": g}}, t)
                    for i, (t, g) in enumerate(_TEXTS)])


@pytest.fixture(scope="module")
def base():
    return train_component(["targets"], _notices(), epochs=FINE_TUNE_EPOCHS, seed=0)


def test_fine_tuning_on_nothing_gives_the_base_back(base):
    tuned = train_component(["targets"], [], base=base, epochs=FINE_TUNE_EPOCHS, seed=0)
    old, new = base.models["targets"], tuned.models["targets"]
    assert np.array_equal(old.weights, new.weights)
    assert new.bias == pytest.approx(old.bias)
    assert len(new.examples.labels) == len(old.examples.labels)


def test_warm_start_continues_from_the_base_weights(base):
    """The first fine-tuning (kept as ``warm_start``) trains the base further: more epochs."""
    tuned = train_component(["targets"], [], base=base, epochs=FINE_TUNE_EPOCHS, seed=0,
                            warm_start=True)
    assert not np.array_equal(base.models["targets"].weights, tuned.models["targets"].weights)


def test_fine_tuning_adds_the_new_examples_to_the_rehearsed_ones(base):
    tuned = train_component(["targets"], _notices(offset=10)[:1], base=base,
                            epochs=FINE_TUNE_EPOCHS, seed=0, new_weight=5.0)
    old = base.models["targets"].examples
    assert len(tuned.models["targets"].examples.labels) > len(old.labels)


def test_rehearsal_start_zeroes_weights_and_keeps_examples():
    model = LinearModel.fit([["a"], ["b"]] * 10, [1, 0] * 10, n_bits=8)
    start = rehearsal_start(model)
    assert not start.weights.any() and start.bias == 0.0
    assert start.examples is model.examples
    assert rehearsal_start(model, warm_start=True) is model
    bare = LinearModel(8, weights=model.weights, bias=model.bias)    # no examples kept
    assert rehearsal_start(bare) is bare


def test_fine_tuning_some_deciders_keeps_the_others_and_their_order():
    notices = _notices()
    base = train_component(["targets", "outline"], notices, epochs=2, seed=0)
    tuned = train_component(["outline"], notices[:1], base=base, epochs=2, seed=0)
    assert list(tuned.deciders) == ["targets", "outline"]
    assert tuned.models["targets"] is base.models["targets"]
    assert tuned.models["outline"] is not base.models["outline"]
