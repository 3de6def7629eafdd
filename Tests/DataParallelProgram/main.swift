import Foundation
import Kestrel
import KestrelDistributed

// The program KestrelDistributedTests launch under `mpirun -np 2` (and alone, as the one-process reference).
//   DataParallelProgram train OUTDIR PER_RANK_BATCH EPOCHS [split|data]   data-parallel fit (validationSplit 0.25, or
//                                                           validationData); rank 0 writes OUTDIR/result.json and log-rank0.csv
//   DataParallelProgram dataset OUTDIR GLOBAL_BATCH EPOCHS  the same over a shuffled Dataset of global batches
//   DataParallelProgram resume OUTDIR BACKUPDIR EPOCHS KILL  train with BackupAndRestore; every rank exits (status 3) as epoch KILL
//                                                           begins (KILL < 0: never)
//   DataParallelProgram mismatch model|rows|shuffle         rank 1 builds another model, has more rows, or shuffles differently
//   DataParallelProgram plain                               a plain fit (no distribution) under mpirun
//   DataParallelProgram die RANK                            RANK exits (status 3) after a few steps; the others must not hang
//   DataParallelProgram hang RANK                           RANK stops calling collectives (sleeps); the others must time out
//   DataParallelProgram threads                             prints "rank R threads T"
//   DataParallelProgram bench EPOCHS [mlp|cnn] [BUCKET]     Fashion-MNIST MLP 784-128-10 (global batch 64) or the CIFAR-shaped CNN
//                                                           (global batch 128): seconds per epoch and in all-reduces (release build);
//                                                           buckets of BUCKET bytes (default 25 MiB), overlapped with the backward
//                                                           pass unless KESTREL_OVERLAP_ALLREDUCE=0
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

/// Counts, on this rank, the validation rows evaluated (the loss tracker's local weight at the end of
/// each validation pass, before the ranks' states are combined).
final class ValidationRows: Callback, @unchecked Sendable {
    private(set) var rows: [Double] = []
    override func onTestEnd(logs: inout [String: Double]) throws {
        rows.append(model?.lossTracker.stateValues.last ?? .nan)
    }
}

/// Writes rank 0's result.json: the History, the weights, the steps checked and every rank's validation rows.
func writeResult(folder: String, communicator: any Communicator, model: Model, history: History, checkedSteps: Int,
                 validationRows: [Double], overlappedSteps: Int = 0) throws {
    let everyRank = try communicator.gather(Array(try JSONSerialization.data(withJSONObject: validationRows)), root: 0)
    guard let everyRank else { return }
    let rows = try everyRank.map { try JSONSerialization.jsonObject(with: Data($0)) }
    let result: [String: Any] = [
        "ranks": communicator.size, "checked_steps": checkedSteps, "validation_rows": rows, "overlapped_steps": overlappedSteps,
        "history": Dictionary(uniqueKeysWithValues: history.history.map { ($0.key, $0.value) }),
        "weights": model.weights.flatMap { $0.value.scalars.map(Double.init) },
    ]
    try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]).write(to: URL(fileURLWithPath: folder + "/result.json"))
}

/// The steps whose all-reduces overlapped the backward pass (unless KESTREL_OVERLAP_ALLREDUCE=0), read at each epoch's end.
final class OverlapCounter: Callback, @unchecked Sendable {
    private(set) var steps = 0
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        steps = ((model?.distribution as? DataParallel)?.averager.stepsOverlapped) ?? 0
    }
}

func train(folder: String, perRankBatch: Int, epochs: Int, validation: String) throws {
    let communicator = try Communicators.world()
    let (x, y) = try blobs()
    let model = try makeModel()
    let checker = StepHook { step in try checkIdentical(model, communicator, step: step) }
    let counter = ValidationRows()
    let overlaps = OverlapCounter()
    let callbacks = [checker, counter, overlaps, CSVLogger(folder + "/log-rank\(communicator.rank).csv")]
    let history: History
    if validation == "data" {
        // 288 rows to train on and 96 held out, as the split would, but given as validationData in batches of 24 per rank.
        history = try model.fit(try x.slice(rows: 0..<288), try y.slice(rows: 0..<288), epochs: epochs, batchSize: perRankBatch,
                                verbose: .oneLinePerEpoch, validationData: (try x.slice(rows: 288..<384), try y.slice(rows: 288..<384)),
                                callbacks: callbacks, validationBatchSize: 48 / communicator.size,
                                distribution: .dataParallel(bucketBytes: 256))
    } else {
        history = try model.fit(x, y, epochs: epochs, batchSize: perRankBatch, verbose: .oneLinePerEpoch, validationSplit: 0.25,
                                callbacks: callbacks, distribution: .dataParallel(bucketBytes: 256))
    }
    try writeResult(folder: folder, communicator: communicator, model: model, history: history, checkedSteps: checker.calls,
                    validationRows: counter.rows, overlappedSteps: overlaps.steps)
}

