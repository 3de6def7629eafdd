import Foundation
import KestrelTensor
import XCTest
@testable import KestrelData

/// Files a robustness probe found that used to trap or blow up memory: each builds the hostile input
/// itself and expects a thrown error.
final class HostileFileTests: XCTestCase {
    private func idx(dimensions: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for dimension in dimensions { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: dimension >> UInt32($0)) } }
        return bytes + [1, 2, 3]
    }

    func testIDXDimensionsWhoseProductOverflowsAreAnError() {
        for dimensions: [UInt32] in [[0xFFFF_FFFF, 0xFFFF_FFFF, 1], [0xFFFF_FFFF, 0xFFFF_FFFF, 0], [0xFFFF_FFFF, 0xFFFF_FFFF]] {
            XCTAssertThrowsError(try IDXFile(bytes: idx(dimensions: dimensions), source: "huge.idx")) { error in
                XCTAssertTrue("\(error)".contains("huge.idx"), "\(error)")
            }
        }
    }

    /// A zero dimension made the element count 0 and hid the other dimensions' overflowing product, which
    /// trapped later (a sample's size, strides, printing). `(0, 2**62, 2**62)` written by hand into a `.npy`
    /// header, and an IDX file of shape 0 × 2^32-1 × 2^32-1 × 2^32-1 with no data bytes, are errors now.
    func testAZeroDimensionDoesNotHideAnOverflowingShape() throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }"
        header += String(repeating: " ", count: 117 - header.utf8.count) + "\n"
        let npy: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        XCTAssertThrowsError(try NPYFile(bytes: npy, name: "crafted.npy")) { error in
            XCTAssertTrue("\(error)".contains("crafted.npy") && "\(error)".contains("too large"), "\(error)")
        }
        var idxBytes = idx(dimensions: [0, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF])
        idxBytes.removeLast(3)
        XCTAssertThrowsError(try IDXFile(bytes: idxBytes, source: "crafted.idx")) { error in
            XCTAssertTrue("\(error)".contains("crafted.idx"), "\(error)")
        }
        XCTAssertNil(Tensor.checkedElementCount([0, 1 << 62, 1 << 62]))
        XCTAssertNil(Tensor.checkedElementCount([1 << 62, 1 << 62, 0]))
        XCTAssertEqual(Tensor.checkedElementCount([0, 1 << 20, 1 << 20]), 0)
        XCTAssertThrowsError(try Tensor(shape: [0, 1 << 62, 1 << 62], scalars: []))
        XCTAssertEqual(try Tensor(shape: [0, 3], scalars: []).shape, [0, 3])
    }

    /// gzip of zeros expands about 1000:1, so a 10 MB `train-images-idx3-ubyte.gz` could ask for 10 GB. Inflating
    /// stops past 100:1 (and 1 MiB); what a real dataset compresses to still reads.
    func testAGzipBombIsRefusedWhileInflating() throws {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 3 << 20))
        XCTAssertLessThan(bomb.count, 10_000)
        XCTAssertThrowsError(try Gzip.decompress(bomb, source: "bomb.gz")) { error in
            XCTAssertTrue("\(error)".contains("bomb.gz") && "\(error)".contains("decompression bomb"), "\(error)")
        }
        var generator = SystemRandomNumberGenerator()
        let text = (0..<(3 << 19)).map { _ in UInt8.random(in: 48...57, using: &generator) }  // digits: about 2.3:1
        XCTAssertEqual(try Gzip.decompress(Gzip.compress(text), source: "digits.gz"), text)
        let small = [UInt8](repeating: 7, count: 500_000)  // 1000:1, but within the first MiB
        XCTAssertEqual(try Gzip.decompress(Gzip.compress(small), source: "small.gz"), small)
    }

    /// One 512-byte ustar header for `name` whose 12-byte size field holds `size`, with a valid checksum.
    private func tarHeader(name: String, size: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        header.replaceSubrange(0..<name.utf8.count, with: Array(name.utf8))
        header.replaceSubrange(100..<108, with: Array("0000644\0".utf8))
        header.replaceSubrange(108..<116, with: Array("0000000\0".utf8))
        header.replaceSubrange(116..<124, with: Array("0000000\0".utf8))
        header.replaceSubrange(124..<136, with: size)
        header.replaceSubrange(136..<148, with: Array("00000000000\0".utf8))
        header[156] = UInt8(ascii: "0")
        header.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, UInt8(ascii: " ")]
        header.replaceSubrange(148..<156, with: field)
        return header
    }

    func testTarSizesThatAreNegativeOrHugeAreAnError() {
        let sizes: [(String, [UInt8])] = [
            ("octal -1", Array("-1\0\0\0\0\0\0\0\0\0\0".utf8)),
            ("base-256 wrapping negative", [0xFF] + [UInt8](repeating: 0xFF, count: 11)),
            ("base-256 near Int.max", [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0]),
            ("octal larger than the archive", Array("77777777777\0".utf8)),
        ]
        for (label, size) in sizes {
            let archive = tarHeader(name: "cifar-10-batches-bin/data_batch_1.bin", size: size)
                + [UInt8](repeating: 7, count: 512) + [UInt8](repeating: 0, count: 1024)
            do {
                let tar = try TarArchive(bytes: archive, source: "hostile.tar")
                // libarchive may read a size it cannot use as an empty member; it must never be larger than the archive.
                XCTAssertTrue(tar.files.allSatisfy { $0.contents.count <= archive.count }, label)
            } catch {
                XCTAssertTrue("\(error)".contains("hostile.tar"), "\(label): \(error)")
            }
        }
        XCTAssertThrowsError(try TarArchive(bytes: [], source: "empty.tar"))
        XCTAssertThrowsError(try TarArchive(bytes: Array("not a tar archive at all".utf8), source: "text.tar"))
    }

    /// A valid 8×8 JPEG whose SOF header then claims `height`×`width`.
    private func jpeg(claiming height: UInt16, _ width: UInt16) throws -> [UInt8] {
        let image = try RasterImage(pixels: [UInt8](repeating: 128, count: 8 * 8 * 3), height: 8, width: 8, channels: 3)
        var bytes = try JPEGCodec.encode(image)
        let marker = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) })
        bytes.replaceSubrange((marker + 5)..<(marker + 9), with: [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)])
        return bytes
    }

    func testJPEGDeclaringHugeDimensionsIsRejectedBeforeDecoding() throws {
        let bytes = try jpeg(claiming: 30000, 30000)
        XCTAssertLessThan(bytes.count, 2000)
        XCTAssertThrowsError(try JPEGCodec.decode(bytes, source: "bomb.jpg")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("bomb.jpg") && text.contains("30000×30000") && text.contains("maximumPixels"), text)
        }
        let path = TestFiles.temporaryDirectory() + "/bomb.jpg"
        try TestFiles.write(bytes, to: path)
        XCTAssertThrowsError(try ImageFile.read(path))
    }

    func testTheCapCanBeRaisedOrLowered() throws {
        let bytes = try jpeg(claiming: 8, 8)
        XCTAssertEqual(try JPEGCodec.decode(bytes, source: "small.jpg").height, 8)
        XCTAssertThrowsError(try JPEGCodec.decode(bytes, maximumPixels: 63, source: "small.jpg"))
        XCTAssertEqual(try JPEGCodec.decode(bytes, maximumPixels: 64, source: "small.jpg").width, 8)
        let image = try RasterImage(pixels: [UInt8](repeating: 9, count: 4 * 4), height: 4, width: 4, channels: 1)
        let png = try PNGCodec.encode(image)
        XCTAssertThrowsError(try PNGCodec.decode(png, maximumPixels: 15, source: "small.png"))
        XCTAssertEqual(try PNGCodec.decode(png, maximumPixels: 16, source: "small.png"), image)
    }

    func testImageSizesWhoseProductOverflowsAreAnError() throws {
        let image = try RasterImage(pixels: [1, 2, 3, 4], height: 2, width: 2, channels: 1)
        XCTAssertThrowsError(try image.resized(height: 4_000_000_000, width: 4_000_000_000, interpolation: .nearest))
        XCTAssertThrowsError(try RasterImage(pixels: [1], height: Int.max, width: 2, channels: 1))
        let directory = TestFiles.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/cats", withIntermediateDirectories: true)
        try ImageFile.write(image, to: directory + "/cats/a.png")
        XCTAssertThrowsError(try imageDatasetFromDirectory(directory, imageSize: (4_000_000_000, 4_000_000_000))) { error in
            XCTAssertTrue("\(error)".contains("imageSize"), "\(error)")
        }
        XCTAssertThrowsError(try imageDatasetFromDirectory(directory, imageSize: (60_000, 60_000)))  // 3.6e9 pixels: over the cap
    }
}

