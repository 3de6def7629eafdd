import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The attacks of the dashboard abuse test, each bounded in connections and time and against 127.0.0.1 only.
enum DashboardAttacks {
    /// Opens `count` connections that send a request head one header line per second and never finish it; after
    /// `seconds`, returns how many the server had closed.
    static func slowloris(port: Int, count: Int, seconds: Double) -> String {
        var clients = (0..<count).compactMap { _ in AbuseClient(port: port, timeout: 1) }
        let opened = clients.count
        for client in clients { client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n") }
        let start = Date()
        var line = 0
        var closedAtHalf = 0
        while Date().timeIntervalSince(start) < seconds {
            Thread.sleep(forTimeInterval: 1)
            line += 1
            for client in clients where !client.isClosedByPeer { client.send("X-Slow-\(line): x\r\n") }
            if closedAtHalf == 0, Date().timeIntervalSince(start) >= seconds / 2 {
                closedAtHalf = clients.filter(\.isClosedByPeer).count
            }
        }
        let closed = clients.filter(\.isClosedByPeer).count
        clients.removeAll()
        return "\(opened) opened; closed by the server: \(closedAtHalf) after \(Int(seconds / 2)) s, \(closed) after \(Int(seconds)) s"
    }

    /// Sends `repetitions` requests whose request line (or one header) is `bytes` long, from 4 threads; returns
    /// the statuses seen and the server's CPU seconds per request.
    static func oversized(port: Int, server: ServerProcess?, bytes: Int, inHeader: Bool, repetitions: Int) -> String {
        let filler = String(repeating: "a", count: bytes)
        let request = inHeader ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(filler)\r\n\r\n"
            : "GET /\(filler) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let payload = Array(request.utf8)
        let cpuBefore = server?.cpuSeconds ?? .nan
        let tally = AbuseTally()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for _ in stride(from: worker, to: repetitions, by: 4) {
                let start = Date()
                var status = 0
                if let client = AbuseClient(port: port, timeout: 10) {
                    client.send(payload)
                    status = client.status()
                }
                tally.note(status: status, seconds: Date().timeIntervalSince(start))
            }
        }
        let cpu = ((server?.cpuSeconds ?? .nan) - cpuBefore) / Double(repetitions)
        return "\(repetitions) requests: \(tally.summary); slowest answer \(String(format: "%.2f", tally.slowest)) s; server CPU \(String(format: "%.4f", cpu)) s per request"
    }

    /// Opens up to `count` idle connections as fast as it can and holds them `seconds`; returns how many connected,
    /// how many the server closed or refused, and whether `GET /` works once they are gone.
    static func connectionFlood(port: Int, count: Int, seconds: Double) -> String {
        var clients: [AbuseClient] = []
        var failed = 0
        for _ in 0..<count {
            if let client = AbuseClient(port: port, timeout: 2) { clients.append(client) } else { failed += 1 }
        }
        Thread.sleep(forTimeInterval: seconds)
        let closed = clients.filter(\.isClosedByPeer).count
        let held = clients.count
        clients.removeAll()
        Thread.sleep(forTimeInterval: 1.5)
        var after = AbuseClient.get(port: port)
        for _ in 0..<10 where after.status != 200 {
            Thread.sleep(forTimeInterval: 0.5)
            after = AbuseClient.get(port: port)
        }
        return "\(held) connected, \(failed) failed to connect; \(closed) closed by the server (idle, oldest first) while held; "
            + "GET / after the flood: \(after.status == 200 ? "200" : "FAILED (\(after.status))")"
    }

    /// `rounds` of `count` connections that each load the page at once; returns pages loaded, failures and the
    /// slowest round.
    static func pageLoads(port: Int, count: Int, seconds: Double) -> String {
        let start = Date()
        var loaded = 0
        var failed = 0
        var rounds = 0
        var slowest = 0.0
        while Date().timeIntervalSince(start) < seconds {
            let roundStart = Date()
            let clients = (0..<count).map { _ in AbuseClient(port: port, timeout: 10) }
            for client in clients { client?.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") }
            let tally = AbuseTally()
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for index in stride(from: worker, to: clients.count, by: 8) {
                    tally.note(status: clients[index]?.status() ?? 0)
                }
            }
            let ok = tally.statuses[200] ?? 0
            loaded += ok
            failed += clients.count - ok
            rounds += 1
            slowest = max(slowest, Date().timeIntervalSince(roundStart))
        }
        return "\(rounds) rounds of \(count) concurrent loads: \(loaded) pages, \(failed) failed; slowest round \(String(format: "%.2f", slowest)) s"
    }

    /// `count` clients that ask for `target` (a large file) and never read; held `seconds`.
    static func stalledDownloads(port: Int, target: String, count: Int, seconds: Double) -> String {
        var clients = (0..<count).compactMap { _ in AbuseClient(port: port, timeout: 2, receiveBuffer: 4096) }
        for client in clients { client.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") }
        Thread.sleep(forTimeInterval: seconds)
        let closed = clients.filter(\.isClosedByPeer).count
        let opened = clients.count
        clients.removeAll()
        return "\(opened) stalled readers held \(Int(seconds)) s (\(closed) closed by the server so far)"
    }
}
