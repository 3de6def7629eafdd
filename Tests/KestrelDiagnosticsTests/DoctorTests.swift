import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// Doctor: the statistics against hand computations, the remedies chosen per verdict, and small
/// end-to-end searches whose answer is known.
final class DoctorTests: XCTestCase {
    func testPairedTTestMatchesHandComputation() {
        // Differences 0.03, 0.02, 0.01: mean 0.02, s = 0.01, t = 0.02 / (0.01 / √3) = 3.4641 with 2 df.
        // For 2 df, P(|T| ≥ t) = 1 − t / √(t² + 2) = 1 − 3.4641 / 3.7417 = 0.07418; half-width 4.303 · 0.01 / √3 = 0.024844.
        let comparison = PairedComparison(baseline: [0.80, 0.82, 0.81], remedy: [0.83, 0.84, 0.82])
        XCTAssertEqual(comparison.mean, 0.02, accuracy: 1e-12)
        XCTAssertEqual(comparison.tStatistic ?? 0, 3.4641016, accuracy: 1e-6)
        XCTAssertEqual(comparison.pValue ?? 0, 0.0741799, accuracy: 1e-6)
        XCTAssertEqual(comparison.halfWidth, 0.0248434, accuracy: 1e-6)
        // 1 df is Cauchy: P(|T| ≥ 1) = 0.5 exactly; large df tends to the normal's 0.05 at 1.96.
        XCTAssertEqual(StudentT.twoSidedPValue(t: 1, degreesOfFreedom: 1), 0.5, accuracy: 1e-10)
        XCTAssertEqual(StudentT.twoSidedPValue(t: 1.959964, degreesOfFreedom: 100_000), 0.05, accuracy: 1e-4)
        XCTAssertEqual(StudentT.twoSidedPValue(t: 2.776, degreesOfFreedom: 4), 0.05, accuracy: 1e-3)
        // One seed: no interval, no test.
        let single = PairedComparison(baseline: [0.8], remedy: [0.9])
        XCTAssertEqual(single.halfWidth, 0)
        XCTAssertNil(single.pValue)
    }

