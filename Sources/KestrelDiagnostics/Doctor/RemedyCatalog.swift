import Kestrel

/// The remedies that fit a verdict and a model, ordered by expected effect (the most promising
/// first, so a small budget tries them first).
public enum RemedyCatalog {
    /// Remedies for `verdict` on `recipe`; `imageData` allows augmentation. A good fit (or a
    /// verdict that cannot be judged) gets none.
    public static func remedies(for verdict: Verdict, recipe: TrainingRecipe, imageData: Bool) -> [Remedy] {
        let changes: [RemedyChange]
        switch verdict {
        case .overfitting:
            changes = [.dropout(rate: 0.5), .earlyStopping(patience: 3), .l2(factor: 1e-4), .dropout(rate: 0.2)]
                + (imageData ? [.augmentation("flip,rotate:10,shift:0.1")] : [])
                + [.smallerModel(divisor: 2), .reduceLROnPlateau(factor: 0.5, patience: 2), .batchNormalization, .smallerModel(divisor: 4)]
        case .underfitting:
            changes = [.largerModel(factor: 2), .lessRegularization, .learningRate(factor: 3), .moreEpochs(factor: 3)]
        case .stillLearning:
            changes = [.moreEpochs(factor: 3), .learningRate(factor: 3), .largerModel(factor: 2), .lessRegularization]
        case .underTrained:
            changes = [.learningRate(factor: 10), .learningRate(factor: 3), .moreEpochs(factor: 3)]
        case .unstable:
            changes = [.learningRate(factor: 1.0 / 3), .reduceLROnPlateau(factor: 0.5, patience: 2), .largerBatch(factor: 4)]
        case .diverging, .nanLoss:
            changes = [.learningRate(factor: 0.1), .learningRate(factor: 0.01), .gradientClipping(clipnorm: 1), .largerBatch(factor: 4)]
        case .collapsed:
            // A different initialiser is suggested in words only: a recipe's layers do not carry initialisers.
            changes = [.learningRate(factor: 0.1), .gradientClipping(clipnorm: 1), .learningRate(factor: 0.01)]
        case .trainInferenceMismatch:
            changes = [.batchNormalizationMomentum(0.9), .fewerBatchNormalization, .largerBatch(factor: 4), .moreStepsPerEpoch(factor: 4)]
        case .earlyStopped:
            changes = [.earlyStopping(patience: 3)]
        case .goodFit, .cannotJudge, .leakageSuspected:
            changes = []
        }
        var seen: [TrainingRecipe] = []
        return changes.compactMap { apply($0, to: recipe) }.filter { remedy in
            guard remedy.recipe != recipe, !seen.contains(remedy.recipe) else { return false }
            seen.append(remedy.recipe)
            return true
        }
    }

    /// `change` applied to `recipe` as a remedy (its printed change and new recipe); nil when it
    /// does not apply (no hidden Dense layer, a callback already there, no validation data).
    public static func apply(_ change: RemedyChange, to recipe: TrainingRecipe) -> Remedy? {
        let remedy: Remedy?
        switch change {
        case let .dropout(rate): remedy = dropout(recipe, rate: rate)
        case let .l2(factor): remedy = l2(recipe, factor: factor)
        case .batchNormalization: remedy = batchNormalization(recipe)
        case let .earlyStopping(patience): remedy = earlyStopping(recipe, patience: patience)
        case let .reduceLROnPlateau(factor, patience): remedy = reduceLR(recipe, factor: factor, patience: patience)
        case let .augmentation(text): remedy = augmentation(recipe, text: text)
        case let .smallerModel(divisor): remedy = smaller(recipe, divisor: divisor)
        case let .largerModel(factor): remedy = larger(recipe, factor: factor)
        case let .moreEpochs(factor): remedy = moreEpochs(recipe, factor: factor)
        case let .learningRate(factor):
            remedy = learningRate(recipe, factor: factor, kind: factor > 1 ? .higherLearningRate : .lowerLearningRate)
        case let .largerBatch(factor): remedy = largerBatch(recipe, factor: factor)
        case .lessRegularization: remedy = lessRegularization(recipe)
        case let .gradientClipping(clipnorm): remedy = gradientClipping(recipe, clipnorm: clipnorm)
        case let .batchNormalizationMomentum(momentum): remedy = batchNormalizationMomentum(recipe, momentum: momentum)
        case .fewerBatchNormalization: remedy = fewerBatchNormalization(recipe)
        case let .moreStepsPerEpoch(factor): remedy = moreSteps(recipe, factor: factor)
        }
        guard var remedy else { return nil }
        remedy.changes = [change]
        return remedy
    }

    /// The recipe of `changes` applied in order to `base`; nil when one of them does not apply.
    public static func recipe(_ base: TrainingRecipe, applying changes: [RemedyChange]) -> TrainingRecipe? {
        var recipe = base
        for change in changes {
            guard let remedy = apply(change, to: recipe) else { return nil }
            recipe = remedy.recipe
        }
        return recipe
    }

