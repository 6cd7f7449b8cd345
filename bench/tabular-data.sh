#!/usr/bin/env bash
# The tabular suite's data (issue 19): public tables that Debian installs, written as CSV (header row, missing values
# as empty cells) with a manifest.tsv into DIR (default bench/tabular-data, git-ignored). R data sets come from
# r-cran-mlbench, r-cran-modeldata and r-cran-ggplot2 through Rscript; the rest from scikit-learn's bundled sets.
# Installs with apt only what is missing. The data sets, their sources and what was left out of each:
# bench/tabular-datasets.md. Rules: R factors (ordered or not) are categorical columns, everything else numeric;
# a binary label is written 1 (the manifest's positive class) or 0; rows whose label is missing are dropped; tables
# over 50,000 rows are sampled down to 50,000 with a fixed seed. LetterRecognition and spambase stay out: the
# product is checked on those separately.
# Usage: bench/tabular-data.sh [DIR]   (bench/tabular.sh runs it when DIR has no manifest).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-bench/tabular-data}"
PACKAGES=(r-base-core r-cran-mlbench r-cran-modeldata r-cran-ggplot2 python3-sklearn)
MISSING=()
for P in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$P" 2>/dev/null | grep -q 'ok installed' || MISSING+=("$P")
done
if [ ${#MISSING[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
fi
mkdir -p "$DIR"
MANIFEST="$DIR/manifest.tsv"
printf 'name\tsource\ttask\tlabel\tpositive\tcategorical\tdropped\trows\tcolumns\tlicence\n' > "$MANIFEST.tmp"

Rscript --vanilla - "$DIR" "$MANIFEST.tmp" <<'EOF'
suppressPackageStartupMessages({ library(mlbench); library(modeldata); library(ggplot2) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; manifest <- args[2]
licence <- c(mlbench = "GPL-2", modeldata = "MIT", ggplot2 = "MIT")
most_rows <- 50000

dataset <- function(package, object) {
  e <- new.env()
  data(list = object, package = package, envir = e)
  as.data.frame(get(object, envir = e))
}

export <- function(name, package, object, task, label, positive = "", drop = character(0), rename = NULL) {
  x <- dataset(package, object)
  if (!is.null(rename)) names(x) <- rename
  x <- x[, setdiff(names(x), drop), drop = FALSE]
  names(x) <- gsub("[^A-Za-z0-9_]", "_", names(x))
  label <- gsub("[^A-Za-z0-9_]", "_", label)
  x <- x[!is.na(x[[label]]), , drop = FALSE]
  if (nrow(x) > most_rows) {
    set.seed(19)
    x <- x[sort(sample(nrow(x), most_rows)), , drop = FALSE]
  }
  if (task == "binary") x[[label]] <- as.integer(as.character(x[[label]]) == positive)
  if (task == "multiclass") x[[label]] <- as.character(x[[label]])
  features <- setdiff(names(x), label)
  categorical <- features[sapply(x[features], function(column) is.factor(column) || is.character(column))]
  write.csv(x, file.path(dir, paste0(name, ".csv")), row.names = FALSE, na = "")
  cat(paste(name, paste0(package, "::", object), task, label, positive, paste(categorical, collapse = ","),
            paste(drop, collapse = ","), nrow(x), ncol(x) - 1, licence[[package]], sep = "\t"), "\n",
      file = manifest, append = TRUE, sep = "")
}

ozone <- c("month", "day_of_month", "day_of_week", "ozone", "pressure_height", "wind", "humidity", "temp_sandburg",
           "temp_el_monte", "inversion_base_height", "pressure_gradient", "inversion_base_temp", "visibility")
export("diamonds", "ggplot2", "diamonds", "regression", "price")
export("ames", "modeldata", "ames", "regression", "Sale_Price")
export("concrete", "modeldata", "concrete", "regression", "compressive_strength")
export("sacramento", "modeldata", "Sacramento", "regression", "price")
export("ozone", "mlbench", "Ozone", "regression", "ozone", rename = ozone)
export("check_times", "modeldata", "check_times", "regression", "check_time", drop = c("package", "status"))
export("attrition", "modeldata", "attrition", "binary", "Attrition", positive = "Yes")
export("credit", "modeldata", "credit_data", "binary", "Status", positive = "bad")
export("mlc_churn", "modeldata", "mlc_churn", "binary", "churn", positive = "yes")
export("wa_churn", "modeldata", "wa_churn", "binary", "churn", positive = "Yes")
export("pima", "mlbench", "PimaIndiansDiabetes2", "binary", "diabetes", positive = "pos")
export("house_votes", "mlbench", "HouseVotes84", "binary", "Class", positive = "republican")
export("hpc", "modeldata", "hpc_data", "multiclass", "class")
export("satellite", "mlbench", "Satellite", "multiclass", "classes")
export("vehicle", "mlbench", "Vehicle", "multiclass", "Class")
export("penguins", "modeldata", "penguins", "multiclass", "species")
export("soybean", "mlbench", "Soybean", "multiclass", "Class")
export("dna", "mlbench", "DNA", "multiclass", "Class")
EOF

/usr/bin/python3 - "$DIR" "$MANIFEST.tmp" <<'EOF'
import csv
import sys
from sklearn import datasets

directory, manifest = sys.argv[1:]


def export(name, bunch, task, label, positive=""):
    """Writes one bundled set; a binary target becomes 1 for the positive class name."""
    with open(f"{directory}/{name}.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.replace(" ", "_") for f in bunch.feature_names] + [label])
        for row, target in zip(bunch.data, bunch.target):
            value = int(bunch.target_names[target] == positive) if task == "binary" else target
            writer.writerow([repr(float(v)) for v in row] + [value])
    source = f"sklearn.datasets.{bunch.loader}"
    with open(manifest, "a") as out:
        out.write("\t".join([name, source, task, label, positive, "", "", str(len(bunch.data)),
                             str(bunch.data.shape[1]), "BSD-3-Clause"]) + "\n")


def load(loader, **options):
    bunch = getattr(datasets, loader)(**options)
    bunch.loader = loader
    return bunch


export("diabetes", load("load_diabetes", scaled=False), "regression", "progression")
export("breast_cancer", load("load_breast_cancer"), "binary", "diagnosis", positive="malignant")
export("digits", load("load_digits"), "multiclass", "digit")
EOF
mv "$MANIFEST.tmp" "$MANIFEST"
column -t -s $'\t' "$MANIFEST" | cut -c1-160