/// An IMDB-shaped archive whose reviews unpack far beyond its size (a decompression bomb written to disk).
final class HostileArchiveTests: XCTestCase {
    func testAnArchiveThatUnpacksPast100To1IsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-imdb-bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let review = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        let files = (0..<40).map { (path: "aclImdb/train/pos/\($0)_9.txt", contents: review) }
        let archive = folder.appendingPathComponent("aclImdb_v1.tar.gz").path
        try Data(Gzip.compress(try TarArchive.archive(files))).write(to: URL(fileURLWithPath: archive))
        XCTAssertThrowsError(try AclImdbArchive.extract(archive, to: folder.appendingPathComponent("out").path)) { error in
            XCTAssertTrue("\(error)".contains("aclImdb_v1.tar.gz") && "\(error)".contains("decompression bomb"), "\(error)")
        }
        // Ten of the same reviews (1 MB) are within the first MiB: unpacked.
        let small = folder.appendingPathComponent("small.tar.gz").path
        try Data(Gzip.compress(try TarArchive.archive(Array(files.prefix(10))))).write(to: URL(fileURLWithPath: small))
        XCTAssertEqual(try AclImdbArchive.extract(small, to: folder.appendingPathComponent("small").path).counts["train/pos"], 10)
    }
}

/// A `.npz` whose members each stay under the per-member bound but together inflate ~525:1
/// (`scripts/fixtures/make_npz_bomb_fixture.py`): the bound now holds for all members together.
final class HostileNPZTests: XCTestCase {
    func testAnNPZWhoseMembersTogetherInflatePastTheBoundIsRefused() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/data/npz/many_members_bomb.npz").path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertLessThan(bytes.count, 30_000)
        XCTAssertThrowsError(try NPZArchive(bytes: bytes, source: "bomb.npz")) { error in
            XCTAssertTrue("\(error)".contains("bomb.npz") && "\(error)".contains("16 times"), "\(error)")
        }
    }
}

/// A `.csv.gz` of one-character rows inflates ~1000:1 (a 97 KB file made a 1.4 GB table); streaming stops past 100:1.
final class HostileCSVTests: XCTestCase {
    func testAGzipCSVThatInflatesPast100To1IsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-csv-bomb-\(UUID().uuidString).csv.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = "a\n" + String(repeating: "1\n", count: 1_500_000)
        try Data(Gzip.compress(Array(text.utf8))).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CSVTable.read(path)) { error in
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains("decompression bomb"), "\(error)")
        }
        XCTAssertEqual(try CSVTable.read(path, maxRows: 1000).rowCount, 1000)  // what is read before the bound still reads
    }
}
