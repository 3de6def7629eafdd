import XCTest
@testable import KestrelData

final class DatasetLoadingTests: XCTestCase {
    func testLoadFromExplicitDirectory() throws {
        let directory = TestFiles.temporaryDirectory()
        let files = TestFiles.tinyMNISTFiles()
        for (name, bytes) in files { try TestFiles.write(bytes, to: directory + "/" + name) }
        let (train, test) = try TestFiles.dataset(named: "tiny", files: files).load(directory: directory, showsProgress: false)
        XCTAssertEqual(train.shape, [6, 28, 28])
        XCTAssertEqual(train.labels, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(train.pixels, TestFiles.pattern(count: 6 * 784, seed: 1))
        XCTAssertEqual(test.shape, [3, 28, 28])
        XCTAssertEqual(test.labels, [9, 8, 7])
        XCTAssertEqual(test.classNames.count, 10)
    }

    func testCIFAR10ArchiveLoads() throws {
        let directory = TestFiles.temporaryDirectory()
        var members: [(path: String, contents: [UInt8])] = []
        for batch in 1...5 {
            members.append(("cifar-10-batches-bin/data_batch_\(batch).bin",
                            CIFARBinary.encode(pixels: TestFiles.pattern(count: 3072, seed: batch), labels: [[UInt8(batch)]])))
        }
        members.append(("cifar-10-batches-bin/test_batch.bin", CIFARBinary.encode(pixels: TestFiles.pattern(count: 2 * 3072), labels: [[9], [0]])))
        try TestFiles.write(Gzip.compress(try TarArchive.archive(members)), to: directory + "/cifar-10-binary.tar.gz")
        let (train, test) = try Datasets.cifar10.load(directory: directory)
        XCTAssertEqual(train.shape, [5, 32, 32, 3])
        XCTAssertEqual(train.labels, [1, 2, 3, 4, 5])
        XCTAssertEqual(Array(train.pixels[3072..<6144]), TestFiles.pattern(count: 3072, seed: 2))
        XCTAssertEqual(test.labels, [9, 0])
        XCTAssertEqual(test.classNames[9], "truck")
    }

    func testCIFAR100FineAndCoarseLabels() throws {
        let directory = TestFiles.temporaryDirectory()
        let records = CIFARBinary.encode(pixels: TestFiles.pattern(count: 3072), labels: [[4, 30]])
        try TestFiles.write(Gzip.compress(try TarArchive.archive([("cifar-100-binary/train.bin", records), ("cifar-100-binary/test.bin", records)])),
                            to: directory + "/cifar-100-binary.tar.gz")
        XCTAssertEqual(try Datasets.cifar100.load(directory: directory).train.labels, [30])
        XCTAssertEqual(try Datasets.cifar100Coarse.load(directory: directory).test.labels, [4])
        XCTAssertEqual(Datasets.cifar100.classNames[30], "dolphin")
        XCTAssertEqual(Datasets.cifar100Coarse.classNames[4], "fruit_and_vegetables")
    }

    func testMissingFileInExplicitDirectoryNamesIt() {
        let directory = TestFiles.temporaryDirectory()
        XCTAssertThrowsError(try Datasets.mnist.load(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains(directory + "/train-images-idx3-ubyte.gz"), "\(error)")
        }
    }

    func testRealFashionMNISTFromDebianPackage() throws {
        let systemDirectory = "/usr/share/datasets/fashion-mnist"
        guard FileManager.default.fileExists(atPath: systemDirectory + "/t10k-labels-idx1-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let (train, test) = try Datasets.fashionMNIST.load(directory: systemDirectory)
        XCTAssertEqual(train.shape, [60000, 28, 28])
        XCTAssertEqual(test.shape, [10000, 28, 28])
        XCTAssertEqual(Array(train.labels.prefix(5)), [9, 0, 0, 3, 0]) // ankle boot, T-shirt, T-shirt, dress, T-shirt
        XCTAssertEqual(Set(test.labels).count, 10)
        XCTAssertEqual(test.labels.filter { $0 == 3 }.count, 1000)
    }

    func testLookupFallsThroughAnEmptyOrCorruptCacheToTheDebianPackage() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz") else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let cacheRoot = TestFiles.temporaryDirectory()
        let corrupt = cacheRoot + "/fashion-mnist/t10k-labels-idx1-ubyte.gz"
        try FileManager.default.createDirectory(atPath: cacheRoot + "/fashion-mnist", withIntermediateDirectories: true)
        try TestFiles.write([1, 2, 3], to: corrupt)
        // The mirror is unreachable, so any download attempt would fail the test.
        let (_, test) = try Datasets.fashionMNIST.load(cacheRoot: cacheRoot, mirror: "http://127.0.0.1:1/", showsProgress: false)
        XCTAssertEqual(test.count, 10000)
        XCTAssertFalse(FileManager.default.fileExists(atPath: corrupt), "the corrupt cache entry must be removed")
    }

    func testUnreachableServerGivesAnActionableError() {
        let cacheRoot = TestFiles.temporaryDirectory()
        XCTAssertThrowsError(try Datasets.mnist.load(cacheRoot: cacheRoot, mirror: "http://127.0.0.1:1/", showsProgress: false)) { error in
            XCTAssertTrue("\(error)".contains("http://127.0.0.1:1/train-images-idx3-ubyte.gz"), "\(error)")
            XCTAssertTrue("\(error)".contains(cacheRoot + "/mnist/train-images-idx3-ubyte.gz"), "\(error)")
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: cacheRoot + "/mnist")) ?? [], [])
    }
}
