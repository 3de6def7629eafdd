"""Kestrel → Keras round trip (not part of `make test`): Kestrel saves several trained models (Sequential
ones; functional ones with branches, a frozen nested base and several inputs and outputs)
(swift run KerasRoundTrip DIR), then real Keras 3 loads them with load_model(..., safe_mode=True)
and its predictions are compared with Kestrel's; the weights-only file is loaded into
model_from_json(...) of Kestrel's architecture JSON.

Run: ~/.venvs/tf/bin/python scripts/keras_roundtrip.py [DIR]
"""
import json
import os
import subprocess
import sys
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="kestrel-roundtrip-")
subprocess.run(["swift", "run", "--quiet", "KerasRoundTrip", folder], cwd=root, check=True)

import keras  # noqa: E402
import numpy as np  # noqa: E402

expected = json.load(open(os.path.join(folder, "expected.json")))
functional = expected.pop("functional", {})
worst = 0.0
for name in sorted(expected):
    case = expected[name]
    x = np.array(case["x"], dtype="float32").reshape(case["shape"])
    model = keras.saving.load_model(os.path.join(folder, f"{name}.keras"), safe_mode=True)
    predictions = model.predict(x, verbose=0).reshape(-1)
    difference = float(np.max(np.abs(predictions - np.array(case["predictions"], dtype="float32"))))
    worst = max(worst, difference)
    iterations = int(model.optimizer.iterations.numpy())
    print(f"{name}.keras: {len(model.layers)} layers ({', '.join(l.__class__.__name__ for l in model.layers)}), "
          f"optimizer {model.optimizer.__class__.__name__} iterations {iterations} (Kestrel {case['iterations']}), "
          f"max |Keras - Kestrel| = {difference:.3g}")
    assert iterations == case["iterations"], name
    if "schedule_class" in case:
        # A learning-rate schedule comes back as Keras's own schedule object, at Kestrel's current rate.
        schedule = model.optimizer._learning_rate
        rate = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
        print(f"  learning_rate: {schedule.__class__.__name__} {schedule.get_config()}, rate now {rate:.6g} (Kestrel {case['learning_rate']:.6g})")
        assert schedule.__class__.__name__ == case["schedule_class"], name
        assert abs(rate - case["learning_rate"]) <= 1e-6 * max(1.0, abs(rate)), name
    # One more step from the restored optimizer state must run.
    model.fit(x, np.zeros(len(x)), epochs=1, verbose=0)

architecture = keras.models.model_from_json(open(os.path.join(folder, "mlp.json")).read())
architecture.load_weights(os.path.join(folder, "mlp.weights.h5"))
case = expected["mlp"]
x = np.array(case["x"], dtype="float32").reshape(case["shape"])
difference = float(np.max(np.abs(architecture.predict(x, verbose=0).reshape(-1) - np.array(case["predictions"], dtype="float32"))))
worst = max(worst, difference)
print(f"mlp.json + mlp.weights.h5: max |Keras - Kestrel| = {difference:.3g}")

# Functional models: branches, a frozen nested base with a nested Sequential, two inputs and two outputs.
for name in sorted(functional):
    case = functional[name]
    inputs = [np.array(t["values"], dtype="float32").reshape(t["shape"]) for t in case["inputs"]]
    model = keras.saving.load_model(os.path.join(folder, f"{name}.keras"), safe_mode=True)
    outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    difference = max(float(np.max(np.abs(np.asarray(o).reshape(-1) - np.array(e, dtype="float32")))) for o, e in zip(outputs, case["outputs"]))
    worst = max(worst, difference)
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    frozen = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
    nested = [l.name + (" (frozen)" if not l.trainable else "") for l in model.layers if isinstance(l, keras.Model)]
    iterations = int(model.optimizer.iterations.numpy())
    print(f"{name}.keras: {model.__class__.__name__}, {len(model.inputs)} inputs, {len(model.outputs)} outputs, "
          f"nested {nested or 'none'}, trainable {trainable} / non-trainable {frozen} (Kestrel {case['trainable']} / {case['non_trainable']}), "
          f"loss {model.loss}, optimizer {model.optimizer.__class__.__name__} iterations {iterations}, max |Keras - Kestrel| = {difference:.3g}")
    assert (trainable, frozen, iterations) == (case["trainable"], case["non_trainable"], case["iterations"]), name
    with zipfile.ZipFile(os.path.join(folder, f"{name}.keras")) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    if "class_indices" in metadata:
        print(f"  {name}.keras metadata.json class_indices {metadata['class_indices']} (Keras loaded it regardless)")
print(f"keras {keras.__version__}: worst difference {worst:.3g}", "OK" if worst <= 1e-5 else "FAILED")
sys.exit(0 if worst <= 1e-5 else 1)
