import CSystemZlib
import XCTest
@testable import KestrelData

final class ImageCodecTests: XCTestCase {
    private func gradient(height: Int, width: Int, channels: Int) throws -> RasterImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels { pixels.append(UInt8((x * 16 + y * 8 + channel * 60) % 256)) }
            }
        }
        return try RasterImage(pixels: pixels, height: height, width: width, channels: channels)
    }

    func testPNGRoundTripsGrayRGBAndRGBA() throws {
        let directory = TestFiles.temporaryDirectory()
        for channels in [1, 2, 3, 4] {
            let image = try gradient(height: 5, width: 7, channels: channels)
            let path = directory + "/image\(channels).png"
            try ImageFile.write(image, to: path)
            XCTAssertEqual(try ImageFile.read(path), image, "channels \(channels)")
        }
    }

    /// A hand-built 16-bit PNG (no gamma chunk), as cameras and scanners write them.
    private func sixteenBitPNG(width: Int, height: Int, colorType: UInt8, samples: [UInt16]) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + data
            let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
            var bytes: [UInt8] = bigEndian(UInt32(data.count))
            bytes += typed
            bytes += bigEndian(crc)
            return bytes
        }
        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) } }
        let channels = samples.count / (width * height)
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0) // filter: none
            for sample in samples[(row * width * channels)..<((row + 1) * width * channels)] { raw += [UInt8(sample >> 8), UInt8(sample & 0xff)] }
        }
        var compressedSize = compressBound(UInt(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        _ = compress(&compressed, &compressedSize, raw, UInt(raw.count))
        var header: [UInt8] = bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [16, colorType, 0, 0, 0]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", header)
        file += chunk("IDAT", Array(compressed.prefix(Int(compressedSize))))
        file += chunk("IEND", [])
        return file
    }

    func testSixteenBitPNGIsScaledToEightBits() throws {
        let gray = sixteenBitPNG(width: 3, height: 1, colorType: 0, samples: [0, 0x8080, 0xFFFF])
        XCTAssertEqual(try PNGCodec.decode(gray, source: "g16.png").pixels, [0, 128, 255])
        let rgb = sixteenBitPNG(width: 2, height: 1, colorType: 2, samples: [0xFFFF, 0, 0x4040, 0, 0xFFFF, 0x2020])
        let decoded = try PNGCodec.decode(rgb, source: "rgb16.png")
        XCTAssertEqual(decoded.channels, 3)
        XCTAssertEqual(decoded.pixels, [255, 0, 64, 0, 255, 32])
    }

    func testJPEGRoundTripIsClose() throws {
        let directory = TestFiles.temporaryDirectory()
        var pixels: [UInt8] = []
        for index in 0..<(16 * 16) {
            pixels += [UInt8((index % 16) * 8), 120, UInt8((index / 16) * 8)]
        }
        let image = try RasterImage(pixels: pixels, height: 16, width: 16, channels: 3)
        try ImageFile.write(image, to: directory + "/photo.jpg")
        let decoded = try ImageFile.read(directory + "/photo.jpg")
        XCTAssertEqual([decoded.height, decoded.width, decoded.channels], [16, 16, 3])
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max()!
        XCTAssertLessThan(worst, 12)
        let gray = try JPEGCodec.decode(FileIO.readBytes(directory + "/photo.jpg"), grayscale: true, source: "photo.jpg")
        XCTAssertEqual(gray.channels, 1)
    }

    func testCorruptFilesGiveErrorsNamingTheFile() throws {
        let directory = TestFiles.temporaryDirectory()
        let png = try PNGCodec.encode(gradient(height: 20, width: 20, channels: 3))
        let jpeg = try JPEGCodec.encode(gradient(height: 20, width: 20, channels: 3))
        let cases: [(String, [UInt8])] = [
            ("cut.png", Array(png.prefix(png.count / 2))),
            ("header-only.jpg", Array(jpeg.prefix(4))),
            ("garbage.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 100)),
            ("text.png", Array("hello".utf8)),
            ("empty.png", []),
        ]
        for (name, bytes) in cases {
            let path = directory + "/" + name
            try TestFiles.write(bytes, to: path)
            XCTAssertThrowsError(try ImageFile.read(path), name) { error in
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
        }
        XCTAssertThrowsError(try ImageFile.read(directory + "/missing.png"))
    }

    func testColorConversionAndResize() throws {
        let rgba = try RasterImage(pixels: [255, 0, 0, 10, 0, 255, 0, 20], height: 1, width: 2, channels: 4)
        XCTAssertEqual(rgba.converted(to: .rgb).pixels, [255, 0, 0, 0, 255, 0])
        XCTAssertEqual(rgba.converted(to: .grayscale).pixels, [76, 150])
        let gray = try RasterImage(pixels: [7], height: 1, width: 1, channels: 1)
        XCTAssertEqual(gray.converted(to: .rgba).pixels, [7, 7, 7, 255])
        let checker = try RasterImage(pixels: [0, 100, 200, 40], height: 2, width: 2, channels: 1)
        XCTAssertEqual(try checker.resized(height: 4, width: 4, interpolation: .nearest).pixels,
                       [0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 40, 40, 200, 200, 40, 40])
        let upsampled = try checker.resized(height: 4, width: 4, interpolation: .bilinear)
        XCTAssertEqual(upsampled.pixels[0], 0)
        XCTAssertEqual(upsampled.pixels[1], 25) // a quarter of the way to 100
        XCTAssertEqual(try checker.resized(height: 1, width: 1).pixels, [85]) // mean of the four
    }

    func testLoadImgAndImgToArray() throws {
        let directory = TestFiles.temporaryDirectory()
        try ImageFile.write(try gradient(height: 10, width: 6, channels: 3), to: directory + "/a.png")
        let image = try loadImg(directory + "/a.png", targetSize: (4, 3), colorMode: .grayscale)
        let array = try imgToArray(image)
        let (values, shape) = (array.scalars, array.shape)
        XCTAssertEqual(shape, [4, 3, 1])
        XCTAssertEqual(values.count, 12)
        try saveImg(directory + "/b.png", values, shape: shape, scale: false)
        XCTAssertEqual(try ImageFile.read(directory + "/b.png").pixels, image.pixels)
    }
}
