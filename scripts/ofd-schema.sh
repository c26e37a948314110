#!/usr/bin/env bash
# Validates every XML part of OFD packages against the GB/T 33190-2016
# schemas (Annex A) with xmllint (Debian libxml2-utils):
#
#   scripts/ofd-schema.sh XSD_DIR FILE.ofd...
#
# XSD_DIR holds OFD.xsd, Document.xsd, Res.xsd, Page.xsd, CustomTags.xsd and
# Definitions.xsd: render/ofd/testdata/schema (govreport's own reading of
# Annex A, which render/ofd's TestSchema uses), or a copy of the standard's
# files such as github.com/GreenYun/OFD-Schema (commit 888931f; not in this
# repository: it states no licence). Each part is validated against the
# schema of its root element; a part with another root is an error. The
# 公文 tag file (root 公文, govreport's namespace) is validated against
# render/ofd/testdata/schema/Gongwen.xsd.
set -euo pipefail
if (($# < 2)); then
  echo "usage: $0 XSD_DIR FILE.ofd..." >&2
  exit 2
fi
xsd=$(cd "$1" && pwd)
tags=$(cd "$(dirname "$0")/../render/ofd/testdata/schema" && pwd)
shift
command -v xmllint >/dev/null || { echo "$0: xmllint is missing (apt-get install libxml2-utils)" >&2; exit 2; }
command -v unzip >/dev/null || { echo "$0: unzip is missing" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for ofd in "$@"; do
  dir="$tmp/$(basename "$ofd")"
  mkdir -p "$dir"
  unzip -q "$ofd" -d "$dir"
  n=0
  while IFS= read -r -d '' part; do
    root=$(sed -n 2p "$part" | sed -E 's/^<(ofd:)?([^ >]+).*/\2/')
    case "$root" in
      OFD) schema=$xsd/OFD.xsd ;;
      Document) schema=$xsd/Document.xsd ;;
      Res) schema=$xsd/Res.xsd ;;
      Page) schema=$xsd/Page.xsd ;;
      CustomTags) schema=$xsd/CustomTags.xsd ;;
      公文) schema=$tags/Gongwen.xsd ;;
      *) echo "$ofd: ${part#"$dir"/}: root element $root has no schema here" >&2; fail=1; continue ;;
    esac
    if ! timeout 60 xmllint --noout --nonet --schema "$schema" "$part" 2>"$tmp/err"; then
      echo "$ofd: ${part#"$dir"/}:" >&2
      cat "$tmp/err" >&2
      fail=1
    fi
    n=$((n + 1))
  done < <(find "$dir" -name '*.xml' -print0 | sort -z)
  echo "$ofd: $n parts checked"
done
exit $fail
