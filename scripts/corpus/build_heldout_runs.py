"""A held-out set for the diagnosis: real Keras 3 runs on other tasks than the corpus's Fashion-MNIST.

    nice ~/.venvs/tf/bin/python scripts/corpus/build_heldout_runs.py [NAME_PREFIX ...]

The corpus (build_keras_runs.py) is all ten-class Fashion-MNIST with softmax + crossentropy + accuracy. These
runs cover what it lacks: binary tasks (sigmoid + binary_crossentropy, accuracy and AUC; from_logits=True),
regression (MSE or MAE loss, metric mae, targets on their own scale, as in Keras's basic regression tutorial),
tiny datasets (iris, wine: 100-120 training samples, 50-60 validation samples, so accuracy moves in steps of
1/50), scikit-learn's 8x8 digits, ReduceLROnPlateau / LearningRateScheduler runs (a `learning_rate` column),
and Keras History JSON as users dump it (`json.dump(history.history, f)`). Data: scikit-learn's bundled
datasets (no network) and seeded numpy tasks. One TF thread, seeded.

Each run is labelled by construction and must pass `corpus_common.check_task` (a predicate on its logged
numbers, never Kestrel's verdict), else it takes a listed fallback label whose check passes, or is left out.
Writes Tests/Fixtures/diagnosis-heldout/<name>.csv|.json and an entry per run under entries/ (not committed);
`--merge` folds the entries into manifest.json. Parallel: `--worker K/N` builds every N-th case.
"""
import json
import math
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras
from sklearn import datasets as skdata

from corpus_common import ROOT, check_task

OUT = os.path.join(ROOT, "Tests", "Fixtures", "diagnosis-heldout")
MANIFEST = os.path.join(OUT, "manifest.json")


# ---------------------------------------------------------------- data

def standardise(train, val):
    mean, std = train.mean(axis=0), train.std(axis=0) + 1e-8
    return ((train - mean) / std).astype("float32"), ((val - mean) / std).astype("float32")


