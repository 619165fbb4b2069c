"""A Hugging Face transformer as the ``tok2vec`` of the NER pipeline (one row per character).

The architecture ``rectify.TransformerTok2Vec.v1`` (:func:`transformer_tok2vec`) replaces
spaCy's CNN ``tok2vec``: it runs a BERT-style encoder (``bert-base-chinese``,
``hfl/chinese-roberta-wwm-ext``, or a local checkpoint folder) over each doc and returns one
vector per spaCy token, so the NER listener sees the same shapes as with the CNN::

    [components.tok2vec.model]
    @architectures = "rectify.TransformerTok2Vec.v1"
    name = "/models/bert-base-chinese"     # a checkpoint folder or a hub name
    window = 128
    stride = 96
    width = 256
    pooling = "mean"
    grad = true

How the wordpieces meet the tokens (the pipeline's tokens are single characters):

* ``doc.text`` is tokenised once with character offsets; each wordpiece is linked to every
  spaCy token whose characters it overlaps (:func:`align_tokens`).
* A token covered by several pieces pools them (``pooling``: their mean, or the first);
  a piece covering several tokens (``2024`` → ``20`` ``##24``; ``Жab`` → ``[UNK]``) gives its
  vector to each of them.
* A token no piece covers (whitespace, control characters the tokenizer drops) gets a zero
  encoder vector (after the ``width`` projection: the projection's bias), the same for every
  such character: it carries no information of its own, and the NER layer still sees its
  neighbours. (Copying a neighbour's vector instead would make a dropped space look like
  the character before it.)
* The piece sequence is cut into windows of ``window`` pieces, one starting every ``stride``
  pieces (:func:`window_starts`), each framed by ``[CLS]``/``[SEP]``; a piece inside several
  windows gets the mean of its outputs. Any document length works.

Trainable: the torch weights are updated by thinc's optimizer through
:class:`thinc.api.PyTorchShim`; ``grad=False`` freezes the encoder (the projection still
learns). Device: the encoder lives on thinc's current device (``spacy.require_gpu()`` /
``rectify train --gpu-id 0`` puts it on the GPU), its outputs are converted to the current
ops' arrays (numpy or cupy).

Self-contained serialisation: ``nlp.to_disk`` stores the checkpoint's config, tokenizer files
and weights in the component's model file; ``spacy.load`` rebuilds the encoder from them with
``AutoModel.from_config`` (never ``from_pretrained``), so a saved pipeline works offline
without the original checkpoint. ``transformers`` is imported only when such a model is
initialised or loaded, never by ``import rectify_nlp`` or a CNN pipeline.

>>> window_starts(300, window=128, stride=96)
[0, 96, 192]
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy
import spacy
import srsly
from spacy.tokens import Doc
from thinc.api import ArgsKwargs, Linear, Model, PyTorchShim, torch2xp, xp2torch
from thinc.types import Floats2d

try:  # torch is an optional dependency: pip install "rectify-nlp[transformers]"
    import torch
except ImportError:  # pragma: no cover
    torch = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

ARCHITECTURE = "rectify.TransformerTok2Vec.v1"
POOLINGS = ("mean", "first")
#: at most this many windows go through the encoder in one call at prediction time
PREDICT_WINDOWS = 64
_FORMAT = 1


@contextlib.contextmanager
def _quiet_progress() -> Iterator[None]:
    """Hide transformers' progress bars (loading/saving weights) for the block."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _require_torch() -> Any:
    if torch is None:  # pragma: no cover
        raise ImportError("the transformer backbone needs torch and transformers: "
                          'pip install "rectify-nlp[transformers]"')
    return torch


# -- alignment and windows (pure functions) ---------------------------------------------------

