"""Resumable, lossless batch extraction into a folder: one JSON per notice and a manifest.

:func:`run_batch` extracts a stream of :class:`Item` (files, or the records of a JSONL crawl)
into ``OUTDIR``:

* every output (``OUTDIR/<name>.json``) is written atomically (a temporary file in the same
  folder, flushed, fsync'ed and renamed into place), so a process killed at any moment —
  even with ``SIGKILL`` — leaves no half-written file;
* once an output is in place, one line is appended (and fsync'ed) to the manifest,
  ``OUTDIR/.rectify-manifest.jsonl``::

      {"id": "/abs/crawl/a.txt", "input": "crawl/a.txt", "sha256": "…",
       "pipeline": {"model": "rules", "name": "rectify", "version": "0.0.0",
                    "rectify_nlp": "0.1.0"}, "output": "a.json"}

* a rerun (``resume=True``) skips an input whose manifest entry has the same SHA-256 of the
  input bytes, the same pipeline identity (model path, model name and version, library
  version) and whose output file still exists; it redoes the others (new, changed, extracted
  by another model, output deleted). An input that was being extracted when the process died
  has no manifest line, so it is simply done again: nothing already written is lost.
* what failed, and why, goes to ``OUTDIR/errors.jsonl`` (``{"input", "error", "message"}``
  a line), rewritten by each run. Temporary files a killed run left (``.<name>.<hex>.tmp``)
  are removed when the next run starts.

The manifest is read with the last line of an id winning; a torn last line (a kill while
appending) is ignored. Each run starts by compacting it (atomically) to one line per id.

Inputs: :func:`file_items` for files, :func:`crawl_items` for a JSONL crawl whose lines are
``{"id": …, "url": …, "text": …}`` or ``{… "html": …}`` (one output per record, named by
:func:`safe_name` of its id). :func:`extract_items` runs items through an extractor (in worker
processes with ``n_process > 1``) and gives an :class:`ItemResult` per item, in order, an error
never stopping the others; :func:`write_parquet` writes results as Parquet tables.

>>> safe_name("gov.cn/notice?id=7")
'gov.cn_notice_id_7-ecf242a9'
>>> safe_name("004_整改通报")
'004_整改通报'
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rectify_nlp import __version__
from rectify_nlp.errors import RectifyError
from rectify_nlp.io.read import read_bytes
from rectify_nlp.io.write import atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:  # pragma: no cover
    from rectify_nlp.extractor import Extractor
    from rectify_nlp.schema import Rectification

__all__ = [
    "ERRORS_NAME",
    "MANIFEST_NAME",
    "BatchReport",
    "Item",
    "ItemResult",
    "ManifestEntry",
    "crawl_items",
    "extract_items",
    "extract_one",
    "file_items",
    "is_crawl_jsonl",
    "pipeline_identity",
    "read_manifest",
    "resolve_model",
    "run_batch",
    "safe_name",
    "write_errors",
    "write_parquet",
]

logger = logging.getLogger(__name__)

#: The manifest in the output folder (hidden: it is not a result).
MANIFEST_NAME = ".rectify-manifest.jsonl"
#: The per-input error report in the output folder, rewritten by each run.
ERRORS_NAME = "errors.jsonl"
#: Longest output name stem (file systems allow 255 bytes; CJK takes 3 bytes a character).
MAX_NAME_CHARS = 80

_UNSAFE = re.compile(r"[^\w.\-]+")


# -- items ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One notice to extract.

    ``id`` is the stable key of the manifest (a file's resolved path, a crawl record's id);
    ``name`` the proposed output name stem; ``source`` what the result's ``meta.source`` and
    the error report say (the path as given, the record's URL). The content is ``data`` (text
    or bytes, decoded by the extractor) or, when that is None, the file at ``path``.
    ``error`` is an (error kind, message) found before extraction (a bad crawl line): such an
    item fails without being extracted. ``digest`` is the SHA-256 of the content once
    :func:`run_batch` has read it. ``write_to``: the output file the extracting process writes
    itself (atomically, fsync'ed) when results are asked for as JSON, so that worker processes
    write in parallel instead of queueing on the parent.
    """

    id: str
    name: str
    source: str | None
    data: str | bytes | None = None
    path: str | None = None
    max_bytes: int | None = None
    error: tuple[str, str] | None = None
    digest: str | None = None
    write_to: str | None = None

    def read(self) -> str | bytes:
        """The content: ``data``, else the bytes of ``path`` (RectifyInputError if unreadable)."""
        if self.data is not None:
            return self.data
        if self.path is None:
            raise ValueError(f"item {self.id!r} has neither data nor path")
        return read_bytes(self.path, max_bytes=self.max_bytes)


