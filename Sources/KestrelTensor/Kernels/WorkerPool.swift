import CKernels
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Kestrel's own helper threads for the parallel kernels: one per extra core, each spinning for a
/// short while after a job before it parks.
///
/// A training step runs a few parallel sections (the large GEMMs, the optimizer update) separated by
/// tens of microseconds of serial work. Waking a sleeping thread costs about as much as that serial
/// work on a virtual machine, so the helpers keep polling for `spinDuration` after each job and only
/// then sleep on a semaphore. One job runs at a time; a caller that finds the pool busy (another
/// thread's job, or a parallel section nested inside a job) is told so and runs the work elsewhere.
final class WorkerPool: @unchecked Sendable {
    /// The pool used by `Parallel`; `nil` on a single-core machine.
    static let shared: WorkerPool? = Parallel.coreCount > 1 ? WorkerPool(helperCount: Parallel.coreCount - 1) : nil

    /// How long a helper keeps polling for the next job before it sleeps.
    static let spinDuration: UInt64 = 500_000  // nanoseconds

    private let helperCount: Int
    private let inUse = Atomic<Bool>(false)
    /// The thread that submitted the current job (0 when idle), to recognise nested sections.
    private let owner = Atomic<UInt>(0)
    /// Bumped once per job; helpers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// The next iteration index to hand out.
    private let nextIndex = Atomic<Int>(0)
    /// Helpers that have not yet finished the current job.
    private let unfinished = Atomic<Int>(0)
    private let helpers: [Helper]
    /// The current job; written before `generation` is bumped, read by helpers after they see the bump.
    nonisolated(unsafe) private var job: Job?

    /// One helper thread's id and sleep state.
    private final class Helper: Sendable {
        /// The thread's id, set when it starts.
        let thread = Atomic<UInt>(0)
        /// 1 while the helper sleeps (or is about to) on `wakeUp`.
        let parked = Atomic<Int>(0)
        let wakeUp = DispatchSemaphore(value: 0)
    }

    private struct Job {
        let iterations: Int
        let body: (Int) -> Void
    }

    private init(helperCount: Int) {
        self.helperCount = helperCount
        self.helpers = (0..<helperCount).map { _ in Helper() }
        for helper in 0..<helperCount {
            let thread = Thread { [unowned self] in self.helperLoop(helper) }
            thread.name = "kestrel-worker-\(helper + 1)"
            thread.start()
        }
    }

    /// What `run` did.
    enum Outcome {
        /// The job ran on the caller and the helpers.
        case ran
        /// Another thread's job holds the pool; nothing ran.
        case busy
        /// The caller is itself running part of a job (a nested parallel section); nothing ran.
        case nested
    }

    /// Runs `body(index)` for every index in `0..<iterations` on the caller and the helpers, or
    /// reports why it did not.
    func run(iterations: Int, _ body: (Int) -> Void) -> Outcome {
        let caller = UInt(pthread_self())
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            let nested = owner.load(ordering: .relaxed) == caller || helpers.contains { $0.thread.load(ordering: .relaxed) == caller }
            return nested ? .nested : .busy
        }
        owner.store(caller, ordering: .relaxed)
        defer {
            owner.store(0, ordering: .relaxed)
            inUse.store(false, ordering: .releasing)
        }
        withoutActuallyEscaping(body) { escapable in
            job = Job(iterations: iterations, body: escapable)
            nextIndex.store(0, ordering: .relaxed)
            unfinished.store(helperCount, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            for helper in helpers where helper.parked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                helper.wakeUp.signal()
            }
            work(on: Job(iterations: iterations, body: escapable))
            while unfinished.load(ordering: .acquiring) > 0 { Self.pause() }
            job = nil
        }
        return .ran
    }

    /// Takes iteration indices until none are left.
    private func work(on job: Job) {
        Parallel.flushSubnormalsToZero()
        while true {
            let index = nextIndex.add(1, ordering: .relaxed).oldValue
            guard index < job.iterations else { return }
            job.body(index)
        }
    }

    private func helperLoop(_ helper: Int) {
        helpers[helper].thread.store(UInt(pthread_self()), ordering: .relaxed)
        var seen = 0
        while true {
            seen = waitForJob(after: seen, helper: helpers[helper])
            if let job { work(on: job) }
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    /// Polls for a generation newer than `seen`, parking on the semaphore after `spinDuration`.
    private func waitForJob(after seen: Int, helper: Helper) -> Int {
        var deadline: UInt64 = 0
        var polls = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            polls &+= 1
            Self.pause()
            guard polls & 1023 == 0 else { continue }
            sched_yield()  // let other runnable threads (data pipeline, the OS) have the core first
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline == 0 { deadline = now + Self.spinDuration; continue }
            guard now >= deadline else { continue }
            // Announce the nap, then look once more so a job published meanwhile is not missed:
            // either the submitter sees `parked == 1` and signals, or this load sees its generation.
            helper.parked.store(1, ordering: .sequentiallyConsistent)
            if generation.load(ordering: .sequentiallyConsistent) != seen,
               helper.parked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                continue
            }
            helper.wakeUp.wait()
            deadline = 0
        }
    }

    @inline(__always)
    private static func pause() {
        kestrel_spin_pause()
    }
}
