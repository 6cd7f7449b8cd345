"""Turns bench/simd-levels.sh's log into one markdown table per SIMD level: our kernels against OpenBLAS's at that
level, as fractions of that level's measured FMA peak, and W's epoch against PyTorch's at that level."""
import re
import sys

by_level = {}
level = None
header = []
for line in open(sys.argv[1]).read().splitlines():
    values = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', line))
    kind = line.split(" ", 1)[0]
    if kind == "LEVEL":
        level = values["name"]
        by_level.setdefault(level, {"env": values.get("env", ""), "lines": []})
    elif kind in ("DATE", "MACHINE", "COMMIT", "LOAD_AFTER"):
        header.append(line)
    elif level:
        by_level[level]["lines"].append((kind, values))

for line in header:
    print(line)
print()


def best(rows, key, largest=True):
    rows = [r for r in rows if key in r]
    return (max if largest else min)(rows, key=lambda r: float(r[key])) if rows else None


for level, found in by_level.items():
    rows = found["lines"]
    cpu = next((v for k, v in rows if k == "CPU"), {})
    kernels_level = cpu.get("kernels", "?")
    peaks = [v for k, v in rows if k == "PEAK" and v.get("level") == kernels_level]
    peak1 = best(peaks, "one_core_gflops")
    peak2 = best(peaks, "two_core_gflops")
    p1 = float(peak1["one_core_gflops"]) if peak1 else None
    p2 = float(peak2["two_core_gflops"]) if peak2 else None
    print(f"### {level}: our kernels at {kernels_level} ({found['env'] or 'no forcing'})")
    print()
    print(f"FMA peak at {kernels_level}: {p1 or '?'} GFLOP/s on one core, {p2 or '?'} on both (best of the rounds).")
    print()
    print("| product | threads | ours GFLOP/s | % of peak | OpenBLAS GFLOP/s | OpenBLAS kernels | ours / OpenBLAS |")
    print("|---|---|---|---|---|---|---|")
    kernels = [v for k, v in rows if k == "KERNEL"]
    blas_label = next((v["simd"] for v in kernels if v["simd"].startswith("openblas")), "openblas")
    names = list(dict.fromkeys(v["name"] for v in kernels))
    for name in names:
        for threads in ("1", "2"):
            ours = best([v for v in kernels if v["name"] == name and v["threads"] == threads and not v["simd"].startswith("openblas")], "gflops")
            peer = best([v for v in kernels if v["name"] == name and v["threads"] == threads and v["simd"].startswith("openblas")], "gflops")
            if not ours or not peer:
                continue
            peak = p1 if threads == "1" else p2
            share = f"{100 * float(ours['gflops']) / peak:.0f}%" if peak else "?"
            print(f"| {name} | {threads} | {ours['gflops']} | {share} | {peer['gflops']} | {blas_label} | "
                  f"{float(ours['gflops']) / float(peer['gflops']):.2f}x |")
    print()
    results = [v for k, v in rows if k == "RESULT"]
    ours = best([r for r in results if r.get("system") == "mlnetbackprop"], "s_per_epoch", largest=False)
    torch = best([r for r in results if r.get("system") == "pytorch"], "s_per_epoch", largest=False)
    if ours and torch:
        print(f"W, 2 threads, seconds per epoch (best round): ours {ours['s_per_epoch']} ({ours.get('simd', '?')}), "
              f"PyTorch {torch['s_per_epoch']}: ours {float(torch['s_per_epoch']) / float(ours['s_per_epoch']):.2f}x PyTorch's speed.")
        print()