/// The blobs as a Dataset shuffled with a seed and cut into global batches, validated on a Dataset.
func trainOnDataset(folder: String, globalBatch: Int, epochs: Int) throws {
    let communicator = try Communicators.world()
    let (x, y) = try blobs()
    let model = try makeModel()
    func dataset(_ rows: Range<Int>) throws -> Dataset {
        let part = try x.slice(rows: rows), labels = try y.slice(rows: rows)
        return try Dataset(x: part.scalars, xShape: part.shape, y: labels.scalars, yShape: labels.shape)
    }
    let train = try dataset(0..<288).shuffle(bufferSize: 288, seed: 17).batch(globalBatch)
    let held = try dataset(288..<384).batch(40)
    let checker = StepHook { step in try checkIdentical(model, communicator, step: step) }
    let counter = ValidationRows()
    let history = try model.fit(train, epochs: epochs, verbose: .oneLinePerEpoch, validationData: held,
                                callbacks: [checker, counter], distribution: .dataParallel())
    try writeResult(folder: folder, communicator: communicator, model: model, history: history, checkedSteps: checker.calls,
                    validationRows: counter.rows)
}

/// Trains with BackupAndRestore into BACKUPDIR; when `killEpoch` ≥ 0 every rank exits as that epoch begins
/// (after rank 0 backed up the epoch before).
func resume(folder: String, backup: String, epochs: Int, killEpoch: Int) throws {
    let communicator = try Communicators.world()
    let (x, y) = try blobs()
    let model = try makeModel()
    let killer = LambdaCallback(onEpochBegin: { epoch, _ in if epoch == killEpoch { _exit(3) } })
    let history = try model.fit(x, y, epochs: epochs, batchSize: 16, verbose: .oneLinePerEpoch, validationSplit: 0.25,
                                callbacks: [killer, try BackupAndRestore(backupDir: backup, deleteCheckpoint: false)],
                                distribution: .dataParallel())
    try writeResult(folder: folder, communicator: communicator, model: model, history: history, checkedSteps: 0, validationRows: [])
}

