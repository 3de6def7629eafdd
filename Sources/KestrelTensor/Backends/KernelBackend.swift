/// Storage on some device, as a backend's requirements take and return it.
typealias Storage = any DeviceStorage

/// Everything a device's backend provides: allocation, transfers to and from the host, the loops that
/// move and create elements, and the compute kernels. Operations (in `Operations/`, `Convolution/`,
/// `Autodiff/`) check shapes and arguments, take the backend from their operands' device
/// (`Tensor.backend`) and make their calls into it; nothing outside `Backends/` touches elements.
/// Docs/Backends.md lists each requirement's contract and what a new backend (CUDA) must provide.
///
/// Every storage passed in lives on `device` (operations check before calling). Outputs are fresh
/// storage from `makeStorage` (never aliasing an input, except the in-place optimizer update) that the
/// kernel overwrites entirely; kernels
/// never throw and never trap on values (NaN and infinities propagate). The compute kernels' formulas
/// are documented on `HostKernels`, the host version of the same requirements.
protocol KernelBackend: Sendable {
    /// The device whose storage this backend owns.
    var device: Device { get }

    // MARK: Memory and transfers

    /// Uninitialised storage for `count` elements; sizes no larger than existing tensors or checked
    /// with `Tensor.checkResult` (it does not throw).
    func makeStorage(count: Int) -> Storage
    /// Uninitialised storage for `count` elements; throws when the size is too large or allocation fails.
    func makeStorage(checkedCount count: Int) throws -> Storage
    /// Elements `offset..<offset + count` of `storage` without copying (a row slice).
    func view(_ storage: Storage, offset: Int, count: Int) -> Storage
    /// Whether this reference is the only one to `storage` (no other tensor, copy or view holds it).
    func isOnlyHolder(_ storage: inout Storage) -> Bool
    /// Whether `storage` alone reaches its memory: it is not a view and no view of it was ever made.
    /// With one tensor holding `storage` (checked by the caller), such storage may be updated in place.
    func ownsItsMemoryAlone(_ storage: Storage) -> Bool
    /// New storage holding `scalars` (a transfer from the host).
    func upload(_ scalars: [Float]) -> Storage
    /// New storage holding `Float(byte) · scale` for each byte (a transfer from the host).
    func upload(bytes: [UInt8], scale: Float) -> Storage
    /// New storage of `count` elements that `write` fills in host memory (a transfer from the host;
    /// in place on a host device): how a file reader fills a tensor without an intermediate array.
    func upload(count: Int, writing write: HostValueWriter) throws -> Storage
    /// The values of `storage` on the host (a transfer to the host).
    func download(_ storage: Storage) -> [Float]

    // MARK: Creation and data movement

    /// Writes `value` into every element.
    func fill(_ storage: Storage, value: Float)
    /// Writes `start + i·step` into element `i`.
    func arange(_ storage: Storage, start: Float, step: Float)
    /// Fills `storage` with draws from `distribution`, element after element from `generator`.
    func random(_ storage: Storage, _ distribution: RandomDistribution, generator: inout RandomGenerator)
    /// For `block < blocks`: copies `length` elements from `source` at `sourceOffset + block·sourceStride`
    /// to `target` at `targetOffset + block·targetStride` (slicing, concatenation and their gradients).
    func copyBlocks(from source: Storage, offset sourceOffset: Int, stride sourceStride: Int,
                    to target: Storage, offset targetOffset: Int, stride targetStride: Int, blocks: Int, length: Int)
    /// `y` = `x` (shape `shape`) with its axes reordered: output axis `i` is input axis `axes[i]`.
    func permute(_ x: Storage, shape: [Int], axes: [Int], _ y: Storage)
    /// Row `indices[i]` of `x` (rows of `rowSize` elements) into row `i` of `y`.
    func gatherRows(_ x: Storage, rowSize: Int, indices: [Int], _ y: Storage)
    /// Row `i` of `dy` added into row `indices[i]` of `dx` (which holds values already).
    func scatterAddRows(_ dy: Storage, rowSize: Int, indices: [Int], _ dx: Storage)
    /// Image `i` of `x` resampled through `maps[i]` (output → input coordinates) into image `i` of `y`
    /// (`Tensor.resampled`: the geometric augmentations).
    func resample(_ x: Storage, _ shape: ImageShape, maps: [AffineTransform], fillMode: FillMode, fillValue: Float,
                  interpolation: Interpolation, _ y: Storage)
    /// `y[i] = transform(x[i])` with a host closure (`Tensor.mapped`: a device backend copies to the
    /// host and back, counting both transfers).
    func map(_ x: Storage, _ y: Storage, _ transform: (Float) -> Float)
    /// The index of the first NaN or ±Inf element, or nil.
    func firstNonFiniteIndex(_ x: Storage) -> Int?
    /// The index of the first element that is not an integer in `0..<classes`, or nil (label checks).
    func firstInvalidClassIndex(_ labels: Storage, classes: Int) -> Int?

    // MARK: Compute kernels (see HostKernels for each formula)

