"""Real Keras 3 runs for the sibling-aware underfitting rule: two small studies of several models on the same data.

    nice ~/.venvs/tf/bin/python scripts/corpus/build_sibling_runs.py

A fixed accuracy bar cannot tell a model that is too small from a task whose labels are noisy. These studies
have one of each, with their Bayes accuracy known from the generator:

- noisy-linear: the label is Bernoulli(sigmoid(z)) with z linear in 10 Gaussian features (Bayes accuracy ~0.72,
  like HIGGS). Logistic regression is the Bayes-optimal model; an L2-regularised MLP reaches the same level; a
  large unregularised MLP overfits. Nothing here is underfitting, though every accuracy is below 0.75.
- interaction: z = x0 + 4·x1·x2 (Bayes accuracy ~0.8). Logistic regression cannot draw the interaction and
  levels off far below the MLPs: it underfits; the MLPs do not.

Each run: 4000 training rows, 2000 validation rows (same for every model of a study), Adam, batch 128,
metrics accuracy and binary_crossentropy (the monitor, as in the TensorFlow overfit/underfit tutorial, so an L2
penalty in val_loss does not count against the regularised model). Writes CSVLogger files to
Tests/Fixtures/diagnosis-siblings/<study>/<model>.csv and manifest.json (label of each run with its siblings).
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "diagnosis-siblings")
FEATURES = 10


def data(study, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((6000, FEATURES)).astype("float32")
    if study == "noisy-linear":
        w = rng.standard_normal(FEATURES)
        z = 1.3 * (x @ w) / np.linalg.norm(w)
    else:
        z = x[:, 0] + 4.0 * x[:, 1] * x[:, 2]
    p = 1 / (1 + np.exp(-z))
    y = (rng.random(6000) < p).astype("float32")[:, None]
    bayes = float(np.mean(np.where(p > 0.5, p, 1 - p)))
    return x[:4000], y[:4000], x[4000:], y[4000:], bayes


def model(spec):
    layers = [keras.Input((FEATURES,))]
    for units, l2 in spec:
        layers.append(keras.layers.Dense(units, activation="relu",
                                         kernel_regularizer=keras.regularizers.l2(l2) if l2 else None))
    layers.append(keras.layers.Dense(1, activation="sigmoid"))
    return keras.Sequential(layers)


STUDIES = {
    "noisy-linear": [
        ("linear", [], 0.01, 25, "healthy", "logistic regression, the Bayes-optimal model of this generator"),
        ("mlp-l2", [(64, 1e-3), (64, 1e-3)], 0.003, 25, "healthy", "MLP 64-64 with l2(0.001): as good as the Bayes-optimal model"),
        ("large", [(256, 0), (256, 0), (256, 0)], 0.001, 25, "overfitting", "MLP 256x3 unregularised: memorises the noise"),
    ],
    "interaction": [
        ("linear", [], 0.01, 25, "underfitting", "logistic regression: cannot draw x1*x2"),
        ("mlp", [(64, 0), (64, 0)], 0.003, 25, "any", "MLP 64-64: draws the interaction"),
        ("mlp-l2", [(64, 1e-3), (64, 1e-3)], 0.003, 25, "healthy", "MLP 64-64 with l2(0.001)"),
    ],
}

manifest = []
for study, runs in STUDIES.items():
    x, y, xv, yv, bayes = data(study, 7)
    os.makedirs(os.path.join(OUT, study), exist_ok=True)
    for index, (name, spec, lr, epochs, label, why) in enumerate(runs):
        keras.utils.set_random_seed(100 + index)
        net = model(spec)
        net.compile(optimizer=keras.optimizers.Adam(lr), loss="binary_crossentropy",
                    metrics=["accuracy", "binary_crossentropy"])
        path = os.path.join(OUT, study, name + ".csv")
        net.fit(x, y, batch_size=128, epochs=epochs, validation_data=(xv, yv), verbose=0,
                callbacks=[keras.callbacks.CSVLogger(path)])
        # Fewer digits keep the files small; the analysis needs no more than 5 significant ones.
        with open(path) as handle:
            rows = [line.rstrip("\n").split(",") for line in handle]
        with open(path, "w") as handle:
            handle.write(",".join(rows[0]) + "\n")
            for row in rows[1:]:
                handle.write(",".join([row[0]] + [f"{float(v):.5g}" for v in row[1:]]) + "\n")
        last = rows[-1]
        header = rows[0]
        summary = {key: float(last[header.index(key)]) for key in ("accuracy", "val_accuracy", "binary_crossentropy", "val_binary_crossentropy")}
        manifest.append({"study": study, "file": f"{study}/{name}.csv", "label": label, "parameters": int(net.count_params()),
                         "built": f"{why}; Adam lr {lr}, batch 128, {epochs} epochs, seed {100 + index}; Bayes accuracy {bayes:.3f}; "
                                  f"last epoch {', '.join(f'{k} {v:.3f}' for k, v in summary.items())}; Keras {keras.__version__}"})
        print(study, name, label, summary, "bayes", round(bayes, 3))

with open(os.path.join(OUT, "manifest.json"), "w") as handle:
    json.dump(manifest, handle, indent=1)
