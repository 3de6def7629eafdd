#!/usr/bin/env bash
# Kestrel, Keras 3 (TensorFlow) and PyTorch on the tiny-steps loop (see tiny_steps_keras.py), in
# alternated rounds so that each round's three numbers share the same minute of a busy machine; prints
# each round's ms/epoch and the ratios Keras/Kestrel and PyTorch/Kestrel.
# Usage (from the repository root, after `swift build -c release --product Benchmarks`):
#   scripts/bench/tiny_steps_rounds.sh [ROUNDS=3] [EPOCHS=200] [MODEL=tiny]
#   PIN="taskset -c 0" scripts/bench/tiny_steps_rounds.sh     # every process on one core
set -euo pipefail
rounds=${1:-3}; epochs=${2:-200}; model=${3:-tiny}
root=$(cd "$(dirname "$0")/../.." && pwd)
bench="$root/.build/release/Benchmarks"
pin=${PIN:-}
number() { grep -o '[0-9.]* ms/epoch' | head -1 | cut -d' ' -f1; }
for round in $(seq 1 "$rounds"); do
    kestrel=$(KESTREL_TINY_ONLY_LOOP=1 KESTREL_TINY_EPOCHS=$epochs KESTREL_TINY_MODELS=$model $pin "$bench" tiny-steps | number)
    keras=$(cd "$root/scripts/bench" && $pin ~/.venvs/tf/bin/python tiny_steps_keras.py "$epochs" "$model" 2>/dev/null | number)
    torch=$(cd "$root/scripts/bench" && $pin ~/.venvs/torch/bin/python tiny_steps_torch.py "$epochs" "$model" | number)
    awk -v r="$round" -v k="$kestrel" -v t="$keras" -v p="$torch" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
        printf "round %d (load %s): kestrel %.2f, keras %.2f, torch %.2f ms/epoch; keras/kestrel %.1fx, torch/kestrel %.1fx\n", r, l, k, t, p, t / k, p / k }'
done
