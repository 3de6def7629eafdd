#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Kestrel

/// The loop of TensorFlow's overfit-and-underfit tutorial (HIGGS): many epochs of 20 steps of batch
/// 500 on 28 features, a small ELU network with one logit, BinaryCrossentropy(fromLogits) with the
/// metrics binary_crossentropy and accuracy, validation on 1,000 rows every epoch and
/// EarlyStopping(monitor: "val_binary_crossentropy", patience: 200). scripts/bench/tiny_steps_keras.py
/// and tiny_steps_torch.py run the same loop.
///
/// Prints milliseconds per epoch for the whole loop, then the same fit with one part added at a time
/// (bare fit → + metrics → + validation → + EarlyStopping and History → + a progress line per epoch),
/// beside a floor of bare `trainStep`/`testStep` calls on pre-sliced batches: the differences are
/// the fixed costs per epoch. `KESTREL_TINY_EPOCHS` (default 200) and `KESTREL_TINY_MODELS`
/// (default `tiny`; a comma list of tiny, small, medium, large) choose the work; `KESTREL_TINY_ONLY_LOOP=1`
/// times only the whole loop, as the Python scripts do (scripts/bench/tiny_steps_rounds.sh alternates them).
func runTinyStepsBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let epochs = environment["KESTREL_TINY_EPOCHS"].flatMap(Int.init) ?? 200
    let names = (environment["KESTREL_TINY_MODELS"] ?? "tiny").split(separator: ",").map(String.init)
    let data = try TinyStepsData(trainRows: 10_000, validationRows: 1_000, features: 28, seed: 7)
    print("tiny-steps: \(epochs) epochs of 20 steps (batch 500, 28 features) + validation of 1,000 rows; load \(BenchmarkClock.loadAverage)")
    for name in names {
        guard let hidden = TinyStepsData.hiddenUnits[name] else {
            print("unknown model '\(name)'; use \(TinyStepsData.hiddenUnits.keys.sorted().joined(separator: ", "))")
            exit(2)
        }
        if environment["KESTREL_TINY_ONLY_LOOP"] != nil {
            // The loop of scripts/bench/tiny_steps_*.py as they time it: a 2-epoch warm-up fit, then one timed fit.
            let model = try data.makeModel(hidden: hidden, metrics: true)
            _ = try data.fit(model, epochs: 2, variant: .callbacks)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try data.fit(model, epochs: epochs, variant: .callbacks)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "kestrel %@ loop: %.3f ms/epoch", name, seconds / Double(epochs) * 1000))
            continue
        }
        let floor = try data.stepFloor(hidden: hidden, epochs: epochs)
        print(String(format: "%@ floor (trainStep ×20 + testStep ×2 per epoch): %.3f ms/epoch, %.1f µs/step", name, floor * 1000, floor / 20 * 1e6))
        var previous: Double?
        for variant in TinyStepsVariant.allCases {
            let seconds = try data.fitSeconds(hidden: hidden, epochs: epochs, variant: variant)
            let added = previous.map { String(format: " (%+.3f ms)", (seconds - $0) * 1000) } ?? ""
            print(String(format: "%@ %@: %.3f ms/epoch%@, %.2f× the floor", name, variant.rawValue, seconds * 1000, added, seconds / floor))
            previous = seconds
        }
    }
}

/// What one timed fit of `runTinyStepsBenchmark` includes, each adding to the one before.
enum TinyStepsVariant: String, CaseIterable {
    case bare = "fit, no metrics, no validation"
    case metrics = "+ metrics (binary_crossentropy, accuracy)"
    case validation = "+ validation each epoch"
    case callbacks = "+ EarlyStopping(patience 200)"
    case progress = "+ verbose 2 (to /dev/null) = the tutorial's loop"
}

/// Synthetic HIGGS-shaped data (28 standard-normal features, a noisy linear label) and the timed runs.
struct TinyStepsData {
    /// The tutorial's networks: Tiny 16, Small 16-16, Medium 64-64-64, Large 512×4 (ELU), then Dense(1).
    static let hiddenUnits: [String: [Int]] = ["tiny": [16], "small": [16, 16], "medium": [64, 64, 64], "large": [512, 512, 512, 512]]

    let trainX: Tensor, trainY: Tensor, validationX: Tensor, validationY: Tensor
    let features: Int

