extension Model {
    /// Trains the model for a number of epochs on arrays (Keras's `fit`), returning the `History`.
    ///
    /// Arguments have Keras's names and defaults in Swift spelling, in the order of
    /// `fit(x, y, epochs: 50, batchSize: 64, validationSplit: 0.2, callbacks: [...])`.
    ///
    /// - Parameters:
    ///   - x: inputs, first dimension the samples.
    ///   - y: targets: class indices [N] for sparse losses, one-hot [N, C], or values.
    ///   - epochs: the epoch index to stop at (with `initialEpoch` 0, the number of epochs).
    ///   - batchSize: samples per gradient step (Keras default 32).
    ///   - verbose: `.auto` (the progress bar on a terminal, else one line per epoch), `.silent`,
    ///     `.progressBar` or `.oneLinePerEpoch` — Keras's `verbose="auto"`, 0, 1, 2.
    ///   - validationSplit: the last fraction of the samples (taken before shuffling) held out for validation.
    ///   - validationData: explicit validation inputs and targets (takes precedence over `validationSplit`).
    ///   - callbacks: called at the start and end of training, epochs and batches, in order.
    ///   - shuffle: whether the training samples are reshuffled before each epoch.
    ///   - classWeight: class index → weight applied to that class's samples' losses.
    ///   - sampleWeight: one loss weight per sample.
    ///   - initialEpoch: the epoch to start from (for resuming); `epochs` is the index to stop at.
    ///   - stepsPerEpoch: batches per epoch (default: all samples once).
    ///   - validationBatchSize: samples per validation batch (default: `batchSize`).
    ///   - validationFreq: validate after every `validationFreq`-th epoch (Keras's integer form).
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, verbose: Verbosity = .auto,
                    validationSplit: Double = 0, validationData: (Tensor, Tensor)? = nil, callbacks: [Callback] = [],
                    shuffle: Bool = true, classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil,
                    initialEpoch: Int = 0, stepsPerEpoch: Int? = nil, validationBatchSize: Int? = nil,
                    validationFreq: Int = 1) throws -> History {
        let batchSize = batchSize ?? 32
        guard batchSize > 0 else { throw KestrelError.invalidArgument("fit: batchSize must be positive, got \(batchSize).") }
        if let validationBatchSize, validationBatchSize <= 0 {
            throw KestrelError.invalidArgument("fit: validationBatchSize must be positive, got \(validationBatchSize).")
        }
        guard validationSplit >= 0, validationSplit < 1 else {
            throw KestrelError.invalidArgument("fit: validationSplit must be in (0, 1) (or 0 for none), got \(validationSplit).")
        }
        _ = try compiledOptimizer(for: "fit")
        let data = try ArrayData.validated(inputs: [x], targets: [y], sampleWeight: sampleWeight, context: "fit")
        let validation = try validationData.map { try ArrayData.validated(inputs: [$0.0], targets: [$0.1], sampleWeight: nil, context: "fit(validationData:)") }
        return try fit(data, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                       validationData: validation, callbacks: callbacks, shuffle: shuffle, classWeight: classWeight,
                       initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch, validationBatchSize: validationBatchSize,
                       validationFreq: validationFreq)
    }

    /// The array `fit`s once their arguments are checked: splits off validation, applies class weights,
    /// builds the model for the data and runs the epoch loop.
    func fit(_ data: ArrayData, epochs: Int, batchSize: Int, verbose: Verbosity, validationSplit: Double,
             validationData: ArrayData?, callbacks: [Callback], shuffle: Bool, classWeight: [Int: Float]?,
             initialEpoch: Int, stepsPerEpoch: Int?, validationBatchSize: Int?, validationFreq: Int) throws -> History {
        var data = data
        var validation: BatchSource?
        var heldOut: ArrayData?
        if let held = validationData {
            validation = ArrayBatchSource(data: held, batchSize: validationBatchSize ?? batchSize)
        } else if validationSplit > 0 {
            let (train, held) = try data.split(validationFraction: validationSplit)
            data = train
            heldOut = held
            validation = ArrayBatchSource(data: held, batchSize: validationBatchSize ?? batchSize)
        }
        let fingerprint = DataFingerprint(training: data, validation: validationData ?? heldOut)
        if let classWeight { data = try data.applying(classWeight: classWeight) }
        try prepareForData(data)
        return try train(on: ArrayBatchSource(data: data, batchSize: batchSize), epochs: epochs, verbose: verbose,
                         validation: validation, callbacks: callbacks, shuffle: shuffle, initialEpoch: initialEpoch,
                         stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq, data: fingerprint)
    }

    /// Trains on a `Dataset` of (x, y) batches — e.g. `Dataset(x:y:).shuffle(…).batch(64)` or
    /// `ImageDataGenerator.flow(x, y, batchSize:)` — as Keras's `fit(dataset)`. The dataset decides
    /// batching and shuffling; `validationData` may be a dataset too.
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, verbose: Verbosity = .auto, validationData: Dataset? = nil,
                    callbacks: [Callback] = [], initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationFreq: Int = 1) throws -> History {
        try validationData?.requireEnd(for: "fit(validationData:)", fix: "validate on a finite part, validationData.take(batches)")
        return try fit(dataset, epochs: epochs, verbose: verbose, validation: validationData.map(DatasetBatchSource.init),
                callbacks: callbacks, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
    }

    /// Trains on a `Dataset` (a generator such as `ImageDataGenerator.flow` or `flowFromDirectory`) and
    /// validates on arrays, as Keras's `fit(generator, validation_data=(x_test, y_test))`. Validation
    /// batches hold `validationBatchSize` samples (Keras's default: 32).
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, verbose: Verbosity = .auto, validationData: (Tensor, Tensor),
                    callbacks: [Callback] = [], initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationBatchSize: Int? = nil, validationFreq: Int = 1) throws -> History {
        let batchSize = validationBatchSize ?? 32
        guard batchSize > 0 else {
            throw KestrelError.invalidArgument("fit: validationBatchSize must be positive, got \(batchSize).")
        }
        let held = try ArrayData.validated(inputs: [validationData.0], targets: [validationData.1], sampleWeight: nil,
                                           context: "fit(validationData:)")
        return try fit(dataset, epochs: epochs, verbose: verbose, validation: ArrayBatchSource(data: held, batchSize: batchSize),
                       callbacks: callbacks, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch,
                       validationFreq: validationFreq)
    }

    /// The dataset `fit`s with the validation source already made.
    private func fit(_ dataset: Dataset, epochs: Int, verbose: Verbosity, validation: BatchSource?, callbacks: [Callback],
                     initialEpoch: Int, stepsPerEpoch: Int?, validationFreq: Int) throws -> History {
        _ = try compiledOptimizer(for: "fit")
        if stepsPerEpoch == nil {
            try dataset.requireEnd(for: "fit", fix: "give fit stepsPerEpoch: (the batches of one epoch), as Keras needs steps_per_epoch")
        }
        if let names = dataset.classNames, !names.isEmpty { classNames = names }
        return try fit(DatasetBatchSource(dataset: dataset), epochs: epochs, verbose: verbose, validationData: validation,
                       callbacks: callbacks, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
    }

    /// Trains on batches from a `BatchSource` of your own (one `Batch` of inputs and targets per step),
    /// as Keras's `fit` on a generator or `PyDataset`. The source decides batching and shuffling; each
    /// batch goes to `trainStep`, and every key it returns reaches the progress line, `History` and the
    /// callbacks (`val_` keys come from `testStep` on `validationData`).
    @discardableResult
    public func fit(_ source: BatchSource, epochs: Int = 1, verbose: Verbosity = .auto, validationData: BatchSource? = nil,
                    callbacks: [Callback] = [], initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationFreq: Int = 1) throws -> History {
        _ = try compiledOptimizer(for: "fit")
        _ = try outputSampleShapes(forInputs: try source.sampleShapes())
        return try train(on: source, epochs: epochs, verbose: verbose, validation: validationData,
                         callbacks: callbacks, shuffle: false, initialEpoch: initialEpoch,
                         stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
    }

    /// The epoch loop shared by every `fit`.
    private func train(on source: BatchSource, epochs: Int, verbose: Verbosity, validation: BatchSource?,
                       callbacks: [Callback], shuffle: Bool, initialEpoch: Int, stepsPerEpoch: Int?,
                       validationFreq: Int, data: DataFingerprint? = nil) throws -> History {
        _ = try compiledOptimizer(for: "fit")
        guard epochs >= 0, initialEpoch >= 0 else {
            throw KestrelError.invalidArgument("fit: epochs (\(epochs)) and initialEpoch (\(initialEpoch)) must not be negative.")
        }
        guard validationFreq >= 1 else { throw KestrelError.invalidArgument("fit: validationFreq must be ≥ 1, got \(validationFreq).") }
        if let stepsPerEpoch, stepsPerEpoch < 1 {
            throw KestrelError.invalidArgument("fit: stepsPerEpoch must be ≥ 1, got \(stepsPerEpoch).")
        }
        let steps = stepsPerEpoch ?? source.batchesPerPass ?? 0
        let level = verbose.level
        let history = History()
        history.data = data
        var allCallbacks = callbacks + [history]
        if level > 0 { allCallbacks.insert(ProgbarLogger(verbose: level), at: 0) }
        let list = try CallbackList(allCallbacks, model: self, params: TrainingParameters(epochs: epochs, steps: steps, verbose: level))
        let session = TrainingSession(initialEpoch: initialEpoch, epochs: epochs, shuffleGenerator: GlobalRandom.makeGenerator(),
                                      canResumeMidEpoch: stepsPerEpoch == nil && source.batchesPerPass != nil && source.isReplayable)
        session.callbacks = allCallbacks
        stopTraining = false
        self.history = history
        trainingSession = session
        defer { trainingSession = nil }

        var logs: [String: Double] = [:]
        try list.each("onTrainBegin") { try $0.onTrainBegin(logs: &logs) }
        let passes = try TrainingResumption(model: self, source: source, shuffle: shuffle, session: session)
        try distribution?.trainingWillBegin(self, source: source)
        // Under a distribution each rank validates its part of the data; the logs are combined below.
        let validation = try validation.map { try distribution?.validationSource($0) ?? $0 }
        if distribution == nil, !ranksTrainIndependently { MultiProcessLaunchNotice.noteFitWithoutDistribution() }
        guard session.initialEpoch >= 0 else {
            throw KestrelError.invalidArgument("fit: a callback set the initial epoch to \(session.initialEpoch); it must not be negative.")
        }
        // As in Keras, `onTrainEnd` gets the last epoch's logs (as the callbacks left them), or none.
        var endLogs: [String: Double] = [:]
        for epoch in session.initialEpoch..<max(epochs, session.initialEpoch) {
            session.epoch = epoch
            var epochLogs: [String: Double] = [:]
            try list.each("onEpochBegin") { try $0.onEpochBegin(epoch, logs: &epochLogs) }
            resetMetrics()
            if stepsPerEpoch == nil { passes.endPass() }
            var step = try passes.startEpoch()
            var lastStepLogs: [String: Double]?
            while stepsPerEpoch.map({ step < $0 }) ?? true, let batch = try passes.nextBatch(cycling: stepsPerEpoch != nil) {
                var batchLogs: [String: Double] = [:]
                try list.each("onTrainBatchBegin") { try $0.onTrainBatchBegin(step, logs: &batchLogs) }
                batchLogs = try distribution.map { try $0.trainStep(self, batch) } ?? trainStep(batch)
                lastStepLogs = batchLogs
                session.batchesDone = step + 1
                try list.each("onTrainBatchEnd") { try $0.onTrainBatchEnd(step, logs: &batchLogs) }
                try list.each("onTrainBatchEnd") { try ($0 as? TrainingStateSaver)?.trainingDidFinishBatch(step, epoch: epoch) }
                step += 1
                if try distribution?.anyRankStops(stopTraining) ?? stopTraining { break }
            }
            // As Keras, the epoch's logs are what the last step returned (the default step's are running means);
            // under a distribution, all ranks' together.
            epochLogs = lastStepLogs ?? metricsResult()
            if let distribution { epochLogs = try distribution.combinedLogs(self, local: epochLogs) }
            if let validation, (epoch - initialEpoch + 1) % validationFreq == 0 {
                var validationLogs = try runEvaluation(validation, callbacks: list)
                if let distribution { validationLogs = try distribution.combinedLogs(self, local: validationLogs) }
                for (key, value) in validationLogs { epochLogs["val_" + key] = value }
            }
            history.noteKeysLoggedByFit(epochLogs.keys)
            // Kestrel logs a schedule's rate (at the end of the epoch) so History shows it, last, where Keras 3.15
            // puts the `learning_rate` that ReduceLROnPlateau and LearningRateScheduler log.
            if let optimizer, optimizer.learningRateSchedule != nil { epochLogs["learning_rate"] = Double(optimizer.learningRate) }
            try list.each("onEpochEnd") { try $0.onEpochEnd(epoch, logs: &epochLogs) }
            endLogs = epochLogs
            session.batchesDone = 0
            try list.each("onEpochEnd") { try ($0 as? TrainingStateSaver)?.trainingDidFinishEpoch(epoch) }
            if try distribution?.anyRankStops(stopTraining) ?? stopTraining { break }
        }
        try list.each("onTrainEnd") { try $0.onTrainEnd(logs: &endLogs) }
        return history
    }

    /// The optimizer and loss from `compile`, or an error naming `operation` (and, after a `compile`
    /// without a loss, saying that the default step needs one).
    func compiledState(for operation: String) throws -> (Optimizer, Loss) {
        let optimizer = try compiledOptimizer(for: operation)
        guard let loss else {
            throw KestrelError.invalidState(
                "\(operation) needs a loss, but model '\(name)' was compiled without one; pass loss: to compile(optimizer:loss:metrics:), or override trainStep/testStep to compute the loss yourself.")
        }
        return (optimizer, loss)
    }

    /// The optimizer from `compile`, or an error naming `operation`.
    func compiledOptimizer(for operation: String) throws -> Optimizer {
        guard let optimizer else {
            throw KestrelError.invalidState(
                "\(operation) was called before compile(); call model.compile(optimizer:loss:metrics:) first.")
        }
        return optimizer
    }
}

extension ArrayData {
    /// Multiplies per-sample weights by the weight of each sample's class (Keras's `class_weight`).
    func applying(classWeight: [Int: Float]) throws -> ArrayData {
        guard let y = targets.first else { return self }
        let classes: [Int]
        if y.rank >= 2, y.shape[y.rank - 1] > 1 {
            classes = try y.argmaxIndices()
        } else {
            classes = try checkedClassIndices(y.scalars, argument: "y (with classWeight)")
        }
        var weights = classes.map { classWeight[$0] ?? 1 }
        if let sampleWeight {
            for (index, value) in sampleWeight.scalars.enumerated() { weights[index] *= value }
        }
        return with(sampleWeight: try Tensor(shape: [weights.count], scalars: weights))
    }
}
