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
        var trial = recipe
        trial.epochs = epochs
        let keeper = BestEpochKeeper(objective: objective)
        let run = try RecipeTrainer(recipe: trial, data: data).train(seed: seed, initialEpoch: initialEpoch, verbose: .silent, callbackVerbose: 0,
                                                                    extraCallbacks: [keeper]) { model in
            if let startWeights { try model.setWeights(startWeights) }
        }
        guard let weights = keeper.weights else {
            throw TunerError("A run of the model \(RecipeText.specification(recipe.specification)) logged no epoch.")
        }
        return TunerRun(log: run.log, best: keeper.best, weights: weights)
    }
}