    init(trainRows: Int, validationRows: Int, features: Int, seed: UInt64) throws {
        var state = seed
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        func normal() -> Float { (-2 * log(max(uniform(), 1e-7))).squareRoot() * cos(2 * .pi * uniform()) }
        let weights = (0..<features).map { _ in normal() }
        func rows(_ count: Int) throws -> (Tensor, Tensor) {
            var x: [Float] = [], y: [Float] = []
            for _ in 0..<count {
                let row = (0..<features).map { _ in normal() }
                x += row
                y.append(zip(row, weights).map(*).reduce(0, +) + normal() > 0 ? 1 : 0)
            }
            return (try Tensor(shape: [count, features], scalars: x), try Tensor(shape: [count, 1], scalars: y))
        }
        (trainX, trainY) = try rows(trainRows)
        (validationX, validationY) = try rows(validationRows)
        self.features = features
    }

    func makeModel(hidden: [Int], metrics: Bool) throws -> Sequential {
        Kestrel.setRandomSeed(0)
        let model = try Sequential()
        try model.add(Input(shape: [features]))
        for units in hidden { try model.add(Dense(units, activation: .elu)) }
        try model.add(Dense(1))
        let loss = BinaryCrossentropy(fromLogits: true)
        try model.compile(optimizer: .adam(learningRate: 0.001), loss: loss,
                          metrics: metrics ? [LossMetric(BinaryCrossentropy(fromLogits: true)), .accuracy] : [])
        return model
    }

    /// Seconds per epoch of 20 bare `trainStep` calls and a 1,000-row validation in two `testStep`s.
    func stepFloor(hidden: [Int], epochs: Int) throws -> Double {
        let model = try makeModel(hidden: hidden, metrics: false)
        let batches = try (0..<20).map { index in
            (try trainX.slice(rows: index * 500..<(index + 1) * 500), try trainY.slice(rows: index * 500..<(index + 1) * 500))
        }
        let validation = try (0..<2).map { index in
            (try validationX.slice(rows: index * 500..<(index + 1) * 500), try validationY.slice(rows: index * 500..<(index + 1) * 500))
        }
        let timing = try BenchmarkClock.measure(warmUp: 1, repetitions: 3) {
            for _ in 0..<epochs {
                for (x, y) in batches { _ = try model.trainStep(Batch(x: x, y: y)) }
                for (x, y) in validation { _ = try model.testStep(Batch(x: x, y: y)) }
            }
        }
        return timing.median / Double(epochs)
    }

    /// Seconds per epoch of `fit` with the parts `variant` includes (median of 3 after a warm-up).
    func fitSeconds(hidden: [Int], epochs: Int, variant: TinyStepsVariant) throws -> Double {
        let index = TinyStepsVariant.allCases.firstIndex(of: variant)!
        let model = try makeModel(hidden: hidden, metrics: index >= 1)
        let timing = try BenchmarkClock.measure(warmUp: 1, repetitions: 3) { try fit(model, epochs: epochs, variant: variant) }
        return timing.median / Double(epochs)
    }

    /// One `fit` of `model` with the parts `variant` includes.
    func fit(_ model: Sequential, epochs: Int, variant: TinyStepsVariant) throws {
        let index = TinyStepsVariant.allCases.firstIndex(of: variant)!
        let callbacks: [Callback] = index >= 3 ? [EarlyStopping(monitor: "val_binary_crossentropy", patience: 200)] : []
        try Self.quiet(index >= 4) {
            try model.fit(trainX, trainY, epochs: epochs, batchSize: 500, verbose: index >= 4 ? .oneLinePerEpoch : .silent,
                          validationData: index >= 2 ? (validationX, validationY) : nil, callbacks: callbacks)
        }
    }

    /// Runs `body` with standard output sent to /dev/null when `silenced` (the progress lines are
    /// written, as a user's terminal would get them, but not shown).
    static func quiet(_ silenced: Bool, _ body: () throws -> Void) rethrows {
        guard silenced else { return try body() }
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        let null = open("/dev/null", O_WRONLY)
        dup2(null, STDOUT_FILENO)
        close(null)
        defer {
            fflush(nil)
            dup2(saved, STDOUT_FILENO)
            close(saved)
        }
        try body()
    }
}
