import CKernels
import Foundation

/// How many processors this process may really use: the affinity mask (`taskset`, a container's
/// cpuset, `numactl`), the cgroup CPU quota (v2 `cpu.max`, v1 `cpu.cfs_quota_us`, what
/// `docker run --cpus` and Kubernetes CPU limits set) and the machine's online processors, whichever
/// is smallest.
///
/// The parsing is done by pure functions (tested on file contents); `detect()` reads the real files.
public struct ProcessorBudget: Sendable, Equatable {
    /// Processors online on the machine.
    public var onlineProcessors: Int
    /// Processors in the calling thread's affinity mask, when it could be read.
    public var affinityProcessors: Int?
    /// The cgroup CPU quota in processors (1.5 for `--cpus 1.5`), when one is set.
    public var quotaProcessors: Double?

    /// A budget from its parts.
    public init(onlineProcessors: Int, affinityProcessors: Int?, quotaProcessors: Double?) {
        self.onlineProcessors = onlineProcessors
        self.affinityProcessors = affinityProcessors
        self.quotaProcessors = quotaProcessors
    }

    /// The number of threads to use: the smallest of the three, a fractional quota rounded up
    /// (1.5 processors allow two threads to share the time), at least one.
    public var threadCount: Int {
        var count = max(1, onlineProcessors)
        if let affinityProcessors, affinityProcessors > 0 { count = min(count, affinityProcessors) }
        if let quotaProcessors, quotaProcessors > 0 { count = min(count, Int(quotaProcessors.rounded(.up))) }
        return max(1, count)
    }

    /// Reads the calling thread's affinity mask and the process's cgroup quota.
    public static func detect() -> ProcessorBudget {
        let affinity = Int(kestrel_affinity_processor_count())
        return ProcessorBudget(onlineProcessors: ProcessInfo.processInfo.activeProcessorCount,
                               affinityProcessors: affinity > 0 ? affinity : nil,
                               quotaProcessors: CgroupQuota.read())
    }
}

/// The CPU quota of the process's cgroup (v2 or v1), in processors.
enum CgroupQuota {
    /// A directory of the process's cgroup hierarchy that may hold a CPU limit.
    struct LimitDirectory: Equatable {
        /// True for cgroup v2 (`cpu.max`), false for v1 (`cpu.cfs_quota_us` and `cpu.cfs_period_us`).
        let unified: Bool
        /// The directory of the process's own cgroup.
        let path: String
        /// The hierarchy's mount point: limits of the cgroups between it and `path` apply too.
        let mountPoint: String
    }

    /// The smallest quota found in the process's cgroup and its ancestors; nil when none is set.
    static func read() -> Double? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
              let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        var smallest: Double?
        for directory in limitDirectories(membership: membership, mountInfo: mounts) {
            for path in ancestors(of: directory.path, within: directory.mountPoint) {
                let quota = directory.unified
                    ? (try? String(contentsOfFile: path + "/cpu.max", encoding: .utf8)).flatMap(parseCPUMax)
                    : cfsQuota(in: path)
                if let quota { smallest = min(smallest ?? quota, quota) }
            }
        }
        return smallest
    }

    private static func cfsQuota(in directory: String) -> Double? {
        guard let quota = try? String(contentsOfFile: directory + "/cpu.cfs_quota_us", encoding: .utf8),
              let period = try? String(contentsOfFile: directory + "/cpu.cfs_period_us", encoding: .utf8) else { return nil }
        return parseCFSQuota(quota: quota, period: period)
    }

    /// Parses cgroup v2's `cpu.max` ("max 100000" or "150000 100000": quota and period in µs).
    static func parseCPUMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 1, fields[0] != "max", let quota = Double(fields[0]), quota > 0 else { return nil }
        let period = fields.count >= 2 ? Double(fields[1]) ?? 100_000 : 100_000
        return period > 0 ? quota / period : nil
    }

    /// Parses cgroup v1's `cpu.cfs_quota_us` (-1 when unlimited) and `cpu.cfs_period_us`.
    static func parseCFSQuota(quota: String, period: String) -> Double? {
        guard let quota = Double(quota.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0,
              let period = Double(period.trimmingCharacters(in: .whitespacesAndNewlines)), period > 0 else { return nil }
        return quota / period
    }

    /// The directories of the process's CPU cgroups, from `/proc/self/cgroup` and `/proc/self/mountinfo`.
    ///
    /// A membership line is `id:controllers:path` (`0::/path` for v2); a mountinfo line has the
    /// mounted root in field 4, the mount point in field 5 and, after ` - `, the file-system type and
    /// its options. Inside a container the path is often `/` or lies outside the mounted root; the
    /// mount point itself is then the process's cgroup.
    static func limitDirectories(membership: String, mountInfo: String) -> [LimitDirectory] {
        var directories: [LimitDirectory] = []
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let unified = parts[0] == "0" && parts[1].isEmpty
            guard unified || parts[1].split(separator: ",").contains("cpu") else { continue }
            guard let mount = mountPoint(unified: unified, mountInfo: mountInfo) else { continue }
            let cgroupPath = String(parts[2])
            var relative = cgroupPath
            if mount.root != "/" {
                relative = cgroupPath.hasPrefix(mount.root) ? String(cgroupPath.dropFirst(mount.root.count)) : "/"
            }
            let path = relative == "/" || relative.isEmpty ? mount.point : mount.point + relative
            directories.append(LimitDirectory(unified: unified, path: path, mountPoint: mount.point))
        }
        return directories
    }

    private static func mountPoint(unified: Bool, mountInfo: String) -> (root: String, point: String)? {
        for line in mountInfo.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 1 else { continue }
            if unified ? tail[0] == "cgroup2"
                : tail[0] == "cgroup" && tail.count >= 3 && tail[2].split(separator: ",").contains("cpu") {
                return (String(fields[3]), unescapeMountPath(String(fields[4])))
            }
        }
        return nil
    }

    /// Mountinfo writes spaces and similar characters in paths as octal escapes (`\040`).
    private static func unescapeMountPath(_ path: String) -> String {
        guard path.contains("\\") else { return path }
        var result = "", characters = Array(path), index = 0
        while index < characters.count {
            if characters[index] == "\\", index + 3 < characters.count,
               let code = UInt8(String(characters[(index + 1)...(index + 3)]), radix: 8) {
                result.append(Character(UnicodeScalar(code)))
                index += 4
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        return result
    }

    /// `path` and its parents up to and including `mountPoint`.
    static func ancestors(of path: String, within mountPoint: String) -> [String] {
        var result = [path]
        var current = path
        while current.count > mountPoint.count, current.hasPrefix(mountPoint) {
            guard let slash = current.lastIndex(of: "/") else { break }
            current = String(current[..<slash])
            if current.count >= mountPoint.count { result.append(current) }
        }
        return result
    }
}
