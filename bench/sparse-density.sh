#!/usr/bin/env bash
# Dense against sparse rows on deterministic synthetic classification data (the benchmark program's sparse-density
# command): seconds per epoch of the same rows held dense and held sparse (lazy and exact updates) over a sweep of
# densities, widths 1,000 and 10,000, 1 and 2 threads, with each storage's memory; then lazy against exact updates
# on wide text-like sets (100,000 features 0.3 % dense; 1,000,000 features 0.03 % dense, as hashed n-grams), speed
# and held-out accuracy epoch by epoch.
# Usage: bench/run.sh sparse-density [sweep ...|lazy ...]   (or BENCH_ONLY=sparse-density bench/run.sh, or this
#        script directly); with arguments, only that mode of the command with them. Log in bench/last-density-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-density-run.log
ROUNDS="${BENCH_ROUNDS:-3}"
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll)
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(grep -q avx512f /proc/cpuinfo && echo avx512f || echo 'no avx512f'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  if [ $# -gt 0 ]; then
    "${BENCH[@]}" sparse-density "$@"
  else
    # Rounds of the three storages, each a fresh run of 1 + 3 epochs (the first left out); the best epoch is kept.
    "${BENCH[@]}" sparse-density sweep 1000,10000 0.002,0.01,0.03,0.05,0.1,0.15,0.2,0.25,0.3,0.5 1,2 zipf 8000 "$ROUNDS" 3
    "${BENCH[@]}" sparse-density lazy 100000 0.003 10 1,2 zipf,uniform 8000 2
    "${BENCH[@]}" sparse-density lazy 1000000 0.0003 6 1 zipf 8000 2
  fi
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(DENSITY|LAZYVSDENSE)' >&2
/usr/bin/python3 bench/summarize.py "$LOG"
