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

    /// Products whose inner dimension is split between the threads (k ≥ 4·max(m, n)): every transpose,
    /// α and β, two and three threads, an odd k, and a k so short that the last thread's range is empty.
    func testInnerDimensionSplitMatchesNaive() {
        XCTAssertTrue(BLAS.splitsInnerDimension(m: 64, n: 128, k: 784))
        XCTAssertFalse(BLAS.splitsInnerDimension(m: 784, n: 128, k: 64))
        for threads in [2, 3] {
            EngineConfiguration.withChanges({ $0.blasSingleThreadFlops = 100; $0.threadCount = threads }) {
                for (m, n, k) in [(5, 7, 61), (3, 2, 16), (1, 1, 4)] {
                    XCTAssertTrue(BLAS.splitsInnerDimension(m: m, n: n, k: k))
                    for transposeA in [false, true] {
                        for transposeB in [false, true] {
                            for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (2, -0.5)] {
                                assertSplitProduct(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                                   alpha: alpha, beta: beta, label: "\(threads) threads")
                            }
                        }
                    }
                }
            }
        }
    }

    private func assertSplitProduct(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float,
                                    label: String) {
        let a = sampleTensor([m * k], seed: 7).scalars, b = sampleTensor([k * n], seed: 8).scalars
        let start = sampleTensor([m * n], seed: 9).scalars
        var c = beta == 0 ? [Float](repeating: .nan, count: m * n) : start
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                              a: pa.baseAddress!, b: pb.baseAddress!, beta: beta, c: pc.baseAddress!)
                }
            }
        }
        let product = naive(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        for index in 0..<(m * n) {
            let expected = alpha * product[index] + (beta == 0 ? 0 : beta * start[index])
            XCTAssertEqual(c[index], expected, accuracy: 1e-4,
                           "\(label) m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) α \(alpha) β \(beta)")
        }
    }

    /// Both libraries behind `BLAS.strided` against the triple loop, with a leading dimension of C wider than
    /// its rows, α ≠ 1, and β = 0 over a C full of NaN (β = 0 must not read C) or β = 1 (accumulate).
    func testBothLibrariesMatchNaiveOnStridedProducts() {
        var libraries: [MatrixMultiplyLibrary] = [.openBLAS]
        #if OneDNN
        libraries.append(.oneDNN)
        #endif
        for library in libraries {
            for (m, n, k) in [(70, 66, 90), (5, 3, 7)] {
                for transposeA in [false, true] {
                    for transposeB in [false, true] {
                        for beta: Float in [0, 1] {
                            assertStridedProduct(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                                 beta: beta, library: library)
                        }
                    }
                }
            }
        }
    }

    private func assertStridedProduct(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float,
                                      library: MatrixMultiplyLibrary) {
        let a = sampleTensor([m * k], seed: 5).scalars, b = sampleTensor([k * n], seed: 6).scalars
        let ldc = n + 3, alpha: Float = 0.5, start: Float = beta == 0 ? .nan : 2
        var c = [Float](repeating: start, count: m * ldc)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.strided(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                 a: pa.baseAddress!, lda: transposeA ? m : k, b: pb.baseAddress!, ldb: transposeB ? k : n,
                                 beta: beta, c: pc.baseAddress!, ldc: ldc, library: library)
                }
            }
        }
        let product = naive(a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        let label = "\(library) m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB) β \(beta)"
        for row in 0..<m {
            for column in 0..<n {
                let expected = alpha * product[row * n + column] + (beta == 0 ? 0 : beta * start)
                XCTAssertEqual(c[row * ldc + column], expected, accuracy: 1e-4, label)
            }
            for column in n..<ldc where beta == 0 {
                XCTAssertTrue(c[row * ldc + column].isNaN, "\(label): the padding column \(column) was written")
            }
        }
    }

    /// The library choice: OpenBLAS for small, narrow or plain (untransposed) products, and wherever
    /// oneDNN is absent or the processor lacks AVX-512.
    func testPreferredLibraryFollowsShape() {
        XCTAssertEqual(MatrixMultiplyLibrary.preferred(m: 64, n: 64, k: 784, transposed: false), .openBLAS)
        XCTAssertEqual(MatrixMultiplyLibrary.preferred(m: 64, n: 10, k: 784, transposed: true), .openBLAS)
        XCTAssertEqual(MatrixMultiplyLibrary.preferred(m: 100, n: 100, k: 100, transposed: true), .openBLAS)
        let large = MatrixMultiplyLibrary.preferred(m: 392, n: 128, k: 64, transposed: true)
        XCTAssertEqual(large, MatrixMultiplyLibrary.oneDNNAvailable ? .oneDNN : .openBLAS)
    }
}
