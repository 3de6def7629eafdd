import Foundation
import XCTest
@testable import KestrelData

/// Images whose decoded size does not fit the memory the process may use are refused from their header,
/// and CMYK JPEGs (which libjpeg will not convert to RGB) are read as PIL reads them (issue 21).
final class HostileImageTests: XCTestCase {
    private struct CMYKFixture: Decodable {
        let height: Int, width: Int
        let rgb: [UInt8], gray: [UInt8]
    }

    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data/cmyk")

    func testACMYKJPEGIsReadAsPILConvertsIt() throws {
        try checkFourComponentJPEG("cmyk")
    }

    /// A YCCK JPEG (Adobe transform 2; scripts/fixtures/make_ycck_jpeg_fixture.py writes it with libjpeg's
    /// JCS_YCCK): libjpeg turns YCCK into inverted CMYK, which is then converted as PIL converts it.
    func testAYCCKJPEGIsReadAsPILConvertsIt() throws {
        let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("ycck.jpg")))
        // The fixture really is YCCK: an APP14 "Adobe" segment whose last byte (the transform) is 2.
        let adobe = try XCTUnwrap((0..<bytes.count - 16).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xEE })
        XCTAssertEqual(Array(bytes[(adobe + 4)..<(adobe + 9)]), Array("Adobe".utf8))
        XCTAssertEqual(bytes[adobe + 15], 2)
        try checkFourComponentJPEG("ycck")
    }

    private func checkFourComponentJPEG(_ name: String) throws {
        let expected = try JSONDecoder().decode(CMYKFixture.self, from: Data(contentsOf: fixtures.appendingPathComponent("\(name).json")))
        let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("\(name).jpg")))
        let rgb = try JPEGCodec.decode(bytes, source: "\(name).jpg")
        XCTAssertEqual([rgb.height, rgb.width, rgb.channels], [expected.height, expected.width, 3])
        // PIL and libjpeg-turbo share the IDCT; the CMYK→RGB step is PIL's, so the bytes agree within 1.
        XCTAssertLessThanOrEqual(zip(rgb.pixels, expected.rgb).map { abs(Int($0) - Int($1)) }.max() ?? 99, 1)
        let gray = try JPEGCodec.decode(bytes, grayscale: true, source: "\(name).jpg")
        XCTAssertEqual(gray.channels, 1)
        XCTAssertLessThanOrEqual(zip(gray.pixels, expected.gray).map { abs(Int($0) - Int($1)) }.max() ?? 99, 1)
        // Through load_img as well, as a dataset folder reads it.
        let loaded = try loadImg(fixtures.appendingPathComponent("\(name).jpg").path, colorMode: .rgb)
        XCTAssertEqual(loaded.pixels, rgb.pixels)
    }

    /// A tiny JPEG whose frame header claims `side`×`side` pixels (the scan is left as it is).
    static func jpegClaiming(side: Int) throws -> [UInt8] {
        var bytes = try JPEGCodec.encode(RasterImage(uncheckedPixels: [UInt8](repeating: 128, count: 64), height: 8, width: 8, channels: 1))
        let sof = try XCTUnwrap((0..<bytes.count - 8).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = UInt8(side >> 8)
        bytes[sof + 6] = UInt8(side & 0xFF)
        bytes[sof + 7] = UInt8(side >> 8)
        bytes[sof + 8] = UInt8(side & 0xFF)
        return bytes
    }

    func testAHeaderClaimingAHugeImageIsRefusedBeforeDecoding() throws {
        let bomb = try Self.jpegClaiming(side: 16384)
        XCTAssertLessThan(bomb.count, 1024)
        XCTAssertThrowsError(try JPEGCodec.decode(bomb, maximumPixels: 1 << 26, source: "bomb.jpg")) { error in
            XCTAssertEqual("\(error)", "bomb.jpg: the JPEG header declares 16384×16384 pixels, more than the limit of 67108864; pass a larger maximumPixels to read it anyway")
        }
    }

    func testMemoryBudgetRefusesWhatCannotFitAndNamesTheFix() throws {
        let available = try XCTUnwrap(MemoryBudget.availableBytes(), "Linux has /proc/meminfo")
        XCTAssertGreaterThan(available, 0)
        XCTAssertNoThrow(try MemoryBudget.check(bytes: 1 << 20, what: "a small thing", fix: "none"))
        XCTAssertThrowsError(try MemoryBudget.check(bytes: 1 << 62, what: "--image-size 16384x16384", fix: "pass a smaller --image-size")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("--image-size 16384x16384 needs about 4294967296.0 GB of memory, more than the "), text)
            XCTAssertTrue(text.hasSuffix("this process may use (cgroup limit or MemAvailable); pass a smaller --image-size"), text)
        }
    }

    func testADatasetThatCannotFitInMemoryIsRefusedBeforeDecoding() throws {
        let folder = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        let png = try PNGCodec.encode(RasterImage(uncheckedPixels: [UInt8](repeating: 9, count: 4), height: 2, width: 2, channels: 1))
        // 200 files of 16384×16384 RGB are 161 GB of bytes; the refusal comes before any is read.
        for index in 0..<200 { try TestFiles.write(png, to: folder + "/a/\(index).png") }
        XCTAssertThrowsError(try imageDatasetFromDirectory(folder, colorMode: .rgb, batchSize: nil, imageSize: (16384, 16384))) { error in
            XCTAssertTrue("\(error)".contains("imageSize: 200 images of 16384×16384×3 needs about"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("use a smaller imageSize"), "\(error)")
        }
    }

    func testAFileNameThatIsNotUTF8IsListedAndRead() throws {
        let folder = TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        let png = try PNGCodec.encode(RasterImage(uncheckedPixels: [UInt8](repeating: 200, count: 4), height: 2, width: 2, channels: 1))
        try TestFiles.write(png, to: folder + "/a/plain.png")
        // "x\xFF.png": 0xFF never occurs in UTF-8. Created by its bytes, as another program would.
        let raw = Array((folder + "/a/x").utf8) + [0xFF] + Array(".png".utf8)
        let descriptor = open(raw.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(png.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, png.count)
        close(descriptor)
        let dataset = try imageDatasetFromDirectory(folder, colorMode: .grayscale, batchSize: nil, imageSize: (2, 2))
        var elements = 0
        for _ in dataset { elements += 1 }
        XCTAssertEqual(elements, 2)
        XCTAssertEqual(RawFileName.encode(RawFileName.decode(raw)), raw.map { CChar(bitPattern: $0) } + [0])
        XCTAssertEqual(RawFileName.decode(Array("héllo".utf8)), "héllo")
    }
}

/// Class folders whose names are not UTF-8 (issue 21): loaded as Keras loads them, with a warning.
final class NonUTF8ClassFolderTests: XCTestCase {
    /// A folder with class "a" and class "b\xFFc" (0xFF never occurs in UTF-8), each holding one 2×2 PNG;
    /// the odd folder and its file are made by their bytes, as another program would make them.
    private func makeFolder() throws -> (folder: String, rawClass: [UInt8]) {
        let folder = TestFiles.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        let dark = try PNGCodec.encode(RasterImage(uncheckedPixels: [UInt8](repeating: 10, count: 4), height: 2, width: 2, channels: 1))
        let light = try PNGCodec.encode(RasterImage(uncheckedPixels: [UInt8](repeating: 200, count: 4), height: 2, width: 2, channels: 1))
        try TestFiles.write(dark, to: folder + "/a/dark.png")
        let rawClass = Array("b".utf8) + [0xFF] + Array("c".utf8)
        let rawFolder = Array((folder + "/").utf8) + rawClass
        XCTAssertEqual(mkdir(rawFolder.map { CChar(bitPattern: $0) } + [0], 0o755), 0)
        let rawFile = rawFolder + Array("/light.png".utf8)
        let descriptor = open(rawFile.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(light.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, light.count)
        close(descriptor)
        return (folder, rawClass)
    }

    func testAClassFolderNameThatIsNotUTF8IsLoadedUnderAnEscapedName() throws {
        let (folder, rawClass) = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dataset = try imageDatasetFromDirectory(folder, labelMode: .int, colorMode: .grayscale, batchSize: nil, imageSize: (2, 2),
                                                    shuffle: false)
        let names = try XCTUnwrap(dataset.classNames)
        XCTAssertEqual(names.count, 2)
        XCTAssertEqual(names[0], "a")
        // The escaped name stands for the folder's exact bytes, and the message shows them.
        XCTAssertEqual(RawFileName.encode(names[1]), rawClass.map { CChar(bitPattern: $0) } + [0])
        XCTAssertEqual(RawFileName.display(names[1]), "b\\xFFc")
        var pixelsByLabel: [Int: Float] = [:]
        for element in dataset { pixelsByLabel[Int(element.y[0])] = element.x[0] }
        XCTAssertEqual(pixelsByLabel, [0: 10, 1: 200])
        // Passing the name back in classNames finds the folder again.
        let again = try imageDatasetFromDirectory(folder, labelMode: .int, classNames: [names[1]], colorMode: .grayscale,
                                                  batchSize: nil, imageSize: (2, 2), shuffle: false)
        XCTAssertEqual(Array(again).count, 1)
        let warning = ClassImageFiles.notUTF8Warning(folder: names[1], in: folder)
        XCTAssertTrue(warning.contains("'b\\xFFc'") && warning.contains("Rename the folder"), warning)
    }

    func testFlowFromDirectoryLoadsTheSameClasses() throws {
        let (folder, _) = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let flow = try ImageDataGenerator().flowFromDirectory(folder, targetSize: (2, 2), colorMode: .grayscale, classMode: .sparse,
                                                              batchSize: 2, shuffle: false)
        XCTAssertEqual(flow.classNames?.count, 2)
        XCTAssertEqual(Array(flow).map { $0.xShape[0] }.reduce(0, +), 2)
    }
}
