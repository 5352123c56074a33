"""Execute every chapter of the book in place, then build the HTML book.

Installed as the ``movierec-book`` command. Run it from the repository root
(the folder with ``_toc.yml``)::

    movierec-book              # execute all chapters, save them, build the book
    movierec-book --no-execute # only build the book from the stored outputs

Chapters run in the order of ``_toc.yml``, each in a fresh kernel started
from this Python environment, with the ``book/`` folder as working folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml


def toc_entries(root: Path) -> list[str]:
    """Return the ``file`` entries of ``_toc.yml`` (root first), without suffixes."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]] if toc.get("root") else []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                entries.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts") or toc.get("chapters") or [])
    return entries


def chapters_in_toc(root: Path) -> list[Path]:
    """Return the notebook paths listed in ``_toc.yml``, in order."""
    paths = [root / f"{entry}.ipynb" for entry in toc_entries(root)]
    return [path for path in paths if path.exists()]


def execute_notebook(path: Path, timeout: int) -> float:
    """Execute one notebook in place and return the seconds it took."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="movierec-book", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="repository root, the folder with _toc.yml (default: current folder)")
    parser.add_argument("--no-execute", action="store_true",
                        help="skip executing the chapters; build from the stored outputs")
    parser.add_argument("--no-build", action="store_true", help="skip building the HTML book")
    parser.add_argument("--timeout", type=int, default=600,
                        help="maximum seconds for one cell (default: 600)")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    if not (root / "_toc.yml").is_file():
        parser.error(f"no _toc.yml in {root}; run from the repository root or pass --root.")

    if not args.no_execute:
        for path in chapters_in_toc(root):
            print(f"executing {path.relative_to(root)} ...", flush=True)
            seconds = execute_notebook(path, args.timeout)
            print(f"  done in {seconds:.1f} s", flush=True)

    if not args.no_build:
        # The script sits beside this interpreter in a virtual environment,
        # which need not be on PATH.
        script = Path(sys.executable).with_name("jupyter-book")
        executable = str(script) if script.exists() else (shutil.which("jupyter-book") or "jupyter-book")
        command = [executable, "build", str(root), "--warningiserror", "--keep-going"]
        print("running:", " ".join(command), flush=True)
        result = subprocess.run(command, check=False)
        if result.returncode != 0:
            return result.returncode
        print(f"open {root / '_build' / 'html' / 'index.html'} in a browser to read the book")
    return 0


if __name__ == "__main__":
    sys.exit(main())
