import Foundation
import Kestrel

/// Trains `Doctor`'s runs in `parallelism` worker processes at once, each with its own engine
/// thread count (`KESTREL_NUM_THREADS`, 1 by default). The workers are the same program started
/// with `arguments` (e.g. `kestrel doctor … --worker`), so they load the same recipe and data,
/// and each run is the one `SequentialDoctorRunner` would train with that many threads: same
/// seed, same history (another thread count can change val_loss in its last digits, as large
/// inference products are split differently).
///
/// Independent runs of a small model often go faster this way than one run after another with
/// every core, because a small model's kernels cannot keep several cores busy.
public final class DoctorWorkerPool: DoctorRunner, @unchecked Sendable {
    /// Worker processes (runs at a time).
    public let parallelism: Int
    private let executable: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let lock = NSLock()
    private var workers: [DoctorWorkerProcess] = []

    /// A pool of `workers` processes of `executable arguments…` (at most one per core: more cannot
    /// train faster, only take memory), each with `threadsPerWorker` engine threads. Nothing starts
    /// before the first `train`, which starts no more workers than it has runs. Each worker watches
    /// this process (`DoctorWorker.exitWithParent`) and ends when it does.
    public init(executable: URL, arguments: [String], workers: Int, threadsPerWorker: Int = 1,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        parallelism = min(max(1, workers), max(1, ProcessInfo.processInfo.activeProcessorCount))
        self.executable = executable
        self.arguments = arguments
        var environment = environment
        environment["KESTREL_NUM_THREADS"] = String(max(1, threadsPerWorker))
        environment[DoctorWorker.parentVariable] = String(getpid())
        self.environment = environment
    }

    deinit { shutdown() }

    /// Closes the workers' input (they exit) and waits for them.
    public func shutdown() {
        let stopping = lock.withLock { () -> [DoctorWorkerProcess] in
            defer { workers = [] }
            return workers
        }
        for worker in stopping { worker.stop() }
    }

    /// The workers for `jobs` runs: started as needed, never more than `parallelism`.
    private func startedWorkers(for jobs: Int) throws -> [DoctorWorkerProcess] {
        try lock.withLock {
            // A worker that dies must not kill the doctor with SIGPIPE when it is sent a job.
            signal(SIGPIPE, SIG_IGN)
            while workers.count < min(parallelism, jobs) {
                workers.append(try DoctorWorkerProcess(executable: executable, arguments: arguments, environment: environment))
            }
            return Array(workers.prefix(min(parallelism, jobs)))
        }
    }

    /// Trains the jobs, `parallelism` at a time; `base` and `data` are the workers' own (they
    /// were started with the same options). The first failure stops the dispatch and is thrown
    /// once the runs in flight have ended.
    public func train(_ jobs: [DoctorJob], base: TrainingRecipe, data: TrainingData,
                      finished: (Int, DoctorRunResult) throws -> Void) throws -> [DoctorRunResult] {
        guard !jobs.isEmpty else { return [] }
        let workers = try startedWorkers(for: jobs.count)
        let board = DispatchBoard(jobs: jobs)
        for worker in workers {
            let thread = Thread { board.work(with: worker) }
            thread.start()
        }
        var results = [DoctorRunResult?](repeating: nil, count: jobs.count)
        var failure: Error?
        while let batch = board.waitForResults(workers: workers.count) {
            for (index, outcome) in batch {
                switch outcome {
                case let .success(result):
                    results[index] = result
                    guard failure == nil else { continue }
                    do { try finished(index, result) } catch { failure = error; board.stop() }
                case let .failure(error):
                    failure = failure ?? error
                    board.stop()
                }
            }
        }
        if let failure { throw failure }
        return try results.enumerated().map { index, result in
            guard let result else { throw TrainingRecipeError(message: "The doctor's worker processes returned no result for run \(index + 1).") }
            return result
        }
    }
}

/// The jobs of one `train` call shared by the worker threads: the next job to hand out, the
/// results not yet delivered, and how many threads have ended.
private final class DispatchBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private let jobs: [DoctorJob]
    private var next = 0
    private var stopped = false
    private var delivered: [(Int, Result<DoctorRunResult, Error>)] = []
    private var threadsDone = 0

    init(jobs: [DoctorJob]) { self.jobs = jobs }

    func stop() { condition.withLock { stopped = true } }

    /// One worker thread: takes jobs until none is left (or the board is stopped).
    func work(with worker: DoctorWorkerProcess) {
        while true {
            let taken: (Int, DoctorJob)? = condition.withLock {
                guard !stopped, next < jobs.count else { return nil }
                defer { next += 1 }
                return (next, jobs[next])
            }
            guard let (index, job) = taken else { break }
            let outcome = Result { try worker.run(job) }
            condition.withLock {
                delivered.append((index, outcome))
                if case .failure = outcome { stopped = true }
                condition.signal()
            }
        }
        condition.withLock {
            threadsDone += 1
            condition.signal()
        }
    }

    /// The results delivered since the last call (waiting for one); nil once every thread has
    /// ended and everything was delivered.
    func waitForResults(workers: Int) -> [(Int, Result<DoctorRunResult, Error>)]? {
        condition.withLock {
            while delivered.isEmpty, threadsDone < workers { condition.wait() }
            if delivered.isEmpty { return nil }
            defer { delivered = [] }
            return delivered
        }
    }
}

/// One worker process and its pipes.
final class DoctorWorkerProcess: @unchecked Sendable {
    private let process = Process()
    private let input: FileHandle
    private let output: FileHandle
    private var buffer = Data()

    init(executable: URL, arguments: [String], environment: [String: String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let inputPipe = Pipe(), outputPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        input = inputPipe.fileHandleForWriting
        output = outputPipe.fileHandleForReading
        do {
            try process.run()
        } catch {
            throw TrainingRecipeError(message: "Cannot start a doctor worker process (\(executable.path)): \(error).")
        }
    }

    /// Sends one job and waits for its answer.
    func run(_ job: DoctorJob) throws -> DoctorRunResult {
        var line = try DoctorWire.encoder().encode(job)
        line.append(0x0A)
        do {
            try input.write(contentsOf: line)
        } catch {
            throw TrainingRecipeError(message: "A doctor worker process stopped taking runs (\(error)); see its messages above.")
        }
        while let text = readLine() {
            guard text.hasPrefix(DoctorWorker.replyPrefix) else {
                FileHandle.standardError.write(Data((text + "\n").utf8))
                continue
            }
            let reply = try DoctorWire.decoder().decode(DoctorWorkerReply.self, from: Data(text.dropFirst(DoctorWorker.replyPrefix.count).utf8))
            if let result = reply.result { return result }
            throw TrainingRecipeError(message: reply.error ?? "A doctor worker process answered neither a result nor an error.")
        }
        process.waitUntilExit()
        throw TrainingRecipeError(message: "A doctor worker process ended (status \(process.terminationStatus)) before answering; see its messages above.")
    }

    private func readLine() -> String? {
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = output.availableData
            if chunk.isEmpty {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(chunk)
        }
    }

    /// Closes the input (the worker's loop ends) and waits for the process.
    func stop() {
        try? input.close()
        process.waitUntilExit()
    }
}
