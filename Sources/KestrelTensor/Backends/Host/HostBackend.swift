/// The backend of a host device: storage is `TensorBuffer` (pooled, 64-byte aligned host memory),
/// compute runs on `kernels` (`CPUBackend` for `Device.cpu`, `ReferenceBackend` for
/// `Device.reference`), and the data-movement loops are shared (`HostBackend+DataMovement.swift`).
struct HostBackend<Kernels: HostKernels>: KernelBackend {
    /// The pointer-level kernels.
    let kernels: Kernels
    let device: Device

    /// The host memory of `storage`, which lives on this device (operations check before calling).
    @inline(__always)
    func memory(_ storage: Storage) -> UnsafeMutablePointer<Float> {
        unsafeDowncast(storage, to: TensorBuffer.self).pointer
    }

    /// The version of `storage`'s values (see `TensorBuffer.contentVersion`).
    private func version(_ storage: Storage) -> UInt64 {
        unsafeDowncast(storage, to: TensorBuffer.self).contentVersion
    }

    @inline(__always)
    private func optionalMemory(_ storage: Storage?) -> UnsafeMutablePointer<Float>? {
        storage.map(memory)
    }

    /// Runs `body` with `storage`'s memory read as Int32 (reduction winners).
    private func indices<Result>(_ storage: Storage?, _ body: (UnsafeMutablePointer<Int32>?) -> Result) -> Result {
        guard let storage else { return body(nil) }
        return UnsafeMutableRawPointer(memory(storage)).withMemoryRebound(to: Int32.self, capacity: storage.count) { body($0) }
    }

    // MARK: Memory and transfers

    func makeStorage(count: Int) -> Storage { TensorBuffer(count: count, device: device) }

    func makeStorage(checkedCount count: Int) throws -> Storage { try TensorBuffer(checkedCount: count, device: device) }

    func view(_ storage: Storage, offset: Int, count: Int) -> Storage {
        TensorBuffer(viewing: unsafeDowncast(storage, to: TensorBuffer.self), offset: offset, count: count)
    }

    func isOnlyHolder(_ storage: inout Storage) -> Bool { isOnlyReference(&storage, of: TensorBuffer.self) }

    func ownsItsMemoryAlone(_ storage: Storage) -> Bool {
        unsafeDowncast(storage, to: TensorBuffer.self).ownsItsMemoryAlone
    }

