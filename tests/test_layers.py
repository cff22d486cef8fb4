"""
The codebase keeps the public rule in one place and its layers in order.

- No code outside the publishing services and the edition's writer
  (``prisoners/publishing.py``, ``prisoners/edition_writer.py``, which decide what is
  published) and ``prisoners/rule.py`` (the rule's editorial statement) filters on
  editorial state (but the review
  queue, ``tracker.lib.editorial.in_review``, which selects only rows in review): a copy of
  the rule would drift from it (it did: the copies leaked). The check reads every module's syntax
  tree and flags a ``state`` lookup in a filtering call (``filter``, ``exclude``, ``get``,
  ``Q``, ``When``, ``Exists``, ``Prefetch``, ``FilteredRelation``) or a lookup string
  through ``state`` (``"detention__state"``, ``"state__in"``) anywhere.
- The import layers (wiring, prisoners, sources, tracker.lib) are import-linter's
  contract in pyproject.toml; ``make check`` runs it, and so does this module.
"""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULE_MODULES = (
    ROOT / "prisoners" / "rule.py",
    ROOT / "prisoners" / "publishing.py",
    ROOT / "prisoners" / "edition_writer.py",
)
# The only other reader of the state: the review workflow's queue of rows in review,
# which never selects what is published.
WORKFLOW_MODULE = ROOT / "tracker" / "lib" / "editorial.py"
APPS = ("prisoners", "sources", "tracker", "website", "edition")
FILTERING_CALLS = {
    "filter",
    "exclude",
    "get",
    "Q",
    "When",
    "Exists",
    "Prefetch",
    "FilteredRelation",
}
STATE_LOOKUP = re.compile(r"^(state__\w+|\w*__state(__\w+)?)$")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def state_filters(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place in this source that filters on editorial state."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in FILTERING_CALLS:
            for keyword in node.keywords:
                if keyword.arg and (keyword.arg == "state" or STATE_LOOKUP.match(keyword.arg)):
                    found.append((node.lineno, f"{_name(node.func)}({keyword.arg}=…)"))
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and STATE_LOOKUP.match(node.value)
        ):
            found.append((node.lineno, repr(node.value)))
    return found


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and path not in (*RULE_MODULES, WORKFLOW_MODULE):
                yield path


def test_no_code_outside_the_rule_module_filters_on_editorial_state():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in modules()
        for line, what in state_filters(path.read_text(encoding="utf-8"))
    ]
    assert not offences, "Ask prisoners.public instead of filtering on state:\n" + "\n".join(
        offences
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "Person.objects.filter(state=PUBLISHED)",
        "Release.objects.filter(detention__state='published')",
        "qs.exclude(state__in=[DRAFT])",
        "Q(person__state=EditorialState.PUBLISHED)",
        "Case(When(event__state=PUBLISHED, then=F('event_id')))",
        "Min('x', filter=Q(releases__state=PUBLISHED))",
        "qs.values('part_of__state')",
        "qs.filter(**{'detention__person__state': PUBLISHED})",
        "Prefetch('names', queryset=qs, state=1)",
        "When(**{f'{link}__state': PUBLISHED}, then=F(f'{link}_id'))",
    ],
)
def test_the_check_catches_a_hand_written_state_filter(snippet):
    assert state_filters(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "Source(url=url, state=self.state)",
        "Person.objects.create(name='x', state=PUBLISHED)",
        "record.state == EditorialState.PUBLISHED",
        "list_filter = ['state', 'kind']",
        "qs.update(state=IN_REVIEW)",
    ],
)
def test_the_check_leaves_writes_and_comparisons_alone(snippet):
    assert not state_filters(snippet)


def test_imports_keep_the_layer_order():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a development dependency (pip install '.[dev]')"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
