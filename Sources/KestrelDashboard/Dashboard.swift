import Foundation
import Kestrel
import KestrelDiagnostics

/// A live dashboard in the browser while `fit` runs: the learning curves growing epoch by epoch (and within the
/// epoch every `updateInterval` seconds), progress and ETA, the learning rate, the current verdict with its
/// evidence and the overfitting onset, and — when given at the end — the confusion matrix and per-class table.
/// Updates are pushed to the page with server-sent events (`GET /events`); `GET /history.json` is the live
/// history in Kestrel's history JSON format.
///
/// ```swift
/// let dashboard = try Dashboard(port: 8080)            // http://127.0.0.1:8080/
/// try model.fit(x, y, epochs: 20, validationSplit: 0.2, callbacks: [dashboard])
/// ```
///
/// The server starts at the first `onTrainBegin` (or `start()`) and keeps serving after `fit` returns until
/// `stop()` or the dashboard is released. One dashboard can follow several `fit` calls (seeds): each is a run,
/// named by `nextRunName`, overlaid with the others and, once two have finished, with their mean ± 95 % CI band.
/// It binds 127.0.0.1 unless `host` says otherwise; requests are bounded by `RequestLimits`.
public final class Dashboard: Callback, @unchecked Sendable {
    /// The address listened on ("127.0.0.1" by default; "0.0.0.0" for every interface).
    public let host: String
    /// The port asked for (0 picks a free one; `url` has the one bound).
    public let requestedPort: Int
    /// Seconds between updates within an epoch.
    public var updateInterval: Double
    /// The name the next run gets in the run list (consumed by `onTrainBegin`; "run N" when nil).
    public var nextRunName: String?
    /// Limits on requests.
    public let limits: RequestLimits
    let state: DashboardState
    private let lock = NSLock()
    private var server: DashboardServer?
    private var lastPush = -Double.infinity

    /// A dashboard for `runs` training runs (1, or `--seeds N`).
    /// - Throws: `KestrelError.invalidArgument` for a port outside 0…65535, a host that is not an IP address,
    ///   or an `updateInterval` that is not positive.
    public init(port: Int = 0, host: String = "127.0.0.1", title: String = "Kestrel dashboard", subtitle: String = "",
                runs: Int = 1, updateInterval: Double = 2, limits: RequestLimits = RequestLimits()) throws {
        guard (0...65535).contains(port) else { throw DashboardError.badPort(port) }
        _ = try DashboardServer.address(host: host, port: 0)
        guard updateInterval > 0, updateInterval.isFinite else {
            throw KestrelError.invalidArgument("Dashboard: updateInterval must be a positive number of seconds, got \(updateInterval).")
        }
        guard runs >= 1 else { throw KestrelError.invalidArgument("Dashboard: runs must be at least 1, got \(runs).") }
        self.host = host
        requestedPort = port
        self.updateInterval = updateInterval
        self.limits = limits
        state = DashboardState(title: title)
        super.init()
        state.update {
            $0.subtitle = subtitle
            $0.runsPlanned = runs
        }
    }

    deinit { server?.stop() }

    /// Whether the host only accepts connections from this machine.
    public var isLoopback: Bool { DashboardServer.isLoopback(host) }

    /// The pages listening to the event stream now.
    public var listenerCount: Int { state.events.count }

    /// The page's address once serving (nil before `start()`).
    public var url: URL? { lock.withLock { server?.url } }

    /// Starts serving now (training starts it otherwise) and returns the page's address.
    /// Call from ordinary code, not from inside an async task (it waits for the socket).
    /// - Throws: `KestrelError` when the port cannot be bound.
    @discardableResult
    public func start() throws -> URL {
        try lock.withLock {
            if let server { return server.url }
            let started = try DashboardServer(host: host, port: requestedPort, state: state, limits: limits)
            server = started
            return started.url
        }
    }