    /// The hidden Dense layers (all but the last Dense): (index, units).
    static func hiddenDense(_ layers: [LayerSpecification]) -> [(index: Int, units: Int)] {
        let dense = layers.indices.compactMap { index -> (Int, Int)? in
            if case let .dense(units, _, _) = layers[index] { return (index, units) }
            return nil
        }
        return Array(dense.dropLast())
    }

    static func dropout(_ recipe: TrainingRecipe, rate: Float) -> Remedy? {
        let large = hiddenDense(recipe.specification.layers).filter { $0.units >= 64 }
        let targets = large.isEmpty ? hiddenDense(recipe.specification.layers) : large
        guard !targets.isEmpty else { return nil }
        var changed = recipe
        for target in targets.reversed() {
            let next = target.index + 1
            if next < changed.specification.layers.count, case .dropout = changed.specification.layers[next] {
                changed.specification.layers[next] = .dropout(rate: rate)
            } else {
                changed.specification.layers.insert(.dropout(rate: rate), at: next)
            }
        }
        let where_ = targets.map { "dense \($0.units)" }.joined(separator: ", ")
        return Remedy(kind: .dropout, change: "+ dropout \(format(Double(rate))) after \(where_)", recipe: changed, complexity: 2)
    }

    static func l2(_ recipe: TrainingRecipe, factor: Float) -> Remedy? {
        var changed = recipe
        var count = 0
        for index in changed.specification.layers.indices {
            guard let regularized = withKernelRegularizer(changed.specification.layers[index], Regularizer(l2: factor)) else { continue }
            changed.specification.layers[index] = regularized
            count += 1
        }
        guard count > 0 else { return nil }
        return Remedy(kind: .l2Regularization, change: "+ l2 \(format(Double(factor))) on every kernel (\(count) layer\(count == 1 ? "" : "s"))",
                      recipe: changed, complexity: 1)
    }

