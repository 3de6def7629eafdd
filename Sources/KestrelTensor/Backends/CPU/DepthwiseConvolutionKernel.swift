/// The depthwise convolution kernels behind `Tensor.depthwiseConv2d`: forward and backward over raw
/// NHWC buffers, direct (no im2col: each output value reads only its own channel, so there is no GEMM
/// to feed), vectorised along the channels and split over whole images on the worker pool.
enum DepthwiseConvolutionKernel {
    /// Sizes of one depthwise convolution. `geometry` describes the dilated window (its `windowHeight`
    /// and `windowWidth` are the dilated extents), which fixes the output size and 'same' padding.
    struct Plan {
        let geometry: WindowGeometry
        let kernelHeight: Int
        let kernelWidth: Int
        let dilationHeight: Int
        let dilationWidth: Int
        let multiplier: Int
        /// channels · multiplier.
        let outputChannels: Int
        /// Threads used: several only for large work and batches of two or more images.
        let workers: Int

        init(inputShape: [Int], filterShape: [Int], strides: (Int, Int), padding: Padding, dilation: (Int, Int)) throws {
            guard filterShape.count == 4, filterShape.allSatisfy({ $0 > 0 }) else {
                throw KestrelError.shapeMismatch(
                    "depthwiseConv2d: filter must be [kernelHeight, kernelWidth, channels, multiplier] with positive sizes, got \(filterShape).")
            }
            guard dilation.0 > 0, dilation.1 > 0 else {
                throw KestrelError.invalidArgument("depthwiseConv2d: dilation \(dilation) must be positive.")
            }
            let (extentHeight, heightOverflow) = (filterShape[0] - 1).multipliedReportingOverflow(by: dilation.0)
            let (extentWidth, widthOverflow) = (filterShape[1] - 1).multipliedReportingOverflow(by: dilation.1)
            guard !heightOverflow, !widthOverflow, extentHeight < Int.max, extentWidth < Int.max else {
                throw KestrelError.invalidArgument(
                    "depthwiseConv2d: kernel \(filterShape[0])×\(filterShape[1]) with dilation \(dilation) overflows; use a smaller dilation.")
            }
            geometry = try WindowGeometry(operation: "depthwiseConv2d", inputShape: inputShape,
                                          window: (extentHeight + 1, extentWidth + 1), strides: strides, padding: padding)
            guard filterShape[2] == geometry.channels else {
                throw KestrelError.shapeMismatch(
                    "depthwiseConv2d: input \(inputShape) has \(geometry.channels) channels but filter \(filterShape) expects \(filterShape[2]) (filter is [KH, KW, channels, multiplier]).")
            }
            let (outputChannels, overflow) = geometry.channels.multipliedReportingOverflow(by: filterShape[3])
            guard !overflow, Tensor.checkedElementCount(geometry.outputShape(channels: outputChannels)) != nil else {
                throw KestrelError.invalidArgument(
                    "depthwiseConv2d: \(geometry.channels) channels × multiplier \(filterShape[3]) give more output values than can be counted; use a smaller multiplier.")
            }
            (kernelHeight, kernelWidth, multiplier) = (filterShape[0], filterShape[1], filterShape[3])
            (dilationHeight, dilationWidth) = dilation
            self.outputChannels = outputChannels
            let configuration = EngineConfiguration.current
            // In Double: a product of sizes that each fit in memory can still overflow Int.
            let flops = 2 * Double(geometry.outputPixels) * Double(kernelHeight) * Double(kernelWidth) * Double(outputChannels)
            workers = geometry.batch >= 2 && configuration.threadCount > 1 && flops >= Double(configuration.convolutionParallelFlops) / 4
                ? Swift.min(configuration.threadCount, geometry.batch) : 1
        }

        /// The plan of the unit-stride input gradient computed as a forward pass: the output gradient
        /// read by the spatially flipped kernel (multiplier 1 only), padded by (extent − 1 − padding) before.
        func transposedForInputGradient() -> Plan {
            Plan(geometry: geometry.transposedForInputGradient(outputChannels: geometry.channels), kernelHeight: kernelHeight,
                 kernelWidth: kernelWidth, dilationHeight: dilationHeight, dilationWidth: dilationWidth, multiplier: 1,
                 outputChannels: geometry.channels, workers: workers)
        }

