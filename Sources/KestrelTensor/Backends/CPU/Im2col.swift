/// Unfolds image patches into matrix rows (im2col) and folds row gradients back (col2im), NHWC.
///
/// Row `p` of the matrix holds the window of output position `p` (counted over the whole batch as
/// `(n · outputHeight + oh) · outputWidth + ow`) in `(kh, kw, channel)` order, which is exactly the
/// row order of a Keras kernel `[KH, KW, Cin, Cout]` read as a `[KH·KW·Cin, Cout]` matrix. Because the
/// dilation is 1, the `KW · Cin` values of one kernel row are contiguous in the input, so most rows
/// are a few `memcpy`s.
enum Im2col {
    /// Writes the rows of output positions `pixels` into `columns` (`pixels.count × patchSize`).
    static func unfold(_ input: UnsafePointer<Float>, _ geometry: WindowGeometry, pixels: Range<Int>,
                       into columns: UnsafeMutablePointer<Float>) {
        forEachWindowRow(UnsafeMutablePointer(mutating: input), geometry, pixels: pixels) { row, source, validStart, validEnd in
            let channels = geometry.channels
            let width = geometry.windowWidth * channels
            let destination = columns + row
            guard let source else {
                destination.update(repeating: 0, count: width)
                return
            }
            if validStart > 0 { destination.update(repeating: 0, count: validStart * channels) }
            let validCount = (validEnd - validStart) * channels
            if validCount > 0 {
                (destination + validStart * channels).update(from: source + validStart * channels, count: validCount)
            }
            if validEnd < geometry.windowWidth {
                (destination + validEnd * channels).update(repeating: 0, count: width - validEnd * channels)
            }
        }
    }

    /// Adds the rows in `columns` (for output positions `pixels`) back onto the input-shaped `gradient`.
    static func fold(_ columns: UnsafePointer<Float>, _ geometry: WindowGeometry, pixels: Range<Int>,
                     into gradient: UnsafeMutablePointer<Float>) {
        forEachWindowRow(gradient, geometry, pixels: pixels) { row, target, validStart, validEnd in
            guard let target else { return }
            let channels = geometry.channels
            let source = columns + row + validStart * channels
            let destination = target + validStart * channels
            for index in 0..<((validEnd - validStart) * channels) { destination[index] += source[index] }
        }
    }

    /// Calls `body(offset, imageRow, validStart, validEnd)` for every kernel row of every window in
    /// `pixels`: `offset` is where that kernel row starts in the column matrix, `imageRow` points at the
    /// input position of kernel column 0 (nil when the row lies in the padding), and kernel columns
    /// `validStart..<validEnd` lie inside the image.
    @inline(__always)
    private static func forEachWindowRow(
        _ images: UnsafeMutablePointer<Float>, _ geometry: WindowGeometry, pixels: Range<Int>,
        _ body: (Int, UnsafeMutablePointer<Float>?, Int, Int) -> Void
    ) {
        // `images` is mutable so `fold` can write; `unfold` only reads through it.
        let g = geometry
        let perImage = g.outputPixelsPerImage
        guard perImage > 0, !pixels.isEmpty else { return }
        var image = pixels.lowerBound / perImage
        var outputRow = (pixels.lowerBound % perImage) / g.outputWidth
        var outputColumn = pixels.lowerBound % g.outputWidth
        let rowLength = g.windowWidth * g.channels
        var offset = 0
        for _ in pixels {
            let top = outputRow * g.strideHeight - g.padTop
            let left = outputColumn * g.strideWidth - g.padLeft
            let validStart = Swift.max(0, -left)
            let validEnd = Swift.min(g.windowWidth, g.inputWidth - left)
            let imageBase = image * g.inputImageSize
            for kernelRow in 0..<g.windowHeight {
                let inputRow = top + kernelRow
                if inputRow < 0 || inputRow >= g.inputHeight || validEnd <= validStart {
                    body(offset, nil, 0, 0)
                } else {
                    let start = imageBase + (inputRow * g.inputWidth + left) * g.channels
                    body(offset, images + start, validStart, validEnd)
                }
                offset += rowLength
            }
            outputColumn += 1
            if outputColumn == g.outputWidth {
                outputColumn = 0
                outputRow += 1
                if outputRow == g.outputHeight {
                    outputRow = 0
                    image += 1
                }
            }
        }
    }
}
