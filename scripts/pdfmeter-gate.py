#!/usr/bin/env python3
"""Hold a PDF to the print edition's quality thresholds, as measured by pdfmeter.

Usage:
    python3 scripts/pdfmeter-gate.py build/book.pdf
    python3 scripts/pdfmeter-gate.py --bleed --json-out build/pdfmeter.json build/book.pdf
    python3 scripts/pdfmeter-gate.py --report report.json      # a saved `pdfmeter --json`
    python3 scripts/pdfmeter-gate.py --ragged build/ragged.pdf # a `ragged_right: true` book
    python3 scripts/pdfmeter-gate.py --no-notes build/book.pdf # a book without footnotes
    python3 scripts/pdfmeter-gate.py --known "ROW=why pdfmeter misreads it" build/book.pdf

pdfmeter (the shared measuring tool, not part of this repository) is found through
the PDFMETER environment variable, else at ../shared/tools/pdfmeter.py beside the
repository. It needs PyMuPDF (`pip install pymupdf`).

The thresholds are those of the print-edition issue ("Quality: measured, not
guessed") and the README. Every row is gated: the gate prints one row per
threshold and exits 0 when all hold, 1 when any fails, and 2 when the PDF could
not be measured at all.

A book is justified unless --ragged is given; a ragged book must measure as
ragged and set its word spaces at their natural width. A book must have
footnotes (references and texts, each text on its reference's page) unless
--no-notes is given, which then requires that it has none.

A row pdfmeter cannot measure on a given book (a contents title it does not know, a
line a forced break ends) is named with --known ROW=REASON: that row is still
measured and printed, marked "known" with the reason, and does not fail the gate;
every other row does. A known row that passes fails the gate, so a reason that no
longer holds cannot stay on the list, and a ROW that names no row is an error.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PDFMETER = os.path.join(REPO, "..", "shared", "tools", "pdfmeter.py")

# The thresholds. Each says why it has its value.
MIN_FLUSH_FRACTION = 0.995   # issue 3: >= 99.5 % of non-final lines flush right
MAX_SPACE_P95 = 1.30         # issue 3: p95 word space <= 1.30x natural (xelatex gives 1.39)
MAX_HYPHEN_LADDER = 2        # issue 3: no more than two hyphenated line ends in a row
MAX_PAGE_END_HYPHENS = 0     # README: a page never ends in a hyphenated line
MAX_LOOSE_PER_100 = 1.0      # README: loose lines (> 1.5x natural) no more often than
                             # pandoc+xelatex; bindery measures 0 on this book and on
                             # pdf-stress and 0.12 per 100 on 100k words
MAX_VERY_LOOSE = 0           # a word space over twice the natural one is a visible hole
MIN_PLAIN_FRACTION = 0.995   # README: words come back as words; the rest of this book's
                             # tokens are acronyms (KPNLF) and a URN, 0.1 %
MAX_RAGGED_SPACE_MAX = 1.05  # ragged text sets every space at its natural width: the widest
                             # line median may differ from it by rounding only

EXIT_FAIL = 1
EXIT_UNMEASURED = 2


def pdfmeter_path() -> str:
    return os.environ.get("PDFMETER") or DEFAULT_PDFMETER


def measure(pdf: str, json_out: str | None) -> dict:
    """Runs `pdfmeter --json` on `pdf` and returns its report."""
    meter = pdfmeter_path()
    if not os.path.isfile(meter):
        sys.exit(f"pdfmeter-gate: pdfmeter not found at {meter} (set PDFMETER)")
    if not os.path.isfile(pdf):
        sys.exit(f"pdfmeter-gate: no such PDF: {pdf}")
    proc = subprocess.run([sys.executable, meter, pdf, "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        sys.exit(f"pdfmeter-gate: pdfmeter failed on {pdf} (exit {proc.returncode})")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"pdfmeter-gate: pdfmeter printed no JSON: {e}")
    if json_out:
        with open(json_out, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1, ensure_ascii=False)
    return report


class Row:
    """One line of the table: what is checked, what was measured, what is required."""

    def __init__(self, name: str, measured, required: str, ok: bool, detail: str = ""):
        self.name = name
        self.measured = measured
        self.required = required
        self.ok = ok
        self.detail = detail

        # Why pdfmeter cannot measure this row on this book (--known), if it was named so.
        self.known: str | None = None

    @property
    def verdict(self) -> str:
        if self.known is not None:
            return "known" if not self.ok else "FAIL"
        return "ok" if self.ok else "FAIL"

    @property
    def fails(self) -> bool:
        """A row fails when it misses its threshold, or when it was named known and passes."""
        return self.verdict == "FAIL"


def pages(xs, limit: int = 8) -> str:
    xs = list(xs or [])
    if not xs:
        return ""
    more = f" +{len(xs) - limit} more" if len(xs) > limit else ""
    return "pages " + ", ".join(str(x) for x in xs[:limit]) + more


def evaluate(r: dict, bleed: bool, ragged: bool = False, no_notes: bool = False) -> list[Row]:
    """The gate's rows for a pdfmeter report `r`."""
    rows = []
    add = rows.append

    add(Row("body pages recognised", r.get("body_pages", 0), "> 0", r.get("body_pages", 0) > 0,
            "with none, the other figures are empty"))

    of = r["overfull"]
    add(Row("overfull lines", of["count"], "0", of["count"] == 0, pages(of.get("pages"))))

    j = r["justification"]
    sp = j.get("space_ratio", {})
    n_lines = sp.get("lines") or 0
    loose = sp.get("loose_gt_1_5", 0)
    very_loose = sp.get("very_loose_gt_2", 0)
    if ragged:
        add(Row("justification mode", j.get("mode"), "ragged", j.get("mode") == "ragged",
                f"{j.get('non_last_lines')} non-final lines"))
        mx = sp.get("max")
        add(Row("widest word space / natural", "n/a" if mx is None else mx,
                f"<= {MAX_RAGGED_SPACE_MAX:.2f}", mx is not None and mx <= MAX_RAGGED_SPACE_MAX,
                f"median {sp.get('median')}, p95 {sp.get('p95')} (p.{sp.get('max_at_page')})"))
    else:
        ff = j.get("flush_fraction")
        add(Row("non-final lines flush right", "n/a" if ff is None else f"{ff:.2%}",
                f">= {MIN_FLUSH_FRACTION:.1%}", ff is not None and ff >= MIN_FLUSH_FRACTION,
                f"mode {j.get('mode')}, {j.get('non_last_lines')} lines"))
        p95 = sp.get("p95")
        add(Row("word space p95 / natural", "n/a" if p95 is None else p95,
                f"<= {MAX_SPACE_P95:.2f}", p95 is not None and p95 <= MAX_SPACE_P95,
                f"median {sp.get('median')}, max {sp.get('max')} (p.{sp.get('max_at_page')})"))
    per100 = 100.0 * loose / n_lines if n_lines else 0.0
    add(Row("loose lines (> 1.5x) per 100", f"{per100:.2f}", f"<= {MAX_LOOSE_PER_100:.2f}",
            per100 <= MAX_LOOSE_PER_100,
            f"{loose} of {n_lines}; " + pages(sp.get("loose_pages"))))
    add(Row("very loose lines (> 2x)", very_loose, str(MAX_VERY_LOOSE),
            very_loose <= MAX_VERY_LOOSE))

    w = r["widows_orphans"]
    add(Row("widows", w["widows"], "0", w["widows"] == 0, pages(w.get("widow_pages"))))
    add(Row("orphans", w["orphans"], "0", w["orphans"] == 0, pages(w.get("orphan_pages"))))

    fn = r["footnotes"]
    bad = fn["refs_text_not_on_same_page"]
    orphan_texts = fn.get("texts_without_ref_on_page", 0)
    if no_notes:
        add(Row("footnotes (none expected)", f"{fn['refs']} refs, {fn['footnote_texts']} texts",
                "0 refs, 0 texts", fn["refs"] == 0 and fn["footnote_texts"] == 0,
                "without --no-notes, a book must have notes"))
    else:
        add(Row("footnote references found", fn["refs"], "> 0", fn["refs"] > 0,
                f"{fn['footnote_texts']} texts; a book without notes needs --no-notes"))
        add(Row("footnotes off their reference's page", bad, "0", bad == 0,
                pages(m["page"] for m in fn.get("misplaced", []))))
        add(Row("note texts without a reference on their page", orphan_texts, "0",
                orphan_texts == 0, pages(u["page"] for u in fn.get("unreferenced", []))))

    t = r["toc"]
    if t.get("found"):
        add(Row("contents entries on the wrong page", t["mismatches"], "0",
                t["mismatches"] == 0 and t["entries"] > 0,
                f"{t['entries']} entries on " + pages(t.get("toc_pages"))))
    else:
        add(Row("contents entries on the wrong page", "no contents", "contents found", False))

    h = r["hyphenation"]
    add(Row("longest hyphen ladder", h["longest_ladder"], f"<= {MAX_HYPHEN_LADDER}",
            h["longest_ladder"] <= MAX_HYPHEN_LADDER,
            f"{h['hyphenated_lines']} hyphenated lines"))
    ends = h.get("hyphenated_page_ends", [])
    add(Row("pages ending in a hyphen", len(ends), str(MAX_PAGE_END_HYPHENS),
            len(ends) <= MAX_PAGE_END_HYPHENS, pages(ends)))

    fo = r["fonts"]
    add(Row("fonts embedded", "yes" if fo["all_embedded"] else "no", "all",
            fo["count"] > 0 and fo["all_embedded"], ", ".join(fo.get("not_embedded", []))))
    add(Row("fonts subset", "yes" if fo["all_subset"] else "no", "all",
            fo["count"] > 0 and fo["all_subset"], ", ".join(fo.get("not_subset", []))))

    o = r["outline"]
    add(Row("bookmarks", o["bookmarks"], "> 0, all on target",
            o["bookmarks"] > 0 and o["broken_targets"] == 0 and o["title_not_on_target_page"] == 0,
            f"depth {o.get('max_depth')}, {o['broken_targets']} broken, "
            f"{o['title_not_on_target_page']} off target"))

    b = r["page_boxes"]
    n_pages = b.get("pages", r.get("pages", 0))
    # A MediaBox larger than the TrimBox means the pages carry bleed, which needs a BleedBox.
    bleed = bleed or [x["inches"] for x in b.get("MediaBox", [])] != [x["inches"] for x in b.get("TrimBox", [])]
    trim = b.get("explicit", {}).get("TrimBox", 0)
    add(Row("TrimBox set", f"{trim}/{n_pages} pages", "every page", n_pages > 0 and trim == n_pages,
            "trim " + ", ".join(x["inches"] for x in b.get("TrimBox", []))))
    bl = b.get("explicit", {}).get("BleedBox", 0)
    add(Row("BleedBox set", f"{bl}/{n_pages} pages", "every page" if bleed else "when bleed is on",
            (n_pages > 0 and bl == n_pages) if bleed else bl in (0, n_pages),
            "media " + ", ".join(x["inches"] for x in b.get("MediaBox", []))))

    m = r["metadata"]
    add(Row("title and author in metadata",
            f"title {'yes' if m['title_present'] else 'no'}, author {'yes' if m['author_present'] else 'no'}",
            "both", m["title_present"] and m["author_present"]))

    te = r["text_extraction"]
    add(Row("garbage tokens in extracted text", te["garbage_tokens"], "0", te["garbage_tokens"] == 0,
            ", ".join(f"{k}: {v}" for k, v in (te.get("bad_characters") or {}).items())))
    pf = te.get("plain_fraction")
    add(Row("tokens extracting as plain words", "n/a" if pf is None else f"{pf:.2%}",
            f">= {MIN_PLAIN_FRACTION:.1%}", pf is not None and pf >= MIN_PLAIN_FRACTION,
            f"{te['tokens']} tokens, {te.get('suspicious_tokens', 0)} suspicious"))
    return rows


