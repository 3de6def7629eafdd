#if MPI
import CMPI
import Foundation

/// Open MPI's world communicator (the processes `mpirun` started), with the `MPI` trait.
///
/// Errors come back as return codes (MPI_ERRORS_RETURN) and every collective is non-blocking under the
/// hood, polled against a deadline (`timeoutSeconds`, default 60, or `KESTREL_MPI_TIMEOUT`): a rank
/// that died or hangs makes the others throw a `DistributedError` instead of waiting for ever. Before
/// each collective every rank sends rank 0 a small arrival note, so rank 0's error names the ranks that
/// never arrived. After such a failure the process ends with `MPI_Abort` instead of `MPI_Finalize`
/// (which would wait for the missing rank), so `mpirun` takes the whole job down.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    /// This process's rank in MPI_COMM_WORLD.
    public let rank: Int
    /// The number of processes in MPI_COMM_WORLD.
    public let size: Int
    private let world: MPI_Comm
    private let lock = NSLock()
    private var timeout: Double
    private var sequence = 0

    /// The world communicator, initialising MPI on first use (once per process, as MPI requires).
    public static func world() throws -> MPICommunicator { try shared.get() }

    private static let shared: Result<MPICommunicator, DistributedError> = Result { try MPICommunicator() }
        .mapError { $0 as? DistributedError ?? DistributedError(rank: 0, "\($0)") }
    private static let failure = FailureFlag()

    private init() throws {
        var provided: Int32 = 0
        let code = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided)
        guard code == MPI_SUCCESS else { throw DistributedError(rank: 0, "MPI_Init_thread failed with code \(code).") }
        world = kestrel_mpi_comm_world()
        MPI_Comm_set_errhandler(world, kestrel_mpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(world, &rank)
        MPI_Comm_size(world, &size)
        self.rank = Int(rank)
        self.size = Int(size)
        let fromEnvironment = ProcessInfo.processInfo.environment["KESTREL_MPI_TIMEOUT"].flatMap(Double.init)
        timeout = fromEnvironment.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? 60
        atexit {
            var finalized: Int32 = 0
            MPI_Finalized(&finalized)
            guard finalized == 0 else { return }
            if MPICommunicator.failure.isSet { MPI_Abort(kestrel_mpi_comm_world(), 1) } else { MPI_Finalize() }
        }
    }

    /// How long a collective waits for the other ranks before it throws (seconds, default 60).
    public var timeoutSeconds: Double {
        get { lock.withLock { timeout } }
        set { lock.withLock { timeout = newValue > 0 && newValue.isFinite ? newValue : timeout } }
    }

    /// MPI_Bcast of `values` from `root`.
    public func broadcast(_ values: inout [Float], root: Int) throws {
        guard root >= 0, root < size else { throw DistributedError(rank: rank, "broadcast root \(root) is not a rank (0..<\(size)).") }
        let count = try mpiCount(values.count, "broadcast")
        let name = "broadcast of \(values.count) floats"
        try values.withUnsafeMutableBytes { buffer in
            try collective(name) { request in
                MPI_Ibcast(buffer.baseAddress, count, kestrel_mpi_float(), Int32(root), world, &request)
            }
        }
    }

    /// MPI_Bcast of the length, then of the bytes, from `root`.
    public func broadcastBytes(_ bytes: inout [UInt8], root: Int) throws {
        guard root >= 0, root < size else { throw DistributedError(rank: rank, "broadcast root \(root) is not a rank (0..<\(size)).") }
        var length = [Int32(try mpiCount(bytes.count, "broadcast of bytes"))]
        try length.withUnsafeMutableBytes { buffer in
            try collective("broadcast of a byte count") { request in
                MPI_Ibcast(buffer.baseAddress, 1, kestrel_mpi_int(), Int32(root), world, &request)
            }
        }
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(length[0])) }
        guard length[0] > 0 else { return }
        try bytes.withUnsafeMutableBytes { buffer in
            try collective("broadcast of \(length[0]) bytes") { request in
                MPI_Ibcast(buffer.baseAddress, length[0], kestrel_mpi_byte(), Int32(root), world, &request)
            }
        }
    }

    /// MPI_Allreduce(MPI_SUM) of `values`, in place.
    public func allreduceSum(_ values: inout [Float]) throws {
        let name = "sum of \(values.count) floats"
        try allreduce(&values, type: kestrel_mpi_float(), operation: kestrel_mpi_sum(), name: name)
    }

    /// MPI_Allreduce(MPI_SUM) of `values`, in place.
    public func allreduceSum(_ values: inout [Double]) throws {
        let name = "sum of \(values.count) doubles"
        try allreduce(&values, type: kestrel_mpi_double(), operation: kestrel_mpi_sum(), name: name)
    }

    /// MPI_Allreduce(MPI_MAX) of `values`, in place.
    public func allreduceMax(_ values: inout [Double]) throws {
        let name = "maximum of \(values.count) doubles"
        try allreduce(&values, type: kestrel_mpi_double(), operation: kestrel_mpi_max(), name: name)
    }

    /// MPI_Barrier.
    public func barrier() throws {
        try collective("barrier") { request in MPI_Ibarrier(world, &request) }
    }

    /// MPI_Gather of the byte counts, then MPI_Gatherv of the bytes, onto `root`.
    public func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? {
        guard root >= 0, root < size else { throw DistributedError(rank: rank, "gather root \(root) is not a rank (0..<\(size)).") }
        var mine = [Int32(try mpiCount(bytes.count, "gather"))]
        var counts = [Int32](repeating: 0, count: size)
        try mine.withUnsafeMutableBytes { send in
            try counts.withUnsafeMutableBytes { receive in
                try collective("gather of byte counts") { request in
                    MPI_Igather(send.baseAddress, 1, kestrel_mpi_int(), receive.baseAddress, 1, kestrel_mpi_int(), Int32(root), world, &request)
                }
            }
        }
        var offsets = [Int32](repeating: 0, count: size)
        var total = 0
        for index in 0..<size {
            offsets[index] = Int32(try mpiCount(total, "gather"))
            total += Int(counts[index])
        }
        var received = [UInt8](repeating: 0, count: rank == root ? total : 0)
        var sending = bytes
        try sending.withUnsafeMutableBytes { send in
            try received.withUnsafeMutableBytes { receive in
                try counts.withUnsafeBufferPointer { countPointer in
                    try offsets.withUnsafeBufferPointer { offsetPointer in
                        try collective("gather of \(bytes.count) bytes") { request in
                            MPI_Igatherv(send.baseAddress, mine[0], kestrel_mpi_byte(), receive.baseAddress, countPointer.baseAddress,
                                         offsetPointer.baseAddress, kestrel_mpi_byte(), Int32(root), world, &request)
                        }
                    }
                }
            }
        }
        guard rank == root else { return nil }
        return (0..<size).map { Array(received[Int(offsets[$0])..<(Int(offsets[$0]) + Int(counts[$0]))]) }
    }

    private func allreduce<Element>(_ values: inout [Element], type: MPI_Datatype, operation: MPI_Op, name: String) throws {
        let count = try mpiCount(values.count, name)
        try values.withUnsafeMutableBytes { buffer in
            try collective(name) { request in
                MPI_Iallreduce(kestrel_mpi_in_place(), buffer.baseAddress, count, type, operation, world, &request)
            }
        }
    }

    private func mpiCount(_ count: Int, _ operation: String) throws -> Int32 {
        guard let value = Int32(exactly: count) else {
            throw DistributedError(rank: rank, "\(operation): \(count) elements exceed MPI's 32-bit count; split the buffer.")
        }
        return value
    }

    /// MPI_Iallreduce(MPI_SUM) of `buffer`, in place, left running: the returned reduction is moved on
    /// by its `test()` and finished by its `wait()` (at most `timeoutSeconds` from the wait's start).
    public func startAllreduceSum(_ buffer: ReductionBuffer) throws -> any PendingReduction {
        let count = try mpiCount(buffer.count, "sum of \(buffer.count) floats")
        let started = try lock.withLock {
            try begin("sum of \(buffer.count) floats") { request in
                MPI_Iallreduce(kestrel_mpi_in_place(), buffer.base, count, kestrel_mpi_float(), kestrel_mpi_sum(), world, &request)
            }
        }
        return MPIPendingReduction(communicator: self, started: started, buffer: buffer)
    }

    /// Starts a non-blocking collective and waits for it, at most `timeoutSeconds`, with rank 0
    /// collecting arrival notes so that a timeout can name the missing ranks.
    private func collective(_ operation: String, start: (inout MPI_Request?) -> Int32) throws {
        try lock.withLock {
            var started = try begin(operation, start: start)
            try finish(&started)
        }
    }

    /// A collective started and not yet finished, with its arrival notes.
    struct StartedCollective {
        var request: MPI_Request?
        fileprivate var arrivals: Arrivals
        let sequence: Int
        let operation: String
    }

    /// Posts the arrival notes and starts the collective (the caller holds `lock`).
    private func begin(_ operation: String, start: (inout MPI_Request?) -> Int32) throws -> StartedCollective {
        sequence += 1
        let tag = Int32(sequence % 32_000)
        let arrivals = try postArrivalNotes(tag: tag)
        var request: MPI_Request? = kestrel_mpi_request_null()
        try check(start(&request), operation)
        return StartedCollective(request: request, arrivals: arrivals, sequence: sequence, operation: operation)
    }

    /// Moves `started` on once (MPI_Test) and returns whether it has completed.
    func test(_ started: inout StartedCollective) throws -> Bool {
        try lock.withLock {
            var done: Int32 = 0
            try check(MPI_Test(&started.request, &done, kestrel_mpi_status_ignore()), "MPI_Test")
            return done != 0
        }
    }

    /// Waits for `started` (and its arrival notes), at most `timeoutSeconds`.
    func complete(_ started: inout StartedCollective) throws {
        try lock.withLock { try finish(&started) }
    }

    /// Waits for `started` and its arrival notes (the caller holds `lock`); on a timeout marks the
    /// process failed and throws naming the ranks that never arrived.
    private func finish(_ started: inout StartedCollective) throws {
        let deadline = Date().addingTimeInterval(timeout)
        do {
            try wait(&started.request, until: deadline)
            for index in started.arrivals.notes.indices { try wait(&started.arrivals.notes[index], until: deadline) }
        } catch is TimedOut {
            MPICommunicator.failure.set()
            let missing = started.arrivals.missingRanks()
            let who = rank != 0 ? "rank 0 saw which ranks were missing (see its message)"
                : missing.isEmpty ? "every rank arrived, so one hangs inside the operation"
                : "rank\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) never arrived (died or hangs)"
            throw DistributedError(rank: rank, "\(started.operation) (collective #\(started.sequence)) did not complete within \(timeout) s: \(who). "
                + "Set KESTREL_MPI_TIMEOUT (seconds) to wait longer.")
        }
    }

    private struct TimedOut: Error {}

    /// Arrival notes: every other rank sends rank 0 its sequence number before a collective.
    fileprivate struct Arrivals {
        var notes: [MPI_Request?]
        var received: [Int32]
        var ranks: [Int]
        func missingRanks() -> [Int] {
            zip(ranks, notes).compactMap { rank, request in
                var done: Int32 = 0
                var copy = request
                MPI_Test(&copy, &done, kestrel_mpi_status_ignore())
                return done != 0 ? nil : rank
            }
        }
    }

    private func postArrivalNotes(tag: Int32) throws -> Arrivals {
        if rank == 0 {
            let others = Array(1..<size)
            var notes = [MPI_Request?](repeating: kestrel_mpi_request_null(), count: others.count)
            var received = [Int32](repeating: 0, count: others.count)
            // The receive buffers are never read: only whether a note came matters.
            for (index, source) in others.enumerated() {
                try check(MPI_Irecv(&received[index], 0, kestrel_mpi_int(), Int32(source), tag, world, &notes[index]), "arrival note")
            }
            return Arrivals(notes: notes, received: received, ranks: others)
        }
        var note: MPI_Request? = kestrel_mpi_request_null()
        try check(MPI_Isend(nil, 0, kestrel_mpi_int(), 0, tag, world, &note), "arrival note")
        try check(MPI_Request_free(&note), "arrival note")
        return Arrivals(notes: [], received: [], ranks: [])
    }

    /// Polls `request` until it completes or `deadline` passes; sleeps a little between polls so that
    /// ranks sharing a core (`--oversubscribe`) leave it to the rank doing work.
    private func wait(_ request: inout MPI_Request?, until deadline: Date) throws {
        var polls = 0
        while true {
            var done: Int32 = 0
            try check(MPI_Test(&request, &done, kestrel_mpi_status_ignore()), "MPI_Test")
            if done != 0 { return }
            polls += 1
            if polls > 64 { usleep(polls > 4096 ? 500 : 20) }
            if polls % 64 == 0, Date() > deadline { throw TimedOut() }
        }
    }

    private func check(_ code: Int32, _ operation: String) throws {
        guard code != MPI_SUCCESS else { return }
        MPICommunicator.failure.set()
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError(rank: rank, "\(operation) failed: \(message) (MPI error \(code)); another rank has probably died.")
    }
}

#endif
