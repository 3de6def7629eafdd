import Foundation
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
