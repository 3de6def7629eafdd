/// Several arrays with the same number of samples laid side by side as one [samples, total] array, so
/// the one-array training loop (shuffling, validation split, batching, callbacks) serves models with
/// several inputs or outputs unchanged.
struct PackedLayout: Sendable {
    /// Each array's name (an input or output name).
    let names: [String]
    /// Each array's sample shape (without the batch dimension).
    let shapes: [[Int]]
    let offsets: [Int]
    /// Scalars per sample of the packed array.
    let total: Int

    init(names: [String], shapes: [[Int]]) {
        self.names = names
        self.shapes = shapes
        var offsets: [Int] = []
        var total = 0
        for shape in shapes {
            offsets.append(total)
            total += shape.reduce(1, *)
        }
        self.offsets = offsets
        self.total = total
    }

    /// The arrays packed into one [samples, total] array (differentiable).
    func pack(_ arrays: [Tensor]) throws -> Tensor {
        let flat = try arrays.map { try $0.reshaped([$0.shape.first ?? 0, -1]) }
        return flat.count == 1 ? flat[0] : try Tensor.concatenate(flat, axis: 1)
    }

    /// The packed array split back into its arrays (differentiable).
    func unpack(_ packed: Tensor) throws -> [Tensor] {
        let samples = packed.shape.first ?? 0
        return try shapes.indices.map { index in
            let size = shapes[index].reduce(1, *)
            let columns = shapes.count == 1 ? packed : try packed.slice(axis: 1, range: offsets[index]..<(offsets[index] + size))
            return try columns.reshaped([samples] + shapes[index])
        }
    }
}

/// The packing of a functional model's inputs and outputs while `fit`/`evaluate` run on lists of arrays.
struct PackedIO: Sendable {
    let inputs: PackedLayout
    let outputs: PackedLayout

    func checkPackedInput(_ sampleShape: [Int], modelName: String) throws {
        guard sampleShape == [inputs.total] else {
            throw KestrelError.shapeMismatch("Model '\(modelName)': packed inputs of shape \(sampleShape) do not match \(inputs.names).")
        }
    }

    /// Runs the graph on packed inputs and packs its outputs.
    func run(_ graph: FunctionalGraph, packedInput: Tensor, training: Bool, modelName: String) throws -> Tensor {
        try outputs.pack(try graph.run(try inputs.unpack(packedInput), training: training, modelName: modelName))
    }
}
