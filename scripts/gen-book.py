#!/usr/bin/env python3
"""Generate a synthetic bindery book of about N words, for benchmarks.

Usage:
    python3 scripts/gen-book.py --words 100000 --out /tmp/book-100k
    python3 scripts/gen-book.py --words 1000000 --out /tmp/book-1m --seed 7

The text is filler: the words of the seed article (manuscript/04-the-last-days.md)
recombined with a fixed pseudo-random seed, so the same arguments always give the
same bytes. The book exercises what a real manuscript does: several articles,
level-2 and level-3 headings, paragraphs of varied length, emphasis and strong,
footnotes (about one in five long and multi-paragraph, some inside lists and
block quotes), ordered, unordered and nested lists, block quotes and scene
breaks.

The word count is the number of whitespace-separated words of prose written
(headings, paragraphs, list items, quotes and footnote texts); Markdown markup
is not counted. The output directory holds book.yaml and manuscript/*.md and is
built with `bindery epub --book DIR`.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys

# Shape of the generated text. The values are chosen to look like long-form
# non-fiction, the kind of book bindery is for, rather than to be exact.
ARTICLE_WORDS = (6000, 10000)      # words per article (min, max)
SECTION_WORDS = (700, 1600)        # words between level-2 headings
SUBSECTION_CHANCE = 0.25           # chance that a section opens with a level-3 heading
SENTENCE_WORDS = (5, 32)           # words per sentence
PARAGRAPH_SENTENCES = (1, 9)       # sentences per paragraph
FOOTNOTE_EVERY = 280               # about one note reference per this many words
LONG_NOTE_CHANCE = 0.2             # share of notes that are long and multi-paragraph
EMPHASIS_CHANCE = 0.04             # per word: *emphasis*
STRONG_CHANCE = 0.008              # per word: **strong**
LIST_EVERY = 2500                  # about one list per this many words
QUOTE_EVERY = 4000                 # about one block quote per this many words
SCENE_BREAK_EVERY = 6000           # about one scene break per this many words

SEED_TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                         "manuscript", "04-the-last-days.md")


def seed_words(path: str) -> list[str]:
    """The seed article's words in reading order, without Markdown or edge punctuation."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    words = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for tok in line.split():
            tok = tok.strip(".,;:!?()[]*_\"“”‘’…")
            if tok and re.search(r"\w", tok) and "^" not in tok:
                words.append(tok)
    if len(words) < 100:
        sys.exit(f"gen-book: too few words in {path}")
    return words


class Writer:
    """Draws filler text from the seed words and counts the words it emits."""

    def __init__(self, words: list[str], rng: random.Random):
        self.words = words
        self.rng = rng
        self.count = 0

    def word(self) -> str:
        return self.rng.choice(self.words)

    def sentence(self, lo: int = SENTENCE_WORDS[0], hi: int = SENTENCE_WORDS[1]) -> str:
        n = self.rng.randint(lo, hi)
        self.count += n
        ws = []
        for i in range(n):
            w = self.word()
            if i == 0:
                w = w[:1].upper() + w[1:]
            r = self.rng.random()
            if r < STRONG_CHANCE:
                w = f"**{w}**"
            elif r < STRONG_CHANCE + EMPHASIS_CHANCE:
                w = f"*{w}*"
            ws.append(w)
            if i < n - 1 and self.rng.random() < 0.06:
                ws[-1] += self.rng.choice([",", ",", ";", " —"])
        return " ".join(ws) + self.rng.choice([".", ".", ".", ".", "?", "!"])

    def paragraph(self, sentences: tuple[int, int] = PARAGRAPH_SENTENCES) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def title(self, lo: int = 2, hi: int = 7) -> str:
        n = self.rng.randint(lo, hi)
        self.count += n
        return " ".join(w[:1].upper() + w[1:] for w in (self.word() for _ in range(n)))


