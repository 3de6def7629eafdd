import Foundation
import XCTest
import Kestrel
@testable import KestrelDashboard

/// The bounded, in-process version of the dashboard abuse test (`Benchmarks dashboard-abuse` runs the full one against
/// `kestrel serve`): each attack at a smaller scale and with short timeouts, asserting that the server refuses or cuts
/// off the attacker and that a normal `GET /` keeps answering within a second.
final class DashboardAbuseTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-abuse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("run"), withIntermediateDirectories: true)
        let history = History()
        for epoch in 0..<5 { history.record(epoch: epoch, logs: ["loss": 1 / Double(epoch + 1), "val_loss": 1.1 / Double(epoch + 1)]) }
        try history.save(to: folder.appendingPathComponent("run/history.json").path)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A normal page load: 200, and its seconds.
    private func pageLoad(_ port: Int) throws -> Double {
        let start = Date()
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/").status, 200)
        return Date().timeIntervalSince(start)
    }

    func testOversizedRequestLinesAndHeadersAreRefusedWhileParsing() throws {
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path))
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        for bytes in [20_000, 80_000, 2_000_000] {
            let filler = String(repeating: "a", count: bytes)
            for (request, expected) in [("GET /\(filler) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                                        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(filler)\r\n\r\n", 431),
                                        ("GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-Many: \(String(repeating: "b", count: 100))\r\n", count: bytes / 110) + "\r\n", 431)] {
                let start = Date()
                let client = try RawHTTPClient(port: port)
                client.send(request)
                let response = RawHTTPClient.parse(client.readAll())
                XCTAssertEqual(response.status, expected, "\(bytes) bytes")
                XCTAssertTrue(response.headers.lowercased().contains("connection: close"), "\(bytes) bytes")
                // Refused at the bound (16 KiB), not after reading and re-scanning the whole line.
                XCTAssertLessThan(Date().timeIntervalSince(start), 3, "\(bytes) bytes")
            }
            XCTAssertLessThan(try pageLoad(port), 1)
        }
    }

    func testSlowAndIdleConnectionsAreClosed() throws {
        var limits = RequestLimits()
        limits.requestTimeout = 1
        limits.idleTimeout = 1
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path), limits: limits)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let slow = try (0..<200).map { _ in try RawHTTPClient(port: port) }
        let idle = try (0..<20).map { _ in try RawHTTPClient(port: port) }
        for client in slow { client.send("GET / HTTP/1.1\r\nHost: x\r\n") }
        var slowest = 0.0
        for line in 0..<8 {
            Thread.sleep(forTimeInterval: 0.4)
            // Slowloris: one more header line now and then, never the blank line that ends the head.
            for client in slow { client.send("X-Slow-\(line): x\r\n") }
            slowest = max(slowest, try pageLoad(port))
        }
        XCTAssertLessThan(slowest, 1, "a normal page load during the attack")
        for client in slow + idle { client.readInBackground() }
        let closed = (slow + idle).allSatisfy { client in client.wait(timeout: 3) { _ in client.isClosed } }
        XCTAssertTrue(closed, "every slow and idle connection is closed by the server")
    }

    /// A body trickled a byte at a time (slowloris on the body, not the head) and a flood of pipelined requests
    /// from a client that never reads its responses: each connection is closed by the server within its
    /// timeouts, and a normal page load keeps answering within a second meanwhile.
    func testSlowBodiesAndPipelinedFloodsAreCutOff() throws {
        var limits = RequestLimits()
        limits.requestTimeout = 1
        limits.idleTimeout = 1
        limits.stalledWriteTimeout = 1
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path), limits: limits)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let slowBodies = try (0..<20).map { _ in try RawHTTPClient(port: port) }
        for client in slowBodies { client.send("GET /view.json HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n") }
        // Small receive buffers, so that the flood's unread responses fill them quickly.
        let flooders = try (0..<2).map { _ in try RawHTTPClient(port: port, receiveBuffer: 4096) }
        let request = "GET /view.json HTTP/1.1\r\nHost: x\r\n\r\n"
        let flood = Data(String(repeating: request, count: 6000).utf8)
        let sent = DispatchGroup()
        for client in flooders {
            // A thread of its own: the server stops reading a flood it cannot answer, and then this send blocks.
            DispatchQueue.global().async(group: sent) { client.send(flood) }
        }
        var slowest = 0.0
        for round in 0..<6 {
            Thread.sleep(forTimeInterval: 0.3)
            for client in slowBodies { client.send("b\(round)") }
            slowest = max(slowest, try pageLoad(port))
        }
        // The flood keeps the server rendering until its writes stall: a looser bound than the idle attacks' second.
        XCTAssertLessThan(slowest, 2, "a normal page load during the attack")
        for client in slowBodies { client.readInBackground() }
        XCTAssertTrue(slowBodies.allSatisfy { client in client.wait(timeout: 4) { _ in client.isClosed } },
                      "every trickled body is cut off by the request timeout")
        // The flooders read nothing: their connections are closed once the server's writes stall (then their sends end).
        XCTAssertEqual(sent.wait(timeout: .now() + 15), .success, "the server closed the flooding connections")
        XCTAssertLessThan(try pageLoad(port), 1)
        let deadline = Date().addingTimeInterval(3)
        while served.openConnections > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(served.openConnections, 0, "every attacking connection was closed")
    }

    /// Query strings at the target bound: thousands of `run=` names, one huge name, bad percent escapes, NULs and
    /// control bytes in the value. Each is answered (the unknown runs are simply not drawn), and the server goes on.
    func testHugeAndMalformedQueriesAreAnswered() throws {
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path))
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let many = (0..<400).map { "run=r\($0)" }.joined(separator: "&")
        let targets = ["/view.json?" + many, "/?" + many, "/view.json?run=" + String(repeating: "a", count: 4000),
                       "/view.json?run=%ZZ%&run=%&run=%E2%82&=&&&run", "/history.json?run=%00%01%7F", "/history.json?run=run%2Fhistory",
                       "/view.json?run=..%2F..%2Fetc%2Fpasswd", "/?run=" + String(repeating: "%25", count: 1300)]
        for target in targets {
            XCTAssertLessThanOrEqual(target.utf8.count, 4096, "within the target bound: parsed, not refused")
            let response = try RawHTTPClient.get(port: port, target: target)
            XCTAssertTrue([200, 404].contains(response.status), "\(target.prefix(60)): \(response.status)")
            XCTAssertFalse(response.body.contains("root:"))
        }
        let named = try RawHTTPClient.get(port: port, target: "/history.json?run=run%2Fhistory")
        XCTAssertEqual(named.status, 200, "the folder's run by its name")
        XCTAssertTrue(named.body.contains("val_loss"), named.body)
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/view.json?" + many + "&x=" + String(repeating: "y", count: 4000)).status, 414)
        XCTAssertLessThan(try pageLoad(port), 1)
    }

    func testConnectionsPastTheCapCloseTheOldestIdleOnes() throws {
        var limits = RequestLimits()
        limits.maximumConnections = 50
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path), limits: limits)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let clients = try (0..<80).map { _ in try RawHTTPClient(port: port) }
        for client in clients { client.readInBackground() }
        XCTAssertLessThan(try pageLoad(port), 1, "a page load past the cap gets a connection")
        // The 30 (and one more, for the page load) oldest were closed to make room; the newest are still open.
        XCTAssertTrue(clients.prefix(30).allSatisfy { client in client.wait(timeout: 3) { _ in client.isClosed } })
        XCTAssertFalse(clients.suffix(10).contains { $0.isClosed })
        XCTAssertLessThanOrEqual(served.openConnections, 50)
    }

    func testLargeFilesAreStreamedAndStalledReadersCutOff() throws {
        let bytes = (0..<(8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        try Data(bytes).write(to: folder.appendingPathComponent("big.bin"))
        var limits = RequestLimits()
        limits.stalledWriteTimeout = 1
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path), limits: limits)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let stalled = try (0..<20).map { _ in try RawHTTPClient(port: port, receiveBuffer: 4096) }
        for client in stalled { client.send("GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n") }
        // A reader that reads gets the whole file, byte for byte.
        let whole = try RawHTTPClient(port: port)
        whole.send("GET /files/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let received = whole.readAll()
        let split = try XCTUnwrap(received.range(of: Data("\r\n\r\n".utf8)))
        XCTAssertEqual(String(decoding: received[..<split.lowerBound], as: UTF8.self).lowercased().contains("content-length: \(bytes.count)"), true)
        XCTAssertEqual(Array(received[split.upperBound...]), bytes)
        whole.hangUp()
        XCTAssertLessThan(try pageLoad(port), 1)
        // Readers that take nothing are closed once the stall timeout passes (their sockets stay unread here).
        let deadline = Date().addingTimeInterval(5)
        while served.openConnections > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertEqual(served.openConnections, 0, "stalled readers cut off")
        XCTAssertEqual(stalled.count, 20)
    }

    func testTheFolderIsReadAgainOnlyWhenItChanges() throws {
        let cache = FolderScanCache(folder: try RunFolder(path: folder.path), minimumInterval: 0)
        XCTAssertEqual(cache.runs.map(\.name), ["run/history"])
        // Files that are not logs do not make a re-read necessary; nothing changed in the watched folders' logs.
        XCTAssertNil(cache.refresh())
        let csv = folder.appendingPathComponent("run/more.csv")
        try "epoch,loss\n0,1.0\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(cache.refresh()?.map(\.name), ["run/history", "run/more"])
        XCTAssertNil(cache.refresh())
        // A log that grows in place (CSVLogger appends) is read again.
        let handle = try FileHandle(forWritingTo: csv)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("1,0.5\n".utf8))
        try handle.close()
        XCTAssertEqual(cache.refresh()?.first { $0.name == "run/more" }?.log.count, 2)
        let interval = FolderScanCache(folder: try RunFolder(path: folder.path), minimumInterval: 3600)
        try "epoch,loss\n0,1.0\n".write(to: folder.appendingPathComponent("late.csv"), atomically: true, encoding: .utf8)
        XCTAssertNil(interval.refreshIfDue(), "checked at most once per minimum interval")
    }

    func testTheListenerSurvivesRunningOutOfDescriptors() throws {
        let served = try FolderDashboard(folder: try RunFolder(path: folder.path))
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        var saved = rlimit()
        XCTAssertEqual(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved), 0)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        // This process (clients and server alike) may now open 40 more descriptors: the server's accept() fails with
        // EMFILE while the clients hold them.
        var low = saved
        low.rlim_cur = rlim_t(open + 40)
        XCTAssertEqual(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &low), 0)
        var clients: [RawHTTPClient] = []
        for _ in 0..<80 { if let client = try? RawHTTPClient(port: port) { clients.append(client) } }
        Thread.sleep(forTimeInterval: 0.5)
        clients.removeAll()
        XCTAssertEqual(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved), 0)
        // SwiftNIO backs off accept() for a second and then accepts again: the listening socket is still open.
        var status = 0
        let deadline = Date().addingTimeInterval(5)
        while status != 200, Date() < deadline {
            status = (try? RawHTTPClient.get(port: port, target: "/").status) ?? 0
            if status != 200 { Thread.sleep(forTimeInterval: 0.2) }
        }
        XCTAssertEqual(status, 200)
    }

    func testFileStreamsAreCapped() {
        let gate = StreamGate(limit: 2)
        XCTAssertTrue(gate.enter())
        var exit: GateExit? = GateExit(gate: gate)
        XCTAssertTrue(gate.enter())
        XCTAssertFalse(gate.enter(), "a third stream past the limit of 2")
        exit?.leave()
        exit?.leave()
        XCTAssertEqual(gate.count, 1, "a place is given back once")
        exit = GateExit(gate: gate)
        XCTAssertTrue(gate.enter())
        exit = nil
        XCTAssertEqual(gate.count, 1, "a body dropped unsent gives its place back")
    }

    func testTheDescriptorLimitIsRaisedToTheHardLimit() {
        var limits = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits)
        let soft = DescriptorLimit.raiseToHardLimit()
        XCTAssertEqual(UInt64(soft), min(UInt64(limits.rlim_max), 1 << 20))
        XCTAssertEqual(RequestLimits().connectionCap(descriptorLimit: 1024), 512)
        XCTAssertEqual(RequestLimits().connectionCap(descriptorLimit: 256), 192)
    }
}
