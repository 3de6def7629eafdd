import Foundation

/// Runs async work from synchronous code (callback hooks, the CLI) and waits for its result.
/// Call it from a plain thread, not from inside a Swift concurrency task, which it would block.
enum BlockingTask {
    /// Waits at most `timeout` seconds for `body`; throws what it throws, or a timeout error naming `what`.
    static func run<T: Sendable>(_ what: String, timeout: Double, _ body: @Sendable @escaping () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let task = Task { box.set(await Result { try await body() }) }
        guard box.wait(timeout: timeout), let result = box.result else {
            task.cancel()
            throw DashboardError.timedOut(what, seconds: timeout)
        }
        return try result.get()
    }
}

/// The first result set, and a semaphore to wait for it.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let semaphore = DispatchSemaphore(value: 0)
    private var stored: Result<T, any Error>?

    /// Keeps `result` unless one is already there.
    func set(_ result: Result<T, any Error>) {
        let first = lock.withLock { () -> Bool in
            guard stored == nil else { return false }
            stored = result
            return true
        }
        if first { semaphore.signal() }
    }

    /// Waits until a result is set; false after `timeout` seconds.
    func wait(timeout: Double) -> Bool { semaphore.wait(timeout: .now() + timeout) == .success }

    var result: Result<T, any Error>? { lock.withLock { stored } }
}

extension Result where Failure == any Error {
    /// The result of an async throwing closure.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