@dataclass(frozen=True)
class ItemResult:
    """What became of one :class:`Item`: a result, or an error kind and message.

    With ``as_json`` (:func:`extract_items`), ``json_text`` holds the result as the JSON text of
    an output file (``result.to_json() + "\\n"``, made in the worker) and ``result`` is None;
    when the item named a ``write_to`` file, the worker wrote it there and ``written`` is True.
    """

    id: str
    name: str
    source: str | None
    result: Rectification | None = None
    error: str | None = None
    message: str | None = None
    sha256: str | None = None
    json_text: str | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.result is not None or self.json_text is not None or self.written


def safe_name(identifier: str) -> str:
    """A file-name stem for ``identifier``: letters (any script), digits, ``._-`` kept, other
    runs replaced by ``_``, at most :data:`MAX_NAME_CHARS` characters. When anything had to
    change, 8 hex digits of the identifier's SHA-256 are appended, so two ids that differ only
    in replaced characters (``a/b``, ``a?b``) still get two names.

    >>> safe_name("a/b") != safe_name("a?b")
    True
    >>> safe_name("..")
    'record-5ec1f7e7'
    """
    cleaned = _UNSAFE.sub("_", identifier).strip("._") or "record"
    cleaned = cleaned[:MAX_NAME_CHARS]
    if cleaned == identifier:
        return cleaned
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"


def file_items(paths: Iterable[str | os.PathLike[str] | tuple[str, str]], *,
               max_bytes: int | None = None) -> Iterator[Item]:
    """Items for files: ``paths`` are paths, or (path, output name stem) pairs.

    The id is the resolved absolute path (so a rerun from another folder, or with the folder
    given another way, finds the same entries); the name defaults to the file's stem.
    """
    for entry in paths:
        path, name = entry if isinstance(entry, tuple) else (str(entry), Path(entry).stem)
        path = str(path)
        yield Item(id=str(Path(path).resolve()), name=name, source=path, path=path,
                   max_bytes=max_bytes)


