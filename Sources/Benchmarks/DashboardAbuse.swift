import Foundation
import Kestrel
import KestrelData
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's load and abuse test (`swift run -c release Benchmarks dashboard-abuse`): `kestrel serve` under a
/// 1,024-descriptor limit (`prlimit`) is attacked on 127.0.0.1 — slowloris, oversized request lines and headers,
/// 1,100 connections, 500 concurrent page loads, 50 stalled 60 MB downloads — while a normal client loads `GET /`
/// every 100 ms; each attack prints that client's latency percentiles and the server's peak memory. Then `kestrel fit
/// --dashboard` is timed with and without an attack. Every attack is bounded in connections and seconds; the whole
/// run takes about three minutes. `KESTREL=path` names the executable (default: the one beside this program).
func runDashboardAbuse() throws {
    let kestrel = ProcessInfo.processInfo.environment["KESTREL"]
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kestrel").path
    guard FileManager.default.isExecutableFile(atPath: kestrel) else { throw AbuseError("no kestrel executable at \(kestrel); build it or set KESTREL") }
    raiseOwnDescriptorLimit()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-abuse-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let runs = scratch.appendingPathComponent("runs")
    try makeRunFolder(runs)
    print("Dashboard abuse test: \(kestrel), load average \(BenchmarkClock.loadAverage)\n")
    print("| attack | what happened | normal GET / p50 / p95 / p99 / max (ms), loads, failed | server peak RSS (MB) |")
    print("|---|---|---|---|")

    let server = try ServerProcess(kestrel: kestrel, arguments: ["serve", runs.path, "--port", "0"], descriptors: 1024, linePrefix: "Serving")
    let port = server.port
    func phase(_ name: String, _ attack: () -> String) {
        let probe = LatencyProbe(port: port)
        let memory = MemorySampler(server)
        let result = attack()
        let seen = probe.finish()
        let peak = memory.finish()
        print("| \(name) | \(result) | \(seen.milliseconds), \(seen.count), \(seen.failures) | \(String(format: "%.0f", peak)) |")
    }
    phase("none (baseline)") { Thread.sleep(forTimeInterval: 3); return "—" }
    phase("slowloris, 250 connections") { DashboardAttacks.slowloris(port: port, count: 250, seconds: 14) }
    for (bytes, repetitions) in [(20_000, 40), (80_000, 40), (2_000_000, 12)] {
        phase("request line of \(bytes / 1000) KB") {
            DashboardAttacks.oversized(port: port, server: server, bytes: bytes, inHeader: false, repetitions: repetitions)
        }
        phase("header of \(bytes / 1000) KB") {
            DashboardAttacks.oversized(port: port, server: server, bytes: bytes, inHeader: true, repetitions: repetitions)
        }
    }
    phase("1,100 connections, 1,024 descriptors") { DashboardAttacks.connectionFlood(port: port, count: 1100, seconds: 5) }
    phase("500 concurrent page loads") { DashboardAttacks.pageLoads(port: port, count: 500, seconds: 8) }
    phase("50 stalled downloads of a 60 MB file") {
        DashboardAttacks.stalledDownloads(port: port, target: "/files/big.bin", count: 50, seconds: 10)
    }
    print("\nserver still running after the attacks: \(server.isRunning)")
    server.stop()

    // Asking for more connections than the descriptors allow: the cap stays below the limit (limit minus an eighth).
    let uncapped = try ServerProcess(kestrel: kestrel, arguments: ["serve", runs.path, "--port", "0", "--max-connections", "100000"],
                                     descriptors: 1024, linePrefix: "Serving")
    print("--max-connections 100000 under 1,024 descriptors: "
          + DashboardAttacks.connectionFlood(port: uncapped.port, count: 1100, seconds: 5))
    uncapped.stop()

    try timeFit(kestrel: kestrel, scratch: scratch)
}