    func testHolmCorrection() {
        // Sorted 0.01, 0.03, 0.04 → 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
        XCTAssertEqual(PairedComparison.holmAdjusted([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
        XCTAssertEqual(PairedComparison.holmAdjusted([0.5, 0.9]), [1.0, 1.0])
    }

    func testRemediesFitTheVerdictAndTheModel() throws {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 128 relu, dense 10 softmax"), epochs: 20)
        let overfitting = RemedyCatalog.remedies(for: .overfitting, recipe: recipe, imageData: true)
        let changes = overfitting.map(\.change)
        XCTAssertEqual(changes.first, "+ dropout 0.5 after dense 128")
        XCTAssertTrue(changes.contains("+ l2 0.0001 on every kernel (2 layers)"), "\(changes)")
        XCTAssertTrue(changes.contains { $0.hasPrefix("+ EarlyStopping(monitor: \"val_loss\"") })
        XCTAssertTrue(changes.contains("dense 128 → 64 (units ÷2)"))
        XCTAssertTrue(overfitting.map(\.kind).contains(.dataAugmentation))
        XCTAssertFalse(overfitting.map(\.kind).contains(.moreEpochs), "more epochs is never offered for overfitting")
        XCTAssertEqual(RecipeText.specification(overfitting[0].recipe.specification), "flatten, dense 128 relu, dropout 0.5, dense 10 softmax")
        XCTAssertFalse(RemedyCatalog.remedies(for: .overfitting, recipe: recipe, imageData: false).map(\.kind).contains(.dataAugmentation))

        // Still learning: more epochs first. Underfitting (levelled off low): more capacity first (issue #20 split them).
        let stillLearning = RemedyCatalog.remedies(for: .stillLearning, recipe: recipe, imageData: true)
        XCTAssertEqual(stillLearning.first?.change, "epochs 20 → 60")
        XCTAssertTrue(stillLearning.map(\.change).contains("learning rate 0.001 → 0.003"), "\(stillLearning.map(\.change))")
        let underfitting = RemedyCatalog.remedies(for: .underfitting, recipe: recipe, imageData: true)
        XCTAssertEqual(underfitting.first?.change, "dense 128 → 256 (units ×2)")
        XCTAssertEqual(RemedyCatalog.remedies(for: .diverging, recipe: recipe, imageData: true).first?.change, "learning rate 0.001 → 0.0001")
        XCTAssertTrue(RemedyCatalog.remedies(for: .goodFit, recipe: recipe, imageData: true).isEmpty)
    }

    func testTheBestTwoCombineOnTopOfEachOther() throws {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 128 relu, dense 10 softmax"), epochs: 20)
        let dropout = try XCTUnwrap(RemedyCatalog.apply(.dropout(rate: 0.5), to: recipe))
        let l2 = try XCTUnwrap(RemedyCatalog.apply(.l2(factor: 1e-4), to: recipe))
        let both = try XCTUnwrap(dropout.combined(with: l2, base: recipe))
        XCTAssertEqual(RecipeText.specification(both.recipe.specification),
                       "flatten, dense 128 relu l2=0.0001, dropout 0.5, dense 10 softmax l2=0.0001")
        XCTAssertEqual(both.changes, [.dropout(rate: 0.5), .l2(factor: 1e-4)])
        XCTAssertEqual(RemedyCatalog.recipe(recipe, applying: both.changes), both.recipe, "a worker rebuilds the same recipe")
        XCTAssertGreaterThan(both.complexity, max(dropout.complexity, l2.complexity))
        // Two of a kind, or one that repeats the other, do not combine.
        let other = try XCTUnwrap(RemedyCatalog.apply(.dropout(rate: 0.2), to: recipe))
        XCTAssertNil(dropout.combined(with: other, base: recipe))
        let stopping = try XCTUnwrap(RemedyCatalog.apply(.earlyStopping(patience: 3), to: recipe))
        XCTAssertNil(stopping.combined(with: stopping, base: recipe))
        XCTAssertEqual(Doctor.bestCombination([dropout, other, l2], base: recipe)?.change, "+ dropout 0.5 after dense 128 and + l2 0.0001 on every kernel (2 layers)")
    }

    /// An arm with the given per-seed test accuracies and verdicts (gap 0.02 when fixed, else 0.15).
    private func arm(_ change: String, kind: SuggestionKind, complexity: Int, accuracies: [Double], verdict: Verdict) throws -> DoctorArm {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 10 softmax"))
        let runs = accuracies.enumerated().map { index, accuracy in
            DoctorRunResult(seed: UInt64(index), log: TrainingLog(), testAccuracy: accuracy, bestValidationLoss: 0.5,
                            finalGap: verdict == .overfitting ? 0.15 : 0.02, verdict: verdict, seconds: 1)
        }
        return DoctorArm(remedy: change == "baseline" ? nil : Remedy(kind: kind, change: change, recipe: recipe, complexity: complexity), runs: runs)
    }

    private func result(_ arms: [DoctorArm], baseline: DoctorArm) -> DoctorResult {
        let compared = Doctor.compare(baseline: baseline, arms: arms, problem: .overfitting, tolerance: 0.005)
        return DoctorResult(recipe: TrainingRecipe(specification: ModelSpecification(layers: [.flatten])), seeds: [0, 1, 2], baseline: baseline,
                            diagnosis: CurveAnalyzer().diagnose(TrainingLog()), problem: .overfitting, arms: compared, seconds: 1,
                            accuracyTolerance: 0.005)
    }

    func testRankingPutsFixesThatKeepAccuracyFirstAndPrescribesTheSimplest() throws {
        let baseline = try arm("baseline", kind: .keepSettings, complexity: 0, accuracies: [0.80, 0.81, 0.82], verdict: .overfitting)
        let dropout = try arm("dropout", kind: .dropout, complexity: 2, accuracies: [0.81, 0.82, 0.83], verdict: .goodFit)        // +1 %
        let stopping = try arm("stopping", kind: .earlyStopping, complexity: 1, accuracies: [0.801, 0.808, 0.821], verdict: .goodFit) // ≈ 0
        let augment = try arm("augment", kind: .dataAugmentation, complexity: 2, accuracies: [0.74, 0.76, 0.76], verdict: .goodFit)  // −5.7 %
        let l2 = try arm("l2", kind: .l2Regularization, complexity: 1, accuracies: [0.80, 0.815, 0.822], verdict: .overfitting)      // not fixed
        let outcome = result([augment, l2, stopping, dropout], baseline: baseline)
        XCTAssertEqual(outcome.ranked.map(\.name), ["dropout", "stopping", "augment", "l2"])
        XCTAssertEqual(outcome.arms.first { $0.name == "augment" }?.costsAccuracy, true)
        XCTAssertEqual(outcome.arms.first { $0.name == "stopping" }?.costsAccuracy, false)
        XCTAssertEqual(outcome.prescription?.name, "stopping", "the simplest fix that keeps accuracy")
        XCTAssertNil(outcome.bestTradeOff)
        XCTAssertTrue(outcome.conclusion.hasPrefix("Prescription: stopping — fixed the overfitting"), outcome.conclusion)
        XCTAssertTrue(DoctorReport.text(outcome, dataset: "x").contains("PRESCRIBED: fixed the overfitting"))
        // Combined: the best two that keep test accuracy (a fix that costs accuracy comes after them).
        XCTAssertEqual(Doctor.combinationOrder(outcome.arms).map(\.change), ["dropout", "stopping", "l2", "augment"])
    }

    func testWhenEveryFixCostsAccuracyTheSmallestCostIsTheBestTradeOff() throws {
        let baseline = try arm("baseline", kind: .keepSettings, complexity: 0, accuracies: [0.80, 0.81, 0.82], verdict: .overfitting)
        let augment = try arm("augment", kind: .dataAugmentation, complexity: 2, accuracies: [0.74, 0.76, 0.76], verdict: .goodFit)  // −5.7 %
        let smaller = try arm("smaller", kind: .smallerModel, complexity: 1, accuracies: [0.78, 0.79, 0.80], verdict: .goodFit)     // −2 %
        let l2 = try arm("l2", kind: .l2Regularization, complexity: 1, accuracies: [0.80, 0.815, 0.822], verdict: .overfitting)
        let outcome = result([augment, l2, smaller], baseline: baseline)
        XCTAssertNil(outcome.prescription)
        XCTAssertEqual(outcome.bestTradeOff?.name, "smaller")
        XCTAssertEqual(outcome.recommended?.name, "smaller")
        XCTAssertEqual(outcome.ranked.map(\.name), ["smaller", "augment", "l2"])
        // Differences −0.02 ×3: no spread, so the interval is 0 wide and the paired test p = 0.
        XCTAssertEqual(outcome.conclusion, "No prescription without a cost: the 2 remedies that fixed the overfitting all cost test accuracy. "
            + "Best trade-off (the smallest cost): smaller — gap 0.150 → 0.020, test accuracy -2.0 % ± 0.0 % (95 % interval -2.0 % to -2.0 %). "
            + "Adopt it only if a smaller generalisation gap is worth that accuracy.")
        let text = DoctorReport.text(outcome, dataset: "x")
        XCTAssertTrue(text.contains("BEST TRADE-OFF: fixed the overfitting"), text)
        XCTAssertTrue(text.contains("Best trade-off (costs test accuracy), command line:"), text)
        // Nothing fixed: no trade-off either, and the conclusion says so.
        let none = result([l2], baseline: baseline)
        XCTAssertNil(none.recommended)
        XCTAssertTrue(none.conclusion.hasPrefix("The one remedy tried did not fix the overfitting."), none.conclusion)
    }

    func testPrescriptionIsPasteable() throws {
        var recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 128 relu, dropout 0.5, dense 10 softmax l2=0.0001"),
                                    learningRate: 0.0005, epochs: 30, batchSize: 64)
        recipe.callbacks.earlyStopping = .init(monitor: "val_loss", patience: 3)
        let command = RecipeText.fitCommand(recipe, dataset: "fashion-mnist")
        XCTAssertEqual(command, "kestrel fit --model \"flatten, dense 128 relu, dropout 0.5, dense 10 softmax l2=0.0001\" --dataset fashion-mnist --epochs 30 --batch-size 64 --optimizer adam --learning-rate 0.0005 --early-stopping val_loss:3")
        // The printed spec parses back to the same model.
        XCTAssertEqual(try ModelSpecification(parsing: RecipeText.specification(recipe.specification)), recipe.specification)
        let swift = RecipeText.swiftSnippet(recipe)
        XCTAssertTrue(swift.contains("    Dropout(0.5)\n"), swift)
        XCTAssertTrue(swift.contains("Dense(10, activation: .softmax, kernelRegularizer: Regularizer(l2: 0.0001))"), swift)
        XCTAssertTrue(swift.contains("EarlyStopping(monitor: \"val_loss\", patience: 3, restoreBestWeights: true)"), swift)
    }

    func testBudgetParsing() throws {
        XCTAssertEqual(try DoctorBudget(parsing: "10m"), DoctorBudget(seconds: 600))
        XCTAssertEqual(try DoctorBudget(parsing: "90s"), DoctorBudget(seconds: 90))
        XCTAssertEqual(try DoctorBudget(parsing: "12"), DoctorBudget(runs: 12))
        XCTAssertThrowsError(try DoctorBudget(parsing: "soon"))
        XCTAssertThrowsError(try DoctorBudget(parsing: "0"))
    }

    // MARK: end to end, on a tiny synthetic image task (class = which half of a 4×4 image is brighter)

    static func halves(count: Int, seed: UInt64) -> LabeledImages {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var pixels: [UInt8] = [], labels: [Int] = []
        for _ in 0..<count {
            let label = next() < 0.5 ? 0 : 1
            for _ in 0..<4 {
                for column in 0..<4 {
                    let bright = (column < 2) == (label == 0)
                    pixels.append(UInt8(min(255, max(0, (bright ? 150 : 90) + (next() - 0.5) * 120))))
                }
            }
            labels.append(next() < 0.1 ? 1 - label : label)  // 10 % label noise: the loss levels off above 0
        }
        return LabeledImages(pixels: pixels, shape: [count, 4, 4], labels: labels, classNames: ["left", "right"])
    }

    private func data(count: Int = 400) -> TrainingData {
        TrainingData(train: Self.halves(count: count, seed: 1), test: Self.halves(count: 200, seed: 2), description: "halves")
    }

    func testUnderTrainedModelIsCuredByMoreEpochsOrAHigherLearningRate() throws {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 8 relu, dense 2 softmax"),
                                    optimizer: "sgd", learningRate: 0.003, epochs: 4, batchSize: 32)
        let result = try Doctor(recipe: recipe, data: data(), seeds: 3, budget: DoctorBudget(runs: 9)).examine()
        // Still learning or under-trained (issue #20 split these from "underfitting").
        XCTAssertTrue([.stillLearning, .underTrained].contains(result.problem), "\(result.problem): \(result.diagnosis.headline)")
        let prescribed = try XCTUnwrap(result.prescription?.remedy, DoctorReport.text(result, dataset: "halves"))
        XCTAssertTrue([.moreEpochs, .higherLearningRate].contains(prescribed.kind), prescribed.change)
        XCTAssertGreaterThan(result.prescription?.testAccuracy?.mean ?? 0, 0)
    }

    func testOverfittingModelIsCuredByRegularisationNotMoreEpochs() throws {
        // A large MLP on 100 noisy images for 40 epochs memorises them.
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 256 relu, dense 2 softmax"),
                                    optimizer: "adam", learningRate: 0.01, epochs: 40, batchSize: 16)
        let result = try Doctor(recipe: recipe, data: data(count: 100), seeds: 3, budget: DoctorBudget(runs: 9)).examine()
        let text = DoctorReport.text(result, dataset: "halves")
        XCTAssertEqual(result.problem, .overfitting, text)
        XCTAssertFalse(result.arms.contains { $0.remedy?.kind == .moreEpochs }, text)
        let prescribed = try XCTUnwrap(result.prescription?.remedy, text)
        XCTAssertTrue([.dropout, .l2Regularization, .earlyStopping].contains(prescribed.kind), text)
    }

