/// The geometric augmentations' kernel on host memory, shared by both host backends: each image is
/// resampled through its own affine map in one inverse-mapping pass, images spread over the cores.
extension HostBackend {
    func resample(_ x: Storage, _ shape: ImageShape, maps: [AffineTransform], fillMode: FillMode, fillValue: Float,
                  interpolation: Interpolation, _ y: Storage) {
        let imageSize = shape.imageSize
        guard imageSize > 0, shape.count > 0 else { return }
        let input = UnsafePointer(memory(x)), output = memory(y)
        let chunks = Swift.min(shape.count, shape.count * imageSize < 32_768 ? 1 : Parallel.threadCount * 4)
        Parallel.forEach(count: chunks) { chunk in
            for index in (shape.count * chunk / chunks)..<(shape.count * (chunk + 1) / chunks) {
                let source = input + index * imageSize, target = output + index * imageSize
                if maps[index].isIdentity {
                    target.update(from: source, count: imageSize)
                } else {
                    ImageResampling.warp(input: source, output: target, height: shape.height, width: shape.width,
                                         channels: shape.channels, transform: maps[index], fillMode: fillMode,
                                         fillValue: fillValue, interpolation: interpolation)
                }
            }
        }
    }
}

/// The per-image loop of `HostBackend.resample` (TensorFlow's `ImageProjectiveTransformV3` semantics).
enum ImageResampling {
    /// Resamples one H×W×C image.
    static func warp(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, height: Int, width: Int, channels: Int,
                     transform: AffineTransform, fillMode: FillMode, fillValue: Float, interpolation: Interpolation) {
        let xx = Float(transform.xx), xy = Float(transform.xy), dx = Float(transform.dx)
        let yx = Float(transform.yx), yy = Float(transform.yy), dy = Float(transform.dy)
        let rowStride = width * channels
        var out = output
        for y in 0..<height {
            var sourceX = xy * Float(y) + dx
            var sourceY = yy * Float(y) + dy
            for _ in 0..<width {
                defer {
                    sourceX += xx
                    sourceY += yx
                    out += channels
                }
                if interpolation == .nearest {
                    let column: Int, row: Int
                    if fillMode == .constant {
                        column = Int(sourceX.rounded(.toNearestOrAwayFromZero))
                        row = Int(sourceY.rounded(.toNearestOrAwayFromZero))
                    } else {
                        column = Int(fillMode.mapCoordinate(sourceX, size: width).rounded(.toNearestOrAwayFromZero))
                        row = Int(fillMode.mapCoordinate(sourceY, size: height).rounded(.toNearestOrAwayFromZero))
                    }
                    if column < 0 || row < 0 || column >= width || row >= height {
                        for channel in 0..<channels { out[channel] = fillValue }
                    } else {
                        let pixel = input + row * rowStride + column * channels
                        for channel in 0..<channels { out[channel] = pixel[channel] }
                    }
                    continue
                }
                // Truncation corrected for negatives: floor without a libm call on baseline x86-64.
                var x0 = Int(sourceX), y0 = Int(sourceY)
                if Float(x0) > sourceX { x0 -= 1 }
                if Float(y0) > sourceY { y0 -= 1 }
                var floorX = Float(x0), floorY = Float(y0)
                if x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height {
                    let fractionX = sourceX - floorX, fractionY = sourceY - floorY
                    let weight00 = (1 - fractionX) * (1 - fractionY), weight01 = fractionX * (1 - fractionY)
                    let weight10 = (1 - fractionX) * fractionY, weight11 = fractionX * fractionY
                    let topLeft = input + y0 * rowStride + x0 * channels
                    let bottomLeft = topLeft + rowStride
                    if channels == 3 {
                        out[0] = topLeft[0] * weight00 + topLeft[3] * weight01 + bottomLeft[0] * weight10 + bottomLeft[3] * weight11
                        out[1] = topLeft[1] * weight00 + topLeft[4] * weight01 + bottomLeft[1] * weight10 + bottomLeft[4] * weight11
                        out[2] = topLeft[2] * weight00 + topLeft[5] * weight01 + bottomLeft[2] * weight10 + bottomLeft[5] * weight11
                    } else {
                        for channel in 0..<channels {
                            out[channel] = topLeft[channel] * weight00 + topLeft[channels + channel] * weight01
                                + bottomLeft[channel] * weight10 + bottomLeft[channels + channel] * weight11
                        }
                    }
                    continue
                }
                // Near or beyond the border. Constant: each neighbour outside reads the fill value. Other modes:
                // the coordinate is first mapped back into the image (as TensorFlow does), then interpolated.
                var mappedX = sourceX, mappedY = sourceY
                if fillMode != .constant {
                    mappedX = fillMode.mapCoordinate(sourceX, size: width)
                    mappedY = fillMode.mapCoordinate(sourceY, size: height)
                    x0 = Int(mappedX) // mapped coordinates are ≥ 0, so truncation is floor
                    y0 = Int(mappedY)
                    floorX = Float(x0)
                    floorY = Float(y0)
                }
                let fractionX = mappedX - floorX, fractionY = mappedY - floorY
                let weight00 = (1 - fractionX) * (1 - fractionY), weight01 = fractionX * (1 - fractionY)
                let weight10 = (1 - fractionX) * fractionY, weight11 = fractionX * fractionY
                let columnInside0 = x0 >= 0 && x0 < width, columnInside1 = x0 + 1 >= 0 && x0 + 1 < width
                let rowInside0 = y0 >= 0 && y0 < height, rowInside1 = y0 + 1 >= 0 && y0 + 1 < height
                for channel in 0..<channels {
                    @inline(__always) func value(_ row: Int, _ rowInside: Bool, _ column: Int, _ columnInside: Bool) -> Float {
                        rowInside && columnInside ? input[row * rowStride + column * channels + channel] : fillValue
                    }
                    var sum: Float = 0
                    if weight00 != 0 { sum += value(y0, rowInside0, x0, columnInside0) * weight00 }
                    if weight01 != 0 { sum += value(y0, rowInside0, x0 + 1, columnInside1) * weight01 }
                    if weight10 != 0 { sum += value(y0 + 1, rowInside1, x0, columnInside0) * weight10 }
                    if weight11 != 0 { sum += value(y0 + 1, rowInside1, x0 + 1, columnInside1) * weight11 }
                    out[channel] = sum
                }
            }
        }
    }
}