def split(x, y, n_train, n_val, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    return x[order[:n_train]], y[order[:n_train]], x[order[n_train:n_train + n_val]], y[order[n_train:n_train + n_val]]


def synthetic_regression(n, seed, scale, linear=0.0):
    """y = scale·(sin(2·x0)·1.5 + x1² − x2·x3 + linear·(x4 + x5)) + noise(σ = 0.3·scale): a linear model
    cannot fit it (with `linear` > 0 it fits the linear part only)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, 6)).astype("float32")
    y = scale * (1.5 * np.sin(2 * x[:, 0]) + x[:, 1] ** 2 - x[:, 2] * x[:, 3] + linear * (x[:, 4] + x[:, 5]) + rng.normal(0, 0.3, n))
    return x, y.astype("float32"), (0.3 * scale) ** 2


def synthetic_binary(n, seed, flip):
    """Label = [x0 + x1² − 1 + 0.8·x2·x3 > 0] on 10 standard-normal features, `flip` of the labels swapped."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 10)).astype("float32")
    y = (x[:, 0] + x[:, 1] ** 2 - 1 + 0.8 * x[:, 2] * x[:, 3] > 0).astype("float32")
    swap = rng.random(n) < flip
    y[swap] = 1 - y[swap]
    return x, y


def load(name, n_train, n_val, seed, raw=False):
    """(x_train, y_train, x_val, y_val, task, classes, facts)."""
    facts = {}
    if name == "digits":
        data = skdata.load_digits()
        xt, yt, xv, yv = split(data.data.astype("float32") / 16.0, data.target, n_train, n_val, seed)
        return xt, yt, xv, yv, "multiclass", 10, facts
    if name in ("iris", "wine"):
        data = skdata.load_iris() if name == "iris" else skdata.load_wine()
        xt, yt, xv, yv = split(data.data.astype("float32"), data.target, n_train, n_val, seed)
        xt, xv = standardise(xt, xv)
        return xt, yt, xv, yv, "multiclass", 3, facts
    if name == "cancer":
        data = skdata.load_breast_cancer()
        xt, yt, xv, yv = split(data.data.astype("float32"), data.target.astype("float32"), n_train, n_val, seed)
        if not raw:
            xt, xv = standardise(xt, xv)
        return xt, yt, xv, yv, "binary", 2, facts
    if name.startswith("synbin"):
        x, y = synthetic_binary(n_train + n_val, seed, flip=0.1)
        return x[:n_train], y[:n_train], x[n_train:], y[n_train:], "binary", 2, facts
    if name == "diabetes":
        data = skdata.load_diabetes()
        xt, yt, xv, yv = split(data.data.astype("float32"), data.target.astype("float32"), n_train, n_val, seed)
        xt, xv = standardise(xt, xv)
        facts["noise_floor"] = 2800.0  # about a linear model's validation MSE on this task
    elif name.startswith("synreg"):
        scale = 100.0 if name.endswith("100") else 1.0
        x, y, floor = synthetic_regression(n_train + n_val, seed, scale, linear=1.0 if "lin" in name else 0.0)
        xt, yt, xv, yv = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
        facts["noise_floor"] = float(floor)
    else:
        raise ValueError(name)
    return xt, yt, xv, yv, "regression", 0, facts


# ---------------------------------------------------------------- cases

def case(name, label, data, layers, optimizer, lr, batch, epochs, n_train, n_val, seed, fmt="csv", loss=None,
         patience=None, reduce_lr=False, schedule=None, from_logits=False, raw=False, fallbacks=(), why="", val_freq=1):
    return dict(val_freq=val_freq, name=name, label=label, data=data, layers=layers, optimizer=optimizer, lr=lr, batch=batch,
                epochs=epochs, n_train=n_train, n_val=n_val, seed=seed, fmt=fmt, loss=loss, patience=patience,
                reduce_lr=reduce_lr, schedule=schedule, from_logits=from_logits, raw=raw, fallbacks=fallbacks, why=why)


CASES = [
    # ---- binary: breast cancer (30 features, standardised), a synthetic task with a curved boundary
    case("bin-cancer-converged-logreg", "converged", "cancer", [], "adam", 0.003, 32, 25, 400, 169, 101, fallbacks=("still_learning", "overfitting"), why="logistic regression"),
    case("bin-cancer-converged-mlp-json", "converged", "cancer", ["dense 16 relu"], "adam", 0.001, 32, 25, 400, 169, 102, fmt="json", fallbacks=("still_learning", "overfitting"), why="small MLP, History JSON"),
    case("bin-cancer-logits-converged", "converged", "cancer", [], "sgd", 0.05, 32, 40, 400, 169, 103, from_logits=True, fallbacks=("still_learning",), why="linear output, BinaryCrossentropy(from_logits=True)"),
    case("bin-cancer-under-trained-sgd", "under_trained", "cancer", [], "sgd", 1e-4, 32, 15, 400, 169, 104, why="SGD lr 1e-4"),
    case("bin-cancer-still-learning", "still_learning", "cancer", ["dense 32 relu"], "sgd", 0.003, 32, 8, 400, 169, 105, fallbacks=("under_trained",), why="SGD lr 0.003, cut at 8 epochs"),
    case("bin-cancer-diverged-raw", "diverged", "cancer", [], "sgd", 1.0, 32, 10, 400, 169, 106, from_logits=True, raw=True, fallbacks=("unstable",), why="unscaled features (up to 4000), SGD lr 1, from_logits"),
    case("bin-cancer-regularized-dropout", "regularized", "cancer", ["dropout 0.5", "dense 64 relu", "dropout 0.6"], "adam", 0.001, 32, 40, 400, 169, 107, fallbacks=(), why="input Dropout 0.5 + Dropout 0.6"),
    case("bin-syn-overfitting", "overfitting", "synbin", ["dense 256 relu", "dense 256 relu"], "adam", 0.003, 16, 40, 150, 500, 108, why="150 noisy samples, 2x256 MLP, 60 epochs"),
    case("bin-syn-overfitting-json", "overfitting", "synbin", ["dense 512 relu"], "adam", 0.005, 16, 50, 120, 500, 109, fmt="json", why="120 noisy samples, 512 units, History JSON"),
    case("bin-syn-underfitting-logreg", "underfitting", "synbin", [], "adam", 0.02, 32, 40, 2000, 800, 110, why="logistic regression on a curved boundary"),
    case("bin-syn-early-stopped", "early_stopped", "synbin", ["dense 256 relu", "dense 256 relu"], "adam", 0.003, 16, 100, 150, 500, 111, patience=4, why="overfitting setup, EarlyStopping patience 4"),
    case("bin-syn-unstable-adam", "unstable", "synbin", ["dense 64 relu"], "adam", 1.0, 32, 25, 2000, 500, 112, fallbacks=("collapsed",), why="Adam lr 0.3"),
    case("bin-syn-converged-reduce-lr", "converged", "synbin", ["dense 32 relu"], "adam", 0.01, 32, 60, 3000, 800, 113, reduce_lr=True, fallbacks=("still_learning", "overfitting"), why="MLP, ReduceLROnPlateau(factor 0.3, patience 2)"),
    # ---- regression: diabetes (raw targets 25-346: MSE in the thousands), synthetic (y on scale 1 or 100)
    case("reg-diabetes-converged-linear", "converged", "diabetes", [], "adam", 0.5, 64, 60, 342, 100, 201, loss="mse", fallbacks=("still_learning",), why="linear regression, raw targets, MSE"),
    case("reg-diabetes-converged-mae-json", "converged", "diabetes", ["dense 16 relu"], "adam", 0.1, 64, 60, 342, 100, 202, loss="mae", fmt="json", fallbacks=("still_learning", "overfitting"), why="small MLP, MAE loss, History JSON"),
    case("reg-diabetes-still-learning", "still_learning", "diabetes", ["dense 64 relu"], "adam", 0.01, 32, 30, 342, 100, 203, loss="mse", fallbacks=("under_trained",), why="MLP, Adam 0.01 (targets ~150: a long way to go), cut at 30 epochs"),
    case("reg-diabetes-under-trained", "under_trained", "diabetes", ["dense 64 relu"], "sgd", 1e-6, 32, 15, 342, 100, 204, loss="mse", why="SGD lr 1e-6"),
    case("reg-diabetes-diverged-sgd", "diverged", "diabetes", ["dense 64 relu"], "sgd", 0.05, 32, 10, 342, 100, 205, loss="mse", fallbacks=("unstable",), why="SGD lr 0.05 on MSE with targets ~150"),
    case("reg-diabetes-overfitting", "overfitting", "diabetes", ["dense 512 relu", "dense 512 relu"], "adam", 0.01, 16, 80, 120, 200, 206, loss="mse", why="120 samples, 2x512 MLP, 150 epochs"),
    case("reg-diabetes-early-stopped", "early_stopped", "diabetes", ["dense 512 relu", "dense 512 relu"], "adam", 0.01, 16, 120, 120, 200, 207, loss="mse", patience=5, why="overfitting setup, EarlyStopping patience 5"),
    case("reg-syn-converged-mlp", "converged", "synreg", ["dense 64 relu", "dense 64 relu"], "adam", 0.003, 64, 50, 3000, 1000, 208, loss="mse", fallbacks=("still_learning",), why="MLP on enough data"),
    case("reg-syn100-converged-schedule", "converged", "synreg100", ["dense 64 relu", "dense 64 relu"], "adam", 0.003, 64, 50, 3000, 1000, 209, loss="mse", schedule="step", fallbacks=("still_learning",), why="y on scale 100 (MSE ~1e3-1e4), LearningRateScheduler halving every 12 epochs"),
    case("reg-syn-underfitting-linear", "underfitting", "synreglin", [], "adam", 0.05, 32, 40, 3000, 1000, 210, loss="mse", why="linear model on a target with a non-linear part"),
    case("reg-syn100-underfitting-linear-mae", "underfitting", "synreglin100", [], "adam", 1.0, 32, 50, 3000, 1000, 211, loss="mae", why="linear model, targets on scale 100, MAE loss"),
    case("reg-syn-overfitting", "overfitting", "synreg", ["dense 256 relu", "dense 256 relu"], "adam", 0.003, 8, 80, 80, 500, 212, loss="mse", why="80 samples, 2x256 MLP, 120 epochs"),
    case("reg-syn100-overfitting-json", "overfitting", "synreg100", ["dense 256 relu", "dense 256 relu"], "adam", 0.003, 8, 80, 80, 500, 213, loss="mse", fmt="json", why="80 samples, targets on scale 100, History JSON"),
    case("reg-syn-regularized-dropout", "regularized", "synreg", ["dense 256 relu", "dropout 0.5", "dense 256 relu", "dropout 0.5"], "adam", 0.001, 32, 40, 3000, 1000, 214, loss="mse", why="Dropout 0.5 twice"),
    case("reg-syn-unstable-adam", "unstable", "synreg", ["dense 64 relu", "dense 64 relu"], "adam", 0.2, 32, 25, 3000, 1000, 215, loss="mse", fallbacks=("diverged",), why="Adam lr 0.2"),
    case("reg-syn-still-learning-sgd", "still_learning", "synreg", ["dense 64 relu", "dense 64 relu"], "sgd", 0.002, 32, 12, 3000, 1000, 216, loss="mse", fallbacks=("under_trained",), why="SGD lr 0.002, cut at 12 epochs"),
    # ---- multi-class off Fashion-MNIST: 8x8 digits; tiny iris and wine (validation accuracy in steps of 1/50-1/60)
    case("digits-converged-logreg", "converged", "digits", [], "adam", 0.01, 32, 40, 1200, 500, 301, fallbacks=("still_learning",), why="logistic regression"),
    case("digits-overfitting-mlp", "overfitting", "digits", ["dense 512 relu", "dense 512 relu"], "adam", 0.002, 16, 40, 150, 500, 302, why="150 images, 2x512 MLP, 60 epochs"),
    case("digits-under-trained-sgd", "under_trained", "digits", [], "sgd", 1e-4, 32, 12, 1200, 500, 303, why="SGD lr 1e-4"),
    case("digits-still-learning-sgd", "still_learning", "digits", ["dense 64 relu"], "sgd", 0.01, 32, 8, 1200, 500, 304, fallbacks=("under_trained",), why="SGD lr 0.01, cut at 8 epochs"),
    case("digits-collapsed-sgd", "collapsed", "digits", ["dense 128 relu"], "sgd", 20.0, 32, 10, 1200, 500, 305, fallbacks=("diverged",), why="SGD lr 20"),
    case("digits-unstable-adam", "unstable", "digits", ["dense 128 relu"], "adam", 0.1, 32, 15, 1200, 500, 306, fallbacks=("collapsed",), why="Adam lr 0.1"),
    case("digits-early-stopped-json", "early_stopped", "digits", ["dense 512 relu", "dense 512 relu"], "adam", 0.002, 16, 100, 150, 500, 307, patience=3, fmt="json", why="overfitting setup, EarlyStopping patience 3, History JSON"),
    case("digits-logits-reduce-lr", "converged", "digits", ["dense 64 relu"], "adam", 0.01, 32, 40, 1200, 500, 308, from_logits=True, reduce_lr=True, fallbacks=("still_learning", "overfitting"), why="from_logits=True, ReduceLROnPlateau"),
    case("digits-regularized-dropout", "regularized", "digits", ["dropout 0.3", "dense 256 relu", "dropout 0.6"], "adam", 0.001, 32, 30, 1200, 500, 309, why="input Dropout 0.3 + Dropout 0.6"),
    case("iris-converged-logreg", "converged", "iris", [], "adam", 0.05, 16, 50, 100, 50, 401, fallbacks=("still_learning",), why="logistic regression, 100 samples"),
    case("iris-under-trained", "under_trained", "iris", ["dense 16 relu"], "sgd", 1e-3, 16, 15, 100, 50, 402, why="SGD lr 1e-3"),
    case("iris-still-learning-json", "still_learning", "iris", ["dense 16 relu"], "sgd", 0.02, 16, 15, 100, 50, 403, fmt="json", fallbacks=("under_trained",), why="SGD lr 0.02, cut at 15 epochs, History JSON"),
    case("wine-converged-mlp", "converged", "wine", ["dense 16 relu"], "adam", 0.01, 16, 50, 118, 60, 404, fallbacks=("still_learning", "overfitting"), why="small MLP, 118 samples"),
    case("wine-overfitting-mlp", "overfitting", "wine", ["dense 512 relu", "dense 512 relu"], "adam", 0.003, 8, 60, 40, 60, 405, why="40 samples, 2x512 MLP, 100 epochs"),
    # validation_freq > 1: CSVLogger writes NA where validation did not run; History JSON has shorter val_ lists.
    case("digits-valfreq2-converged-json", "converged", "digits", [], "adam", 0.01, 32, 30, 1200, 500, 310, fmt="json", val_freq=2, fallbacks=("still_learning", "overfitting"), why="logistic regression, validation_freq=2, History JSON"),
    case("reg-syn-valfreq3-still-learning", "still_learning", "synreg", ["dense 64 relu", "dense 64 relu"], "sgd", 0.002, 32, 15, 3000, 1000, 311, loss="mse", val_freq=3, fallbacks=("under_trained",), why="SGD lr 0.002, validation_freq=3, cut at 15 epochs"),
    case("wine-early-stopped", "early_stopped", "wine", ["dense 512 relu", "dense 512 relu"], "adam", 0.003, 8, 200, 40, 60, 406, patience=3, why="overfitting setup, EarlyStopping patience 3"),
]


def build_model(c, inputs, task, classes, seed):
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(inputs,))]
    facts = {"has_dropout": False, "has_augmentation": False, "l2": 0.0, "has_batchnorm": False}
    for part in c["layers"]:
        kind, *args = part.split()
        if kind == "dense":
            layers.append(keras.layers.Dense(int(args[0]), activation=args[1]))
        elif kind == "dropout":
            layers.append(keras.layers.Dropout(float(args[0])))
            facts["has_dropout"] = True
    if task == "regression":
        layers.append(keras.layers.Dense(1))
    elif task == "binary":
        layers.append(keras.layers.Dense(1, activation=None if c["from_logits"] else "sigmoid"))
    else:
        layers.append(keras.layers.Dense(classes, activation=None if c["from_logits"] else "softmax"))
    return keras.Sequential(layers), facts