    func upload(_ scalars: [Float]) -> Storage {
        let buffer = TensorBuffer(count: scalars.count, device: device)
        scalars.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { buffer.pointer.update(from: start, count: source.count) }
        }
        return buffer
    }

    func upload(count: Int, writing write: HostValueWriter) throws -> Storage {
        let buffer = try TensorBuffer(checkedCount: count, device: device)
        try write(UnsafeMutableBufferPointer(start: buffer.pointer, count: count))
        return buffer
    }

    func upload(bytes: [UInt8], scale: Float) -> Storage {
        let buffer = TensorBuffer(count: bytes.count, device: device)
        let target = buffer.pointer
        for (index, byte) in bytes.enumerated() { target[index] = Float(byte) * scale }
        return buffer
    }

    func download(_ storage: Storage) -> [Float] {
        Array(UnsafeBufferPointer(start: memory(storage), count: storage.count))
    }

    // MARK: Compute kernels

    func update(_ rule: UpdateRule, _ operands: UpdateStorage) {
        kernels.update(rule, UpdateOperands(count: operands.count, parameter: memory(operands.parameter),
                                            gradient: memory(operands.gradient),
                                            slots: operands.slots.map { UnsafePointer(memory($0)) },
                                            newParameter: memory(operands.newParameter),
                                            newSlots: operands.newSlots.map(memory)))
        let rewritten = zip([operands.parameter] + operands.slots, [operands.newParameter] + operands.newSlots)
        for (input, output) in rewritten where input === output {
            unsafeDowncast(output, to: TensorBuffer.self).markRewritten()
        }
    }

    func unary(_ op: UnaryKernel, _ x: Storage, _ y: Storage, count: Int) {
        kernels.unary(op, memory(x), memory(y), count: count)
    }

    func binary(_ op: BinaryKernel, _ a: Storage, shapeA: [Int], _ b: Storage, shapeB: [Int], _ out: Storage,
                outputShape: [Int]) {
        kernels.binary(op, memory(a), shapeA: shapeA, memory(b), shapeB: shapeB, memory(out), outputShape: outputShape)
    }

    func reduce(_ kind: ReductionKind, _ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage, winners: Storage?) {
        indices(winners) { kernels.reduce(kind, memory(x), outer: outer, length: length, inner: inner, memory(out), winners: $0) }
    }

    func reduceBackward(_ kind: ReductionKind, _ dy: Storage, winners: Storage?, outer: Int, length: Int, inner: Int,
                        _ dx: Storage) {
        indices(winners) {
            kernels.reduceBackward(kind, memory(dy), winners: $0.map { UnsafePointer($0) }, outer: outer, length: length,
                                   inner: inner, memory(dx))
        }
    }

    func sumOfSquares(_ x: Storage, count: Int) -> Double { kernels.sumOfSquares(memory(x), count: count) }

    func argmax(_ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage) {
        kernels.argmax(memory(x), outer: outer, length: length, inner: inner, memory(out))
    }

    func inTopK(_ predictions: Storage, rows: Int, classes: Int, targets: Storage, k: Int, _ out: Storage) {
        kernels.inTopK(memory(predictions), rows: rows, classes: classes, targets: memory(targets), k: k, memory(out))
    }

    func softmax(_ x: Storage, _ y: Storage, outer: Int, length: Int, inner: Int, log: Bool) {
        kernels.softmax(memory(x), memory(y), outer: outer, length: length, inner: inner, log: log)
    }

    func softmaxBackward(_ y: Storage, _ dy: Storage, _ dx: Storage, outer: Int, length: Int, inner: Int, log: Bool) {
        kernels.softmaxBackward(memory(y), memory(dy), memory(dx), outer: outer, length: length, inner: inner, log: log)
    }

    func gemm(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: Storage, _ b: Storage,
              _ c: Storage, bias: Storage?) {
        let (pa, pb, pc, pbias) = (memory(a), memory(b), memory(c), optionalMemory(bias).map { UnsafePointer($0) })
        for index in 0..<batch {
            kernels.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, pa + index * m * k,
                         pb + index * k * n, pc + index * m * n, bias: pbias)
        }
    }

    func affineBackward(_ dy: Storage, x: Storage, weight: Storage, m: Int, n: Int, k: Int, dx: Storage?, dweight: Storage?) {
        let (pdy, px, pw) = (memory(dy), memory(x), memory(weight))
        let inputGradient = { if let dx { kernels.gemm(transposeA: false, transposeB: true, m: m, n: k, k: n, pdy, pw, memory(dx), bias: nil) } }
        let weightGradient = {
            if let dweight { kernels.gemm(transposeA: true, transposeB: false, m: k, n: n, k: m, px, pdy, memory(dweight), bias: nil) }
        }
        if dx != nil && dweight != nil {
            kernels.runProductPair(flops: 2 * m * n * k, inputGradient, weightGradient)
        } else {
            inputGradient()
            weightGradient()
        }
    }

    func convolution(_ input: Storage, filter: Storage, bias: Storage?, geometry: WindowGeometry, outputChannels: Int,
                     relu: Bool, _ output: Storage) {
        kernels.convolution(memory(input), filter: memory(filter), filterVersion: version(filter),
                            bias: optionalMemory(bias).map { UnsafePointer($0) }, geometry: geometry,
                            outputChannels: outputChannels, relu: relu, memory(output))
    }

    func convolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage, reluOutput: Storage?,
                             geometry: WindowGeometry, outputChannels: Int, targets: FilterGradientTargets) {
        kernels.convolutionBackward(memory(input), filter: memory(filter), filterVersion: version(filter),
                                    outputGradient: memory(outputGradient),
                                    reluOutput: optionalMemory(reluOutput).map { UnsafePointer($0) }, geometry: geometry, outputChannels: outputChannels,
                                    inputGradient: optionalMemory(targets.input), filterGradient: optionalMemory(targets.filter),
                                    biasGradient: optionalMemory(targets.bias))
    }

    func depthwiseConvolution(_ input: Storage, filter: Storage, bias: Storage?, plan: DepthwiseConvolutionKernel.Plan,
                              _ output: Storage) {
        kernels.depthwiseConvolution(memory(input), filter: memory(filter), bias: optionalMemory(bias).map { UnsafePointer($0) },
                                     plan: plan, memory(output))
    }

    func depthwiseConvolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage,
                                      plan: DepthwiseConvolutionKernel.Plan, targets: FilterGradientTargets) {
        kernels.depthwiseConvolutionBackward(memory(input), filter: memory(filter), outputGradient: memory(outputGradient),
                                             plan: plan, inputGradient: optionalMemory(targets.input),
                                             filterGradient: optionalMemory(targets.filter),
                                             biasGradient: optionalMemory(targets.bias))
    }

    func maxPool(_ input: Storage, geometry: WindowGeometry, _ output: Storage, winners: Storage) {
        kernels.maxPool(memory(input), geometry: geometry, memory(output), winners: memory(winners))
    }

    func maxPoolBackward(_ dy: Storage, winners: Storage, geometry: WindowGeometry, _ dx: Storage) {
        kernels.maxPoolBackward(memory(dy), winners: memory(winners), geometry: geometry, memory(dx))
    }

    func averagePool(_ input: Storage, geometry: WindowGeometry, _ output: Storage) {
        kernels.averagePool(memory(input), geometry: geometry, memory(output))
    }

    func averagePoolBackward(_ dy: Storage, geometry: WindowGeometry, _ dx: Storage) {
        kernels.averagePoolBackward(memory(dy), geometry: geometry, memory(dx))
    }

    func loss(_ loss: FusedLoss, targets: Storage, predictions: Storage, layout: LossLayout, values: Storage,
              derivative: Storage?) {
        kernels.loss(loss, targets: memory(targets), predictions: memory(predictions), layout: layout, values: memory(values),
                     derivative: optionalMemory(derivative))
    }
}
