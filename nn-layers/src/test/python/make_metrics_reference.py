"""Reference values for Deneb's classification metrics (dev.deneb.metrics), computed with scikit-learn.

    apt-get install -y python3-sklearn
    /usr/bin/python3 nn-layers/src/test/python/make_metrics_reference.py [out.json]

(default out: nn-layers/src/test/resources/metrics/sklearn_reference.json; checked with scikit-learn 1.2.1,
numpy 1.24.2). The file is a JSON object {"sklearn": version, "cases": [...]}; each case has:

    name          what it exercises
    num_classes   C
    y_true        labels 0..C-1
    y_pred        predicted labels (argmax of probs, unless the case says otherwise)
    probs         [N][C] probabilities (rows sum to 1), or null
    expected      accuracy, balanced_accuracy, confusion_matrix, confusion_true/pred/all (normalised),
                  precision/recall/f1 (per class, zero_division=0, labels=range(C)), macro_*/weighted_*,
                  log_loss (eps="auto": float64 machine epsilon),
                  and for scores: roc_auc (binary: column 1; multiclass: ovr macro and weighted),
                  average_precision (binary; multiclass: one-vs-rest macro and weighted),
                  roc_curve {fpr, tpr, thresholds} (drop_intermediate=False, class 1) and
                  pr_curve {precision, recall, thresholds} (class 1) where binary.

Undefined values (NaN, the first ROC threshold, which is max+1 in 1.2 and +inf from 1.3) are written as
JSON NaN / Infinity, which the Java test reader accepts.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn import metrics as M

warnings.simplefilter("ignore")


def lst(a):
    return np.asarray(a, dtype=float).tolist()


def case(name, y_true, y_pred, probs, num_classes):
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    labels = list(range(num_classes))
    e = {
        "accuracy": M.accuracy_score(y_true, y_pred),
        "balanced_accuracy": M.balanced_accuracy_score(y_true, y_pred),
        "confusion_matrix": M.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    for norm in ("true", "pred", "all"):
        e["confusion_" + norm] = lst(M.confusion_matrix(y_true, y_pred, labels=labels, normalize=norm))
    for avg in (None, "macro", "weighted"):
        p, r, f, _ = M.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg,
                                                       zero_division=0)
        prefix = "" if avg is None else avg + "_"
        e[prefix + "precision"] = lst(p) if avg is None else float(p)
        e[prefix + "recall"] = lst(r) if avg is None else float(r)
        e[prefix + "f1"] = lst(f) if avg is None else float(f)
    if probs is not None:
        probs = np.asarray(probs, dtype=np.float64)
        e["log_loss"] = M.log_loss(y_true, probs, labels=labels)
        present = len(np.unique(y_true))
        if num_classes == 2:
            score = probs[:, 1]
            if present == 2:
                e["roc_auc"] = M.roc_auc_score(y_true, score)
            fpr, tpr, thr = M.roc_curve(y_true, score, drop_intermediate=False)
            e["roc_curve"] = {"fpr": lst(fpr), "tpr": lst(tpr), "thresholds": lst(thr)}
            prec, rec, thr = M.precision_recall_curve(y_true, score)
            e["pr_curve"] = {"precision": lst(prec), "recall": lst(rec), "thresholds": lst(thr)}
            e["average_precision"] = M.average_precision_score(y_true, score)
        else:
            if present == num_classes and np.allclose(probs.sum(axis=1), 1):
                e["roc_auc_ovr_macro"] = M.roc_auc_score(y_true, probs, multi_class="ovr", average="macro")
                e["roc_auc_ovr_weighted"] = M.roc_auc_score(y_true, probs, multi_class="ovr", average="weighted")
            onehot = np.eye(num_classes)[y_true]
            e["average_precision_macro"] = M.average_precision_score(onehot, probs, average="macro")
            e["average_precision_weighted"] = M.average_precision_score(onehot, probs, average="weighted")
    return {"name": name, "num_classes": num_classes, "y_true": y_true.tolist(), "y_pred": y_pred.tolist(),
            "probs": None if probs is None else lst(probs), "expected": e}


def binary_probs(score):
    score = np.asarray(score, dtype=np.float64)
    return np.stack([1 - score, score], axis=1)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "resources", "metrics", "sklearn_reference.json")
    rng = np.random.default_rng(20240605)
    cases = []

    # Binary, small, with tied scores (0.35 and 0.8 occur twice across classes).
    y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    s = [0.1, 0.35, 0.35, 0.8, 0.8, 0.9, 0.2, 0.65, 0.4, 0.05]
    cases.append(case("binary_ties", y, (np.asarray(s) >= 0.5).astype(int), binary_probs(s), 2))

    # Binary, random, imbalanced (about 17 % positives like the SDSS quasars).
    n = 300
    y = (rng.random(n) < 0.17).astype(int)
    s = np.clip(0.25 * y + rng.random(n) * 0.75, 0, 1)
    s = np.round(s, 2)  # rounding makes many ties
    cases.append(case("binary_imbalanced_rounded", y, (s >= 0.5).astype(int), binary_probs(s), 2))

    # All scores equal: the ROC curve is the diagonal, AUC 0.5.
    y = [0, 1, 0, 1, 1, 0]
    cases.append(case("binary_constant_score", y, [1] * 6, binary_probs([0.5] * 6), 2))

    # Perfect separation and exact 0/1 probabilities (log-loss clipping).
    y = [0, 0, 1, 1]
    cases.append(case("binary_perfect_hard", y, y, binary_probs([0.0, 0.0, 1.0, 1.0]), 2))
    # Confidently wrong with exact 0/1 probabilities: log-loss is -log(eps)-ish.
    cases.append(case("binary_wrong_hard", y, [1, 0, 1, 0], binary_probs([1.0, 0.0, 1.0, 0.0]), 2))

    # All one class in y_true (no positives): ROC rates NaN, recall 1 on the PR curve, AP 0.
    cases.append(case("binary_all_negative", [0, 0, 0, 0], [0, 1, 0, 0], binary_probs([0.1, 0.7, 0.3, 0.2]), 2))

    # Three classes, random probabilities, argmax predictions.
    n = 120
    y = rng.integers(0, 3, n)
    logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[y]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    cases.append(case("three_class_random", y, p.argmax(axis=1), p, 3))

    # A class that is never predicted (class 2): precision 0 by zero_division, recall 0.
    y = [0, 1, 2, 2, 1, 0, 2, 1]
    pred = [0, 1, 1, 0, 1, 0, 1, 1]
    cases.append(case("class_never_predicted", y, pred, None, 3))

    # A class that never occurs in y_true but is predicted (balanced accuracy ignores it).
    cases.append(case("class_never_true", [0, 0, 1, 1, 0], [0, 2, 1, 2, 0], None, 3))

    # All one class, labels and predictions.
    cases.append(case("all_one_class", [1, 1, 1], [1, 1, 1], None, 3))

    # Probabilities that do not sum to 1 exactly (log_loss renormalises after clipping).
    y = [0, 1, 2, 1]
    p = [[0.5, 0.3, 0.3], [0.1, 0.8, 0.05], [0.0, 0.0, 1.0], [0.2, 0.2, 0.2]]
    cases.append(case("unnormalised_probs", y, np.asarray(p).argmax(axis=1), p, 3))

    doc = {"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", out, "with", len(cases), "cases (scikit-learn", sklearn.__version__ + ")")


if __name__ == "__main__":
    main()
