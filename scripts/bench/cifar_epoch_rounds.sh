#!/usr/bin/env bash
# Kestrel (`Benchmarks cifar-epoch`), PyTorch (cifar_epoch_torch.py) and Keras 3 (cifar_epoch_keras.py) on
# one epoch of the CIFAR-10 CNN workload, in alternated rounds so that each round's three numbers share
# the same minutes of a busy machine; prints each round's epoch seconds, training samples/s and peak RSS
# with the load average before each run.
# Usage (from the repository root, after `swift build -c release --traits MPI --product Benchmarks`):
#   scripts/bench/cifar_epoch_rounds.sh [ROUNDS=3] [TRAIN=50000] [VAL=10000] [STEPS]
#   BENCH=/path/to/Benchmarks scripts/bench/cifar_epoch_rounds.sh   # another build of Kestrel
set -euo pipefail
rounds=${1:-3}; train=${2:-50000}; val=${3:-10000}; steps=${4:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=${BENCH:-$root/.build/release/Benchmarks}
pin=${PIN:-}
line() { grep '^cifar-epoch ' | head -1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
for round in $(seq 1 "$rounds"); do
    l=$(load); k=$(KESTREL_CIFAR_TRAIN=$train KESTREL_CIFAR_VAL=$val ${steps:+KESTREL_CIFAR_STEPS=$steps} $pin "$bench" cifar-epoch | line)
    echo "round $round (load $l): $k"
    l=$(load); t=$(cd "$root/scripts/bench" && $pin ~/.venvs/torch/bin/python cifar_epoch_torch.py "$train" "$val" $steps | line)
    echo "round $round (load $l): $t"
    l=$(load); e=$(cd "$root/scripts/bench" && $pin ~/.venvs/tf/bin/python cifar_epoch_keras.py "$train" "$val" $steps 2>/dev/null | line)
    echo "round $round (load $l): $e"
done
