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
        let backend = try backend(of: bias.map { [x, weight, $0] } ?? [x, weight], operation: "matmul")
        let result = try backend.makeStorage(checkedCount: m * n)
        backend.gemm(batch: 1, transposeA: false, transposeB: false, m: m, n: n, k: k, x.storage, weight.storage, result,
                     bias: bias?.storage)
        let (xValue, weightValue) = (x.detached, weight.detached)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(Tensor(shape: [m, n], storage: result), inputs: inputs) { gradient, needed in
            let backend = gradient.backend
            let dx = needed[0] ? backend.makeStorage(count: m * k) : nil
            let dw = needed[1] ? backend.makeStorage(count: k * n) : nil
            backend.affineBackward(gradient.storage, x: xValue.storage, weight: weightValue.storage, m: m, n: n, k: k,
                                   dx: dx, dweight: dw)
            var gradients: [Tensor?] = [dx.map { Tensor(shape: [m, k], storage: $0) }, dw.map { Tensor(shape: [k, n], storage: $0) }]
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
        let result = backend.makeStorage(count: columns)
        backend.reduce(.sum, storage, outer: 1, length: rows, inner: columns, result, winners: nil)
        return Tensor(shape: [columns], storage: result)
    }

    /// [m,k]·[k,n]: the bias-free case of `affine`, which holds the GEMM calls and the gradient rule.
    private static func matrixProduct(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try affine(a, weight: b, bias: nil)
    }

    private static func batchedProduct(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let (batch, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
        try checkResult([batch, m, n], operation: "batched matmul")
        let backend = try backend(of: [a, b], operation: "batched matmul")
        let result = try backend.makeStorage(checkedCount: batch * m * n)
        backend.gemm(batch: batch, transposeA: false, transposeB: false, m: m, n: n, k: k, a.storage, b.storage, result,
                     bias: nil)
        let (aValue, bValue) = (a.detached, b.detached)
        return record(Tensor(shape: [batch, m, n], storage: result), inputs: [a, b]) { gradient, needed in
            let backend = gradient.backend
            var gradients: [Tensor?] = [nil, nil]
            if needed[0] {
                let da = backend.makeStorage(count: batch * m * k)
                backend.gemm(batch: batch, transposeA: false, transposeB: true, m: m, n: k, k: n, gradient.storage,
                             bValue.storage, da, bias: nil)
                gradients[0] = Tensor(shape: [batch, m, k], storage: da)
            }
            if needed[1] {
                let db = backend.makeStorage(count: batch * k * n)
                backend.gemm(batch: batch, transposeA: true, transposeB: false, m: k, n: n, k: m, aValue.storage,
                             gradient.storage, db, bias: nil)
                gradients[1] = Tensor(shape: [batch, k, n], storage: db)
            }
            return gradients
        }
    }
}
