import Foundation

/// A place taken in a `StreamGate`, given back once: by `leave()`, or when the body holding it is dropped unsent
/// (a failed response head, a closed connection).
final class GateExit: @unchecked Sendable {
    private let lock = NSLock()
    private var gate: StreamGate?

    init(gate: StreamGate) { self.gate = gate }

    deinit { leave() }

    /// Gives the place back (only the first call does).
    func leave() {
        let taken = lock.withLock { () -> StreamGate? in
            defer { gate = nil }
            return gate
        }
        taken?.leave()
    }
}
