#!/usr/bin/env bash
# Rows in memory against rows streamed from a binary .idv (the benchmark program's streaming command): Fashion-MNIST's
# training set saved as .idv 1, 4 and 16 times over (in STREAM_DIR, default /tmp/mlnetbackprop-streaming, reused when
# there), the multiclass MLP with default options but seed 1 and STREAM_EPOCHS (3) epochs, each fit in its own process
# so its peak memory is its own. In memory on 1x against streaming on 4x under a 512 MB GC heap limit (interleaved
# rounds, best kept); Auto and InMemory on 4x under the same limit; cursor passes alone (decoding); then seconds per
# epoch and memory at 1x, 4x and 16x, each loading where it fits.
# Usage: bench/run.sh streaming   (or BENCH_ONLY=streaming bench/run.sh, or this script). Log in bench/last-streaming-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-streaming-run.log
ROUNDS="${BENCH_ROUNDS:-2}"
EPOCHS="${STREAM_EPOCHS:-3}"
DIR="${STREAM_DIR:-/tmp/mlnetbackprop-streaming}"
LIMIT=0x20000000   # 512 MB
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
[ -d /usr/share/datasets/fashion-mnist ] || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll)
LIMITED=(env DOTNET_GCHeapHardLimit=$LIMIT "${BENCH[@]}")
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  for N in 1 4 16; do
    [ -f "$DIR/fashion-${N}x.idv" ] || "${BENCH[@]}" streaming save /usr/share/datasets/fashion-mnist "$DIR" $N
  done
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "ROUND $ROUND load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${BENCH[@]}" streaming train "$DIR/fashion-1x.idv" InMemory "$EPOCHS"
    "${LIMITED[@]}" streaming train "$DIR/fashion-4x.idv" Streaming "$EPOCHS"
  done
  # A fit that fails is a result too (InMemory under the limit should, saying which option to change).
  "${LIMITED[@]}" streaming train "$DIR/fashion-4x.idv" Auto "$EPOCHS" || echo "STREAM_EXIT file=fashion-4x.idv loading=Auto code=$?"
  "${LIMITED[@]}" streaming train "$DIR/fashion-4x.idv" InMemory "$EPOCHS" || echo "STREAM_EXIT file=fashion-4x.idv loading=InMemory code=$?"
  "${LIMITED[@]}" streaming read "$DIR/fashion-4x.idv" 2
  # Scaling: the loadings not run above, at each size.
  "${LIMITED[@]}" streaming train "$DIR/fashion-1x.idv" Streaming "$EPOCHS"
  "${BENCH[@]}" streaming train "$DIR/fashion-4x.idv" InMemory "$EPOCHS"
  "${LIMITED[@]}" streaming train "$DIR/fashion-16x.idv" Streaming "$EPOCHS"
  "${BENCH[@]}" streaming train "$DIR/fashion-16x.idv" InMemory "$EPOCHS" || echo "STREAM_EXIT file=fashion-16x.idv loading=InMemory code=$?"
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(ROUND|STREAM)' >&2
/usr/bin/python3 bench/summarize.py "$LOG"
