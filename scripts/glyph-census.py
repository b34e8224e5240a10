#!/usr/bin/env python3
"""Counts missing glyphs in a PDF: draws of glyph 0 (.notdef) in its fonts, and U+FFFD in
the text pdftotext extracts, against the U+FFFD the manuscript asks for (a literal U+FFFD, or
a character reference to code point 0, which CommonMark turns into U+FFFD).

usage: glyph-census.py BOOK.pdf [MANUSCRIPT_DIR]

Prints one `name: value` line per figure and exits 1 when a glyph 0 is drawn or more U+FFFD
is extracted than the manuscript asks for. Type 3 fonts (krilla's colour emoji) are left out
of the glyph-0 count: their codes are not glyph ids, so code 0 is a real glyph there.
"""
import collections
import pathlib
import re
import subprocess
import sys

try:
    import pymupdf
except ImportError:  # older PyMuPDF
    import fitz as pymupdf

REPLACEMENT = "\ufffd"
# A character reference to code point 0 (`&#0;`, `&#x0;`), which CommonMark replaces by U+FFFD.
NUL_REFERENCE = re.compile(r"&#(?:0+|[xX]0+);")


def main() -> int:
    pdf = sys.argv[1]
    doc = pymupdf.open(pdf)
    type3 = set()
    for page in doc:
        for font in page.get_fonts():
            if font[2] == "Type3":
                type3.add(font[3])
    zero = collections.Counter()
    drawn = 0
    for page in doc:
        for span in page.get_texttrace():
            if span["font"] in type3:
                continue
            for ch in span["chars"]:
                drawn += 1
                if ch[1] == 0:
                    zero[(page.number + 1, span["font"], ch[0])] += 1
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    extracted = text.count(REPLACEMENT)
    asked = 0
    if len(sys.argv) > 2:
        for md in sorted(pathlib.Path(sys.argv[2]).glob("**/*.md")):
            source = md.read_text(errors="replace")
            asked += source.count(REPLACEMENT) + len(NUL_REFERENCE.findall(source))
    print(f"glyphs drawn: {drawn}")
    print(f"glyph 0 draws: {sum(zero.values())}")
    for (page, font, code), n in sorted(zero.items())[:20]:
        print(f"  page {page}: {n} x glyph 0 in {font} (text U+{code:04X})")
    print(f"U+FFFD extracted: {extracted} (the manuscript asks for {asked})")
    return 1 if zero or extracted > asked else 0


if __name__ == "__main__":
    sys.exit(main())
