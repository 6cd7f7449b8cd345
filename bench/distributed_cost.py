"""Cost model of a data-parallel step of workload W (784-128-10, 101,770 parameters) across ranks, for docs/distributed.md.

Per step each rank computes the gradient of batch/N rows, then one ring allreduce sums the gradient: each rank sends
and receives 2(N-1)/N of the buffer, in 2(N-1) messages. The buffer is P floats by default (GradientShards unset: the
ranks' gradients added in MPI's order), and GradientShards x P floats when GradientShards is set (each shard's
gradient in its own zero-padded slot, so that the sum is the same for every rank count; P floats for 2 shards on 2
ranks). A second, tiny allreduce (loss sums) costs log2(N) latencies.
Line rate and a fixed per-message latency are assumed: optimistic for TCP, about right for RDMA.

Usage: /usr/bin/python3 bench/distributed_cost.py [compute ms per step of one rank at batch 200]
"""
import math
import sys

PARAMETERS = 784 * 128 + 128 + 128 * 10 + 10
BATCH = 200
# One rank, one thread, batch 200: the best 1 x 1 step of bench/run.sh distributed (docs/benchmarks.md).
STEP_MS = float(sys.argv[1]) if len(sys.argv) > 1 else 0.82
NETWORKS = (("10 Gbit/s, 25 us", 10e9 / 8, 25e-6), ("100 Gbit/s, 5 us", 100e9 / 8, 5e-6))
RANKS = (2, 4, 8, 16, 32, 64)


def allreduce_s(ranks, floats, bandwidth, latency):
    ring = 2 * (ranks - 1) / ranks * 4 * floats / bandwidth + 2 * (ranks - 1) * latency
    return ring + math.ceil(math.log2(ranks)) * latency


def main():
    row_s = STEP_MS / 1000 / BATCH
    print(f"P = {PARAMETERS:,} parameters; one rank computes a step of {BATCH} rows in {STEP_MS} ms ({row_s * 1e6:.2f} us a row).")
    print("Allreduce ms: the default P-float buffer, and the padded one of GradientShards = ranks.")
    print("Balance batch: the global batch at which a rank's compute equals the allreduce.")
    print()
    print("| network | ranks | allreduce ms (default) | compute ms per rank at batch 200 | speedup at batch 200 | balance batch | padded floats (GradientShards = ranks) | allreduce ms, padded | speedup, padded |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, bandwidth, latency in NETWORKS:
        for ranks in RANKS:
            shards = ranks
            floats = PARAMETERS if (ranks == 2 and shards == 2) else shards * PARAMETERS
            padded = allreduce_s(ranks, floats, bandwidth, latency)
            plain = allreduce_s(ranks, PARAMETERS, bandwidth, latency)
            compute = row_s * BATCH / ranks
            speedup = row_s * BATCH / (compute + plain)
            padded_speedup = row_s * BATCH / (compute + padded)
            balance = plain * ranks / row_s
            print(f"| {name} | {ranks} | {plain * 1e3:.3f} | {compute * 1e3:.3f} | {speedup:.2f} | {balance:,.0f} | {floats:,} | {padded * 1e3:.3f} | {padded_speedup:.2f} |")


main()