class Article:
    """One Markdown file: body text plus its footnote definitions."""

    def __init__(self, w: Writer, index: int):
        self.w = w
        self.index = index
        self.blocks: list[str] = []
        self.notes: list[str] = []

    def note_ref(self) -> str:
        """A reference to a new footnote, whose definition goes at the end of the file."""
        label = f"n{len(self.notes) + 1}"
        if self.w.rng.random() < LONG_NOTE_CHANCE:
            paras = [self.w.paragraph((3, 8)) for _ in range(self.w.rng.randint(2, 4))]
        else:
            paras = [self.w.paragraph((1, 2))]
        body = "\n\n".join(("" if i == 0 else "    ") + p for i, p in enumerate(paras))
        self.notes.append(f"[^{label}]: {body}")
        return f"[^{label}]"

    def with_note(self, text: str) -> str:
        """`text` with a note reference after one of its sentences."""
        cut = [m.end() for m in re.finditer(r"[.?!](?= |$)", text)]
        at = self.w.rng.choice(cut) if cut else len(text)
        return text[:at] + self.note_ref() + text[at:]

    def list_block(self) -> str:
        rng = self.w.rng
        ordered = rng.random() < 0.4
        items = []
        for i in range(rng.randint(3, 6)):
            mark = f"{i + 1}." if ordered else "-"
            text = " ".join(self.w.sentence(4, 18) for _ in range(rng.randint(1, 2)))
            if rng.random() < 0.2:
                text = self.with_note(text)
            item = f"{mark} {text}"
            if rng.random() < 0.2:
                pad = " " * (len(mark) + 1)
                for _ in range(rng.randint(2, 3)):
                    item += f"\n{pad}- {self.w.sentence(3, 12)}"
            items.append(item)
        return "\n".join(items)

    def quote_block(self) -> str:
        paras = [self.w.paragraph((1, 4)) for _ in range(self.w.rng.randint(1, 2))]
        if self.w.rng.random() < 0.5:
            paras[-1] = self.with_note(paras[-1])
        return "\n>\n".join("> " + p for p in paras)


def generate(words: list[str], target: int, seed: int) -> tuple[list[tuple[str, str]], int]:
    """Returns the (file name, Markdown) pairs holding about `target` words, and the count."""
    rng = random.Random(seed)
    w = Writer(words, rng)
    files = []
    index = 0
    while w.count < target:
        index += 1
        art = Article(w, index)
        start = w.count
        budget = min(rng.randint(*ARTICLE_WORDS), max(target - start, 200))
        art.blocks.append(f"# {w.title(3, 8)}")
        next_section = w.count + rng.randint(*SECTION_WORDS)
        next_note = w.count + rng.randint(FOOTNOTE_EVERY // 2, FOOTNOTE_EVERY * 3 // 2)
        next_list = w.count + rng.randint(LIST_EVERY // 2, LIST_EVERY * 3 // 2)
        next_quote = w.count + rng.randint(QUOTE_EVERY // 2, QUOTE_EVERY * 3 // 2)
        next_break = w.count + rng.randint(SCENE_BREAK_EVERY // 2, SCENE_BREAK_EVERY * 3 // 2)
        while w.count - start < budget:
            if w.count >= next_section:
                art.blocks.append(f"## {w.title()}")
                if rng.random() < SUBSECTION_CHANCE:
                    art.blocks.append(w.paragraph((2, 5)))
                    art.blocks.append(f"### {w.title(2, 5)}")
                next_section = w.count + rng.randint(*SECTION_WORDS)
            elif w.count >= next_list:
                art.blocks.append(art.list_block())
                next_list = w.count + rng.randint(LIST_EVERY // 2, LIST_EVERY * 3 // 2)
            elif w.count >= next_quote:
                art.blocks.append(art.quote_block())
                next_quote = w.count + rng.randint(QUOTE_EVERY // 2, QUOTE_EVERY * 3 // 2)
            elif w.count >= next_break:
                art.blocks.append("* * *")
                next_break = w.count + rng.randint(SCENE_BREAK_EVERY // 2, SCENE_BREAK_EVERY * 3 // 2)
            else:
                para = w.paragraph()
                if w.count >= next_note:
                    para = art.with_note(para)
                    next_note = w.count + rng.randint(FOOTNOTE_EVERY // 2, FOOTNOTE_EVERY * 3 // 2)
                art.blocks.append(para)
        md = "\n\n".join(art.blocks + art.notes) + "\n"
        files.append((f"{index:04d}-article.md", md))
    return files, w.count


BOOK_YAML = """\
# Generated by scripts/gen-book.py --words {words} --seed {seed}: benchmark filler.
title: Generated Book of {words} Words
authors: [bindery benchmark]
language: en
toc_depth: 2
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, required=True, help="about how many words to write")
    ap.add_argument("--out", required=True, help="directory to create (must not hold a book.yaml)")
    ap.add_argument("--seed", type=int, default=1, help="pseudo-random seed (default 1)")
    ap.add_argument("--seed-text", default=SEED_TEXT, help="Markdown whose words are recombined")
    a = ap.parse_args(argv)
    if a.words < 1:
        ap.error("--words must be positive")
    if os.path.exists(os.path.join(a.out, "book.yaml")):
        ap.error(f"{a.out} already holds a book.yaml")
    files, count = generate(seed_words(a.seed_text), a.words, a.seed)
    os.makedirs(os.path.join(a.out, "manuscript"), exist_ok=True)
    with open(os.path.join(a.out, "book.yaml"), "w", encoding="utf-8") as fh:
        fh.write(BOOK_YAML.format(words=a.words, seed=a.seed))
    for name, md in files:
        with open(os.path.join(a.out, "manuscript", name), "w", encoding="utf-8") as fh:
            fh.write(md)
    print(f"gen-book: {count} words in {len(files)} articles -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
