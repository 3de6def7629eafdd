import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The callback that prints `Epoch 3/30` and Keras's progress bar during `fit` and `evaluate`
/// (added automatically when `verbose` is 1 or 2).
final class ProgbarLogger: Callback, @unchecked Sendable {
    private var bar: ProgressBar?
    private var seen = 0
    private let verbose: Int
    private let dynamic = isatty(STDOUT_FILENO) != 0

    init(verbose: Int) {
        self.verbose = verbose
        super.init()
    }

    /// Writes through the same buffered stdout as `print`, then flushes, so progress lines and other
    /// output keep their order on a terminal, in a pipe and in a file.
    static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)  // all output streams: stdout without touching the global
    }

    private var calledInFit = false

    override func onTrainBegin(logs: inout [String: Double]) { calledInFit = true }

    override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) {
        ProgbarLogger.write("Epoch \(epoch + 1)/\(params.epochs)\n")
        bar = ProgressBar(target: params.steps, verbose: verbose, dynamic: dynamic, output: ProgbarLogger.write)
        seen = 0
    }

    override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) {
        seen = batch + 1
        bar?.update(seen, logs: logs)
    }

    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        bar?.update(params.steps, logs: logs, finalize: true)
        bar = nil
    }

    override func onTestBegin(logs: inout [String: Double]) {
        // Validation inside fit is silent; a standalone evaluate draws its own bar.
        guard !calledInFit else { return }
        bar = ProgressBar(target: params.steps, verbose: verbose, dynamic: dynamic, output: ProgbarLogger.write)
    }

    override func onTestBatchEnd(_ batch: Int, logs: inout [String: Double]) {
        guard !calledInFit else { return }
        bar?.update(batch + 1, logs: logs)
    }

    override func onTestEnd(logs: inout [String: Double]) {
        guard !calledInFit else { return }
        bar?.update(params.steps, logs: logs, finalize: true)
        bar = nil
    }
}
