#!/usr/bin/env bash
# Runs qpdf --check on the PDFs of (up to N, default 200) inputs of the markdown_pdf target's
# corpus, each built as the second article of a small book by the `bindery` binary given as
# BINDERY (default: the repository's target/release/bindery). The fuzz target itself checks
# the bytes in-process with lopdf; this is the outside check. Exit 1 on the first failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bindery=${BINDERY:-$(dirname "$here")/target/release/bindery}
limit=${1:-200}
book=$(mktemp -d)
trap 'rm -rf "$book"' EXIT
mkdir -p "$book/manuscript"
printf 'title: Fuzz\nauthors: [A]\nlanguage: en\n' >"$book/book.yaml"
printf '# One\n\nText.\n' >"$book/manuscript/01-a.md"
checked=0 skipped=0
for input in $(ls "$here/corpus/markdown_pdf" | head -n "$limit"); do
    cp "$here/corpus/markdown_pdf/$input" "$book/manuscript/02-b.md"
    rm -rf "$book/out"
    if ! SOURCE_DATE_EPOCH=0 "$bindery" pdf --quiet --book "$book" --out "$book/out" 2>/dev/null; then
        skipped=$((skipped + 1)) # not UTF-8, or an error the book reports (a missing image)
        continue
    fi
    qpdf --check "$book"/out/*.pdf >/dev/null || { echo "qpdf rejects the PDF of $input"; exit 1; }
    checked=$((checked + 1))
done
echo "qpdf accepts all $checked PDFs ($skipped inputs made no PDF)"
