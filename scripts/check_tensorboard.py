# Reads the event files Kestrel's TensorBoard callback wrote with TensorBoard's own reader
# (tensorboard.backend.event_processing.event_accumulator) and checks them against the run's History.
# Not part of `make test` (it needs Python with tensorboard). Usage, with the tensorflow-cpu venv:
#   .build/debug/kestrel fit --model "flatten, dense 32 relu, dense 10 softmax" --limit 2000 --epochs 3 \
#       --output /tmp/tb-run --tensorboard /tmp/tb-logs --verbose 2
#   ~/.venvs/tf/bin/python scripts/check_tensorboard.py /tmp/tb-logs /tmp/tb-run/history.json
# Prints each run's tags with their number of points, steps and values; exits 1 if an epoch_* scalar
# differs from the History (beyond float32 rounding) or a tag Keras writes is missing.
import json, math, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util

log_dir, history_path = sys.argv[1], sys.argv[2]
history = json.load(open(history_path))["history"]
problems = []
for run, prefix in [("train", ""), ("validation", "val_")]:
    accumulator = event_accumulator.EventAccumulator(os.path.join(log_dir, run), size_guidance={"tensors": 0})
    accumulator.Reload()
    tags = sorted(accumulator.Tags()["tensors"])
    print(f"[{run}]")
    for tag in tags:
        events = accumulator.Tensors(tag)
        arrays = [tensor_util.make_ndarray(event.tensor_proto) for event in events]
        steps = [event.step for event in events]
        if arrays and arrays[0].ndim == 0:
            values = [float(a) for a in arrays]
            print(f"  {tag}: {len(events)} points, steps {steps}, values {[round(v, 6) for v in values]}")
        else:
            counts = [int(a[:, 2].sum()) for a in arrays]
            print(f"  {tag}: {len(events)} histograms, steps {steps}, {arrays[0].shape[0]} buckets, values counted {counts}")
            continue
        if tag.startswith("epoch_") and tag != "epoch_learning_rate":
            key = prefix + tag[len("epoch_"):]
            expected = history.get(key)
            if expected is None:
                problems.append(f"{run}/{tag}: no '{key}' in the History")
            elif len(expected) != len(values) or any(not math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-7) for a, b in zip(expected, values)):
                problems.append(f"{run}/{tag}: {values} differs from History '{key}' {expected}")
            else:
                print(f"    = History '{key}' ({len(expected)} epochs)")
    for key in history:
        if key.startswith("val_") == (run == "validation") and f"epoch_{key[len(prefix):]}" not in tags:
            problems.append(f"{run}: History key '{key}' has no epoch_ tag")
print("OK: every epoch_ scalar equals the History" if not problems else "\n".join(["MISMATCH:"] + problems))
sys.exit(1 if problems else 0)
