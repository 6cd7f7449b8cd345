#!/usr/bin/env bash
# Runs every notebook in this folder headless (dotnet-repl, from the repository's local tool manifest) against one
# MLNetBackprop package from a local NuGet feed, prints each failed cell's error, one line per notebook and, last,
# "N passed, N failed" (notebooks counted as tests). Exits non-zero when any notebook fails.
#
# Usage: notebooks/run-all.sh [--version VERSION] [--feed DIR] [--update-outputs] [NOTEBOOK.ipynb ...]
#   --version VERSION  the MLNetBackprop package version to test (default: $MLNETBACKPROP_VERSION). Without one,
#                      the script packs src/MLNetBackprop itself into artifacts/notebook-feed under a fresh version.
#   --feed DIR         the local feed that holds that version (default: $MLNETBACKPROP_FEED, else artifacts/feed)
#   --update-outputs   copy the executed notebooks back over the committed ones (refreshes their outputs; the
#                      feed and version lines keep their placeholders). Only done when every notebook passed.
#   NOTEBOOK.ipynb     run only these (default: every notebooks/[0-9]*.ipynb)
# Each run needs a version never restored before on this machine: NuGet caches a package by version, and a reused
# version silently loads the cached copy. The executed notebooks are kept in artifacts/notebook-runs/.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version=${MLNETBACKPROP_VERSION:-}
feed=${MLNETBACKPROP_FEED:-}
update=0
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --feed) feed=${2:?--feed needs a value}; shift 2 ;;
    --update-outputs) update=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-all.sh: unknown option $1"; exit 2 ;;
    *) notebooks+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
if [ ${#notebooks[@]} -eq 0 ]; then
  notebooks=("$here"/[0-9]*.ipynb)
fi

fail_setup() {   # a failure before any notebook ran: count every notebook as failed, never report green
  echo "run-all.sh: $1"
  echo "0 passed, ${#notebooks[@]} failed"
  exit 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# 1. Charts need a TrueType font (without one ScottPlot draws no text, silently); the runner needs python3.
need=()
command -v python3 >/dev/null || need+=(python3)
if command -v dpkg-query >/dev/null; then
  dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" || need+=(fonts-dejavu-core)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } \
    >/dev/null || fail_setup "could not install ${need[*]} (apt-get)"
fi

# 2. dotnet-repl, pinned in .config/dotnet-tools.json.
(cd "$root" && dotnet tool restore >/dev/null) || fail_setup "dotnet tool restore failed"

# 3. The package under test.
if [ -z "$version" ]; then
  version="0.1.0-nb.$(date +%Y%m%d%H%M%S).$$"
  feed="$root/artifacts/notebook-feed"
  echo "Packing MLNetBackprop $version into $feed"
  dotnet pack "$root/src/MLNetBackprop" -c Release -o "$feed" -p:VersionSuffix="${version#0.1.0-}" >/dev/null \
    || fail_setup "dotnet pack failed (run it by hand to see why)"
fi
feed=$(cd "${feed:-$root/artifacts/feed}" 2>/dev/null && pwd) || fail_setup "feed folder ${feed:-artifacts/feed} not found"
ls "$feed"/MLNetBackprop."$version".nupkg >/dev/null 2>&1 || fail_setup "$feed has no MLNetBackprop.$version.nupkg"
echo "Notebooks against MLNetBackprop $version from $feed"

# 4. Run each notebook from this folder (they read ../data and #load NotebookPlots.csx relative to it).
runs="$root/artifacts/notebook-runs"
rm -rf "$runs" && mkdir -p "$runs/input"
passed=0 failed=0 failed_names=()
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .ipynb)
  start=$SECONDS
  status=passed
  if ! python3 "$here/notebook_tool.py" prepare "$notebook" "$runs/input/$name.ipynb" "$feed" "$version"; then
    status=failed
  else
    (cd "$here" && timeout 600 dotnet repl --run "$runs/input/$name.ipynb" --exit-after-run \
      --output-path "$runs/$name.ipynb" >"$runs/$name.log" 2>&1)
    code=$?
    if [ ! -f "$runs/$name.ipynb" ]; then
      echo "  no output notebook (dotnet repl exit code $code); its output:"
      tail -n 40 "$runs/$name.log" | sed 's/^/    /'
      status=failed
    else
      python3 "$here/notebook_tool.py" check "$runs/$name.ipynb" || status=failed
      if [ "$code" -ne 0 ] && [ "$status" = passed ]; then
        echo "  dotnet repl exit code $code; its output:"
        tail -n 40 "$runs/$name.log" | sed 's/^/    /'
        status=failed
      fi
    fi
  fi
  echo "$status: $name ($((SECONDS - start)) s)"
  if [ "$status" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names+=("$name"); fi
done

# 5. Optionally refresh the committed outputs.
if [ "$update" -eq 1 ]; then
  if [ "$failed" -eq 0 ]; then
    for notebook in "${notebooks[@]}"; do
      name=$(basename "$notebook" .ipynb)
      python3 "$here/notebook_tool.py" refresh "$notebook" "$runs/$name.ipynb" "$feed" "$version" \
        && echo "updated outputs: $name" || { echo "could not update $name"; failed=$((failed + 1)); }
    done
  else
    echo "not updating outputs: ${failed_names[*]} failed"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
