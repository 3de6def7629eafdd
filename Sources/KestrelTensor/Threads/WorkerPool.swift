import CKernels
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Kestrel's helper threads for the parallel kernels, started on first use up to the configured
/// thread count minus one (the caller is the other thread; one thread means no helper at all).
///
/// A job is a loop over iteration indices. The caller publishes it and then takes indices itself
/// until none are left; helpers take indices as they arrive. The caller then waits only for the
/// indices a helper actually claimed, so a helper the scheduler is not running (another program on
/// its core, a one-core affinity mask) costs nothing: its share is done by the caller.
///
/// Waiting degrades gracefully. Between jobs a helper polls for the next one for `idleSpinDuration`
/// (waking a sleeping thread costs as much as the tens of microseconds of serial work between a
/// training step's parallel sections), then sleeps on a semaphore; a helper that notices it was
/// descheduled while polling (a gap of `stallDuration` between two polls: its core is wanted by
/// someone else) sleeps at once. The caller waiting for claimed indices polls for at most
/// `joinSpinDuration` and then sleeps until the last of them is done.
///
/// One job runs at a time; a caller that finds the pool busy (another thread's job) or that is
/// itself inside a job (a nested parallel section) is told so and runs the loop inline.
final class WorkerPool: @unchecked Sendable {
    /// The process's pool; it starts no thread until a job asks for helpers.
    static let shared = WorkerPool()

    /// How long an idle helper polls for the next job before it sleeps.
    static let idleSpinDuration: UInt64 = 500_000  // nanoseconds
    /// How long the caller polls for helpers' claimed indices before it sleeps.
    static let joinSpinDuration: UInt64 = 100_000
    /// A gap between two polls this long means the poller was descheduled: stop polling.
    static let stallDuration: UInt64 = 40_000

    private let inUse = Atomic<Bool>(false)
    /// Bumped once per job; helpers wait for it to change.
    private let generation = Atomic<UInt64>(0)
    /// The current job's claim word: its generation (low 32 bits) in the high half, the number of
    /// indices not yet claimed in the low half. Indices are claimed from the top down.
    private let claims = Atomic<UInt64>(0)
    /// Helpers that take part in the current job (the first `participants` of `helpers`).
    private let participants = Atomic<Int>(0)
    /// Indices of the current job completed by helpers.
    private let helperCompleted = Atomic<Int>(0)
    /// Indices the caller waits for (claimed by helpers); valid while `callerParked` is 1.
    private let helperClaimed = Atomic<Int>(0)
    /// 1 while the caller sleeps (or is about to) on `callerWakeUp`.
    private let callerParked = Atomic<Int>(0)
    private let callerWakeUp = DispatchSemaphore(value: 0)
    /// The helper threads; read and grown only by the thread that holds `inUse`.
    nonisolated(unsafe) private var helpers: [Helper] = []
    /// The current job's body; written before `claims` is published, read by a helper only after it
    /// claimed an index of that job (the job cannot end before that index is done).
    nonisolated(unsafe) private var body: ((Int) -> Void)?

    /// One helper thread's sleep state.
    private final class Helper: Sendable {
        /// 1 while the helper sleeps (or is about to) on `wakeUp`.
        let parked = Atomic<Int>(0)
        let wakeUp = DispatchSemaphore(value: 0)
    }

    private init() {}

    /// What `run` did.
    enum Outcome {
        /// The job ran, on the caller and whichever helpers arrived in time.
        case ran
        /// Another thread's job holds the pool; nothing ran.
        case busy
        /// The caller is itself running part of a job (a nested parallel section); nothing ran.
        case nested
    }

