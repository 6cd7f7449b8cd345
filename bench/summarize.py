"""Turns bench/run.sh's log (or bench/run.sh text's) into the markdown tables the README and docs/benchmarks.md show."""
import re
import sys

lines = open(sys.argv[1]).read().splitlines()


def fields(line):
    return dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))


def pick(prefix, **match):
    found = [fields(l) for l in lines if l.startswith(prefix)]
    return [f for f in found if all(f.get(k) == v for k, v in match.items())]


def density_tables():
    """bench/run.sh sparse-density: dense against sparse rows by density, then lazy against exact updates."""
    import math

    for l in lines:
        if l.startswith(("DATE", "MACHINE", "COMMIT", "LOAD_AFTER")):
            print(l)
    mb = lambda b: f"{int(b) / 1048576:.1f}"
    for key in dict.fromkeys((d["width"], d["threads"], d["placement"]) for d in pick("DENSITY")):
        width, threads, placement = key
        found = sorted(pick("DENSITY", width=width, threads=threads, placement=placement), key=lambda d: float(d["density"]))
        # One thread: the training thread's CPU time is all the work and holds on a busy machine; two: the wall clock.
        cpu = threads == "1" and "dense_cpu_s" in found[0]
        suffix = "_cpu" if cpu else ""
        print()
        print(f"Width {width}, {threads} thread(s), {placement} placement, {found[0]['rows']} rows, hidden {found[0]['hidden']}, "
              f"batch {found[0]['batch']}: best of {found[0]['epochs_timed']} epochs per storage (first epochs left out), "
              f"{'CPU seconds of the training thread (wall-clock seconds after them)' if cpu else 'wall-clock seconds'}; "
              "speed-up = dense s / sparse s (above 1: sparse faster).")
        print()
        print("| density | non-zeros/row | features/batch | dense s | sparse lazy s | sparse exact s | speed-up lazy "
              "| speed-up exact | dense MB | sparse MB |" + (" wall: dense s | lazy s | exact s |" if cpu else ""))
        print("|---|---|---|---|---|---|---|---|---|---|" + ("---|---|---|" if cpu else ""))
        for d in found:
            print(f"| {d['density']} | {d['nnz_per_row']} | {d['distinct_per_batch']} | {d['dense' + suffix + '_s']} "
                  f"| {d['sparse_lazy' + suffix + '_s']} | {d['sparse_dense' + suffix + '_s']} | {d['speedup_lazy' + suffix]}x "
                  f"| {d['speedup_dense_update' + suffix]}x | {mb(d['dense_bytes'])} | {mb(d['sparse_bytes'])} |"
                  + (f" {d['dense_s']} | {d['sparse_lazy_s']} | {d['sparse_dense_s']} |" if cpu else ""))
        # The density where the faster sparse update stops beating dense rows, interpolated on log density.
        speed = [(float(d["density"]), max(float(d["speedup_lazy" + suffix]), float(d["speedup_dense_update" + suffix])))
                 for d in found]
        cross = next(((a, b) for a, b in zip(speed, speed[1:]) if a[1] >= 1 > b[1]), None)
        if cross:
            (d0, s0), (d1, s1) = cross
            t = (s0 - 1) / (s0 - s1)
            print()
            print(f"Crossover: about density {math.exp(math.log(d0) + t * (math.log(d1) - math.log(d0))):.3f} "
                  f"(sparse {s0}x at {d0}, {s1}x at {d1}).")
    # With 2 threads the training thread's CPU time is only its share of the work.
    cpu = lambda f, key: f.get(key, "-") if f["threads"] == "1" else "-"
    for width in dict.fromkeys(f["width"] for f in pick("LAZYVSDENSE")):
        found = pick("LAZYVSDENSE", width=width)
        f = found[0]
        print()
        print(f"Lazy against exact updates: {f['width']} features at density {f['density']} ({f['nnz_per_row']} non-zeros a row), "
              f"{f['rows_train']} rows trained on, {f['rows_test']} held out, hidden {f['hidden']}, batch {f['batch']}, "
              f"{f['epochs']} epochs, {f['rounds']} rounds; s/epoch is the median over the rounds, first epochs left out, "
              "best the fastest epoch; CPU s is the training thread's, the whole work with 1 thread, from the rounds after "
              "the first.")
        print()
        print("| placement | features/batch | threads | update | s/epoch | best s/epoch | CPU s/epoch | best CPU s/epoch "
              "| held-out accuracy | best epoch's | final loss |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for f in found:
            print(f"| {f['placement']} | {f['distinct_per_batch']} | {f['threads']} | {f['update']} | {f['s_per_epoch']} "
                  f"| {f['best_epoch_s']} | {cpu(f, 'cpu_s_per_epoch')} | {cpu(f, 'best_epoch_cpu_s')} | {f['test_accuracy']} "
                  f"| {f['best_test_accuracy']} | {f['final_loss']} |")
        print()
        for f in {(f["placement"], f["update"]): f for f in found}.values():
            print(f"Held-out accuracy by epoch, {f['placement']}, {f['update']}: {f['accuracy_by_epoch']}")

if pick("DENSITY") or pick("LAZYVSDENSE"):
    density_tables()
    sys.exit(0)


def streaming_tables():
    """bench/run.sh streaming: in memory on 1x against streaming on 4x under a 512 MB heap limit, then scaling."""
    for l in lines:
        if l.startswith(("DATE", "MACHINE", "COMMIT", "LOAD_AFTER")):
            print(l)
    runs = pick("STREAM ")
    done = [r for r in runs if "failed" not in r]
    best = lambda found: max(found, key=lambda r: float(r["median_rows_per_s"])) if found else None
    memory = best([r for r in done if r["file"] == "fashion-1x.idv" and r["loading"] == "InMemory" and r["heap_limit"] == "none"])
    stream = best([r for r in done if r["file"] == "fashion-4x.idv" and r["loading"] == "Streaming"])
    print()
    print("| run | data | heap limit | rows/s per epoch | median rows/s | before epochs s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for name, r in (("InMemory", memory), ("Streaming", stream)):
        if r:
            print(f"| {name} | {r['file']} | {r['heap_limit']} | {r['rows_per_s'].replace(',', ', ')} | {r['median_rows_per_s']} "
                  f"| {r['before_epochs_s']} | {r['peak_mb']} |")
    if memory and stream:
        ratio = float(stream["median_rows_per_s"]) / float(memory["median_rows_per_s"])
        print()
        print(f"Streaming / in-memory throughput: {ratio:.2f} (target >= 0.60); streaming peak RSS {stream['peak_mb']} MB "
              f"(target <= 512). Best of {len(pick('ROUND'))} interleaved rounds by median rows/s.")
    for r in runs:
        if r["loading"] == "Auto" and "failed" not in r:
            print()
            print(f"Auto on {r['file']} under {r['heap_limit']}: " + " / ".join(dict.fromkeys(l.split("] ", 1)[-1] for l in lines
                  if l.startswith("STREAM_LOG") and "DataLoading Auto" in l)))
    for r in runs:
        if "failed" in r:
            message = next((l[len("STREAM_MESSAGE "):] for l in lines if l.startswith("STREAM_MESSAGE")), "?")
            print()
            print(f"{r['loading']} on {r['file']} under heap limit {r['heap_limit']}: failed cleanly ({r['failed']}) after "
                  f"{r['fit_s']} s, peak RSS {r['peak_mb']} MB: {message}")
    for e in pick("STREAM_EXIT"):
        print(f"{e['loading']} on {e['file']}: exit code {e['code']}")
    reads = pick("STREAM_READ")
    if reads:
        print()
        for shuffled in ("False", "True"):
            found = [r for r in reads if r["shuffled"] == shuffled]
            if found:
                r = max(found, key=lambda r: float(r["rows_per_s"]))
                print(f"Cursor pass alone over {r['file']} ({'random' if shuffled == 'True' else 'sequential'} order, "
                      f"features and label): {r['rows_per_s']} rows/s, {r['read_s']} s.")
    print()
    print("| data | rows | loading | heap limit | median s/epoch | before epochs s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    order = lambda r: (int(r["file"].split("-")[1].rstrip("x.idv")), r["loading"])
    seen = set()
    for r in sorted(done, key=order):
        key = (r["file"], r["loading"], r["heap_limit"])
        if key in seen:
            continue
        seen.add(key)
        same = best([s for s in done if (s["file"], s["loading"], s["heap_limit"]) == key])
        rows = f"{60000 * int(r['file'].split('-')[1].rstrip('x.idv')):,}"
        print(f"| {r['file']} | {rows} | {r['loading']} | {r['heap_limit']} | {same['median_epoch_s']} | {same['before_epochs_s']} | {same['peak_mb']} |")


if pick("STREAM"):
    streaming_tables()
    sys.exit(0)


def distributed_tables():
    """bench/run.sh distributed: 1 rank x 1 and 2 threads against 2 MPI ranks x 1 thread, and the model check."""
    for l in lines:
        if l.startswith(("DATE", "MACHINE", "COMMIT", "LOAD_AFTER")):
            print(l)
    runs = pick("DIST ")
    key = lambda r: (r["ranks"], r["threads"], r["shards"])
    configs = list(dict.fromkeys(key(r) for r in runs))
    best = {c: min((r for r in runs if key(r) == c), key=lambda r: float(r["s_per_epoch"])) for c in configs}
    base = best.get(("1", "1", "1"))
    # Each round's own ratio against that round's 1 x 1 run: a busy spell that spans a round cancels out of it.
    rounds = [[] for _ in pick("ROUND")]
    index = -1
    for l in lines:
        if l.startswith("ROUND"):
            index += 1
        elif l.startswith("DIST ") and index >= 0:
            rounds[index].append(fields(l))
    print()
    print("| ranks x threads | gradient shards | s/epoch, best | s/epoch, every round | vs 1 x 1, best | vs 1 x 1, per round | step ms | allreduce ms/step | compute ms/step | allreduce alone ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in configs:
        b = best[c]
        every = ", ".join(r["s_per_epoch"] for r in runs if key(r) == c)
        paired = []
        for found in rounds:
            one = [r for r in found if key(r) == ("1", "1", "1")]
            this = [r for r in found if key(r) == c]
            if one and this:
                paired.append(f"{float(one[0]['s_per_epoch']) / float(this[0]['s_per_epoch']):.2f}")
        ratio = f"{float(base['s_per_epoch']) / float(b['s_per_epoch']):.2f}" if base else "?"
        print(f"| {c[0]} x {c[1]} | {c[2]} | {b['s_per_epoch']} | {every} | {ratio} | {', '.join(paired)} | {b['step_ms']} "
              f"| {b['allreduce_ms_per_step']} | {b['compute_ms_per_step']} | {b['allreduce_alone_ms']} |")
    two = best.get(("2", "1", "2"))
    if base and two:
        ratio = float(base["s_per_epoch"]) / float(two["s_per_epoch"])
        print()
        print(f"2 ranks x 1 thread against 1 rank x 1 thread: {ratio:.2f}x (target >= 1.6x), best of {len(rounds)} interleaved rounds "
              f"of {two['epochs']} epochs, seconds per epoch the median of the epochs after the first.")
    quiet = pick("QUIET")
    if quiet:
        print(f"Before each run the machine was at most {max(int(q['busy_pct']) for q in quiet)} % busy (over 1 s); waited "
              f"{sum(int(q['waited_s']) for q in quiet)} s in all for it, {sum(q['waited_s'] != '0' for q in quiet)} of {len(quiet)} runs waited.")
    hashes = {r["params_sha256"] for r in runs if r["shards"] == "2"}
    losses = {r["loss"] for r in runs if r["shards"] == "2"}
    if hashes:
        verdict = "same" if len(hashes) == 1 else "differs"
        print(f"Model of 2 ranks against 1 rank with GradientShards 2: {verdict} (parameter SHA-256 prefix "
              f"{', '.join(sorted(hashes))}; final training loss {', '.join(sorted(losses))}).")


if pick("DIST "):
    distributed_tables()
    sys.exit(0)


for l in lines:
    if l.startswith(("DATE", "MACHINE", "COMMIT", "PEERS", "LOAD_AFTER")):
        print(l)
print()


def text_tables():
    """The text classification benchmark: one row per system, then the data's sizes and the epoch comparison."""
    systems = {t["system"]: t for t in pick("TEXT ")}
    for e in pick("TEXT_EXIT"):
        systems.setdefault(e["system"], {"failed": f"exit code {e['code']}"})
    featurize = systems.pop("featurize", None)
    epoch = systems.pop("dense-epoch", None)
    print("| system | fit s | of which trainer s | peak RSS MB | fit's growth MB | macro accuracy | micro accuracy "
          "| model MB | single-row median µs | single-row p99 µs |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    featurize_s = float(featurize["fit_s"]) if featurize and "fit_s" in featurize else None
    for name, t in systems.items():
        fit = t.get("fit_s", "?") + (f" ({t['epochs']} epochs)" if "epochs" in t else "")
        if "failed" in t:
            fit = f"failed ({t['failed']})" + (f" after {t['fit_s']}" if "fit_s" in t else "")
        trainer = f"{float(t['fit_s']) - featurize_s:.2f}" if featurize_s is not None and "fit_s" in t else "?"
        growth = f"{float(t['peak_mb']) - float(t['rss_before_mb']):.0f}" if "peak_mb" in t else "?"
        cells = [fit, trainer, t.get("peak_mb", "?"), growth] + [t.get(k, "-") for k in
                 ("macro_acc", "micro_acc", "model_mb", "latency_us", "latency_p99_us")]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("\"of which trainer\" is the fit less the featurization's own fit (featurize); the trainer's reading of the "
          "featurized rows (one pass, below) is in it. The fit's growth is the peak RSS less the RSS before the fit.")
    shape = next((t for t in [featurize] + list(systems.values()) if t and "nnz" in t), None)
    if shape:
        print()
        print(f"Training data: {shape['rows']} rows, {shape['features']} features, {shape['nnz']} non-zeros: "
              f"{shape['csr_mb']} MB as CSR (8 bytes a non-zero, 4 a row), {shape['dense_mb']} MB as dense float32.")
    if featurize and "pass_s" in featurize:
        print()
        print(f"Featurization alone (its own process): fit {featurize['fit_s']} s, one pass over the training rows "
              f"{featurize['pass_s']} s, peak RSS {featurize['peak_mb']} MB.")
    if epoch and "dense_s" not in epoch:
        print()
        print(f"Dense against sparse epoch: failed ({epoch.get('failed', '?')}).")
    elif epoch:
        print()
        print(f"One epoch of a {epoch['features']}-{epoch['hidden']}-19 MLP in the engine on {epoch['rows']} of the {epoch['of_rows']} training rows "
              f"(limited by: {epoch['limited_by']}): densified {epoch['dense_s']} s, "
              f"sparse {epoch['sparse_s']} s with the lazy update (the default), {epoch['sparse_exact_s']} s with the "
              f"exact one (best of {epoch['sparse_best_of']}): sparse {epoch['speedup']}x faster "
              f"({epoch['speedup_exact']}x exact). Epoch loss {epoch['dense_loss']} densified, {epoch['sparse_loss']} "
              f"lazy, {epoch['sparse_exact_loss']} exact.")


if pick("TEXT"):
    text_tables()
    sys.exit(0)


def best(found):
    """The round with the lowest s/epoch (every system ran once per interleaved round)."""
    return min(found, key=lambda r: float(r["s_per_epoch"]))


rounds = len(pick("ROUND")) or 1
ours = best(pick("RESULT", system="mlnetbackprop", threads="2"))
ours1 = best(pick("RESULT", system="mlnetbackprop", threads="1"))
peers = list(dict.fromkeys(r["system"] for r in pick("RESULT") if r["system"] != "mlnetbackprop"))
print(f"Best of {rounds} interleaved round(s) per system:")
print()
print("| system | s/epoch | samples/s | test accuracy | MLNetBackprop speed-up vs it |")
print("|---|---|---|---|---|")
print(f"| MLNetBackprop (2 threads, {ours['simd']}) | {ours['s_per_epoch']} | {ours['samples_per_s']} | {ours['test_accuracy']} | 1.00x |")
rows = [("MLNetBackprop (1 thread)", ours1)] + [(p, best(pick("RESULT", system=p))) for p in peers]
for name, r in rows:
    ratio = float(r["s_per_epoch"]) / float(ours["s_per_epoch"])
    print(f"| {name} | {r['s_per_epoch']} | {r['samples_per_s']} | {r['test_accuracy']} | {ratio:.2f}x |")
for s in pick("SCALING"):
    print()
    print(f"Scaling, epochs alternating between 2 threads and 1 in one run ({s['epochs']} epochs, medians): "
          f"{s['s_per_epoch_2_threads']} s vs {s['s_per_epoch_1_thread']} s, {s['speedup']}x; median ratio of neighbouring "
          f"epochs {s.get('paired_speedup', '?')}x.")
print()
print(f"Allocations per mini-batch (steady state): {ours['alloc_bytes_per_batch']} bytes; peak working set "
      f"{ours['peak_working_set_mb']} MB with {ours['train_data_mb']} MB of float32 training data "
      f"(limit 2x data + 200 MB = {2 * int(ours['train_data_mb']) + 200} MB).")
# The peak of the level the kernels use (the CPU line names it); older logs have one PEAK line without a level.
cpu = (pick("CPU") or [{}])[0]
kernel_level = cpu.get("kernels")
peak = sorted([p for p in pick("PEAK") if p.get("level", kernel_level) == kernel_level] or pick("PEAK"),
              key=lambda p: -float(p["one_core_gflops"]))
levels = {}
for p in pick("PEAK"):
    if "level" in p and float(p["one_core_gflops"]) > float(levels.get(p["level"], {"one_core_gflops": 0})["one_core_gflops"]):
        levels[p["level"]] = p
for b in sorted(pick("BANDWIDTH"), key=lambda b: -float(b["two_cores_gb_per_s"]))[:1]:
    print()
    print(f"Memory read bandwidth: {b['one_core_gb_per_s']} GB/s on one core, {b['two_cores_gb_per_s']} GB/s on both together.")
print()
if cpu:
    print(f"CPU: {cpu.get('model', '?').strip(chr(34))}; the kernels use {kernel_level}. FMA peak per level, GFLOP/s on one core / both: "
          + ", ".join(f"{name} {p['one_core_gflops']} / {p['two_core_gflops']}" for name, p in levels.items()) + ".")
    print()
print(f"Kernels, GFLOP/s (measured FMA peak{f' at {kernel_level}' if kernel_level else ''}: {peak[0]['one_core_gflops'] if peak else '?'} GFLOP/s on one core, {peak[0].get('two_core_gflops', '?') if peak else '?'} on both together):")
print()
forced = sorted({k["simd"] for k in pick("KERNEL") if k["simd"].startswith("openblas-")})
extra = "".join(f" {f} 1 thread | {f} 2 threads |" for f in forced)
print("| product | ours 1 thread | ours 2 threads | OpenBLAS 1 thread | OpenBLAS 2 threads |" + extra
      + " ours vs best OpenBLAS, 1 thread | 2 threads |")
print("|---|---|---|---|---|" + "---|---|" * len(forced) + "---|---|")
for k in list({k["name"]: k for k in pick("KERNEL", threads="1") if not k["simd"].startswith("openblas")}.values()):
    name = k["name"]
    def g(threads, simd):
        found = [x for x in pick("KERNEL", name=name, threads=threads)
                 if (x["simd"] == simd if simd else not x["simd"].startswith("openblas"))]
        return max(found, key=lambda x: float(x["gflops"]))["gflops"] if found else "?"
    cells = [g("1", None), g("2", None), g("1", "openblas"), g("2", "openblas")]
    for f in forced:
        cells += [g("1", f), g("2", f)]
    for threads, ours_cell in (("1", cells[0]), ("2", cells[1])):
        peers = [float(g(threads, p)) for p in ["openblas"] + forced if g(threads, p) != "?"]
        cells.append(f"{float(ours_cell) / max(peers):.2f}x" if peers and ours_cell != "?" else "?")
    print(f"| {name.strip(chr(34))} | " + " | ".join(cells) + " |")
print()
for threads in ("1", "2"):
    steps = pick("ADAM", threads=threads)
    if steps:
        print(f"Adam step over W's {steps[0]['parameters']} parameters, {threads} thread(s), caches warm: "
              f"{min(float(a['us']) for a in steps):.1f} µs")
print()
for p in [l for l in lines if l.startswith("PROFILE")]:
    print(p)
print()
print("| scoring | single-row median µs | single-row p99 µs | batch rows/s |")
print("|---|---|---|---|")
for system in dict.fromkeys(s["system"] for s in pick("SCORING")):
    s = min(pick("SCORING", system=system), key=lambda s: float(s["single_row_median_us"]))
    print(f"| {system} | {s['single_row_median_us']} | {s['single_row_p99_us']} | {s['batch_rows_per_s']} |")
