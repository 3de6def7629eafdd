import Foundation
import Kestrel
#if canImport(Glibc)
import Glibc
#endif

/// One full epoch of the CIFAR-10 CNN workload through Kestrel's Keras API, the twin of
/// scripts/bench/cifar_epoch_torch.py and cifar_epoch_keras.py: Conv64-Conv64-MaxPool-Conv128-Flatten-
/// Dense256-Dense10 (3×3 `same` convolutions, ReLU, softmax), Adam (1e-3), batch 128,
/// `fit(x, y, epochs: 1, validationData:)` over 50,000 shuffled training and 10,000 validation images.
///
/// Data: CIFAR-10 (its test batch as the validation set) when `cifar-10-binary.tar.gz` is in
/// `$KESTREL_CIFAR_DIR` or Kestrel's dataset cache, otherwise seeded uniform pixels of the same shapes
/// (the output says which). `KESTREL_CIFAR_TRAIN` / `KESTREL_CIFAR_VAL` change the counts;
/// `KESTREL_CIFAR_STEPS` keeps the whole set in memory but trains only that many batches and validates
/// on that many batches (a short run with the epoch's memory, for peak RSS on a busy machine). Prints the
/// epoch's seconds (training + validation, after a warm-up `fit` on 208 + 144 images that meets both
/// batch sizes), training samples per second over it, and the process's peak RSS (`ru_maxrss`).
func runCIFAREpochBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let trainCount = environment["KESTREL_CIFAR_TRAIN"].flatMap(Int.init) ?? 50_000
    let validationCount = environment["KESTREL_CIFAR_VAL"].flatMap(Int.init) ?? 10_000
    let data = try CIFAREpochData.load(trainCount: trainCount, validationCount: validationCount)
    let steps = environment["KESTREL_CIFAR_STEPS"].flatMap(Int.init).map { max(1, $0) }
    let trainedCount = min(trainCount, (steps ?? trainCount) * 128)
    let validatedCount = min(validationCount, (steps ?? validationCount) * 128)
    let dataMegabytes = ProcessMemory.residentMegabytes
    Kestrel.setRandomSeed(0)
    let model = try makeSeedCNN()
    let warmUpValidation = (try data.validationX.slice(rows: 0..<min(144, validationCount)),
                            try data.validationY.slice(rows: 0..<min(144, validationCount)))
    try model.fit(try data.x.slice(rows: 0..<min(208, trainCount)), try data.y.slice(rows: 0..<min(208, trainCount)),
                  epochs: 1, batchSize: 128, verbose: 0, validationData: warmUpValidation)
    let load = BenchmarkClock.loadAverage
    let start = DispatchTime.now().uptimeNanoseconds
    let history = try model.fit(data.x, data.y, epochs: 1, batchSize: 128, verbose: 0,
                                validationData: (try data.validationX.slice(rows: 0..<validatedCount),
                                                 try data.validationY.slice(rows: 0..<validatedCount)),
                                stepsPerEpoch: steps)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    func last(_ key: String) -> Double { history.history[key]?.last ?? .nan }
    print("data: \(data.source); \(trainCount) train + \(validationCount) validation images"
          + (steps.map { "; only \($0) training and validation batches (KESTREL_CIFAR_STEPS)" } ?? ""))
    print(String(format: "loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f",
                 last("loss"), last("accuracy"), last("val_loss"), last("val_accuracy")))
    print(String(format: "cifar-epoch kestrel epoch_seconds %.2f training_samples_per_second %.1f peak_rss_mb %.0f rss_after_data_mb %.0f (load before: %@, after: %@)",
                 seconds, Double(trainedCount) / seconds, ProcessMemory.peakResidentMegabytes, dataMegabytes,
                 load, BenchmarkClock.loadAverage))
}

/// The training and validation images of `cifar-epoch`: CIFAR-10 when its archive is at hand, else seeded pixels.
struct CIFAREpochData {
    let x: Tensor, y: Tensor, validationX: Tensor, validationY: Tensor
    /// Which data this is, for the output.
    let source: String

    /// CIFAR-10 from `$KESTREL_CIFAR_DIR` or the dataset cache (never downloaded), else seeded uniform pixels.
    static func load(trainCount: Int, validationCount: Int) throws -> CIFAREpochData {
        guard trainCount > 0, trainCount <= 50_000, validationCount > 0, validationCount <= 10_000 else {
            throw KestrelError.invalidArgument("cifar-epoch: KESTREL_CIFAR_TRAIN must be in 1...50000 and KESTREL_CIFAR_VAL in 1...10000")
        }
        let directory = ProcessInfo.processInfo.environment["KESTREL_CIFAR_DIR"]
        let cached = DatasetFileLocator.defaultCacheRoot() + "/cifar-10/cifar-10-binary.tar.gz"
        if directory != nil || FileManager.default.fileExists(atPath: cached) {
            return try real(directory: directory, trainCount: trainCount, validationCount: validationCount)
        }
        var generator = RandomGenerator(seed: 0)
        func split(_ count: Int) throws -> (Tensor, Tensor) {
            (try Tensor.randomUniform([count, 32, 32, 3], generator: &generator),
             Tensor(labels: (0..<count).map { _ in Int(generator.next() % 10) }))
        }
        let (x, y) = try split(trainCount), (validationX, validationY) = try split(validationCount)
        return CIFAREpochData(x: x, y: y, validationX: validationX, validationY: validationY,
                              source: "generated (seeded uniform pixels; CIFAR-10 archive not found)")
    }

    private static func real(directory: String?, trainCount: Int, validationCount: Int) throws -> CIFAREpochData {
        let (train, test) = try Datasets.cifar10.load(directory: directory, showsProgress: false)
        func split(_ images: LabeledImages, _ count: Int) throws -> (Tensor, Tensor) {
            (try images.normalizedX.slice(rows: 0..<count), try images.y.slice(rows: 0..<count))
        }
        let (x, y) = try split(train, trainCount), (validationX, validationY) = try split(test, validationCount)
        return CIFAREpochData(x: x, y: y, validationX: validationX, validationY: validationY,
                              source: "CIFAR-10 (\(directory ?? DatasetFileLocator.defaultCacheRoot() + "/cifar-10"))")
    }
}

/// The process's resident memory, now and at its peak.
enum ProcessMemory {
    /// Peak resident set size (`getrusage` `ru_maxrss`), in MB.
    static var peakResidentMegabytes: Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Resident set size now (`/proc/self/statm`), in MB.
    static var residentMegabytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