    /// Runs `body(index)` for every index in `0..<iterations` on the caller and up to `threads - 1`
    /// helpers, or reports why it did not.
    func run(iterations: Int, threads: Int, _ body: (Int) -> Void) -> Outcome {
        if kestrel_in_parallel_section() != 0 { return .nested }
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return .busy }
        kestrel_set_in_parallel_section(1)
        defer {
            kestrel_set_in_parallel_section(0)
            inUse.store(false, ordering: .releasing)
        }
        Parallel.flushSubnormalsToZero()
        let wanted = Swift.max(0, Swift.min(threads - 1, iterations - 1, Int(UInt32.max)))
        startHelpers(upTo: wanted)
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            let job = UInt32(truncatingIfNeeded: generation.load(ordering: .relaxed) &+ 1)
            helperCompleted.store(0, ordering: .relaxed)
            participants.store(wanted, ordering: .relaxed)
            claims.store(UInt64(job) << 32 | UInt64(iterations), ordering: .releasing)
            generation.store(UInt64(job), ordering: .sequentiallyConsistent)
            for helper in helpers.prefix(wanted) where helper.parked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                helper.wakeUp.signal()
            }
            var callerDone = 0
            while let index = claim(job: job) {
                escapable(index)
                callerDone += 1
            }
            waitForHelpers(claimed: iterations - callerDone)
            self.body = nil
        }
        return .ran
    }

    private func startHelpers(upTo count: Int) {
        while helpers.count < count {
            let helper = Helper(), number = helpers.count
            helpers.append(helper)
            let thread = Thread { [unowned self] in self.helperLoop(helper, number: number) }
            thread.name = "kestrel-worker-\(number + 1)"
            thread.start()
        }
    }

    /// Claims the next unclaimed index of job `job`, or nil when none is left (or the job is over).
    @inline(__always)
    private func claim(job: UInt32) -> Int? {
        var word = claims.load(ordering: .acquiring)
        while word >> 32 == UInt64(job), word & 0xFFFF_FFFF > 0 {
            let (exchanged, original) = claims.compareExchange(expected: word, desired: word - 1,
                                                               successOrdering: .acquiring, failureOrdering: .acquiring)
            if exchanged { return Int(word & 0xFFFF_FFFF) - 1 }
            word = original
        }
        return nil
    }

    /// Waits until helpers have completed `claimed` indices: polls briefly, then sleeps.
    private func waitForHelpers(claimed: Int) {
        guard claimed > 0 else { return }
        var poller = Poller(limit: Self.joinSpinDuration)
        while helperCompleted.load(ordering: .acquiring) < claimed {
            if poller.keepPolling() { continue }
            helperClaimed.store(claimed, ordering: .sequentiallyConsistent)
            callerParked.store(1, ordering: .sequentiallyConsistent)
            if helperCompleted.load(ordering: .sequentiallyConsistent) >= claimed,
               callerParked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                return
            }
            callerWakeUp.wait()  // the helper completing the last claimed index signals
            return
        }
    }

    private func helperLoop(_ helper: Helper, number: Int) {
        kestrel_set_in_parallel_section(1)
        Parallel.flushSubnormalsToZero()
        var seen: UInt64 = 0
        var taking = true
        while true {
            seen = waitForJob(after: seen, helper: helper, poll: taking)
            taking = number < participants.load(ordering: .relaxed)
            guard taking else { continue }
            let job = UInt32(truncatingIfNeeded: seen)
            while let index = claim(job: job) {
                runClaimed(index)
                let completed = helperCompleted.add(1, ordering: .sequentiallyConsistent).newValue
                if callerParked.load(ordering: .sequentiallyConsistent) == 1,
                   completed == helperClaimed.load(ordering: .sequentiallyConsistent),
                   callerParked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                    callerWakeUp.signal()
                }
            }
        }
    }

    /// Runs the current body on a claimed index; the helper's reference to the body ends on return,
    /// before the index is reported complete (the caller's `withoutActuallyEscaping` checks that).
    @inline(never)
    private func runClaimed(_ index: Int) {
        body?(index)
    }

    /// Waits for a generation newer than `seen`: polls (when `poll`) until `idleSpinDuration` passes or
    /// the helper finds it was descheduled, then sleeps on its semaphore.
    private func waitForJob(after seen: UInt64, helper: Helper, poll: Bool) -> UInt64 {
        var poller = Poller(limit: poll ? Self.idleSpinDuration : 0)
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            if poller.keepPolling() { continue }
            // Announce the nap, then look once more so a job published meanwhile is not missed:
            // either the submitter sees `parked == 1` and signals, or this load sees its generation.
            helper.parked.store(1, ordering: .sequentiallyConsistent)
            if generation.load(ordering: .sequentiallyConsistent) != seen,
               helper.parked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                continue
            }
            helper.wakeUp.wait()
            poller = Poller(limit: Self.idleSpinDuration)
        }
    }
}

/// Decides how long a thread keeps polling a flag: until `limit` nanoseconds have passed, or at once
/// when two clock readings are `WorkerPool.stallDuration` apart (the thread was descheduled, so its
/// core is wanted elsewhere and polling only delays whoever it waits for).
struct Poller {
    private let limit: UInt64
    private var start: UInt64 = 0
    private var last: UInt64 = 0
    private var polls = 0

    init(limit: UInt64) {
        self.limit = limit
    }

    /// Pauses briefly and returns true while polling should go on.
    @inline(__always)
    mutating func keepPolling() -> Bool {
        guard limit > 0 else { return false }
        kestrel_spin_pause()
        polls &+= 1
        guard polls & 63 == 0 else { return true }
        if polls & 1023 == 0 { sched_yield() }  // let other runnable threads (data pipeline, the OS) go first
        let now = DispatchTime.now().uptimeNanoseconds
        if start == 0 {
            start = now
            last = now
            return true
        }
        defer { last = now }
        return now - last < WorkerPool.stallDuration && now - start < limit
    }
}
