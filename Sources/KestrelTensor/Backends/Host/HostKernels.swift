/// The compute kernels of a backend whose storage is host memory (`TensorBuffer`), over raw pointers:
/// `CPUBackend` (the fast kernels) and `ReferenceBackend` (plain loops in Double, the differential
/// tests' oracle). `HostBackend` adapts either to the storage-level `KernelBackend` that operations
/// call, and adds the loops both share (allocation, copies, permute, gather, creation).
///
/// Kernels receive raw storage: the engine has already checked shapes and arguments and allocated the
/// outputs. Kernels never throw and never trap on values (NaN and infinities propagate).
protocol HostKernels: Sendable {
    // MARK: Optimizers

    /// Applies `rule` elementwise: reads `operands`' parameter, gradient and slots and writes the new
    /// parameter and slots (outputs never alias inputs here, but a kernel must allow it).
    func update(_ rule: UpdateRule, _ operands: UpdateOperands)

    // MARK: Elementwise

    /// `y[i] = op(x[i])` for `i < count`.
    func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)

    /// `out[i] = op(a[i'], b[i''])` over `outputShape`, where `a` (shape `shapeA`) and `b` (shape
    /// `shapeB`) are read with NumPy broadcasting; both shapes broadcast to `outputShape`.
    func binary(_ op: BinaryKernel, _ a: UnsafePointer<Float>, shapeA: [Int], _ b: UnsafePointer<Float>, shapeB: [Int],
                _ out: UnsafeMutablePointer<Float>, outputShape: [Int])

    // MARK: Reductions

    /// Reduces the middle axis of `x` viewed as `[outer, length, inner]` into `out` (`[outer, inner]`).
    /// For `.maximum`/`.minimum` (`length ≥ 1`) `winners` (same size as `out`) receives the index along
    /// the axis of the first extreme element; a NaN already chosen is replaced by the next element.
    func reduce(_ kind: ReductionKind, _ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int,
                _ out: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>?)

    /// The input gradient of `reduce`: `dx` (`[outer, length, inner]`) gets `dy[outer, inner]` copied
    /// along the axis (`.sum`) or placed at the winner's index with zeros elsewhere (`.maximum`, `.minimum`).
    func reduceBackward(_ kind: ReductionKind, _ dy: UnsafePointer<Float>, winners: UnsafePointer<Int32>?,
                        outer: Int, length: Int, inner: Int, _ dx: UnsafeMutablePointer<Float>)

    /// `Σ x[i]²` over `count` values, accumulated in Double.
    func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double

    /// Index of the first largest value along the middle axis of `[outer, length, inner]` (`length ≥ 1`),
    /// written as Float into `out` (`[outer, inner]`).
    func argmax(_ x: UnsafePointer<Float>, outer: Int, length: Int, inner: Int, _ out: UnsafeMutablePointer<Float>)

    /// Per row `r < rows` of `predictions` (`[rows, classes]`): 1 when class `targets[r]` is among the
    /// `k` largest (fewer than `k` classes score strictly higher), 0 when it is not, when its score is
    /// not finite, or when `targets[r]` truncated to an integer (Keras's int32 cast) is outside `0..<classes`.
    func inTopK(_ predictions: UnsafePointer<Float>, rows: Int, classes: Int, targets: UnsafePointer<Float>, k: Int,
                _ out: UnsafeMutablePointer<Float>)

    // MARK: Softmax

    /// Softmax (or log-softmax when `log`) along the middle axis of `[outer, length, inner]`, stable
    /// (the lane's maximum is subtracted first).
    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int, log: Bool)

    /// The input gradient of `softmax` from its output `y` and the output gradient `dy`:
    /// `y·(dy − Σdy·y)`, or for log-softmax `dy − e^y·Σdy`.
    func softmaxBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         outer: Int, length: Int, inner: Int, log: Bool)

    // MARK: Matrix products

    /// `C = op(A)·op(B)` (plus `bias` added to every row when given) for row-major matrices: `op(A)`
    /// is m×k, `op(B)` is k×n, `C` is m×n; `transposeA`/`transposeB` read A/B transposed.
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>,
              _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?)

    // MARK: Convolution and pooling (NHWC)

    /// 2-D cross-correlation of `input` with `filter` (`[KH, KW, Cin, Cout]`) plus `bias`, then
    /// `max(0, ·)` when `relu`, into `output` (`geometry.outputShape(channels: outputChannels)`); padded
    /// positions read 0. `filterVersion` is the filter buffer's `contentVersion`: with its address, the
    /// key under which a backend may keep values derived from the filter (`WinogradFilterCache`).
    func convolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                     bias: UnsafePointer<Float>?, geometry: WindowGeometry, outputChannels: Int, relu: Bool,
                     _ output: UnsafeMutablePointer<Float>)

    /// The gradients of `convolution` from `outputGradient`: each non-nil target is overwritten. With
    /// `reluOutput` (the output of a `relu` convolution) the gradient is masked where that output is ≤ 0.
    func convolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                             outputGradient: UnsafePointer<Float>, reluOutput: UnsafePointer<Float>?, geometry: WindowGeometry, outputChannels: Int,
                             inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                             biasGradient: UnsafeMutablePointer<Float>?)

    /// Depthwise 2-D cross-correlation (`plan` holds the sizes, strides, padding and dilation): output
    /// channel `c·multiplier + m` is input channel `c` correlated with `filter[:, :, c, m]`
    /// (`[KH, KW, C, multiplier]`) plus its bias; taps outside the image read 0.
    func depthwiseConvolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                              plan: DepthwiseConvolutionKernel.Plan, _ output: UnsafeMutablePointer<Float>)

    /// The gradients of `depthwiseConvolution` from `outputGradient`: each non-nil target is overwritten.
    func depthwiseConvolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
                                      outputGradient: UnsafePointer<Float>, plan: DepthwiseConvolutionKernel.Plan,
                                      inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                                      biasGradient: UnsafeMutablePointer<Float>?)

    /// Max pooling over the window elements inside the image (0 for a window with none). `winners`
    /// receives per output value the spatial index `row·inputWidth + column` of the first maximal
    /// element as the bit pattern of a UInt32 stored in a Float (`UInt32.max` for an empty window).
    func maxPool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>,
                 winners: UnsafeMutablePointer<Float>)

    /// Sends each output gradient to its window's winner (`dx` is overwritten).
    func maxPoolBackward(_ dy: UnsafePointer<Float>, winners: UnsafePointer<Float>, geometry: WindowGeometry,
                         _ dx: UnsafeMutablePointer<Float>)

    /// Average pooling over the window elements inside the image (divided by their number).
    func averagePool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>)

    /// Spreads each output gradient evenly over its window's elements inside the image (`dx` is overwritten).
    func averagePoolBackward(_ dy: UnsafePointer<Float>, geometry: WindowGeometry, _ dx: UnsafeMutablePointer<Float>)

    // MARK: Fused losses

    /// Per-sample values of `loss` (`values`, `[batch]`) and, when `derivative` is given, the
    /// derivative of each sample's value with respect to every prediction element (predictions' size).
    /// `layout` says how targets and predictions are laid out; sparse labels have been validated.
    func loss(_ loss: FusedLoss, targets: UnsafePointer<Float>, predictions: UnsafePointer<Float>, layout: LossLayout,
              values: UnsafeMutablePointer<Float>, derivative: UnsafeMutablePointer<Float>?)

    // MARK: Scheduling

    /// Runs the two matrix products of a dense layer's gradient (`flops` floating-point operations
    /// each); the default runs them one after the other.
    func runProductPair(flops: Int, _ first: () -> Void, _ second: () -> Void)
}

extension HostKernels {
    func runProductPair(flops: Int, _ first: () -> Void, _ second: () -> Void) {
        first()
        second()
    }
}

/// How the operands of a fused loss are laid out: `batch` samples, each of `positions` rows of
/// `classes` prediction values (elementwise losses: `positions = 1`, `classes` = values per sample).
struct LossLayout: Equatable {
    let batch: Int
    let positions: Int
    let classes: Int
}

/// Storage of one elementwise optimizer update over `count` elements.
struct UpdateOperands {
    let count: Int
    let parameter: UnsafePointer<Float>
    let gradient: UnsafePointer<Float>
    /// The slots in the rule's order.
    let slots: [UnsafePointer<Float>]
    let newParameter: UnsafeMutablePointer<Float>
    let newSlots: [UnsafeMutablePointer<Float>]

    /// The same operands restricted to `range` (pointers moved to its start).
    func restricted(to range: Range<Int>) -> UpdateOperands {
        let start = range.lowerBound
        return UpdateOperands(count: range.count, parameter: parameter + start, gradient: gradient + start,
                              slots: slots.map { $0 + start }, newParameter: newParameter + start,
                              newSlots: newSlots.map { $0 + start })
    }
}