/// Times `kestrel fit --dashboard` alone and while its dashboard is attacked: 200 slowloris connections kept open,
/// four 2 MB request lines and 100 concurrent page loads every half second or so.
private func timeFit(kestrel: String, scratch: URL) throws {
    let images = scratch.appendingPathComponent("images")
    try makeImageFolder(images)
    func fit(attacked: Bool, index: Int) throws -> Double {
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kestrel)
        process.arguments = ["fit", "--model", "flatten, dense 256 relu, dense 2 softmax", "--dataset", images.path, "--image-size", "16x16",
                             "--epochs", "150", "--verbose", "0", "--output", scratch.appendingPathComponent("fit\(index)").path,
                             "--dashboard", String(port), "--dashboard-linger", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let stop = AbuseTally()
        let attackers = DispatchGroup()
        if attacked {
            // Attack once the dashboard listens (fit loads the images first).
            let deadline = Date().addingTimeInterval(60)
            while AbuseClient(port: port, timeout: 1) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            for attack in 0..<3 {
                attackers.enter()
                Thread.detachNewThread {
                    defer { attackers.leave() }
                    var held: [AbuseClient] = []
                    while stop.statuses.isEmpty {
                        switch attack {
                        case 0: if held.count < 200, let client = AbuseClient(port: port, timeout: 1) { client.send("GET / HTTP/1.1\r\n"); held.append(client) }
                                else { Thread.sleep(forTimeInterval: 0.05) }
                        case 1:
                            _ = DashboardAttacks.oversized(port: port, server: nil, bytes: 2_000_000, inHeader: false, repetitions: 4)
                            Thread.sleep(forTimeInterval: 0.5)
                        default:
                            _ = DashboardAttacks.pageLoads(port: port, count: 100, seconds: 0.1)
                            Thread.sleep(forTimeInterval: 0.5)
                        }
                    }
                }
            }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        stop.note(status: 1)
        attackers.wait()
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: #"Trained 1 run\(s\) in [0-9.]+ s"#, options: .regularExpression),
              let seconds = Double(text[range].split(separator: " ")[4]) else { throw AbuseError("fit printed no training time:\n\(text)") }
        return seconds
    }
    var alone: [Double] = []
    var attacked: [Double] = []
    for round in 0..<3 {
        alone.append(try fit(attacked: false, index: 2 * round))
        attacked.append(try fit(attacked: true, index: 2 * round + 1))
    }
    let slowdown = (attacked.min()! / alone.min()! - 1) * 100
    print(String(format: "\nkestrel fit --dashboard (150 epochs): alone %@ s, attacked %@ s: %+.1f %% (best of 3 each, alternating)",
                 alone.map { String(format: "%.2f", $0) }.joined(separator: ", "),
                 attacked.map { String(format: "%.2f", $0) }.joined(separator: ", "), slowdown))
}

/// A folder with one run's history and a 60 MB file to download.
private func makeRunFolder(_ folder: URL) throws {
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("run"), withIntermediateDirectories: true)
    let history = History()
    for epoch in 0..<20 { history.record(epoch: epoch, logs: ["loss": 1 / Double(epoch + 1), "val_loss": 1.2 / Double(epoch + 1) + 0.01 * Double(epoch)]) }
    try history.save(to: folder.appendingPathComponent("run/history.json").path)
    let big = folder.appendingPathComponent("big.bin")
    guard FileManager.default.createFile(atPath: big.path, contents: nil) else { throw AbuseError("cannot create \(big.path)") }
    let handle = try FileHandle(forWritingTo: big)
    let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    for _ in 0..<60 { try handle.write(contentsOf: block) }
    try handle.close()
}

/// Two classes of 1,500 16×16 grayscale images (bright top or bright bottom half).
private func makeImageFolder(_ folder: URL) throws {
    for (name, top) in [("bottom", false), ("top", true)] {
        let classFolder = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
        for index in 0..<1500 {
            let pixels = (0..<256).map { UInt8(truncatingIfNeeded: ((($0 / 16 < 8) == top) ? 180 : 40) + ($0 * 7 + index * 13) % 50) }
            let png = try PNGCodec.encode(try RasterImage(pixels: pixels, height: 16, width: 16, channels: 1))
            try Data(png).write(to: classFolder.appendingPathComponent("\(index).png"))
        }
    }
}

/// A port free now on 127.0.0.1.
private func freePort() -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            _ = bind(descriptor, pointer, length)
            return getsockname(descriptor, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Lets this process open the 1,100+ client sockets the attacks need.
private func raiseOwnDescriptorLimit() {
    var limits = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return }
    limits.rlim_cur = min(limits.rlim_max, 65536)
    setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits)
}
