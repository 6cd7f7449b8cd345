"""Runs bench/kernel-ab.sh's two builds of the benchmark program in turn and prints the medians per product."""
import re
import statistics
import subprocess
import sys

base_dll, new_dll, threads, rounds, level = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
builds = [("base", base_dll), ("new", new_dll)]
found = {}
for round_number in range(rounds):
    for tag, dll in builds if round_number % 2 == 0 else builds[::-1]:
        out = subprocess.run(["dotnet", dll, "versus-openblas", threads], capture_output=True, text=True, check=True).stdout
        for name, simd, gflops in re.findall(r'KERNEL name="([^"]*)" threads=\d+ simd=(\S+) us=\S+ gflops=(\S+)', out):
            key = tag + ("-openblas" if simd.startswith("openblas") else "")
            found.setdefault(name, {}).setdefault(key, []).append(float(gflops))
load = open("/proc/loadavg").read().split()[0]
print(f"KERNEL_AB level={level} threads={threads} rounds={rounds} load_after={load}")
print("| product | base GFLOP/s | base / OpenBLAS | new GFLOP/s | new / OpenBLAS | new / base |")
print("|---|---|---|---|---|---|")
median = statistics.median
for name, runs in found.items():
    base, new = runs["base"], runs["new"]
    base_ratio = median(b / o for b, o in zip(base, runs["base-openblas"]))
    new_ratio = median(n / o for n, o in zip(new, runs["new-openblas"]))
    print(f"| {name} | {median(base):.1f} | {base_ratio:.3f}x | {median(new):.1f} | {new_ratio:.3f}x | {median(new) / median(base):.3f}x |")
