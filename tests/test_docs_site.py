"""The documentation site builds offline with ``mkdocs build --strict`` (mkdocs.yml).

Strict mode fails on a broken link between pages, a page named in the nav that does not exist,
and an API entry (``::: module``) that mkdocstrings cannot render. About 5 s on 2 cores.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install -e '.[docs]')")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's start-up notice
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{log[-6000:]}"
    assert not re.search(r"^WARNING", log, re.M), log
    return out


def test_site_has_home_and_api_pages(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "rectify_nlp" in index
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for anchor in ("rectify_nlp.extractor.Extractor", "rectify_nlp.extractor.load",
                   "rectify_nlp.schema.Rectification", "rectify_nlp.evaluation.evaluate_pairs",
                   "rectify_nlp.corpus.sources.read_sources"):
        assert f'id="{anchor}"' in api, anchor
    # doctests in docstrings are rendered as code, not as nested block quotes
    assert "<blockquote" not in api
    assert '<span class="gp">&gt;&gt;&gt; </span>' in api
    for page in ("quickstart", "schema", "render", "design", "training", "evaluation"):
        assert (site / page / "index.html").is_file(), page
    assert (site / "img" / "pipeline.svg").is_file()


def test_site_loads_nothing_from_the_network(site: Path) -> None:
    """No web fonts, analytics or external scripts and stylesheets in any page."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?:)?//[^"]*"', html)
        assert not loads, (page, loads)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