    /// `layer` with `regularizer` on its kernel; nil for a layer without a kernel regularizer (not Dense or Conv2D).
    static func withKernelRegularizer(_ layer: LayerSpecification, _ regularizer: Regularizer?) -> LayerSpecification? {
        switch layer {
        case let .dense(units, activation, _): return .dense(units: units, activation: activation, kernelRegularizer: regularizer)
        case let .conv2D(filters, kernel, strides, padding, activation, _):
            return .conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding, activation: activation, kernelRegularizer: regularizer)
        default: return nil
        }
    }

    static func batchNormalization(_ recipe: TrainingRecipe) -> Remedy? {
        let targets = hiddenDense(recipe.specification.layers)
        guard !targets.isEmpty else { return nil }
        var changed = recipe
        for target in targets.reversed() {
            changed.specification.layers.insert(.batchNormalization(momentum: 0.99, epsilon: 0.001), at: target.index + 1)
        }
        return Remedy(kind: .batchNormalization, change: "+ batchnorm after " + targets.map { "dense \($0.units)" }.joined(separator: ", "),
                      recipe: changed, complexity: 2)
    }

    static func earlyStopping(_ recipe: TrainingRecipe, patience: Int) -> Remedy? {
        guard recipe.callbacks.earlyStopping == nil, recipe.validationSplit > 0 else { return nil }
        return remedy(.earlyStopping, "+ EarlyStopping(monitor: \"val_loss\", patience: \(patience), restoreBestWeights: true)", recipe) {
            $0.callbacks.earlyStopping = .init(monitor: "val_loss", patience: patience)
        }
    }

    static func reduceLR(_ recipe: TrainingRecipe, factor: Double, patience: Int) -> Remedy? {
        guard recipe.callbacks.reduceLR == nil, recipe.validationSplit > 0 else { return nil }
        return remedy(.reduceLearningRateOnPlateau, "+ ReduceLROnPlateau(monitor: \"val_loss\", factor: \(format(factor)), patience: \(patience))", recipe) {
            $0.callbacks.reduceLR = .init(monitor: "val_loss", factor: factor, patience: patience)
        }
    }

    static func augmentation(_ recipe: TrainingRecipe, text: String) -> Remedy? {
        guard recipe.augmentation == nil else { return nil }
        return remedy(.dataAugmentation, "+ augmentation \(text) (RandomFlip, RandomRotation, RandomTranslation)", recipe, complexity: 2) {
            $0.augmentation = text
        }
    }

    static func resized(_ recipe: TrainingRecipe, _ transform: (Int) -> Int) -> (TrainingRecipe, String)? {
        let targets = hiddenDense(recipe.specification.layers)
        guard !targets.isEmpty else { return nil }
        var changed = recipe
        var parts: [String] = []
        for target in targets {
            guard case let .dense(units, activation, regularizer) = changed.specification.layers[target.index] else { continue }
            let new = max(1, transform(units))
            changed.specification.layers[target.index] = .dense(units: new, activation: activation, kernelRegularizer: regularizer)
            parts.append("dense \(units) → \(new)")
        }
        return (changed, parts.joined(separator: ", "))
    }

    static func smaller(_ recipe: TrainingRecipe, divisor: Int) -> Remedy? {
        guard let (changed, text) = resized(recipe, { $0 / divisor }), changed != recipe else { return nil }
        return Remedy(kind: .smallerModel, change: text + " (units ÷\(divisor))", recipe: changed, complexity: 1)
    }

    static func larger(_ recipe: TrainingRecipe, factor: Int) -> Remedy? {
        guard let (changed, text) = resized(recipe, { $0 * factor }), changed != recipe else { return nil }
        return Remedy(kind: .biggerModel, change: text + " (units ×\(factor))", recipe: changed, complexity: 1)
    }

    static func moreEpochs(_ recipe: TrainingRecipe, factor: Int) -> Remedy? {
        remedy(.moreEpochs, "epochs \(recipe.epochs) → \(recipe.epochs * factor)", recipe) { $0.epochs = recipe.epochs * factor }
    }

    /// The learning rate the recipe trains with (its own, else the optimizer's Keras default).
    static func effectiveLearningRate(_ recipe: TrainingRecipe) -> Double {
        if let rate = recipe.learningRate { return rate }
        return (try? Optimizer.named(recipe.optimizer)).map { Double($0.learningRate) } ?? 0.001
    }

    static func learningRate(_ recipe: TrainingRecipe, factor: Double, kind: SuggestionKind) -> Remedy? {
        let current = effectiveLearningRate(recipe)
        return remedy(kind, "learning rate \(format(current)) → \(format(current * factor))", recipe) { $0.learningRate = current * factor }
    }

    static func largerBatch(_ recipe: TrainingRecipe, factor: Int) -> Remedy? {
        remedy(.largerBatch, "batch size \(recipe.batchSize) → \(recipe.batchSize * factor)", recipe) { $0.batchSize = recipe.batchSize * factor }
    }

    static func lessRegularization(_ recipe: TrainingRecipe) -> Remedy? {
        var changed = recipe
        changed.specification.layers = recipe.specification.layers.compactMap { layer in
            if case .dropout = layer { return nil }
            return withKernelRegularizer(layer, nil) ?? layer
        }
        changed.augmentation = nil
        guard changed != recipe else { return nil }
        return Remedy(kind: .lessRegularization, change: "− dropout, L1/L2 and augmentation", recipe: changed, complexity: 1)
    }

    static func gradientClipping(_ recipe: TrainingRecipe, clipnorm: Double) -> Remedy? {
        guard recipe.clipnorm == nil, clipnorm > 0 else { return nil }
        return remedy(.gradientClipping, "+ clipnorm \(format(clipnorm)) on the optimizer", recipe) { $0.clipnorm = clipnorm }
    }

    /// The rows of the BatchNormalization layers.
    static func batchNormalizationRows(_ layers: [LayerSpecification]) -> [Int] {
        layers.indices.filter { if case .batchNormalization = layers[$0] { return true } else { return false } }
    }

    static func batchNormalizationMomentum(_ recipe: TrainingRecipe, momentum: Double) -> Remedy? {
        var changed = recipe
        var count = 0
        for row in batchNormalizationRows(recipe.specification.layers) {
            guard case let .batchNormalization(old, epsilon) = recipe.specification.layers[row], Double(old) != momentum else { continue }
            changed.specification.layers[row] = .batchNormalization(momentum: Float(momentum), epsilon: epsilon)
            count += 1
        }
        guard count > 0 else { return nil }
        return Remedy(kind: .batchNormalizationMomentum, change: "batchnorm momentum → \(format(momentum)) (\(count) layer\(count == 1 ? "" : "s"))",
                      recipe: changed, complexity: 1)
    }

    static func fewerBatchNormalization(_ recipe: TrainingRecipe) -> Remedy? {
        let rows = batchNormalizationRows(recipe.specification.layers)
        guard !rows.isEmpty else { return nil }
        let removed = rows.count == 1 ? rows : Array(rows.dropFirst())
        var changed = recipe
        for row in removed.reversed() { changed.specification.layers.remove(at: row) }
        return Remedy(kind: .fewerBatchNormalization, change: "− \(removed.count) of \(rows.count) batchnorm layer\(rows.count == 1 ? "" : "s")",
                      recipe: changed, complexity: 1)
    }

    static func moreSteps(_ recipe: TrainingRecipe, factor: Int) -> Remedy? {
        let smaller = max(1, recipe.batchSize / max(1, factor))
        guard smaller < recipe.batchSize else { return nil }
        return remedy(.moreStepsPerEpoch, "batch size \(recipe.batchSize) → \(smaller) (\(factor)× the steps per epoch)", recipe) {
            $0.batchSize = smaller
        }
    }

    /// The remedy of `kind`, printed as `change`: `recipe` after `edit`.
    static func remedy(_ kind: SuggestionKind, _ change: String, _ recipe: TrainingRecipe, complexity: Int = 1,
                       _ edit: (inout TrainingRecipe) -> Void) -> Remedy {
        var changed = recipe
        edit(&changed)
        return Remedy(kind: kind, change: change, recipe: changed, complexity: complexity)
    }

    static func format(_ value: Double) -> String { String(format: "%g", value) }
}
