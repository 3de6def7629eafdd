import Foundation

/// Set once a collective failed: the process then ends with MPI_Abort rather than MPI_Finalize.
final class FailureFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
