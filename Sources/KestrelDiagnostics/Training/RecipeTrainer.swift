import Kestrel

/// Trains a `TrainingRecipe` on `TrainingData` for one seed — the "training" step shared by
/// `kestrel demo`, `kestrel fit` and `Doctor`.
public struct RecipeTrainer: Sendable {
    /// What to train.
    public var recipe: TrainingRecipe
    /// What to train on.
    public var data: TrainingData

    /// A trainer for `recipe` on `data`.
    public init(recipe: TrainingRecipe, data: TrainingData) {
        self.recipe = recipe
        self.data = data
    }

    /// Sets the global seed, builds and compiles a fresh model, and fits it. `beforeFit` sees
    /// the compiled model (e.g. to print its summary); `extraCallbacks` run after the recipe's.
    /// `callbackVerbose` is passed to the recipe's callbacks.
    public func train(seed: UInt64, verbose: Verbosity = .auto, callbackVerbose: Int = 1, extraCallbacks: [Callback] = [],
                      beforeFit: (Sequential) throws -> Void = { _ in }) throws -> TrainedRun {
        Kestrel.setRandomSeed(seed)
        let network = try recipe.makeModel(for: data, seed: seed)
        if !data.train.classNames.isEmpty { network.classNames = data.train.classNames }
        try beforeFit(network)
        let validationData = data.validation.map { ($0.normalizedX, $0.y) }
        let start = ContinuousClock.now
        let history: History
        do {
            history = try network.fit(data.train.normalizedX, data.train.y, epochs: recipe.epochs, batchSize: recipe.batchSize,
                                      verbose: verbose, validationSplit: recipe.effectiveValidationSplit(for: data),
                                      validationData: validationData,
                                      callbacks: try recipe.callbacks.makeCallbacks(verbose: callbackVerbose) + extraCallbacks)
        } catch {
            throw TrainingRecipeError(message: "Training failed: \(error)")
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return TrainedRun(seed: seed, model: network, history: history, log: try TrainingLog(history: history), trainingSeconds: seconds)
    }
}
