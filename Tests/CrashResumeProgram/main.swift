// A small training run with BackupAndRestore that the crash-safety test (CrashResumeTests) kills
// with SIGKILL and runs again. Usage:
//   CrashResumeProgram BACKUP_DIR RESULT_FILE [--kill-after-batches N] [--kill-in-backup-write-after-batches N]
// It writes RESULT_FILE (History JSON plus the final weights' bit patterns) when training ends.
import Foundation
import Kestrel
#if canImport(Glibc)
import Glibc
#endif

/// Kills the process with SIGKILL after `batches` training batches, or — with `duringWrite` — in the
/// next backup write after that, once its temporary file is flushed and before the rename
/// (`AtomicFile.faultInjectionVariable`).
final class Killer: Callback, @unchecked Sendable {
    let batches: Int
    let duringWrite: Bool
    private var seen = 0

    init(batches: Int, duringWrite: Bool) {
        self.batches = batches
        self.duringWrite = duringWrite
    }

    override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
        seen += 1
        guard seen == batches else { return }
        guard duringWrite else { kill(getpid(), SIGKILL); return }
        // The next atomic write (the backup) kills the process between its flushed temporary file and the rename.
        setenv(AtomicFile.faultInjectionVariable, "1", 1)
    }
}

func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 3 else {
        FileHandle.standardError.write(Data("usage: CrashResumeProgram BACKUP_DIR RESULT_FILE [--kill-after-batches N | --kill-in-backup-write-after-batches N]\n".utf8))
        exit(2)
    }
    let backupDir = arguments[1], resultPath = arguments[2]
    Kestrel.setRandomSeed(12)
    var generator = RandomGenerator(seed: 3)
    let x = try Tensor(shape: [400, 32], scalars: (0..<(400 * 32)).map { _ in generator.nextNormal() })
    let y = Tensor(labels: (0..<400).map { ($0 * 7) % 5 })
    let model = try Sequential {
        Input(shape: [32])
        Dense(256, activation: .relu)
        Dropout(0.25)
        Dense(256, activation: .relu)
        Dense(5, activation: .softmax)
    }
    try model.compile(optimizer: .adam(learningRate: 0.003), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
    var callbacks: [Callback] = [
        try BackupAndRestore(backupDir: backupDir, saveFreq: .batches(4)),
        EarlyStopping(monitor: "val_loss", patience: 3),
        try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1),
    ]
    if arguments.count >= 5, let count = Int(arguments[4]) {
        callbacks.append(Killer(batches: count, duringWrite: arguments[3] == "--kill-in-backup-write-after-batches"))
    }
    let history = try model.fit(x, y, epochs: 5, batchSize: 32, verbose: 0, validationSplit: 0.2, callbacks: callbacks)
    var result = String(decoding: try history.jsonData(), as: UTF8.self) + "\n"
    for weight in model.getWeights() {
        result += weight.scalars.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") + "\n"
    }
    try AtomicFile.write(result, to: resultPath)
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("CrashResumeProgram: \(error)\n".utf8))
    exit(1)
}