def compile_args(c, task):
    if task == "regression":
        return {"loss": c["loss"], "metrics": ["mae"] if c["loss"] == "mse" else ["mse"]}
    if task == "binary":
        auc = keras.metrics.AUC(name="auc", from_logits=c["from_logits"])
        accuracy = keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0 if c["from_logits"] else 0.5)
        return {"loss": keras.losses.BinaryCrossentropy(from_logits=c["from_logits"]), "metrics": [accuracy, auc]}
    return {"loss": keras.losses.SparseCategoricalCrossentropy(from_logits=c["from_logits"]), "metrics": ["accuracy"]}


def run_case(c):
    xt, yt, xv, yv, task, classes, data_facts = load(c["data"], c["n_train"], c["n_val"], c["seed"], c["raw"])
    model, facts = build_model(c, xt.shape[1], task, classes, c["seed"])
    optimizer = {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam}[c["optimizer"]](learning_rate=c["lr"])
    model.compile(optimizer=optimizer, **compile_args(c, task))
    path = os.path.join(OUT, f"{c['name']}.{c['fmt']}")
    callbacks = []
    if c["reduce_lr"]:
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=2))
    if c["schedule"] == "step":
        callbacks.append(keras.callbacks.LearningRateScheduler(lambda epoch, lr: c["lr"] * 0.5 ** (epoch // 12)))
    if c["patience"] is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=c["patience"], restore_best_weights=True))
    if c["fmt"] == "csv":
        callbacks.append(keras.callbacks.CSVLogger(path))
    history = model.fit(xt, yt, validation_data=(xv, yv), epochs=c["epochs"], batch_size=c["batch"], shuffle=True,
                        verbose=0, callbacks=callbacks, validation_freq=c["val_freq"])
    logged = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    if c["val_freq"] > 1:
        # The checks read the epochs that were validated (Keras validates after epochs k, 2k, ...).
        validated = [e for e in range(len(logged["loss"])) if (e + 1) % c["val_freq"] == 0]
        logged = {k: (vs if k.startswith("val_") else [vs[e] for e in validated]) for k, vs in logged.items()}
    if c["fmt"] == "json":
        with open(path, "w") as handle:
            json.dump(history.history, handle)  # what users write: a dict of per-epoch lists, no epochs
    if task == "regression":
        # The loss of always predicting the training mean, measured on the validation set with the run's loss.
        residual = yv - yt.mean()
        facts["mean_baseline"] = float(np.mean(residual ** 2) if c["loss"] == "mse" else np.mean(np.abs(residual)))
        if c["loss"] == "mae":
            data_facts["noise_floor"] = math.sqrt(data_facts["noise_floor"]) * math.sqrt(2 / math.pi)
    facts.update(data_facts)
    facts.update({"task": task, "classes": classes, "train_size": c["n_train"], "validation_size": c["n_val"],
                  "epochs_requested": c["epochs"], "optimizer": c["optimizer"], "learning_rate": c["lr"],
                  "batch_size": c["batch"], "steps_per_epoch": math.ceil(c["n_train"] / c["batch"]),
                  "early_stopping_patience": c["patience"], "from_logits": c["from_logits"],
                  "reduce_lr_on_plateau": c["reduce_lr"], "validation_freq": c["val_freq"], "lr_schedule": c["schedule"], "loss": c["loss"] or "crossentropy",
                  "format": "Keras CSVLogger" if c["fmt"] == "csv" else "json.dump(history.history)"})
    if c["patience"] is not None:
        facts["patience"] = c["patience"]
    return path, logged, task, classes, facts


def merge():
    """Writes manifest.json from the per-run entries under OUT/entries/ (workers run in parallel)."""
    folder = os.path.join(OUT, "entries")
    current = {e["file"]: e for e in (json.load(open(MANIFEST)) if os.path.exists(MANIFEST) else [])}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json"):
            entry = json.load(open(os.path.join(folder, name)))
            current[entry["file"]] = entry
    entries = [e for e in current.values() if os.path.exists(os.path.join(OUT, e["file"]))]
    with open(MANIFEST, "w") as handle:
        json.dump(sorted(entries, key=lambda e: e["file"]), handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def main():
    """`build_heldout_runs.py [--worker K/N] [NAME_PREFIX ...]`, then `build_heldout_runs.py --merge`."""
    args = sys.argv[1:]
    if args == ["--merge"]:
        return merge()
    worker, workers = 0, 1
    if args and args[0] == "--worker":
        worker, workers = (int(v) for v in args[1].split("/"))
        args = args[2:]
    only = args
    os.makedirs(os.path.join(OUT, "entries"), exist_ok=True)
    manifest = {}
    for index, c in enumerate(CASES):
        if index % workers != worker:
            continue
        if only and not any(c["name"].startswith(p) for p in only):
            continue
        start = time.time()
        print(f"{c['name']} ({c['label']})", flush=True)
        path, history, task, classes, facts = run_case(c)
        label, evidence, note = None, None, None
        for candidate in (c["label"],) + tuple(c["fallbacks"]):
            ok, text = check_task(candidate, history, task, classes, facts)
            print(f"    check {candidate}: {'PASS' if ok else 'FAIL'} — {text}", flush=True)
            if evidence is None:
                evidence = text
            if ok:
                label = candidate
                if candidate != c["label"]:
                    note = f"built as {c['label']} but its check failed ({evidence}); relabelled {candidate}"
                evidence = text
                break
        name = os.path.basename(path)
        if label is None:
            print(f"    LEFT OUT ({time.time() - start:.0f} s)", flush=True)
            os.remove(path)
            manifest.pop(name, None)
            continue
        built = (f"{c['data']} {c['n_train']} train / {c['n_val']} validation ({task}); layers {c['layers'] or 'none (linear)'}; "
                 f"{c['optimizer']} lr {c['lr']}; batch {c['batch']}; {c['epochs']} epochs; seed {c['seed']}; Keras {keras.__version__}, "
                 f"{facts['format']}. Built as {c['label']}: {c['why']}. Check: {evidence}" + (f" ({note})" if note else ""))
        manifest[name] = {"file": name, "source": "keras", "task": task, "label": label, "built": built, "facts": facts}
        print(f"    -> {label} ({time.time() - start:.0f} s)", flush=True)
        with open(os.path.join(OUT, "entries", name + ".json"), "w") as handle:
            json.dump(manifest[name], handle, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
