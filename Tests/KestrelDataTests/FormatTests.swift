import XCTest
@testable import KestrelData

final class FormatTests: XCTestCase {
    func testGzipRoundTrip() throws {
        let bytes = TestFiles.pattern(count: 100_000)
        XCTAssertEqual(try Gzip.decompress(Gzip.compress(bytes), source: "x.gz"), bytes)
        XCTAssertEqual(try Gzip.decompress(Gzip.compress([]), source: "empty.gz"), [])
        XCTAssertEqual(try Gzip.decompress(Gzip.compress([1, 2]) + Gzip.compress([3]), source: "two.gz"), [1, 2, 3])
    }

    func testTruncatedGzipNamesTheFile() {
        let compressed = Gzip.compress(TestFiles.pattern(count: 50_000))
        XCTAssertThrowsError(try Gzip.decompress(Array(compressed.prefix(compressed.count / 2)), source: "/data/train.gz")) { error in
            XCTAssertTrue("\(error)".contains("/data/train.gz"), "\(error)")
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        // Cutting only the CRC trailer is caught too.
        XCTAssertThrowsError(try Gzip.decompress(Array(compressed.dropLast(4)), source: "t.gz"))
        var flipped = compressed
        flipped[flipped.count - 6] ^= 0xff // corrupt CRC
        XCTAssertThrowsError(try Gzip.decompress(flipped, source: "crc.gz"))
    }

    func testIDXRoundTripRawAndGzip() throws {
        let directory = TestFiles.temporaryDirectory()
        let file = IDXFile(shape: [3, 4, 5], bytes: TestFiles.pattern(count: 60))
        try TestFiles.write(file.encoded(), to: directory + "/raw.idx")
        try TestFiles.write(Gzip.compress(file.encoded()), to: directory + "/packed.idx.gz")
        XCTAssertEqual(try IDXFile(contentsOf: directory + "/raw.idx"), file)
        XCTAssertEqual(try IDXFile(contentsOf: directory + "/packed.idx.gz"), file)
    }

    func testIDXWrongMagicAndLength() {
        var bytes = IDXFile(shape: [2, 2], bytes: [1, 2, 3, 4]).encoded()
        bytes[0] = 0x1f
        bytes[1] = 0x00
        XCTAssertThrowsError(try IDXFile(bytes: bytes, source: "bad.idx")) { error in
            XCTAssertTrue("\(error)".contains("magic"), "\(error)")
            XCTAssertTrue("\(error)".contains("bad.idx"), "\(error)")
        }
        let short = Array(IDXFile(shape: [2, 2], bytes: [1, 2, 3, 4]).encoded().dropLast())
        XCTAssertThrowsError(try IDXFile(bytes: short, source: "short.idx"))
        var float = IDXFile(shape: [1], bytes: [1]).encoded()
        float[2] = 0x0d
        XCTAssertThrowsError(try IDXFile(bytes: float, source: "float.idx"))
    }

    func testTarAndCIFARRoundTrip() throws {
        let pixels = TestFiles.pattern(count: 2 * 3072)
        let batch = CIFARBinary.encode(pixels: pixels, labels: [[3], [7]])
        XCTAssertEqual(batch.count, 2 * 3073)
        XCTAssertEqual(batch[1], pixels[0]) // red plane first
        XCTAssertEqual(batch[1 + 1024], pixels[1]) // then green
        let archive = try TarArchive.archive([("cifar-10-batches-bin/data_batch_1.bin", batch), ("cifar-10-batches-bin/readme.html", [1, 2, 3])])
        let tar = try TarArchive(bytes: archive, source: "a.tar")
        XCTAssertEqual(tar.files.count, 2)
        let parsed = try CIFARBinary.parse(tar.file(endingWith: "data_batch_1.bin")!, labelBytes: 1, labelIndex: 0, source: "b")
        XCTAssertEqual(parsed.labels, [3, 7])
        XCTAssertEqual(parsed.pixels, pixels)
        XCTAssertThrowsError(try CIFARBinary.parse(Array(batch.dropLast()), labelBytes: 1, labelIndex: 0, source: "cut.bin"))
        XCTAssertThrowsError(try TarArchive(bytes: Array(archive.prefix(700)), source: "cut.tar"))
    }
}