def render(rows: list[Row], title: str) -> str:
    heads = ("check", "measured", "required", "result", "detail")
    cells = [(r.name, str(r.measured), r.required, r.verdict, r.detail) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    line = lambda cs: "  ".join(c.ljust(w) for c, w in zip(cs, widths)).rstrip()
    out = [title, line(heads), line(tuple("-" * w for w in widths[:-1]) + ("------",))]
    out += [line(cs) for cs in cells]
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("pdf", nargs="?", help="the PDF to measure")
    src.add_argument("--report", metavar="JSON", help="use a saved `pdfmeter --json` report instead")
    ap.add_argument("--json-out", metavar="FILE", help="also save pdfmeter's JSON report to FILE")
    ap.add_argument("--bleed", action="store_true", help="require a BleedBox on every page (implied when the MediaBox exceeds the TrimBox)")
    ap.add_argument("--ragged", action="store_true", help="the book is set ragged right (pdf.ragged_right): natural word spaces instead of flush lines")
    ap.add_argument("--no-notes", action="store_true", help="the book has no footnotes: require that none are found")
    ap.add_argument("--known", action="append", default=[], metavar="ROW=REASON",
                    help="a row pdfmeter misreads on this book, and why: it is shown but does not fail the gate (and fails it if it passes)")
    a = ap.parse_args(argv)
    known = {}
    for k in a.known:
        row, sep, reason = k.partition("=")
        if not sep or not row.strip() or not reason.strip():
            print(f"pdfmeter-gate: --known takes ROW=REASON, not {k!r}", file=sys.stderr)
            return EXIT_UNMEASURED
        known[row.strip()] = reason.strip()
    if a.report:
        with open(a.report, encoding="utf-8") as fh:
            report = json.load(fh)
    else:
        report = measure(a.pdf, a.json_out)
    try:
        rows = evaluate(report, a.bleed, a.ragged, a.no_notes)
    except (KeyError, TypeError) as e:
        print(f"pdfmeter-gate: unexpected pdfmeter report (missing {e}); is pdfmeter current?",
              file=sys.stderr)
        return EXIT_UNMEASURED
    names = {r.name for r in rows}
    unknown = [k for k in known if k not in names]
    if unknown:
        print(f"pdfmeter-gate: --known names no row of the gate: {', '.join(unknown)} "
              f"(the rows: {'; '.join(r.name for r in rows)})", file=sys.stderr)
        return EXIT_UNMEASURED
    for r in rows:
        if r.name in known:
            r.known = known[r.name]
    print(render(rows, f"pdfmeter gate: {report.get('file', a.report)} ({report.get('pages')} pages)"))
    if report.get("problems"):
        print("pdfmeter also lists:")
        for p in report["problems"]:
            print(f"  - {p}")
    failed = [r for r in rows if r.fails]
    excused = [r for r in rows if r.verdict == "known"]
    print(f"pdfmeter gate: {len(rows) - len(failed) - len(excused)} passed, {len(failed)} failed"
          + (f", {len(excused)} known" if excused else ""))
    for r in excused:
        print(f"pdfmeter gate: known: {r.name}: measured {r.measured}, required {r.required}: {r.known}")
    for r in failed:
        if r.known is not None:
            print(f"pdfmeter gate: FAILED: {r.name}: measured {r.measured}, listed as known "
                  f"({r.known}) but passes: take it off the list")
        else:
            print(f"pdfmeter gate: FAILED: {r.name}: measured {r.measured}, required {r.required}")
    if report.get("body_pages", 0) == 0:
        return EXIT_UNMEASURED
    return EXIT_FAIL if failed else 0


if __name__ == "__main__":
    sys.exit(main())
