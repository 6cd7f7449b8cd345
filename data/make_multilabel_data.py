"""Builds the multi-target data sets in data/ reproducibly (no randomness): run from the repository root with
Debian's python3 (python3-sklearn installed):  /usr/bin/python3 data/make_multilabel_data.py

- linnerud.csv: scikit-learn's Linnerud data (sklearn/datasets/data/linnerud_exercise.csv and
  linnerud_physiological.csv), joined row by row: three exercise counts (features), then three physiological
  measurements (the regression targets).
- digits-tags.csv: data/digits.csv with its digit label replaced by four tags derived from it (multi-label):
  Even (0, 2, 4, 6, 8), Large (5-9), Prime (2, 3, 5, 7), Loop (a closed loop in the usual glyph: 0, 6, 8, 9).
"""
import csv
import os

import sklearn

source = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data")


def read_spaced(name):
    with open(os.path.join(source, name)) as f:
        rows = [line.split() for line in f if line.strip()]
    return rows[0], rows[1:]


exercise_header, exercise = read_spaced("linnerud_exercise.csv")
physiological_header, physiological = read_spaced("linnerud_physiological.csv")
with open("data/linnerud.csv", "w", newline="") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(exercise_header + physiological_header)
    for x, y in zip(exercise, physiological):
        writer.writerow(x + y)

tags = {
    "Even": {0, 2, 4, 6, 8},
    "Large": {5, 6, 7, 8, 9},
    "Prime": {2, 3, 5, 7},
    "Loop": {0, 6, 8, 9},
}
with open("data/digits.csv") as f, open("data/digits-tags.csv", "w", newline="") as out:
    reader = csv.reader(f)
    writer = csv.writer(out, lineterminator="\n")
    header = next(reader)
    writer.writerow(header[:-1] + list(tags))
    for row in reader:
        digit = int(row[-1])
        writer.writerow(row[:-1] + [int(digit in members) for members in tags.values()])