        private init(geometry: WindowGeometry, kernelHeight: Int, kernelWidth: Int, dilationHeight: Int, dilationWidth: Int,
                     multiplier: Int, outputChannels: Int, workers: Int) {
            self.geometry = geometry
            (self.kernelHeight, self.kernelWidth, self.dilationHeight, self.dilationWidth) = (kernelHeight, kernelWidth, dilationHeight, dilationWidth)
            (self.multiplier, self.outputChannels, self.workers) = (multiplier, outputChannels, workers)
        }

        /// Kernel taps of output position (row, column) that fall inside the image: the tap indices
        /// and the input row/column of the first tap.
        @inline(__always)
        func rows(_ outputRow: Int) -> (taps: Range<Int>, first: Int) {
            taps(outputRow * geometry.strideHeight - geometry.padTop, dilationHeight, kernelHeight, geometry.inputHeight)
        }

        @inline(__always)
        func columns(_ outputColumn: Int) -> (taps: Range<Int>, first: Int) {
            taps(outputColumn * geometry.strideWidth - geometry.padLeft, dilationWidth, kernelWidth, geometry.inputWidth)
        }

        @inline(__always)
        private func taps(_ start: Int, _ dilation: Int, _ kernel: Int, _ size: Int) -> (taps: Range<Int>, first: Int) {
            // Taps t with 0 <= start + t·dilation < size.
            let low = start >= 0 ? 0 : (-start + dilation - 1) / dilation
            let high = start >= size ? 0 : Swift.min(kernel, (size - 1 - start) / dilation + 1)
            return (low..<Swift.max(low, high), start + low * dilation)
        }

        /// Calls `body(worker, images)` on `workers` threads, each with its own contiguous block of images.
        func run(_ body: (_ worker: Int, _ images: Range<Int>) -> Void) {
            let batch = geometry.batch
            guard workers > 1 else {
                Parallel.flushSubnormalsToZero()
                body(0, 0..<batch)
                return
            }
            let size = (batch + workers - 1) / workers
            Parallel.forEach(count: workers, threads: workers) { worker in
                Parallel.flushSubnormalsToZero()
                let images = (worker * size)..<Swift.min(batch, (worker + 1) * size)
                if !images.isEmpty { body(worker, images) }
            }
        }
    }

