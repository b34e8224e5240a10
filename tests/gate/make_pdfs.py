#!/usr/bin/env python3
"""Write the pdfmeter gate's fixture PDFs: a clean control book and copies of it with exactly one
defect each.

Usage:
    python3 tests/gate/make_pdfs.py OUT_DIR

Writes into OUT_DIR:
    control.pdf          a small justified book that passes scripts/pdfmeter-gate.py
    page-end-hyphen.pdf  the same book, one page of which ends in a hyphenated line
    loose-lines.pdf      the same book with one line in 30 set with spaces 1.75x natural
    note-off-page.pdf    the same book with one footnote's text on the page after its reference

The books are typeset here with PyMuPDF, word by word, so that each defect is put in on
purpose and nothing else changes: two chapters of justified paragraphs in Libertinus Serif
(from the repository's fonts/), a contents page, folios, page labels, bookmarks, footnotes
with a rule above them, a TrimBox on every page, subset fonts, and title and author metadata.
tests/pdfmeter_gate.rs runs this script and the gate on each file. The text is generated, not the
book's: fixtures may hold any text.
"""
from __future__ import annotations

import os
import random
import sys

import pymupdf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FONT_FILE = os.path.join(REPO, "fonts", "LibertinusSerif-Regular.otf")

# The page: 6 x 9 in with bindery's default margins, 11/14.5 pt.
PAGE_W, PAGE_H = 432.0, 648.0
LEFT, TOP, MEASURE = 63.0, 54.0, 324.0
BODY_SIZE, LEADING = 11.0, 14.5
LINES_PER_PAGE = 36                  # 531 pt of text block / 14.5 pt
HEADING_SIZE = 16.0
HEADING_LINES = 3                    # the lines a chapter heading takes from the page
NOTE_SIZE, NOTE_LEADING = 9.0, 11.0
NOTE_LINES = 3                       # body lines given up on a page with a note: rule + 2 lines
SUP_SIZE, SUP_RISE = 7.0, 4.0        # a note reference: 7 pt, raised 4 pt (0.36 em)
FOLIO_Y = PAGE_H - 36.0              # folio baseline, in the bottom margin
LOOSE_EVERY = 30                     # loose-lines fixture: one line in 30 ...
LOOSE_RATIO = 1.75                   # ... with spaces 1.75x natural (loose > 1.5, very loose > 2)
PARAGRAPHS_PER_CHAPTER = 28

WORDS = """a an as at be by do go he if in is it me my no of on or so to up us we am
ale and ant arc art ash bay bed bee box cap car cod cup day dew dog ear elm end eye fan
fig fin fox gap gem hat hay hen ice ink ivy jar jaw key kin lap law leg lid log map mat
mud net oak oar oil owl pan pea pen pie pin pod pot ram rat ray rod rug saw sea sun tab tar
tea tin toe tub urn van vat wax web wig yak yew
barn bell boat cake clay coal corn crab deck dune fern fish flag foam fork gate gull hill
horn iron kelp lake lamp leaf line mast mill moon nail oars pier pine pond rain reed rock
rope sail salt sand seal ship shoe silk snow star stem tide tree vane wave well wind wool
anchor basket beacon bottle bridge candle canvas castle cellar copper cotton garden gravel
harbor island ladder lantern market meadow mirror orchard pebble pepper rudder saddle
shovel signal silver spring stable timber tunnel valley velvet willow window winter
carpenter chronicle fisherman lighthouse merchant navigator shipwright storekeeper
waterfront windowsill""".split()


class Line:
    """One line of body text: its words, set from the left edge (plus indent) with equal gaps."""

    def __init__(self, words, indent=0.0, justify=True, ratio=1.0, sup_after=None):
        self.words = words
        self.indent = indent
        self.justify = justify      # flush right (a paragraph's last line is not)
        self.ratio = ratio
        self.sup_after = sup_after  # (word index, mark): a note reference after that word


