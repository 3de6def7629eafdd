import Kestrel

/// Why a dashboard could not start or serve; each names the argument and the fix.
enum DashboardError {
    /// The server did not answer in time.
    static func timedOut(_ what: String, seconds: Double) -> KestrelError {
        .invalidState("Dashboard: \(what) did not finish within \(Int(seconds)) s.")
    }

    /// A host that is not an IP address.
    static func badHost(_ host: String) -> KestrelError {
        .invalidArgument("Dashboard: host '\(host)' is not an IPv4 or IPv6 address; write 127.0.0.1 (this machine only, the default), ::1, or 0.0.0.0 to listen on every interface.")
    }

    /// A port outside 0…65535.
    static func badPort(_ port: Int) -> KestrelError {
        .invalidArgument("Dashboard: port must be in 0...65535 (0 picks a free port), got \(port).")
    }

    /// Binding failed (port taken, no permission).
    static func cannotListen(host: String, port: Int, _ error: any Error) -> KestrelError {
        .invalidState("Dashboard: cannot listen on \(host):\(port) (\(error.localizedDescription)); choose another port (--dashboard 0 picks a free one) or stop the program using it.")
    }
}
