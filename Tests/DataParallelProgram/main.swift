import Foundation
import Kestrel
import KestrelDistributed

// The program KestrelDistributedTests launch under `mpirun -np 2` (and alone, as the one-process reference).
//   DataParallelProgram train OUTDIR PER_RANK_BATCH EPOCHS   data-parallel fit; rank 0 writes OUTDIR/result.json and log.csv
//   DataParallelProgram die RANK                            RANK exits (status 3) after a few steps; the others must not hang
//   DataParallelProgram hang RANK                           RANK stops calling collectives (sleeps); the others must time out
//   DataParallelProgram threads                             prints "rank R threads T"
//   DataParallelProgram bench EPOCHS                        Fashion-MNIST MLP 784-128-10, per-rank batch 64/ranks: seconds per epoch (release build)
//   DataParallelProgram allreduce FLOATS BUCKET_BYTES...    microseconds per fused all-reduce of FLOATS gradient values in buckets

/// Calls `body` with the step after every training batch (throwing ends `fit`).
final class StepHook: Callback, @unchecked Sendable {
    let body: (Int) throws -> Void
    private(set) var calls = 0
    init(_ body: @escaping (Int) throws -> Void) {
        self.body = body
        super.init()
    }
    override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
        try body(batch)
        calls += 1
    }
}

/// Wall-clock seconds of every epoch.
final class EpochTimer: Callback, @unchecked Sendable {
    private var start = Date()
    private(set) var seconds: [Double] = []
    override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws { start = Date() }
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws { seconds.append(Date().timeIntervalSince(start)) }
}

/// Three-class blobs in 6 dimensions, the same on every rank.
func blobs() throws -> (Tensor, Tensor) {
    var generator = RandomGenerator(seed: 11)
    let count = 384
    let noise = try Tensor.randomNormal([count, 6], generator: &generator)
    let labels = (0..<count).map { $0 % 3 }
    let offsets = try Tensor(shape: [count, 6], scalars: labels.flatMap { label in (0..<6).map { Float(($0 + label) % 3) - 1 } })
    return (try noise + offsets, Tensor(labels: labels))
}

func makeModel() throws -> Sequential {
    Kestrel.setRandomSeed(5)
    let model = try Sequential {
        Input(shape: [6])
        Dense(16, activation: .relu)
        Dense(3, activation: .softmax)
    }
    try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    return model
}

/// Throws unless every rank holds exactly the same bits in every weight.
func checkIdentical(_ model: Model, _ communicator: any Communicator, step: Int) throws {
    let bits = model.weights.flatMap { $0.value.scalars.map { Double($0.bitPattern) } }
    var highest = bits, lowest = bits.map { -$0 }
    try communicator.allreduceMax(&highest)
    try communicator.allreduceMax(&lowest)
    guard zip(highest, lowest).allSatisfy({ $0 == -$1 }) else {
        throw DistributedError(rank: communicator.rank, "weights differ between ranks after step \(step).")
    }
}

func train(folder: String, perRankBatch: Int, epochs: Int) throws {
    let communicator = try Communicators.world()
    let (x, y) = try blobs()
    let model = try makeModel()
    let checker = StepHook { step in try checkIdentical(model, communicator, step: step) }
    let history = try model.fit(x, y, epochs: epochs, batchSize: perRankBatch, verbose: .oneLinePerEpoch, validationSplit: 0.25,
                                callbacks: [checker, CSVLogger(folder + "/log-rank\(communicator.rank).csv")],
                                distribution: .dataParallel(bucketBytes: 256))
    guard communicator.isRoot else { return }
    let result: [String: Any] = [
        "ranks": communicator.size, "checked_steps": checker.calls,
        "history": Dictionary(uniqueKeysWithValues: history.history.map { ($0.key, $0.value) }),
        "weights": model.weights.flatMap { $0.value.scalars.map(Double.init) },
    ]
    try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]).write(to: URL(fileURLWithPath: folder + "/result.json"))
}