    /// One optimizer step of `rule` over `operands`. An output may be its own input (`newParameter`
    /// identical to `parameter`, `newSlots[i]` to `slots[i]`: the in-place update of
    /// `Tensor.update(by:gradient:slots:)`): the kernel then rewrites that storage, each element read
    /// before it is written, and gives it a new version (so values derived from the old ones, such as a
    /// cached Winograd kernel, are never served again).
    func update(_ rule: UpdateRule, _ operands: UpdateStorage)
    /// `y[i] = op(x[i])`.
    func unary(_ op: UnaryKernel, _ x: Storage, _ y: Storage, count: Int)
    /// `out = op(a, b)` with NumPy broadcasting.
    func binary(_ op: BinaryKernel, _ a: Storage, shapeA: [Int], _ b: Storage, shapeB: [Int], _ out: Storage,
                outputShape: [Int])
    /// Sum, maximum or minimum along the middle axis; `winners` (elements holding Int32 indices) for max/min.
    func reduce(_ kind: ReductionKind, _ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage, winners: Storage?)
    /// The input gradient of `reduce`.
    func reduceBackward(_ kind: ReductionKind, _ dy: Storage, winners: Storage?, outer: Int, length: Int, inner: Int,
                        _ dx: Storage)
    /// `Σx²` in Double (a value returned to the host).
    func sumOfSquares(_ x: Storage, count: Int) -> Double
    /// Index of the first largest value along the middle axis, as Float.
    func argmax(_ x: Storage, outer: Int, length: Int, inner: Int, _ out: Storage)
    /// 1 where the target class is among the `k` largest scores of its row.
    func inTopK(_ predictions: Storage, rows: Int, classes: Int, targets: Storage, k: Int, _ out: Storage)
    /// Softmax or log-softmax along the middle axis.
    func softmax(_ x: Storage, _ y: Storage, outer: Int, length: Int, inner: Int, log: Bool)
    /// The input gradient of `softmax`.
    func softmaxBackward(_ y: Storage, _ dy: Storage, _ dx: Storage, outer: Int, length: Int, inner: Int, log: Bool)
    /// `batch` products `C[i] = op(A[i])·op(B[i])` (+ bias per row) of matrices stored one after another.
    func gemm(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: Storage, _ b: Storage,
              _ c: Storage, bias: Storage?)
    /// The gradients of `x·weight` (x `[m, k]`, weight `[k, n]`) from `dy` (`[m, n]`): `dx = dy·weightᵀ`
    /// and `dweight = xᵀ·dy`, each computed when its target is given.
    func affineBackward(_ dy: Storage, x: Storage, weight: Storage, m: Int, n: Int, k: Int, dx: Storage?, dweight: Storage?)
    /// 2-D cross-correlation (NHWC, filter `[KH, KW, Cin, Cout]`) plus bias, then `max(0, ·)` when `relu`.
    func convolution(_ input: Storage, filter: Storage, bias: Storage?, geometry: WindowGeometry, outputChannels: Int,
                     relu: Bool, _ output: Storage)
    /// The gradients of `convolution`; each given target is overwritten. With `reluOutput` (the output of a
    /// `relu: true` convolution) `outputGradient` is that output's gradient, masked where it is not positive.
    func convolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage, reluOutput: Storage?,
                             geometry: WindowGeometry, outputChannels: Int, targets: FilterGradientTargets)
    /// Depthwise 2-D cross-correlation plus bias.
    func depthwiseConvolution(_ input: Storage, filter: Storage, bias: Storage?, plan: DepthwiseConvolutionKernel.Plan,
                              _ output: Storage)
    /// The gradients of `depthwiseConvolution`; each given target is overwritten.
    func depthwiseConvolutionBackward(_ input: Storage, filter: Storage, outputGradient: Storage,
                                      plan: DepthwiseConvolutionKernel.Plan, targets: FilterGradientTargets)
    /// Max pooling; `winners` receives each window's winning spatial index.
    func maxPool(_ input: Storage, geometry: WindowGeometry, _ output: Storage, winners: Storage)
    /// Sends each output gradient to its window's winner.
    func maxPoolBackward(_ dy: Storage, winners: Storage, geometry: WindowGeometry, _ dx: Storage)
    /// Average pooling over the window elements inside the image.
    func averagePool(_ input: Storage, geometry: WindowGeometry, _ output: Storage)
    /// Spreads each output gradient over its window's elements.
    func averagePoolBackward(_ dy: Storage, geometry: WindowGeometry, _ dx: Storage)
    /// Per-sample values of a fused loss and, when given, the derivative with respect to every prediction.
    func loss(_ loss: FusedLoss, targets: Storage, predictions: Storage, layout: LossLayout, values: Storage,
              derivative: Storage?)
}

/// The storage of one optimizer update over `count` elements (see `UpdateOperands`).
struct UpdateStorage {
    let count: Int
    let parameter: Storage
    let gradient: Storage
    /// The slots in the rule's order.
    let slots: [Storage]
    let newParameter: Storage
    let newSlots: [Storage]
}

/// The gradients a filter operation's backward kernel writes: nil for a gradient not needed.
struct FilterGradientTargets {
    let input: Storage?
    let filter: Storage?
    let bias: Storage?
}

/// A distribution `KernelBackend.random` draws from.
enum RandomDistribution: Equatable {
    /// `mean + standardDeviation · z` for a standard normal `z`.
    case normal(mean: Float, standardDeviation: Float)
    /// The same, with `z` redrawn while `|z| > 2` (Keras's `TruncatedNormal`).
    case truncatedNormal(mean: Float, standardDeviation: Float)
    /// `low + width · u` for `u` uniform in [0, 1).
    case uniform(low: Float, width: Float)
    /// 0 with probability `rate`, else `keep` (an inverted-dropout mask).
    case dropout(rate: Float, keep: Float)
}
