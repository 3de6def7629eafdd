import XCTest
@testable import KestrelTensor

/// Products large enough to be split across cores give the same numbers as a plain triple loop,
/// for every transpose combination (rows split when m ≥ n, columns otherwise).
final class ParallelGEMMTests: XCTestCase {
    private func naive(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for row in 0..<m {
            for column in 0..<n {
                var total: Float = 0
                for inner in 0..<k {
                    let left = transposeA ? a[inner * m + row] : a[row * k + inner]
                    let right = transposeB ? b[column * k + inner] : b[inner * n + column]
                    total += left * right
                }
                c[row * n + column] = total
            }
        }
        return c
    }

    func testSplitProductsMatchNaive() {
        EngineConfiguration.withChanges({ $0.blasSingleThreadFlops = 1_000; $0.threadCount = Swift.max(2, $0.threadCount) }) {
            assertSplitProductsMatchNaive()
        }
    }

    private func assertSplitProductsMatchNaive() {
        for (m, n, k) in [(37, 11, 23), (9, 41, 17)] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = sampleTensor([m * k], seed: 3).scalars, b = sampleTensor([k * n], seed: 4).scalars
                    var c = [Float](repeating: 7, count: m * n)
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                            }
                        }
                    }
                    let expected = naive(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                    for (value, target) in zip(c, expected) {
                        XCTAssertEqual(value, target, accuracy: 1e-4, "m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB)")
                    }
                }
            }
        }
    }
}
