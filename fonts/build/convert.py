#!/usr/bin/python3
"""Subset one CJK face and convert it to single-face TrueType (glyf) outlines.

The project's subsetter (fonts/subset.go) and PDF writer (CIDFontType2) handle only
single-face TrueType fonts, and golang.org/x/image/font/sfnt mis-draws some CFF glyphs,
so every face the project ships is a quadratic glyf font.
This script is run by build.sh; it uses only Debian's python3-fonttools.

Usage:
  convert.py --hanzi-lists DIR       (writes DIR/gb2312-hanzi.txt, DIR/big5-hanzi.txt)
  convert.py --tgh-list UNIHAN OUT   (writes the 8,105 characters of the 通用规范汉字表)
  convert.py SRC OUT --charset NAME --tgh UNIHAN [--index N] [--expect-family FAMILY]
             [--rename-family FAMILY --rename-ps PSNAME] [--note TEXT]

UNIHAN is Unihan_OtherMappings.txt(.bz2) of Debian's unicode-data package: its kTGH
field numbers the 8,105 characters of the 通用规范汉字表 (Table of General Standard
Chinese Characters, 2013), the list of characters names and texts in the PRC are
written with.

Charsets (see charset()):
  body   ASCII, Latin-1, punctuation blocks, GB2312 and Big5 (hanzi and symbols) and
         the 通用规范汉字表 characters below U+FFFF (the layout and the report format
         stop at the BMP: outside_bmp)
  song   body + all of U+4E00..9FA5 (GBK URO) + CJK compatibility and common symbols
  full   same as body (title, hei, kai)
  hanzi  only the hanzi of body (a second face of a role, which fills the
         characters the first face lacks and must not replace its punctuation)

--em-box W rescales a face of ideographs drawn on a W-unit advance to the 1-em advance
the layout's 28-character grid needs (outlines scaled by upm/W, every advance one em,
a glyph of another advance centred in it), and --shift-y D then moves every outline D units up (negative: down), so that its
ideographs sit where the first face's do. Both are for second faces only.
"""

import argparse
import bz2
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

# Ranges every face carries: ASCII, Latin-1, general punctuation, CJK symbols and
# punctuation, full-width forms.
PUNCT_RANGES = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2000, 0x206F),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
]

# Extra blocks for the universal fallback (宋体 role): symbols that appear in
# government reports (①, ⑴, ⒈, №, ℃, Ⅰ, ㎡, ■, ★, ㈠, 〔〕 ...) and CJK compatibility.
SONG_EXTRA_RANGES = [
    (0x4E00, 0x9FA5),  # GBK URO, 20,902 hanzi
    (0x0391, 0x03C9),  # Greek (GB2312 row 6)
    (0x0401, 0x0451),  # Cyrillic (GB2312 row 7)
    (0x2100, 0x214F),  # letterlike symbols: ℃ № ℉ ™
    (0x2150, 0x218F),  # number forms: Ⅰ Ⅱ ⅰ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑴ ⒈
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ▲ ○ ●
    (0x2600, 0x26FF),  # miscellaneous symbols: ★ ☆
    (0x3200, 0x32FF),  # enclosed CJK letters and months: ㈠ ㊀
    (0x3300, 0x33FF),  # CJK compatibility: ㎡ ㎏
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
]


def codec_chars(codec):
    """Every character a 2-byte code of the codec decodes to (lead and trail 0xA1..0xFE
    for gb2312, lead 0x81..0xFE / trail 0x40..0xFE for big5)."""
    out = set()
    leads = range(0xA1, 0xFF) if codec == "gb2312" else range(0x81, 0xFF)
    trails = range(0xA1, 0xFF) if codec == "gb2312" else range(0x40, 0xFF)
    for a in leads:
        for b in trails:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def is_hanzi(cp):
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def tgh_chars(path):
    """The 通用规范汉字表 as {code point: number} from Unihan's kTGH field
    ("U+4E00<TAB>kTGH<TAB>2013:1")."""
    opener = bz2.open if path.endswith(".bz2") else open
    out = {}
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) == 3 and f[1] == "kTGH":
                out[int(f[0][2:], 16)] = int(f[2].split()[0].split(":")[1])
    if len(out) != 8105 or sorted(out.values()) != list(range(1, 8106)):
        raise SystemExit("%s: kTGH lists %d characters, want numbers 1..8105" % (path, len(out)))
    return out


def charset(name, tgh):
    cps = set()
    for lo, hi in PUNCT_RANGES:
        cps.update(range(lo, hi + 1))
    cps |= codec_chars("gb2312")
    cps |= codec_chars("big5")
    cps |= {c for c in tgh if c <= 0xFFFF}
    if name == "song":
        for lo, hi in SONG_EXTRA_RANGES:
            cps.update(range(lo, hi + 1))
    elif name == "hanzi":
        cps = {c for c in cps if is_hanzi(c)}
    elif name not in ("body", "full"):
        raise SystemExit("unknown charset %r" % name)
    return cps