    /// output[n, oh, ow, c·M + m] = bias[c·M + m] + Σ_taps input[n, y, x, c] · filter[i, j, c, m].
    static func forward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        plan: Plan, output: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, width = plan.outputChannels, channels = g.channels, multiplier = plan.multiplier
        plan.run { _, images in
            let spread = multiplier > 1 ? TensorBuffer(count: width) : nil
            for image in images {
                let source = input + image * g.inputImageSize
                for outputRow in 0..<g.outputHeight {
                    let (rowTaps, firstRow) = plan.rows(outputRow)
                    for outputColumn in 0..<g.outputWidth {
                        let (columnTaps, firstColumn) = plan.columns(outputColumn)
                        let out = output + ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * width
                        if spread == nil {
                            // One output value per input channel: accumulate 8 channels in registers over all taps.
                            accumulateUnitMultiplier(source: source, filter: filter, bias: bias, plan: plan, rowTaps: rowTaps,
                                                     firstRow: firstRow, columnTaps: columnTaps, firstColumn: firstColumn, into: out)
                            continue
                        }
                        if let bias { out.update(from: bias, count: width) } else { out.update(repeating: 0, count: width) }
                        var row = firstRow
                        for i in rowTaps {
                            var column = firstColumn
                            for j in columnTaps {
                                let pixel = source + (row * g.inputWidth + column) * channels
                                let weights = filter + (i * plan.kernelWidth + j) * width
                                if let spread {
                                    repeatEach(pixel, channels, multiplier, into: spread.pointer)
                                    multiplyAdd(UnsafePointer(spread.pointer), weights, into: out, count: width)
                                } else {
                                    multiplyAdd(pixel, weights, into: out, count: width)
                                }
                                column += plan.dilationWidth
                            }
                            row += plan.dilationHeight
                        }
                    }
                }
            }
            withExtendedLifetime(spread) {}
        }
    }

    /// Gradients of a depthwise convolution: any of `inputGradient` [N,H,W,C], `filterGradient`
    /// [KH,KW,C,M] and `biasGradient` [C·M] that is non-nil is overwritten with its gradient.
    static func backward(input: UnsafePointer<Float>, filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                         plan: Plan, inputGradient: UnsafeMutablePointer<Float>?,
                         filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?) {
        let g = plan.geometry, width = plan.outputChannels, channels = g.channels, multiplier = plan.multiplier
        let filterCount = plan.kernelHeight * plan.kernelWidth * width
        var inputGradient = inputGradient
        if let target = inputGradient, multiplier == 1, g.strideHeight == 1, g.strideWidth == 1 {
            // dX = the forward pass over dY with the kernel flipped in space: register accumulation, no scatter.
            let flipped = TensorBuffer(count: filterCount)
            let (kh, kw) = (plan.kernelHeight, plan.kernelWidth)
            for row in 0..<kh {
                for column in 0..<kw {
                    (flipped.pointer + ((kh - 1 - row) * kw + (kw - 1 - column)) * channels)
                        .update(from: filter + (row * kw + column) * channels, count: channels)
                }
            }
            forward(input: outputGradient, filter: flipped.pointer, bias: nil, plan: plan.transposedForInputGradient(), output: target)
            inputGradient = nil
        }
        guard inputGradient != nil || filterGradient != nil || biasGradient != nil else { return }
        // Worker 0 accumulates straight into the results; the others into partials summed below.
        let partialFilters = (1..<plan.workers).map { _ in filterGradient.map { _ in TensorBuffer(count: filterCount, repeating: 0) } }
        let partialBiases = (1..<plan.workers).map { _ in biasGradient.map { _ in TensorBuffer(count: width, repeating: 0) } }
        filterGradient?.update(repeating: 0, count: filterCount)
        biasGradient?.update(repeating: 0, count: width)
        plan.run { worker, images in
            let filterTarget = worker == 0 ? filterGradient : partialFilters[worker - 1]?.pointer
            let biasTarget = worker == 0 ? biasGradient : partialBiases[worker - 1]?.pointer
            let spread = multiplier > 1 ? TensorBuffer(count: width) : nil
            if let inputGradient {
                (inputGradient + images.lowerBound * g.inputImageSize).update(repeating: 0, count: images.count * g.inputImageSize)
            }
            for image in images {
                let source = input + image * g.inputImageSize
                let target = inputGradient.map { $0 + image * g.inputImageSize }
                for outputRow in 0..<g.outputHeight {
                    let (rowTaps, firstRow) = plan.rows(outputRow)
                    for outputColumn in 0..<g.outputWidth {
                        let (columnTaps, firstColumn) = plan.columns(outputColumn)
                        let dY = outputGradient + ((image * g.outputHeight + outputRow) * g.outputWidth + outputColumn) * width
                        if let biasTarget { add(dY, into: biasTarget, count: width) }
                        var row = firstRow
                        for i in rowTaps {
                            var column = firstColumn
                            for j in columnTaps {
                                let offset = (row * g.inputWidth + column) * channels
                                let tap = (i * plan.kernelWidth + j) * width
                                if let filterTarget {
                                    if let spread {
                                        repeatEach(source + offset, channels, multiplier, into: spread.pointer)
                                        multiplyAdd(UnsafePointer(spread.pointer), dY, into: filterTarget + tap, count: width)
                                    } else {
                                        multiplyAdd(source + offset, dY, into: filterTarget + tap, count: width)
                                    }
                                }
                                if let target {
                                    if let spread {
                                        multiply(dY, filter + tap, into: spread.pointer, count: width)
                                        sumGroups(UnsafePointer(spread.pointer), channels, multiplier, into: target + offset)
                                    } else {
                                        multiplyAdd(dY, filter + tap, into: target + offset, count: width)
                                    }
                                }
                                column += plan.dilationWidth
                            }
                            row += plan.dilationHeight
                        }
                    }
                }
            }
            withExtendedLifetime(spread) {}
        }
        for partial in partialFilters { if let partial, let filterGradient { add(UnsafePointer(partial.pointer), into: filterGradient, count: filterCount) } }
        for partial in partialBiases { if let partial, let biasGradient { add(UnsafePointer(partial.pointer), into: biasGradient, count: width) } }
    }

    /// out[c] = bias[c] + Σ_taps pixel(tap)[c] · filter[tap][c] for a depthwise convolution with
    /// multiplier 1, eight channels at a time held in a register across the taps (one store per value).
    @inline(__always)
    private static func accumulateUnitMultiplier(source: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                                 plan: Plan, rowTaps: Range<Int>, firstRow: Int, columnTaps: Range<Int>,
                                                 firstColumn: Int, into out: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, channels = g.channels
        let rowStep = plan.dilationHeight * g.inputWidth * channels, columnStep = plan.dilationWidth * channels
        let firstPixel = source + (firstRow * g.inputWidth + firstColumn) * channels
        var k = 0
        while k + 8 <= channels {
            var total = bias.map { UnsafeRawPointer($0 + k).loadUnaligned(as: SIMD8<Float>.self) } ?? SIMD8<Float>()
            var rowPixel = firstPixel + k
            for i in rowTaps {
                var pixel = rowPixel
                var weights = filter + (i * plan.kernelWidth + columnTaps.lowerBound) * channels + k
                for _ in columnTaps {
                    total += UnsafeRawPointer(pixel).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(weights).loadUnaligned(as: SIMD8<Float>.self)
                    pixel += columnStep
                    weights += channels
                }
                rowPixel += rowStep
            }
            UnsafeMutableRawPointer(out + k).storeBytes(of: total, as: SIMD8<Float>.self)
            k += 8
        }
        while k < channels {
            var total = bias?[k] ?? 0
            var rowPixel = firstPixel + k
            for i in rowTaps {
                var pixel = rowPixel
                var weights = filter + (i * plan.kernelWidth + columnTaps.lowerBound) * channels + k
                for _ in columnTaps {
                    total += pixel.pointee * weights.pointee
                    pixel += columnStep
                    weights += channels
                }
                rowPixel += rowStep
            }
            out[k] = total
            k += 1
        }
    }

    // MARK: Vector loops (SIMD8 along the channels)

    /// out[k] += a[k] · b[k].
    @inline(__always)
    private static func multiplyAdd(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let x = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
            let z = UnsafeRawPointer(out + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(out + k).storeBytes(of: z + x * y, as: SIMD8<Float>.self)
            k += 8
        }
        while k < count {
            out[k] += a[k] * b[k]
            k += 1
        }
    }

    /// out[k] = a[k] · b[k].
    @inline(__always)
    private static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let x = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(out + k).storeBytes(of: x * y, as: SIMD8<Float>.self)
            k += 8
        }
        while k < count {
            out[k] = a[k] * b[k]
            k += 1
        }
    }

    /// out[k] += a[k].
    @inline(__always)
    private static func add(_ a: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let x = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
            let z = UnsafeRawPointer(out + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(out + k).storeBytes(of: z + x, as: SIMD8<Float>.self)
            k += 8
        }
        while k < count {
            out[k] += a[k]
            k += 1
        }
    }

    /// out[c·M + m] = values[c] for every multiplier index m.
    @inline(__always)
    private static func repeatEach(_ values: UnsafePointer<Float>, _ channels: Int, _ multiplier: Int, into out: UnsafeMutablePointer<Float>) {
        for channel in 0..<channels { (out + channel * multiplier).update(repeating: values[channel], count: multiplier) }
    }

    /// out[c] += Σ_m values[c·M + m].
    @inline(__always)
    private static func sumGroups(_ values: UnsafePointer<Float>, _ channels: Int, _ multiplier: Int, into out: UnsafeMutablePointer<Float>) {
        for channel in 0..<channels {
            let group = values + channel * multiplier
            var total: Float = 0
            for m in 0..<multiplier { total += group[m] }
            out[channel] += total
        }
    }
}
