import Synchronization

/// The backend of `Device.simulated`: a discrete device in miniature. Its storage is
/// `SimulatedDeviceStorage`, whose memory only this backend reaches; host transfers are counted in
/// `counts`; the kernels run the CPU backend's on the private memory (a real device would launch
/// its own). The tests run every operation and its gradient here, which fails if any code outside a
/// backend reads element memory.
final class SimulatedDeviceBackend: KernelBackend {
    let device = Device.simulated
    private let counter = Mutex(TransferCounts())
    private var host: HostBackend<CPUBackend> { Backends.cpu }

    /// The transfers counted so far.
    var counts: TransferCounts { counter.withLock { $0 } }

    private func count(uploads: Int = 0, downloads: Int = 0, synchronisingReads: Int = 0) {
        counter.withLock { counts in
            counts.uploads += uploads
            counts.downloads += downloads
            counts.synchronisingReads += synchronisingReads
        }
    }

    /// The private host block of `storage`.
    private func block(_ storage: Storage) -> TensorBuffer {
        unsafeDowncast(storage, to: SimulatedDeviceStorage.self).deviceMemory.block
    }

    private func optionalBlock(_ storage: Storage?) -> TensorBuffer? { storage.map(block) }

    private func wrap(_ storage: Storage) -> Storage {
        SimulatedDeviceStorage(Memory(unsafeDowncast(storage, to: TensorBuffer.self)))
    }

    private func targets(_ targets: FilterGradientTargets) -> FilterGradientTargets {
        FilterGradientTargets(input: optionalBlock(targets.input), filter: optionalBlock(targets.filter),
                              bias: optionalBlock(targets.bias))
    }

    // MARK: Memory and transfers

    func makeStorage(count: Int) -> Storage { wrap(host.makeStorage(count: count)) }

    func makeStorage(checkedCount count: Int) throws -> Storage { wrap(try host.makeStorage(checkedCount: count)) }

    func view(_ storage: Storage, offset: Int, count: Int) -> Storage {
        wrap(host.view(block(storage), offset: offset, count: count))
    }

    func isOnlyHolder(_ storage: inout Storage) -> Bool { isOnlyReference(&storage, of: SimulatedDeviceStorage.self) }

    func ownsItsMemoryAlone(_ storage: Storage) -> Bool { host.ownsItsMemoryAlone(block(storage)) }

    func upload(_ scalars: [Float]) -> Storage {
        count(uploads: 1)
        return wrap(host.upload(scalars))
    }

    func upload(count: Int, writing write: HostValueWriter) throws -> Storage {
        self.count(uploads: 1)
        return wrap(try host.upload(count: count, writing: write))
    }

    func upload(bytes: [UInt8], scale: Float) -> Storage {
        count(uploads: 1)
        return wrap(host.upload(bytes: bytes, scale: scale))
    }

    func download(_ storage: Storage) -> [Float] {
        count(downloads: 1)
        return host.download(block(storage))
    }

    // MARK: Creation and data movement

    func fill(_ storage: Storage, value: Float) { host.fill(block(storage), value: value) }

    func arange(_ storage: Storage, start: Float, step: Float) { host.arange(block(storage), start: start, step: step) }

    func random(_ storage: Storage, _ distribution: RandomDistribution, generator: inout RandomGenerator) {
        host.random(block(storage), distribution, generator: &generator)
    }

    func copyBlocks(from source: Storage, offset sourceOffset: Int, stride sourceStride: Int,
                    to target: Storage, offset targetOffset: Int, stride targetStride: Int, blocks: Int, length: Int) {
        host.copyBlocks(from: block(source), offset: sourceOffset, stride: sourceStride, to: block(target),
                        offset: targetOffset, stride: targetStride, blocks: blocks, length: length)
    }

    func permute(_ x: Storage, shape: [Int], axes: [Int], _ y: Storage) {
        host.permute(block(x), shape: shape, axes: axes, block(y))
    }

    func gatherRows(_ x: Storage, rowSize: Int, indices: [Int], _ y: Storage) {
        host.gatherRows(block(x), rowSize: rowSize, indices: indices, block(y))
    }

    func scatterAddRows(_ dy: Storage, rowSize: Int, indices: [Int], _ dx: Storage) {
        host.scatterAddRows(block(dy), rowSize: rowSize, indices: indices, block(dx))
    }

    func resample(_ x: Storage, _ shape: ImageShape, maps: [AffineTransform], fillMode: FillMode, fillValue: Float,
                  interpolation: Interpolation, _ y: Storage) {
        host.resample(block(x), shape, maps: maps, fillMode: fillMode, fillValue: fillValue, interpolation: interpolation, block(y))
    }

    func map(_ x: Storage, _ y: Storage, _ transform: (Float) -> Float) {
        count(uploads: 1, downloads: 1)
        host.map(block(x), block(y), transform)
    }

    func firstNonFiniteIndex(_ x: Storage) -> Int? {
        count(synchronisingReads: 1)
        return host.firstNonFiniteIndex(block(x))
    }

    func firstInvalidClassIndex(_ labels: Storage, classes: Int) -> Int? {
        count(synchronisingReads: 1)
        return host.firstInvalidClassIndex(block(labels), classes: classes)
    }

    // MARK: Compute kernels

    func update(_ rule: UpdateRule, _ operands: UpdateStorage) {
        host.update(rule, UpdateStorage(count: operands.count, parameter: block(operands.parameter),
                                        gradient: block(operands.gradient), slots: operands.slots.map(block),
                                        newParameter: block(operands.newParameter), newSlots: operands.newSlots.map(block)))
    }