    /// Closes the server and every event stream.
    public func stop() {
        let running = lock.withLock { () -> DashboardServer? in
            defer { server = nil }
            return server
        }
        running?.stop()
    }

    /// Shows the confusion matrix and per-class table (with the per-class train gap when `train` is given),
    /// as the report does; call it after `fit`.
    public func showPerClass(_ matrix: ConfusionMatrix, train: ConfusionMatrix? = nil, heldOutName: String = "validation") {
        var report = HTMLReport()
        report.confusionMatrix = matrix
        report.trainConfusionMatrix = train
        report.heldOutName = heldOutName
        let html = report.confusionSection()
        state.update { $0.perClass = html }
        state.publishUpdate()
    }

    /// Sets the line under the heading.
    public func setSubtitle(_ subtitle: String) {
        state.update { $0.subtitle = subtitle }
        state.publishUpdate()
    }

    // MARK: - Hooks

    /// Starts the server on first use and opens a new run (one per `fit`) on the page.
    public override func onTrainBegin(logs: inout [String: Double]) throws {
        try start()
        let now = DashboardClock.now
        let epochs = params.epochs
        let steps = params.steps
        let rate = learningRate
        state.update { contents in
            var run = DashboardRun(name: self.nextRunName ?? "run \(contents.runs.count + 1)")
            run.epochsPlanned = epochs
            run.stepsPerEpoch = steps
            run.startedAt = now
            run.learningRate = rate
            contents.runs.append(run)
        }
        nextRunName = nil
        state.publishUpdate()
    }

    /// Marks the epoch as in progress.
    public override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
        let now = DashboardClock.now
        state.update {
            $0.current?.epochInProgress = epoch
            $0.current?.epochStartedAt = now
            $0.current?.batchesDone = 0
            $0.current?.partial = []
        }
    }

    /// Records the batch; every `updateInterval` seconds pushes the epoch-so-far curve to open pages.
    public override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
        let now = DashboardClock.now
        let snapshot = logs
        let due = now - lastPush >= updateInterval
        let rate = due ? learningRate : nil
        state.update { contents in
            guard var run = contents.current, let epoch = run.epochInProgress else { return }
            run.batchesDone = batch + 1
            if due {
                let steps = max(run.stepsPerEpoch, batch + 1)
                run.partial.append((x: Double(epoch) + Double(batch + 1) / Double(steps), logs: snapshot))
                if let rate { run.learningRate = rate }
            }
            contents.current = run
        }
        if due {
            lastPush = now
            state.publishUpdate()
        }
    }

    /// Adds the epoch to the run's history, updates the verdict and pushes the epoch to open pages.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        let now = DashboardClock.now
        let snapshot = logs
        let rate = learningRate
        var name = ""
        let options = state.options
        state.update { contents in
            guard var run = contents.current else { return }
            run.log.append(epoch: epoch, logs: snapshot)
            run.epochInProgress = nil
            run.partial = []
            if let started = run.epochStartedAt { run.epochSeconds.append(now - started) }
            run.learningRate = snapshot["learning_rate"] ?? rate ?? run.learningRate
            run.noteVerdict(CurveAnalyzer(options: options.whileTraining).diagnose(run.log), epoch: epoch)
            name = run.name
            contents.current = run
        }
        state.publishEpoch(run: name, epoch: epoch, logs: snapshot)
        lastPush = now
        state.publishUpdate()
    }

    /// Marks the run finished with its total time.
    public override func onTrainEnd(logs: inout [String: Double]) throws {
        let now = DashboardClock.now
        state.update { contents in
            guard var run = contents.current else { return }
            run.isFinished = true
            run.epochInProgress = nil
            run.partial = []
            run.totalSeconds = run.startedAt.map { now - $0 }
            contents.current = run
        }
        state.publishUpdate()
    }

    private var learningRate: Double? { model?.optimizer.map { Double($0.learningRate) } }
}
