#!/usr/bin/env bash
# Execute the analysis notebooks in place, so they are committed with their outputs.
# Needs the `dev` extra (matplotlib, jupyter) and pandas:
#   pip install -e ".[dev]" pandas
# Chinese plot labels need a CJK font (e.g. `apt-get install -y fonts-noto-cjk`);
# without one the notebook falls back to English/pinyin labels.
set -euo pipefail
cd "$(dirname "$0")/.."
for nb in notebooks/*.ipynb; do
    jupyter nbconvert --to notebook --execute --inplace "$nb"
done
