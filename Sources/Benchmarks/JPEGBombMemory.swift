import Foundation
import KestrelData

/// The decompression-bomb probe of the robustness issue: a valid 8×8 JPEG whose frame header then claims
/// 30000×30000 pixels (under 1 kB). Run under `/usr/bin/time -v` to read the peak memory with the default
/// pixel cap (the header is rejected before decoding) and with the cap lifted (libjpeg decodes the claimed size).
func runJPEGBombMemory(capped: Bool) throws {
    let image = try RasterImage(pixels: [UInt8](repeating: 128, count: 8 * 8 * 3), height: 8, width: 8, channels: 3)
    var bytes = try JPEGCodec.encode(image)
    guard let marker = (0..<(bytes.count - 1)).first(where: { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) }) else {
        throw DataError("the encoder wrote no SOF0/SOF2 frame header")
    }
    let side: [UInt8] = [0x75, 0x30]  // 30000, big-endian
    bytes.replaceSubrange((marker + 5)..<(marker + 9), with: side + side)
    print("JPEG of \(bytes.count) bytes claiming 30000×30000, cap \(capped ? "default (\(ImageLimits.defaultMaximumPixels) pixels)" : "lifted")")
    do {
        let decoded = capped ? try JPEGCodec.decode(bytes, source: "bomb.jpg")
            : try JPEGCodec.decode(bytes, maximumPixels: Int.max, source: "bomb.jpg")
        print("decoded \(decoded.height)×\(decoded.width)×\(decoded.channels): \(decoded.pixels.count) bytes")
    } catch {
        print("error: \(error)")
    }
}