def is_crawl_jsonl(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a JSONL crawl: a ``.jsonl`` file whose first non-blank line is a
    JSON object with a ``text`` or ``html`` field."""
    p = Path(path)
    if p.suffix.lower() != ".jsonl" or not p.is_file():
        return False
    try:
        with p.open("rb") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and ("text" in record or "html" in record)
    except (OSError, ValueError):
        return False
    return False


def crawl_items(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Iterator[Item]:
    """Items for the records of a JSONL crawl, read lazily, one a line:
    ``{"id": …, "url": …, "text": …}`` (or ``"html"`` instead of ``"text"``; ``text`` wins
    when both are there). The id (a string or an integer) is the manifest key and, through
    :func:`safe_name`, the output name; ``meta.source`` is the URL, else ``<file>#<id>``.

    A line that is not a JSON object, has no id or no text, or is larger than ``max_bytes``
    gives an item carrying the error (``input`` ``crawl.jsonl:LINE``). A repeated id is an
    error too (the first record with that id is kept).
    """
    seen: dict[str, int] = {}
    path = str(path)
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"

            def bad(kind: str, message: str, rid: str | None = None, where: str = where) -> Item:
                return Item(id=rid or where, name="", source=where, error=(kind, message))

            if max_bytes is not None and len(raw) > max_bytes:
                yield bad("RectifyInputError",
                          f"{where}: record too large ({len(raw)} bytes > max_bytes={max_bytes})")
                continue
            try:
                record = json.loads(raw)
            except ValueError as exc:
                yield bad("InvalidRecord", f"{where}: not JSON: {exc}")
                continue
            if not isinstance(record, dict):
                yield bad("InvalidRecord", f"{where}: not a JSON object")
                continue
            rid = record.get("id")
            if isinstance(rid, bool) or not isinstance(rid, (str, int)) or str(rid) == "":
                yield bad("InvalidRecord", f"{where}: record has no id (a string or integer)")
                continue
            rid = str(rid)
            body = record.get("text")
            if body is None:
                body = record.get("html")
            if not isinstance(body, str):
                yield bad("InvalidRecord", f"{where}: record {rid!r} has no text or html string",
                          rid)
                continue
            if rid in seen:
                yield bad("DuplicateId",
                          f"{where}: id {rid!r} already used at line {seen[rid]}; skipped",
                          f"{rid}#line{lineno}")
                continue
            seen[rid] = lineno
            url = record.get("url")
            source = url if isinstance(url, str) and url else f"{path}#{rid}"
            yield Item(id=rid, name=safe_name(rid), source=source, data=body)


# -- extraction ----------------------------------------------------------------------------


def extract_one(extractor: Extractor, item: Item, *, as_json: bool = False) -> ItemResult:
    """Extract one item; an error (unreadable input, and even an internal error) becomes the
    result's ``error``/``message``, never an exception. ``as_json``: give the result as the
    text of its output file (``ItemResult.json_text``) instead of the object."""
    base = ItemResult(id=item.id, name=item.name, source=item.source, sha256=item.digest)
    if item.error is not None:
        return replace(base, error=item.error[0], message=item.error[1])
    where = item.source or item.id
    try:
        result = extractor(item.read(), source=item.source)
        if as_json and item.write_to is not None:
            atomic_write_text(Path(item.write_to), result.to_json() + "\n")
            return replace(base, written=True)
        if as_json:
            return replace(base, json_text=result.to_json() + "\n")
        return replace(base, result=result)
    except RectifyError as exc:
        msg = str(exc)
        if not msg.startswith(where):
            msg = f"{where}: {msg}"
        return replace(base, error=type(exc).__name__, message=msg)
    except Exception as exc:  # one bad notice must not stop the others
        logger.exception("internal error on %s", where)
        return replace(base, error="InternalError",
                       message=f"{where}: internal error: {type(exc).__name__}: {exc}")


def _pool_extract(item: Item) -> ItemResult:
    """Worker-process side of :func:`extract_items` (the extractor the pool loaded)."""
    from rectify_nlp import extractor as extractor_module

    worker = extractor_module._WORKER
    assert worker is not None  # noqa: S101
    return extract_one(worker, item)


def _pool_extract_json(item: Item) -> ItemResult:
    from rectify_nlp import extractor as extractor_module

    worker = extractor_module._WORKER
    assert worker is not None  # noqa: S101
    return extract_one(worker, item, as_json=True)


def extract_items(extractor: Extractor, items: Iterable[Item], *, n_process: int = 1,
                  window: int | None = None, as_json: bool = False) -> Iterator[ItemResult]:
    """Extract ``items`` in order, streaming: one :class:`ItemResult` per item.

    ``n_process > 1`` runs worker processes that each load the pipeline once (the pool of
    :meth:`Extractor.pipe <rectify_nlp.extractor.Extractor.pipe>`); at most ``window``
    (default ``4 * n_process``) items are in flight, so ``items`` is read lazily.
    ``as_json`` gives each result as its output file's JSON text, serialised in the worker
    (serialising takes about a seventh of the rule layer's time: left to one parent process,
    it would cap the speed-up).
    """
    if n_process < 1:
        raise ValueError("n_process must be at least 1")
    if n_process == 1:
        for item in items:
            yield extract_one(extractor, item, as_json=as_json)
        return
    from rectify_nlp.extractor import _bounded_pool_map

    yield from _bounded_pool_map(extractor._spec(),
                                 _pool_extract_json if as_json else _pool_extract, items,
                                 n_process, window=window or 4 * n_process,
                                 mp_spawn=extractor._uses_torch)


# -- the pipeline's identity -----------------------------------------------------------------


def resolve_model(model: str | os.PathLike[str] | None) -> str:
    """The model that :func:`rectify_nlp.load` would load for ``model``, as a stable string:
    ``"rules"`` or an absolute folder path (``$RECTIFY_MODEL``, then the shipped default, for
    None)."""
    from rectify_nlp.extractor import DEFAULT_MODEL_DIR, MODEL_ENV

    if model is None:
        env = os.environ.get(MODEL_ENV)
        if env:
            model = env
        elif (DEFAULT_MODEL_DIR / "config.cfg").exists():
            model = DEFAULT_MODEL_DIR
        else:
            model = "rules"
    return "rules" if str(model) == "rules" else str(Path(model).resolve())


def pipeline_identity(extractor: Extractor) -> dict[str, str]:
    """What a manifest entry records of the pipeline that made an output: the model
    (``rules`` or its absolute folder), the model's name and version (``meta.json``) and
    the library's version. An output made under another identity is redone."""
    return {
        "model": resolve_model(extractor.path or "rules"),
        "name": str(extractor.meta.get("name", "")),
        "version": str(extractor.meta.get("version", "")),
        "rectify_nlp": __version__,
    }


# -- the manifest --------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """One done input: its id, how it was given, the SHA-256 of its bytes, the pipeline
    identity that extracted it and its output file (relative to the output folder)."""

    id: str
    input: str
    sha256: str
    pipeline: dict[str, str]
    output: str

    def to_line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n"


def read_manifest(outdir: str | os.PathLike[str]) -> dict[str, ManifestEntry]:
    """The manifest of ``outdir``: id → its last entry. Lines that do not parse (a torn last
    line after a kill) are ignored; a missing manifest is empty."""
    path = Path(outdir) / MANIFEST_NAME
    entries: dict[str, ManifestEntry] = {}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return entries
    for line in raw.splitlines():
        try:
            d = json.loads(line)
            entry = ManifestEntry(id=str(d["id"]), input=str(d["input"]),
                                  sha256=str(d["sha256"]), pipeline=dict(d["pipeline"]),
                                  output=str(d["output"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("%s: ignoring a line that does not parse", path)
            continue
        entries[entry.id] = entry
    return entries


class _AppendLog:
    """A JSONL file appended to line by line, each line flushed and fsync'ed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def append(self, line: str) -> None:
        self._fh.write(line)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


@contextlib.contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder ``outdir`` itself (no lock file): two runs
    writing one folder would interleave their manifests. POSIX only; elsewhere no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(outdir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise RectifyError(f"{outdir}: another rectify run is writing this folder") from None
        yield
    finally:
        os.close(fd)  # releases the lock


# -- the batch ------------------------------------------------------------------------------


@dataclass
class BatchReport:
    """What one :func:`run_batch` did: outputs written, inputs skipped as already done,
    inputs that failed (also in ``errors.jsonl``)."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[ItemResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.written) + len(self.skipped) + len(self.failed)


#: A mapper runs items through a pipeline: :func:`extract_items` locally, or Dask's
#: (:func:`rectify_nlp.parallel.dask_mapper`). Order does not matter to :func:`run_batch`.
Mapper = Callable[[Iterable[Item]], Iterable[ItemResult]]


def run_batch(items: Iterable[Item], outdir: str | os.PathLike[str], *,
              extractor: Extractor, n_process: int = 1, resume: bool = True,
              mapper: Mapper | None = None,
              progress: Callable[[str, ItemResult], None] | None = None) -> BatchReport:
    """Extract ``items`` into ``outdir`` (one ``<name>.json`` each), resumably and losslessly.

    ``resume=True`` skips the items the manifest lists as done by this pipeline on the same
    bytes with the output still there; ``resume=False`` starts a new manifest and redoes all.
    ``mapper`` replaces the local extraction (``extract_items(extractor, …, n_process)``),
    e.g. by a Dask cluster's; ``extractor`` still gives the pipeline identity.
    ``progress(status, item_result)`` is called per item with status ``written``,
    ``skipped`` or ``failed``.

    Output names are stable: an id the manifest knows keeps its output file; a new id gets its
    proposed name, with ``_2``, ``_3``… when another id already has it.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    identity = pipeline_identity(extractor)
    report = BatchReport()
    notify = progress or (lambda status, res: None)
    with _locked(out):
        _remove_stale_temporaries(out)
        manifest = read_manifest(out) if resume else {}
        # compact: one line per id, atomically (a fresh, empty manifest without resume)
        atomic_write_text(out / MANIFEST_NAME, "".join(e.to_line() for e in manifest.values()))
        atomic_write_text(out / ERRORS_NAME, "")
        log = _AppendLog(out / MANIFEST_NAME)
        errors = _AppendLog(out / ERRORS_NAME)
        used = {e.output for e in manifest.values()}
        ids_this_run: set[str] = set()

        def fail(res: ItemResult) -> None:
            report.failed.append(res)
            errors.append(json.dumps({"input": res.source or res.id, "id": res.id, "error": res.error,
                                      "message": res.message}, ensure_ascii=False) + "\n")
            notify("failed", res)

        def todo() -> Iterator[Item]:
            for item in items:
                if item.error is not None:
                    fail(ItemResult(item.id, item.name, item.source, error=item.error[0],
                                    message=item.error[1]))
                    continue
                if item.id in ids_this_run:
                    fail(ItemResult(item.id, item.name, item.source, error="DuplicateId",
                                    message=f"{item.source or item.id}: input given twice; "
                                            "skipped"))
                    continue
                ids_this_run.add(item.id)
                try:
                    data = item.read()
                except RectifyError as exc:
                    fail(ItemResult(item.id, item.name, item.source, error=type(exc).__name__,
                                    message=str(exc)))
                    continue
                digest = _sha256(data)
                known = manifest.get(item.id)
                if known is not None:
                    name = known.output
                else:
                    name = _unique(item.name, used) + ".json"
                    used.add(name)
                if (known is not None and known.sha256 == digest
                        and known.pipeline == identity and (out / known.output).is_file()):
                    report.skipped.append(name)
                    notify("skipped", ItemResult(item.id, name, item.source, sha256=digest))
                    continue
                # with local workers, each writes its own output (in parallel); a mapper's
                # workers (Dask) may not share this folder: their JSON comes back here
                yield replace(item, data=data, name=name, digest=digest,
                              write_to=None if mapper is not None else str(out / name))

        run = mapper or (lambda its: extract_items(extractor, its, n_process=n_process,
                                                   as_json=True))
        try:
            for res in run(todo()):
                if not res.ok:
                    fail(res)
                    continue
                # the output in place first (written by the worker, or here), then its
                # manifest line: a kill between the two leaves a complete output that the next
                # run redoes, never a listed half-file
                if not res.written:
                    text = (res.json_text if res.json_text is not None
                            else res.result.to_json() + "\n")
                    atomic_write_text(out / res.name, text)
                log.append(ManifestEntry(res.id, res.source or res.id, res.sha256 or "", identity,
                                         res.name).to_line())
                report.written.append(res.name)
                notify("written", res)
        finally:
            log.close()
            errors.close()
    return report


_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")


def _remove_stale_temporaries(outdir: Path) -> None:
    """Remove what a killed run's atomic writers left: ``.<name>.<uuid hex>.tmp`` files
    (never an output; safe under the folder's lock)."""
    for p in outdir.iterdir():
        if _TEMPORARY.match(p.name) and p.is_file():
            logger.info("removing %s, left by an interrupted run", p)
            p.unlink(missing_ok=True)


def _sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _unique(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem_2``, ``stem_3``… : the first whose ``.json`` is not in ``used``."""
    stem = stem or "record"
    name, k = stem, 2
    while f"{name}.json" in used:
        name, k = f"{stem}_{k}", k + 1
    return name


# -- Parquet ------------------------------------------------------------------------------


def parquet_schema(frame: str) -> Any:
    """The Arrow schema of one frame of :func:`rectify_nlp.to_frames`, fixed so that every
    file (and every partition) of a frame has the same column types, even when a column is
    empty in one of them: integers ``int64``, floats ``float64``, flags ``bool``, ``targets``
    a list of strings, the rest strings."""
    import pyarrow as pa

    from rectify_nlp.frames import _DTYPES, FRAME_COLUMNS

    kinds = {"int64": pa.int64(), "Int64": pa.int64(), "float64": pa.float64(),
             "bool": pa.bool_()}
    fields = []
    for column in FRAME_COLUMNS[frame]:
        dtype = _DTYPES[frame].get(column)
        if dtype is not None:
            fields.append(pa.field(column, kinds[dtype]))
        elif column == "targets":
            fields.append(pa.field(column, pa.list_(pa.string())))
        else:
            fields.append(pa.field(column, pa.string()))
    return pa.schema(fields)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq  # noqa: F401
    except ImportError as exc:
        raise ImportError("Parquet output needs pandas and pyarrow: "
                          "pip install 'rectify-nlp[parquet]'") from exc
    return pa


def frames_to_parquet_bytes(frames: Mapping[str, Any]) -> dict[str, bytes]:
    """Each frame of :func:`rectify_nlp.to_frames` as the bytes of a Parquet file."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    out = {}
    for name, frame in frames.items():
        table = pa.Table.from_pandas(frame, schema=parquet_schema(name), preserve_index=False)
        buf = io.BytesIO()
        pq.write_table(table, buf)
        out[name] = buf.getvalue()
    return out


def write_parquet(results: Mapping[str, Rectification], outdir: str | os.PathLike[str],
                  ) -> list[Path]:
    """Write ``results`` (notice id → result) as ``OUTDIR/<frame>.parquet``, one file per
    frame of :func:`rectify_nlp.to_frames` (notices, problems, outcomes, entities,
    relations), each atomically. Needs the ``parquet`` extra (pandas, pyarrow)."""
    _pyarrow()
    from rectify_nlp.frames import to_frames

    out = Path(outdir)
    written = []
    for name, data in frames_to_parquet_bytes(to_frames(results)).items():
        atomic_write_bytes(out / f"{name}.parquet", data)
        written.append(out / f"{name}.parquet")
    return written


def write_errors(outdir: str | os.PathLike[str], failed: Iterable[ItemResult]) -> Path:
    """Write ``OUTDIR/errors.jsonl`` (``{"input", "id", "error", "message"}`` a line)
    atomically, replacing the last run's; empty when nothing failed."""
    path = Path(outdir) / ERRORS_NAME
    atomic_write_text(path, "".join(
        json.dumps({"input": r.source or r.id, "id": r.id, "error": r.error,
                    "message": r.message}, ensure_ascii=False) + "\n" for r in failed))
    return path
