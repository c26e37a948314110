#!/bin/bash
# Rebuild the embedded faces in fonts/faces/ from Debian packages.
#
# The project's subsetter (fonts/subset.go), and so its PDF writer, which embeds the
# cuts as CIDFontType2, handle only single-face TrueType (glyf) fonts, but the free
# CJK faces Debian ships are CFF OpenType (Fandol, Noto CJK) or too large; this
# script downloads the packages (without installing them), subsets each face to the
# characters a government report needs and converts it to quadratic TrueType with
# fontTools.
# See fonts/faces/README.md.
#
# Usage: fonts/build/build.sh [-j JOBS] [FILE...]   (run as root or with sudo for apt-get)
# FILE names the faces to rebuild (e.g. fangsong-2.ttf); by default all of them.
# Needs: apt-get, dpkg-deb, Debian's /usr/bin/python3 with python3-fonttools.
set -euo pipefail

jobs=2
if [[ "${1:-}" == "-j" ]]; then
	jobs="$2"
	shift 2
fi
only=("$@")

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
faces="$(cd "$here/.." && pwd)/faces"
py=/usr/bin/python3   # Debian's python: python3-fonttools lives there, not in pyenv

if ! "$py" -c 'import fontTools' 2>/dev/null; then
	echo "installing python3-fonttools" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fonttools
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debs" "$tmp/root" "$faces"
chmod 755 "$tmp" # apt-get download fetches as user _apt
id _apt >/dev/null 2>&1 && chown _apt "$tmp/debs"

# unicode-data: Unihan's kTGH field lists the 8,105 characters of the 通用规范汉字表,
# which every face of a role carries where its source face has them.
pkgs=(texlive-lang-chinese fonts-noto-cjk fonts-lxgw-wenkai fonts-cwtex-fs unicode-data)
if ! (cd "$tmp/debs" && apt-get download "${pkgs[@]}"); then
	apt-get update -qq # no package lists yet (fresh container)
	(cd "$tmp/debs" && apt-get download "${pkgs[@]}")
fi
for deb in "$tmp"/debs/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root"
done

# Record the package versions for the README.
for p in "${pkgs[@]}"; do
	printf '%s %s\n' "$p" "$(dpkg-deb -f "$tmp"/debs/"${p}"_*.deb Version)"
done >"$faces/VERSIONS.txt"

fandol="$tmp/root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
noto="$tmp/root/usr/share/fonts/opentype/noto"
lxgw="$tmp/root/usr/share/fonts/truetype/lxgw-wenkai"
cwtex="$tmp/root/usr/share/fonts/truetype/cwtex"
unihan="$tmp/root/usr/share/unicode/Unihan_OtherMappings.txt.bz2"
testdata="$(cd "$here/.." && pwd)/testdata"
note="Subset and converted to TrueType outlines for govreport by fonts/build/build.sh (modified version)."

# One line per face: output, charset, source, face index ('-' for none), expected family,
# new family and PostScript name ('-' to keep the original names), extra arguments.
#
# fangsong-2.ttf is the body role's second face: cwTeX FangSong sets the traditional
# characters FandolFang lacks. Its ideographs are drawn on a 920-unit advance; the
# layout's 28-character grid needs one em, so they are scaled by 1000/920 (their
# design proportion of the em is kept) and moved 59 units down, which puts the median
# centre of their ink where FandolFang's is (measured over the 5,528 ideographs both
# faces have: 308.5 units above the baseline, against 338 × 1000/920 before the move).
cat >"$tmp/jobs" <<EOF
song.ttf|song|$noto/NotoSerifCJK-Regular.ttc|2|Noto Serif CJK SC|-|-|
fangsong.ttf|body|$fandol/FandolFang-Regular.otf|-|FandolFang|-|-|
title.ttf|full|$noto/NotoSerifCJK-Bold.ttc|2|Noto Serif CJK SC|-|-|
hei.ttf|full|$noto/NotoSansCJK-Regular.ttc|2|Noto Sans CJK SC|-|-|
kai.ttf|full|$lxgw/LXGWWenKai-Regular.ttf|-|LXGW WenKai|GovReport Kai|GovReportKai-Regular|
fangsong-2.ttf|hanzi|$cwtex/cwfs.ttf|-|cwTeXFangSong|-|-|--em-box 920 --shift-y -59
EOF

