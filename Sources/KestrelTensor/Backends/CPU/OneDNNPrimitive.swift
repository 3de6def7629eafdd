#if OneDNN
import CDNNL

/// One oneDNN primitive made for one convolution shape, pass and variant, with the reorders between
/// Kestrel's layouts (NHWC images, `[KH, KW, Cin, Cout]` kernels) and the layouts the primitive works in.
///
/// `@unchecked Sendable`: a oneDNN primitive does not change once created and may run on several
/// threads at once when each run brings its own memory objects, stream and scratchpad (the
/// scratchpad mode here is `user`), which `execute` does; the handles are destroyed only in `deinit`.
final class OneDNNPrimitive: @unchecked Sendable {
    /// One argument: its layout in Kestrel's buffer and in the primitive, and the reorder between the
    /// two (nil when they are the same).
    struct Argument {
        /// oneDNN's argument index (`DNNL_ARG_SRC`, …).
        let index: Int32
        /// Whether the primitive writes it (the reorder then runs after the primitive).
        let isOutput: Bool
        /// Its layout in Kestrel's buffer.
        let user: dnnl_memory_desc_t
        /// Its layout in the primitive.
        let inner: dnnl_memory_desc_t
        /// user → inner for an input, inner → user for an output.
        let reorder: dnnl_primitive_t?
        /// Bytes of the inner layout (padded blocks included).
        let innerBytes: Int
    }

    private let primitive: dnnl_primitive_t
    private let arguments: [Argument]
    private let scratchpad: dnnl_memory_desc_t
    private let scratchpadBytes: Int
    /// oneDNN's name of the implementation it chose (e.g. `jit:avx512_core`, `gemm:jit`, `ref:any`).
    let implementation: String
    /// Whether some argument is reordered on every run.
    var reorders: Bool { arguments.contains { $0.reorder != nil } }

    /// Creates the primitive that `descriptor` describes on `engine` (with `hint`, the forward primitive
    /// descriptor, for a backward pass) and the reorders its `arguments` (index, written?, Kestrel layout) need.
    init(engine: dnnl_engine_t, descriptor: inout dnnl_convolution_desc_t, hint: dnnl_primitive_desc_t?,
         arguments requested: [(index: Int32, isOutput: Bool, user: dnnl_memory_desc_t)]) throws {
        let descriptorHandle = try OneDNNPrimitive.descriptor(engine: engine, &descriptor, hint: hint)
        defer { dnnl_primitive_desc_destroy(descriptorHandle) }
        var made: [dnnl_primitive_t] = []
        var finished = false
        defer { if !finished { made.forEach { dnnl_primitive_destroy($0) } } }
        var arguments: [Argument] = []
        for (index, isOutput, user) in requested {
            guard let innerPointer = dnnl_primitive_desc_query_md(descriptorHandle, dnnl_query_exec_arg_md, index) else {
                throw OneDNNPrimitive.failure("query of argument \(index)'s layout")
            }
            var (user, inner) = (user, innerPointer.pointee)
            var reorder: dnnl_primitive_t?
            if dnnl_memory_desc_equal(&user, &inner) == 0 {
                let between = try isOutput ? OneDNNPrimitive.reorder(engine: engine, from: inner, to: user)
                    : OneDNNPrimitive.reorder(engine: engine, from: user, to: inner)
                made.append(between)
                reorder = between
            }
            arguments.append(Argument(index: index, isOutput: isOutput, user: user, inner: inner, reorder: reorder,
                                      innerBytes: dnnl_memory_desc_get_size(&inner)))
        }
        guard var scratchpad = dnnl_primitive_desc_query_md(descriptorHandle, dnnl_query_scratchpad_md, 0)?.pointee else {
            throw OneDNNPrimitive.failure("query of the scratchpad layout")
        }
        var primitive: dnnl_primitive_t?
        try OneDNNPrimitive.check(dnnl_primitive_create(&primitive, descriptorHandle), "primitive_create")
        guard let primitive else { throw OneDNNPrimitive.failure("primitive_create returned no primitive") }
        var name: UnsafePointer<CChar>?
        _ = dnnl_primitive_desc_query(descriptorHandle, dnnl_query_impl_info_str, 0, &name)
        implementation = name.map { String(cString: $0) } ?? "unknown"
        self.primitive = primitive
        self.arguments = arguments
        self.scratchpad = scratchpad
        scratchpadBytes = dnnl_memory_desc_get_size(&scratchpad)
        finished = true
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        for argument in arguments { if let reorder = argument.reorder { dnnl_primitive_destroy(reorder) } }
    }

