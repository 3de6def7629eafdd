import Foundation
import Synchronization

/// The engine's settings: how many threads the kernels use and the size thresholds that decide when
/// a kernel is split across them.
///
/// One value holds for the whole process (`EngineConfiguration.current`, changed with
/// `EngineConfiguration.update` or `Kestrel.setThreadCount(_:)`); `withValue(_:_:)` replaces it
/// for the calling thread or task only, so tests can try other settings side by side without racing.
///
/// The thread count starts as `KESTREL_NUM_THREADS` when that is set to a positive integer, and
/// otherwise as the processors this process may use (`ProcessorBudget`: affinity mask, cgroup quota).
/// One thread means the kernels run on the caller alone: no helper thread is started.
public struct EngineConfiguration: Sendable, Equatable {
    /// Threads the parallel kernels use, the caller included (at least 1).
    public var threadCount: Int
    /// Matrix products below this many floating-point operations run on one thread.
    public var blasSingleThreadFlops = 8_000_000
    /// Convolutions below this many floating-point operations (forward) run on one thread.
    public var convolutionParallelFlops = 4_000_000
    /// Target size of one thread's im2col buffer, in bytes (it is reused chunk after chunk).
    public var convolutionColumnChunkBytes = 1 << 20
    /// Target size of one thread's im2col buffer in the kernel-gradient pass, in bytes: larger chunks
    /// give each kernel-gradient GEMM a longer inner dimension.
    public var convolutionFilterGradientChunkBytes = 2 << 20
    /// Whether unit-stride convolutions compute the input gradient as a convolution of the output
    /// gradient with the flipped kernel (no col2im) instead of GEMM + col2im.
    public var transposedConvolutionInputGradient = true
    /// How 3×3 stride-1 convolutions are computed: Winograd or im2col, chosen per shape by default
    /// (`KESTREL_CONVOLUTION` sets the starting value).
    public var convolutionAlgorithm = ConvolutionAlgorithm.automatic
    /// Target size of one thread's Winograd transformed-domain buffers, in bytes (forward pass).
    public var winogradChunkBytes = 1 << 20
    /// The same in the backward pass: longer chunks give the kernel-gradient GEMMs a longer inner dimension.
    public var winogradGradientChunkBytes = 4 << 20
    /// The widest vector path the Winograd transforms may use: 16 (AVX-512), 8 (AVX2), 1 (portable C);
    /// 0 for the widest the processor has. Every path gives the same results; tests try each.
    var winogradVectorWidth = 0
    /// The device new tensors are created on (`Tensor(shape:scalars:)`, the factories, the random
    /// initialisers); operations run on their operands' device. `.cpu` unless changed.
    public var device = Device.cpu

    /// The defaults, with `threadCount` threads.
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
    }

    /// The defaults with the thread count from `KESTREL_NUM_THREADS` or the processor budget.
    public static var automatic: EngineConfiguration {
        var configuration = EngineConfiguration(threadCount: automaticThreadCount())
        configuration.convolutionAlgorithm = automaticConvolutionAlgorithm()
        return configuration
    }

    /// `KESTREL_CONVOLUTION` when it names a `ConvolutionAlgorithm`, otherwise `.automatic` (with a warning
    /// for a value it does not know).
    static func automaticConvolutionAlgorithm(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ConvolutionAlgorithm {
        let text = environment["KESTREL_CONVOLUTION"]
        if let algorithm = ConvolutionAlgorithm(environmentValue: text) { return algorithm }
        FileHandle.standardError.write(Data(("Kestrel: ignoring KESTREL_CONVOLUTION=\(text ?? ""): expected automatic, "
            + "im2col, winograd2x2 or winograd4x4\n").utf8))
        return .automatic
    }

    /// The settings in effect on this thread or task.
    public static var current: EngineConfiguration {
        scoped ?? processWide.withLock { $0 }
    }

    /// Changes the process-wide settings (those not overridden by `withValue`).
    public static func update(_ change: (inout EngineConfiguration) -> Void) {
        processWide.withLock { configuration in
            change(&configuration)
            configuration.threadCount = max(1, configuration.threadCount)
        }
    }

    /// Runs `operation` with `configuration` in effect for the calling thread or task (and the tasks
    /// it starts), leaving other threads' settings alone.
    public static func withValue<Result>(_ configuration: EngineConfiguration,
                                         _ operation: () throws -> Result) rethrows -> Result {
        var configuration = configuration
        configuration.threadCount = max(1, configuration.threadCount)
        return try $scoped.withValue(configuration, operation: operation)
    }

    /// Runs `operation` with the current settings changed by `change` for the calling thread or task.
    public static func withChanges<Result>(_ change: (inout EngineConfiguration) -> Void,
                                           _ operation: () throws -> Result) rethrows -> Result {
        var configuration = current
        change(&configuration)
        return try withValue(configuration, operation)
    }

    @TaskLocal private static var scoped: EngineConfiguration?
    private static let processWide = Mutex(EngineConfiguration.automatic)

    /// `KESTREL_NUM_THREADS` when it is a positive integer, otherwise the processor budget's count.
    static func automaticThreadCount(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     budget: () -> ProcessorBudget = ProcessorBudget.detect) -> Int {
        let text = environment["KESTREL_NUM_THREADS"]
        switch ThreadCountSetting(text) {
        case .count(let count): return count
        case .automatic: return budget().threadCount
        case .invalid:
            FileHandle.standardError.write(Data(("Kestrel: ignoring KESTREL_NUM_THREADS=\(text ?? ""): expected a "
                + "positive whole number of threads, or 0 for automatic\n").utf8))
            return budget().threadCount
        }
    }
}

/// A thread-count setting as written in `KESTREL_NUM_THREADS`.
enum ThreadCountSetting: Equatable {
    /// Unset, empty or 0: as many threads as the processor budget allows.
    case automatic
    /// A positive number of threads.
    case count(Int)
    /// Anything else (negative, not a number).
    case invalid

    init(_ text: String?) {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { self = .automatic; return }
        guard let count = Int(text), count >= 0 else { self = .invalid; return }
        self = count == 0 ? .automatic : .count(count)
    }
}