    func testWellFittingModelNeedsNoRemedy() throws {
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 2 softmax"),
                                    optimizer: "adam", learningRate: 0.05, epochs: 8, batchSize: 50)
        let result = try Doctor(recipe: recipe, data: data(count: 1000), seeds: 3).examine()
        XCTAssertEqual(result.problem, .goodFit, "\(result.diagnosis.headline) \(result.diagnosis.evidence)")
        XCTAssertTrue(result.arms.isEmpty)
        XCTAssertTrue(result.conclusion.hasPrefix("No remedy needed"))
        let html = DoctorReport.html(result, dataset: "halves")
        XCTAssertTrue(html.contains("No remedy needed"))
    }
}

/// Known answers for the remedies of the verdicts issue #20 added: each verdict's cure, most promising first.
final class DoctorRemedyKnownAnswerTests: XCTestCase {
    private func recipe(_ text: String, optimizer: String = "sgd", learningRate: Double? = 3.0, batchSize: Int = 32) throws -> TrainingRecipe {
        TrainingRecipe(specification: try ModelSpecification(parsing: text), optimizer: optimizer, learningRate: learningRate,
                       epochs: 8, batchSize: batchSize)
    }

    func testCollapsedToChanceLowersTheLearningRateThenClipsTheGradients() throws {
        let remedies = RemedyCatalog.remedies(for: .collapsed, recipe: try recipe("flatten, dense 128 relu, dense 10 softmax"), imageData: true)
        XCTAssertEqual(remedies.map(\.change), ["learning rate 3 → 0.3", "+ clipnorm 1 on the optimizer", "learning rate 3 → 0.03"])
        XCTAssertEqual(remedies.first?.kind, .lowerLearningRate)
        XCTAssertEqual(remedies[1].recipe.clipnorm, 1)
        // The clipping reaches the optimizer the run trains with.
        let data = TrainingData(train: DoctorTests.halves(count: 16, seed: 1), description: "halves")
        let model = try remedies[1].recipe.makeModel(for: data, seed: 1)
        XCTAssertEqual(model.optimizer?.clipnorm, 1)
    }

