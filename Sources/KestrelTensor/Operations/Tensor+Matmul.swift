extension Tensor {
    /// Matrix product: [m,k]·[k,n], batched [b,m,k]·[b,k,n], or [..., m, k]·[k, n] (rows of any batch shape).
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 2, other.rank >= 2, shape[rank - 1] == other.shape[other.rank - 2] else {
            throw KestrelError.shapeMismatch(
                "matmul: shapes \(shape) and \(other.shape) do not fit; the last dimension of the first (\(shape.last ?? 0)) must equal the second-to-last of the second.")
        }
        if other.rank == 2 {
            let k = shape[rank - 1], n = other.shape[1]
            let rows = shape.dropLast().reduce(1, *)
            let flat = try reshaped([rows, k])
            return try Tensor.matrixProduct(flat, other).reshaped(Array(shape.dropLast()) + [n])
        }
        guard rank == 3, other.rank == 3, shape[0] == other.shape[0] else {
            throw KestrelError.shapeMismatch(
                "batched matmul needs [b,m,k]·[b,k,n] with equal b; got \(shape) and \(other.shape).")
        }
        return try Tensor.batchedProduct(self, other)
    }

    /// Fused `x · weight + bias` for x [n, in], weight [in, out], bias [out] (Keras's Dense).
    public static func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard x.rank == 2, weight.rank == 2, x.shape[1] == weight.shape[0] else {
            throw KestrelError.shapeMismatch(
                "affine: input \(x.shape) and weight \(weight.shape) do not fit; expected input [batch, \(weight.shape.first ?? 0)].")
        }
        let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[1])
        if let bias, bias.shape != [n] {
            throw KestrelError.shapeMismatch("affine: bias shape \(bias.shape) must be [\(n)].")
        }
        try checkResult([m, n], operation: "matmul")
        let backend = Backends.current
        let result = try TensorBuffer(checkedCount: m * n)
        withExtendedLifetime((x, weight, bias)) {
            backend.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, x.buffer.pointer, weight.buffer.pointer,
                         result.pointer, bias: bias.map { UnsafePointer($0.buffer.pointer) })
        }
        let (xValue, weightValue) = (x.detached, weight.detached)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(Tensor(shape: [m, n], buffer: result), inputs: inputs) { gradient, needed in
            let backend = Backends.current
            let dx = needed[0] ? TensorBuffer(count: m * k) : nil
            let dw = needed[1] ? TensorBuffer(count: k * n) : nil
            let products: [() -> Void] = [
                dx.map { dx in {
                    backend.gemm(transposeA: false, transposeB: true, m: m, n: k, k: n, gradient.buffer.pointer,
                                 weightValue.buffer.pointer, dx.pointer, bias: nil)
                } },
                dw.map { dw in {
                    backend.gemm(transposeA: true, transposeB: false, m: k, n: n, k: m, xValue.buffer.pointer,
                                 gradient.buffer.pointer, dw.pointer, bias: nil)
                } },
            ].compactMap { $0 }
            // Two products each too small to split across cores (OpenBLAS spends microseconds of
            // fixed cost on each) run side by side instead; larger ones split themselves.
            if products.count == 2, 2 * m * n * k < EngineConfiguration.current.blasSingleThreadFlops {
                Parallel.forEach(count: 2) { products[$0]() }
            } else {
                for product in products { product() }
            }
            var gradients: [Tensor?] = [dx.map { Tensor(shape: [m, k], buffer: $0) }, dw.map { Tensor(shape: [k, n], buffer: $0) }]
            if inputs.count == 3 {
                gradients.append(needed[2] ? gradient.columnSums() : nil)
            }
            return gradients
        }
    }

    /// Sums a [rows, columns] tensor over its rows (no gradient): the bias gradient of `affine`.
    func columnSums() -> Tensor {
        let columns = shape[rank - 1]
        let rows = count / Swift.max(columns, 1)
        let backend = Backends.current
        let result = TensorBuffer(count: columns)
        withExtendedLifetime(self) {
            backend.reduce(.sum, buffer.pointer, outer: 1, length: rows, inner: columns, result.pointer, winners: nil)
        }
        return Tensor(shape: [columns], buffer: result)
    }

    /// [m,k]·[k,n]: the bias-free case of `affine`, which holds the GEMM calls and the gradient rule.
    private static func matrixProduct(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try affine(a, weight: b, bias: nil)
    }

    private static func batchedProduct(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let (batch, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
        try checkResult([batch, m, n], operation: "batched matmul")
        let result = try TensorBuffer(checkedCount: batch * m * n)
        let backend = Backends.current
        gemmPerBatch(backend, batch, transposeA: false, transposeB: false, m: m, n: n, k: k,
                     a: a.buffer.pointer, aStride: m * k, b: b.buffer.pointer, bStride: k * n, c: result.pointer)
        let (aValue, bValue) = (a.detached, b.detached)
        return record(Tensor(shape: [batch, m, n], buffer: result), inputs: [a, b]) { gradient, needed in
            let backend = Backends.current
            var gradients: [Tensor?] = [nil, nil]
            if needed[0] {
                let da = TensorBuffer(count: batch * m * k)
                gemmPerBatch(backend, batch, transposeA: false, transposeB: true, m: m, n: k, k: n,
                             a: gradient.buffer.pointer, aStride: m * n, b: bValue.buffer.pointer, bStride: k * n, c: da.pointer)
                gradients[0] = Tensor(shape: [batch, m, k], buffer: da)
            }
            if needed[1] {
                let db = TensorBuffer(count: batch * k * n)
                gemmPerBatch(backend, batch, transposeA: true, transposeB: false, m: k, n: n, k: m,
                             a: aValue.buffer.pointer, aStride: m * k, b: gradient.buffer.pointer, bStride: m * n, c: db.pointer)
                gradients[1] = Tensor(shape: [batch, k, n], buffer: db)
            }
            return gradients
        }
    }

    /// One product per batch entry: C[i] = op(A[i]) · op(B[i]), with A[i] at `a + i·aStride`, B[i] at
    /// `b + i·bStride` and the m×n C[i] stored one after another.
    private static func gemmPerBatch(_ backend: any KernelBackend, _ batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                     a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, bStride: Int,
                                     c: UnsafeMutablePointer<Float>) {
        for index in 0..<batch {
            backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a + index * aStride,
                         b + index * bStride, c + index * m * n, bias: nil)
        }
    }
}
