#!/usr/bin/env bash
# Compares govreport with Typst and LibreOffice on this machine, in one run,
# and prints the README's performance table: ratios first, absolute times
# second, the machine and its load named.
#  1. one report, whole process: `govreport render` of the seed to PDF;
#     Typst (@myriaddreamin/typst-ts-node-compiler, pinned, installed into
#     .cache/typst) setting an equivalent document (scripts/bench: the same
#     text, headings, tables and faces) in a fresh node process; LibreOffice
#     converting our DOCX of the seed to PDF;
#  2. one report, in process, warm: govreport's BenchmarkRenderPDF against
#     Typst compiling the same source again in its process;
#  3. `govreport version`, whole process;
#  4. a batch: `govreport batch -j 2 --format pdf,docx` on N inputs against
#     LibreOffice converting the N DOCX files in one call.
# CPU time (user + system of the process and its children) is the figure to
# compare on a shared machine; wall time is given beside it.
#   scripts/bench.sh [N]                 (N: the batch, default 50)
#   BEFORE=/path/to/govreport scripts/bench.sh
#     adds govreport's own figures for another binary (e.g. main's), measured
#     alternately with this tree's in the same run: a before/after table.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
typst_version=0.7.0
runs=${RUNS:-15}
for t in soffice hyperfine node npm python3; do
  command -v $t >/dev/null || { echo "bench.sh: needs $t (apt-get install libreoffice-writer-nogui hyperfine nodejs npm python3)" >&2; exit 1; }
done
if [ ! -f .cache/typst/node_modules/@myriaddreamin/typst-ts-node-compiler/package.json ] ||
  ! grep -q "\"version\": \"$typst_version\"" .cache/typst/node_modules/@myriaddreamin/typst-ts-node-compiler/package.json; then
  npm install --prefix .cache/typst --no-save --no-audit --no-fund --loglevel=error "@myriaddreamin/typst-ts-node-compiler@$typst_version" >/dev/null
fi
export NODE_PATH=$PWD/.cache/typst/node_modules
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/govreport" ./cmd/govreport
go test -c -o "$dir/render.test" ./render
seed=testdata/reports/yongxing-2024.json
"$dir/govreport" render "$seed" -o "$dir/seed.docx" 2>/dev/null
go run ./scripts/bench -typst "$dir/seed.typ" -fonts "$dir/fonts" "$seed"
profile="-env:UserInstallation=file://$dir/lo-profile"
soffice "$profile" --headless --convert-to pdf --outdir "$dir/warm" "$dir/seed.docx" >/dev/null 2>&1 # first start builds the profile
node scripts/bench/typst.js "$dir/seed.typ" "$dir/fonts" "$dir/typst.pdf" # and reads the fonts into the page cache

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
# cpu NAME RUNS WARMUP CMD...: hyperfine's mean wall and CPU (user + system,
# children included) in ms, into $dir/NAME.
cpu() {
  local name=$1 r=$2 w=$3
  shift 3
  hyperfine -N --warmup "$w" --runs "$r" --export-json "$dir/$name.json" "$*" >/dev/null 2>&1
  python3 -c "import json;r=json.load(open('$dir/$name.json'))['results'][0];print(f\"{r['mean']*1000:.1f} {(r['user']+r['system'])*1000:.1f}\")" >"$dir/$name"
}
wall() { cut -d' ' -f1 "$dir/$1"; }
cpuof() { cut -d' ' -f2 "$dir/$1"; }

same=""
load0=$(cut -d' ' -f1-3 /proc/loadavg)
cpu g_render "$runs" 3 "$dir/govreport" render "$seed" -o "$dir/out.pdf"
cpu t_render 5 1 node scripts/bench/typst.js "$dir/seed.typ" "$dir/fonts" "$dir/typst.pdf"
cpu l_render 5 1 soffice "$profile" --headless --convert-to pdf --outdir "$dir/lo" "$dir/seed.docx"
cpu g_version "$runs" 3 "$dir/govreport" version
# perfstat NAME CMD...: perf stat's task-clock (ms) and page faults over
# $runs runs, into $dir/NAME ("- -" without perf).
perfstat() {
  local name=$1
  shift
  if command -v perf >/dev/null && perf stat -x, -e task-clock,page-faults -r "$runs" -- "$@" >/dev/null 2>"$dir/$name.perf"; then
    awk -F, '$3 == "task-clock" {t = $1} $3 == "page-faults" {f = $1} END {print t, f}' "$dir/$name.perf" >"$dir/$name"
  else
    echo "- -" >"$dir/$name"
  fi
}
if [ -n "${BEFORE:-}" ]; then
  # Alternately, so that a change of load falls on both.
  for i in 1 2; do
    perfstat "p_after_render$i" "$dir/govreport" render "$seed" -o "$dir/out.pdf"
    perfstat "p_before_render$i" "$BEFORE" render "$seed" -o "$dir/before.pdf"
    perfstat "p_after_version$i" "$dir/govreport" version
    perfstat "p_before_version$i" "$BEFORE" version
  done
  cmp -s "$dir/out.pdf" "$dir/before.pdf" && same="byte-identical" || same="different ($(stat -c %s "$dir/before.pdf") → $(stat -c %s "$dir/out.pdf") bytes)"
