import CKernels
import Foundation
import Synchronization
import XCTest
@testable import KestrelTensor

/// The thread count comes from what the process may really use: the affinity mask, the cgroup CPU
/// quota (v2 `cpu.max`, v1 CFS quota) and `KESTREL_NUM_THREADS`.
final class ThreadCountTests: XCTestCase {
    func testAThreadPinnedToOneProcessorSeesABudgetOfOneThread() throws {
        let (pinResult, budget, automatic) = onNewThread {
            (kestrel_pin_calling_thread_to_one_processor(), ProcessorBudget.detect(),
             EngineConfiguration.automaticThreadCount(environment: [:]))
        }
        XCTAssertEqual(pinResult, 0, "sched_setaffinity failed")
        XCTAssertEqual(budget.affinityProcessors, 1)
        XCTAssertEqual(budget.threadCount, 1)
        XCTAssertEqual(automatic, 1)
    }

    func testTheUnrestrictedBudgetMatchesTheAffinityMask() {
        let budget = ProcessorBudget.detect()
        XCTAssertEqual(budget.affinityProcessors, Int(kestrel_affinity_processor_count()))
        XCTAssertGreaterThanOrEqual(budget.threadCount, 1)
        XCTAssertLessThanOrEqual(budget.threadCount, budget.onlineProcessors)
    }

    func testTheSmallestLimitWinsAndFractionalQuotasRoundUp() {
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 8, affinityProcessors: nil, quotaProcessors: nil).threadCount, 8)
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 8, affinityProcessors: 3, quotaProcessors: nil).threadCount, 3)
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 8, affinityProcessors: 6, quotaProcessors: 1.5).threadCount, 2)
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 8, affinityProcessors: 2, quotaProcessors: 4).threadCount, 2)
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 8, affinityProcessors: nil, quotaProcessors: 0.2).threadCount, 1)
        XCTAssertEqual(ProcessorBudget(onlineProcessors: 0, affinityProcessors: nil, quotaProcessors: nil).threadCount, 1)
    }

    func testCgroupQuotaFilesAreParsed() {
        XCTAssertNil(CgroupQuota.parseCPUMax("max 100000\n"))
        XCTAssertEqual(CgroupQuota.parseCPUMax("150000 100000\n"), 1.5)
        XCTAssertEqual(CgroupQuota.parseCPUMax("50000 50000"), 1)
        XCTAssertNil(CgroupQuota.parseCPUMax("garbage"))
        XCTAssertNil(CgroupQuota.parseCPUMax(""))
        XCTAssertNil(CgroupQuota.parseCFSQuota(quota: "-1\n", period: "100000\n"))
        XCTAssertEqual(CgroupQuota.parseCFSQuota(quota: "250000\n", period: "100000\n"), 2.5)
        XCTAssertNil(CgroupQuota.parseCFSQuota(quota: "100000", period: "0"))
    }

    func testCgroupDirectoriesComeFromMembershipAndMounts() {
        let unifiedMounts = """
            25 30 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            26 30 0:5 / /proc rw,nosuid - proc proc rw
            """
        XCTAssertEqual(CgroupQuota.limitDirectories(membership: "0::/user.slice/session-3.scope\n", mountInfo: unifiedMounts),
                       [.init(unified: true, path: "/sys/fs/cgroup/user.slice/session-3.scope", mountPoint: "/sys/fs/cgroup")])
        // Inside a container with a cgroup namespace the path is "/": the mount point is the process's cgroup.
        XCTAssertEqual(CgroupQuota.limitDirectories(membership: "0::/\n", mountInfo: unifiedMounts),
                       [.init(unified: true, path: "/sys/fs/cgroup", mountPoint: "/sys/fs/cgroup")])
        let legacyMounts = """
            32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            33 31 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            """
        let membership = "5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc/inner\n3:cpuset:/docker/abc\n"
        XCTAssertEqual(CgroupQuota.limitDirectories(membership: membership, mountInfo: legacyMounts),
                       [.init(unified: false, path: "/sys/fs/cgroup/cpu,cpuacct/inner", mountPoint: "/sys/fs/cgroup/cpu,cpuacct")])
        XCTAssertEqual(CgroupQuota.ancestors(of: "/sys/fs/cgroup/a/b", within: "/sys/fs/cgroup"),
                       ["/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"])
        XCTAssertEqual(CgroupQuota.limitDirectories(membership: "0::/x\n", mountInfo: legacyMounts), [])
    }

    func testTheEnvironmentOverrideIsReadAndBadValuesAreIgnored() {
        let budget = { ProcessorBudget(onlineProcessors: 4, affinityProcessors: 3, quotaProcessors: nil) }
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: ["KESTREL_NUM_THREADS": "6"], budget: budget), 6)
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: ["KESTREL_NUM_THREADS": " 1 "], budget: budget), 1)
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: ["KESTREL_NUM_THREADS": "0"], budget: budget), 3)
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: [:], budget: budget), 3)
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: ["KESTREL_NUM_THREADS": "-2"], budget: budget), 3)
        XCTAssertEqual(EngineConfiguration.automaticThreadCount(environment: ["KESTREL_NUM_THREADS": "four"], budget: budget), 3)
    }

    func testScopedConfigurationsDoNotLeakToOtherThreads() {
        let outside = EngineConfiguration.current
        EngineConfiguration.withChanges({ $0.threadCount = outside.threadCount + 5; $0.blasSingleThreadFlops = 12 }) {
            XCTAssertEqual(EngineConfiguration.current.threadCount, outside.threadCount + 5)
            XCTAssertEqual(Parallel.threadCount, outside.threadCount + 5)
            XCTAssertEqual(onNewThread { EngineConfiguration.current }, outside)
        }
        XCTAssertEqual(EngineConfiguration.current, outside)
        XCTAssertEqual(EngineConfiguration.withValue(EngineConfiguration(threadCount: 0)) { EngineConfiguration.current.threadCount }, 1)
    }
}

/// Runs `body` on a new thread and returns its result.
private func onNewThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) -> Result {
    let result = Mutex<Result?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
        let value = body()
        result.withLock { $0 = value }
        done.signal()
    }.start()
    done.wait()
    return result.withLock { $0 }!
}
