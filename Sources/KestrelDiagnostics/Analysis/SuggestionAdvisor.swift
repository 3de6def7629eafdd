/// Derives suggestions from a verdict and its measurements (internal): the cure of each character, most promising first.
struct SuggestionAdvisor: Sendable {
    let facts: CurveFacts
    let verdict: Verdict

    func suggestions() -> [Suggestion] {
        let monitor = facts.monitor ?? "val_loss"
        switch verdict {
        case .overfitting:
            return [earlyStopping(), dropout, augmentation, l2, smallerModel, moreData].compactMap { $0 }
        case .earlyStopped:
            return [Suggestion(kind: .keepSettings, text: "Keep the best epoch's weights (EarlyStopping(monitor: \"\(monitor)\", restoreBestWeights: true), or ModelCheckpoint with saveBestOnly: true); training longer would not improve \(monitor).")]
                + (facts.sustainedWorsening || facts.persistentGap ? [dropout, l2] : [])
        case .underfitting:
            var list: [Suggestion] = []
            if facts.validationAboveRun > 0 || facts.model.trainingOnlyRegularizers(largeL2: facts.options.largeL2).count > 0 {
                list.append(Suggestion(kind: .lessRegularization, text: "Regularise less (lower Dropout rates, a smaller L2, milder augmentation): the model is held back more than it needs."))
            }
            if let comparison = facts.siblingComparison {
                list.append(Suggestion(kind: .biggerModel, text: "Give the model more capacity (more units or layers, or convolutions for images): \(comparison.bestSibling) does clearly better on the same data."))
            } else {
                list.append(Suggestion(kind: .biggerModel, text: "Train a larger model on the same data and compare both runs (kestrel compare SMALL=… LARGE=…): only a larger model that does clearly better shows that capacity is missing, rather than noisy labels capping every model."))
            }
            list.append(Suggestion(kind: .higherLearningRate, text: "If the loss levelled off early, try a learning rate 3× higher (or ReduceLROnPlateau from a higher start)."))
            return list
        case .stillLearning:
            return [
                Suggestion(kind: .moreEpochs, text: "Train for more epochs: the loss is still falling. Keep EarlyStopping(monitor: \"\(monitor)\", patience: \(facts.options.earlyStoppingPatience), restoreBestWeights: true) as a guard so the extra epochs cannot hurt."),
                Suggestion(kind: .reduceLearningRateOnPlateau, text: "Add ReduceLROnPlateau(monitor: \"\(monitor)\", factor: 0.5, patience: 2) to keep improving once progress slows."),
            ]
        case .underTrained:
            return [
                Suggestion(kind: .higherLearningRate, text: "Raise the learning rate 3–10× (e.g. \(raisedRate)): the loss falls steadily but far too slowly."),
                Suggestion(kind: .moreEpochs, text: "Or train for many more epochs, with EarlyStopping(monitor: \"\(monitor)\", patience: \(facts.options.earlyStoppingPatience), restoreBestWeights: true) as a guard."),
            ]
        case .unstable:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 3–10×, e.g. \(loweredRate(3)) (Adam's default is 0.001); a larger batch also steadies the updates."),
                Suggestion(kind: .reduceLearningRateOnPlateau, text: "Add ReduceLROnPlateau(monitor: \"\(facts.monitor ?? "loss")\", factor: 0.5, patience: 2) so the rate drops when the loss stops improving."),
                Suggestion(kind: .largerBatch, text: "Use a larger batch (e.g. 4× the current one) to average out noisy gradients."),
            ]
        case .diverging:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 10× or more (e.g. \(loweredRate(10)), or the optimizer's default instead of a large custom rate): the updates overshoot so far that the loss explodes."),
                Suggestion(kind: .gradientClipping, text: "Clip the gradients (clipnorm: 1.0 on the optimizer) so one bad batch cannot throw the weights far away."),
            ]
        case .collapsed:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 10× or more (e.g. \(loweredRate(10))): the first updates overshot, the units died or saturated, and the model now predicts the same thing for every input."),
                Suggestion(kind: .gradientClipping, text: "Clip the gradients (clipnorm: 1.0 on the optimizer) so the first large gradients cannot throw the weights into a dead region."),
                Suggestion(kind: .differentInitializer, text: "Try a different initialiser (he_normal for ReLU layers) and check the inputs are scaled to 0–1 or standardised."),
            ]
        case .trainInferenceMismatch:
            return [
                Suggestion(kind: .moreStepsPerEpoch, text: "Give BatchNormalization more steps: more training data per epoch or a smaller batch, so its moving statistics converge" + stepsText + "."),
                Suggestion(kind: .batchNormalizationMomentum, text: "Lower the BatchNormalization momentum to 0.9 (Keras's default 0.99 needs hundreds of steps to forget its starting statistics)."),
                Suggestion(kind: .fewerBatchNormalization, text: "Use fewer BatchNormalization layers (or none in a small model)."),
                Suggestion(kind: .largerBatch, text: "Use a larger batch, so each batch's statistics are closer to the data's."),
                Suggestion(kind: .checkData, text: "Check that the same preprocessing (scaling, normalisation) is applied to training, validation and prediction inputs."),
            ]
        case .leakageSuspected:
            return [
                Suggestion(kind: .checkData, text: "Check for overlap between training and validation data (duplicates, augmented copies of the same image, the same subject or time period on both sides) and split before any augmentation or oversampling."),
                Suggestion(kind: .addValidationData, text: "Score the model on a separate test set collected independently; trust that number."),
            ]
        case .nanLoss:
            return [
                Suggestion(kind: .lowerLearningRate, text: "Lower the learning rate 10× (e.g. \(loweredRate(10))) and clip the gradients (clipnorm: 1.0): NaN usually follows an overflow from too large updates."),
                Suggestion(kind: .checkData, text: "Check the inputs and labels for NaN or infinite values, and regularisation factors for absurd sizes (e.g. l2=1e30 overflows Float32)."),
                Suggestion(kind: .terminateOnNaN, text: "Add TerminateOnNaN() so a broken run stops at once instead of training on NaN."),
            ]
        case .goodFit:
            return [Suggestion(kind: .keepSettings, text: "Nothing to fix: the model generalises as well as it fits.")] + [earlyStopping()].compactMap { $0 }
        case .cannotJudge:
            var list = [Suggestion(kind: .addValidationData, text: "Hold out validation data (validationSplit: 0.2 or validationData:) so over- and underfitting can be judged.")]
            if facts.underTrained {
                list.append(Suggestion(kind: .higherLearningRate, text: "Raise the learning rate 3–10×: the training loss falls steadily but far too slowly."))
            } else if facts.stillLearning {
                list.append(Suggestion(kind: .moreEpochs, text: "Train for more epochs: the training loss is still falling."))
            }
            return list
        }
    }

    /// "learning rate 0.3 instead of 3.0" when the rate is known; else an example that claims nothing about the
    /// rate used (a log alone does not record it).
    private func loweredRate(_ factor: Double) -> String {
        guard let rate = facts.model.learningRate, rate > 0 else {
            return "1/\(Int(factor)) of the rate you used; from Adam's default that is .adam(learningRate: \(DiagnosticsFormat.number(0.001 / factor)))"
        }
        return "learning rate \(DiagnosticsFormat.number(rate / factor)) instead of \(DiagnosticsFormat.number(rate))"
    }

    private var raisedRate: String {
        guard let rate = facts.model.learningRate, rate > 0 else {
            return "10× the rate you used; from SGD's default that is .sgd(learningRate: 0.1)"
        }
        return "learning rate \(DiagnosticsFormat.number(rate * 10)) instead of \(DiagnosticsFormat.number(rate))"
    }

    private var stepsText: String {
        facts.model.stepsPerEpoch.map { " (this run has \($0) steps per epoch)" } ?? ""
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
        Suggestion(kind: .dropout, text: facts.model.hasDropout == true
            ? "Raise the Dropout rates the model already has (e.g. 0.3 → 0.5) or add Dropout after more layers."
            : "Add Dropout(0.3–0.5) after the large Dense layers (and lighter, 0.1–0.25, after convolution blocks).")
    }
    private var augmentation: Suggestion? {
        facts.model.hasAugmentation == true ? nil
            : Suggestion(kind: .dataAugmentation, text: "For images, augment the training data (RandomFlip, RandomRotation, RandomZoom, RandomTranslation) so the model cannot memorise exact pixels.")
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
