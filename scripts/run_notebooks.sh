#!/usr/bin/env bash
# The analysis notebooks are committed WITHOUT outputs (tests/test_notebooks.py checks it and
# executes them). This script executes them for reading, or strips them before a commit.
#
#   scripts/run_notebooks.sh [OUTDIR]   execute every notebooks/*.ipynb into OUTDIR
#                                       (default: a new temporary folder); the committed files
#                                       are not touched
#   scripts/run_notebooks.sh --strip    clear outputs and execution counts in place
#
# Needs the `test` extra (nbclient, nbformat, ipykernel, matplotlib, pandas):
#   pip install -e ".[test]"
# Chinese plot labels need a CJK font matplotlib can find (`fc-list :lang=zh`; Debian/Ubuntu:
# `apt-get install -y fonts-noto-cjk`); without one the notebooks fall back to English/pinyin.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--strip" ]; then
    python - notebooks/*.ipynb <<'PY'
import sys

import nbformat

for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    # the interpreter's version and the like: filled in by each run, noise in a diff
    nb.metadata["language_info"] = {"name": nb.metadata.get("language_info", {}).get("name", "python")}
    nbformat.write(nb, path)
    print("stripped", path)
PY
    exit 0
fi

out="${1:-$(mktemp -d)}"
mkdir -p "$out"
python - "$out" notebooks/*.ipynb <<'PY'
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

out = Path(sys.argv[1])
for path in map(Path, sys.argv[2:]):
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    # run from notebooks/ so the notebook finds the repository above it
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, out / path.name)
    print(f"{path} -> {out / path.name} ({time.perf_counter() - t:.0f} s)")
PY
