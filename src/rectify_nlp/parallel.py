"""Extraction on a Dask cluster: a bag of results, partitioned Parquet, and a batch mapper.

Dask is an optional dependency (``pip install 'rectify-nlp[dask]'``), imported only when a
function here needs it.

* :func:`extract_bag` — a :class:`dask.bag.Bag` of :class:`~rectify_nlp.batch.ItemResult`,
  one per input, in input order;
* :func:`write_parquet_partitions` — each partition of such a bag written by the worker that
  computed it, as ``OUTDIR/<frame>/part-00000.parquet`` … (frames of
  :func:`rectify_nlp.to_frames`; read a frame back with ``pandas.read_parquet(OUTDIR /
  "notices")``);
* :func:`connect` — a client for ``local:N`` (a :class:`distributed.LocalCluster` with ``N``
  worker processes, one thread each, started and stopped here) or a scheduler address;
* :func:`dask_mapper` — the cluster as the mapper of :func:`rectify_nlp.batch.run_batch`,
  so ``rectify extract SOURCE --dask local:4 --out OUT`` is resumable like a local run.

Each worker loads the pipeline once: :func:`worker_extractor` keeps one extractor per model
(``"rules"`` or an absolute folder) in each worker process — per thread, since spaCy
pipelines are not shared between threads; extraction holds the GIL, so workers with one
thread each (``local:N`` starts them so) are the efficient set-up. Files are read by the
workers, so on a real cluster the paths must be visible to every worker (a shared file
system), and so must ``OUTDIR`` for :func:`write_parquet_partitions`.

>>> import rectify_nlp.parallel as par
>>> par.model_key("rules")
'rules'
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_nlp.batch import (
    Item,
    ItemResult,
    Mapper,
    extract_one,
    frames_to_parquet_bytes,
    resolve_model,
)
from rectify_nlp.io.write import atomic_write_bytes

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import distributed

    from rectify_nlp.extractor import Extractor

__all__ = ["connect", "dask_mapper", "extract_bag", "model_key", "worker_extractor",
           "write_parquet_partitions"]

_EXTRA = "pip install 'rectify-nlp[dask]'"


def _require_dask() -> None:
    """Import dask.bag and distributed, or raise ImportError naming the extra."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"Dask support needs dask[bag] and distributed: {_EXTRA} "
                          f"({exc})") from exc


def model_key(model: str | os.PathLike[str] | None) -> str:
    """The model as the workers load it: ``"rules"`` or an absolute folder (None: what
    :func:`rectify_nlp.load` would pick here, resolved on the client, not on the workers)."""
    return resolve_model(model)


_LOCAL = threading.local()
#: how many times this process loaded each model (for tests and diagnostics)
LOADS: dict[str, int] = {}


def worker_extractor(model: str) -> Extractor:
    """The extractor for ``model`` in this process (and thread), loaded on first use."""
    cache: dict[str, Extractor] | None = getattr(_LOCAL, "extractors", None)
    if cache is None:
        cache = _LOCAL.extractors = {}
    if model not in cache:
        from rectify_nlp.extractor import load

        cache[model] = load(model)
        LOADS[model] = LOADS.get(model, 0) + 1
    return cache[model]


def _extract_on_worker(item: Item, model: str, as_json: bool = False) -> ItemResult:
    return extract_one(worker_extractor(model), item, as_json=as_json)


def as_items(paths_or_texts: Iterable[str | bytes | os.PathLike[str] | Item]) -> list[Item]:
    """Items for :func:`extract_bag`: a :class:`~pathlib.Path` (any ``os.PathLike``) is a
    file, read by the worker (named by its stem, ``meta.source`` its path); a ``str`` or
    ``bytes`` is the text of a notice (named ``text_<position>``, no source); an
    :class:`~rectify_nlp.batch.Item` is used as it is.

    >>> [i.name for i in as_items([Path("a/n1.txt"), "巡察整改"])]
    ['n1', 'text_1']
    """
    items = []
    for i, x in enumerate(paths_or_texts):
        if isinstance(x, Item):
            items.append(x)
        elif isinstance(x, os.PathLike):
            items.append(Item(id=str(Path(x).resolve()), name=Path(x).stem, source=str(x),
                              path=str(x)))
        elif isinstance(x, (str, bytes)):
            items.append(Item(id=str(i), name=f"text_{i}", source=None, data=x))
        else:
            raise TypeError(f"expected a path, str, bytes or Item, got {type(x).__name__}")
    return items


