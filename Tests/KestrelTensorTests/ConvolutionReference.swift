@testable import KestrelTensor

/// A direct, loop-by-loop NHWC convolution in Float64 with TensorFlow's padding rule, written
/// independently of the engine's im2col path, to check it against.
func referenceConv2d(_ input: Tensor, _ filter: Tensor, bias: Tensor?, strides: (Int, Int), same: Bool) -> Tensor {
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (kh, kw, cout) = (filter.shape[0], filter.shape[1], filter.shape[3])
    func axis(_ size: Int, _ k: Int, _ s: Int) -> (Int, Int) {
        if !same { return ((size - k) / s + 1, 0) }
        let out = (size + s - 1) / s
        return (out, max((out - 1) * s + k - size, 0) / 2)
    }
    let (oh, top) = axis(h, kh, strides.0), (ow, left) = axis(w, kw, strides.1)
    let x = input.scalars, f = filter.scalars, b = bias?.scalars
    var out = [Float](repeating: 0, count: n * oh * ow * cout)
    for image in 0..<n {
        for row in 0..<oh {
            for column in 0..<ow {
                for o in 0..<cout {
                    var total = Double(b?[o] ?? 0)
                    for i in 0..<kh {
                        for j in 0..<kw {
                            let y = row * strides.0 - top + i, xx = column * strides.1 - left + j
                            guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                            for channel in 0..<c {
                                total += Double(x[((image * h + y) * w + xx) * c + channel])
                                    * Double(f[((i * kw + j) * c + channel) * cout + o])
                            }
                        }
                    }
                    out[((image * oh + row) * ow + column) * cout + o] = Float(total)
                }
            }
        }
    }
    return try! Tensor(shape: [n, oh, ow, cout], scalars: out)
}

/// `sum(t · fixed random weights)`: a scalar whose gradient with respect to `t` is not uniform.
func weightedSum(_ tensor: Tensor, seed: UInt64 = 99) throws -> Tensor {
    try (tensor * sampleTensor(tensor.shape, seed: seed)).sum()
}

/// Largest absolute difference between two equally shaped tensors.
func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

/// max|a − b| / max|b|: the relative error the convolution tests state tolerances in.
func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
    let scale = b.scalars.map(abs).max() ?? 0
    return maxDifference(a, b) / Swift.max(scale, .leastNormalMagnitude)
}
