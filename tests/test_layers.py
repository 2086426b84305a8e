"""The apps import one way (README "Layers"): import-linter's contracts in pyproject.toml hold,
every app is in a layer, and an upward import, function-local or not, breaks them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--config", str(root / "pyproject.toml")],
        check=False,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"}


def test_the_import_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_app_is_in_exactly_one_layer():
    settings = _settings()
    layers = next(c for c in settings["contracts"] if c["type"] == "layers")["layers"]
    placed = [app.strip() for layer in layers for app in layer.replace(":", "|").split("|")]
    assert sorted(placed) == sorted(settings["root_packages"]) == sorted(_apps())


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    # A copy of the apps' code in which targets (a low layer) reads from dashboard (the top)
    # inside a function, the way a cycle used to be hidden.
    for app in _apps():
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    names = tmp_path / "targets" / "names.py"
    hidden = "\n\ndef _hidden() -> None:\n    from dashboard import views  # noqa: F401\n"
    names.write_text(names.read_text(encoding="utf-8") + hidden, encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "targets.names -> dashboard.views" in result.stdout
    assert "1 broken" in result.stdout


def test_only_the_dashboards_templates_use_its_tags_and_templates():
    # Templates are outside import-linter's view: the entry, review, report and job pages must
    # not need the dashboard app's tag library or partials (they share reporting's `labels`).
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if path.relative_to(ROOT / "templates").parts[0] == "dashboard":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\{%\s*load\b[^%]*\bdashboard_tags\b", text) or re.search(
            r"""\{%\s*include\s+["']dashboard/""", text
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
