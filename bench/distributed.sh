#!/usr/bin/env bash
# Data-parallel training on one machine (the benchmark program's distributed command): workload W (Fashion-MNIST
# 784-128-10, Adam 1e-3, batch 200) for DIST_EPOCHS (3) epochs as 1 rank x 1 thread, 1 rank x 2 threads and 2 MPI ranks
# x 1 thread (mpiexec -launcher fork -n 2), in BENCH_ROUNDS (3) interleaved rounds, best round kept; each round also
# trains 1 rank with GradientShards 2, which must give the 2-rank model bit for bit (same parameter hash).
# Usage: bench/run.sh distributed   (or BENCH_ONLY=distributed bench/run.sh, or this script). Log in bench/last-distributed-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-distributed-run.log
ROUNDS="${BENCH_ROUNDS:-3}"
EPOCHS="${DIST_EPOCHS:-3}"
DATA=/usr/share/datasets/fashion-mnist
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
if [ ! -d "$DATA" ] || ! command -v mpiexec >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist mpich >/dev/null
fi
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll distributed "$DATA" "$EPOCHS")
# Hydra's fork launcher starts the ranks on this machine without ssh.
MPI=(mpiexec -launcher fork -n 2)
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), $(mpichversion 2>/dev/null | sed -n 's/^MPICH Version: *//p' | sed 's/^/MPICH /'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "ROUND $ROUND load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${BENCH[@]}" 1 none
    "${BENCH[@]}" 2 none
    "${MPI[@]}" "${BENCH[@]}" 1 mpi
    "${BENCH[@]}" 1 none 2
  done
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(ROUND|DIST)' >&2
/usr/bin/python3 bench/summarize.py "$LOG"
