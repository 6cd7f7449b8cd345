#!/usr/bin/env bash
# Benchmark of workload W (Fashion-MNIST 784-128-10, Adam 1e-3, batch 200, 10 epochs, 2 threads) against
# PyTorch and scikit-learn, plus kernel GFLOP/s against OpenBLAS (libopenblas0-openmp, called in-process), scoring
# latency and the wide network's profile.
# Installs what it compares against, runs everything in one go and prints one table.
# Usage: bench/run.sh [epochs]   (BENCH_ROUNDS=3: interleaved rounds of the training comparison, best round kept)
#        bench/run.sh text        (or BENCH_ONLY=text: only the text classification benchmark on
#                                  data/debian-packages.tsv, none of the above; log in bench/last-text-run.log)
set -euo pipefail
# bench/run.sh sparse-density [args] (or BENCH_ONLY=sparse-density): only dense against sparse rows, bench/sparse-density.sh.
if [ "${1:-}" = sparse-density ]; then shift; exec "$(dirname "$0")/sparse-density.sh" "$@"; fi
if [ "${BENCH_ONLY:-}" = sparse-density ]; then exec "$(dirname "$0")/sparse-density.sh" "$@"; fi
# bench/run.sh streaming (or BENCH_ONLY=streaming): only rows in memory against rows streamed from .idv, bench/streaming.sh.
if [ "${1:-}" = streaming ]; then shift; exec "$(dirname "$0")/streaming.sh" "$@"; fi
if [ "${BENCH_ONLY:-}" = streaming ]; then exec "$(dirname "$0")/streaming.sh" "$@"; fi
# bench/run.sh distributed (or BENCH_ONLY=distributed): only 1 rank against 2 MPI ranks on workload W, bench/distributed.sh.
if [ "${1:-}" = distributed ]; then shift; exec "$(dirname "$0")/distributed.sh" "$@"; fi
if [ "${BENCH_ONLY:-}" = distributed ]; then exec "$(dirname "$0")/distributed.sh" "$@"; fi
# bench/run.sh tabular [data set] (or BENCH_ONLY=tabular): only the tabular suite against LightGBM, FastTree and SDCA, bench/tabular.sh.
if [ "${1:-}" = tabular ]; then shift; exec "$(dirname "$0")/tabular.sh" "$@"; fi
if [ "${BENCH_ONLY:-}" = tabular ]; then exec "$(dirname "$0")/tabular.sh" "$@"; fi
# bench/run.sh simd-levels [epochs] (or BENCH_ONLY=simd-levels): only kernels and W per x86 SIMD level, bench/simd-levels.sh.
if [ "${1:-}" = simd-levels ]; then shift; exec "$(dirname "$0")/simd-levels.sh" "$@"; fi
if [ "${BENCH_ONLY:-}" = simd-levels ]; then exec "$(dirname "$0")/simd-levels.sh" "$@"; fi
# bench/run.sh multitarget (or BENCH_ONLY=multitarget): only multi-output regression and multi-label against scikit-learn, bench/multi-target.sh.
if [ "${1:-}" = multitarget ] || [ "${BENCH_ONLY:-}" = multitarget ]; then exec "$(dirname "$0")/multi-target.sh"; fi
cd "$(dirname "$0")/.."
PART="${BENCH_ONLY:-fashion}"
if [ "${1:-}" = text ]; then PART=text; shift; fi
case "$PART" in fashion|text) ;; *) echo "BENCH_ONLY must be fashion or text, not '$PART'" >&2; exit 2 ;; esac
EPOCHS="${1:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
LOG=bench/last-run.log
PY=/usr/bin/python3   # Debian's python, which sees the apt packages (not a pyenv/venv python3 on PATH)
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll)

