#!/usr/bin/env bash
# Validates every XML part of OFD packages against the GB/T 33190-2016
# schemas (Annex A) with xmllint (Debian libxml2-utils):
#
#   scripts/ofd-schema.sh XSD_DIR FILE.ofd...
#
# XSD_DIR holds OFD.xsd, Document.xsd, Res.xsd, Page.xsd and Definitions.xsd
# as the standard publishes them, e.g. from github.com/GreenYun/OFD-Schema
# (commit 888931f). They are not in this repository: that copy states no
# licence, so it is not ours to redistribute. Each part is validated against
# the schema of its root element; a part with another root is an error.
set -euo pipefail
if (($# < 2)); then
  echo "usage: $0 XSD_DIR FILE.ofd..." >&2
  exit 2
fi
xsd=$(cd "$1" && pwd)
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
    root=$(awk 'match($0, /<ofd:[A-Za-z]+/) { print substr($0, RSTART + 5, RLENGTH - 5); exit }' "$part")
    case "$root" in
      OFD) schema=OFD.xsd ;;
      Document) schema=Document.xsd ;;
      Res) schema=Res.xsd ;;
      Page) schema=Page.xsd ;;
      *) echo "$ofd: ${part#"$dir"/}: root element $root has no schema here" >&2; fail=1; continue ;;
    esac
    if ! timeout 60 xmllint --noout --schema "$xsd/$schema" "$part" 2>"$tmp/err"; then
      echo "$ofd: ${part#"$dir"/}:" >&2
      cat "$tmp/err" >&2
      fail=1
    fi
    n=$((n + 1))
  done < <(find "$dir" -name '*.xml' -print0 | sort -z)
  echo "$ofd: $n parts checked"
done
exit $fail