    /// Runs the primitive on `threads` OpenMP threads over Kestrel's buffers, one per argument index:
    /// inputs are reordered into scratch buffers first and outputs out of them afterwards where the
    /// layouts differ.
    func execute(engine: dnnl_engine_t, buffers: [Int32: UnsafeMutableRawPointer], threads: Int) throws {
        omp_set_num_threads(Int32(clamping: threads))
        var stream: dnnl_stream_t?
        try OneDNNPrimitive.check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream_create")
        defer { dnnl_stream_destroy(stream) }
        var memories: [dnnl_memory_t] = []
        var scratch: [TensorBuffer] = []
        defer { memories.forEach { dnnl_memory_destroy($0) } }
        func memory(_ layout: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer) throws -> dnnl_memory_t {
            var layout = layout, memory: dnnl_memory_t?
            try OneDNNPrimitive.check(dnnl_memory_create(&memory, &layout, engine, pointer), "memory_create")
            guard let memory else { throw OneDNNPrimitive.failure("memory_create returned no memory") }
            memories.append(memory)
            return memory
        }
        func buffer(bytes: Int) -> UnsafeMutableRawPointer {
            let floats = TensorBuffer(count: (bytes + 3) / 4)
            scratch.append(floats)
            return UnsafeMutableRawPointer(floats.pointer)
        }
        var primitiveArguments: [dnnl_exec_arg_t] = []
        var outputReorders: [(reorder: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t)] = []
        for argument in arguments {
            guard let pointer = buffers[argument.index] else { throw OneDNNPrimitive.failure("no buffer for argument \(argument.index)") }
            let user = try memory(argument.user, pointer)
            guard let reorder = argument.reorder else {
                primitiveArguments.append(dnnl_exec_arg_t(arg: argument.index, memory: user))
                continue
            }
            let inner = try memory(argument.inner, buffer(bytes: argument.innerBytes))
            primitiveArguments.append(dnnl_exec_arg_t(arg: argument.index, memory: inner))
            if argument.isOutput {
                outputReorders.append((reorder, inner, user))
            } else {
                try OneDNNPrimitive.run(reorder, stream, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: user),
                                                          dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: inner)])
            }
        }
        if scratchpadBytes > 0 {
            primitiveArguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD,
                                                      memory: try memory(scratchpad, buffer(bytes: scratchpadBytes))))
        }
        try OneDNNPrimitive.run(primitive, stream, primitiveArguments)
        for (reorder, from, to) in outputReorders {
            try OneDNNPrimitive.run(reorder, stream, [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: from),
                                                      dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: to)])
        }
        try OneDNNPrimitive.check(dnnl_stream_wait(stream), "stream_wait")
        withExtendedLifetime(scratch) {}
    }

    /// The primitive descriptor for `descriptor` with a user-managed scratchpad.
    private static func descriptor(engine: dnnl_engine_t, _ descriptor: inout dnnl_convolution_desc_t,
                                   hint: dnnl_primitive_desc_t?) throws -> dnnl_primitive_desc_t {
        var attributes: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attributes), "primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attributes) }
        try check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
        var handle: dnnl_primitive_desc_t?
        try check(dnnl_primitive_desc_create(&handle, &descriptor, attributes, engine, hint), "primitive_desc_create")
        guard let handle else { throw failure("primitive_desc_create returned no descriptor") }
        return handle
    }

    /// A reorder primitive from layout `from` to layout `to`.
    private static func reorder(engine: dnnl_engine_t, from: dnnl_memory_desc_t, to: dnnl_memory_desc_t) throws -> dnnl_primitive_t {
        var (from, to) = (from, to)
        var descriptor: dnnl_primitive_desc_t?
        try check(dnnl_reorder_primitive_desc_create(&descriptor, &from, engine, &to, engine, nil), "reorder_primitive_desc_create")
        defer { dnnl_primitive_desc_destroy(descriptor) }
        var reorder: dnnl_primitive_t?
        try check(dnnl_primitive_create(&reorder, descriptor), "primitive_create (reorder)")
        guard let reorder else { throw failure("primitive_create returned no reorder") }
        return reorder
    }

    /// Runs `primitive` on `stream` with `arguments`.
    private static func run(_ primitive: dnnl_primitive_t, _ stream: dnnl_stream_t?, _ arguments: [dnnl_exec_arg_t]) throws {
        try check(arguments.withUnsafeBufferPointer { dnnl_primitive_execute(primitive, stream, Int32($0.count), $0.baseAddress) },
                  "primitive_execute")
    }

    /// Throws when `status` is not success.
    static func check(_ status: dnnl_status_t, _ call: String) throws {
        guard status != dnnl_success else { return }
        throw failure("dnnl_\(call) failed with status \(status.rawValue)"
            + (status == dnnl_unimplemented ? " (no implementation for this shape and variant)" : ""))
    }

    /// The error for a oneDNN call that did not succeed.
    static func failure(_ what: String) -> KestrelError {
        KestrelError.invalidState("oneDNN: \(what).")
    }
}
#endif
