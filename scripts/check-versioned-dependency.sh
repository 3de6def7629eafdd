#!/usr/bin/env bash
# Checks that Kestrel works as a versioned dependency, the way Swift users consume libraries:
# clones this repository's committed HEAD, tags the clone 0.1.0, builds a throw-away package that
# depends on it with `.package(url: "file://…", from: "0.1.0")` (SwiftPM rejects dependencies whose
# targets use unsafe build flags) and runs one `fit`. Called by `make check-package` and `.ci/run`.
# Keeps its files in a temporary folder, removed at exit; KESTREL_KEEP_SCRATCH=1 keeps them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift_command="${SWIFT:-swift}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/kestrel-dependency.XXXXXX")"
# SwiftPM also leaves lock files named after the package path in the temporary folder.
cleanup() { rm -rf "$scratch"; rm -f "${TMPDIR:-/tmp}/$(printf %s "$scratch" | tr / _)"_*.lock; }
[ "${KESTREL_KEEP_SCRATCH:-0}" = 1 ] || trap cleanup EXIT

git clone --quiet "$root" "$scratch/Kestrel"
git -C "$scratch/Kestrel" -c user.name=check -c user.email=check@localhost tag -a 0.1.0 -m "check" HEAD

mkdir -p "$scratch/app/Sources/app"
cat > "$scratch/app/Package.swift" <<PACKAGE
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "app",
    dependencies: [
        .package(url: "file://$scratch/Kestrel", from: "0.1.0"),
    ],
    targets: [
        .executableTarget(name: "app", dependencies: [
            .product(name: "Kestrel", package: "Kestrel"),
            .product(name: "KestrelDiagnostics", package: "Kestrel"),
            .product(name: "KestrelRecipes", package: "Kestrel"),
        ]),
    ]
)
PACKAGE
cat > "$scratch/app/Sources/app/main.swift" <<'SWIFT'
import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelRecipes

// Two Gaussian blobs in 4 dimensions, labels 0 and 1: one fit must lower the loss.
Kestrel.setRandomSeed(7)
var generator = RandomGenerator(seed: 3)
let points = 256
let noise = try Tensor.randomNormal([points, 4], generator: &generator)
let labels = (0..<points).map { $0 % 2 }
let offsets = try Tensor(shape: [points, 4], scalars: labels.flatMap { label in [Float](repeating: label == 0 ? -1 : 1, count: 4) })
let x = try noise + offsets
let y = Tensor(labels: labels)
let model = try Sequential {
    Input(shape: [4])
    Dense(8, activation: .relu)
    Dense(2, activation: .softmax)
}
try model.compile(optimizer: .adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
let history = try model.fit(x, y, epochs: 5, batchSize: 32, verbose: 0)
let losses = history["loss"] ?? []
print("versioned dependency: fit ran \(losses.count) epochs, loss \(losses.first ?? .nan) -> \(losses.last ?? .nan), threads \(Kestrel.threadCount)")
guard losses.count == 5, let first = losses.first, let last = losses.last, last < first else {
    print("versioned dependency: the loss did not go down")
    exit(1)
}
// The recipe layer links too: a recipe's callbacks as the CLI makes them.
let settings = CallbackSettings(earlyStopping: .init(monitor: "val_loss", patience: 3))
guard try settings.makeCallbacks(verbose: 0).count == 1 else {
    print("versioned dependency: KestrelRecipes made no EarlyStopping")
    exit(1)
}
SWIFT

cd "$scratch/app"
"$swift_command" build 2>&1 | tail -n 20
"$swift_command" run --skip-build app
