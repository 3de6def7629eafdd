import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// `Tuner` end to end on the tiny "which half is brighter" images (`DoctorTests.halves`): random
/// search repeats itself for a seed, picks the value that clearly trains better, Hyperband runs Keras
/// Tuner's schedule with promoted models trained on, and the best model file loads.
final class TunerTests: XCTestCase {
    private func data(count: Int = 200) -> TrainingData {
        TrainingData(train: DoctorTests.halves(count: count, seed: 1), validation: DoctorTests.halves(count: 100, seed: 2),
                     description: "halves")
    }

    private func recipe(epochs: Int = 3) throws -> TrainingRecipe {
        TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 2 softmax"), optimizer: "adam",
                       epochs: epochs, batchSize: 16)
    }

    func testRandomSearchRepeatsItselfForASeedAndDiffersForAnother() throws {
        let template = try ModelTemplate(parsing: "flatten, dense {units:2..64 step=2} {activation:relu|tanh}, dense 2 softmax")
        func search(seed: UInt64) throws -> TunerResult {
            try Tuner(template: template, recipe: try recipe(epochs: 2), data: data(count: 64), algorithm: .randomSearch(maxTrials: 3),
                      firstSeed: seed).search()
        }
        let first = try search(seed: 5), again = try search(seed: 5), other = try search(seed: 6)
        XCTAssertEqual(first.trials.map(\.id), ["0", "1", "2"])  // Keras Tuner pads ids to the digits of max_trials
        XCTAssertEqual(first.trials, again.trials)
        XCTAssertNotEqual(first.trials.map { $0.values.map(\.value) }, other.trials.map { $0.values.map(\.value) })
        XCTAssertEqual(Set(first.trials.map { $0.values.map(\.value) }).count, 3, "values are not repeated")
        XCTAssertEqual(first.bestTrial.score, first.trials.map(\.score).max())
        // The score is the best epoch's val_accuracy of the run.
        for trial in first.trials {
            XCTAssertEqual(trial.score, try XCTUnwrap(trial.logs[0].values("val_accuracy")?.max()))
        }
    }

    func testTheClearlyBetterLearningRateWins() throws {
        // Adam at 1e-7 cannot move the weights in 4 epochs; at 0.05 the task is learnt.
        let template = try ModelTemplate(parsing: "flatten, dense {units:4|8} relu, dense 2 softmax")
        let rate = try HyperParameter(parsing: "0.0000001|0.05", name: "learning_rate", context: "--learning-rate")
        let tuner = try Tuner(template: template, learningRate: rate, recipe: try recipe(epochs: 4), data: data(),
                              algorithm: .randomSearch(maxTrials: 4), seeds: 2)
        var events: [String] = []
        let result = try tuner.search { event in
            switch event {
            case let .trialStarted(trial, number, planned, _): events.append("start \(trial.id) \(number)/\(planned)")
            case let .runFinished(trial, seed, _, _): events.append("run \(trial.id) \(seed)")
            case let .trialFinished(trial, _): events.append("done \(trial.id)")
            case let .stopped(reason): events.append("stopped \(reason)")
            }
        }
        XCTAssertEqual(result.trials.count, 4, result.table)  // the whole space: 2 × 2 values
        XCTAssertEqual(events.prefix(4), ["start 0 1/4", "run 0 42", "run 0 43", "done 0"])
        XCTAssertEqual(result.bestTrial.value("learning_rate"), .text("0.05"), result.summary())
        XCTAssertGreaterThan(result.bestTrial.score, 0.8, result.table)
        let slow = result.trials.filter { $0.value("learning_rate") == .text("0.0000001") }.map(\.score)
        XCTAssertEqual(slow.count, 2, result.table)
        XCTAssertLessThan(slow.reduce(0, +) / 2, result.bestTrial.score - 0.05, result.table)
        let summary = result.summary(numTrials: 2, directory: "out/tune")
        XCTAssertTrue(summary.hasPrefix("Results summary\nResults in out/tune\nShowing 2 best trials\nObjective(name=\"val_accuracy\", direction=\"max\")\n\nTrial "), summary)
        XCTAssertTrue(summary.contains("Hyperparameters:\nunits: ") && summary.contains("learning_rate: 0.05\nScore: "), summary)
        // A fifth trial finds no new values: Keras Tuner stops the search.
        let exhausted = try Tuner(template: template, learningRate: rate, recipe: try recipe(epochs: 1), data: data(count: 32),
                                  algorithm: .randomSearch(maxTrials: 5)).search()
        XCTAssertEqual(exhausted.trials.count, 4)
        XCTAssertTrue(exhausted.stopReason?.contains("exhausted") == true)
    }

    func testHyperbandFollowsTheScheduleAndTrainsPromotedModelsOn() throws {
        let template = try ModelTemplate(parsing: "flatten, dense {units:2..256} relu, dense 2 softmax")
        let schedule = try HyperbandSchedule(maxEpochs: 3, factor: 3)
        let result = try Tuner(template: template, learningRate: try HyperParameter(parsing: "1e-3..1e-1 log", name: "learning_rate", context: "t"),
                               recipe: try recipe(), data: data(count: 64), algorithm: .hyperband(schedule)).search()
        // max_epochs 3, factor 3: brackets 1 (3 models × 1 epoch, then the best 1 to epoch 3) and 0 (2 models × 3 epochs).
        XCTAssertEqual(result.trials.map { [$0.bracket, $0.round, $0.initialEpoch, $0.epochs] }, [
            [1, 0, 0, 1], [1, 0, 0, 1], [1, 0, 0, 1], [1, 1, 1, 3], [0, 0, 0, 3], [0, 0, 0, 3],
        ])
        XCTAssertEqual(result.trials.map(\.id), ["0000", "0001", "0002", "0003", "0004", "0005"])
        let promoted = result.trials[3]
        let best = result.trials.prefix(3).max { $0.score < $1.score || ($0.score == $1.score && $0.id > $1.id) }!
        XCTAssertEqual(promoted.previousTrialID, best.id)
        XCTAssertEqual(promoted.values.map(\.value), best.values.map(\.value))
        XCTAssertEqual(promoted.logs[0].epochs, [1, 2], "trained on from epoch 1 to 3 (0-based epochs 1 and 2)")
        XCTAssertTrue(promoted.summaryLines.contains("tuner/trial_id: \(best.id)") && promoted.summaryLines.contains("tuner/epochs: 3"))
        // A budget of 4 runs stops before the fifth trial.
        let limited = try Tuner(template: template, recipe: try recipe(), data: data(count: 64), algorithm: .hyperband(schedule),
                                budget: DoctorBudget(runs: 4)).search()
        XCTAssertEqual(limited.trials.count, 4)
        XCTAssertEqual(limited.stopReason, "trial 0004 would not fit: the budget of 4 runs is spent")
    }

    func testTheBestModelIsSavedAndLoadsWithItsBestEpochsWeights() throws {
        let template = try ModelTemplate(parsing: "flatten, dense {units:3|5} relu, dense 2 softmax")
        let tuner = try Tuner(template: template, recipe: try recipe(epochs: 2), data: data(count: 64), algorithm: .randomSearch(maxTrials: 2))
        let result = try tuner.search()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tuned-\(UUID().uuidString).keras")
        defer { try? FileManager.default.removeItem(at: file) }
        try result.bestModel.save(file.path)
        let loaded = try loadModel(file.path)
        let units = Int(try XCTUnwrap(result.bestTrial.value("units")?.number))
        let expected: Int = 16 * units + units + units * 2 + 2
        XCTAssertEqual(loaded.countParams(), expected)
        // The saved weights score the trial's best val_accuracy on the validation images.
        let validation = try XCTUnwrap(tuner.data.validation)
        let evaluated = try loaded.evaluate(validation.normalizedX, validation.y, verbose: 0)
        XCTAssertEqual(evaluated["accuracy"] ?? .nan, result.bestTrial.score, accuracy: 1e-6)
    }

    func testHostileSearchesAreRefused() throws {
        let template = try ModelTemplate(parsing: "flatten, dense {units:2..8}, dense 2 softmax")
        let data = data(count: 16)
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "no error"
        }
        XCTAssertTrue(message { _ = try Tuner(template: template, recipe: try recipe(), data: data, algorithm: .randomSearch(maxTrials: 0)) }
            .contains("The number of trials must be 1…10000, got 0"))
        XCTAssertTrue(message { _ = try Tuner(template: template, recipe: try recipe(), data: data, algorithm: .randomSearch(maxTrials: 5_000), seeds: 1000) }
            .contains("more than 100000 runs"))
        XCTAssertTrue(message { _ = try Tuner(template: template, recipe: try recipe(), data: data, algorithm: .randomSearch(maxTrials: 2),
                                               objective: try TunerObjective("val_auc")) }
            .contains("The objective 'val_auc' will not be logged; use one of loss, accuracy, val_loss, val_accuracy"))
        XCTAssertTrue(message { _ = try TunerObjective("val_f") }.contains("val_f:max or val_f:min"))
        XCTAssertTrue(message { _ = try Tuner(template: try ModelTemplate(parsing: "flatten, dense 2 softmax"), recipe: try recipe(), data: data,
                                               algorithm: .randomSearch(maxTrials: 2)) }
            .contains("There is nothing to tune"))
        XCTAssertTrue(message { _ = try Tuner(template: template, learningRate: try HyperParameter(parsing: "0|0.1", name: "learning_rate", context: "t"),
                                               recipe: try recipe(), data: data, algorithm: .randomSearch(maxTrials: 2)) }
            .contains("must be positive numbers"))
        XCTAssertEqual(try TunerObjective("val_loss").maximize, false)
        XCTAssertEqual(try TunerObjective(parsing: "val_thing:max").maximize, true)
    }
}