class Fixture:
    def __init__(self, font: pymupdf.Font, rng: random.Random, defect: str | None):
        self.font = font
        self.rng = rng
        self.defect = defect
        self.space = font.text_length(" ", BODY_SIZE)
        self.lines_made = 0         # non-final lines so far

    def width(self, word: str, size: float = BODY_SIZE) -> float:
        return self.font.text_length(word, size)

    def fill(self, avail: float, ratio: float, first=None, last=None) -> list[str]:
        """Words whose widths plus gaps of `ratio` natural spaces come as close as the
        vocabulary allows to `avail`, optionally starting with `first` or ending with `last`."""
        words = [first] if first else []
        fixed = self.width(last) if last else 0.0
        while True:
            w = self.rng.choice(WORDS)
            trial = words + [w]
            n_gaps = len(trial) - 1 + (1 if last else 0)
            if sum(map(self.width, trial)) + fixed + n_gaps * self.space * ratio > avail:
                break
            words = trial
        # Close the gap: the word that brings the natural width nearest to `avail`.
        n_gaps = len(words) + (1 if last else 0)
        used = sum(map(self.width, words)) + fixed + n_gaps * self.space * ratio
        best = min(WORDS, key=lambda w: abs(avail - used - self.width(w)))
        if used + self.width(best) <= avail + 0.1 * self.space * n_gaps:
            words.append(best)
        return words + ([last] if last else [])

    def paragraph(self, n_lines: int, note: str | None = None) -> list[Line]:
        lines = []
        for k in range(n_lines):
            indent = BODY_SIZE if k == 0 else 0.0
            last = k == n_lines - 1
            if not last:
                self.lines_made += 1
            loose = (self.defect == "loose-lines" and not last
                     and self.lines_made % LOOSE_EVERY == 0)
            ratio = LOOSE_RATIO if loose else 1.0
            if last:
                words = self.fill(MEASURE * 0.6 - indent, 1.0)
                words[-1] += "."
                lines.append(Line(words, indent, justify=False))
                continue
            words = self.fill(MEASURE - indent, ratio)
            sup = (1, note) if note and k == 1 else None
            lines.append(Line(words, indent, justify=True, ratio=ratio, sup_after=sup))
        return lines

    def set_line(self, tw: pymupdf.TextWriter, line: Line, y: float):
        widths = [self.width(w) for w in line.words]
        sup_w = self.width(line.sup_after[1], SUP_SIZE) if line.sup_after else 0.0
        gaps = len(widths) - 1
        if line.justify and gaps > 0:
            gap = (MEASURE - line.indent - sum(widths) - sup_w) / gaps
        else:
            gap = self.space
        x = LEFT + line.indent
        for i, (w, wd) in enumerate(zip(line.words, widths)):
            tw.append((x, y), w, font=self.font, fontsize=BODY_SIZE)
            x += wd
            if line.sup_after and line.sup_after[0] == i:
                tw.append((x, y - SUP_RISE), line.sup_after[1], font=self.font, fontsize=SUP_SIZE)
                x += sup_w
            x += gap


