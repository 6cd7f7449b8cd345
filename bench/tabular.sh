#!/usr/bin/env bash
# The tabular suite (issue 19): on each data set of bench/tabular-data.sh (fetched into TABULAR_DATA, default
# bench/tabular-data, when its manifest is missing), Mlp() as it comes, the scikit-learn preset, LightGBM, FastTree
# and SDCA, each on the same seeded 75/25 splits (TABULAR_SEEDS, default 1,2,3): the benchmark program's tabular
# command, one process per data set. Then bench/tabular_summary.py: per data set scores and fit seconds, mean
# normalized score, Mlp()'s wins and losses, the issue's four targets, and the plot bench/tabular.png.
# LightGBM's threads wait by spinning, so its times grow many times over while other programs use the cores: each
# data set first waits (at most TABULAR_QUIET_S, 120 s) until the cores are at most TABULAR_QUIET_PCT (15) % busy.
# Usage: bench/run.sh tabular [data set]   (or BENCH_ONLY=tabular bench/run.sh, or this script). Log in
#        bench/last-tabular-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-tabular-run.log
DATA="${TABULAR_DATA:-bench/tabular-data}"
SEEDS="${TABULAR_SEEDS:-1,2,3}"
QUIET_S="${TABULAR_QUIET_S:-120}"
QUIET_PCT="${TABULAR_QUIET_PCT:-15}"
[ -f "$DATA/manifest.tsv" ] || bench/tabular-data.sh "$DATA"
if ! dpkg-query -W -f='${Status}' python3-matplotlib 2>/dev/null | grep -q 'ok installed'; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-matplotlib >/dev/null
fi
DATASETS="${1:-$(tail -n +2 "$DATA/manifest.tsv" | cut -f1)}"
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll)
source bench/quiet.sh
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  SECONDS=0
  for D in $DATASETS; do
    wait_quiet
    echo "LOAD dataset=$D load=$(cut -d' ' -f1 /proc/loadavg)"
    # A fit that fails prints its own line and the rest still run; a process that dies leaves only this one.
    "${BENCH[@]}" tabular "$DATA" "$D" all "$SEEDS" || echo "TABULAR_EXIT dataset=$D code=$?"
  done
  echo "SUITE_S $SECONDS"
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(TABULAR|QUIET) ' >&2
/usr/bin/python3 bench/tabular_summary.py "$LOG" bench/tabular.png