func fault(_ mode: String, rank faulty: Int) throws {
    let communicator = try Communicators.world()
    let (x, y) = try blobs()
    let model = try makeModel()
    let saboteur = StepHook { step in
        guard communicator.rank == faulty, step == 2 else { return }
        if mode == "die" { _exit(3) }
        while true { sleep(1000) }
    }
    try model.fit(x, y, epochs: 50, batchSize: 8, verbose: .silent, callbacks: [saboteur], distribution: .dataParallel())
}

/// The Keras tutorial MLP on Fashion-MNIST with the global batch 64 cut over the ranks; rank 0 prints
/// seconds per epoch and the floats all-reduced per step.
func bench(epochs: Int) throws {
    let communicator = try Communicators.world()
    let (train, _) = try Datasets.fashionMNIST.load()
    Kestrel.setRandomSeed(1)
    let model = try Sequential {
        Input(shape: [28, 28])
        Flatten()
        Dense(128, activation: .relu)
        Dense(10, activation: .softmax)
    }
    try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    let timer = EpochTimer()
    let x = train.normalizedX, y = train.y
    try model.fit(try x.slice(rows: 0..<48_000), try y.slice(rows: 0..<48_000), epochs: epochs,
                  batchSize: 64 / communicator.size, verbose: .silent, callbacks: [timer], distribution: .dataParallel())
    if communicator.isRoot {
        print("ranks \(communicator.size) threads \(Kestrel.threadCount) seconds/epoch \(timer.seconds.map { String(format: "%.3f", $0) }) "
            + "parameters \(model.countParams()) bytes allreduced per step \(4 * (model.countParams() + 1))")
    }
}

/// Times fused all-reduces of `floats` values cut into buckets of each size (bytes).
func allreduceBench(floats: Int, buckets: [Int]) throws {
    let communicator = try Communicators.world()
    let sizes = [Int](repeating: 1000, count: floats / 1000) + (floats % 1000 > 0 ? [floats % 1000] : [])
    let gradients = try sizes.map { try Tensor(shape: [$0], scalars: [Float](repeating: 1, count: $0)) }
    for bucketBytes in buckets {
        let averager = GradientAverager(communicator: communicator, bucketBytes: bucketBytes)
        _ = try averager.transform(gradients, variables: [])
        try communicator.barrier()
        let repeats = 50
        let start = Date()
        for _ in 0..<repeats { _ = try averager.transform(gradients, variables: []) }
        let micro = Date().timeIntervalSince(start) / Double(repeats) * 1e6
        if communicator.isRoot {
            print("ranks \(communicator.size) floats \(floats) bucket \(bucketBytes) B: \(Int(micro)) µs per step")
        }
    }
}

let arguments = CommandLine.arguments
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "train" where arguments.count == 5:
        guard let batch = Int(arguments[3]), let epochs = Int(arguments[4]) else { throw KestrelError.invalidArgument("train OUTDIR BATCH EPOCHS") }
        try train(folder: arguments[2], perRankBatch: batch, epochs: epochs)
    case "die" where arguments.count == 3, "hang" where arguments.count == 3:
        try fault(arguments[1], rank: Int(arguments[2]) ?? 1)
    case "bench" where arguments.count == 3:
        try bench(epochs: Int(arguments[2]) ?? 1)
    case "allreduce" where arguments.count >= 4:
        try allreduceBench(floats: Int(arguments[2]) ?? 0, buckets: arguments[3...].compactMap { Int($0) })
    case "threads":
        let communicator = try Communicators.world()
        print("rank \(communicator.rank) threads \(Kestrel.threadCount)")
    default:
        throw KestrelError.invalidArgument("usage: DataParallelProgram train OUTDIR BATCH EPOCHS | die RANK | hang RANK | threads")
    }
} catch {
    FileHandle.standardError.write(Data("DataParallelProgram: \(error)\n".utf8))
    exit(1)
}