def book(defect: str | None) -> pymupdf.Document:
    font = pymupdf.Font(fontfile=FONT_FILE)
    fx = Fixture(font, random.Random(8), defect)
    doc = pymupdf.open()

    # The flow: per chapter, a list of pages, each a list of body lines, plus notes.
    chapters = []
    for c, title in enumerate(["Chapter One", "Chapter Two"]):
        paras = []
        for p in range(PARAGRAPHS_PER_CHAPTER):
            note = str(p // 10 + 1) if p in (3, 13) else None
            paras.append((fx.paragraph(4 + (p * 7 + c) % 3, note), note))
        pages = []                      # (lines, notes referenced, heading?)
        cur, notes_here, cap = [], [], LINES_PER_PAGE - HEADING_LINES
        carried = []                    # notes whose text goes on the next page (the defect)
        hyphen_done = False
        for lines, note in paras:
            # The defect: chapter two's note 2 is set at the foot of the page after its
            # reference's page, which keeps room for it instead.
            off_page = defect == "note-off-page" and c == 1 and note == "2"
            need = NOTE_LINES if note and not off_page else 0
            room = cap - len(cur) - need
            if len(lines) <= room:
                cur += lines
                if note and off_page:
                    carried.append(note)
                elif note:
                    notes_here.append(note)
                    cap -= NOTE_LINES
                continue
            # Split across the page break with at least two lines on each side, or not at all.
            split = room if len(lines) - room >= 2 else room - 1
            if split >= 2 and not note:
                head, tail = lines[:split], lines[split:]
                if defect == "page-end-hyphen" and not hyphen_done and c == 0:
                    # The page's last line ends in "light-", the next page opens with "house".
                    hyphen_done = True
                    h = head[-1]
                    h.words = fx.fill(MEASURE - h.indent, 1.0, last="light-")
                    t = tail[0]
                    t.words = fx.fill(MEASURE - t.indent, 1.0, first="house") \
                        if t.justify else ["house"] + t.words[1:]
                cur += head
                pages.append((cur, notes_here))
                cur, notes_here, cap = list(tail), carried, LINES_PER_PAGE - NOTE_LINES * len(carried)
                carried = []
            else:
                pages.append((cur, notes_here))
                cur, notes_here, cap = list(lines), carried, LINES_PER_PAGE - NOTE_LINES * len(carried)
                carried = []
                if note and off_page:
                    carried.append(note)
                elif note:
                    notes_here.append(note)
                    cap -= NOTE_LINES
        pages.append((cur, notes_here))
        chapters.append((title, pages))

    doc.new_page(width=PAGE_W, height=PAGE_H)     # the contents, filled in below
    first_pages = []
    for c, (title, pages) in enumerate(chapters):
        for k, (lines, notes) in enumerate(pages):
            page = doc.new_page(width=PAGE_W, height=PAGE_H)
            tw = pymupdf.TextWriter(page.rect)
            y = TOP + BODY_SIZE
            if k == 0:
                first_pages.append(page.number)
                tw.append((LEFT, y + 4), title, font=font, fontsize=HEADING_SIZE)
                y += HEADING_LINES * LEADING
            for line in lines:
                fx.set_line(tw, line, y)
                y += LEADING
            tw.write_text(page)
        # Notes: text at the foot of the reference's page (or the next page, for the defect).
        for k, (lines, notes) in enumerate(pages):
            for m in notes:
                put_note(doc[first_pages[c] + k], fx, m)

    # Contents, folios, labels, bookmarks.
    contents_page = doc[0]
    tw = pymupdf.TextWriter(contents_page.rect)
    tw.append((LEFT, TOP + HEADING_SIZE), "Contents", font=font, fontsize=HEADING_SIZE)
    for i, (title, _) in enumerate(chapters):
        y = TOP + HEADING_SIZE + (i + 2) * LEADING
        number = str(first_pages[i])    # body page n is physical page n + 1
        tw.append((LEFT, y), title, font=font, fontsize=BODY_SIZE)
        tw.append((LEFT + MEASURE - fx.width(number), y), number, font=font, fontsize=BODY_SIZE)
    tw.write_text(contents_page)
    for page in doc:
        folio = "i" if page.number == 0 else str(page.number)
        tw = pymupdf.TextWriter(page.rect)
        tw.append((LEFT + (MEASURE - fx.width(folio)) / 2, FOLIO_Y), folio, font=font,
                  fontsize=BODY_SIZE)
        tw.write_text(page)
        page.set_trimbox(page.rect)
    doc.set_page_labels([
        {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
        {"startpage": 1, "prefix": "", "style": "D", "firstpagenum": 1},
    ])
    doc.set_toc([[1, title, first_pages[i] + 1] for i, (title, _) in enumerate(chapters)])
    doc.set_metadata({"title": "A Gate Fixture", "author": "Test Fixture"})
    doc.subset_fonts()
    tag_subsets(doc)
    return doc


def tag_subsets(doc: pymupdf.Document):
    """Names each embedded font `ABCDEF+Name`, the tag PDF gives a subset font (ISO 32000-1,
    9.6.4), which MuPDF's subsetter leaves out (and on this CFF font it may not subset at all).
    pdfmeter reads subsetting from the tag alone; the fixtures are about other defects, so the
    tag only keeps the font row of the control green."""
    seen = set()
    for page in doc:
        for xref, *_ in page.get_fonts(full=True):
            if xref in seen:
                continue
            seen.add(xref)
            kind, name = doc.xref_get_key(xref, "BaseFont")
            if kind != "name" or "+" in name:
                continue
            tagged = "/BMDFXA+" + name.lstrip("/").replace(" ", "")
            doc.xref_set_key(xref, "BaseFont", tagged)
            kind, desc = doc.xref_get_key(xref, "DescendantFonts")
            if kind == "array":
                dxref = int(desc.strip("[]").split()[0])
                doc.xref_set_key(dxref, "BaseFont", tagged)
                kind, fd = doc.xref_get_key(dxref, "FontDescriptor")
                if kind == "xref":
                    doc.xref_set_key(int(fd.split()[0]), "FontName", tagged)


def put_note(page: pymupdf.Page, fx: Fixture, mark: str):
    """A two-line note at the foot of the text block, under a short rule."""
    bottom = TOP + LINES_PER_PAGE * LEADING
    y1 = bottom - NOTE_LEADING
    page.draw_line((LEFT, y1 - 2 * NOTE_LEADING), (LEFT + 72, y1 - 2 * NOTE_LEADING), width=0.5)
    tw = pymupdf.TextWriter(page.rect)
    words = [f"{mark}."] + ["The", "note", "on", "the", "harbor", "and", "its", "lantern",
                              "keepers", "in", "winter", "and", "spring."]
    x = LEFT
    for w in words:
        tw.append((x, y1 - NOTE_LEADING), w, font=fx.font, fontsize=NOTE_SIZE)
        x += fx.width(w, NOTE_SIZE) + fx.font.text_length(" ", NOTE_SIZE)
    x = LEFT
    for w in ["Told", "by", "the", "fisherman", "at", "the", "pier."]:
        tw.append((x, y1), w, font=fx.font, fontsize=NOTE_SIZE)
        x += fx.width(w, NOTE_SIZE) + fx.font.text_length(" ", NOTE_SIZE)
    tw.write_text(page)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for name, defect in [("control", None), ("page-end-hyphen", "page-end-hyphen"),
                         ("loose-lines", "loose-lines"), ("note-off-page", "note-off-page")]:
        doc = book(defect)
        doc.save(os.path.join(out, f"{name}.pdf"), garbage=3, deflate=True, no_new_id=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
