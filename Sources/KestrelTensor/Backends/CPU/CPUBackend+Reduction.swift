#if canImport(Glibc)
import Glibc
#endif

extension CPUBackend {
    func reduce(_ kind: ReductionKind, _ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int,
                _ out: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>?) {
        for block in 0..<outer {
            let target = out + block * inner
            let base = x + block * length * inner
            switch kind {
            case .sum:
                if inner == 1 {
                    target[0] = CPUBackend.contiguousSum(base, count: length)
                } else {
                    target.update(repeating: 0, count: inner)
                    for index in 0..<length {
                        let row = base + index * inner
                        for position in 0..<inner { target[position] += row[position] }
                    }
                }
            case .maximum, .minimum:
                let sign: Float = kind == .maximum ? 1 : -1
                for position in 0..<inner {
                    var best = 0
                    var bestValue = sign * base[position]
                    for index in 1..<Swift.max(length, 1) {
                        let value = sign * base[index * inner + position]
                        if value > bestValue || bestValue.isNaN { bestValue = value; best = index }
                    }
                    target[position] = sign * bestValue
                    winners?[block * inner + position] = Int32(best)
                }
            }
        }
    }

    func reduceBackward(_ kind: ReductionKind, _ dy: UnsafePointer<Float>, winners: UnsafePointer<Int32>?,
                        outer: Int, length: Int, inner: Int, _ dx: UnsafeMutablePointer<Float>) {
        if kind != .sum { dx.update(repeating: 0, count: outer * length * inner) }
        for block in 0..<outer {
            for position in 0..<inner {
                let value = dy[block * inner + position]
                if kind == .sum {
                    for index in 0..<length { dx[(block * length + index) * inner + position] = value }
                } else if let winners {
                    let index = Int(winners[block * inner + position])
                    dx[(block * length + index) * inner + position] = value
                }
            }
        }
    }

    func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var total: Double = 0
        for index in 0..<count { total += Double(x[index]) * Double(x[index]) }
        return total
    }

    /// Sum of `count` contiguous values, with eight SIMD accumulators (vectorised and more accurate
    /// than one running total).
    @inline(__always)
    static func contiguousSum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD8<Float>(repeating: 0)
        var index = 0
        let raw = UnsafeRawPointer(values)
        while index + 8 <= count {
            accumulator += raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        var total = accumulator.sum()
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }

    func argmax(_ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int, _ out: UnsafeMutablePointer<Float>) {
        for block in 0..<outer {
            for position in 0..<inner {
                var best = 0
                var bestValue = x[block * length * inner + position]
                for index in 1..<Swift.max(length, 1) {
                    let value = x[(block * length + index) * inner + position]
                    if value > bestValue { bestValue = value; best = index }
                }
                out[block * inner + position] = Float(best)
            }
        }
    }

    func inTopK(_ predictions: UnsafePointer<Float>, rows: Int, classes: Int, targets: UnsafePointer<Float>, k: Int,
                _ out: UnsafeMutablePointer<Float>) {
        for row in 0..<rows {
            // Labels are truncated to integers, as Keras's int32 cast does.
            let label = targets[row]
            guard label.isFinite, label > -1, label < Float(classes) else { out[row] = 0; continue }
            let line = predictions + row * classes
            let score = line[Int(label)]
            guard score.isFinite else { out[row] = 0; continue }
            var higher = 0
            for index in 0..<classes where line[index] > score { higher += 1 }
            out[row] = higher < k ? 1 : 0
        }
    }

    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int, log: Bool) {
        CPUBackend.forEachLaneStart(outer: outer, length: length, inner: inner) { offset in
            let input = x + offset, output = y + offset, stride = inner
            var largest = -Float.infinity
            for index in 0..<length { largest = Swift.max(largest, input[index * stride]) }
            var total: Float = 0
            if log {
                for index in 0..<length { total += expf(input[index * stride] - largest) }
                let shift = largest + logf(total)
                for index in 0..<length { output[index * stride] = input[index * stride] - shift }
            } else {
                for index in 0..<length {
                    let value = expf(input[index * stride] - largest)
                    output[index * stride] = value
                    total += value
                }
                let scale = 1 / total
                for index in 0..<length { output[index * stride] *= scale }
            }
        }
    }

    func softmaxBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         outer: Int, length: Int, inner: Int, log: Bool) {
        CPUBackend.forEachLaneStart(outer: outer, length: length, inner: inner) { base in
            var total: Float = 0
            if log {
                // dx = dy − softmax · Σ dy
                for index in 0..<length { total += dy[base + index * inner] }
                for index in 0..<length {
                    let offset = base + index * inner
                    dx[offset] = dy[offset] - expf(y[offset]) * total
                }
            } else {
                // dx = y · (dy − Σ dy·y)
                for index in 0..<length { total += dy[base + index * inner] * y[base + index * inner] }
                for index in 0..<length {
                    let offset = base + index * inner
                    dx[offset] = y[offset] * (dy[offset] - total)
                }
            }
        }
    }

    /// Calls `body` with the flat index of the first element of every lane (lanes are `inner` apart).
    @inline(__always)
    private static func forEachLaneStart(outer: Int, length: Int, inner: Int, _ body: (Int) -> Void) {
        for block in 0..<outer {
            for position in 0..<inner { body(block * length * inner + position) }
        }
    }
}
