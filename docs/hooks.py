"""Build-time helpers for the documentation site (``mkdocs.yml`` loads this file twice).

* As a **griffe extension** (``mkdocstrings`` → ``extensions``): the package's docstrings are
  reST-flavoured plain text with doctests, not Markdown. A doctest block (``>>>`` after a
  blank line) would render as nested block quotes, and ``[x]\\n['y']`` in its output as a
  Markdown reference link, so each block is wrapped in a ``pycon`` fence. Sphinx roles
  (``:func:`load```, ``:class:`~pkg.mod.Name```) become plain inline code, and reST simple
  tables Markdown tables.
* As an **MkDocs hook** (``hooks``): ``mkdocs-autorefs`` reads every ``[text][id]`` on every
  page as a cross-reference. Prose pages use that bracket pair for annotated spans
  (``[58个工地][巡查312次]``), which it renders as the literal text, as any Markdown renderer
  would, but with a warning that ``--strict`` turns into a failure. A reference whose target
  cannot be a Python object path (it has characters other than ASCII letters, digits, ``_``
  and ``.``) is logged at INFO instead; a missing Python object is still a warning.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from griffe import Extension, Object

_DOCTEST_FLAGS = re.compile(r"\s*#\s*doctest:\s*[+-]\w+(\s*,\s*[+-]\w+)*\s*$")
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")


def _role(match: re.Match[str]) -> str:
    target = match[2]
    return f"`{target.rsplit('.', 1)[-1] if match[1] else target}`"


_TABLE_RULE = re.compile(r"^=+( +=+)+\s*$")


def simple_tables(text: str) -> str:
    """Rewrite reST *simple tables* (columns under ``=====  =====`` rules) as Markdown tables.

    A row whose first cell is blank continues the row above. A table with three rules has a
    header row; one with two gets an empty header.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_RULE.match(lines[i]) or (out and out[-1].strip()):
            out.append(lines[i])
            i += 1
            continue
        columns = [m.start() for m in re.finditer(r"=+", lines[i])]
        rules, rows, j = [i], [], i + 1
        while j < len(lines) and len(rules) < 3:
            line = lines[j]
            if _TABLE_RULE.match(line):
                rules.append(j)
                if j + 1 >= len(lines) or not lines[j + 1].strip():
                    break
            elif not line.strip():
                break
            else:
                bounds = [*columns[1:], None]
                cells = [line[a:b].strip() for a, b in zip(columns, bounds)]
                if rows and not cells[0]:
                    rows[-1] = [f"{x} {y}".strip() for x, y in zip(rows[-1], cells)]
                else:
                    rows.append(cells)
            j += 1
        if len(rules) < 2 or not rows:  # not a table after all
            out.append(lines[i])
            i += 1
            continue
        header = rows.pop(0) if len(rules) == 3 else [""] * len(columns)

        def row(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        out += [row(header), "|" + "---|" * len(columns), *map(row, rows)]
        i = rules[-1] + 1
    return "\n".join(out)


def fence_doctests(text: str) -> str:
    """Wrap each doctest block of a docstring in a fenced ``pycon`` code block.

    A block starts at a line beginning with ``>>>`` after a blank line (or at the top) and
    ends at the next blank line; doctest directives are dropped from it. Text inside
    existing fences is left alone.
    """
    out: list[str] = []
    in_fence = in_doctest = False
    previous_blank = True
    for line in text.split("\n"):
        stripped = line.strip()
        if in_doctest and not stripped:
            out.append("```")
            in_doctest = False
        if stripped.startswith("```") and not in_doctest:
            in_fence = not in_fence
        elif not in_fence and not in_doctest and previous_blank and line.startswith(">>>"):
            out.append("```pycon")
            in_doctest = True
        if in_doctest:
            line = _DOCTEST_FLAGS.sub("", line)
        elif not in_fence:
            line = _ROLE.sub(_role, line)
            if line.endswith("::") and line.strip() != "::":
                line = line[:-1]  # reST "text::" introduces a literal block and reads "text:"
        out.append(line)
        previous_blank = not stripped
    if in_doctest:
        out.append("```")
    return "\n".join(out)


class DoctestFences(Extension):
    """Griffe extension: rewrite every docstring with :func:`fence_doctests`."""

    def on_object(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(simple_tables(obj.docstring.value))


_PYTHON_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_UNRESOLVED = re.compile(r"Could not find cross-reference target '(.*)'$")


class _ProseReferences(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        match = _UNRESOLVED.search(record.getMessage())
        if record.levelno == logging.WARNING and match and not _PYTHON_PATH.fullmatch(match[1]):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def on_startup(**kwargs: Any) -> None:
    import mkdocs_autorefs  # noqa: F401  (creates its loggers)

    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith("mkdocs.plugins.mkdocs_autorefs") and isinstance(logger, logging.Logger):
            if not any(isinstance(f, _ProseReferences) for f in logger.filters):
                logger.addFilter(_ProseReferences())
