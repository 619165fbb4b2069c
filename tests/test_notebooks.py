"""The analysis notebooks: committed without outputs, and they run from top to bottom.

Each notebook in ``notebooks/`` is executed with nbclient (kernel ``python3``) from a temporary
copy, so the committed file is never written to; any cell that raises fails the test.
``scripts/run_notebooks.sh`` runs them the same way for reading (and ``--strip`` clears outputs).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: per-cell limit; corpus_analysis.ipynb takes about 30 s on two cores, most of it the pipeline
CELL_TIMEOUT_S = 600


def test_there_are_notebooks() -> None:
    assert any(p.name == "corpus_analysis.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs or execution counts; "
                       "run scripts/run_notebooks.sh --strip before committing")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")

    copy = tmp_path / path.name
    shutil.copy(path, copy)
    nb = nbformat.read(copy, as_version=4)
    t = time.perf_counter()
    # the kernel's working directory is notebooks/, where the notebook finds the corpus;
    # only the temporary copy is executed and written
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()   # raises CellExecutionError on the first failing cell
    nbformat.write(nb, copy)
    elapsed = time.perf_counter() - t

    errors = [o for cell in nb.cells if cell.cell_type == "code"
              for o in cell.outputs if o.output_type == "error"]
    assert not errors
    images = sum("image/png" in o.get("data", {}) for cell in nb.cells
                 if cell.cell_type == "code" for o in cell.outputs)
    if path.name == "corpus_analysis.ipynb":
        assert images >= 6, f"expected the six figures, got {images}"
    print(f"{path.name}: {elapsed:.0f} s, {images} figures")
