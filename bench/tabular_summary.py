"""Turns bench/tabular.sh's log into docs/benchmarks.md's tabular tables, the four targets of issue 19 and a plot.

Usage: tabular_summary.py LOG [PNG]. A fit that failed, or scored NaN, counts as the worst score of its data set and
seed. Normalized score: per data set and seed, (score - worst) / (best - worst) over the systems that scored, then
averaged over seeds and data sets. Wins and losses compare means over seeds; fit times are medians over seeds.
mlp-holdout (the defaults without training on the held-out rows) is compared with mlp alone: it takes no part in the
normalized scores, the bold best or the targets.
"""
import math
import re
import statistics
import sys

SYSTEMS = ["mlp", "mlp-sklearn", "lightgbm", "fasttree", "sdca", "mlp-holdout"]
BEFORE = "mlp-holdout"
TREES = ["lightgbm", "fasttree"]
TREE_MARGIN = 0.03
SKLEARN_WIN_SHARE = 0.8
FIT_RATIO = 3.0

lines = open(sys.argv[1]).read().splitlines()
plot_path = sys.argv[2] if len(sys.argv) > 2 else None


def fields(line):
    return dict(re.findall(r'(\w+)=("[^"]*"|\S+)', line))


def score_of(run):
    value = float(run["score"]) if "score" in run else math.nan
    return value if math.isfinite(value) else None


runs = [fields(l) for l in lines if l.startswith("TABULAR ")]
datasets = list(dict.fromkeys(r["dataset"] for r in runs))
systems = [s for s in SYSTEMS if any(r["system"] == s for r in runs)]
ranked = [s for s in systems if s != BEFORE]
info = {r["dataset"]: r for r in runs}
seeds = {d: sorted({int(r["seed"]) for r in runs if r["dataset"] == d}) for d in datasets}
scores = {(r["dataset"], r["system"], int(r["seed"])): score_of(r) for r in runs}
fits = {(r["dataset"], r["system"], int(r["seed"])): float(r["fit_s"]) for r in runs if score_of(r) is not None}


def seed_scores(dataset, system):
    return [scores.get((dataset, system, seed)) for seed in seeds[dataset]]


def mean_score(dataset, system):
    """Mean over seeds; a failed seed makes the mean -inf, so that it ranks below every system that scored."""
    found = seed_scores(dataset, system)
    return statistics.mean(found) if found and None not in found else -math.inf


def median_fit(dataset, system):
    """Median over seeds: another program's burst on the shared host can stretch one seed's fit many times over."""
    found = [fits[(dataset, system, seed)] for seed in seeds[dataset] if (dataset, system, seed) in fits]
    return statistics.median(found) if found else None


def normalized(dataset, seed):
    found = {s: scores.get((dataset, s, seed)) for s in ranked}
    scored = [v for v in found.values() if v is not None]
    if not scored:
        return {s: 0.0 for s in ranked}
    best, worst = max(scored), min(scored)
    return {s: 0.0 if v is None else 1.0 if best == worst else (v - worst) / (best - worst) for s, v in found.items()}


def cell(dataset, system):
    found = seed_scores(dataset, system)
    ok = [v for v in found if v is not None]
    if not ok:
        return "failed"
    spread = statistics.stdev(ok) if len(ok) > 1 else 0.0
    failed = f" ({len(found) - len(ok)} failed)" if len(ok) < len(found) else ""
    best = max(mean_score(dataset, s) for s in ranked)
    mark = "**" if mean_score(dataset, system) == best and system != BEFORE else ""
    return f"{mark}{statistics.mean(ok):.4f}{mark} ± {spread:.4f}{failed}"


def fit_cell(dataset, system):
    fit = median_fit(dataset, system)
    return "-" if fit is None else f"{fit:.2f}"


def print_header():
    for l in lines:
        if l.startswith(("DATE", "MACHINE", "COMMIT", "LOAD_AFTER", "SUITE_S")):
            print(l)
    loads = [float(fields(l)["load"]) for l in lines if l.startswith("LOAD ")]
    if loads:
        print(f"Load average (1 min) before each data set: {min(loads):.2f} to {max(loads):.2f}")
    quiet = [fields(l) for l in lines if l.startswith("QUIET ")]
    if quiet:
        busy = [int(q["busy_pct"]) for q in quiet]
        print(f"Cores busy before each data set, after waiting for them: {min(busy)} to {max(busy)} % "
              f"({sum(int(q['waited_s']) for q in quiet)} s of waiting in all)")
    print()


