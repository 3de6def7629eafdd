import XCTest
@testable import KestrelData

final class DownloadTests: XCTestCase {
    private func partialFiles(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".partial") }
    }

    func testDownloadsVerifiesAndCaches() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let files = TestFiles.tinyMNISTFiles()
        for (name, bytes) in files { server.serve("/" + name, .init(body: bytes)) }
        let cacheRoot = TestFiles.temporaryDirectory()
        let dataset = TestFiles.dataset(named: "tiny", files: files)
        let (train, _) = try dataset.load(cacheRoot: cacheRoot, mirror: server.baseURL, showsProgress: false)
        XCTAssertEqual(train.labels, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(server.requestedPaths.count, 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cacheRoot + "/tiny/train-images-idx3-ubyte.gz"))
        // Second load comes from the cache.
        _ = try dataset.load(cacheRoot: cacheRoot, mirror: server.baseURL, showsProgress: false)
        XCTAssertEqual(server.requestedPaths.count, 4)
        // A truncated cache file is detected and fetched again.
        let cached = cacheRoot + "/tiny/t10k-images-idx3-ubyte.gz"
        try TestFiles.write(Array(files["t10k-images-idx3-ubyte.gz"]!.prefix(100)), to: cached)
        let (_, test) = try dataset.load(cacheRoot: cacheRoot, mirror: server.baseURL, showsProgress: false)
        XCTAssertEqual(test.labels, [9, 8, 7])
        XCTAssertEqual(server.requestedPaths.last, "/t10k-images-idx3-ubyte.gz")
        XCTAssertEqual(server.requestedPaths.count, 5)
    }

    func testWrongHashLeavesNoCacheFile() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        server.serve("/file.bin", .init(body: [1, 2, 3, 4]))
        let directory = TestFiles.temporaryDirectory()
        let downloader = FileDownloader(showsProgress: false)
        let url = URL(string: server.baseURL + "file.bin")!
        XCTAssertThrowsError(try downloader.download(url, to: directory + "/file.bin", sha256: FileDigest.sha256(of: [9]))) { error in
            XCTAssertTrue("\(error)".contains("SHA-256"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/file.bin"))
        XCTAssertEqual(partialFiles(in: directory), [])
        try downloader.download(url, to: directory + "/file.bin", sha256: FileDigest.sha256(of: [1, 2, 3, 4]))
        XCTAssertEqual(try FileIO.readBytes(directory + "/file.bin"), [1, 2, 3, 4])
    }

    func testInterruptedDownloadLeavesNoCacheFile() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let body = TestFiles.pattern(count: 200_000)
        server.serve("/big.bin", .init(body: body, sendOnly: 70_000))
        let directory = TestFiles.temporaryDirectory()
        XCTAssertThrowsError(try FileDownloader(showsProgress: true).download(
            URL(string: server.baseURL + "big.bin")!, to: directory + "/big.bin", sha256: FileDigest.sha256(of: body)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/big.bin"))
        XCTAssertEqual(partialFiles(in: directory), [])
    }

    func testHTTPErrorIsReported() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let directory = TestFiles.temporaryDirectory()
        XCTAssertThrowsError(try FileDownloader(showsProgress: false).download(
            URL(string: server.baseURL + "missing.bin")!, to: directory + "/missing.bin", sha256: nil)) { error in
            XCTAssertTrue("\(error)".contains("404"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/missing.bin"))
    }
}
