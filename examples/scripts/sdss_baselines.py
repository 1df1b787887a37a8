"""scikit-learn baselines for Deneb's SDSS example, on exactly the split the Java run used.

    apt-get install -y python3-sklearn
    python3 examples/scripts/sdss_baselines.py --csv ../shared/data/sdss/sdss_dr14_skyserver_10k.csv \
        --splits runs/sdss/sdss-star-qso-splits.csv --task star-qso [--out baselines.csv]

The split file is written by `deneb-examples sdss` (columns seed,row,part: row is the data row of the CSV,
0 = first row after the header; part is train, validation or test). For each seed the models are fitted on
train + validation (the 80 % that Deneb uses for training and early stopping; these models need no validation
set) and scored on the test rows. Inputs are the same as Deneb's: u, g, r, i, z and u-g, g-r, r-i, i-z (never
redshift). Models, with scikit-learn's defaults except where noted:

    random_forest        RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=2)
    gradient_boosting    GradientBoostingClassifier(random_state=seed)
    logistic_regression  StandardScaler + LogisticRegression(max_iter=2000), scaler fitted on the training rows

Prints a table (mean ± std over seeds) and writes one row per model and seed to --out:
model,seed,accuracy,balanced_accuracy,macro_f1,roc_auc,average_precision,log_loss
(ROC AUC and AP: of the QSO column for star-qso; one-vs-rest macro for three-class.)
"""
import argparse
import csv
import sys

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score, f1_score,
                             log_loss, roc_auc_score)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TASKS = {"star-qso": ["STAR", "QSO"], "three-class": ["STAR", "GALAXY", "QSO"]}
BANDS = ["u", "g", "r", "i", "z"]


def load(path, classes):
    with open(path, newline="") as f:  # newline="" handles the file's CRLF line ends
        rows = list(csv.DictReader(f))
    mags = np.array([[number(r[b]) for b in BANDS] for r in rows])
    colours = mags[:, :-1] - mags[:, 1:]
    x = np.hstack([mags, colours])
    # Classes match ignoring case, as in the Java reader; rows the Java run skipped are not in the splits file.
    labels = [r["class"].strip().upper() for r in rows]
    y = np.array([classes.index(c) if c in classes else -1 for c in labels])
    return x, y


def number(cell):
    """A cell as a float; empty or non-numeric cells become NaN (the Java run skipped those rows)."""
    try:
        return float(cell)
    except ValueError:
        return float("nan")


def read_splits(path):
    splits = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            splits.setdefault(int(r["seed"]), {"train": [], "validation": [], "test": []})[r["part"]].append(
                int(r["row"]))
    return splits


def models(seed):
    return {
        "random_forest": RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=2),
        "gradient_boosting": GradientBoostingClassifier(random_state=seed),
        "logistic_regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    }


def scores(y, proba, n_classes):
    pred = proba.argmax(axis=1)
    if n_classes == 2:
        auc = roc_auc_score(y, proba[:, 1])
        ap = average_precision_score(y, proba[:, 1])
    else:
        auc = roc_auc_score(y, proba, multi_class="ovr", average="macro")
        ap = average_precision_score(np.eye(n_classes)[y], proba, average="macro")
    return {"accuracy": accuracy_score(y, pred), "balanced_accuracy": balanced_accuracy_score(y, pred),
            "macro_f1": f1_score(y, pred, average="macro"), "roc_auc": auc, "average_precision": ap,
            "log_loss": log_loss(y, proba, labels=list(range(n_classes)))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", required=True)
    ap.add_argument("--splits", required=True)
    ap.add_argument("--task", choices=TASKS, default="star-qso")
    ap.add_argument("--out")
    a = ap.parse_args()
    classes = TASKS[a.task]
    x, y = load(a.csv, classes)
    results = []
    for seed, parts in sorted(read_splits(a.splits).items()):
        fit_rows = np.array(parts["train"] + parts["validation"])
        test_rows = np.array(parts["test"])
        if (y[fit_rows] < 0).any() or (y[test_rows] < 0).any():
            sys.exit("the split names rows whose class is not one of %s: wrong --task?" % classes)
        for name, model in models(seed).items():
            model.fit(x[fit_rows], y[fit_rows])
            s = scores(y[test_rows], model.predict_proba(x[test_rows]), len(classes))
            results.append({"model": name, "seed": seed, **s})
            print("seed %d %-20s accuracy %.2f%%  balanced %.2f%%  macro F1 %.4f  ROC AUC %.4f  AP %.4f" % (
                seed, name, 100 * s["accuracy"], 100 * s["balanced_accuracy"], s["macro_f1"], s["roc_auc"],
                s["average_precision"]), flush=True)
    keys = ["accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "average_precision", "log_loss"]
    print("\nmean ± std over %d seed(s), %d test objects each:" % (len({r["seed"] for r in results}),
                                                                  len(test_rows)))
    for name in models(0):
        rs = [r for r in results if r["model"] == name]
        cells = []
        for k in keys:
            v = np.array([r[k] for r in rs])
            cells.append("%s %.4f ± %.4f" % (k, v.mean(), v.std(ddof=1) if len(v) > 1 else 0.0))
        print("%-20s %s" % (name, "  ".join(cells)))
    if a.out:
        with open(a.out, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["model", "seed"] + keys)
            for r in results:
                w.writerow([r["model"], r["seed"]] + ["%.6f" % r[k] for k in keys])


if __name__ == "__main__":
    main()
