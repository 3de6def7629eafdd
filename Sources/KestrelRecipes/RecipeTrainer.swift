import Kestrel

/// Trains a `TrainingRecipe` on `TrainingData` for one seed — the "training" step shared by
/// `kestrel demo`, `kestrel fit` and `Doctor`.
public struct RecipeTrainer: Sendable {
    /// What to train.
    public var recipe: TrainingRecipe
    /// What to train on.
    public var data: TrainingData
    /// Whether this process is one of several that each train their own runs (a sweep over `mpirun`'s
    /// ranks); passed to the model (`Model.ranksTrainIndependently`). False by default.
    public var ranksTrainIndependently = false

    /// A trainer for `recipe` on `data`.
    public init(recipe: TrainingRecipe, data: TrainingData) {
        self.recipe = recipe
        self.data = data
    }

    /// What `fit` is called with for one run: the arrays and the recipe's arguments.
    public struct FitArguments {
        /// The normalised training inputs and their targets.
        public let x: Tensor, y: Tensor
        /// The recipe's epochs and batch size, and the epoch training starts at (Keras's `initial_epoch`).
        public let epochs: Int, batchSize: Int, initialEpoch: Int
        /// How `fit` prints.
        public let verbose: Verbosity
        /// The fraction of `x` held out, and the held-out data when the data has its own.
        public let validationSplit: Double, validationData: (Tensor, Tensor)?
        /// The recipe's callbacks, then the caller's.
        public let callbacks: [Callback]
    }

    /// A `fit` to run instead of the model's own (e.g. a data-parallel one under `mpirun`).
    public struct CustomFit {
        /// Trains the model on the arguments.
        public let run: (Sequential, FitArguments) throws -> History

        /// A custom fit that runs `run`.
        public init(_ run: @escaping (Sequential, FitArguments) throws -> History) { self.run = run }
    }

    /// Sets the global seed (`seed + initialEpoch`), builds and compiles a fresh model, and fits it from
    /// `initialEpoch` to the recipe's epochs. `beforeFit` sees the compiled model (e.g. to print its summary,
    /// or to set the weights a continued run starts from); `extraCallbacks` run after the recipe's.
    /// `callbackVerbose` is passed to the recipe's callbacks. `fit` runs the training (the model's own
    /// `fit` unless given, e.g. a data-parallel one under `mpirun`).
    public func train(seed: UInt64, initialEpoch: Int = 0, verbose: Verbosity = .auto, callbackVerbose: Int = 1,
                      extraCallbacks: [Callback] = [], fit: CustomFit? = nil,
                      beforeFit: (Sequential) throws -> Void = { _ in }) throws -> TrainedRun {
        Kestrel.setRandomSeed(seed &+ UInt64(initialEpoch))
        let network = try recipe.makeModel(for: data, seed: seed)
        network.ranksTrainIndependently = ranksTrainIndependently
        if !data.train.classNames.isEmpty { network.classNames = data.train.classNames }
        try beforeFit(network)
        let arguments = FitArguments(x: data.train.normalizedX, y: data.train.y, epochs: recipe.epochs, batchSize: recipe.batchSize,
                                     initialEpoch: initialEpoch, verbose: verbose, validationSplit: recipe.effectiveValidationSplit(for: data),
                                     validationData: data.validation.map { ($0.normalizedX, $0.y) },
                                     callbacks: try recipe.callbacks.makeCallbacks(verbose: callbackVerbose) + extraCallbacks)
        let start = ContinuousClock.now
        let history: History
        do {
            history = try fit?.run(network, arguments)
                ?? network.fit(arguments.x, arguments.y, epochs: arguments.epochs, batchSize: arguments.batchSize,
                               verbose: arguments.verbose, validationSplit: arguments.validationSplit,
                               validationData: arguments.validationData, callbacks: arguments.callbacks,
                               initialEpoch: arguments.initialEpoch)
        } catch {
            throw TrainingRecipeError(message: "Training failed: \(error)")
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return TrainedRun(seed: seed, model: network, history: history, log: history.log, trainingSeconds: seconds)
    }
}