def window_starts(n_pieces: int, window: int, stride: int) -> list[int]:
    """Start offsets of the windows covering ``n_pieces`` pieces (``window`` long, one every
    ``stride``); the last window ends at ``n_pieces``'s end or beyond it.

    >>> window_starts(10, window=4, stride=3), window_starts(4, window=4, stride=3)
    ([0, 3, 6], [0])
    >>> window_starts(0, window=4, stride=3)
    []
    """
    if window < 1 or not 1 <= stride <= window:
        raise ValueError(f"need window >= 1 and 1 <= stride <= window, got {window}, {stride}")
    if n_pieces <= 0:
        return []
    starts = [0]
    while starts[-1] + window < n_pieces:
        starts.append(starts[-1] + stride)
    return starts


def align_tokens(token_offsets: Sequence[tuple[int, int]],
                 piece_offsets: Sequence[tuple[int, int]]) -> list[list[int]]:
    """For each token (character span), the indices of the pieces whose spans overlap it.

    A piece over several tokens appears in each of their lists; a token no piece overlaps
    gets ``[]``; empty piece spans (special tokens) overlap nothing.

    >>> text = "2024年 GDP"                      # tokens: one per non-space character
    >>> tokens = [(i, i + 1) for i, c in enumerate(text) if not c.isspace()]
    >>> pieces = [(0, 2), (2, 4), (4, 5), (6, 9)]  # 20 ##24 年 [UNK]
    >>> align_tokens(tokens, pieces)
    [[0], [0], [1], [1], [2], [3], [3], [3]]
    """
    if not token_offsets:
        return []
    end = max(max(e for _, e in token_offsets),
              max((e for _, e in piece_offsets), default=0))
    char_token = numpy.full(end, -1, dtype=numpy.int64)
    for i, (s, e) in enumerate(token_offsets):
        char_token[s:e] = i
    out: list[list[int]] = [[] for _ in token_offsets]
    for j, (s, e) in enumerate(piece_offsets):
        seen = -1
        for t in char_token[s:e].tolist():
            if t >= 0 and t != seen:
                if not out[t] or out[t][-1] != j:
                    out[t].append(j)
                seen = t
    return out


