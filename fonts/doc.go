// Package fonts owns the typefaces a report is set in: the roles of GB/T 9704
// (小标宋 title, 仿宋 body, 黑体 and 楷体 headings, 宋体 page numbers and universal
// fallback), the registry that maps a role to its ordered stack of faces (the body's
// 仿宋 is FandolFang, then cwTeX FangSong for the traditional characters FandolFang
// lacks), the TrueType parser and its checks, coverage queries, subsets, the licences
// of the shipped faces, and user font directories through which an agency
// substitutes its own licensed files.
//
// The shipped faces themselves (48 MB) are package
// [github.com/govreport/govreport/fonts/faces], as golang.org/x/image keeps gofont
// apart from its font packages: importing it registers them as [Default] (see
// [RegisterDefault]), which [Load] and package render fall back to. A program that
// brings its own faces ([LoadFile], [NewSet]) and does not import faces does not link
// them; its Default is [ErrNoDefault].
//
// The faces the governments actually use (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312,
// SimHei, SimSun) may not be redistributed, so the binary carries free stand-ins
// (see faces/README.md): FandolFang (GPL-3 with font exception), cwTeX FangSong
// (GPL-2+ with font exception), Noto Serif CJK SC Regular and Bold, Noto Sans CJK SC
// (SIL OFL 1.1) and LXGW WenKai, renamed "GovReport Kai" as its OFL reserved names
// require (SIL OFL 1.1). They are subsets
// converted to TrueType (glyf) outlines by build/build.sh, because the PDF writer embeds
// only single-face TrueType fonts (CIDFontType2).
//
// The embedded faces are parsed once per process, on first use, and then shared; the PDF writer
// embeds a small per-document cut from [Face.SubsetGlyphs] (a few hundred glyphs).
//
// The faces' lookup tables cover the Basic Multilingual Plane only, so [Face.Has] is
// false above U+FFFF and such characters surface as [MissingError].
package fonts