def open_face(path, index, expect_family):
    if index is None:
        font = TTFont(path)
    else:
        font = TTFont(path, fontNumber=index)
    if expect_family:
        fam = font["name"].getDebugName(16) or font["name"].getDebugName(1)
        if fam != expect_family:
            raise SystemExit("%s face %s is %r, want %r" % (path, index, fam, expect_family))
    return font


def do_subset(font, cps):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.desubroutinize = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.drop_tables += ["VORG", "GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx",
                         "gasp", "DSIG", "hdmx", "LTSH", "VDMX", "kern", "JSTF", "MATH",
                         "mort", "morx"]
    opts.prune_unicode_ranges = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(cps))
    sub.subset(font)


def cff_to_glyf(font, max_err):
    """Replace CFF outlines by quadratic glyf outlines (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for gname in order:
        pen = TTGlyphPen(glyphset)
        # CFF contours run counter-clockwise, TrueType clockwise: reverse.
        glyphset[gname].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[gname] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    # Advance widths stay; left side bearings follow the new bounding boxes.
    hmtx = font["hmtx"]
    for gname, g in glyphs.items():
        if hasattr(g, "xMin"):
            hmtx.metrics[gname] = (hmtx.metrics[gname][0], g.xMin)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, attr, 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font.sfntVersion = "\x00\x01\x00\x00"


def rescale(font, em_box, shift_y, ascent, descent):
    """Scale every outline and advance by upm/em_box about the origin and move the
    outlines shift_y units up; the vertical metrics become ascent and descent (those
    of the first face of the role). The outlines are redrawn (components decomposed,
    rounded to whole units); hinting is dropped, as for every face."""
    upm = font["head"].unitsPerEm
    s = upm / float(em_box)
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    hmtx = font["hmtx"]
    glyphs = {}
    for gname in order:
        # Every glyph becomes one em wide, centred where its advance was not
        # em_box (cwTeX FangSong has one ideograph on 1000 units, the rest on 920).
        dx = (upm - hmtx.metrics[gname][0] * s) / 2
        rec = DecomposingRecordingPen(glyphset)
        glyphset[gname].draw(rec)
        pen = TTGlyphPen(None)
        rec.replay(TransformPen(pen, (s, 0, 0, s, dx, shift_y)))
        glyphs[gname] = pen.glyph()
    glyf = font["glyf"]
    glyf.glyphs = glyphs
    glyf.glyphOrder = order
    for gname, g in glyphs.items():
        g.recalcBounds(glyf)
        hmtx.metrics[gname] = (upm, g.xMin if g.numberOfContours else 0)
    font["hhea"].ascent, font["hhea"].descent, font["hhea"].lineGap = ascent, descent, 0
    os2 = font["OS/2"]
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, descent, 0
    os2.usWinAscent, os2.usWinDescent = ascent, -descent
    os2.xAvgCharWidth = int(round(os2.xAvgCharWidth * s))


def finish_tables(font):
    """post format 3, maxp 1.0, no hinting leftovers."""
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    if font["maxp"].tableVersion != 0x00010000:
        raise SystemExit("maxp is not version 1.0")
    for tag in ("fpgm", "prep", "cvt ", "gasp", "hdmx", "LTSH", "VDMX"):
        if tag in font:
            del font[tag]
    head = font["head"]
    head.indexToLocFormat = 1 if len(font.getGlyphOrder()) else 0


def rename(font, family, psname, note):
    """Give a Modified Version its own name (OFL §3 reserved font names) and a notice
    that it was modified (GPL-3 §5a, good practice for OFL)."""
    name = font["name"]
    if family:
        keep = []
        for rec in name.names:
            # Drop every family/full/unique/PostScript/typographic name, in all languages.
            if rec.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
                continue
            keep.append(rec)
        name.names = keep
        style = "Regular"
        version = font["head"].fontRevision
        for plat, enc, lang in ((3, 1, 0x409), (1, 0, 0)):
            name.setName(family, 1, plat, enc, lang)
            name.setName(style, 2, plat, enc, lang)
            name.setName("%s;%.3f" % (psname, version), 3, plat, enc, lang)
            name.setName(family + " " + style, 4, plat, enc, lang)
            name.setName(psname, 6, plat, enc, lang)
    if note:
        name.removeNames(nameID=10)
        name.setName(note, 10, 3, 1, 0x409)
        name.setName(note, 10, 1, 0, 0)
    # CFF fonts keep the PostScript name in CFF only if name ID 6 is missing; make
    # sure it is present for the glyf font.
    if name.getName(6, 3, 1, 0x409) is None:
        ps = name.getDebugName(6)
        if ps:
            name.setName(ps, 6, 3, 1, 0x409)


def write_hanzi_lists(directory):
    """Write the GB2312 and Big5 hanzi, one line of text each, for the Go tests
    (the Go package uses only the standard library and golang.org/x/image)."""
    for codec in ("gb2312", "big5"):
        chars = sorted(c for c in codec_chars(codec) if is_hanzi(c))
        with open("%s/%s-hanzi.txt" % (directory, codec), "w", encoding="utf-8") as fh:
            fh.write("".join(chr(c) for c in chars) + "\n")
        print("%s: %d hanzi" % (codec, len(chars)))


def write_tgh_list(unihan, out, version):
    """Write the 通用规范汉字表 for the Go tests: comment lines, then its three levels
    (一级 1–3500, 二级 3501–6500, 三级 6501–8105), one line each, in table order."""
    tgh = tgh_chars(unihan)
    order = sorted(tgh, key=tgh.get)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# 通用规范汉字表 (2013): its 8,105 characters in table order, one line per level\n"
                 "# (一级 1-3500, 二级 3501-6500, 三级 6501-8105); %d of them are above U+FFFF.\n"
                 "# Extracted by fonts/build/convert.py --tgh-list from the kTGH field of\n"
                 "# Unihan_OtherMappings.txt, Unicode %s, Debian package %s\n"
                 "# (a modified, extracted form of a Unicode Data File; licence: LICENSE-Unicode.txt).\n"
                 % (sum(1 for c in order if c > 0xFFFF), "15.0.0", version))
        for lo, hi in ((1, 3500), (3501, 6500), (6501, 8105)):
            fh.write("".join(chr(c) for c in order if lo <= tgh[c] <= hi) + "\n")
    print("%s: %d characters" % (out, len(order)))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--hanzi-lists":
        write_hanzi_lists(sys.argv[2])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "--tgh-list":
        write_tgh_list(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--charset", required=True)
    ap.add_argument("--tgh", required=True)
    ap.add_argument("--index", type=int)
    ap.add_argument("--expect-family")
    ap.add_argument("--rename-family")
    ap.add_argument("--rename-ps")
    ap.add_argument("--note")
    ap.add_argument("--em-box", type=int)
    ap.add_argument("--shift-y", type=int, default=0)
    ap.add_argument("--ascent", type=int, default=880)
    ap.add_argument("--descent", type=int, default=-120)
    a = ap.parse_args()

    font = open_face(a.src, a.index, a.expect_family)
    upm = font["head"].unitsPerEm
    advances_before = {}
    cmap_before = font.getBestCmap()
    tgh = tgh_chars(a.tgh)
    wanted = charset(a.charset, tgh)
    for cp in wanted:
        g = cmap_before.get(cp)
        if g is not None:
            advances_before[cp] = font["hmtx"].metrics[g][0]

    do_subset(font, wanted)
    if "CFF " in font:
        cff_to_glyf(font, max_err=upm / 1000.0)
    elif "glyf" not in font:
        raise SystemExit("%s: neither CFF nor glyf outlines" % a.src)
    if a.em_box:
        rescale(font, a.em_box, a.shift_y, a.ascent, a.descent)
        advances_before = {cp: upm for cp in advances_before}
    finish_tables(font)
    rename(font, a.rename_family, a.rename_ps, a.note)
    # Keep head.modified from the source so that a rebuild gives identical bytes.
    font.recalcTimestamp = False
    font.save(a.out)

    # Verify: re-open, same cmap as intended, unchanged advances, glyf only.
    out = TTFont(a.out)
    cmap = out.getBestCmap()
    bad = [cp for cp, adv in advances_before.items()
           if cp not in cmap or out["hmtx"].metrics[cmap[cp]][0] != adv]
    if bad:
        raise SystemExit("%s: %d characters lost or changed advance, e.g. %s"
                         % (a.out, len(bad), ["U+%04X" % c for c in bad[:10]]))
    for tag in ("CFF ", "VORG", "GSUB", "GPOS", "vhea", "vmtx", "fpgm", "prep", "cvt "):
        if tag in out:
            raise SystemExit("%s: table %r left in output" % (a.out, tag))
    if a.charset == "hanzi":
        # A second face sits on the first face's grid: every character one em.
        odd = [cp for cp, g in cmap.items() if out["hmtx"].metrics[g][0] != upm]
        if odd:
            raise SystemExit("%s: %d characters not one em wide, e.g. %s"
                             % (a.out, len(odd), ["U+%04X" % c for c in odd[:10]]))
    if out.sfntVersion != "\x00\x01\x00\x00" or out["post"].formatType != 3.0:
        raise SystemExit("%s: not a TrueType post-3 font" % a.out)
    gb = codec_chars("gb2312")
    b5 = codec_chars("big5")
    han = [c for c in cmap if is_hanzi(c)]
    print("%s: glyphs=%d cmap=%d hanzi=%d tgh=%d/8105 gb2312-hanzi=%d/%d big5-hanzi=%d/%d upm=%d family=%r ps=%r"
          % (a.out, len(out.getGlyphOrder()), len(cmap), len(han), sum(1 for c in tgh if c in cmap),
             sum(1 for c in gb if is_hanzi(c) and c in cmap), sum(1 for c in gb if is_hanzi(c)),
             sum(1 for c in b5 if is_hanzi(c) and c in cmap), sum(1 for c in b5 if is_hanzi(c)),
             upm, out["name"].getDebugName(1), out["name"].getDebugName(6)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
