/// The CIFAR-10 / CIFAR-100 "binary version" record format: label byte(s) then 3×32×32 channel-planar pixels.
public enum CIFARBinary {
    /// Bytes of pixels in one record (3 planes of 32×32).
    public static let pixelBytes = 3 * 32 * 32

    /// Parses a batch file into NHWC pixels and labels.
    /// - Parameters:
    ///   - labelBytes: 1 for CIFAR-10 (label), 2 for CIFAR-100 (coarse label, fine label).
    ///   - labelIndex: which of the label bytes to return (CIFAR-100: 0 coarse, 1 fine).
    ///   - source: the file name used in error messages.
    public static func parse(_ bytes: [UInt8], labelBytes: Int, labelIndex: Int, source: String) throws -> (pixels: [UInt8], labels: [Int]) {
        let recordSize = labelBytes + pixelBytes
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw DataError.corruptFile(source, "CIFAR batch of \(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
        }
        let count = bytes.count / recordSize
        var pixels = [UInt8](repeating: 0, count: count * pixelBytes)
        var labels = [Int](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                for record in 0..<count {
                    let base = record * recordSize
                    labels[record] = Int(input[base + labelIndex])
                    let planes = base + labelBytes
                    let destination = record * pixelBytes
                    for pixel in 0..<1024 {
                        output[destination + pixel * 3] = input[planes + pixel]
                        output[destination + pixel * 3 + 1] = input[planes + 1024 + pixel]
                        output[destination + pixel * 3 + 2] = input[planes + 2048 + pixel]
                    }
                }
            }
        }
        return (pixels, labels)
    }

    /// Encodes NHWC pixels and labels as a batch file (used by tests and fixture scripts).
    public static func encode(pixels: [UInt8], labels: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        for (record, recordLabels) in labels.enumerated() {
            output += recordLabels
            let base = record * pixelBytes
            for channel in 0..<3 {
                for pixel in 0..<1024 { output.append(pixels[base + pixel * 3 + channel]) }
            }
        }
        return output
    }
}
