/// Derives suggestions from a verdict and its measurements (internal).
struct SuggestionAdvisor: Sendable {
    let facts: CurveFacts
    let verdict: Verdict

    func suggestions() -> [Suggestion] {
        switch verdict {
        case .overfitting:
            return [earlyStopping(), dropout, augmentation, l2, smallerModel, moreData].compactMap { $0 }
        case .underfitting:
            var list: [Suggestion] = []
            if facts.stillLearning && facts.validationStillImproving {
                list.append(Suggestion(kind: .moreEpochs, text: "Train for more epochs: the loss is still falling. Keep EarlyStopping(monitor: \"\(facts.monitor ?? "val_loss")\", patience: \(facts.options.earlyStoppingPatience), restoreBestWeights: true) as a guard so the extra epochs cannot hurt."))
            }
            list.append(Suggestion(kind: .biggerModel, text: "Give the model more capacity (more units or layers) if the training accuracy stays low."))
            list.append(Suggestion(kind: .reduceLearningRateOnPlateau, text: "Add ReduceLROnPlateau(monitor: \"\(facts.monitor ?? "loss")\", factor: 0.5, patience: 2) to keep improving once progress slows."))
            return list
        case .unstable:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 3–10×, e.g. .adam(learningRate: 0.0001) instead of 0.001; a larger batch also steadies the updates."),
                Suggestion(kind: .reduceLearningRateOnPlateau, text: "Add ReduceLROnPlateau(monitor: \"\(facts.monitor ?? "loss")\", factor: 0.5, patience: 2) so the rate drops when the loss stops improving."),
            ]
        case .diverging:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 10× or more (e.g. .adam(learningRate: 0.0001), or the optimizer's default instead of a large custom rate): the updates overshoot so far that the loss grows."),
                Suggestion(kind: .gradientClipping, text: "Clip the gradients (clipnorm: 1.0 on the optimizer) so one bad batch cannot throw the weights far away."),
            ]
        case .nanLoss:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 10× (e.g. .adam(learningRate: 0.0001)) and clip the gradients (clipnorm: 1.0): NaN usually follows an overflow from too large updates."),
                Suggestion(kind: .checkData, text: "Check the inputs and labels for NaN or infinite values, and regularisation factors for absurd sizes (e.g. l2=1e30 overflows Float32)."),
                Suggestion(kind: .terminateOnNaN, text: "Add TerminateOnNaN() so a broken run stops at once instead of training on NaN."),
            ]
        case .goodFit:
            return [Suggestion(kind: .keepSettings, text: "Nothing to fix: the model generalises as well as it fits.")] + [earlyStopping()].compactMap { $0 }
        case .cannotJudge:
            var list = [Suggestion(kind: .addValidationData, text: "Hold out validation data (validationSplit: 0.2 or validationData:) so over- and underfitting can be judged.")]
            if facts.stillLearning {
                list.append(Suggestion(kind: .moreEpochs, text: "Train for more epochs: the training loss is still falling."))
            }
            return list
        }
    }

    private func earlyStopping() -> Suggestion? {
        guard let simulation = facts.earlyStopping else { return nil }
        let head = "Add EarlyStopping(monitor: \"\(simulation.monitor)\", patience: \(simulation.patience), restoreBestWeights: true)"
        guard let stopped = simulation.stoppedEpoch, let best = simulation.bestEpoch, let value = simulation.bestValue else {
            return Suggestion(kind: .earlyStopping, text: head + ": on this log it would not have stopped early, but it guards longer runs.")
        }
        return Suggestion(kind: .earlyStopping, text: head + ": on this log it would have stopped at \(epochText(stopped)) and restored the weights of \(epochText(best)) (\(simulation.monitor) \(DiagnosticsFormat.number(value))), saving \(simulation.epochsSaved) epoch\(simulation.epochsSaved == 1 ? "" : "s").")
    }

    private func epochText(_ index: Int) -> String {
        DiagnosticsFormat.epoch(index < facts.log.epochs.count ? facts.log.epochs[index] : index)
    }

    private var dropout: Suggestion {
        Suggestion(kind: .dropout, text: "Add Dropout(0.3–0.5) after the large Dense layers (and lighter, 0.1–0.25, after convolution blocks).")
    }
    private var augmentation: Suggestion {
        Suggestion(kind: .dataAugmentation, text: "For images, augment the training data (RandomFlip, RandomRotation, RandomZoom, RandomTranslation) so the model cannot memorise exact pixels.")
    }
    private var l2: Suggestion {
        Suggestion(kind: .l2Regularization, text: "Add L2 weight decay to the kernels, e.g. kernelRegularizer: .l2(0.0001).")
    }
    private var smallerModel: Suggestion {
        Suggestion(kind: .smallerModel, text: "Try a smaller model (fewer units or layers): this one has the capacity to memorise the training set.")
    }
    private var moreData: Suggestion {
        Suggestion(kind: .moreData, text: "Collect more training data if you can: it is the most reliable cure for overfitting.")
    }
}
