/// The pooling kernels behind `Tensor.maxPool2d`, `avgPool2d` and `globalAveragePool2d` (NHWC).
///
/// Windows only visit positions inside the image: 'same' padding never contributes a value, so max
/// pooling ignores it and average pooling divides by the number of real elements (as Keras does).
enum PoolingKernel {
    /// Calls `body(images)` over ranges of images, on all cores when the work is large.
    static func forEachImageRange(batch: Int, work: Int, _ body: (Range<Int>) -> Void) {
        if work < 1 << 16 || batch < 2 {
            body(0..<batch)
        } else {
            Parallel.forEachRange(count: batch, minimumPerThread: 1, body)
        }
    }

    /// The rows and columns of the window at output position (outputRow, outputColumn) that lie inside the image.
    @inline(__always)
    static func window(_ g: WindowGeometry, _ outputRow: Int, _ outputColumn: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let top = outputRow * g.strideHeight - g.padTop, left = outputColumn * g.strideWidth - g.padLeft
        let rows = Swift.max(top, 0)..<Swift.max(Swift.max(top, 0), Swift.min(top + g.windowHeight, g.inputHeight))
        let columns = Swift.max(left, 0)..<Swift.max(Swift.max(left, 0), Swift.min(left + g.windowWidth, g.inputWidth))
        return (rows, columns)
    }

    /// Max pooling; `winners` receives, per output value, the spatial index (row · width + column) of
    /// the chosen input element, stored as the bit pattern of a Float.
    static func maxForward(_ input: UnsafePointer<Float>, _ g: WindowGeometry,
                           output: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
        let channels = g.channels
        forEachImageRange(batch: g.batch, work: g.outputPixels * g.windowHeight * g.windowWidth * channels) { images in
            for image in images {
                let source = input + image * g.inputImageSize
                for outputRow in 0..<g.outputHeight {
                    for outputColumn in 0..<g.outputWidth {
                        let offset = ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * channels
                        let out = output + offset, winner = winners + offset
                        let (rows, columns) = window(g, outputRow, outputColumn)
                        guard let firstRow = rows.first, let firstColumn = columns.first else {
                            out.update(repeating: 0, count: channels)
                            winner.update(repeating: Float(bitPattern: UInt32.max), count: channels)
                            continue
                        }
                        let firstPosition = firstRow * g.inputWidth + firstColumn
                        out.update(from: source + firstPosition * channels, count: channels)
                        winner.update(repeating: Float(bitPattern: UInt32(firstPosition)), count: channels)
                        for row in rows {
                            for column in columns {
                                let position = row * g.inputWidth + column
                                keepLarger(source + position * channels, tag: UInt32(position), into: out,
                                           winners: winner, count: channels)
                            }
                        }
                    }
                }
            }
        }
    }