def _pairs(token_offsets: Sequence[tuple[int, int]], piece_offsets: Sequence[tuple[int, int]],
           pooling: str) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(token, piece, weight) triples: token vector = sum of weight × piece vector."""
    tokens: list[int] = []
    pieces: list[int] = []
    weights: list[float] = []
    for t, ps in enumerate(align_tokens(token_offsets, piece_offsets)):
        if not ps:
            continue
        if pooling == "first":
            ps = ps[:1]
        tokens.extend([t] * len(ps))
        pieces.extend(ps)
        weights.extend([1.0 / len(ps)] * len(ps))
    return (numpy.asarray(tokens, dtype=numpy.int64), numpy.asarray(pieces, dtype=numpy.int64),
            numpy.asarray(weights, dtype=numpy.float32))


@dataclass(frozen=True)
class _Batch:
    """Encoder input for a group of docs and how its outputs pool into token rows."""

    input_ids: numpy.ndarray  # (n_windows, max_len) int64
    attention_mask: numpy.ndarray  # (n_windows, max_len) int64
    flat_index: numpy.ndarray  # row of the flattened (n_windows * max_len) output per pair
    token_index: numpy.ndarray  # row of the concatenated token matrix per pair
    weights: numpy.ndarray  # float32 weight per pair
    n_tokens: int


def _plan(docs: Sequence[Doc], tokenizer: Any, *, window: int, stride: int, pooling: str,
          specials: tuple[int | None, int | None, int]) -> list[tuple[int, int, _Batch | None]]:
    """Cut ``docs`` into groups of at most :data:`PREDICT_WINDOWS` windows (a doc is never
    split); return ``(first_doc, end_doc, batch)`` per group (``batch`` None: no piece)."""
    cls_id, sep_id, pad_id = specials
    texts = [doc.text for doc in docs]
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True,
                    return_attention_mask=False, return_token_type_ids=False, verbose=False)
    per_doc = []
    for doc, ids, offsets in zip(docs, enc["input_ids"], enc["offset_mapping"]):
        offsets = [(int(s), int(e)) for s, e in offsets]
        token_offsets = [(t.idx, t.idx + len(t.text)) for t in doc]
        per_doc.append((list(ids), _pairs(token_offsets, offsets, pooling), len(doc),
                        window_starts(len(ids), window, stride)))
    groups: list[tuple[int, int, _Batch | None]] = []
    start = 0
    while start < len(docs):
        end, n_win = start, 0
        while end < len(docs) and (end == start or n_win + len(per_doc[end][3])
                                   <= PREDICT_WINDOWS):
            n_win += len(per_doc[end][3])
            end += 1
        groups.append((start, end, _build_batch(per_doc[start:end], window, cls_id, sep_id,
                                                pad_id)))
        start = end
    return groups


def _build_batch(per_doc: list[Any], window: int, cls_id: int | None, sep_id: int | None,
                 pad_id: int) -> _Batch | None:
    n_windows = sum(len(starts) for *_, starts in per_doc)
    if n_windows == 0:
        return None
    extra = (cls_id is not None) + (sep_id is not None)
    head = 1 if cls_id is not None else 0
    max_len = max(min(window, len(ids) - s) for ids, _, _, starts in per_doc for s in starts)
    max_len += extra
    input_ids = numpy.full((n_windows, max_len), pad_id, dtype=numpy.int64)
    mask = numpy.zeros((n_windows, max_len), dtype=numpy.int64)
    flat_parts, token_parts, weight_parts = [], [], []
    w = 0
    token_base = 0
    for ids, (p_tok, p_piece, p_w), n_tokens, starts in per_doc:
        n = len(ids)
        rows_piece, rows_flat = [], []
        for s in starts:
            piece = ids[s:s + window]
            row = ([cls_id] if cls_id is not None else []) + piece + \
                  ([sep_id] if sep_id is not None else [])
            input_ids[w, :len(row)] = row
            mask[w, :len(row)] = 1
            rows_piece.append(numpy.arange(s, s + len(piece)))
            rows_flat.append(w * max_len + head + numpy.arange(len(piece)))
            w += 1
        if len(p_tok):
            r_piece = numpy.concatenate(rows_piece)
            r_flat = numpy.concatenate(rows_flat)
            order = numpy.argsort(r_piece, kind="stable")
            r_flat = r_flat[order]
            count = numpy.bincount(r_piece, minlength=n)  # windows holding each piece
            first = numpy.cumsum(count) - count
            rep = count[p_piece]
            pair = numpy.repeat(numpy.arange(len(p_piece)), rep)
            within = numpy.arange(len(pair)) - numpy.repeat(numpy.cumsum(rep) - rep, rep)
            flat_parts.append(r_flat[first[p_piece[pair]] + within])
            token_parts.append(token_base + p_tok[pair])
            weight_parts.append((p_w[pair] / rep[pair]).astype(numpy.float32))
        token_base += n_tokens
    if not flat_parts:
        flat_parts, token_parts = [numpy.zeros(0, numpy.int64)], [numpy.zeros(0, numpy.int64)]
        weight_parts = [numpy.zeros(0, numpy.float32)]
    return _Batch(input_ids, mask, numpy.concatenate(flat_parts), numpy.concatenate(token_parts),
                  numpy.concatenate(weight_parts), token_base)


# -- the torch side --------------------------------------------------------------------------

if torch is not None:
    class TokenPooler(torch.nn.Module):
        """A Hugging Face encoder whose window outputs are pooled into token rows."""

        def __init__(self, transformer: Any) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, flat_index: Any,
                    token_index: Any, weights: Any, n_tokens: int) -> Any:
            hidden = self.transformer(input_ids=input_ids,
                                      attention_mask=attention_mask).last_hidden_state
            flat = hidden.reshape(-1, hidden.shape[-1])
            rows = flat.index_select(0, flat_index) * weights.unsqueeze(1).to(flat.dtype)
            out = flat.new_zeros((n_tokens, flat.shape[-1]))
            return out.index_add(0, token_index, rows)


class HFShim(PyTorchShim):
    """A :class:`PyTorchShim` that also holds the tokenizer and serialises the whole
    checkpoint (config, tokenizer files, weights), so a saved pipeline needs nothing else.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.tokenizer: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def transformer(self) -> Any:
        return self._model.transformer

    @property
    def device(self) -> Any:
        from thinc.util import get_torch_default_device

        if self._model is None:
            return get_torch_default_device()
        return super().device

    def set_transformer(self, transformer: Any, tokenizer: Any) -> None:
        from thinc.util import get_torch_default_device

        _require_torch()
        if not getattr(tokenizer, "is_fast", False):
            raise ValueError("the transformer backbone needs a fast (Rust) tokenizer for "
                             "character offsets; this checkpoint has none")
        self._model = TokenPooler(transformer.float()).to(get_torch_default_device())
        self.tokenizer = tokenizer

    def finish_update(self, optimizer: Any) -> None:
        if self._model is not None:
            super().finish_update(optimizer)

    def to_device(self, device_type: str, device_id: int) -> None:  # pragma: no cover
        if self._model is not None:
            super().to_device(device_type, device_id)

    def to_bytes(self) -> bytes:
        if self._model is None:
            return srsly.msgpack_dumps({"format": _FORMAT, "empty": True})
        import transformers

        files: dict[str, dict[str, bytes]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for part, save in (("config", self.transformer.config.save_pretrained),
                               ("tokenizer", self.tokenizer.save_pretrained)):
                folder = Path(tmp) / part
                folder.mkdir()
                save(str(folder))
                files[part] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
                               if p.is_file()}
        buf = io.BytesIO()
        torch.save({k: v.detach().cpu() for k, v in self.transformer.state_dict().items()},
                   buf)
        return srsly.msgpack_dumps({"format": _FORMAT, "empty": False, "files": files,
                                    "state": buf.getvalue(),
                                    "transformers": transformers.__version__})

    def from_bytes(self, bytes_data: bytes) -> HFShim:
        _require_torch()
        msg = srsly.msgpack_loads(bytes_data)
        if msg.get("empty", True):
            return self
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        with tempfile.TemporaryDirectory() as tmp:
            folders = {}
            for part, content in msg["files"].items():
                folder = Path(tmp) / part
                folder.mkdir()
                for name, data in content.items():
                    (folder / Path(name).name).write_bytes(data)
                folders[part] = str(folder)
            config = AutoConfig.from_pretrained(folders["config"])
            tokenizer = AutoTokenizer.from_pretrained(folders["tokenizer"])
        with _quiet_progress():
            transformer = AutoModel.from_config(config)
        state = torch.load(io.BytesIO(msg["state"]), map_location="cpu", weights_only=True)
        transformer.load_state_dict(state)
        self.set_transformer(transformer, tokenizer)
        return self


