import Foundation

/// Everything a resumed `fit` needs to continue exactly as if it had never stopped: the position in
/// the epoch loop, the weights, the optimizer's state, every random generator (shuffling, dropout,
/// augmentation, the global seed sequence), every callback's state (History included) and the
/// epoch's partial loss and metric totals. `BackupAndRestore` writes it as one JSON file.
struct TrainingState: Codable {
    /// Identifies the file kind.
    var format = TrainingState.formatName
    /// Bumped when the layout changes.
    var version = 1
    /// The epoch to run next (0-based).
    var epoch: Int
    /// Batches of `epoch` already done (0 at an epoch boundary).
    var batchesDone: Int
    /// The epoch's running loss so far.
    var lossTotal: Double
    var lossWeight: Double
    /// Each metric's accumulated state, in `model.metrics` order.
    var metricStates: [[Double]]
    /// The shuffle generator's state before `epoch`'s order was drawn.
    var shuffleGenerator: RandomGeneratorState
    var globalRandom: RandomGeneratorState
    /// "position:Class" of each layer with a random generator → its state.
    var layerGenerators: [String: RandomGeneratorState]
    var weights: [SavedTensor]
    var optimizer: SavedOptimizer?
    /// Callback key ("Class#n") → its `stateDictionary()`.
    var callbacks: [String: [String: StateValue]]
    /// How many passes `fit` had made over a `Dataset` before the pass `epoch` uses (the shape probe
    /// counts as one); a resumed fit makes and drops passes until it has made as many, so the dataset's
    /// per-pass shuffles and augmentations line up. Nil in older backups.
    var sourcePasses: Int?
    /// What the run was (`BackupAndRestore.run`: its seed, learning rate, batch size…); a backup is
    /// resumed only by the same run. Nil in older backups.
    var run: [String: String]?

    static let formatName = "kestrel-training-state"

    /// A tensor as its shape and little-endian float32 bytes (base64 in JSON).
    struct SavedTensor: Codable {
        var shape: [Int]
        var float32: Data

        init(_ tensor: Tensor) {
            shape = tensor.shape
            float32 = tensor.scalars.withUnsafeBufferPointer { Data(buffer: $0) }
        }

        func tensor(context: String) throws -> Tensor {
            // Checked products: a damaged backup's shape must not overflow (2^61 × 4 bytes trapped here).
            guard let count = Tensor.checkedElementCount(shape), count <= Int.max / 4, float32.count == count * 4 else {
                throw KestrelError.invalidData("\(context): a saved tensor of shape \(shape) holds \(float32.count) bytes; the backup is damaged.")
            }
            return try Tensor(shape: shape, scalars: float32.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
    }

    /// The optimizer's step count, learning rate and slots (one list per trainable variable).
    struct SavedOptimizer: Codable {
        var name: String
        var iterations: Int
        var learningRate: Float
        var slots: [[SavedTensor]]
    }
}

extension Model {
    /// Captures the state of the running `fit` (see `TrainingState`).
    func captureTrainingState(_ session: TrainingSession, epoch: Int, batchesDone: Int) throws -> TrainingState {
        var callbackStates: [String: [String: StateValue]] = [:]
        for (index, callback) in session.callbacks.enumerated() {
            let state = try callback.stateDictionary()
            if !state.isEmpty { callbackStates[session.stateKey(for: index)] = state }
        }
        var savedOptimizer: TrainingState.SavedOptimizer?
        if let optimizer {
            let trainable = trainableVariablesAsCompiled()
            savedOptimizer = .init(name: optimizer.name, iterations: optimizer.iterations, learningRate: optimizer.learningRate,
                                   slots: trainable.map { optimizer.slotTensors(for: $0).map(TrainingState.SavedTensor.init) })
        }
        let midEpoch = batchesDone > 0
        return TrainingState(
            epoch: epoch, batchesDone: batchesDone,
            lossTotal: midEpoch ? lossTracker.stateValues[0] : 0, lossWeight: midEpoch ? lossTracker.stateValues[1] : 0,
            metricStates: midEpoch ? compiledMetrics.map(\.stateValues) : [],
            shuffleGenerator: midEpoch ? session.epochStartShuffleState : session.shuffleGenerator.state,
            globalRandom: GlobalRandom.state,
            layerGenerators: randomLayerStates(),
            weights: weights.map { TrainingState.SavedTensor($0.value) },
            optimizer: savedOptimizer, callbacks: callbackStates,
            sourcePasses: midEpoch ? session.passesAtEpochStart : session.passesMade)
    }

    /// Puts the model, optimizer and random generators back as `state` holds them (the callbacks'
    /// and the loop's parts are applied by `fit` after `onTrainBegin`).
    func restoreModelState(_ state: TrainingState, source: String) throws {
        let current = weights
        guard state.weights.count == current.count else {
            throw KestrelError.invalidData("\(source): the backup holds \(state.weights.count) weight tensors but the model has \(current.count); it was made by another model. Delete it to start afresh.")
        }
        try setWeights(state.weights.enumerated().map { try $1.tensor(context: "\(source) weight \($0)") })
        if let saved = state.optimizer, let optimizer {
            let trainable = trainableVariablesAsCompiled()
            guard saved.slots.count == trainable.count else {
                throw KestrelError.invalidData("\(source): the backup's optimizer state covers \(saved.slots.count) variables, the model has \(trainable.count) trainable ones.")
            }
            let slots = try zip(trainable, saved.slots).map { variable, tensors in
                (variable: variable, tensors: try tensors.map { try $0.tensor(context: "\(source) optimizer slot of '\(variable.name)'") })
            }
            try optimizer.restoreState(iterations: saved.iterations, slots: slots)
            if optimizer.learningRateSchedule == nil { optimizer.learningRate = saved.learningRate }
        }
        try GlobalRandom.restore(state.globalRandom)
        for (key, layer) in randomLayers() {
            if let saved = state.layerGenerators[key] { try layer.restoreRandomState(saved) }
        }
    }

    /// Every layer (nested models included) that has a random generator, keyed "position:Class" (names
    /// differ between processes that made other layers first, positions do not).
    func randomLayers() -> [(String, Layer)] {
        var found: [(String, Layer)] = []
        var position = 0
        func visit(_ model: Model) {
            for layer in model.layers {
                if let nested = layer as? Model { visit(nested); continue }
                if layer.randomState != nil { found.append(("\(position):\(layer.className)", layer)) }
                position += 1
            }
        }
        visit(self)
        return found
    }

    private func randomLayerStates() -> [String: RandomGeneratorState] {
        var states: [String: RandomGeneratorState] = [:]
        for (key, layer) in randomLayers() { states[key] = layer.randomState }
        return states
    }
}
