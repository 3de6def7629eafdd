#!/usr/bin/env bash
# The busy-machine benchmark of issue 11: seconds per Fashion-MNIST MLP epoch (3 epochs, validation
# included) for Kestrel and PyTorch under the same conditions, one after the other in each round:
#   quiet      — nothing else asked of the machine by this script
#   one-core   — both pinned to processor 0 with `taskset -c 0`
#   competing  — a CPU-bound shell loop pinned to processor 1 while each runs unpinned
# Prints one line per measurement with the load average. Build first:
#   swift build -c release --product Benchmarks
# Environment: KESTREL_BENCHMARKS (default .build/release/Benchmarks; point it at another build to
# compare), TORCH_PYTHON (default ~/.venvs/torch/bin/python), BENCH_DIR (default scripts/bench,
# the reference scripts in this repository), ROUNDS (default 2), CASES (default "quiet one-core competing"),
# SKIP_TORCH=1 to time Kestrel only, TORCH_TIMEOUT (default 240 s for the 3 epochs; PyTorch's
# spinning OpenMP threads can take minutes per epoch on an oversubscribed machine).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kestrel="${KESTREL_BENCHMARKS:-$root/.build/release/Benchmarks}"
torch_python="${TORCH_PYTHON:-$HOME/.venvs/torch/bin/python}"
bench_dir="${BENCH_DIR:-$root/scripts/bench}"
rounds="${ROUNDS:-2}"
cases="${CASES:-quiet one-core competing}"
competitor=""
trap '[ -n "$competitor" ] && kill "$competitor" 2>/dev/null || true' EXIT

load() { cut -d" " -f1-3 /proc/loadavg; }
kestrel_epoch() { "$@" "$kestrel" mlp 2>&1 | sed -n 's/^seconds_per_epoch \([0-9.]*\).*/\1/p'; }
torch_epoch() {
    local result
    result="$(cd "$bench_dir" && timeout "${TORCH_TIMEOUT:-240}" "$@" "$torch_python" fmnist_mlp_torch.py 3 2>&1 | sed -n 's/^seconds_per_epoch //p')" || true
    printf "%s" "${result:-">${TORCH_TIMEOUT:-240}s/3"}"
}

measure() {  # case name, then the command prefix
    local name="$1"; shift
    local k t="-"
    k="$(kestrel_epoch "$@")"
    [ "${SKIP_TORCH:-0}" = 1 ] || t="$(torch_epoch "$@")"
    printf "%-10s kestrel %8s s  torch %8s s  (load %s)\n" "$name" "$k" "$t" "$(load)"
}

echo "kestrel: $kestrel"
for round in $(seq 1 "$rounds"); do
    echo "round $round, $(date -u +%H:%M:%S) UTC"
    for case in $cases; do
        case "$case" in
            quiet) measure quiet env ;;
            one-core) measure one-core taskset -c 0 ;;
            competing)
                taskset -c 1 sh -c 'while :; do :; done' &
                competitor=$!
                sleep 0.5
                measure competing env
                kill "$competitor"; wait "$competitor" 2>/dev/null || true; competitor="" ;;
        esac
    done
done