    func testBatchNormalizationMismatchTriesMomentumFewerLayersLargerBatchAndMoreSteps() throws {
        let base = try recipe("flatten, dense 64 relu, batchnorm, dense 64 relu, batchnorm, dense 10 softmax", optimizer: "adam", learningRate: 0.01, batchSize: 128)
        let remedies = RemedyCatalog.remedies(for: .trainInferenceMismatch, recipe: base, imageData: true)
        XCTAssertEqual(remedies.map(\.kind), [.batchNormalizationMomentum, .fewerBatchNormalization, .largerBatch, .moreStepsPerEpoch])
        XCTAssertEqual(RecipeText.specification(remedies[0].recipe.specification),
                       "flatten, dense 64 relu, batchnorm momentum=0.9 epsilon=0.001, dense 64 relu, batchnorm momentum=0.9 epsilon=0.001, dense 10 softmax")
        XCTAssertEqual(RecipeText.specification(remedies[1].recipe.specification),
                       "flatten, dense 64 relu, batchnorm momentum=0.99 epsilon=0.001, dense 64 relu, dense 10 softmax")
        XCTAssertEqual(remedies[2].recipe.batchSize, 512)
        XCTAssertEqual(remedies[3].recipe.batchSize, 32)
        // A model without BatchNormalization gets only the batch-size changes.
        let plain = RemedyCatalog.remedies(for: .trainInferenceMismatch, recipe: try recipe("flatten, dense 64 relu, dense 10 softmax"), imageData: true)
        XCTAssertEqual(plain.map(\.kind), [.largerBatch, .moreStepsPerEpoch])
    }