def print_score_table():
    print(f"Headline metric on the test rows (R² for regression, accuracy for classification), mean ± standard "
          f"deviation over seeds {','.join(map(str, seeds[datasets[0]]))}; the best mean of each data set in bold.")
    print()
    print("| data set | task | rows | features (non-zero share) | " + " | ".join(systems) + " |")
    print("|---|---|---|---|" + "---|" * len(systems))
    for d in datasets:
        density = f" ({float(info[d]['density']):.2f})" if "density" in info[d] else ""
        print(f"| {d} | {info[d]['task']} | {info[d]['rows']} | {info[d]['features']}{density} | "
              + " | ".join(cell(d, s) for s in systems) + " |")
    print()
    print("Fit seconds (the system's fit on the training rows in memory, after one untimed warm-up fit), median over "
          "seeds.")
    print()
    print("| data set | " + " | ".join(systems) + " |")
    print("|---|" + "---|" * len(systems))
    for d in datasets:
        print(f"| {d} | " + " | ".join(fit_cell(d, s) for s in systems) + " |")


def mean_normalized():
    per_system = {s: [] for s in ranked}
    for d in datasets:
        for seed in seeds[d]:
            for s, v in normalized(d, seed).items():
                per_system[s].append(v)
    return {s: statistics.mean(v) for s, v in per_system.items() if v}


def wins_losses(other):
    outcome = [(mean_score(d, "mlp") > mean_score(d, other)) - (mean_score(d, "mlp") < mean_score(d, other))
               for d in datasets]
    return outcome.count(1), outcome.count(-1), outcome.count(0)


def print_summary(normal):
    print()
    print("| system | mean normalized score | mlp wins / losses / ties against it |")
    print("|---|---|---|")
    for s in systems:
        record = "-" if s == "mlp" else "{} / {} / {}".format(*wins_losses(s))
        print(f"| {s} | {'-' if s == BEFORE else format(normal.get(s, math.nan), '.3f')} | {record} |")
    if BEFORE in systems:
        differences = [mean_score(d, "mlp") - mean_score(d, BEFORE) for d in datasets]
        ratios = [median_fit(d, "mlp") / median_fit(d, BEFORE) for d in datasets if median_fit(d, "mlp") and median_fit(d, BEFORE)]
        print()
        print(f"Training on the held-out rows (mlp against {BEFORE}): mean difference of the headline metric "
              f"{statistics.mean(differences):+.4f}, largest gain {max(differences):+.4f}, largest loss {min(differences):+.4f}; "
              f"median ratio of fit seconds {statistics.median(ratios):.2f}x.")


def tree_gap(dataset, trees):
    """How far mlp's mean is below the better tree's: infinite when mlp failed and a tree did not."""
    tree, mlp = max(mean_score(dataset, t) for t in trees), mean_score(dataset, "mlp")
    return tree - mlp if math.isfinite(mlp) else math.inf if math.isfinite(tree) else 0.0


def held(ok):
    return "held" if ok else "NOT held"


