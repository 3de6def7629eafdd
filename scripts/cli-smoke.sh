#!/usr/bin/env bash
# Runs the saving-related `kestrel` commands end to end, as a new user would, on a small Fashion-MNIST
# subset: fit --save/--checkpoint/--backup-dir, summary, evaluate, predict (a .npy array and image files),
# convert (to .keras and to .weights.h5 + .json) and predict from the converted files, then a saved model
# frozen under a new head (base=PATH.keras frozen) and a Keras functional config.json. Each step's output
# is checked; the script stops at the first failure. Not part of `make test` (it trains for real).
# Usage: scripts/cli-smoke.sh [KESTREL_BINARY]   (default: the debug build, built if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kestrel="${1:-$root/.build/debug/kestrel}"
[ -x "$kestrel" ] || (cd "$root" && swift build --product kestrel)
work="$(mktemp -d "${TMPDIR:-/tmp}/kestrel-cli.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { printf '\n== %s\n' "$*"; }
expect() { grep -q -- "$1" "$2" || { echo "FAILED: '$1' not in the output of the step above"; exit 1; }; }

step "fit with --save, --checkpoint (placeholders) and --backup-dir"
"$kestrel" fit --model "flatten, dense 32 relu, dense 10 softmax" --epochs 3 --limit 3000 --verbose 2 \
    --save final.keras --checkpoint "ckpt/{epoch:02d}-{val_loss:.2f}.keras" --backup-dir backup --output run | tee fit.txt
test -s final.keras && test -s run/history.json
ls ckpt/*.keras > /dev/null
test ! -e backup/training_state.json   # deleted after a normal end, as Keras's deleteCheckpoint
ls ckpt

step "summary"
"$kestrel" summary final.keras | tee summary.txt
expect "Trainable params: 25,450" summary.txt

step "evaluate on the test set"
"$kestrel" evaluate final.keras --dataset fashion-mnist | tee evaluate.txt
expect "accuracy" evaluate.txt

step "predict a .npy array (two blank 28×28 images) to a .npy of probabilities"
header="{'descr': '<f4', 'fortran_order': False, 'shape': (2, 28, 28), }"
while [ $(( (10 + ${#header} + 1) % 64 )) -ne 0 ]; do header="$header "; done
{ printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $(( (${#header} + 1) % 256 )))\\x$(printf %02x $(( (${#header} + 1) / 256 )))"
  printf '%s\n' "$header"; head -c $((2 * 784 * 4)) /dev/zero; } > x.npy
"$kestrel" predict final.keras --input x.npy --output y.npy | tee predict-npy.txt
test "$(head -c 6 y.npy | tail -c 5)" = "NUMPY" && test "$(stat -c %s y.npy)" -ge 80

step "predict an image file"
"$kestrel" predict final.keras "$root/Examples/ClassifyImage/sample.png" | tee predict-image.txt
expect "sample.png" predict-image.txt

step "convert to .weights.h5 + .json, and predict from them"
"$kestrel" convert final.keras converted.weights.h5 | tee convert.txt
test -s converted.weights.h5 && test -s converted.json
"$kestrel" predict converted.json --weights converted.weights.h5 --input x.npy --output y2.npy
cmp y.npy y2.npy && echo "the converted model predicts the same bytes"

step "convert the .json + weights back to .keras"
"$kestrel" convert converted.json again.keras --weights converted.weights.h5
"$kestrel" predict again.keras --input x.npy --output y3.npy
cmp y.npy y3.npy && echo "the re-converted model predicts the same bytes"

step "transfer learning: the saved model frozen under a new head (base=PATH.keras frozen)"
"$kestrel" fit --model "base=final.keras frozen, dense 16 relu, dense 10 softmax" --epochs 1 --limit 2000 --verbose 2 \
    --save head.keras --output run-head | tee head.txt
"$kestrel" summary head.keras | tee head-summary.txt
expect "Non-trainable params: 25,450" head-summary.txt
expect "Trainable params: 346" head-summary.txt

step "a Keras functional config.json (Flatten, two Dense branches joined by Add)"
cat > graph.json <<'JSON'
{"class_name": "Functional", "config": {"name": "graph", "layers": [
 {"class_name": "InputLayer", "name": "pixels", "config": {"batch_shape": [null, 28, 28]}, "inbound_nodes": []},
 {"class_name": "Flatten", "name": "flat", "config": {}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["pixels", 0, 0]}}], "kwargs": {}}]},
 {"class_name": "Dense", "name": "wide", "config": {"units": 32, "activation": "relu"}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["flat", 0, 0]}}], "kwargs": {}}]},
 {"class_name": "Dense", "name": "skip", "config": {"units": 32}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["flat", 0, 0]}}], "kwargs": {}}]},
 {"class_name": "Add", "name": "sum", "config": {}, "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"keras_history": ["wide", 0, 0]}}, {"class_name": "__keras_tensor__", "config": {"keras_history": ["skip", 0, 0]}}]], "kwargs": {}}]},
 {"class_name": "Dense", "name": "classes", "config": {"units": 10, "activation": "softmax"}, "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["sum", 0, 0]}}], "kwargs": {}}]}],
 "input_layers": ["pixels", 0, 0], "output_layers": ["classes", 0, 0]}}
JSON
"$kestrel" fit --model graph.json --epochs 1 --limit 2000 --verbose 2 --save graph.keras --output run-graph | tee graph.txt
expect "graph (Functional)" graph.txt
"$kestrel" predict graph.keras "$root/Examples/ClassifyImage/sample.png" | tee graph-predict.txt
expect "sample.png" graph-predict.txt

step "a damaged model file is an error, not a crash"
head -c 100 final.keras > broken.keras
if "$kestrel" predict broken.keras --input x.npy --output y4.npy 2> broken.txt; then echo "FAILED: a truncated file was accepted"; exit 1; fi
cat broken.txt; expect "broken.keras" broken.txt

printf '\nAll CLI steps passed.\n'
