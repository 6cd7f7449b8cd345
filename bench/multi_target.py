"""Multi-output regression and multi-label classification: Mlp() with its defaults against scikit-learn's
MLPRegressor and MLPClassifier with theirs, on the same splits, every metric computed by scikit-learn.

- linnerud (data/linnerud.csv, 20 rows, 3 features, 3 targets): 5-fold cross-validation repeated with seeds 1-5;
  each repeat's out-of-fold predictions of all 20 rows are scored together (R², RMSE, MAE per target, averaged).
- digits-tags (data/digits-tags.csv, 1797 rows, 64 features, 4 tags; see data/make_multilabel_data.py): 75/25
  splits with seeds 1-3, each trained with model seeds s, s+10 and s+20 by both libraries (Hamming loss, subset
  accuracy, micro and macro F1, macro ROC AUC; means over the 9 runs).
- synthetic-tags: scikit-learn's make_multilabel_classification(n_samples=1500, n_features=30, n_classes=6,
  n_labels=2, random_state=0), word-count-like features and 6 correlated labels, scored like digits-tags.

Mlp() runs twice: with its defaults, and with ValidationFraction = 0 (every training row trains; no early stopping
on a hold-out). scikit-learn runs twice: its defaults on the raw features (the comparison the target is set against), and with a
StandardScaler in front (features and, for regression, targets), as its documentation recommends.
Usage (from the repository root, after building the benchmarks in Release; bench/run.sh multitarget does both):
  /usr/bin/python3 bench/multi_target.py [out dir]
"""
import csv
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (accuracy_score, f1_score, hamming_loss, mean_absolute_error, mean_squared_error, r2_score,
                             roc_auc_score)
from sklearn.model_selection import KFold, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("ignore", ConvergenceWarning)


# Each multi-label split trains with three model seeds (the split's, +10, +20) for both libraries: one model seed moves
# scikit-learn's Hamming loss on digits-tags by about 0.001, as much as the gaps being measured.
def model_seeds(split_seed):
    return (split_seed, split_seed + 10, split_seed + 20)


BENCH = ["dotnet", "tests/MLNetBackprop.Benchmarks/bin/Release/net10.0/MLNetBackprop.Benchmarks.dll", "multitarget"]


def load(path, labels):
    with open(path) as f:
        rows = list(csv.reader(f))
    data = np.array(rows[1:], dtype=np.float64)
    return data[:, :-labels], data[:, -labels:], rows[0][-labels:]


def write(path, x, y):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([f"x{i}" for i in range(x.shape[1])] + [f"y{j}" for j in range(y.shape[1])])
        for a, b in zip(x, y):
            writer.writerow([repr(float(v)) for v in a] + [repr(float(v)) for v in b])


def read_predictions(path):
    with open(path) as f:
        return np.array([[float(v) for v in row] for row in csv.reader(f)])


def sklearn_predict(task, seed, scaled, x_train, y_train, x_test):
    if task == "regression":
        model = MLPRegressor(random_state=seed)
        if scaled:
            model = TransformedTargetRegressor(make_pipeline(StandardScaler(), model), transformer=StandardScaler())
        return model.fit(x_train, y_train).predict(x_test)
    model = MLPClassifier(random_state=seed)
    if scaled:
        model = make_pipeline(StandardScaler(), model)
    return model.fit(x_train, y_train.astype(int)).predict_proba(x_test)


def regression_metrics(y, p):
    return {
        "R2": r2_score(y, p, multioutput="raw_values"),
        "RMSE": np.sqrt(mean_squared_error(y, p, multioutput="raw_values")),
        "MAE": mean_absolute_error(y, p, multioutput="raw_values"),
    }