# -- the thinc model -------------------------------------------------------------------------

@spacy.registry.architectures(ARCHITECTURE)
def transformer_tok2vec(name: str | None, window: int = 128, stride: int = 96,
                        width: int | None = None, pooling: str = "mean",
                        grad: bool = True) -> Model[list[Doc], list[Floats2d]]:
    """A Hugging Face encoder as a ``tok2vec`` layer: docs → one vector per token.

    ``name``: a checkpoint folder or hub name, read with ``from_pretrained`` when the model is
    initialised (``nlp.initialize``), never when a saved pipeline is loaded.
    ``window``/``stride``: pieces per window and between window starts (``stride <= window``;
    overlaps are averaged). ``width``: a linear projection to this width (so the listener's
    width is fixed in the config whatever the checkpoint); ``None``: the hidden size.
    ``pooling``: ``"mean"`` or ``"first"`` of the pieces over one token. ``grad=False``:
    freeze the encoder.

    >>> model = transformer_tok2vec("bert-base-chinese", width=256)   # nothing loaded yet
    >>> model.get_dim("nO"), model.attrs["window"], model.attrs["pooling"]
    (256, 128, 'mean')
    """
    if window < 1 or not 1 <= stride <= window:
        raise ValueError(f"need window >= 1 and 1 <= stride <= window, got {window}, {stride}")
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}")
    if width is not None and width < 1:
        raise ValueError(f"width must be positive or null, got {width}")
    layers = [Linear(nO=width)] if width is not None else []
    return Model("rectify_transformer_tok2vec", _forward, init=_init, layers=layers,
                 shims=[HFShim()], dims={"nO": width},
                 attrs={"name": name, "window": window, "stride": stride, "pooling": pooling,
                        "grad": grad})


