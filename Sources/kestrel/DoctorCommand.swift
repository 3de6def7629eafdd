import ArgumentParser
import Foundation
import Kestrel
import KestrelDiagnostics
import KestrelDistributed

/// `kestrel doctor`: trains the model with several seeds, diagnoses it, tries the remedies that
/// fit the verdict with the same seeds and proves which one works.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Diagnose a model, try the remedies that fit the verdict, and prescribe the simplest one that works.",
        discussion: """
        Takes the same model and data options as `kestrel fit` (see `kestrel fit --help` for the MODEL SPEC). \
        Trains the baseline with --seeds seeds, diagnoses it, then trains each remedy that fits the verdict \
        (overfitting: dropout, EarlyStopping, L2, augmentation for images, smaller model, ReduceLROnPlateau, \
        BatchNormalization, the best two combined; under-training: more epochs, higher learning rate, larger \
        model, less regularisation; unstable or diverging: lower learning rate, ReduceLROnPlateau, larger \
        batch) with the same seeds, most promising first, within --budget. Each remedy is compared with the \
        baseline seed by seed: Δ test accuracy, Δ best val_loss and Δ final gap as mean ± 95 % CI half-width, \
        a paired t test, Holm-corrected over the remedies. The table ranks the remedies that fix the verdict \
        first, those that keep test accuracy (mean Δ ≥ −0.5 %) before those that cost it. The prescription is \
        the simplest remedy that fixes the verdict without costing test accuracy; when every fix costs \
        accuracy, the one that costs least is shown, with its interval, as the best trade-off.

        --parallel N trains N runs at a time in worker processes (the same program, started with --worker), \
        each with --threads-per-worker engine threads; a run's history is the same as one after another with \
        that many threads (with another thread count, val_loss can differ in its last digits). \
        It pays when one small run cannot keep every core busy; on a busy 2-core machine it is slower.

        SWEEPS: under `mpirun -np R` the R processes share the runs (run k on rank k mod R, one run per \
        rank at a time; after each wave the ranks exchange results so all take the same next step); rank 0 \
        prints and writes the same files one process writes. --shard i/N (or a Slurm job array's \
        SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT) runs share i of N into --output: it records each \
        finished run (a rerun skips them), trains its own runs first, then any run the search needs that no \
        other share is training (and waits for those that one is). `kestrel doctor --merge DIR` then writes \
        the report from the recorded runs, or lists the runs still missing and the commands that make them. \
        A sweep's --budget must be a number of runs (a time limit would end each process's search elsewhere).

        OUTPUT in --output: report.html, doctor.txt, and every run's history as \
        <remedy>/history-seed<N>.json (so `kestrel compare DIR/*/history-seed*.json` shows them).
        """
    )

    @OptionGroup var training: TrainingOptions

    @Option(parsing: .unconditional, help: "Runs per remedy and for the baseline (the same seeds for all).")
    var seeds: Int = 3

    @Option(help: "Limit of the search: a time (10m, 90s, 1h) or a number of runs (e.g. 12).")
    var budget: String?

    @Option(help: "Directory for report.html, doctor.txt and the run histories.")
    var output: String = "out/doctor"

    @Option(parsing: .unconditional, help: "Runs trained at once, each in its own worker process with --threads-per-worker threads (1: one after another in this process, with every core). At equal thread counts the histories are the same either way.")
    var parallel: Int = 1

    @Option(name: .customLong("threads-per-worker"), parsing: .unconditional, help: "Engine threads of each worker process with --parallel above 1 (default: the cores divided by --parallel, at least 1).")
    var threadsPerWorker: Int?

    @Option(help: ArgumentHelp("Run share i of N of the doctor's runs into --output (e.g. one Slurm job array task each); SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT set it when this is absent.", valueName: "i/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Write the report of the sweep in DIR from its finished shares' runs (the options come from DIR/sweep.json).", valueName: "DIR"))
    var merge: String?

    @Flag(help: .hidden)
    var worker = false

    func run() throws {
        StandardOutput.lineBuffered()
        try TrainingOptions.checkSeeds(seeds)
        if parallel < 1 { throw CommandFailure(message: "--parallel must be at least 1 (runs at a time), got \(parallel).") }
        if let threadsPerWorker, threadsPerWorker < 1 {
            throw CommandFailure(message: "--threads-per-worker must be at least 1, got \(threadsPerWorker).")
        }
        if worker { DoctorWorker.exitWithParent() }
        let limits = try budget.map { text in try TrainingSteps.commandFailure { try DoctorBudget(parsing: text) } } ?? DoctorBudget()
        if merge != nil, shard != nil { throw CommandFailure(message: "--merge DIR assembles the finished shares; leave --shard out.") }
        let mode: SweepMode = worker || merge != nil ? .single : try SweepMode.resolve(shardOption: shard, ranksAllowed: true)
        var sharing = false
        if case .share = mode { sharing = true }
        if merge != nil || sharing || mode.communicator != nil {
            if parallel > 1 { throw CommandFailure(message: "--parallel goes with one process; in a sweep (mpirun, --shard, --merge) each process trains one run at a time.") }
            if limits.seconds != nil {
                throw CommandFailure(message: "--budget '\(budget ?? "")' is a time; a sweep (mpirun, --shard, --merge) needs a number of runs (e.g. --budget 12), so that every process plans the same search.")
            }
        }
        let plan = try training.plan()
        let data = try training.loadData(plan)
        if worker {
            // A worker of `--parallel`: runs sent on stdin, results on stdout, nothing else.
            DoctorWorker.serve(base: plan.recipe, data: data, readLine: { Swift.readLine() },
                               write: { FileHandle.standardOutput.write(Data($0.utf8)) })
            return
        }
        let outputURL = URL(fileURLWithPath: merge ?? output, isDirectory: true)
        try RunArtifacts.makeDirectory(outputURL, option: merge == nil ? "--output" : "--merge")
        let sweep = try sweepRunner(mode: mode, directory: outputURL)
        let root = mode.isRoot
        // Shares hold the folder together; a merge, or rank 0, alone.
        let lock = sweep != nil && root ? try FolderLock(outputURL, option: merge == nil ? "--output" : "--merge", shared: sharing) : nil
        defer { withExtendedLifetime(lock) {} }
        if root { print(data.description) }
        if let communicator = mode.communicator, root { print("Training the doctor's runs on \(communicator.size) MPI ranks, one run per rank at a time.") }
        var pool: DoctorWorkerPool?
        // More workers than runs at a time or than cores cannot help (`--parallel 300` on 3 runs).
        let parallel = min(self.parallel, seeds, ProcessInfo.processInfo.activeProcessorCount)
        if parallel > 1 {
            let threads = threadsPerWorker ?? max(1, Kestrel.threadCount / parallel)
            let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            pool = DoctorWorkerPool(executable: executable, arguments: Array(CommandLine.arguments.dropFirst()) + ["--worker"],
                                    workers: parallel, threadsPerWorker: threads)
            print("Training \(parallel) runs at a time in worker processes, \(threads) thread\(threads == 1 ? "" : "s") each.")
        }
        defer { pool?.shutdown() }
        let doctor = Doctor(recipe: plan.recipe, data: data, seeds: seeds, firstSeed: training.seed, budget: limits, runner: pool ?? sweep)
        var slugs: [String: String] = ["baseline": "baseline"]
        var result = try TrainingSteps.commandFailure {
            try doctor.examine { event in
                if case let .diagnosed(_, remedies) = event {
                    for remedy in remedies { sweep?.names[remedy.changes] = remedy.change }
                }
                guard root else { return }
                switch event {
                case let .armStarted(name, index, planned, eta):
                    let etaText = eta.map { String(format: ", ETA %.0f s for the %d arm(s) left", $0, planned - index) } ?? ""
                    print("\n[\(index + 1)/\(planned)] \(name) — \(seeds) run(s)\(etaText)")
                case let .runFinished(arm, result):
                    print(String(format: "  seed %llu: test accuracy %.4f, best val_loss %.4f, gap %.4f, %@ (%.1f s)",
                                 result.seed, result.testAccuracy, result.bestValidationLoss, result.finalGap, result.verdict.title, result.seconds))
                    let slug = slugs[arm] ?? DoctorArm(remedy: Remedy(kind: .keepSettings, change: arm, recipe: plan.recipe, complexity: 0), runs: []).slug
                    slugs[arm] = slug
                    let directory = outputURL.appendingPathComponent(slug, isDirectory: true)
                    try RunArtifacts.makeDirectory(directory, option: "--output")
                    try RunArtifacts.writeHistory(History(log: result.log), directory: directory, stem: "history-seed\(result.seed)")
                case let .diagnosed(diagnosis, remedies):
                    print("\nDiagnosis: \(diagnosis.verdict.title) — \(diagnosis.headline)")
                    print(remedies.isEmpty ? "No remedy to try." : "Remedies to try, most promising first:\n" + remedies.map { "  \($0.change)" }.joined(separator: "\n"))
                case let .skipped(remedy, reason):
                    print("Skipped \(remedy.change): \(reason).")
                }
            }
        }
        guard root else { return }
        if let sweep, case let .share(shard) = mode {
            print("\nShare \(shard): \(sweep.trained) run(s) trained by this share, \(sweep.reused) found recorded. The search has every run it needs; "
                  + "write the report with: kestrel doctor --merge \(SweepFolder.shellQuoted(outputURL.path))")
            return
        }
        if merge != nil {
            // The time the runs took, summed over the shares (the merge itself trains nothing).
            result.seconds = ([result.baseline] + result.arms).flatMap(\.runs).map(\.seconds).reduce(0, +)
        }
        let text = DoctorReport.text(result, dataset: training.dataset)
        print("\n" + text)
        let reportURL = outputURL.appendingPathComponent("report.html")
        do {
            try AtomicFile.write(DoctorReport.html(result, dataset: training.dataset, description: data.description), to: reportURL.path)
            try AtomicFile.write(text + "\n", to: outputURL.appendingPathComponent("doctor.txt").path)
        } catch {
            throw CommandFailure(message: "Cannot write the doctor's report into '\(outputURL.path)': \(error).")
        }
        print("\nReport:    \(reportURL.path)")
        print("Histories: \(outputURL.path)/*/history-seed*.json (kestrel compare shows them)")
    }

    /// The sweep's runner for `mode` (nil for one process): the ranks, a share of the folder
    /// `directory` (registering the sweep there), or `--merge` of it.
    private func sweepRunner(mode: SweepMode, directory: URL) throws -> SweepDoctorRunner? {
        let folder = SweepFolder(directory: directory)
        let arguments = SweepFolder.sweepArguments(Array(CommandLine.arguments.dropFirst()))
        if let merge {
            let manifest = try SweepFolder.readManifest(directory)
            // `kestrel doctor --merge DIR` alone (its options come from DIR), or with the sweep's own options.
            guard manifest.command == "doctor", arguments == ["doctor"] || arguments == manifest.arguments else {
                throw CommandFailure(message: "'\(merge)' holds \(manifest.describe()); merge it with its own options: kestrel doctor --merge \(SweepFolder.shellQuoted(merge)) (nothing else).")
            }
            return SweepDoctorRunner(.merge(folder, manifest))
        }
        switch mode {
        case .single: return nil
        case let .ranks(communicator): return SweepDoctorRunner(.ranks(communicator))
        case let .share(shard):
            try folder.register(.init(command: "doctor", arguments: arguments, shards: shard.count, runs: nil))
            return SweepDoctorRunner(.share(shard, folder))
        }
    }
}
