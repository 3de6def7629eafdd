import Foundation

/// The memory this process may still use: the least of the cgroup limit (cgroup v2 `memory.max` less
/// `memory.current`, or v1 `memory.limit_in_bytes` less `memory.usage_in_bytes`) and the kernel's
/// `MemAvailable`. Images and datasets whose decoded size would not fit are refused before anything is
/// decoded or allocated, instead of ending in the allocator's "Fatal error: out of memory".
public enum MemoryBudget {
    /// Bytes this process may still allocate, or nil where neither source can be read (not Linux).
    public static func availableBytes() -> Int? {
        var candidates: [Int] = []
        if let available = memAvailable() { candidates.append(available) }
        if let cgroup = cgroupRoom() { candidates.append(cgroup) }
        return candidates.min()
    }

    /// Throws a `DataError` naming `what`, the bytes needed and the bytes available, with `fix`
    /// (the option to change), when `bytes` is more than the process may use.
    public static func check(bytes: Int, what: String, fix: String) throws {
        guard let available = availableBytes(), bytes > available else { return }
        throw DataError("\(what) needs about \(format(bytes)) of memory, more than the \(format(available)) this process may use (cgroup limit or MemAvailable); \(fix)")
    }

    /// "1.6 GB", "820 MB".
    static func format(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30)) : String(format: "%.0f MB", Double(bytes) / Double(1 << 20))
    }

    private static func memAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]), kilobytes < Int.max / 1024 else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// The cgroup's limit less its usage, nil when unlimited or unreadable.
    private static func cgroupRoom() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        var pairs: [(limit: String, usage: String)] = []
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[0] == "0", parts[1].isEmpty {
                for root in ["/sys/fs/cgroup\(path)", "/sys/fs/cgroup"] {
                    pairs.append(("\(root)/memory.max", "\(root)/memory.current"))
                }
            } else if parts[1].split(separator: ",").contains("memory") {
                for root in ["/sys/fs/cgroup/memory\(path)", "/sys/fs/cgroup/memory"] {
                    pairs.append(("\(root)/memory.limit_in_bytes", "\(root)/memory.usage_in_bytes"))
                }
            }
        }
        for pair in pairs {
            guard let limit = number(pair.limit) else { continue }
            // v1 reports "no limit" as a page-rounded Int64.max.
            guard limit < 1 << 60 else { return nil }
            return max(0, limit - (number(pair.usage) ?? 0))
        }
        return nil
    }

    private static func number(_ path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