def multilabel_metrics(y, probability):
    y = y.astype(int)
    predicted = (probability > 0.5).astype(int)
    return {
        "Hamming loss": hamming_loss(y, predicted),
        "subset accuracy": accuracy_score(y, predicted),
        "micro F1": f1_score(y, predicted, average="micro", zero_division=0),
        "macro F1": f1_score(y, predicted, average="macro", zero_division=0),
        "macro AUC": roc_auc_score(y, probability, average="macro"),
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="multitarget-")
    os.makedirs(out, exist_ok=True)
    splits = []  # (name, task, seed, x_train, y_train, x_test, y_test, group)
    x, y, targets = load("data/linnerud.csv", 3)
    for seed in range(1, 6):
        for fold, (train, test) in enumerate(KFold(5, shuffle=True, random_state=seed).split(x)):
            splits.append((f"linnerud-{seed}-{fold}", "regression", seed, x[train], y[train], x[test], y[test], ("linnerud", seed, test)))
    x, y, tags = load("data/digits-tags.csv", 4)
    for seed in range(1, 4):
        x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed)
        for model_seed in model_seeds(seed):
            splits.append((f"digits-tags-{seed}-{model_seed}", "multilabel", model_seed, x_train, y_train, x_test, y_test, ("digits-tags", model_seed, None)))
    x, y = make_multilabel_classification(n_samples=1500, n_features=30, n_classes=6, n_labels=2, random_state=0)
    for seed in range(1, 4):
        x_train, x_test, y_train, y_test = train_test_split(x.astype(float), y.astype(float), test_size=0.25, random_state=seed)
        for model_seed in model_seeds(seed):
            splits.append((f"synthetic-tags-{seed}-{model_seed}", "multilabel", model_seed, x_train, y_train, x_test, y_test, ("synthetic-tags", model_seed, None)))
    with open(os.path.join(out, "manifest.tsv"), "w") as f:
        f.write("name\ttask\tseed\tfeatures\tlabels\n")
        for name, task, seed, x_train, y_train, x_test, y_test, _ in splits:
            write(os.path.join(out, f"{name}-train.csv"), x_train, y_train)
            write(os.path.join(out, f"{name}-test.csv"), x_test, y_test)
            f.write(f"{name}\t{task}\t{seed}\t{x_train.shape[1]}\t{y_train.shape[1]}\n")
    subprocess.run(BENCH + [out], check=True)

    systems = ["Mlp()", "Mlp() no hold-out", "scikit-learn", "scikit-learn scaled"]
    # Predictions per (data set, seed): pooled over folds for linnerud, the one test set for digits-tags.
    pooled = {}
    for name, task, seed, x_train, y_train, x_test, y_test, (dataset, _, rows) in splits:
        predictions = {
            "Mlp()": read_predictions(os.path.join(out, f"{name}-mlp.csv")),
            "Mlp() no hold-out": read_predictions(os.path.join(out, f"{name}-mlp-noval.csv")),
            "scikit-learn": sklearn_predict(task, seed, False, x_train, y_train, x_test),
            "scikit-learn scaled": sklearn_predict(task, seed, True, x_train, y_train, x_test),
        }
        key = (dataset, task, seed)
        entry = pooled.setdefault(key, {"y": [], "rows": [], **{s: [] for s in systems}})
        entry["y"].append(y_test)
        entry["rows"].append(rows if rows is not None else np.arange(len(y_test)))
        for s in systems:
            entry[s].append(np.asarray(predictions[s]))

    results = {}
    for (dataset, task, seed), entry in pooled.items():
        y_all = np.concatenate(entry["y"])
        for s in systems:
            p_all = np.concatenate(entry[s])
            metrics = regression_metrics(y_all, p_all) if task == "regression" else multilabel_metrics(y_all, p_all)
            results.setdefault((dataset, s), []).append(metrics)

    print("| data set | metric | Mlp() | Mlp(), ValidationFraction = 0 | scikit-learn defaults | scikit-learn + StandardScaler |")
    print("|---|---|---|---|---|---|")
    for dataset, names in (("linnerud", targets), ("digits-tags", None), ("synthetic-tags", None)):
        runs = {s: results[(dataset, s)] for s in systems}
        for metric in runs["Mlp()"][0]:
            values = {s: np.mean([r[metric] for r in runs[s]], axis=0) for s in systems}
            if np.ndim(values["Mlp()"]) == 0:
                print(f"| {dataset} | {metric} | " + " | ".join(f"{values[s]:.4f}" for s in systems) + " |")
                continue
            for j, target in enumerate(names):
                print(f"| {dataset} | {metric} {target} | " + " | ".join(f"{values[s][j]:.4f}" for s in systems) + " |")
            print(f"| {dataset} | {metric} average | " + " | ".join(f"{values[s].mean():.4f}" for s in systems) + " |")


if __name__ == "__main__":
    main()