def extract_bag(paths_or_texts: Iterable[str | bytes | os.PathLike[str] | Item], *,
                model: str | os.PathLike[str] | None = None,
                npartitions: int | None = None) -> dask.bag.Bag:
    """A Dask bag of :class:`~rectify_nlp.batch.ItemResult`, one per input, in order.

    ``paths_or_texts``: see :func:`as_items` (paths as ``pathlib.Path``; a ``str`` is
    text). ``model``: as :func:`rectify_nlp.load`, resolved here. ``npartitions``: default
    Dask's (about 100 items a partition, at most 100 partitions). Nothing runs until the bag is
    computed (on the current client, or Dask's default scheduler). A failed input gives a
    result with ``error`` and ``message``, never an exception.

    >>> import rectify_nlp.parallel as par                          # doctest: +SKIP
    >>> with par.connect("local:2"):                                # doctest: +SKIP
    ...     results = par.extract_bag(paths, model="rules").compute()
    """
    _require_dask()
    import dask.bag as db

    items = as_items(paths_or_texts)
    kwargs: dict[str, Any] = {}
    if npartitions is not None:
        kwargs["npartitions"] = max(1, min(npartitions, len(items) or 1))
    return db.from_sequence(items, **kwargs).map(_extract_on_worker, model=model_key(model))


def _write_partition(results: list[ItemResult], outdir: str, index: int) -> list[ItemResult]:
    """Write one partition's frames (``OUTDIR/<frame>/part-<index>.parquet``); return the
    failures (their results are None)."""
    from rectify_nlp.frames import to_frames

    done = {r.name: r.result for r in results if r.result is not None}
    for frame, data in frames_to_parquet_bytes(to_frames(done)).items():
        atomic_write_bytes(Path(outdir) / frame / f"part-{index:05d}.parquet", data)
    return [r for r in results if r.result is None]


def write_parquet_partitions(bag: dask.bag.Bag, outdir: str | os.PathLike[str],
                             ) -> list[ItemResult]:
    """Compute ``bag`` (of :func:`extract_bag`) and write each partition as
    ``OUTDIR/<frame>/part-<i>.parquet`` for the five frames of :func:`rectify_nlp.to_frames`
    (the ``notice`` column is the item's name), every file written atomically by the worker
    that computed the partition. Returns the inputs that failed.

    Every part of a frame has the same Arrow schema
    (:func:`rectify_nlp.batch.parquet_schema`), so ``pandas.read_parquet(OUTDIR /
    "problems")`` reads a frame whole.
    """
    _require_dask()
    import dask
    from dask import delayed

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = [delayed(_write_partition)(part, str(out), i)
             for i, part in enumerate(bag.to_delayed())]
    failed: list[ItemResult] = []
    for part_failures in dask.compute(*tasks):
        failed.extend(part_failures)
    return failed


@contextlib.contextmanager
def connect(scheduler: str) -> Iterator[distributed.Client]:
    """A Dask client: ``local:N`` starts a :class:`distributed.LocalCluster` of ``N`` worker
    processes with one thread each, its HTTP server on a free port (closed on exit); anything
    else is a scheduler address
    (``tcp://host:8786``) to join an existing cluster (left running on exit)."""
    _require_dask()
    from distributed import Client, LocalCluster

    if scheduler.startswith("local:"):
        try:
            n = int(scheduler.split(":", 1)[1])
        except ValueError:
            raise ValueError(f"--dask {scheduler}: expected local:N, N a number") from None
        if n < 1:
            raise ValueError(f"--dask {scheduler}: N must be at least 1")
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            yield client
    else:
        with Client(scheduler) as client:
            yield client


def dask_mapper(client: distributed.Client, model: str | os.PathLike[str] | None, *,
                window: int | None = None) -> Mapper:
    """A mapper for :func:`rectify_nlp.batch.run_batch` that extracts on ``client``'s
    workers, in order, with at most ``window`` items in flight (default four per worker
    thread), so the input is read lazily; the workers also serialise the results."""
    key = model_key(model)

    def run(items: Iterable[Item]) -> Iterator[ItemResult]:
        threads = sum(client.nthreads().values()) or 1
        limit = window or 4 * threads
        pending: deque[Any] = deque()
        for item in items:
            pending.append(client.submit(_extract_on_worker, item, key, True, pure=False))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    return run