def print_targets(normal):
    print()
    print("Targets (issue 19), for `mlp`:")
    if "mlp-sklearn" in systems:
        wins, _, _ = wins_losses("mlp-sklearn")
        print(f"- beats the scikit-learn preset on at least {SKLEARN_WIN_SHARE:.0%} of data sets: {wins} of "
              f"{len(datasets)} ({wins / len(datasets):.0%}): {held(wins >= SKLEARN_WIN_SHARE * len(datasets))}")
    if "lightgbm" in normal:
        print(f"- mean normalized score >= LightGBM's: {normal['mlp']:.3f} against {normal['lightgbm']:.3f}: "
              f"{held(normal['mlp'] >= normal['lightgbm'])}")
    trees = [t for t in TREES if t in systems]
    if trees:
        gaps = {d: tree_gap(d, trees) for d in datasets}
        behind = {d: g for d, g in gaps.items() if g > TREE_MARGIN}
        listed = ", ".join(f"{d} {g:.3f}" if math.isfinite(g) else f"{d} (failed)" for d, g in
                           sorted(behind.items(), key=lambda item: -item[1]))
        print(f"- no data set more than {TREE_MARGIN} below the best tree: {len(behind)} data sets are"
              f"{': ' + listed if behind else ''}: {held(not behind)}")
    if "lightgbm" in systems:
        ratios = [median_fit(d, "mlp") / median_fit(d, "lightgbm") for d in datasets
                  if median_fit(d, "mlp") is not None and median_fit(d, "lightgbm")]
        if ratios:
            median = statistics.median(ratios)
            print(f"- fit time within {FIT_RATIO:g}x of LightGBM's on the median data set: median ratio of fit "
                  f"seconds {median:.2f}x over {len(ratios)} data sets: {held(median <= FIT_RATIO)}")


def print_failures():
    failed = [r for r in runs if "error" in r] + [fields(l) for l in lines if l.startswith("TABULAR_EXIT")]
    nan = [r for r in runs if "error" not in r and score_of(r) is None]
    for r in failed:
        print(f"Failed: {r.get('dataset')} {r.get('system', '')} seed {r.get('seed', '')}: {r.get('error', 'exit ' + r.get('code', '?'))}")
    for r in nan:
        print(f"Scored NaN: {r['dataset']} {r['system']} seed {r['seed']}")


def plot():
    """Top: each system's mean score per data set; bottom: its distance to the better tree, where the target's line is."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    floor, ceiling = -0.3, 0.15
    markers = dict(zip(SYSTEMS, "osD^vx"))
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(max(10, 0.7 * len(datasets)), 8),
                                         gridspec_kw={"height_ratios": [3, 2]})
    trees = [t for t in TREES if t in systems]
    for i, s in enumerate(systems):
        x = [j + (i - (len(systems) - 1) / 2) * 0.12 for j in range(len(datasets))]
        means = [mean_score(d, s) for d in datasets]
        # Below 0 (or failed) is drawn on the axis: an R² that far off says only that the fit failed.
        top.plot(x, [max(m, 0.0) if math.isfinite(m) else 0.0 for m in means], markers.get(s, "o"), label=s)
        if trees:
            gaps = [m - max(mean_score(d, t) for t in trees) for d, m in zip(datasets, means)]
            shown = [min(max(g, floor), ceiling) if math.isfinite(g) else floor for g in gaps]
            bottom.plot(x, shown, markers.get(s, "o"))
    top.set_ylim(-0.02, 1.02)
    top.set_ylabel("test R² / accuracy\n(mean over seeds, below 0 at 0)")
    top.grid(axis="y", alpha=0.3)
    top.legend(ncol=len(systems), fontsize=8, loc="lower left")
    top.set_title(f"Tabular suite, {lines[0].split(' ', 1)[-1] if lines and lines[0].startswith('DATE') else ''}")
    bottom.axhline(-TREE_MARGIN, color="grey", linestyle="--", linewidth=1)
    bottom.axhline(0, color="black", linewidth=0.5)
    bottom.set_ylim(floor - 0.02, ceiling + 0.02)
    bottom.set_ylabel(f"minus the better tree\n(clipped to [{floor}, {ceiling}]; dashed: -{TREE_MARGIN})")
    bottom.grid(axis="y", alpha=0.3)
    bottom.set_xticks(range(len(datasets)))
    bottom.set_xticklabels([f"{d}\n{info[d]['task']}" for d in datasets], rotation=45, ha="right", fontsize=8)
    for j in range(len(datasets) - 1):
        for axes in (top, bottom):
            axes.axvline(j + 0.5, color="grey", alpha=0.2, linewidth=0.5)
    figure.tight_layout()
    figure.savefig(plot_path, dpi=110)
    print()
    print(f"Plot: {plot_path}")


print_header()
if not runs:
    print("No TABULAR lines in the log.")
    sys.exit(1)
print_score_table()
normal = mean_normalized()
print_summary(normal)
if "mlp" in systems:
    print_targets(normal)
print()
print_failures()
if plot_path:
    plot()
