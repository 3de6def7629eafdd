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
        _ = try compiledState(for: "fit")
        var data = try ArrayData.validated(x: x, y: y, sampleWeight: sampleWeight, context: "fit")
        var validation: BatchSource?
        if let (validationX, validationY) = validationData {
            let held = try ArrayData.validated(x: validationX, y: validationY, sampleWeight: nil, context: "fit(validationData:)")
            validation = ArrayBatchSource(data: held, batchSize: validationBatchSize ?? batchSize)
        } else if validationSplit > 0 {
            let (train, held) = try data.split(validationFraction: validationSplit)
            data = train
            validation = ArrayBatchSource(data: held, batchSize: validationBatchSize ?? batchSize)
        }
        if let classWeight { data = try data.applying(classWeight: classWeight) }
        try prepareForData(x: data.x, y: data.y)
        return try train(on: ArrayBatchSource(data: data, batchSize: batchSize), epochs: epochs, verbose: verbose,
                         validation: validation, callbacks: callbacks, shuffle: shuffle, initialEpoch: initialEpoch,
                         stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
    }

    /// Trains on a `Dataset` of (x, y) batches — e.g. `Dataset(x:y:).shuffle(…).batch(64)` or
    /// `ImageDataGenerator.flow(x, y, batchSize:)` — as Keras's `fit(dataset)`. The dataset decides
    /// batching and shuffling; `validationData` may be a dataset too.
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, verbose: Verbosity = .auto, validationData: Dataset? = nil,
                    callbacks: [Callback] = [], initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationFreq: Int = 1) throws -> History {
        try fit(dataset, epochs: epochs, verbose: verbose, validation: validationData.map(DatasetBatchSource.init),
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
        let held = try ArrayData.validated(x: validationData.0, y: validationData.1, sampleWeight: nil,
                                           context: "fit(validationData:)")
        return try fit(dataset, epochs: epochs, verbose: verbose, validation: ArrayBatchSource(data: held, batchSize: batchSize),
                       callbacks: callbacks, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch,
                       validationFreq: validationFreq)
    }

    /// The dataset `fit`s with the validation source already made.
    private func fit(_ dataset: Dataset, epochs: Int, verbose: Verbosity, validation: BatchSource?, callbacks: [Callback],
                     initialEpoch: Int, stepsPerEpoch: Int?, validationFreq: Int) throws -> History {
        _ = try compiledState(for: "fit")
        if let names = dataset.classNames, !names.isEmpty { classNames = names }
        let source = DatasetBatchSource(dataset: dataset)
        try buildIfNeeded(inputShape: try source.sampleShape())
        return try train(on: source, epochs: epochs, verbose: verbose, validation: validation,
                         callbacks: callbacks, shuffle: false, initialEpoch: initialEpoch,
                         stepsPerEpoch: stepsPerEpoch, validationFreq: validationFreq)
    }

    /// The epoch loop shared by both `fit`s.
    private func train(on source: BatchSource, epochs: Int, verbose: Verbosity, validation: BatchSource?,
                       callbacks: [Callback], shuffle: Bool, initialEpoch: Int, stepsPerEpoch: Int?,
                       validationFreq: Int) throws -> History {
        let (_, loss) = try compiledState(for: "fit")
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
        var allCallbacks = callbacks + [history]
        if level > 0 { allCallbacks.insert(ProgbarLogger(verbose: level), at: 0) }
        let list = try CallbackList(allCallbacks, model: self, params: TrainingParameters(epochs: epochs, steps: steps, verbose: level))
        let session = TrainingSession(initialEpoch: initialEpoch, epochs: epochs, shuffleGenerator: GlobalRandom.makeGenerator(),
                                      canResumeMidEpoch: stepsPerEpoch == nil && source.batchesPerPass != nil && source.isReplayable)
        session.callbacks = allCallbacks
        session.passesMade = source.probePasses
        stopTraining = false
        self.history = history
        trainingSession = session
        defer { trainingSession = nil }

        var logs: [String: Double] = [:]
        try list.each("onTrainBegin") { try $0.onTrainBegin(logs: &logs) }
        var resumed = session.pendingRestore
        session.pendingRestore = nil
        if let resumed { try restoreLoopState(resumed, session: session) }
        try distribution?.trainingWillBegin(self)
        guard session.initialEpoch >= 0 else {
            throw KestrelError.invalidArgument("fit: a callback set the initial epoch to \(session.initialEpoch); it must not be negative.")
        }
        var pass: AnyIterator<Batch>?
        for epoch in session.initialEpoch..<max(epochs, session.initialEpoch) {
            session.epoch = epoch
            var epochLogs: [String: Double] = [:]
            try list.each("onEpochBegin") { try $0.onEpochBegin(epoch, logs: &epochLogs) }
            var lossTracker = RunningMean()
            for metric in metrics { metric.resetState() }
            if stepsPerEpoch == nil { pass = nil }
            var step = 0
            if let state = resumed, state.batchesDone > 0 {
                (step, pass) = try resumeEpoch(state, source: source, shuffle: shuffle, session: session, lossTracker: &lossTracker)
            } else if let state = resumed {
                catchUp(source, to: state.sourcePasses, session: session)
            }
            resumed = nil
            while stepsPerEpoch.map({ step < $0 }) ?? true {
                // A pass carried over from the last epoch may end right at the epoch boundary (stepsPerEpoch
                // equal to the batches per pass): only a freshly made pass that yields nothing is empty data.
                var freshPass = false
                if pass == nil {
                    freshPass = true
                    session.epochStartShuffleState = session.shuffleGenerator.state
                    session.passesAtEpochStart = session.passesMade
                    session.passesMade += 1
                    pass = try source.makePass(shuffled: shuffle, generator: &session.shuffleGenerator)
                }
                guard let batch = pass?.next() else {
                    pass = nil
                    if stepsPerEpoch == nil { break }
                    if freshPass { throw KestrelError.invalidData("fit: the training data yielded no batch.") }
                    continue
                }
                var batchLogs: [String: Double] = [:]
                try list.each("onTrainBatchBegin") { try $0.onTrainBatchBegin(step, logs: &batchLogs) }
                let (batchLoss, rows) = try distribution?.trainStep(self, x: batch.x, y: batch.y, sampleWeight: batch.sampleWeight)
                    ?? (try trainStep(x: batch.x, y: batch.y, sampleWeight: batch.sampleWeight), batch.count)
                if rows > 0 { lossTracker.add(batchLoss, weight: Double(rows)) }
                session.lossTotals = (lossTracker.total, lossTracker.weight)
                session.batchesDone = step + 1
                batchLogs = try trainingLogs(lossTracker)
                try list.each("onTrainBatchEnd") { try $0.onTrainBatchEnd(step, logs: &batchLogs) }
                try list.each("onTrainBatchEnd") { try ($0 as? TrainingStateSaver)?.trainingDidFinishBatch(step, epoch: epoch) }
                step += 1
                if try distribution?.anyRankStops(stopTraining) ?? stopTraining { break }
            }
            epochLogs = try trainingLogs(lossTracker)
            if let validation, (epoch - initialEpoch + 1) % validationFreq == 0 {
                let validationLogs = try runEvaluation(validation, loss: loss, callbacks: list)
                for (key, value) in validationLogs { epochLogs["val_" + key] = value }
            }
            history.noteKeysLoggedByFit(epochLogs.keys)
            // Kestrel logs a schedule's rate (at the end of the epoch) so History shows it, last, where Keras 3.15
            // puts the `learning_rate` that ReduceLROnPlateau and LearningRateScheduler log.
            if let optimizer, optimizer.learningRateSchedule != nil { epochLogs["learning_rate"] = Double(optimizer.learningRate) }
            try list.each("onEpochEnd") { try $0.onEpochEnd(epoch, logs: &epochLogs) }
            session.batchesDone = 0
            try list.each("onEpochEnd") { try ($0 as? TrainingStateSaver)?.trainingDidFinishEpoch(epoch) }
            if try distribution?.anyRankStops(stopTraining) ?? stopTraining { break }
        }
        var endLogs: [String: Double] = [:]
        try list.each("onTrainEnd") { try $0.onTrainEnd(logs: &endLogs) }
        return history
    }

    /// Continues an epoch that a backup interrupted part-way: redraws the epoch's order from the saved
    /// generator state, skips the batches already trained, and restores the loss and metric totals.
    private func resumeEpoch(_ state: TrainingState, source: BatchSource, shuffle: Bool, session: TrainingSession,
                             lossTracker: inout RunningMean) throws -> (Int, AnyIterator<Batch>?) {
        guard session.canResumeMidEpoch else {
            throw KestrelError.invalidState("fit: the backup was taken part-way through epoch \(state.epoch + 1), but this fit cannot replay part of an epoch (stepsPerEpoch or a Dataset); use BackupAndRestore(saveFreq: .epoch).")
        }
        guard state.metricStates.count == metrics.count else {
            throw KestrelError.invalidData("fit: the backup holds \(state.metricStates.count) metric states but the model has \(metrics.count) metrics.")
        }
        if let rate = state.optimizer?.learningRate, optimizer?.learningRateSchedule == nil { optimizer?.learningRate = rate }
        catchUp(source, to: state.sourcePasses, session: session)
        session.epochStartShuffleState = session.shuffleGenerator.state
        session.passesAtEpochStart = session.passesMade
        session.passesMade += 1
        let pass = try source.makePass(shuffled: shuffle, generator: &session.shuffleGenerator)
        for index in 0..<state.batchesDone {
            let skipped = pass.next()
            // A Dataset's metrics are resolved by the first training step; the skipped batch stands in for it.
            if index == 0, !metricsResolved, let batch = skipped, let y = batch.y {
                resolveMetrics(yTrueShape: y.shape, yPredShape: [batch.count] + (try computeOutputShape(Array(batch.x.shape.dropFirst()))))
            }
        }
        for (metric, values) in zip(metrics, state.metricStates) { try metric.restoreStateValues(values) }
        lossTracker.restore(total: state.lossTotal, weight: state.lossWeight)
        session.lossTotals = (state.lossTotal, state.lossWeight)
        session.batchesDone = state.batchesDone
        return (state.batchesDone, pass)
    }

    /// Makes and drops passes over `source` until `passes` have been made in all, as the interrupted
    /// run had (a seeded Dataset's n-th pass is then the one it would have used).
    private func catchUp(_ source: BatchSource, to passes: Int?, session: TrainingSession) {
        guard let passes else { return }
        while session.passesMade < passes {
            source.skipPass()
            session.passesMade += 1
        }
    }

    /// The optimizer and loss from `compile`, or an error naming `operation`.
    func compiledState(for operation: String) throws -> (Optimizer, Loss) {
        guard let optimizer, let loss else {
            throw KestrelError.invalidState(
                "\(operation) was called before compile(); call model.compile(optimizer:loss:metrics:) first.")
        }
        return (optimizer, loss)
    }

    /// Builds the model for the data's sample shape and checks the targets against the loss.
    func prepareForData(x: Tensor, y: Tensor?) throws {
        let sampleShape = Array(x.shape.dropFirst())
        try buildIfNeeded(inputShape: sampleShape)
        guard let y, let loss else { return }
        let outputShape = [x.shape[0]] + (try computeOutputShape(sampleShape))
        try loss.validate(yTrue: y, yPredShape: outputShape)
        resolveMetrics(yTrueShape: y.shape, yPredShape: outputShape)
    }

    func resolveMetrics(yTrueShape: [Int], yPredShape: [Int]) {
        guard !metricsResolved else { return }
        metrics = metrics.map { $0.resolved(for: loss, yTrueShape: yTrueShape, yPredShape: yPredShape) }
        metricsResolved = true
    }

    /// Keras's `sum_over_batch_size` reduction: Σ(loss · weight) / batch size.
    func weightedMeanLoss(_ perSample: Tensor, sampleWeight: Tensor?) throws -> Tensor {
        guard let sampleWeight else { return try perSample.mean() }
        return try (perSample * sampleWeight).sum() / Float(max(perSample.count, 1))
    }

    /// The training logs so far: this process's, or all ranks' together under a `distribution`.
    private func trainingLogs(_ tracker: RunningMean) throws -> [String: Double] {
        try distribution?.combinedLogs(self, lossTotal: tracker.total, lossWeight: tracker.weight)
            ?? currentLogs(loss: tracker.value)
    }

    /// The running loss and every metric's current result.
    func currentLogs(loss: Double) -> [String: Double] {
        var logs = ["loss": loss]
        for metric in metrics { logs[metric.name] = metric.result() }
        return logs
    }
}

extension ArrayData {
    /// Multiplies per-sample weights by the weight of each sample's class (Keras's `class_weight`).
    func applying(classWeight: [Int: Float]) throws -> ArrayData {
        guard let y else { return self }
        let classes: [Int]
        if y.rank >= 2, y.shape[y.rank - 1] > 1 {
            classes = try y.argmaxIndices()
        } else {
            classes = y.scalars.map { Int($0) }
        }
        var weights = classes.map { classWeight[$0] ?? 1 }
        if let sampleWeight {
            for (index, value) in sampleWeight.scalars.enumerated() { weights[index] *= value }
        }
        return ArrayData(x: x, y: y, sampleWeight: try Tensor(shape: [weights.count], scalars: weights))
    }
}