def load_checkpoint(name: str) -> tuple[Any, Any]:
    """``(AutoModel, AutoTokenizer)`` from a checkpoint folder or hub name (fast tokenizer)."""
    _require_torch()
    from transformers import AutoModel, AutoTokenizer

    looks_like_path = (name.startswith((".", "/", "~")) or os.sep in name.strip("/")
                       and name.count("/") != 1)
    if looks_like_path and not Path(name).expanduser().is_dir():
        raise FileNotFoundError(f"no checkpoint folder at {name!r} (a Hugging Face model is "
                                "a folder with config.json, or a hub name like "
                                "'bert-base-chinese')")
    with _quiet_progress():
        tokenizer = AutoTokenizer.from_pretrained(name)
        transformer = AutoModel.from_pretrained(name)
    return transformer, tokenizer


def _max_pieces(shim: HFShim) -> int:
    limit = int(getattr(shim.transformer.config, "max_position_embeddings", 512) or 512)
    tok_limit = getattr(shim.tokenizer, "model_max_length", None)
    if isinstance(tok_limit, int) and 0 < tok_limit < 1_000_000:
        limit = min(limit, tok_limit)
    return limit


def _init(model: Model, X: Any = None, Y: Any = None) -> None:
    shim: HFShim = model.shims[0]
    name = model.attrs["name"]
    if name:
        logger.info("loading transformer checkpoint %s", name)
        shim.set_transformer(*load_checkpoint(str(name)))
    elif not shim.loaded:
        raise ValueError(f"{ARCHITECTURE}: no checkpoint to initialise from; set the model's "
                         "name (in the shipped config: --set paths.transformer=FOLDER)")
    extra = 2
    if model.attrs["window"] + extra > _max_pieces(shim):
        raise ValueError(f"window {model.attrs['window']} (+{extra} special tokens) exceeds "
                         f"the checkpoint's {_max_pieces(shim)} positions")
    shim.transformer.requires_grad_(bool(model.attrs["grad"]))
    hidden = int(shim.transformer.config.hidden_size)
    if model.layers:
        proj = model.layers[0]
        proj.set_dim("nI", hidden)
        proj.initialize()
    else:
        model.set_dim("nO", hidden)


def _specials(tokenizer: Any) -> tuple[int | None, int | None, int]:
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None \
        else tokenizer.bos_token_id
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None \
        else tokenizer.eos_token_id
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    return cls_id, sep_id, int(pad_id)


