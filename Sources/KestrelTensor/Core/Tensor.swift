/// An n-dimensional array of Float32 values in row-major order (images are NHWC), with
/// reverse-mode automatic differentiation.
///
/// A tensor's values never change after it is made (operations return new tensors), so tensors are
/// cheap to copy and safe to share between threads. A tensor that takes part in a differentiated
/// computation carries a `GradientNode` that records how it was computed.
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension; empty for a scalar.
    public let shape: [Int]
    /// The storage on its device, shared between tensors that differ only in shape (reshape) or
    /// gradient tracking. Internal: only the device's backend touches the values. Replaced or rewritten
    /// only by `update(by:gradient:slots:)`, which writes in place only while this tensor alone holds it.
    var storage: any DeviceStorage
    /// How this tensor was computed, when it takes part in differentiation.
    public internal(set) var gradientNode: GradientNode?

    /// Wraps existing storage; `storage.count` must equal the product of `shape`.
    init(shape: [Int], storage: any DeviceStorage) {
        self.shape = shape
        self.storage = storage
        self.gradientNode = nil
    }

    /// Makes a tensor from values in row-major order, on the current device (`EngineConfiguration.device`).
    public init(shape: [Int], scalars: [Float]) throws {
        try Tensor.validate(shape: shape)
        let count = Tensor.elementCount(shape)
        guard scalars.count == count else {
            throw KestrelError.shapeMismatch(
                "Tensor(shape: \(shape), scalars:) needs \(count) values for shape \(shape) but got \(scalars.count).")
        }
        self.init(shape: shape, storage: Device.current.backend.upload(scalars))
    }

    /// A tensor of `shape` whose values `write` stores into host memory it is given (every element),
    /// for readers that write floats themselves (libhdf5's `H5Dread`): one transfer to the current
    /// device and no intermediate array. Throws for an invalid or too large shape, and what `write` throws.
    public init(shape: [Int], writingHostValues write: HostValueWriter) throws {
        try Tensor.validate(shape: shape)
        self.init(shape: shape, storage: try Device.current.backend.upload(count: Tensor.elementCount(shape), writing: write))
    }

    /// Makes a rank-1 tensor from values.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], storage: Device.current.backend.upload(scalars))
    }

    /// Makes a rank-2 tensor from rows of equal length.
    public init(_ rows: [[Float]]) throws {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            throw KestrelError.shapeMismatch("Tensor(rows): every row must have \(columns) values; row lengths are \(rows.map(\.count)).")
        }
        try self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// Makes a rank-3 tensor from nested arrays of equal lengths.
    public init(_ planes: [[[Float]]]) throws {
        let rows = planes.first?.count ?? 0
        let columns = planes.first?.first?.count ?? 0
        guard planes.allSatisfy({ $0.count == rows && $0.allSatisfy { $0.count == columns } }) else {
            throw KestrelError.shapeMismatch("Tensor(planes): nested arrays must all be \(rows)×\(columns).")
        }
        try self.init(shape: [planes.count, rows, columns], scalars: planes.flatMap { $0.flatMap { $0 } })
    }

    /// Makes a scalar (rank-0) tensor.
    public init(scalar: Float) {
        self = Tensor.filled([], value: scalar, on: Device.current)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { storage.count }
    /// The device the values live on (operations run there).
    public var device: Device { storage.device }
    /// The backend of this tensor's device, which runs its operations.
    var backend: any KernelBackend { storage.device.backend }
    /// All values in row-major order (copied to the host).
    public var scalars: [Float] { backend.download(storage) }
    /// The only value of a one-element tensor (copied to the host).
    public var scalar: Float? { count == 1 ? backend.download(storage)[0] : nil }

    /// Whether gradients flow back through this tensor.
    public var requiresGradient: Bool { gradientNode != nil }

    /// The same values without gradient tracking.
    public var detached: Tensor { Tensor(shape: shape, storage: storage) }

    /// The same values as a new leaf of differentiation: `gradient(of:wrt:)` can differentiate with respect to it.
    public func requiringGradient() -> Tensor {
        var leaf = detached
        leaf.gradientNode = GradientNode(leafShape: shape, device: device)
        return leaf
    }

    /// A copy with its own storage on the same device.
    public func copy() -> Tensor {
        let result = backend.makeStorage(count: count)
        backend.copyBlocks(from: storage, offset: 0, stride: 0, to: result, offset: 0, stride: 0, blocks: 1, length: count)
        return Tensor(shape: shape, storage: result)
    }

    /// The same values on `device`: this tensor when it is there already, else a copy made by an
    /// explicit transfer (through the host when neither end is the host). Gradients flow back to the
    /// original device.
    public func to(_ device: Device) -> Tensor {
        guard device != self.device else { return self }
        let moved = Tensor(shape: shape, storage: device.backend.upload(scalars))
        let source = self.device
        return Tensor.record(moved, inputs: [self]) { gradient, _ in [gradient.to(source)] }
    }

    /// The backend of `tensors`' one device; throws, naming the devices and the fix, when they differ.
    /// `operation` is only formed for the error (describing a loss costs more than a small kernel).
    static func backend(of tensors: [Tensor], operation: @autoclosure () -> String) throws -> any KernelBackend {
        let first = tensors[0].device
        if let other = tensors.first(where: { $0.device != first })?.device {
            throw KestrelError.invalidArgument(
                "\(operation()): the operands are on different devices (\(first) and \(other)); move one first, e.g. tensor.to(.\(first)).")
        }
        return first.backend
    }

    /// Makes a tensor from bytes, each value `Float(byte) · scale` (8-bit images and labels);
    /// `bytes.count` must equal the product of `shape`.
    public init(shape: [Int], bytes: [UInt8], scale: Float = 1) throws {
        try Tensor.validate(shape: shape)
        let count = Tensor.elementCount(shape)
        guard bytes.count == count else {
            throw KestrelError.shapeMismatch(
                "Tensor(shape: \(shape), bytes:) needs \(count) values for shape \(shape) but got \(bytes.count).")
        }
        self.init(shape: shape, storage: Device.current.backend.upload(bytes: bytes, scale: scale))
    }

    /// The most bytes one tensor may hold: this machine's physical memory. Loaders that build large
    /// tensors check their sizes against it before reading data.
    public static var maximumStorageBytes: Int { TensorBuffer.maximumBytes }

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The number of elements of `shape`, or nil when it is negative or overflows `Int`
    /// (for shapes read from files, specs and arguments). A zero dimension does not hide the
    /// others: `[0, 2^62, 2^62]` is nil too, since a sample's size, strides and any product of the
    /// other dimensions would overflow.
    public static func checkedElementCount(_ shape: [Int]) -> Int? {
        var nonZeroProduct = 1
        var hasZero = false
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            if dimension == 0 { hasZero = true; continue }
            let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            nonZeroProduct = product
        }
        return hasZero ? 0 : nonZeroProduct
    }

    /// Throws unless an operation's result of `shape` (computed from existing tensors, so its
    /// dimensions are valid) fits in memory: results larger than their operands (broadcasts, products,
    /// convolutions, gathers) are checked before the engine allocates them.
    static func checkResult(_ shape: [Int], operation: String) throws {
        guard let count = checkedElementCount(shape) else {
            throw KestrelError.shapeMismatch("\(operation): a result of shape \(shape) has too many elements to store.")
        }
        if count > 1 << 24 { try TensorBuffer.checkAllocation(count: count, what: "\(operation): a result of shape \(shape)") }
    }

    static func validate(shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw KestrelError.shapeMismatch("Shape \(shape) has a negative dimension; every dimension must be ≥ 0.")
        }
        guard let total = checkedElementCount(shape) else {
            throw KestrelError.shapeMismatch("Shape \(shape) has too many elements to store.")
        }
        try TensorBuffer.checkAllocation(count: total, what: "A tensor of shape \(shape)")
    }
}
