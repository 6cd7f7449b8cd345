#!/usr/bin/env bash
# Data-parallel training on one machine (the benchmark program's distributed command): workload W (Fashion-MNIST
# 784-128-10, Adam 1e-3, batch 200) for DIST_EPOCHS (3) epochs as 1 rank x 1 thread, 1 rank x 2 threads and 2 MPI ranks
# x 1 thread (mpiexec -launcher fork -n 2), in BENCH_ROUNDS (3) interleaved rounds, best round kept; each round also
# trains 1 rank with GradientShards 2, which must give the 2-rank model bit for bit (same parameter hash).
# Two ranks on two cores leave no core to spare: while another program keeps a core busy, a rank waiting in the
# allreduce (MPI polls) and a rank computing share cores, and a step can stretch by a scheduler time slice. So each
# run first waits (at most DIST_QUIET_S, 300 s) until the machine's cores are at most DIST_QUIET_PCT (15) % busy.
# Usage: bench/run.sh distributed   (or BENCH_ONLY=distributed bench/run.sh, or this script). Log in bench/last-distributed-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=bench/last-distributed-run.log
ROUNDS="${BENCH_ROUNDS:-5}"
EPOCHS="${DIST_EPOCHS:-3}"
QUIET_S="${DIST_QUIET_S:-300}"
QUIET_PCT="${DIST_QUIET_PCT:-15}"
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

source bench/quiet.sh
{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), MPICH $(mpichversion 2>/dev/null | sed -n 's/^MPICH Version:[[:space:]]*//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "ROUND $ROUND load $(cut -d' ' -f1-3 /proc/loadavg)"
    wait_quiet; "${BENCH[@]}" 1 none
    wait_quiet; "${BENCH[@]}" 2 none
    wait_quiet; "${MPI[@]}" "${BENCH[@]}" 1 mpi
    wait_quiet; "${BENCH[@]}" 1 none 2
  done
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(ROUND|DIST|QUIET)' >&2
/usr/bin/python3 bench/summarize.py "$LOG"