    func unary(_ op: UnaryKernel, _ x: Storage, _ y: Storage, count: Int) { host.unary(op, block(x), block(y), count: count) }

    func binary(_ op: BinaryKernel, _ a: Storage, shapeA: [Int], _ b: Storage, shapeB: [Int], _ out: Storage,
                outputShape: [Int]) {
        host.binary(op, block(a), shapeA: shapeA, block(b), shapeB: shapeB, block(out), outputShape: outputShape)
    }

    func reduce(_ kind: ReductionKind, _ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage, winners: Storage?) {
        host.reduce(kind, block(x), outer: outer, length: length, inner: inner, block(out), winners: optionalBlock(winners))
    }

    func reduceBackward(_ kind: ReductionKind, _ dy: Storage, winners: Storage?, outer: Int, length: Int, inner: Int,
                        _ dx: Storage) {
        host.reduceBackward(kind, block(dy), winners: optionalBlock(winners), outer: outer, length: length, inner: inner,
                            block(dx))
    }

    func sumOfSquares(_ x: Storage, count: Int) -> Double {
        self.count(synchronisingReads: 1)
        return host.sumOfSquares(block(x), count: count)
    }

    func argmax(_ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage) {
        host.argmax(block(x), outer: outer, length: length, inner: inner, block(out))
    }

    func inTopK(_ predictions: Storage, rows: Int, classes: Int, targets: Storage, k: Int, _ out: Storage) {
        host.inTopK(block(predictions), rows: rows, classes: classes, targets: block(targets), k: k, block(out))
    }

    func softmax(_ x: Storage, _ y: Storage, outer: Int, length: Int, inner: Int, log: Bool) {
        host.softmax(block(x), block(y), outer: outer, length: length, inner: inner, log: log)
    }

    func softmaxBackward(_ y: Storage, _ dy: Storage, _ dx: Storage, outer: Int, length: Int, inner: Int, log: Bool) {
        host.softmaxBackward(block(y), block(dy), block(dx), outer: outer, length: length, inner: inner, log: log)
    }

    func gemm(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: Storage, _ b: Storage,
              _ c: Storage, bias: Storage?) {
        host.gemm(batch: batch, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, block(a), block(b),
                  block(c), bias: optionalBlock(bias))
    }

    func affineBackward(_ dy: Storage, x: Storage, weight: Storage, m: Int, n: Int, k: Int, dx: Storage?, dweight: Storage?) {
        host.affineBackward(block(dy), x: block(x), weight: block(weight), m: m, n: n, k: k, dx: optionalBlock(dx),
                            dweight: optionalBlock(dweight))
    }

    func convolution(_ input: Storage, filter: Storage, bias: Storage?, geometry: WindowGeometry, outputChannels: Int,
                     relu: Bool, _ output: Storage) {
        host.convolution(block(input), filter: block(filter), bias: optionalBlock(bias), geometry: geometry,
                         outputChannels: outputChannels, relu: relu, block(output))
    }

    func convolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage, reluOutput: Storage?,
                             geometry: WindowGeometry, outputChannels: Int, targets: FilterGradientTargets) {
        host.convolutionBackward(block(input), filter: block(filter), outputGradient: block(outputGradient),
                                 reluOutput: optionalBlock(reluOutput), geometry: geometry, outputChannels: outputChannels, targets: self.targets(targets))
    }

    func depthwiseConvolution(_ input: Storage, filter: Storage, bias: Storage?, plan: DepthwiseConvolutionKernel.Plan,
                              _ output: Storage) {
        host.depthwiseConvolution(block(input), filter: block(filter), bias: optionalBlock(bias), plan: plan, block(output))
    }

    func depthwiseConvolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage,
                                      plan: DepthwiseConvolutionKernel.Plan, targets: FilterGradientTargets) {
        host.depthwiseConvolutionBackward(block(input), filter: block(filter), outputGradient: block(outputGradient),
                                          plan: plan, targets: self.targets(targets))
    }

    func maxPool(_ input: Storage, geometry: WindowGeometry, _ output: Storage, winners: Storage) {
        host.maxPool(block(input), geometry: geometry, block(output), winners: block(winners))
    }

    func maxPoolBackward(_ dy: Storage, winners: Storage, geometry: WindowGeometry, _ dx: Storage) {
        host.maxPoolBackward(block(dy), winners: block(winners), geometry: geometry, block(dx))
    }

    func averagePool(_ input: Storage, geometry: WindowGeometry, _ output: Storage) {
        host.averagePool(block(input), geometry: geometry, block(output))
    }

    func averagePoolBackward(_ dy: Storage, geometry: WindowGeometry, _ dx: Storage) {
        host.averagePoolBackward(block(dy), geometry: geometry, block(dx))
    }

    func loss(_ loss: FusedLoss, targets: Storage, predictions: Storage, layout: LossLayout, values: Storage,
              derivative: Storage?) {
        host.loss(loss, targets: block(targets), predictions: block(predictions), layout: layout, values: block(values),
                  derivative: optionalBlock(derivative))
    }
}

extension SimulatedDeviceBackend {
    /// The memory behind a `SimulatedDeviceStorage`: a host block whose buffer is `fileprivate` to
    /// this file, so only `SimulatedDeviceBackend` reads or writes it.
    final class Memory: @unchecked Sendable {
        fileprivate let block: TensorBuffer
        /// The number of Float32 elements.
        var count: Int { block.count }

        fileprivate init(_ block: TensorBuffer) {
            self.block = block
        }
    }
}
