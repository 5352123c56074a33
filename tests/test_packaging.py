"""Tests that environment.yml and pyproject.toml list the same requirements."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("notebook", "book", "test")
# Conda entries that are the interpreter and installer, not project requirements.
CONDA_ONLY = {"python", "pip"}
NAME_PATTERN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$")


def normalize(requirement: str) -> tuple[str, str]:
    """Split a requirement into a normalized name and its specifier.

    Names are lowercased with "_" replaced by "-". Specifiers lose their
    spaces, and comma-separated clauses are sorted so that their order does
    not matter.
    """
    match = NAME_PATTERN.match(requirement)
    assert match, f"Cannot parse requirement {requirement!r}"
    name = match.group(1).lower().replace("_", "-")
    clauses = match.group(2).replace(" ", "").split(",")
    return name, ",".join(sorted(clause for clause in clauses if clause))


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS:
        requirements += project["optional-dependencies"][extra]
    return dict(normalize(requirement) for requirement in requirements)


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def conda_requirements() -> dict[str, str]:
    entries = [entry for entry in conda_environment()["dependencies"] if isinstance(entry, str)]
    pairs = [normalize(entry) for entry in entries]
    return {name: spec for name, spec in pairs if name not in CONDA_ONLY}


def pip_entries() -> list[str]:
    entries = conda_environment()["dependencies"]
    sections = [entry["pip"] for entry in entries if isinstance(entry, dict) and "pip" in entry]
    return [line.strip() for section in sections for line in section]


def describe_differences(pyproject: dict[str, str], conda: dict[str, str]) -> str:
    lines = []
    for name in sorted(pyproject.keys() | conda.keys()):
        left = pyproject.get(name, "<missing>")
        right = conda.get(name, "<missing>")
        if left != right:
            lines.append(f"  {name}: pyproject.toml {left!r}, environment.yml {right!r}")
    return "Requirements differ:\n" + "\n".join(lines)


def test_requirements_agree():
    pyproject = pyproject_requirements()
    conda = conda_requirements()
    assert pyproject == conda, describe_differences(pyproject, conda)


def test_environment_installs_project():
    entries = pip_entries()
    editable = [entry for entry in entries if re.fullmatch(r"(--editable|-e)\s+\.", entry)]
    assert editable, f"environment.yml pip entries {entries} do not install the project with '--editable .'"


def test_normalize_name_and_spaces():
    assert normalize("Jupyter_Book >= 1.0.4, <2") == ("jupyter-book", "<2,>=1.0.4")


def test_normalize_clause_order():
    assert normalize("jupyter-book>=1.0.4,<2") == normalize("jupyter-book<2,>=1.0.4")