    /// out[c] = max(out[c], values[c]), recording `tag` in winners[c] where `values` is larger (branch-free
    /// SIMD lanes: a data-dependent branch per element mispredicts on real feature maps).
    @inline(__always)
    private static func keepLarger(_ values: UnsafePointer<Float>, tag: UInt32, into out: UnsafeMutablePointer<Float>,
                                   winners: UnsafeMutablePointer<Float>, count: Int) {
        let tagLanes = SIMD8<UInt32>(repeating: tag)
        var channel = 0
        while channel + 8 <= count {
            let value = UnsafeRawPointer(values + channel).loadUnaligned(as: SIMD8<Float>.self)
            let best = UnsafeRawPointer(out + channel).loadUnaligned(as: SIMD8<Float>.self)
            let won = UnsafeRawPointer(winners + channel).loadUnaligned(as: SIMD8<UInt32>.self)
            let larger = value .> best
            UnsafeMutableRawPointer(out + channel).storeBytes(of: best.replacing(with: value, where: larger), as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(winners + channel).storeBytes(of: won.replacing(with: tagLanes, where: larger),
                                                                 as: SIMD8<UInt32>.self)
            channel += 8
        }
        while channel < count {
            if values[channel] > out[channel] {
                out[channel] = values[channel]
                winners[channel] = Float(bitPattern: tag)
            }
            channel += 1
        }
    }

    /// Sends each output gradient to the input element that won its window.
    ///
    /// When windows never overlap (strides at least the window, as in the default `MaxPooling2D`),
    /// every input element lies in at most one window, so its gradient is written once, as a SIMD
    /// select of the window's output gradient where it won and 0 elsewhere; the image is cleared first
    /// only when the windows leave some of it uncovered. Overlapping windows add into a cleared image.
    static func maxBackward(_ outputGradient: UnsafePointer<Float>, winners: UnsafePointer<Float>, _ g: WindowGeometry,
                            inputGradient: UnsafeMutablePointer<Float>) {
        guard g.strideHeight >= g.windowHeight, g.strideWidth >= g.windowWidth else {
            return maxBackwardOverlapping(outputGradient, winners: winners, g, inputGradient: inputGradient)
        }
        let channels = g.channels
        let tiles = g.strideHeight == g.windowHeight && g.strideWidth == g.windowWidth && g.padTop == 0 && g.padLeft == 0
            && g.outputHeight * g.windowHeight >= g.inputHeight && g.outputWidth * g.windowWidth >= g.inputWidth
        forEachImageRange(batch: g.batch, work: g.inputImageSize * g.batch) { images in
            for image in images {
                let target = inputGradient + image * g.inputImageSize
                if !tiles { target.update(repeating: 0, count: g.inputImageSize) }
                for outputRow in 0..<g.outputHeight {
                    for outputColumn in 0..<g.outputWidth {
                        let offset = ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * channels
                        let (rows, columns) = window(g, outputRow, outputColumn)
                        for row in rows {
                            for column in columns {
                                let position = row * g.inputWidth + column
                                route(outputGradient + offset, winners: winners + offset, tag: UInt32(position),
                                      into: target + position * channels, count: channels)
                            }
                        }
                    }
                }
            }
        }
    }

    /// target[c] = dY[c] where winners[c] is `tag`, else 0 (branch-free SIMD lanes).
    @inline(__always)
    private static func route(_ dY: UnsafePointer<Float>, winners: UnsafePointer<Float>, tag: UInt32,
                              into target: UnsafeMutablePointer<Float>, count: Int) {
        let tagLanes = SIMD8<UInt32>(repeating: tag), zero = SIMD8<Float>(repeating: 0)
        var channel = 0
        while channel + 8 <= count {
            let gradient = UnsafeRawPointer(dY + channel).loadUnaligned(as: SIMD8<Float>.self)
            let won = UnsafeRawPointer(winners + channel).loadUnaligned(as: SIMD8<UInt32>.self) .== tagLanes
            UnsafeMutableRawPointer(target + channel).storeBytes(of: zero.replacing(with: gradient, where: won),
                                                                 as: SIMD8<Float>.self)
            channel += 8
        }
        while channel < count {
            target[channel] = winners[channel].bitPattern == tag ? dY[channel] : 0
            channel += 1
        }
    }

    /// The overlapping-window case of `maxBackward`: each output gradient is added to its winner in a
    /// cleared image (an input element may win several windows).
    private static func maxBackwardOverlapping(_ outputGradient: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                               _ g: WindowGeometry, inputGradient: UnsafeMutablePointer<Float>) {
        let channels = g.channels, perImage = g.outputPixelsPerImage * channels
        forEachImageRange(batch: g.batch, work: g.outputPixels * channels * 4) { images in
            for image in images {
                let target = inputGradient + image * g.inputImageSize
                target.update(repeating: 0, count: g.inputImageSize)
                for pixel in 0..<g.outputPixelsPerImage {
                    let offset = image * perImage + pixel * channels
                    let dY = outputGradient + offset, winner = winners + offset
                    for channel in 0..<channels {
                        let position = winner[channel].bitPattern
                        if position != UInt32.max { target[Int(position) * channels + channel] += dY[channel] }
                    }
                }
            }
        }
    }

    /// Average pooling over the window elements inside the image.
    static func averageForward(_ input: UnsafePointer<Float>, _ g: WindowGeometry, output: UnsafeMutablePointer<Float>) {
        let channels = g.channels
        forEachImageRange(batch: g.batch, work: g.outputPixels * g.windowHeight * g.windowWidth * channels) { images in
            for image in images {
                let source = input + image * g.inputImageSize
                for outputRow in 0..<g.outputHeight {
                    for outputColumn in 0..<g.outputWidth {
                        let out = output + ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * channels
                        out.update(repeating: 0, count: channels)
                        let (rows, columns) = window(g, outputRow, outputColumn)
                        for row in rows {
                            for column in columns {
                                let values = source + (row * g.inputWidth + column) * channels
                                for channel in 0..<channels { out[channel] += values[channel] }
                            }
                        }
                        let scale = 1 / Float(Swift.max(rows.count * columns.count, 1))
                        for channel in 0..<channels { out[channel] *= scale }
                    }
                }
            }
        }
    }

    /// Spreads each output gradient evenly over the window elements inside the image.
    static func averageBackward(_ outputGradient: UnsafePointer<Float>, _ g: WindowGeometry,
                                inputGradient: UnsafeMutablePointer<Float>) {
        let channels = g.channels
        forEachImageRange(batch: g.batch, work: g.outputPixels * g.windowHeight * g.windowWidth * channels) { images in
            for image in images {
                let target = inputGradient + image * g.inputImageSize
                target.update(repeating: 0, count: g.inputImageSize)
                for outputRow in 0..<g.outputHeight {
                    for outputColumn in 0..<g.outputWidth {
                        let dY = outputGradient + ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * channels
                        let (rows, columns) = window(g, outputRow, outputColumn)
                        let scale = 1 / Float(Swift.max(rows.count * columns.count, 1))
                        for row in rows {
                            for column in columns {
                                let values = target + (row * g.inputWidth + column) * channels
                                for channel in 0..<channels { values[channel] += dY[channel] * scale }
                            }
                        }
                    }
                }
            }
        }
    }
}
