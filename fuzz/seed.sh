#!/usr/bin/env bash
# Seeds the fuzzers' corpora from the repository's fixtures: every manuscript article for the
# two Markdown targets, every book.yaml for the configuration target. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mkdir -p "$here"/corpus/{markdown_epub,markdown_pdf,book_yaml}
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    # Keep the seeds small: the PDF target typesets each input.
    head -c 4096 "$f" >"$here/corpus/markdown_epub/seed-$n.md"
    cp "$here/corpus/markdown_epub/seed-$n.md" "$here/corpus/markdown_pdf/seed-$n.md"
done < <(find "$root/tests/fixtures" "$root/manuscript" -name '*.md' -print0 | sort -z)
m=0
while IFS= read -r -d '' f; do
    m=$((m + 1))
    cp "$f" "$here/corpus/book_yaml/seed-$m.yaml"
done < <(find "$root/tests/fixtures" "$root" -maxdepth 3 -name book.yaml -print0 | sort -z)
echo "seeded $n articles and $m book.yaml files"
