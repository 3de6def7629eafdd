"""Shared pieces of the diagnosis corpus builders: Fashion-MNIST from Debian's IDX files, the manifest,
and the label-independent curve checks each run must pass before it is written to the manifest.

The checks read only the logged numbers (never Kestrel's diagnosis). Each label has one predicate; a run
whose curve did not come out as built fails its check and is left out of the manifest (the builder prints
why), unless the family names a fallback label whose check it passes (then the "built" line says so).
"""
import gzip
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "diagnosis-corpus")
MANIFEST = os.path.join(OUT, "manifest.json")
FASHION = "/usr/share/datasets/fashion-mnist"

LABELS = ["collapsed", "diverged", "unstable", "bn_mismatch", "regularized", "early_stopped", "converged",
          "still_learning", "under_trained", "underfitting", "overfitting", "leakage"]


def read_idx(name):
    """One IDX file of Debian's dataset-fashion-mnist as a uint8 array."""
    with gzip.open(os.path.join(FASHION, name), "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_mnist():
    """(train images, train labels, test images, test labels) as uint8 arrays."""
    return (read_idx("train-images-idx3-ubyte.gz"), read_idx("train-labels-idx1-ubyte.gz"),
            read_idx("t10k-images-idx3-ubyte.gz"), read_idx("t10k-labels-idx1-ubyte.gz"))


# ---------------------------------------------------------------- curve checks (label-independent numbers)

def finite(values):
    return [v for v in values if v is not None and math.isfinite(v)]


def measure(history, classes):
    """The plain numbers every check uses, from a {metric: [per-epoch values]} history."""
    loss, val_loss = history["loss"], history["val_loss"]
    acc, val_acc = history.get("accuracy", []), history.get("val_accuracy", [])
    chance_loss = math.log(classes)
    n = len(loss)
    fv = finite(val_loss)
    best = int(np.nanargmin(np.array([v if math.isfinite(v) else np.inf for v in val_loss]))) if fv else -1
    diffs = np.diff(np.array(val_acc)) if len(val_acc) > 1 else np.array([0.0])
    sign_changes = int(np.sum(np.diff(np.sign(np.diff(np.array(val_loss)))) != 0)) if n > 2 else 0
    return {
        "epochs": n,
        "ln_classes": chance_loss,
        "chance": 1.0 / classes,
        "max_loss": max([abs(v) for v in loss] + [abs(v) for v in val_loss]) if all(map(math.isfinite, loss + val_loss)) else float("inf"),
        "non_finite": not all(map(math.isfinite, loss + val_loss)),
        "best_val_epoch": best + 1,
        "val_rise": (val_loss[-1] / fv[best] - 1.0) if fv and math.isfinite(val_loss[-1]) and fv[best] > 0 else float("nan"),
        "final_acc": acc[-1] if acc else float("nan"),
        "final_val_acc": val_acc[-1] if val_acc else float("nan"),
        "best_val_acc": max(finite(val_acc)) if finite(val_acc) else float("nan"),
        "val_acc_jump": float(np.max(np.abs(diffs))) if len(diffs) else 0.0,
        "val_loss_sign_changes": sign_changes,
    }


def epochs_at_chance(history, classes, loss_tol=0.05, acc_tol=0.02):
    chance_loss, chance = math.log(classes), 1.0 / classes
    return sum(1 for l, vl, a, va in zip(history["loss"], history["val_loss"], history["accuracy"], history["val_accuracy"])
               if abs(vl - chance_loss) <= loss_tol and abs(va - chance) <= acc_tol)


def rel_change(values, over):
    """Relative change of the last value against the value `over` epochs before it (negative = falling)."""
    if len(values) <= over:
        return float("nan")
    return values[-1] / values[-1 - over] - 1.0


def check(label, history, classes, facts):
    """(passed, one-line evidence) for `label`, computed from the logged numbers only."""
    m = measure(history, classes)
    loss, val_loss = history["loss"], history["val_loss"]
    acc, val_acc = history["accuracy"], history["val_accuracy"]
    n = m["epochs"]
    if label == "collapsed":
        at = epochs_at_chance(history, classes)
        ok = at >= max(2, math.ceil(0.6 * n)) and not m["non_finite"] and max(loss + val_loss) < 100 * m["ln_classes"]
        return ok, f"{at}/{n} epochs with val_loss within ln({classes})±0.05 and val_accuracy within 1/{classes}±0.02; max loss {max(loss + val_loss):.3g}"
    if label == "diverged":
        ok = m["non_finite"] or m["max_loss"] >= 100 * m["ln_classes"]
        return ok, f"max |loss| {m['max_loss']:.3g} (≥ 100·ln({classes}) = {100 * m['ln_classes']:.0f}) or non-finite: {m['non_finite']}"
    if label == "unstable":
        swings = sum(1 for d in np.diff(val_acc) if abs(d) >= 0.05)
        ups = sum(1 for d in np.diff(val_loss) if d > 0)
        at = epochs_at_chance(history, classes)
        ok = (not m["non_finite"]) and m["max_loss"] < 100 * m["ln_classes"] and swings >= 2 and ups >= 2 and at < n / 2 and m["best_val_acc"] > 2 * m["chance"]
        return ok, f"{swings} epoch-to-epoch val_accuracy swings ≥ 0.05, val_loss rose in {ups} of {n - 1} steps, best val_accuracy {m['best_val_acc']:.3f}, {at} epochs at chance"
    if label == "bn_mismatch":
        # Inference-mode validation near chance, or ≥ 0.3 below the training accuracy of the same epoch (a gap
        # an overfitting run does not show in its first epochs), in at least half the epochs.
        low = sum(1 for a, v in zip(acc, val_acc) if v <= m["chance"] + 0.15 or v <= a - 0.3)
        ok = acc[-1] >= 0.6 and low >= math.ceil(0.5 * n) and facts.get("has_batchnorm")
        if "final_val_accuracy_batch_statistics" in facts:
            # Keras runs also measured the cause: the same model scores ≥ 0.15 higher with batch statistics.
            gain = facts["final_val_accuracy_batch_statistics"] - facts["final_val_accuracy_inference_mode"]
            ok = ok and gain >= 0.15
            low_text = f"; final model {facts['final_val_accuracy_inference_mode']:.3f} with moving vs {facts['final_val_accuracy_batch_statistics']:.3f} with batch statistics"
        else:
            low_text = ""
        return ok, (f"train accuracy reaches {max(acc):.3f}; val_accuracy ≤ chance+0.15 or ≥ 0.3 below accuracy in {low}/{n} epochs "
                    f"(val_accuracy min {min(val_acc):.3f}, last {val_acc[-1]:.3f}; val_loss max {max(val_loss):.3g}){low_text}")
    if label == "regularized":
        above = sum(1 for l, vl in zip(loss, val_loss) if l > vl)
        ok = above >= math.ceil(0.7 * n) and m["best_val_acc"] >= 0.7 and m["val_rise"] < 0.05 and (facts.get("has_dropout") or facts.get("has_augmentation") or facts.get("l2", 0) > 0)
        return ok, f"loss > val_loss in {above}/{n} epochs, best val_accuracy {m['best_val_acc']:.3f}, final val_loss {100 * m['val_rise']:.1f} % above its best"
    if label == "early_stopped":
        requested = facts.get("epochs_requested", n)
        patience = facts.get("patience", 0)
        ok = n < requested and m["best_val_epoch"] == n - patience
        return ok, f"stopped after {n} of {requested} epochs; best val_loss at epoch {m['best_val_epoch']} = {n} − patience {patience}"
    if label == "converged":
        tail_change = abs(rel_change(val_loss, 3))
        gap = acc[-1] - val_acc[-1]
        ok = m["val_rise"] <= 0.03 and tail_change <= 0.03 and abs(gap) <= 0.05 and m["best_val_acc"] >= 0.8
        return ok, f"final val_loss {100 * m['val_rise']:.1f} % above its best, changed {100 * tail_change:.1f} % over the last 3 epochs, accuracy gap {gap:+.3f}, val_accuracy {val_acc[-1]:.3f}"
    if label == "still_learning":
        tl, tv = rel_change(loss, 2), rel_change(val_loss, 2)
        falling = all(b < a for a, b in zip(loss[-3:], loss[-2:])) and all(b < a for a, b in zip(val_loss[-3:], val_loss[-2:]))
        ok = falling and tl <= -0.03 and tv <= -0.03 and val_acc[-1] >= 0.5
        return ok, f"loss and val_loss fell in each of the last 2 epochs: {falling}; by {100 * tl:.1f} % and {100 * tv:.1f} % over them; val_accuracy {val_acc[-1]:.3f}"
    if label == "under_trained":
        falling = all(b < a for a, b in zip(val_loss, val_loss[1:]))
        per_epoch = (val_loss[-1] / val_loss[0]) ** (1 / max(1, n - 1)) - 1
        ok = falling and val_loss[-1] >= 0.8 and -0.12 <= per_epoch < 0 and facts.get("learning_rate", 1) <= 1e-3
        return ok, f"val_loss fell every epoch: {falling}, {val_loss[0]:.3f} → {val_loss[-1]:.3f} ({100 * per_epoch:.1f} % per epoch), val_accuracy {val_acc[-1]:.3f}"
    if label == "underfitting":
        gap = acc[-1] - val_acc[-1]
        tail_change = abs(rel_change(val_loss, 3))
        ok = val_acc[-1] <= 0.75 and abs(gap) <= 0.04 and tail_change <= 0.04 and val_acc[-1] > 2 * m["chance"]
        return ok, f"val_accuracy {val_acc[-1]:.3f} (≤ 0.75), accuracy gap {gap:+.3f}, val_loss changed {100 * tail_change:.1f} % over the last 3 epochs"
    if label == "overfitting":
        ok = m["best_val_epoch"] <= 0.7 * n and m["val_rise"] >= 0.15 and acc[-1] - val_acc[-1] >= 0.05
        return ok, f"best val_loss at epoch {m['best_val_epoch']} of {n}, final val_loss {100 * m['val_rise']:.1f} % above it, accuracy gap {acc[-1] - val_acc[-1]:+.3f}"
    if label == "leakage":
        wide = sum(1 for a, va in zip(acc, val_acc) if va - a >= 0.1)
        ok = wide >= math.ceil(0.7 * n) and not facts.get("has_dropout") and not facts.get("has_augmentation") and facts.get("l2", 0) == 0
        return ok, f"val_accuracy ≥ accuracy + 0.10 in {wide}/{n} epochs (last: {acc[-1]:.3f} vs {val_acc[-1]:.3f}), no Dropout/augmentation/L2"
    raise ValueError(label)


def verify(label, history, classes, facts, fallbacks=()):
    """The label the run earns: `label` if its check passes, else the first fallback that passes, else None."""
    ok, evidence = check(label, history, classes, facts)
    print(f"    check {label}: {'PASS' if ok else 'FAIL'} — {evidence}", flush=True)
    if ok:
        return label, evidence, None
    for other in fallbacks:
        ok2, evidence2 = check(other, history, classes, facts)
        print(f"    check {other}: {'PASS' if ok2 else 'FAIL'} — {evidence2}", flush=True)
        if ok2:
            return other, evidence2, f"built as {label} but its check failed ({evidence}); relabelled {other}"
    return None, evidence, None


# ---------------------------------------------------------------- manifest

def load_manifest():
    if os.path.exists(MANIFEST):
        with open(MANIFEST) as handle:
            return json.load(handle)
    return []


def update_manifest(entries, drop_files=()):
    """Replaces the manifest entries for these files (and removes `drop_files`), keeping the rest; sorted by file."""
    current = {entry["file"]: entry for entry in load_manifest()}
    for name in drop_files:
        current.pop(name, None)
    for entry in entries:
        current[entry["file"]] = entry
    with open(MANIFEST, "w") as handle:
        json.dump(sorted(current.values(), key=lambda e: e["file"]), handle, indent=1, ensure_ascii=False)
        handle.write("\n")


# ---------------------------------------------------------------- held-out checks (other tasks than Fashion-MNIST)

def check_task(label, history, task, classes, facts):
    """(passed, evidence) for a held-out run: `check` for multi-class runs; binary and regression variants where
    the corpus's predicates lean on ln(classes), 1/classes or an accuracy (read from the logged numbers only)."""
    if task == "multiclass":
        return check(label, history, classes, facts)
    if task == "binary":
        return check_binary(label, history, facts)
    return check_regression(label, history, facts)


def check_binary(label, history, facts):
    """Binary: chance is 0.5 and ln(2) the chance loss, so "twice chance" (the corpus's bar for having learned)
    cannot be reached; a binary run has learned something when its accuracy is 0.1 above chance."""
    acc, val_acc = history["accuracy"], history["val_accuracy"]
    if label == "underfitting":
        gap = acc[-1] - val_acc[-1]
        tail_change = abs(rel_change(history["val_loss"], 3))
        ok = 0.6 <= val_acc[-1] <= 0.8 and abs(gap) <= 0.04 and tail_change <= 0.04
        return ok, f"val_accuracy {val_acc[-1]:.3f} (0.6–0.8 on a task a larger model solves), accuracy gap {gap:+.3f}, val_loss changed {100 * tail_change:.1f} % over the last 3 epochs"
    if label == "unstable":
        val_loss = history["val_loss"]
        swings = sum(1 for d in np.diff(val_acc) if abs(d) >= 0.05)
        ups = sum(1 for d in np.diff(val_loss) if d > 0)
        ok = all(map(math.isfinite, val_loss)) and swings >= 2 and ups >= 2 and max(val_acc) >= 0.6
        return ok, f"{swings} epoch-to-epoch val_accuracy swings ≥ 0.05, val_loss rose in {ups} of {len(val_loss) - 1} steps, best val_accuracy {max(val_acc):.3f}"
    if label == "under_trained":
        # The corpus's "still at least 0.8" is a loss still near chance; for two classes that is 0.8·ln(2).
        val_loss = history["val_loss"]
        n = len(val_loss)
        falling = all(b < a for a, b in zip(val_loss, val_loss[1:]))
        per_epoch = (val_loss[-1] / val_loss[0]) ** (1 / max(1, n - 1)) - 1
        ok = falling and val_loss[-1] >= 0.8 * math.log(2) and -0.12 <= per_epoch < 0 and facts.get("learning_rate", 1) <= 1e-3
        return ok, f"val_loss fell every epoch: {falling}, {val_loss[0]:.3f} → {val_loss[-1]:.3f} ({100 * per_epoch:.1f} % per epoch), val_accuracy {val_acc[-1]:.3f}"
    return check(label, history, 2, facts)


def check_regression(label, history, facts):
    """Regression (MSE/MAE loss, no accuracy): thresholds relative to the run's own first validation loss and,
    where a floor matters, to the target's variance (the loss of always predicting the mean, `facts["mean_baseline"]`)."""
    loss, val_loss = history["loss"], history["val_loss"]
    n = len(loss)
    non_finite = not all(map(math.isfinite, loss + val_loss))
    fv = [v for v in val_loss if math.isfinite(v)]
    best = int(np.argmin([v if math.isfinite(v) else np.inf for v in val_loss])) if fv else -1
    val_rise = val_loss[-1] / fv[best] - 1.0 if fv and math.isfinite(val_loss[-1]) and fv[best] > 0 else float("nan")
    baseline = facts["mean_baseline"]
    first = val_loss[0]
    if label == "diverged":
        biggest = max(abs(v) for v in loss + val_loss) if not non_finite else float("inf")
        ok = non_finite or biggest >= 100 * baseline
        return ok, f"max |loss| {biggest:.3g} (≥ 100 × the mean-predictor loss {baseline:.3g}) or non-finite: {non_finite}"
    if non_finite:
        return False, "a loss is not finite"
    if label == "converged":
        tail = abs(rel_change(val_loss, 3))
        ok = val_rise <= 0.03 and tail <= 0.03 and val_loss[-1] <= 0.7 * baseline and loss[-1] >= 0.5 * val_loss[-1]
        return ok, f"final val_loss {100 * val_rise:.1f} % above its best, changed {100 * tail:.1f} % over the last 3 epochs, {val_loss[-1]:.4g} vs mean-predictor {baseline:.4g}, loss/val_loss {loss[-1] / val_loss[-1]:.2f}"
    if label == "overfitting":
        ok = best + 1 <= 0.7 * n and val_rise >= 0.15 and loss[-1] <= 0.7 * val_loss[-1]
        return ok, f"best val_loss at epoch {best + 1} of {n}, final {100 * val_rise:.1f} % above it, loss {loss[-1]:.4g} vs val_loss {val_loss[-1]:.4g}"
    if label == "underfitting":
        tail = abs(rel_change(val_loss, 3))
        gap = abs(loss[-1] / val_loss[-1] - 1)
        floor = facts["noise_floor"]
        ok = tail <= 0.04 and gap <= 0.25 and val_loss[-1] >= 3 * floor and val_loss[-1] <= 0.95 * baseline
        return ok, f"val_loss {val_loss[-1]:.4g} ≥ 3 × the task's noise floor {floor:.4g} (mean-predictor {baseline:.4g}), changed {100 * tail:.1f} % over the last 3 epochs, loss within {100 * gap:.0f} % of it"
    if label == "under_trained":
        falling = all(b < a for a, b in zip(val_loss, val_loss[1:]))
        per_epoch = (val_loss[-1] / first) ** (1 / max(1, n - 1)) - 1
        ok = falling and -0.12 <= per_epoch < 0 and val_loss[-1] >= 0.5 * first and facts.get("learning_rate", 1) <= 1e-3
        return ok, f"val_loss fell every epoch: {falling}, {first:.4g} → {val_loss[-1]:.4g} ({100 * per_epoch:.1f} % per epoch)"
    if label == "still_learning":
        tl, tv = rel_change(loss, 2), rel_change(val_loss, 2)
        falling = all(b < a for a, b in zip(loss[-3:], loss[-2:])) and all(b < a for a, b in zip(val_loss[-3:], val_loss[-2:]))
        ok = falling and tl <= -0.03 and tv <= -0.03 and val_loss[-1] <= 0.8 * first
        return ok, f"loss and val_loss fell in each of the last 2 epochs: {falling}; by {100 * tl:.1f} % and {100 * tv:.1f} %; val_loss {first:.4g} → {val_loss[-1]:.4g}"
    if label == "early_stopped":
        requested = facts.get("epochs_requested", n)
        patience = facts.get("patience", 0)
        ok = n < requested and best + 1 == n - patience
        return ok, f"stopped after {n} of {requested} epochs; best val_loss at epoch {best + 1} = {n} − patience {patience}"
    if label == "regularized":
        above = sum(1 for l, vl in zip(loss, val_loss) if l > vl)
        ok = above >= math.ceil(0.7 * n) and val_rise < 0.05 and min(val_loss) <= 0.7 * baseline and (facts.get("has_dropout") or facts.get("l2", 0) > 0)
        return ok, f"loss > val_loss in {above}/{n} epochs, final val_loss {100 * val_rise:.1f} % above its best, best {min(val_loss):.4g} vs mean-predictor {baseline:.4g}"
    if label == "unstable":
        swings = sum(1 for a, b in zip(val_loss, val_loss[1:]) if abs(b / a - 1) >= 0.3)
        ups = sum(1 for a, b in zip(val_loss, val_loss[1:]) if b > a)
        ok = swings >= 3 and ups >= 2 and max(loss + val_loss) < 100 * baseline
        return ok, f"{swings} epoch-to-epoch val_loss swings ≥ 30 %, val_loss rose in {ups} of {n - 1} steps"
    raise ValueError(label)
