import Foundation
import XCTest
import Kestrel
import KestrelDashboard
import KestrelDiagnostics

/// Checks, from inside `fit`, that the epoch just ended has already reached the event stream and `/history.json`.
private final class EpochProbe: Callback, @unchecked Sendable {
    let stream: RawHTTPClient
    let port: Int
    var seenInStream: [Bool] = []
    var historyEpochs: [[Int]] = []

    init(stream: RawHTTPClient, port: Int) {
        self.stream = stream
        self.port = port
    }

    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        seenInStream.append(stream.wait(timeout: 10) { $0.contains("event: epoch") && $0.contains("\"epoch\":\(epoch),") })
        let response = try RawHTTPClient.get(port: port, target: "/history.json")
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        historyEpochs.append(object?["epoch"] as? [Int] ?? [])
    }
}

final class DashboardTests: XCTestCase {
    /// 4×4 images of two classes: class 1 bright on the left half, class 0 on the right half.
    static func images(count: Int, seed: UInt64) -> LabeledImages {
        var generator = RandomGenerator(seed: seed)
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 2
            labels.append(label)
            for _ in 0..<4 {
                for column in 0..<4 {
                    let bright = (column < 2) == (label == 1)
                    pixels.append(UInt8(max(0, min(255, (bright ? 200 : 40) + 30 * generator.nextNormal()))))
                }
            }
        }
        return LabeledImages(pixels: pixels, shape: [count, 4, 4], labels: labels, classNames: ["right", "left"])
    }

    static func tinyModel() throws -> Sequential {
        let model = try Sequential {
            Input(shape: [4, 4])
            Flatten()
            Dense(2, activation: .softmax)
        }
        try model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy, metrics: [.accuracy])
        return model
    }

    func testEachEpochReachesTheStreamAndHistoryAsItEnds() throws {
        Kestrel.setRandomSeed(5)
        let dashboard = try Dashboard(port: 0, title: "tiny run", updateInterval: 0.01)
        defer { dashboard.stop() }
        let url = try dashboard.start()
        XCTAssertEqual(url.host, "127.0.0.1")
        let port = try XCTUnwrap(url.port)
        XCTAssertGreaterThan(port, 0)

        let stream = try RawHTTPClient(port: port)
        stream.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        stream.readInBackground()
        XCTAssertTrue(stream.wait(timeout: 10) { $0.contains("text/event-stream") && $0.contains("event: update") }, stream.text)

        let probe = EpochProbe(stream: stream, port: port)
        let train = Self.images(count: 96, seed: 1)
        let model = try Self.tinyModel()
        let history = try model.fit(train.normalizedX, train.y, epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.25,
                                    callbacks: [dashboard, probe])
        // Each epoch was in the stream and in /history.json before the next one began.
        XCTAssertEqual(probe.seenInStream, [true, true, true], stream.text.suffix(2000).description)
        XCTAssertEqual(probe.historyEpochs, [[0], [0, 1], [0, 1, 2]])

        // The final history equals fit's History, value for value.
        let final = try RawHTTPClient.get(port: port, target: "/history.json")
        XCTAssertEqual(final.status, 200)
        XCTAssertTrue(final.headers.lowercased().contains("content-type: application/json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(final.body.utf8)) as? [String: Any])
        let series = try XCTUnwrap(object["history"] as? [String: [Double]])
        for key in ["loss", "val_loss", "accuracy", "val_accuracy"] {
            let served = try XCTUnwrap(series[key], key)
            let expected = try XCTUnwrap(history[key], key)
            XCTAssertEqual(served.count, 3, key)
            for (a, b) in zip(served, expected) { XCTAssertEqual(a, b, accuracy: 1e-12, key) }
        }

        // The page: self-contained, listening to the stream, with the curves of the three epochs.
        let page = try RawHTTPClient.get(port: port, target: "/")
        XCTAssertEqual(page.status, 200)
        for part in ["<title>tiny run</title>", "new EventSource('events')", "data-series=\"val_loss\"", "id=\"verdict\"",
                     "finished 3 epochs"] {
            XCTAssertTrue(page.body.contains(part), part)
        }
        XCTAssertFalse(page.body.contains("<script src"), "no external script")
        XCTAssertFalse(page.body.contains("http://") && page.body.contains("<link"), "no external stylesheet")
        // The stream's last update says the run finished.
        XCTAssertTrue(stream.wait(timeout: 10) { $0.contains("\"status\":\"finished\"") })

        // The per-class view appears when given.
        dashboard.showPerClass(try ConfusionMatrix(trueLabels: [0, 1, 1, 0], predictedLabels: [0, 1, 0, 0], classNames: ["right", "left"]))
        XCTAssertTrue(stream.wait(timeout: 10) { $0.contains("Per-class view") })
        XCTAssertTrue(try RawHTTPClient.get(port: port, target: "/").body.contains("Per-class view"))
    }

    func testSeveralRunsAreOverlaidWithTheirBandAndProgressCountsRuns() throws {
        Kestrel.setRandomSeed(7)
        let dashboard = try Dashboard(port: 0, runs: 3)
        defer { dashboard.stop() }
        let port = try XCTUnwrap(try dashboard.start().port)
        let train = Self.images(count: 64, seed: 2)
        for seed in 0..<2 {
            dashboard.nextRunName = "seed \(seed)"
            _ = try Self.tinyModel().fit(train.normalizedX, train.y, epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25,
                                         callbacks: [dashboard])
            let view = try RawHTTPClient.get(port: port, target: "/view.json")
            let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(view.body.utf8)) as? [String: Any])
            let runs = try XCTUnwrap(payload["runs"] as? [[String: Any]])
            XCTAssertEqual(runs.compactMap { $0["name"] as? String }, (0...seed).map { "seed \($0)" })
            XCTAssertEqual(payload["status"] as? String, "training", "2 of 3 runs done is not finished")
            let progress = try XCTUnwrap(payload["progress"] as? String)
            XCTAssertTrue(progress.hasPrefix("Run \(seed + 1)/3 (seed \(seed))"), progress)
            XCTAssertTrue(progress.contains("overall ETA"), progress)
            let bands = try XCTUnwrap(payload["bands"] as? String)
            XCTAssertEqual(bands.contains("Mean ± 95% CI"), seed == 1, "the band appears once two runs have finished")
            // One run: matplotlib's blue/orange; several: each named in the legend.
            XCTAssertEqual((payload["curves"] as? String)?.contains(seed == 0 ? "data-series=\"val_loss\"" : "seed 0 val_loss"), true)
        }
        // Selecting one run shows only that run.
        let one = try RawHTTPClient.get(port: port, target: "/view.json?run=seed%201")
        let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(one.body.utf8)) as? [String: Any])
        let curves = try XCTUnwrap(payload["curves"] as? String)
        XCTAssertFalse(curves.contains("seed 0"))
        XCTAssertEqual(payload["bands"] as? String, "")
        let history = try RawHTTPClient.get(port: port, target: "/history.json?run=seed%200")
        XCTAssertEqual(history.status, 200)
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/history.json?run=nobody").status, 404)
    }

    func testEpochInProgressIsDrawnUpToItsLastBatch() throws {
        Kestrel.setRandomSeed(9)
        let dashboard = try Dashboard(port: 0, updateInterval: 0.000_001)
        defer { dashboard.stop() }
        let port = try XCTUnwrap(try dashboard.start().port)
        final class MidEpoch: Callback, @unchecked Sendable {
            let port: Int
            var curves = ""
            var progress = ""
            init(port: Int) { self.port = port }
            override func onTrainBatchEnd(_ batch: Int, logs: inout [String: Double]) throws {
                guard batch == 3, curves.isEmpty else { return }
                let body = try RawHTTPClient.get(port: port, target: "/view.json").body
                let payload = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                curves = payload?["curves"] as? String ?? ""
                progress = payload?["progress"] as? String ?? ""
            }
        }
        let probe = MidEpoch(port: port)
        let train = Self.images(count: 64, seed: 3)
        _ = try Self.tinyModel().fit(train.normalizedX, train.y, epochs: 2, batchSize: 8, verbose: 0, callbacks: [dashboard, probe])
        XCTAssertTrue(probe.curves.contains("loss (epoch 1 so far)"), probe.curves.prefix(400).description)
        XCTAssertTrue(probe.progress.contains("epoch 1/2 · batch 4/8"), probe.progress)
        XCTAssertTrue(probe.progress.contains("learning rate 0.01"), probe.progress)
    }

    func testRequestsAreBoundedAndBadOnesDoNotStopTheServer() throws {
        let dashboard = try Dashboard(port: 0)
        defer { dashboard.stop() }
        let port = try XCTUnwrap(try dashboard.start().port)
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/" + String(repeating: "a", count: 5000)).status, 414)

        let big = try RawHTTPClient(port: port)
        big.send("GET / HTTP/1.1\r\nHost: x\r\n" + (0..<18).map { "X-Filler-\($0): \(String(repeating: "b", count: 1000))\r\n" }.joined() + "\r\n")
        XCTAssertEqual(RawHTTPClient.parse(big.readAll()).status, 431)

        // A declared 100 MB body is refused at once, without the server reading it.
        let body = try RawHTTPClient(port: port)
        body.send("POST /history.json HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" + String(repeating: "c", count: 1000))
        let refused = RawHTTPClient.parse(body.readAll())
        XCTAssertEqual(refused.status, 413)
        XCTAssertTrue(refused.headers.lowercased().contains("connection: close"))

        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/nothing").status, 404)
        let post = try RawHTTPClient(port: port)
        post.send("DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(RawHTTPClient.parse(post.readAll()).status, 405)
        // Garbage and half-sent requests close their connection; the server keeps answering.
        for junk in ["\u{0}\u{1}\u{2}\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "GET / HTTP/1.1\r\nHost"] {
            let client = try RawHTTPClient(port: port)
            client.send(junk)
            if junk.hasSuffix("Host") { continue }
            _ = client.readAll()
        }
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/").status, 200)
    }

    func testHostAndPortAreChecked() throws {
        XCTAssertThrowsError(try Dashboard(port: 70_000)) { XCTAssertTrue("\($0)".contains("0...65535")) }
        XCTAssertThrowsError(try Dashboard(host: "example.com")) { XCTAssertTrue("\($0)".contains("127.0.0.1")) }
        XCTAssertTrue(try Dashboard().isLoopback)
        XCTAssertFalse(try Dashboard(host: "0.0.0.0").isLoopback)
        // A port already taken is a thrown error naming it, not a crash.
        let first = try Dashboard(port: 0)
        defer { first.stop() }
        let port = try XCTUnwrap(try first.start().port)
        XCTAssertThrowsError(try Dashboard(port: port).start()) { XCTAssertTrue("\($0)".contains("\(port)"), "\($0)") }
    }

    func testClosedPagesStopListening() throws {
        let dashboard = try Dashboard(port: 0)
        defer { dashboard.stop() }
        let port = try XCTUnwrap(try dashboard.start().port)
        var pages: [RawHTTPClient] = []
        for _ in 0..<3 {
            let page = try RawHTTPClient(port: port)
            page.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            page.readInBackground()
            XCTAssertTrue(page.wait(timeout: 10) { $0.contains("event: update") })
            pages.append(page)
        }
        XCTAssertEqual(dashboard.listenerCount, 3)
        pages.forEach { $0.hangUp() }
        pages.removeAll()
        // The server notices at its next writes; each closed page is then removed.
        let deadline = Date().addingTimeInterval(15)
        while dashboard.listenerCount > 0, Date() < deadline {
            dashboard.setSubtitle("tick \(Date().timeIntervalSince1970)")
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(dashboard.listenerCount, 0)
        XCTAssertEqual(try RawHTTPClient.get(port: port, target: "/").status, 200)
    }
}
