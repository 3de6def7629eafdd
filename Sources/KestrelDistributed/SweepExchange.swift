/// The collectives of a sweep of independent runs spread over ranks (`kestrel fit --seeds`, `kestrel
/// doctor` under `mpirun`): each rank trains whole runs on its own, then the ranks exchange the
/// results as bytes.
///
/// A rank that finished its runs waits in the exchange for the ranks still training, which is normal in
/// a sweep and may last far longer than the communicator's fault timeout (60 s by default). So each
/// exchange waits at most `timeout + 10 × longestRunSeconds` (the longest run seen so far on any rank),
/// or `KESTREL_SWEEP_TIMEOUT` seconds when set; before any run is known, 24 hours. A rank that dies is
/// still caught at once by `mpirun`, which ends the job.
public enum SweepExchange {
    /// The environment variable that fixes how long a sweep's exchange waits (seconds).
    public static let timeoutVariable = "KESTREL_SWEEP_TIMEOUT"

    /// Collects every rank's `bytes` on rank 0 (rank order); nil on the other ranks.
    public static func gather(_ bytes: [UInt8], over communicator: any Communicator, longestRunSeconds: Double,
                              environment: [String: String] = LaunchEnvironment.processEnvironment()) throws -> [[UInt8]]? {
        try waiting(communicator, longestRunSeconds: longestRunSeconds, environment: environment) {
            try communicator.gather(bytes, root: 0)
        }
    }

    /// Every rank's `bytes` on every rank (rank order): gathered on rank 0, then broadcast.
    public static func allgather(_ bytes: [UInt8], over communicator: any Communicator, longestRunSeconds: Double,
                                 environment: [String: String] = LaunchEnvironment.processEnvironment()) throws -> [[UInt8]] {
        guard communicator.size > 1 else { return [bytes] }
        return try waiting(communicator, longestRunSeconds: longestRunSeconds, environment: environment) {
            let gathered = try communicator.gather(bytes, root: 0)
            var frame = gathered.map(Self.frame) ?? []
            try communicator.broadcastBytes(&frame, root: 0)
            return try unframe(frame, ranks: communicator.size, rank: communicator.rank)
        }
    }

    /// How long an exchange waits: `KESTREL_SWEEP_TIMEOUT`, else `base + 10 × longestRunSeconds`, else 24 h.
    public static func timeout(base: Double, longestRunSeconds: Double, environment: [String: String]) -> Double {
        if let text = environment[timeoutVariable], let value = Double(text), value > 0, value.isFinite { return value }
        guard longestRunSeconds > 0, longestRunSeconds.isFinite else { return 24 * 3600 }
        return base + 10 * longestRunSeconds
    }

    private static func waiting<T>(_ communicator: any Communicator, longestRunSeconds: Double, environment: [String: String],
                                   _ body: () throws -> T) throws -> T {
        #if MPI
        if let world = communicator as? MPICommunicator {
            let before = world.timeoutSeconds
            world.timeoutSeconds = max(before, timeout(base: before, longestRunSeconds: longestRunSeconds, environment: environment))
            defer { world.timeoutSeconds = before }
            return try body()
        }
        #endif
        return try body()
    }

    /// The parts as one byte string: each part's length (8 bytes, little-endian), then its bytes.
    static func frame(_ parts: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            let count = UInt64(part.count)
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: count >> (8 * UInt64($0))) }
            bytes += part
        }
        return bytes
    }

    /// The inverse of `frame`, expecting `ranks` parts; throws on a frame that does not add up.
    static func unframe(_ bytes: [UInt8], ranks: Int, rank: Int) throws -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 8 else { break }
            let count = (0..<8).reduce(UInt64(0)) { $0 | (UInt64(bytes[offset + $1]) << (8 * UInt64($1))) }
            offset += 8
            guard count <= UInt64(bytes.count - offset) else { break }
            parts.append(Array(bytes[offset..<(offset + Int(count))]))
            offset += Int(count)
        }
        guard parts.count == ranks, offset == bytes.count else {
            throw DistributedError(rank: rank, "the sweep's exchanged results are damaged (\(parts.count) of \(ranks) ranks' parts readable).")
        }
        return parts
    }
}
