#!/usr/bin/env bash
# Kernel A/B between two commits: builds the benchmark program of a base commit (in a temporary worktree) and of the
# working tree, then runs `versus-openblas` from each build in turn, alternating the order every round, and prints
# the median per product of ours against OpenBLAS for each build and of new against base. Both builds meet OpenBLAS
# in the same process, so the ratio to OpenBLAS is the steadier figure on a shared host; new/base compares processes.
# Nothing in the library changes for an A/B: commit (or stash) the variant, and compare it with its parent.
# Usage: bench/kernel-ab.sh <base commit> [threads=1] [rounds=4] [level: avx2 (forced, default) | avx512]
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:?base commit}"
THREADS="${2:-1}"
ROUNDS="${3:-4}"
LEVEL="${4:-avx2}"
case "$LEVEL" in
  avx2) LEVEL_ENV=(DOTNET_EnableAVX512=0 OPENBLAS_CORETYPE=Haswell) ;;
  avx512) LEVEL_ENV=(OPENBLAS_CORETYPE=SkylakeX) ;;
  *) echo "level must be avx2 or avx512, not '$LEVEL'" >&2; exit 2 ;;
esac
PROGRAM=tests/MLNetBackprop.Benchmarks
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/base" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git worktree add -q --detach "$WORK/base" "$BASE"
dotnet build -c Release "$WORK/base/$PROGRAM" -v q -nologo >/dev/null
dotnet build -c Release "$PROGRAM" -v q -nologo >/dev/null
DLL=bin/Release/net10.0/MLNetBackprop.Benchmarks.dll
env "${LEVEL_ENV[@]}" LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 \
  /usr/bin/python3 bench/kernel_ab.py "$WORK/base/$PROGRAM/$DLL" "$PROGRAM/$DLL" "$THREADS" "$ROUNDS" "$LEVEL"