# write_licences ROOT FACES: the licence texts, as the Debian packages ship them.
write_licences() {
	local root="$1" out="$2"
	zcat "$root/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" >"$out/LICENSE-Fandol.txt"
	{
		echo "fangsong-2.ttf: cwTeX FangSong (cwfs.ttf, Debian package fonts-cwtex-fs), subset to"
		echo "its ideographs, rescaled to a one-em advance and converted by fonts/build/build.sh."
		echo "Its source is that Debian package and fonts/build/. Debian's copyright file:"
		echo
		sed 's/^/  /' "$root/usr/share/doc/fonts-cwtex-fs/copyright"
		echo
		echo "The GNU General Public License, version 2 (/usr/share/common-licenses/GPL-2):"
		echo
		cat /usr/share/common-licenses/GPL-2
	} >"$out/LICENSE-cwTeX.txt"
	{
		echo "The SIL Open Font License 1.1 below covers these faces in this directory:"
		echo
		echo "song.ttf, title.ttf, hei.ttf: Noto Serif CJK SC Regular and Bold, Noto Sans CJK SC"
		echo "Regular (Debian package fonts-noto-cjk), subset and converted to TrueType outlines."
		echo "  Copyright 2014-2022 Adobe (http://www.adobe.com/). Noto is a trademark of Google Inc."
		echo "  No Reserved Font Name is declared; the faces keep their names."
		echo
		echo "kai.ttf: LXGW WenKai Regular (Debian package fonts-lxgw-wenkai), subset, and renamed"
		echo "\"GovReport Kai\" because the licence reserves the names below for unmodified fonts:"
		sed -n '/^Files: \*$/,/^$/p' "$root/usr/share/doc/fonts-lxgw-wenkai/copyright" | sed 's/^/  /'
		echo "  (name table: Copyright 2021-2023 LXGW; Copyright 2020 The Klee Project Authors)"
		echo
		awk 'prev == "" && $0 == "License: SIL-1.1" { on = 1; prev = $0; next }
		     on && /^$/ { exit }
		     on { print }
		     { prev = $0 }' "$root/usr/share/doc/fonts-noto-cjk/copyright" |
			sed -e 's/^ //' -e 's/^\.$//'
	} >"$out/LICENSE-OFL.txt"
}

run_one() {
	IFS='|' read -r out cs src idx fam newfam newps extra <<<"$1"
	args=("$src" "$faces/$out" --charset "$cs" --tgh "$unihan" --expect-family "$fam" --note "$note")
	# shellcheck disable=SC2206 # extra is a list of plain words
	[[ -n "$extra" ]] && args+=($extra)
	[[ "$idx" != "-" ]] && args+=(--index "$idx")
	[[ "$newfam" != "-" ]] && args+=(--rename-family "$newfam" --rename-ps "$newps")
	local t0=$SECONDS
	"$py" "$here/convert.py" "${args[@]}"
	echo "$out: $((SECONDS - t0)) s"
}
export -f run_one
export faces here py note unihan

if ((${#only[@]} > 0)); then
	for f in "${only[@]}"; do
		grep -q "^$f|" "$tmp/jobs" || { echo "build.sh: no face $f" >&2; exit 2; }
	done
	grep -F -f <(printf '%s|\n' "${only[@]}") "$tmp/jobs" >"$tmp/jobs.only"
	mv "$tmp/jobs.only" "$tmp/jobs"
fi

# Slowest first; xargs -P runs them in parallel and fails if any job fails.
tr '\n' '\0' <"$tmp/jobs" | xargs -0 -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}

# Licence texts, as Debian ships them.
write_licences "$tmp/root" "$faces"

# The 通用规范汉字表 for the coverage tests, and the licence of the Unicode data it comes from.
"$py" "$here/convert.py" --tgh-list "$unihan" "$testdata/tgh-8105.txt" \
	"unicode-data $(dpkg-deb -f "$tmp"/debs/unicode-data_*.deb Version)"
{
	echo "tgh-8105.txt is extracted (modified) from Unihan_OtherMappings.txt of the Unicode"
	echo "Character Database, as Debian's package unicode-data ships it. Debian's copyright file:"
	echo
	cat "$tmp/root/usr/share/doc/unicode-data/copyright"
} >"$testdata/LICENSE-Unicode.txt"

ls -l "$faces"
