#!/usr/bin/env bash
# Alternating A/B rounds of the quiet-machine benchmarks (mlp, cnn, engine) for two builds of the
# Benchmarks product, e.g. an old commit built in a scratch clone against this checkout:
#   git clone -q . /tmp/kestrel-old && git -C /tmp/kestrel-old checkout -q OLD_COMMIT
#   (cd /tmp/kestrel-old && swift build -c release --product Benchmarks)
#   scripts/bench-ab.sh /tmp/kestrel-old/.build/release/Benchmarks .build/release/Benchmarks
# Prints the headline line of each benchmark with the load average; ROUNDS (default 3) and
# BENCHMARKS (default "mlp cnn engine") change what runs.
set -euo pipefail
a="$1"; b="$2"
rounds="${ROUNDS:-3}"
benchmarks="${BENCHMARKS:-mlp cnn engine}"
headline() {
    case "$1" in
        mlp) grep -E "^seconds_per_epoch" ;;
        cnn) grep -E "samples/s" ;;
        engine) grep -E "GFLOP/s" | sed -n '2,$p' ;;
    esac
}
for round in $(seq 1 "$rounds"); do
    for benchmark in $benchmarks; do
        for label in A B; do
            binary="$a"; [ "$label" = B ] && binary="$b"
            echo "round $round $benchmark $label (load $(cut -d' ' -f1-3 /proc/loadavg)):"
            "$binary" "$benchmark" 2>&1 | headline "$benchmark" | sed 's/^/    /'
        done
    done
done
