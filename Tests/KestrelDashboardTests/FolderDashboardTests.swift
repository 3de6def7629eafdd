import Foundation
import XCTest
import Kestrel
import KestrelDashboard
import KestrelDiagnostics

final class FolderDashboardTests: XCTestCase {
    private var parent: URL!
    private var root: URL!

    override func setUpWithError() throws {
        parent = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-serve-\(UUID().uuidString)")
        root = parent.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("mlp"), withIntermediateDirectories: true)
        // A history written by fit (Kestrel JSON) and a Keras CSVLogger file.
        let history = History()
        for (epoch, values) in [(0.9, 0.95), (0.6, 0.7), (0.4, 0.65), (0.3, 0.7)].enumerated() {
            history.record(epoch: epoch, logs: ["loss": values.0, "val_loss": values.1])
        }
        try history.save(to: root.appendingPathComponent("mlp/history.json").path)
        try history.save(to: root.appendingPathComponent("mlp/history.csv").path)
        try "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.5,1.0,0.5,1.1\n1,0.7,0.7,0.6,0.9\n2,0.8,0.5,0.7,0.8\n"
            .write(to: root.appendingPathComponent("cnn.csv"), atomically: true, encoding: .utf8)
        try "<html>report</html>".write(to: root.appendingPathComponent("mlp/report.html"), atomically: true, encoding: .utf8)
        try "TOP SECRET".write(to: parent.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.txt"),
                                                   withDestinationURL: parent.appendingPathComponent("secret.txt"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: parent) }

    func testRunListOverlayAndSelection() throws {
        let served = try FolderDashboard(folder: try RunFolder(path: root.path), port: 0, rescanInterval: 0.2)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let view = try RawHTTPClient.get(port: port, target: "/view.json")
        let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(view.body.utf8)) as? [String: Any])
        let runs = try XCTUnwrap(payload["runs"] as? [[String: Any]])
        // history.json and history.csv of one run count once; the CSVLogger file is a run.
        XCTAssertEqual(runs.compactMap { $0["name"] as? String }, ["cnn", "mlp/history"])
        XCTAssertEqual(runs.compactMap { $0["epochs"] as? Int }, [3, 4])
        XCTAssertEqual(payload["status"] as? String, "folder")
        let curves = try XCTUnwrap(payload["curves"] as? String)
        XCTAssertTrue(curves.contains("cnn val_loss") && curves.contains("mlp/history val_loss"))

        XCTAssertEqual(payload["bands"] as? String, "", "runs of different folders are not one experiment's seeds")

        let one = try RawHTTPClient.get(port: port, target: "/view.json?run=cnn")
        let selected = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(one.body.utf8)) as? [String: Any])
        XCTAssertFalse((selected["curves"] as? String ?? "mlp").contains("mlp"))
        XCTAssertEqual((selected["runs"] as? [[String: Any]])?.compactMap { $0["selected"] as? Bool }, [true, false])

        let page = try RawHTTPClient.get(port: port, target: "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("type=\"checkbox\" value=\"cnn\" checked"))
        let history = try RawHTTPClient.get(port: port, target: "/history.json?run=cnn")
        XCTAssertTrue(history.body.contains("\"val_accuracy\""), history.body)

        // A run added to the folder appears in the stream without reloading.
        let stream = try RawHTTPClient(port: port)
        stream.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        stream.readInBackground()
        XCTAssertTrue(stream.wait(timeout: 10) { $0.contains("event: update") })
        try "epoch,loss,val_loss\n0,1.0,1.2\n".write(to: root.appendingPathComponent("late.csv"), atomically: true, encoding: .utf8)
        XCTAssertTrue(stream.wait(timeout: 10) { $0.contains("\"name\":\"late\"") })
    }

    func testNoFileOutsideTheFolderIsServed() throws {
        let served = try FolderDashboard(folder: try RunFolder(path: root.path), port: 0)
        defer { served.stop() }
        let port = try XCTUnwrap(served.url.port)
        let inside = try RawHTTPClient.get(port: port, target: "/files/mlp/report.html")
        XCTAssertEqual(inside.status, 200)
        XCTAssertEqual(inside.body, "<html>report</html>")
        XCTAssertTrue(inside.headers.lowercased().contains("content-type: text/html"))
        for target in ["/files/../secret.txt", "/files/mlp/../../secret.txt", "/files/%2e%2e/secret.txt", "/files/%2E%2E/secret.txt",
                       "/files/mlp/%2e%2e/%2e%2e/secret.txt", "/files/..%2fsecret.txt", "/files/%2e%2e%2fsecret.txt",
                       "/files/%252e%252e/secret.txt", "/files//etc/passwd", "/files/link.txt", "/../secret.txt", "/files/",
                       "/files/mlp", "/files/%00"] {
            let response = try RawHTTPClient.get(port: port, target: target)
            XCTAssertEqual(response.status, 404, target)
            XCTAssertFalse(response.body.contains("TOP SECRET"), target)
            XCTAssertFalse(response.body.contains("root:"), target)
        }
        // The checks themselves, without HTTP.
        let folder = try RunFolder(path: root.path)
        XCTAssertNotNil(folder.file(atRequestPath: "cnn.csv"))
        XCTAssertNil(folder.file(atRequestPath: "%2e%2e/secret.txt"))
        XCTAssertNil(folder.file(atRequestPath: "mlp/./history.json"))
    }

    func testAFolderThatIsNotOneIsAnError() {
        XCTAssertThrowsError(try RunFolder(path: parent.appendingPathComponent("missing").path)) {
            XCTAssertTrue("\($0)".contains("is not a folder"))
        }
    }
}
