import Foundation
import KestrelDiagnostics

/// The runs a dashboard shows and the pages listening to it, shared by the training thread (callback hooks) and
/// the server's tasks; every access goes through one lock.
final class DashboardState: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [DashboardRun] = []
    private var title: String
    private var subtitle = ""
    private var runsPlanned = 1
    private var perClass: String?
    private var latestUpdate: Data?
    private var epochEvents: [Data] = []
    private var versionValue = 0
    /// Whether the runs come from a folder (`kestrel serve`).
    let isFolder: Bool
    let options: DiagnosisOptions
    /// The pages listening on `GET /events`.
    let events = EventBroadcaster()

    init(title: String, isFolder: Bool = false, options: DiagnosisOptions = DiagnosisOptions()) {
        self.title = title
        self.isFolder = isFolder
        self.options = options
    }

    /// Changes the runs (or the headings) under the lock.
    func update(_ body: (inout Contents) -> Void) {
        lock.withLock {
            var contents = Contents(runs: runs, title: title, subtitle: subtitle, runsPlanned: runsPlanned, perClass: perClass)
            body(&contents)
            runs = contents.runs
            title = contents.title
            subtitle = contents.subtitle
            runsPlanned = max(contents.runsPlanned, contents.runs.count, 1)
            perClass = contents.perClass
            versionValue += 1
        }
    }

    /// A number that grows with every `update` (cached renderings are keyed on it).
    var version: Int { lock.withLock { versionValue } }

    /// The mutable part of the state, handed to `update`.
    struct Contents {
        var runs: [DashboardRun]
        var title: String
        var subtitle: String
        var runsPlanned: Int
        var perClass: String?

        /// The run being trained (the last one), if any.
        var current: DashboardRun? {
            get { runs.last }
            set { if let newValue, !runs.isEmpty { runs[runs.count - 1] = newValue } }
        }
    }

    /// A view of the state as it is now.
    func view() -> DashboardView {
        lock.withLock {
            DashboardView(title: title, subtitle: subtitle, runs: runs, runsPlanned: runsPlanned, isFolder: isFolder,
                          perClass: perClass, options: options, now: DashboardClock.now)
        }
    }

    /// The Kestrel history JSON of the run called `name`, or of the last run when nil; nil when there is no such run.
    func historyJSON(run name: String?) throws -> Data? {
        let run = lock.withLock { name.map { name in runs.last { $0.name == name } } ?? runs.last }
        guard let run else { return name == nil ? try HistoryJSON.empty() : nil }
        return try HistoryFile.json(run.log)
    }

    /// Renders the page for every run and pushes it as an `update` event; also kept for pages that connect later.
    func publishUpdate() {
        let payload = view().payload(selection: nil)
        guard let data = try? JSONEncoder().encode(payload) else { return }
        lock.withLock { latestUpdate = data }
        events.publish(event: "update", payload: data)
    }

    /// Pushes an `epoch` event: `{"run": NAME, "epoch": E, "logs": {...}}` (E 0-based, as Keras's `on_epoch_end`).
    func publishEpoch(run: String, epoch: Int, logs: [String: Double]) {
        let finite = logs.filter { $0.value.isFinite }
        let object: [String: Any] = ["run": run, "epoch": epoch, "logs": finite]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        lock.withLock { epochEvents.append(data) }
        events.publish(event: "epoch", payload: data)
    }

    /// What a page receives first when it connects: the epochs so far, then the latest update.
    func initialEvents() -> [Data] {
        let (epochs, update) = lock.withLock { (epochEvents.suffix(1000), latestUpdate) }
        var initial = epochs.map { EventBroadcaster.encode(event: "epoch", id: nil, payload: $0) }
        let latest = update ?? (try? JSONEncoder().encode(view().payload(selection: nil)))
        if let latest { initial.append(EventBroadcaster.encode(event: "update", id: nil, payload: latest)) }
        return initial
    }
}

/// The history JSON of a run that has not finished an epoch yet.
enum HistoryJSON {
    static func empty() throws -> Data { try HistoryFile.json(TrainingLog()) }
}