if [ "$PART" = text ]; then
  # Needs nothing from apt: ML.NET's trainers come with the benchmark program. Each system runs in its own process,
  # so each peak memory figure is that system's alone; featurize is the featurization without a trainer.
  LOG=bench/last-text-run.log
  dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null
  {
    echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    for SYSTEM in featurize mlp sdca lightgbm dense-epoch; do
      # A system that fails is a result too: the table shows it and the rest still run. The program prints its own
      # TEXT line for a failed fit; a process killed outright (out of memory: 137) leaves only this one.
      "${BENCH[@]}" text data/debian-packages.tsv "$SYSTEM" || echo "TEXT_EXIT system=$SYSTEM code=$?"
    done
    echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
  } 2>&1 | tee "$LOG" | grep -E '^TEXT' >&2
  $PY bench/summarize.py "$LOG"
  exit 0
fi

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch python3-sklearn libopenblas0-openmp dataset-fashion-mnist >/dev/null

DATA=/usr/share/datasets/fashion-mnist
# Stock python3-torch with the pthread OpenBLAS oversubscribes the cores; the OpenMP build does not.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set by the environment: they are removed for the peers only.
PEER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
          OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2)
# OpenBLAS 0.3.21 does not recognise some newer CPUs and falls back to its generic SSE3 ("Prescott") kernels;
# then the peers also run once with the core type forced, so the comparison is not against a crippled BLAS.
CORE=$("${PEER_ENV[@]}" OPENBLAS_VERBOSE=2 $PY -c "import numpy" 2>&1 | sed -n 's/^Core: *//p' | head -1)
if grep -q avx512f /proc/cpuinfo; then FORCED=SkylakeX; else FORCED=Haswell; fi

dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null

{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "PEERS env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 (OpenBLAS detected core: ${CORE:-?})"
  # Every system once per round, rounds interleaved: the table keeps each system's best round, so a busy spell on
  # the shared host penalises no system more than the others.
  for ROUND in $(seq 1 "$ROUNDS"); do
    echo "ROUND $ROUND load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${BENCH[@]}" train "$DATA" 128 "$EPOCHS" 2
    "${BENCH[@]}" train "$DATA" 128 "$EPOCHS" 1
    (cd bench && "${PEER_ENV[@]}" $PY peer_torch.py "$EPOCHS" 2)
    (cd bench && "${PEER_ENV[@]}" $PY peer_sklearn.py "$EPOCHS")
    if [ "$CORE" = Prescott ]; then
      (cd bench && "${PEER_ENV[@]}" OPENBLAS_CORETYPE=$FORCED $PY peer_torch.py "$EPOCHS" 2 | sed "s/system=pytorch/system=pytorch-coretype-$FORCED/")
      (cd bench && "${PEER_ENV[@]}" OPENBLAS_CORETYPE=$FORCED $PY peer_sklearn.py "$EPOCHS" | sed "s/system=scikit-learn/system=scikit-learn-coretype-$FORCED/")
    fi
  done
  # Scaling: one run whose epochs alternate between 2 threads and 1 (the model is the same either way), 20 of each
  # after the first two; the ratio of the medians and the median ratio of neighbouring epochs.
  "${BENCH[@]}" train "$DATA" 128 $((4 * EPOCHS + 2)) 0
  # The products, ours and OpenBLAS's (called in the same process, samples alternating), in interleaved rounds as
  # well (the table keeps each cell's best round), each round after the machine's FMA peak and memory bandwidth.
  for ROUND in $(seq 1 "$ROUNDS"); do
    "${BENCH[@]}" machine
    for THREADS in 1 2; do
      "${PEER_ENV[@]}" "${BENCH[@]}" versus-openblas $THREADS
      if [ "$CORE" = Prescott ]; then
        "${PEER_ENV[@]}" OPENBLAS_CORETYPE=$FORCED "${BENCH[@]}" versus-openblas $THREADS
      fi
    done
  done
  "${BENCH[@]}" profile "$DATA" 128 2
  "${BENCH[@]}" profile "$DATA" 128 1
  "${BENCH[@]}" profile "$DATA" 2048,2048 2
  "${BENCH[@]}" score "$DATA"
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(ROUND|RESULT|SCALING|SCORING|BLAS|KERNEL|PEAK|BANDWIDTH|PROFILE|ADAM)' >&2

$PY bench/summarize.py "$LOG"
