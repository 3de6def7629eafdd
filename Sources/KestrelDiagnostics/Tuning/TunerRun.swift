import Kestrel

/// One training run of a trial: a fresh model for the trial's recipe and seed (its weights replaced
/// by those of the run it continues, for a promoted Hyperband model), fitted from `initialEpoch` to
/// `epochs`, with the weights of its best epoch kept.
struct TunerRun {
    let log: TrainingLog
    let best: Double
    let weights: [Tensor]

    static func train(recipe: TrainingRecipe, data: TrainingData, seed: UInt64, initialEpoch: Int, epochs: Int,
                      startWeights: [Tensor]?, objective: TunerObjective) throws -> TunerRun {
        Kestrel.setRandomSeed(seed &+ UInt64(initialEpoch))
        let model = try recipe.makeModel(for: data, seed: seed)
        if let startWeights { try model.setWeights(startWeights) }
        let keeper = BestEpochKeeper(objective: objective)
        let history: History
        do {
            history = try model.fit(data.train.normalizedX, data.train.y, epochs: epochs, batchSize: recipe.batchSize, verbose: .silent,
                                    validationSplit: recipe.effectiveValidationSplit(for: data),
                                    validationData: data.validation.map { ($0.normalizedX, $0.y) },
                                    callbacks: try recipe.callbacks.makeCallbacks(verbose: 0) + [keeper], initialEpoch: initialEpoch)
        } catch {
            throw TrainingRecipeError(message: "Training failed: \(error)")
        }
        guard let weights = keeper.weights else {
            throw TunerError("A run of the model \(RecipeText.specification(recipe.specification)) logged no epoch.")
        }
        return TunerRun(log: try TrainingLog(history: history), best: keeper.best, weights: weights)
    }
}
