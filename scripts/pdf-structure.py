#!/usr/bin/env python3
"""Dump a tagged PDF's structure tree and marked content as JSON, for bindery's tests.

    python3 scripts/pdf-structure.py FILE.pdf > structure.json

Output:
  {"pages": [{"height": pt, "marked": [{"mcid": n | null, "artifact": "/Pagination" | null,
              "subtype": "/Header" | null, "text": "...", "ys": [baseline pt from the top]}]}],
   "tree": [{"role": "/H1", "title": ..., "alt": ..., "lang": ..., "kids": [...]}]}
where a kid is an element, {"mcid": n, "page": i} or {"annotation": i}.

Text is decoded through each font's ToUnicode map; a TJ adjustment of at least 0.12 em
em is read as a space (bindery writes word spaces as adjustments, not glyphs).
Needs pikepdf.
"""

import json
import re
import sys

import pikepdf

# A TJ adjustment (thousandths of an em) at least this wide reads as a word space.
SPACE_ADJUSTMENT = 120


def to_unicode_map(font):
    mapping = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return mapping
    text = stream.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + k)
    return mapping


def mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def page_content(page, maps):
    height = float(page.MediaBox[3]) - float(page.MediaBox[1])
    marked = []
    stack = []  # open marked-content entries (None for ones we do not track)
    ctm = (1, 0, 0, 1, 0, 0)
    saved = []
    tm = (1, 0, 0, 1, 0, 0)
    font = None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop() if saved else ctm
        elif op == "cm":
            ctm = mul(tuple(float(x) for x in operands), ctm)
        elif op == "BT":
            tm = (1, 0, 0, 1, 0, 0)
        elif op == "Tm":
            tm = tuple(float(x) for x in operands)
        elif op == "Tf":
            font = str(operands[0])
        elif op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if len(operands) > 1 else None
            entry = {"mcid": None, "artifact": None, "subtype": None, "text": "", "ys": []}
            if isinstance(props, pikepdf.Dictionary):
                if "/MCID" in props:
                    entry["mcid"] = int(props.MCID)
                if tag == "/Artifact":
                    entry["artifact"] = str(props.get("/Type", "/Other"))
                    entry["subtype"] = str(props["/Subtype"]) if "/Subtype" in props else None
            elif tag == "/Artifact":
                entry["artifact"] = "/Other"
            if stack and entry["mcid"] is None and entry["artifact"] is None:
                # Nested marked content of no element (krilla's /ActualText spans, e.g. for
                # right-to-left clusters): its text belongs to the enclosing sequence, read as
                # its /ActualText when it has one.
                actual = None
                if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                    actual = str(props.ActualText)
                stack.append({"parent": stack[-1], "actual": actual, "used": False})
                continue
            stack.append(entry)
            marked.append(entry)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in ("TJ", "Tj"):
            pieces = operands[0] if op == "TJ" else [operands[0]]
            mapping = maps.get(font, {})
            text = ""
            for piece in pieces:
                if isinstance(piece, pikepdf.String):
                    raw = bytes(piece)
                    for k in range(0, len(raw) - 1, 2):
                        text += mapping.get(raw[k] << 8 | raw[k + 1], "")
                elif float(piece) <= -SPACE_ADJUSTMENT:
                    text += " "
            y = height - mul(tm, ctm)[5]
            target = stack[-1] if stack else None
            while target is not None and "parent" in target:
                if target["actual"] is not None:
                    text = "" if target["used"] else target["actual"]
                    target["used"] = True
                target = target["parent"]
            if target is None:
                target = {"mcid": None, "artifact": None, "subtype": None, "text": "", "ys": []}
                target["untagged"] = True
                marked.append(target)
            if target["text"] and not target["text"].endswith(" "):
                target["text"] += " "
            target["text"] += text
            target["ys"].append(round(y, 2))
    return {"height": height, "marked": marked}


def element(node, page_index):
    role = str(node.get("/S"))
    out = {"role": role, "kids": []}
    if "/T" in node:
        out["title"] = str(node.T)
    if "/Alt" in node:
        out["alt"] = str(node.Alt)
    if "/Lang" in node:
        out["lang"] = str(node.Lang)
    pg = page_index.get(node.Pg.objgen) if "/Pg" in node else None
    kids = node.get("/K")
    if kids is None:
        kids = []
    elif not isinstance(kids, pikepdf.Array):
        kids = [kids]
    for kid in kids:
        if isinstance(kid, int):
            out["kids"].append({"mcid": int(kid), "page": pg})
        elif isinstance(kid, pikepdf.Dictionary):
            kind = kid.get("/Type")
            if kind == pikepdf.Name("/MCR"):
                kp = page_index.get(kid.Pg.objgen) if "/Pg" in kid else pg
                out["kids"].append({"mcid": int(kid.MCID), "page": kp})
            elif kind == pikepdf.Name("/OBJR"):
                out["kids"].append({"annotation": True})
            else:
                out["kids"].append(element(kid, page_index))
    return out


def main():
    pdf = pikepdf.open(sys.argv[1])
    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    pages = []
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        maps = {str(name): to_unicode_map(f) for name, f in fonts.items()}
        pages.append(page_content(page, maps))
    root = pdf.Root.get("/StructTreeRoot")
    tree = []
    if root is not None:
        kids = root.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids]
        tree = [element(k, page_index) for k in kids if isinstance(k, pikepdf.Dictionary)]
    json.dump({"pages": pages, "tree": tree}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
