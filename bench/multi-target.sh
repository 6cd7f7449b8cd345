#!/usr/bin/env bash
# Multi-output regression (linnerud) and multi-label classification (digits-tags, synthetic-tags): Mlp() against scikit-learn's
# MLPRegressor and MLPClassifier on the same splits, every metric computed by scikit-learn (bench/multi_target.py).
# Usage: bench/run.sh multitarget (or BENCH_ONLY=multitarget bench/run.sh, or this script). Log in
#        bench/last-multitarget-run.log; the table goes in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-multitarget-run.log
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, dotnet $(dotnet --version), scikit-learn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  OUT="$(mktemp -d)"
  /usr/bin/python3 bench/multi_target.py "$OUT"
  rm -rf "$OUT"
} 2>&1 | tee "$LOG"