def _forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    shim: HFShim = model.shims[0]
    if not shim.loaded:
        raise ValueError(f"{ARCHITECTURE} is not initialised: call nlp.initialize() or load "
                         "a trained pipeline")
    ops = model.ops
    hidden = int(shim.transformer.config.hidden_size)
    train_encoder = is_train and bool(model.attrs["grad"])
    groups = _plan(docs, shim.tokenizer, window=model.attrs["window"],
                   stride=model.attrs["stride"], pooling=model.attrs["pooling"],
                   specials=_specials(shim.tokenizer))
    outputs: list[Any] = []
    callbacks: list[tuple[Any, Callable | None]] = []
    device = shim.device
    for first, end, batch in groups:
        n_tokens = sum(len(doc) for doc in docs[first:end])
        if batch is None or len(batch.flat_index) == 0:
            outputs.append(ops.alloc2f(n_tokens, hidden))
            callbacks.append((None, None))
            continue
        args = ArgsKwargs(args=(), kwargs={
            "input_ids": torch.as_tensor(batch.input_ids, device=device),
            "attention_mask": torch.as_tensor(batch.attention_mask, device=device),
            "flat_index": torch.as_tensor(batch.flat_index, device=device),
            "token_index": torch.as_tensor(batch.token_index, device=device),
            "weights": torch.as_tensor(batch.weights, device=device),
            "n_tokens": batch.n_tokens})
        if train_encoder:
            out, bp_torch = shim.begin_update(args)
            callbacks.append((out, bp_torch))
        else:
            out = shim.predict(args)
            callbacks.append((None, None))
        outputs.append(ops.asarray2f(torch2xp(out, ops=ops), dtype="float32"))
    H = ops.xp.concatenate(outputs, axis=0) if outputs else ops.alloc2f(0, hidden)
    if model.layers:
        Yflat, bp_proj = model.layers[0](H, is_train)
    else:
        Yflat, bp_proj = H, None
    lengths = [len(doc) for doc in docs]
    bounds = numpy.cumsum([0] + lengths)
    Y = [Yflat[bounds[i]:bounds[i + 1]] for i in range(len(docs))]

    def backprop(dY: list[Floats2d]) -> list[Doc]:
        if not docs:
            return []
        dflat = ops.xp.concatenate([ops.asarray2f(d) for d in dY], axis=0)
        dH = bp_proj(dflat) if bp_proj is not None else dflat
        if train_encoder:
            g_bounds = numpy.cumsum([0] + [sum(lengths[f:e]) for f, e, _ in groups])
            for gi, (out, bp_torch) in enumerate(callbacks):
                if bp_torch is None:
                    continue
                grad = ops.xp.ascontiguousarray(dH[g_bounds[gi]:g_bounds[gi + 1]])
                bp_torch(ArgsKwargs(args=(out,),
                                    kwargs={"grad_tensors": (xp2torch(grad, device=device),)}))
        return []

    return Y, backprop


# -- a tiny random checkpoint for tests and benchmarks ---------------------------------------

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def build_tiny_bert(path: str | Path, characters: Iterable[str], *, hidden_size: int = 32,
                    num_layers: int = 2, num_heads: int = 2, intermediate_size: int = 64,
                    max_position: int = 512, seed: int = 0) -> Path:
    """Write a randomly initialised ``BertModel`` + fast BERT tokenizer to ``path``.

    The vocabulary is the special tokens, then each character of ``characters`` (whitespace
    skipped; ASCII letters lower-cased, as the tokenizer lower-cases), then ``##a``…``##z``
    and ``##0``…``##9`` so that latin and digit runs split into pieces. For a bert-base-sized
    model (speed benchmarks) pass ``hidden_size=768, num_layers=12, num_heads=12,
    intermediate_size=3072``. Nothing is downloaded.

    >>> import tempfile
    >>> folder = build_tiny_bert(tempfile.mkdtemp(), "整改2024年GDP")   # doctest: +SKIP
    >>> sorted(p.name for p in folder.iterdir())                        # doctest: +SKIP
    ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']
    """
    _require_torch()
    from transformers import BertConfig, BertModel, BertTokenizerFast

    ascii_alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
    vocab: dict[str, None] = dict.fromkeys(SPECIAL_TOKENS)
    for chars in characters:
        for c in chars:
            if c.isspace():
                continue
            vocab[c.lower() if c.isascii() else c] = None
    for c in ascii_alnum:
        vocab[c] = None
    for c in ascii_alnum:
        vocab["##" + c] = None
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file = folder / "vocab.txt"
    vocab_file.write_text("".join(f"{v}\n" for v in vocab), encoding="utf-8")
    tokenizer = BertTokenizerFast(str(vocab_file), model_max_length=max_position)
    config = BertConfig(vocab_size=len(vocab), hidden_size=hidden_size,
                        num_hidden_layers=num_layers, num_attention_heads=num_heads,
                        intermediate_size=intermediate_size,
                        max_position_embeddings=max_position)
    torch.manual_seed(seed)
    model = BertModel(config)
    with _quiet_progress():
        model.save_pretrained(str(folder))
        tokenizer.save_pretrained(str(folder))
    return folder


__all__ = ["ARCHITECTURE", "HFShim", "align_tokens", "build_tiny_bert", "load_checkpoint",
           "transformer_tok2vec", "window_starts"]
