#if OneDNN
import CDNNL
import Synchronization

/// Convolution passes on oneDNN's primitives (Debian's libdnnl, oneDNN 2.6; the `OneDNN` package trait),
/// a unit the CPU backend's convolution plan can choose per shape and pass instead of im2col + OpenBLAS.
///
/// A primitive is made the first time its shape, pass, variant and thread count are met and is reused
/// from then on (oneDNN sizes its blocking for the thread count, so that is part of the key). A
/// primitive that oneDNN cannot make is remembered as such, and that pass runs on im2col: the entry
/// points return what they did not compute, never trap.
///
/// Threads: Debian's oneDNN runs on GNU OpenMP; each run sets the calling thread's OpenMP thread count to
/// `EngineConfiguration.current.threadCount`, the count Kestrel's own kernels use. Kestrel's worker pool
/// is idle while a oneDNN primitive runs (the calling thread waits for it), so the two never share the
/// cores at once; their spinning threads may overlap briefly after a pass.
///
/// `@unchecked Sendable`: the engine handle is created once and only read (oneDNN engines are
/// thread-safe); the cache is behind a mutex; the primitives are `Sendable` themselves.
package final class OneDNNConvolution: @unchecked Sendable {
    /// The one instance: its engine and its primitive cache live as long as the process.
    static let shared = OneDNNConvolution()

    /// The route for the calling task: `.measured` unless a benchmark or test chooses another.
    @TaskLocal package static var route: OneDNNConvolutionRoute = .measured

    /// What a primitive is made for.
    struct Key: Hashable {
        let batch, inputHeight, inputWidth, channels, windowHeight, windowWidth: Int
        let strideHeight, strideWidth, padTop, padLeft, padBottom, padRight: Int
        let outputHeight, outputWidth, outputChannels: Int
        let pass: OneDNNConvolutionPass
        let variant: OneDNNConvolutionVariant
        let bias: Bool
        let threads: Int

        init(_ g: WindowGeometry, outputChannels: Int, pass: OneDNNConvolutionPass, variant: OneDNNConvolutionVariant,
             bias: Bool, threads: Int) {
            (batch, inputHeight, inputWidth, channels) = (g.batch, g.inputHeight, g.inputWidth, g.channels)
            (windowHeight, windowWidth, strideHeight, strideWidth) = (g.windowHeight, g.windowWidth, g.strideHeight, g.strideWidth)
            (padTop, padLeft, outputHeight, outputWidth) = (g.padTop, g.padLeft, g.outputHeight, g.outputWidth)
            // oneDNN wants the padding after the last row/column too; 'valid' windows may leave input unread (≤ 0).
            padBottom = Swift.max(0, (g.outputHeight - 1) * g.strideHeight + g.windowHeight - g.inputHeight - g.padTop)
            padRight = Swift.max(0, (g.outputWidth - 1) * g.strideWidth + g.windowWidth - g.inputWidth - g.padLeft)
            self.outputChannels = outputChannels
            (self.pass, self.variant, self.bias, self.threads) = (pass, variant, bias, threads)
        }
    }

    /// oneDNN's CPU engine; nil when oneDNN could not create one (then every pass runs on im2col).
    private let engine: dnnl_engine_t?
    private let primitives = Mutex<[Key: Result<OneDNNPrimitive, any Error>]>([:])

    private init() {
        var engine: dnnl_engine_t?
        self.engine = dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success ? engine : nil
    }

    deinit { if let engine { dnnl_engine_destroy(engine) } }

    /// Computes the forward convolution when the route gives this shape to oneDNN; false when the caller
    /// must run im2col (not chosen, or no primitive).
    func forward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 geometry: WindowGeometry, outputChannels: Int, _ output: UnsafeMutablePointer<Float>) -> Bool {
        var buffers: [Int32: UnsafeMutableRawPointer] = [
            DNNL_ARG_SRC: UnsafeMutableRawPointer(mutating: input), DNNL_ARG_WEIGHTS: UnsafeMutableRawPointer(mutating: filter),
            DNNL_ARG_DST: UnsafeMutableRawPointer(output),
        ]
        if let bias { buffers[DNNL_ARG_BIAS] = UnsafeMutableRawPointer(mutating: bias) }
        return run(geometry, outputChannels: outputChannels, pass: .forward, bias: bias != nil, buffers: buffers)
    }

    /// Computes the gradients the route gives to oneDNN and returns the targets it left for im2col
    /// (nil where done or not asked for). The bias gradient goes with the kernel gradient.
    func backward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  geometry: WindowGeometry, outputChannels: Int, inputGradient: UnsafeMutablePointer<Float>?,
                  filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?)
        -> (input: UnsafeMutablePointer<Float>?, filter: UnsafeMutablePointer<Float>?, bias: UnsafeMutablePointer<Float>?) {
        var remaining = (input: inputGradient, filter: filterGradient, bias: biasGradient)
        let dY = UnsafeMutableRawPointer(mutating: outputGradient)
        if let inputGradient, run(geometry, outputChannels: outputChannels, pass: .inputGradient, bias: false, buffers: [
            DNNL_ARG_DIFF_DST: dY, DNNL_ARG_WEIGHTS: UnsafeMutableRawPointer(mutating: filter),
            DNNL_ARG_DIFF_SRC: UnsafeMutableRawPointer(inputGradient),
        ]) {
            remaining.input = nil
        }
        if let filterGradient {
            var buffers: [Int32: UnsafeMutableRawPointer] = [
                DNNL_ARG_SRC: UnsafeMutableRawPointer(mutating: input), DNNL_ARG_DIFF_DST: dY,
                DNNL_ARG_DIFF_WEIGHTS: UnsafeMutableRawPointer(filterGradient),
            ]
            if let biasGradient { buffers[DNNL_ARG_DIFF_BIAS] = UnsafeMutableRawPointer(biasGradient) }
            if run(geometry, outputChannels: outputChannels, pass: .filterGradient, bias: biasGradient != nil, buffers: buffers) {
                (remaining.filter, remaining.bias) = (nil, nil)
            }
        }
        return remaining
    }

    /// oneDNN's implementation name for a convolution of these shapes (`filterShape` `[KH, KW, Cin, Cout]`) in
    /// `pass` and `variant` on the current thread count, making (and caching) its primitive; throws
    /// oneDNN's reason when it has none. For benchmarks and tests.
    package static func implementation(inputShape: [Int], filterShape: [Int], strides: (Int, Int), padding: Padding,
                                       pass: OneDNNConvolutionPass, variant: OneDNNConvolutionVariant, bias: Bool) throws -> String {
        guard filterShape.count == 4 else { throw KestrelError.shapeMismatch("oneDNN: filter shape \(filterShape) must have rank 4.") }
        let geometry = try WindowGeometry(operation: "oneDNN convolution", inputShape: inputShape,
                                          window: (filterShape[0], filterShape[1]), strides: strides, padding: padding)
        let key = Key(geometry, outputChannels: filterShape[3], pass: pass, variant: variant, bias: bias,
                      threads: EngineConfiguration.current.threadCount)
        let primitive = try shared.primitive(for: key)
        return primitive.implementation + (primitive.reorders ? " + reorders" : "")
    }

    /// Runs `pass` on oneDNN when the route picks a variant for it and its primitive exists and runs.
    private func run(_ geometry: WindowGeometry, outputChannels: Int, pass: OneDNNConvolutionPass, bias: Bool,
                     buffers: [Int32: UnsafeMutableRawPointer]) -> Bool {
        let threads = EngineConfiguration.current.threadCount
        let variant: OneDNNConvolutionVariant
        switch OneDNNConvolution.route {
        case .im2col: return false
        case .oneDNN(let chosen): variant = chosen
        case .measured:
            guard let measured = OneDNNConvolution.measuredVariant(geometry, outputChannels: outputChannels, pass: pass,
                                                                   threads: threads) else { return false }
            variant = measured
        }
        let key = Key(geometry, outputChannels: outputChannels, pass: pass, variant: variant, bias: bias, threads: threads)
        guard let engine, let primitive = try? primitive(for: key) else { return false }
        return (try? primitive.execute(engine: engine, buffers: buffers, threads: threads)) != nil
    }

    /// The cached primitive for `key`, made on first use; a failure is cached and thrown again.
    private func primitive(for key: Key) throws -> OneDNNPrimitive {
        try primitives.withLock { cache in
            if let known = cache[key] { return try known.get() }
            let made = Result { try makePrimitive(key) }
            cache[key] = made
            return try made.get()
        }
    }

    /// Makes the primitive for `key`: Kestrel's layouts outside, `key.variant`'s inside.
    private func makePrimitive(_ key: Key) throws -> OneDNNPrimitive {
        guard let engine else { throw OneDNNPrimitive.failure("no CPU engine") }
        omp_set_num_threads(Int32(clamping: key.threads))
        let (n, cin, cout) = (key.batch, key.channels, key.outputChannels)
        let srcDims = [n, cin, key.inputHeight, key.inputWidth], dstDims = [n, cout, key.outputHeight, key.outputWidth]
        let weightDims = [cout, cin, key.windowHeight, key.windowWidth]
        let (srcUser, dstUser) = (try layout(srcDims, dnnl_nhwc), try layout(dstDims, dnnl_nhwc))
        let (weightsUser, biasUser) = (try layout(weightDims, dnnl_hwio), try layout([cout], dnnl_a))
        let free = key.variant.layout == .any
        var src = free ? try layout(srcDims, dnnl_format_tag_any) : srcUser
        var dst = free ? try layout(dstDims, dnnl_format_tag_any) : dstUser
        var weights = try layout(weightDims, dnnl_format_tag_any)
        var bias = biasUser
        let strides: [Int64] = [Int64(key.strideHeight), Int64(key.strideWidth)]
        let before: [Int64] = [Int64(key.padTop), Int64(key.padLeft)], after: [Int64] = [Int64(key.padBottom), Int64(key.padRight)]
        let algorithm = switch key.variant.algorithm {
        case .direct: dnnl_convolution_direct
        case .winograd: dnnl_convolution_winograd
        case .automatic: dnnl_convolution_auto
        }
        var forward = dnnl_convolution_desc_t()
        try withUnsafePointer(to: &bias) { biasPointer in
            try OneDNNPrimitive.check(dnnl_convolution_forward_desc_init(
                &forward, dnnl_forward_training, algorithm, &src, &weights, key.bias ? biasPointer : nil, &dst,
                strides, before, after), "convolution_forward_desc_init")
        }
        switch key.pass {
        case .forward:
            var arguments: [(index: Int32, isOutput: Bool, user: dnnl_memory_desc_t)] = [
                (DNNL_ARG_SRC, false, srcUser), (DNNL_ARG_WEIGHTS, false, weightsUser), (DNNL_ARG_DST, true, dstUser)]
            if key.bias { arguments.append((DNNL_ARG_BIAS, false, biasUser)) }
            return try OneDNNPrimitive(engine: engine, descriptor: &forward, hint: nil, arguments: arguments)
        case .inputGradient, .filterGradient:
            var hint: dnnl_primitive_desc_t?
            try OneDNNPrimitive.check(dnnl_primitive_desc_create(&hint, &forward, nil, engine, nil), "primitive_desc_create (forward hint)")
            defer { dnnl_primitive_desc_destroy(hint) }
            var backward = dnnl_convolution_desc_t()
            if key.pass == .inputGradient {
                try OneDNNPrimitive.check(dnnl_convolution_backward_data_desc_init(
                    &backward, algorithm, &src, &weights, &dst, strides, before, after), "convolution_backward_data_desc_init")
                return try OneDNNPrimitive(engine: engine, descriptor: &backward, hint: hint, arguments: [
                    (DNNL_ARG_DIFF_DST, false, dstUser), (DNNL_ARG_WEIGHTS, false, weightsUser), (DNNL_ARG_DIFF_SRC, true, srcUser)])
            }
            try withUnsafePointer(to: &bias) { biasPointer in
                try OneDNNPrimitive.check(dnnl_convolution_backward_weights_desc_init(
                    &backward, algorithm, &src, &weights, key.bias ? biasPointer : nil, &dst, strides, before, after),
                    "convolution_backward_weights_desc_init")
            }
            var arguments: [(index: Int32, isOutput: Bool, user: dnnl_memory_desc_t)] = [
                (DNNL_ARG_SRC, false, srcUser), (DNNL_ARG_DIFF_DST, false, dstUser), (DNNL_ARG_DIFF_WEIGHTS, true, weightsUser)]
            if key.bias { arguments.append((DNNL_ARG_DIFF_BIAS, true, biasUser)) }
            return try OneDNNPrimitive(engine: engine, descriptor: &backward, hint: hint, arguments: arguments)
        }
    }

    /// A float32 memory layout of logical dimensions `dimensions` (oneDNN's order: N, C, H, W) with `tag`.
    private func layout(_ dimensions: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let sizes = dimensions.map { Int64($0) }
        try OneDNNPrimitive.check(dnnl_memory_desc_init_by_tag(&descriptor, Int32(sizes.count), sizes, dnnl_f32, tag),
                                  "memory_desc_init_by_tag")
        return descriptor
    }
}
#else
/// Without the `OneDNN` package trait: no oneDNN, every convolution pass runs on im2col.
package final class OneDNNConvolution: Sendable {
    /// The one instance.
    static let shared = OneDNNConvolution()
    /// The route for the calling task (ignored: there is no oneDNN).
    @TaskLocal package static var route: OneDNNConvolutionRoute = .measured

    /// Always false: the caller runs im2col.
    func forward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 geometry: WindowGeometry, outputChannels: Int, _ output: UnsafeMutablePointer<Float>) -> Bool { false }

    /// Leaves every target to im2col.
    func backward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  geometry: WindowGeometry, outputChannels: Int, inputGradient: UnsafeMutablePointer<Float>?,
                  filterGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?)
        -> (input: UnsafeMutablePointer<Float>?, filter: UnsafeMutablePointer<Float>?, bias: UnsafeMutablePointer<Float>?) {
        (inputGradient, filterGradient, biasGradient)
    }

    /// Throws: this build has no oneDNN.
    package static func implementation(inputShape: [Int], filterShape: [Int], strides: (Int, Int), padding: Padding,
                                       pass: OneDNNConvolutionPass, variant: OneDNNConvolutionVariant, bias: Bool) throws -> String {
        throw KestrelError.invalidState("oneDNN: Kestrel was built without the OneDNN package trait (swift build --traits OneDNN).")
    }
}
#endif