    func testUnderTrainedRaisesTheLearningRateFirst() throws {
        let remedies = RemedyCatalog.remedies(for: .underTrained, recipe: try recipe("flatten, dense 10 softmax", learningRate: 0.0001), imageData: true)
        XCTAssertEqual(remedies.map(\.change), ["learning rate 0.0001 → 0.001", "learning rate 0.0001 → 0.0003", "epochs 8 → 24"])
        XCTAssertEqual(remedies.first?.kind, .higherLearningRate)
    }

    func testDivergingAndEarlyStoppedAndLeakage() throws {
        let base = try recipe("flatten, dense 128 relu, dense 10 softmax", learningRate: 10)
        XCTAssertEqual(RemedyCatalog.remedies(for: .diverging, recipe: base, imageData: true).map(\.kind),
                       [.lowerLearningRate, .lowerLearningRate, .gradientClipping, .largerBatch])
        XCTAssertEqual(RemedyCatalog.remedies(for: .earlyStopped, recipe: base, imageData: true).map(\.kind), [.earlyStopping])
        // A leak is fixed in the data, not in the recipe.
        XCTAssertTrue(RemedyCatalog.remedies(for: .leakageSuspected, recipe: base, imageData: true).isEmpty)
    }

    func testTheDiagnosisSuggestionsFollowTheNewVerdicts() {
        // The reproduction's shape: SGD at 3.0, loss 59.9 then ln 10, accuracy 0.10.
        let loss = [59.857, 2.331, 2.318, 2.322, 2.327, 2.315, 2.330, 2.325]
        let accuracy = [0.102, 0.097, 0.104, 0.099, 0.101, 0.096, 0.103, 0.101]
        let log = SyntheticLogs.log(["loss": loss, "accuracy": accuracy, "val_loss": loss.map { min($0, 2.32) }, "val_accuracy": accuracy.reversed()])
        let diagnosis = CurveAnalyzer().diagnose(log, model: ModelFacts(classes: 10, learningRate: 3))
        XCTAssertEqual(diagnosis.verdict, .collapsed, diagnosis.headline)
        XCTAssertEqual(diagnosis.suggestions.map(\.kind), [.lowerLearningRate, .gradientClipping, .differentInitializer])
        XCTAssertTrue(diagnosis.suggestions[0].text.hasPrefix("Lower the learning rate 10× or more (e.g. learning rate 0.300 instead of 3.000)"), diagnosis.suggestions[0].text)
    }
}
