#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-descriptor limit (RLIMIT_NOFILE), which caps the connections a server can hold.
enum DescriptorLimit {
    /// Raises the soft limit to the hard one where allowed (the usual soft limit, 1024, is far below the usual hard
    /// one) and returns the soft limit in force.
    @discardableResult
    static func raiseToHardLimit() -> Int {
        var limits = rlimit()
        guard getrlimit(resourceNumber, &limits) == 0 else { return 1024 }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            // Some systems report an unlimited hard limit that setrlimit refuses; a million descriptors is plenty.
            raised.rlim_cur = min(limits.rlim_max, 1 << 20)
            if setrlimit(resourceNumber, &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limits.rlim_cur)
    }

    #if canImport(Glibc)
    private static var resourceNumber: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
    #else
    private static var resourceNumber: Int32 { RLIMIT_NOFILE }
    #endif
}
