"""Compile the message pipeline's modules with mypyc, in place (run by `make setup`).

    .venv/bin/python scripts/compile_text.py [--clean]

mypyc (part of mypy, which compiles mypy and black) turns the type-annotated modules listed in
`peyvand.text.COMPILED` into C extensions that sit beside their sources: the code stays the Python in the
repository, nothing is written in C, and the speed-up is measured by `benchmarks/text_quality.py` (the
speed section runs both builds). The SHA-256 of every compiled source goes into
`src/peyvand/text/_compiled.json`; `peyvand.text` uses the compiled modules only while all of them still
match (see its docstring), so an edited source is never shadowed by an older build.

Without a C compiler, or when mypyc fails, this prints why, records the failure (so that `make setup` tries
again only when a source changes) and leaves the pure-Python sources in use (the product works the same,
slower); it never fails `make setup`. `--clean` removes what it built.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TEXT = SRC / "peyvand" / "text"
sys.path.insert(0, str(SRC))

from peyvand.text import COMPILED, EXTENSION, MANIFEST, source_digest  # noqa: E402


def clean() -> None:
    MANIFEST.unlink(missing_ok=True)  # first: without a record, the package imports the sources
    for built in [*TEXT.glob("*.so"), *TEXT.glob("*.pyd"), *SRC.glob("*__mypyc*")]:
        built.unlink()


def write_manifest(record: dict[str, object]) -> None:
    """Written whole or not at all (a reader never sees half a record)."""
    partial = MANIFEST.with_suffix(".json.tmp")
    partial.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, MANIFEST)


def compile_in_place() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    sources = [f"peyvand/text/{name}.py" for name in COMPILED]
    digests = {name: source_digest(TEXT / f"{name}.py") for name in COMPILED}
    with tempfile.TemporaryDirectory(prefix="peyvand-mypyc-") as work, contextlib.chdir(SRC):
        modules = mypycify(sources, opt_level="3", target_dir=str(Path(work) / "c"))
        setup(
            name="peyvand-text-compiled",
            ext_modules=modules,
            script_args=["--quiet", "build_ext", "--inplace", "-t", f"{work}/o", "-b", f"{work}/lib"],
        )
    write_manifest({"suffix": EXTENSION, "sources": digests})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules and their record")
    args = parser.parse_args(argv)
    try:
        clean()
    except OSError as error:  # a module in use on Windows, a read-only tree
        print(f"compile_text: could not remove the old build ({error}); nothing compiled")
        return 0
    if args.clean:
        return 0
    compiler = os.environ.get("CC", "cc")
    if shutil.which(compiler) is None:
        return failed(f"no C compiler ({compiler})")
    try:
        compile_in_place()
    except BaseException as error:  # any failure, an interrupt too, leaves the sources in use
        clean()
        if not isinstance(error, Exception | SystemExit):
            raise
        return failed(f"mypyc failed ({error})")
    print(f"compile_text: compiled {len(COMPILED)} text modules with mypyc")
    return 0


def failed(why: str) -> int:
    """Record the failure, so that `make setup` does not try again until a source changes."""
    write_manifest({"failed": why})
    print(f"compile_text: {why}; the text pipeline runs from its Python sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
