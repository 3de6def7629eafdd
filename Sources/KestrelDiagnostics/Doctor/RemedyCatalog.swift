import Kestrel

/// The remedies that fit a verdict and a model, ordered by expected effect (the most promising
/// first, so a small budget tries them first).
public enum RemedyCatalog {
    /// Remedies for `verdict` on `recipe`; `imageData` allows augmentation. A good fit (or a
    /// verdict that cannot be judged) gets none.
    public static func remedies(for verdict: Verdict, recipe: TrainingRecipe, imageData: Bool) -> [Remedy] {
        var list: [Remedy?]
        switch verdict {
        case .overfitting:
            list = [dropout(recipe, rate: 0.5), earlyStopping(recipe), l2(recipe, factor: 1e-4), dropout(recipe, rate: 0.2),
                    imageData ? augmentation(recipe) : nil, smaller(recipe, divisor: 2), reduceLR(recipe),
                    batchNormalization(recipe), smaller(recipe, divisor: 4)]
        case .underfitting:
            list = [moreEpochs(recipe), learningRate(recipe, factor: 3, kind: .higherLearningRate), larger(recipe),
                    lessRegularization(recipe)]
        case .unstable:
            list = [learningRate(recipe, factor: 1.0 / 3, kind: .lowerLearningRate), reduceLR(recipe), largerBatch(recipe)]
        case .diverging, .nanLoss:
            list = [learningRate(recipe, factor: 0.1, kind: .lowerLearningRate), learningRate(recipe, factor: 0.01, kind: .lowerLearningRate),
                    largerBatch(recipe)]
        case .goodFit, .cannotJudge:
            list = []
        }
        var seen: [TrainingRecipe] = []
        return list.compactMap { $0 }.filter { remedy in
            guard remedy.recipe != recipe, !seen.contains(remedy.recipe) else { return false }
            seen.append(remedy.recipe)
            return true
        }
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
            switch changed.specification.layers[index] {
            case let .dense(units, activation, _):
                changed.specification.layers[index] = .dense(units: units, activation: activation, kernelRegularizer: Regularizer(l2: factor))
                count += 1
            case let .conv2D(filters, kernel, strides, padding, activation, _):
                changed.specification.layers[index] = .conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding,
                                                              activation: activation, kernelRegularizer: Regularizer(l2: factor))
                count += 1
            default: break
            }
        }
        guard count > 0 else { return nil }
        return Remedy(kind: .l2Regularization, change: "+ l2 \(format(Double(factor))) on every kernel (\(count) layer\(count == 1 ? "" : "s"))",
                      recipe: changed, complexity: 1)
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

    static func earlyStopping(_ recipe: TrainingRecipe) -> Remedy? {
        guard recipe.callbacks.earlyStopping == nil, recipe.validationSplit > 0 else { return nil }
        var changed = recipe
        changed.callbacks.earlyStopping = .init(monitor: "val_loss", patience: 3)
        return Remedy(kind: .earlyStopping, change: "+ EarlyStopping(monitor: \"val_loss\", patience: 3, restoreBestWeights: true)",
                      recipe: changed, complexity: 1)
    }

    static func reduceLR(_ recipe: TrainingRecipe) -> Remedy? {
        guard recipe.callbacks.reduceLR == nil, recipe.validationSplit > 0 else { return nil }
        var changed = recipe
        changed.callbacks.reduceLR = .init(monitor: "val_loss", factor: 0.5, patience: 2)
        return Remedy(kind: .reduceLearningRateOnPlateau, change: "+ ReduceLROnPlateau(monitor: \"val_loss\", factor: 0.5, patience: 2)",
                      recipe: changed, complexity: 1)
    }

    static func augmentation(_ recipe: TrainingRecipe) -> Remedy? {
        guard recipe.augmentation == nil else { return nil }
        var changed = recipe
        changed.augmentation = "flip,rotate:10,shift:0.1"
        return Remedy(kind: .dataAugmentation, change: "+ augmentation flip,rotate:10,shift:0.1 (RandomFlip, RandomRotation, RandomTranslation)",
                      recipe: changed, complexity: 2)
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

    static func larger(_ recipe: TrainingRecipe) -> Remedy? {
        guard let (changed, text) = resized(recipe, { $0 * 2 }) else { return nil }
        return Remedy(kind: .biggerModel, change: text + " (units ×2)", recipe: changed, complexity: 1)
    }

    static func moreEpochs(_ recipe: TrainingRecipe) -> Remedy? {
        var changed = recipe
        changed.epochs = recipe.epochs * 3
        return Remedy(kind: .moreEpochs, change: "epochs \(recipe.epochs) → \(changed.epochs)", recipe: changed, complexity: 1)
    }

    /// The learning rate the recipe trains with (its own, else the optimizer's Keras default).
    static func effectiveLearningRate(_ recipe: TrainingRecipe) -> Double {
        if let rate = recipe.learningRate { return rate }
        return (try? Optimizer.named(recipe.optimizer)).map { Double($0.learningRate) } ?? 0.001
    }

    static func learningRate(_ recipe: TrainingRecipe, factor: Double, kind: SuggestionKind) -> Remedy? {
        let current = effectiveLearningRate(recipe)
        var changed = recipe
        changed.learningRate = current * factor
        return Remedy(kind: kind, change: "learning rate \(format(current)) → \(format(current * factor))", recipe: changed, complexity: 1)
    }

    static func largerBatch(_ recipe: TrainingRecipe) -> Remedy? {
        var changed = recipe
        changed.batchSize = recipe.batchSize * 4
        return Remedy(kind: .largerBatch, change: "batch size \(recipe.batchSize) → \(changed.batchSize)", recipe: changed, complexity: 1)
    }

    static func lessRegularization(_ recipe: TrainingRecipe) -> Remedy? {
        var changed = recipe
        changed.specification.layers = recipe.specification.layers.compactMap { layer in
            switch layer {
            case .dropout: return nil
            case let .dense(units, activation, _): return .dense(units: units, activation: activation, kernelRegularizer: nil)
            case let .conv2D(filters, kernel, strides, padding, activation, _):
                return .conv2D(filters: filters, kernelSize: kernel, strides: strides, padding: padding, activation: activation, kernelRegularizer: nil)
            default: return layer
            }
        }
        changed.augmentation = nil
        guard changed != recipe else { return nil }
        return Remedy(kind: .lessRegularization, change: "− dropout, L1/L2 and augmentation", recipe: changed, complexity: 1)
    }

    /// Both remedies' changes on `base` (the second's change re-applied to the first's recipe);
    /// nil when they touch the same thing.
    static func merge(_ first: TrainingRecipe, _ second: TrainingRecipe, base: TrainingRecipe) -> TrainingRecipe? {
        var merged = first
        if second.callbacks != base.callbacks {
            if second.callbacks.earlyStopping != nil { merged.callbacks.earlyStopping = second.callbacks.earlyStopping }
            if second.callbacks.reduceLR != nil { merged.callbacks.reduceLR = second.callbacks.reduceLR }
        }
        if second.augmentation != base.augmentation { merged.augmentation = second.augmentation }
        if second.learningRate != base.learningRate { merged.learningRate = second.learningRate }
        if second.epochs != base.epochs { merged.epochs = second.epochs }
        if second.batchSize != base.batchSize { merged.batchSize = second.batchSize }
        if second.specification != base.specification {
            guard first.specification == base.specification else { return nil }
            merged.specification = second.specification
        }
        return merged == first || merged == second ? nil : merged
    }

    static func format(_ value: Double) -> String {
        let text = String(format: "%g", value)
        return text
    }
}