fi
# In process: govreport's benchmark (CPU per render, the benchmark's own
# cpu-ns/op) and Typst's warm compiles.
gw=$(cd render && "$dir/render.test" -test.run '^$' -test.bench 'RenderPDF/yongxing' -test.benchtime 200x 2>/dev/null |
  awk '/cpu-ns\/op/ {for (i = 1; i < NF; i++) if ($(i+1) == "cpu-ns/op") printf "%.1f", $i / 1e6}')
tw=$(node scripts/bench/typst.js "$dir/seed.typ" "$dir/fonts" "$dir/typst.pdf" 50 | awk '/warm-cpu-ms/ {print $2}')

# The batch.
mkdir -p "$dir/in" "$dir/out" "$dir/lo-in" "$dir/lo-out"
for i in $(seq -w 1 "$n"); do cp "$seed" "$dir/in/r$i.json"; cp "$dir/seed.docx" "$dir/lo-in/r$i.docx"; done
s=$(date +%s.%N)
"$dir/govreport" batch -j 2 --format pdf,docx -o "$dir/out" "$dir/in" >/dev/null 2>&1
e=$(date +%s.%N)
s2=$(date +%s.%N)
soffice "$profile" --headless --convert-to pdf --outdir "$dir/lo-out" "$dir"/lo-in/*.docx >/dev/null 2>&1
e2=$(date +%s.%N)
load1=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$dir" <<PY
import sys
d = sys.argv[1]
def f(name): return [float(x) for x in open(f"{d}/{name}").read().split()]
gw_, gc = f("g_render"); tw_, tc = f("t_render"); lw, lc = f("l_render"); vw, vc = f("g_version")
print(f"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(go version | cut -d' ' -f3); $(soffice --version | head -1 | cut -d' ' -f1-2); typst-ts-node-compiler $typst_version on node $(node --version)")
print(f"load average: $load0 at start, $load1 at end")
print(f"pages: govreport $(pages "$dir/out.pdf"), Typst $(pages "$dir/typst.pdf"), LibreOffice $(pages "$dir/lo/seed.pdf")")
print()
print("| seed report → PDF | Typst ÷ govreport | LibreOffice ÷ govreport | govreport | Typst | LibreOffice |")
print("|---|---|---|---|---|---|")
print(f"| whole process, CPU | **{tc/gc:.1f}×** | **{lc/gc:.0f}×** | {gc:.0f} ms | {tc:.0f} ms | {lc:.0f} ms |")
print(f"| whole process, wall | {tw_/gw_:.1f}× | {lw/gw_:.0f}× | {gw_:.0f} ms | {tw_:.0f} ms | {lw:.0f} ms |")
gwarm, twarm = float("$gw"), float("$tw")
print(f"| in process, warm, CPU per render | **{twarm/gwarm:.1f}×** | — | {gwarm:.1f} ms | {twarm:.1f} ms | — |")
g = $e - $s; l = $e2 - $s2
print(f"| batch of $n, wall (govreport -j 2, PDF + DOCX; LibreOffice DOCX → PDF in one call) | — | **{l/g:.0f}×** | {g:.2f} s ({$n/g:.1f} reports/s) | — | {l:.2f} s ({$n/l:.2f} reports/s) |")
print()
print(f"govreport version, whole process: {vc:.1f} ms CPU, {vw:.1f} ms wall")
import os
if os.path.exists(f"{d}/p_after_render1"):
    def pf(name): return open(f"{d}/{name}").read().split()
    print()
    print("govreport, whole process, \$BEFORE against this tree (perf stat -r $runs, twice, alternately): CPU ms (task-clock) and page faults; seed PDFs $same")
    print()
    print("| command | before: CPU, faults | after: CPU, faults | after ÷ before (CPU) |")
    print("|---|---|---|---|")
    for cmd in ("render", "version"):
        b = [pf(f"p_before_{cmd}{i}") for i in (1, 2)]; a = [pf(f"p_after_{cmd}{i}") for i in (1, 2)]
        def show(xs): return " / ".join(f"{float(x[0]):.1f} ms, {int(float(x[1])):,}" for x in xs)
        r = [float(a[i][0]) / float(b[i][0]) for i in (0, 1)]
        print(f"| {cmd} | {show(b)} | {show(a)} | {min(r):.2f}–{max(r):.2f} |")
PY
echo "outputs: $(ls "$dir/out" | wc -l) from govreport, $(ls "$dir/lo-out" | wc -l) from LibreOffice"