/// Rank 1 differs from rank 0: another model, more rows of data, or another shuffle seed.
func mismatch(_ what: String) throws {
    let communicator = try Communicators.world()
    var (x, y) = try blobs()
    let odd = communicator.rank == 1
    if what == "rows", odd { (x, y) = (try Tensor.concatenate([x, try x.slice(rows: 0..<128)]), try Tensor.concatenate([y, try y.slice(rows: 0..<128)])) }
    Kestrel.setRandomSeed(5)
    let model = try Sequential {
        Input(shape: [6])
        Dense(what == "model" && odd ? 17 : 16, activation: .relu)
        Dense(3, activation: .softmax)
    }
    try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    if what == "shuffle" { Kestrel.setRandomSeed(odd ? 6 : 5) }
    try model.fit(x, y, epochs: 1, batchSize: 16, verbose: .silent, distribution: .dataParallel())
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

/// The Keras tutorial MLP on Fashion-MNIST (48,000 rows, global batch 64), or the CIFAR-shaped CNN of
/// `Benchmarks cnn-model` on random pixels (KESTREL_CNN_SAMPLES rows, default 1280, global batch 128), the
/// global batch cut over the ranks; rank 0 prints seconds per epoch and the seconds spent in all-reduces.
func bench(epochs: Int, workload: String, bucketBytes: Int) throws {
    let communicator = try Communicators.world()
    let model: Sequential
    let x: Tensor, y: Tensor, globalBatch: Int
    if workload == "cnn" {
        let count = ProcessInfo.processInfo.environment["KESTREL_CNN_SAMPLES"].flatMap(Int.init) ?? 1280
        var generator = RandomGenerator(seed: 0)
        x = try Tensor.randomUniform([count, 32, 32, 3], generator: &generator)
        y = Tensor(labels: (0..<count).map { _ in Int(generator.next() % 10) })
        globalBatch = 128
        Kestrel.setRandomSeed(0)
        model = try Sequential {
            Input(shape: [32, 32, 3])
            Conv2D(64, kernelSize: 3, padding: .same, activation: .relu)
            Conv2D(64, kernelSize: 3, padding: .same, activation: .relu)
            MaxPooling2D()
            Conv2D(128, kernelSize: 3, padding: .same, activation: .relu)
            Flatten()
            Dense(256, activation: .relu)
            Dense(10, activation: .softmax)
        }
    } else {
        let (train, _) = try Datasets.fashionMNIST.load()
        x = try train.normalizedX.slice(rows: 0..<48_000)
        y = try train.y.slice(rows: 0..<48_000)
        globalBatch = 64
        Kestrel.setRandomSeed(1)
        model = try Sequential {
            Input(shape: [28, 28])
            Flatten()
            Dense(128, activation: .relu)
            Dense(10, activation: .softmax)
        }
    }
    try model.compile(optimizer: .adam(learningRate: 0.001), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    let timer = EpochTimer()
    let reduced = AllreduceTimer()
    let overlaps = OverlapCounter()
    try model.fit(x, y, epochs: epochs, batchSize: globalBatch / communicator.size, verbose: .silent, callbacks: [timer, reduced, overlaps],
                  distribution: .dataParallel(bucketBytes: bucketBytes))
    if communicator.isRoot {
        print("\(workload) ranks \(communicator.size) threads \(Kestrel.threadCount) bucket \(bucketBytes) B "
            + "overlapped steps \(overlaps.steps) seconds/epoch \(timer.seconds.map { String(format: "%.3f", $0) }) "
            + "allreduce seconds/epoch \(reduced.seconds.map { String(format: "%.3f", $0) }) "
            + "parameters \(model.countParams()) bytes allreduced per step \(4 * (model.countParams() + 1))")
    }
}

/// Seconds each epoch spent in the gradient all-reduces (0 for one process).
final class AllreduceTimer: Callback, @unchecked Sendable {
    private var atStart = 0.0
    private(set) var seconds: [Double] = []
    private var total: Double { ((model?.distribution as? DataParallel)?.averager.secondsAllreducing) ?? 0 }
    override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws { atStart = total }
    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws { seconds.append(total - atStart) }
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
    case "train" where arguments.count == 5 || arguments.count == 6:
        guard let batch = Int(arguments[3]), let epochs = Int(arguments[4]) else { throw KestrelError.invalidArgument("train OUTDIR BATCH EPOCHS") }
        try train(folder: arguments[2], perRankBatch: batch, epochs: epochs, validation: arguments.count == 6 ? arguments[5] : "split")
    case "dataset" where arguments.count == 5:
        guard let batch = Int(arguments[3]), let epochs = Int(arguments[4]) else { throw KestrelError.invalidArgument("dataset OUTDIR BATCH EPOCHS") }
        try trainOnDataset(folder: arguments[2], globalBatch: batch, epochs: epochs)
    case "resume" where arguments.count == 6:
        guard let epochs = Int(arguments[4]), let kill = Int(arguments[5]) else { throw KestrelError.invalidArgument("resume OUTDIR BACKUPDIR EPOCHS KILL") }
        try resume(folder: arguments[2], backup: arguments[3], epochs: epochs, killEpoch: kill)
    case "mismatch" where arguments.count == 3:
        try mismatch(arguments[2])
    case "plain":
        let (x, y) = try blobs()
        try makeModel().fit(x, y, epochs: 1, batchSize: 32, verbose: .silent)
        print("plain fit done")
    case "die" where arguments.count == 3, "hang" where arguments.count == 3:
        try fault(arguments[1], rank: Int(arguments[2]) ?? 1)
    case "bench" where (3...5).contains(arguments.count):
        try bench(epochs: Int(arguments[2]) ?? 1, workload: arguments.count >= 4 ? arguments[3] : "mlp",
                  bucketBytes: arguments.count == 5 ? Int(arguments[4]) ?? (25 << 20) : 25 << 20)
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
