#!/usr/bin/env bash
# Compares govreport with LibreOffice on this machine, in one run:
#  1. one report: the whole process of `govreport render` (PDF) against
#     `soffice --headless --convert-to pdf` of our DOCX of the same report;
#  2. a batch: `govreport batch -j 2 --format pdf,docx` on N inputs against
#     LibreOffice converting the N DOCX files to PDF in one call.
#   scripts/bench.sh [N]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
for t in soffice hyperfine; do
  command -v $t >/dev/null || { echo "bench.sh: needs $t (apt-get install libreoffice-writer-nogui hyperfine)" >&2; exit 1; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/govreport" ./cmd/govreport
seed=testdata/reports/yongxing-2024.json
"$dir/govreport" render "$seed" -o "$dir/seed.docx" 2>/dev/null
profile="-env:UserInstallation=file://$dir/lo-profile"
soffice "$profile" --headless --convert-to pdf --outdir "$dir/warm" "$dir/seed.docx" >/dev/null 2>&1 # first start builds the profile

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(soffice --version | head -1)"
echo "== one report, whole process"
hyperfine -N --warmup 2 --runs 20 --export-json "$dir/g.json" "$dir/govreport render $seed -o $dir/out.pdf" >/dev/null
hyperfine -N --warmup 1 --runs 5 --export-json "$dir/l.json" "soffice $profile --headless --convert-to pdf --outdir $dir/lo $dir/seed.docx" >/dev/null
# Wall time is noisy on a shared machine; CPU time (user + system of the whole
# process, as hyperfine measures it) is what a render costs.
read -r g gc < <(python3 -c "import json;r=json.load(open('$dir/g.json'))['results'][0];print(r['mean'], r['user']+r['system'])")
read -r l lc < <(python3 -c "import json;r=json.load(open('$dir/l.json'))['results'][0];print(r['mean'], r['user']+r['system'])")
python3 -c "print(f'govreport render: {$g*1000:.0f} ms wall, {$gc*1000:.0f} ms CPU; LibreOffice DOCX→PDF: {$l*1000:.0f} ms wall, {$lc*1000:.0f} ms CPU; ratio {$l/$g:.0f}× wall, {$lc/$gc:.0f}× CPU')"
hyperfine -N --warmup 2 --runs 20 --export-json "$dir/v.json" "$dir/govreport version" >/dev/null
python3 -c "import json;r=json.load(open('$dir/v.json'))['results'][0];print(f\"govreport version: {r['mean']*1000:.1f} ms wall, {(r['user']+r['system'])*1000:.1f} ms CPU\")"

echo "== batch of $n reports"
mkdir -p "$dir/in" "$dir/out" "$dir/lo-in" "$dir/lo-out"
for i in $(seq -w 1 "$n"); do cp "$seed" "$dir/in/r$i.json"; cp "$dir/seed.docx" "$dir/lo-in/r$i.docx"; done
s=$(date +%s.%N)
"$dir/govreport" batch -j 2 --format pdf,docx -o "$dir/out" "$dir/in" >/dev/null 2>&1
e=$(date +%s.%N)
s2=$(date +%s.%N)
soffice "$profile" --headless --convert-to pdf --outdir "$dir/lo-out" "$dir"/lo-in/*.docx >/dev/null 2>&1
e2=$(date +%s.%N)
python3 -c "
g=$e-$s; l=$e2-$s2
print(f'govreport batch -j 2 --format pdf,docx: {g:.2f} s, {$n/g:.1f} reports/s ({2*$n/g:.1f} files/s)')
print(f'LibreOffice, {$n} DOCX → PDF in one call: {l:.2f} s, {$n/l:.2f} reports/s')
print(f'ratio: {l/g:.0f}×')"
echo "outputs: $(ls "$dir/out" | wc -l) from govreport, $(ls "$dir/lo-out" | wc -l) from LibreOffice"
