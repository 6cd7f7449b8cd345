#!/usr/bin/env bash
# The kernels and workload W at every x86 SIMD level this CPU can run, each level against its peers at the same level:
# our products against OpenBLAS's kernels for that level (called in the same process, samples alternating), and W's
# epoch (784-128-10, Adam, batch 200, 2 threads) against PyTorch's, with the level's own measured FMA peak.
# On an AVX-512 CPU the AVX2 level is forced for all three: DOTNET_EnableAVX512=0 hides AVX-512 from .NET's JIT (our
# code then has only the 16 ymm registers an AVX2-only CPU has, not AVX-512's 32), OPENBLAS_CORETYPE=Haswell selects
# OpenBLAS's AVX2 kernels and ATEN_CPU_CAPABILITY=avx2 PyTorch's.
# Usage: bench/run.sh simd-levels [epochs]   (BENCH_ROUNDS=3 interleaved rounds, each cell's best kept;
#                                            log in bench/last-simd-levels-run.log)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
LOG=bench/last-simd-levels-run.log
PY=/usr/bin/python3
BENCH=(dotnet tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll)
DATA=/usr/share/datasets/fashion-mnist

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch libopenblas0-openmp dataset-fashion-mnist >/dev/null
dotnet build -c Release tests/MLNetBackprop.Benchmarks -v q -nologo >/dev/null

# Each level's environment, for us and the peers alike (the peers ignore DOTNET_*, .NET ignores the rest).
declare -A LEVEL_ENV
if grep -q avx512f /proc/cpuinfo; then
  LEVEL_ENV[avx512]="OPENBLAS_CORETYPE=SkylakeX ATEN_CPU_CAPABILITY=avx512"
  LEVEL_ENV[avx2]="DOTNET_EnableAVX512=0 OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2"
  LEVELS=(avx512 avx2)
else
  LEVEL_ENV[avx2]="OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2"
  LEVELS=(avx2)
fi
PEER_ENV=(env LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2)

{
  echo "DATE $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "MACHINE $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, dotnet $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  for ROUND in $(seq 1 "$ROUNDS"); do
    for LEVEL in "${LEVELS[@]}"; do
      # Every line after a LEVEL line belongs to that level (the summary reads them so).
      echo "LEVEL name=$LEVEL round=$ROUND env=\"${LEVEL_ENV[$LEVEL]}\" load=$(cut -d' ' -f1 /proc/loadavg)"
      # shellcheck disable=SC2086 # the level's variables are words on purpose
      env ${LEVEL_ENV[$LEVEL]} "${BENCH[@]}" machine
      for THREADS in 1 2; do
        env ${LEVEL_ENV[$LEVEL]} "${PEER_ENV[@]}" "${BENCH[@]}" versus-openblas $THREADS
      done
      env ${LEVEL_ENV[$LEVEL]} "${BENCH[@]}" train "$DATA" 128 "$EPOCHS" 2
      (cd bench && env ${LEVEL_ENV[$LEVEL]} "${PEER_ENV[@]}" $PY peer_torch.py "$EPOCHS" 2)
    done
  done
  echo "LOAD_AFTER $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$LOG" | grep -E '^(LEVEL|CPU|PEAK|KERNEL|RESULT)' >&2

$PY bench/simd_levels_summary.py "$LOG"
