import Foundation

/// The last scan of a run folder, read again only when the folder changed: a check `stat`s the folders walked and the
/// log files found last time (a cost in the number of folders and logs, not in the folder's other files), at most
/// once per `minimumInterval` seconds and never two at once; only a changed stamp re-walks and re-reads the folder.
final class FolderScanCache: @unchecked Sendable {
    /// The folder scanned.
    let folder: RunFolder
    /// The least time between two checks made for requests.
    let minimumInterval: Double
    private let lock = NSLock()
    private let checking = NSLock()
    private var stamps: [String: FileStamp]
    private var runsValue: [DashboardRun]
    private var lastCheck: Double
    /// Unreadable CSV logs found by the first scan, one sentence each.
    let problems: [String]

    /// Scans `folder` now.
    init(folder: RunFolder, minimumInterval: Double = 1) {
        self.folder = folder
        self.minimumInterval = minimumInterval
        let scan = folder.scanWithStamps()
        stamps = scan.stamps
        runsValue = scan.runs
        problems = scan.problems
        lastCheck = DashboardClock.now
    }

    /// The runs of the latest scan.
    var runs: [DashboardRun] { lock.withLock { runsValue } }

    /// The runs when the folder changed since the last look, nil when it did not, when the last check is younger
    /// than `minimumInterval`, or when another check is under way.
    func refreshIfDue() -> [DashboardRun]? {
        claimCheckIfDue() ? refresh() : nil
    }

    /// Whether a check is due (the last one is at least `minimumInterval` old); true only for the first caller,
    /// which is then expected to call `refresh()`.
    func claimCheckIfDue() -> Bool {
        lock.withLock {
            let now = DashboardClock.now
            guard now - lastCheck >= minimumInterval else { return false }
            lastCheck = now
            return true
        }
    }

    /// The runs when the folder changed since the last look; nil when it did not or another check is under way.
    func refresh() -> [DashboardRun]? {
        guard checking.try() else { return nil }
        defer { checking.unlock() }
        let previous = lock.withLock { stamps }
        let changed = previous.contains { FileStamp(path: $0.key) != $0.value }
        lock.withLock { lastCheck = DashboardClock.now }
        guard changed else { return nil }
        let scan = folder.scanWithStamps()
        lock.withLock {
            stamps = scan.stamps
            runsValue = scan.runs
        }
        return scan.runs
    }
}
