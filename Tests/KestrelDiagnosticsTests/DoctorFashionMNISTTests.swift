import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// The doctor on real Fashion-MNIST subsets whose answer is known (issue 15's "Checked by"): a
/// large MLP memorising 400 images is cured by Dropout, L2 or EarlyStopping and is never offered
/// more epochs; a model stopped after three epochs is cured by more epochs or a higher learning
/// rate; softmax regression on 6,000 images already fits well and gets no remedy. Each asserts what
/// the doctor actually found and chose. Skipped without Debian's dataset-fashion-mnist.
final class DoctorFashionMNISTTests: XCTestCase {
    static let directory = "/usr/share/datasets/fashion-mnist"

    /// The training and test images, loaded once for the class.
    private static let loaded: Result<(train: LabeledImages, test: LabeledImages), Error>? = {
        guard FileManager.default.fileExists(atPath: directory + "/t10k-labels-idx1-ubyte.gz"),
              FileManager.default.fileExists(atPath: directory + "/train-images-idx3-ubyte.gz") else { return nil }
        return Result { try Datasets.fashionMNIST.load(directory: directory) }.map { (train: $0.0, test: $0.1) }
    }()

    /// The first `train` training images and the first `test` test images.
    private func subset(train: Int, test: Int) throws -> TrainingData {
        guard let loaded = Self.loaded else {
            throw XCTSkip("Fashion-MNIST is not installed at \(Self.directory) (Debian package dataset-fashion-mnist, `make deps`)")
        }
        let images = try loaded.get()
        return TrainingData(train: images.train.slice(0..<train), test: images.test.slice(0..<test),
                            description: "Fashion-MNIST, first \(train) training and \(test) test images")
    }

    private func describe(_ result: DoctorResult) -> String { DoctorReport.text(result, dataset: "fashion-mnist") }

    func testOverfittingMLPIsCuredByDropoutL2OrEarlyStoppingNeverMoreEpochs() throws {
        // 320 training images (80 held out) memorised by 100 k weights at a high learning rate.
        let data = try subset(train: 400, test: 1000)
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 128 relu, dense 10 softmax"),
                                    optimizer: "adam", learningRate: 0.01, epochs: 15, batchSize: 32)
        let result = try Doctor(recipe: recipe, data: data, seeds: 2, budget: DoctorBudget(runs: 6)).examine()
        let text = describe(result)
        XCTAssertEqual(result.problem, .overfitting, text)
        XCTAssertTrue(result.baseline.runs.allSatisfy { $0.finalGap > 0.1 }, "the baseline memorises its images: \(text)")
        XCTAssertFalse(result.arms.contains { $0.remedy?.kind == .moreEpochs }, text)
        let regularisers: [SuggestionKind] = [.dropout, .l2Regularization, .earlyStopping]
        let fixing = result.arms.filter(\.fixesVerdict).compactMap(\.remedy?.kind)
        XCTAssertFalse(Set(fixing).isDisjoint(with: regularisers), "Dropout, L2 or EarlyStopping fixes it: \(text)")
        // What the doctor recommends (and ranks first) is one of them, and it shrinks the gap.
        let recommended = try XCTUnwrap(result.recommended, text)
        XCTAssertTrue(regularisers.contains(try XCTUnwrap(recommended.remedy).kind), text)
        XCTAssertEqual(result.ranked.first?.fixesVerdict, true, "a remedy that fixes it heads the table: \(text)")
        if result.prescription == nil { XCTAssertEqual(result.ranked.first?.name, recommended.name, "the best trade-off heads the table: \(text)") }
        XCTAssertLessThan(recommended.mean(\.finalGap), result.baseline.mean(\.finalGap), text)
        XCTAssertTrue(result.conclusion.contains(recommended.name), text)
    }

    func testUnderTrainedMLPIsCuredByMoreEpochsOrAHigherLearningRate() throws {
        // Stopped after 3 epochs while both curves still fall.
        let data = try subset(train: 1000, test: 1000)
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 64 relu, dense 10 softmax"),
                                    optimizer: "adam", learningRate: 0.001, epochs: 3, batchSize: 32)
        let result = try Doctor(recipe: recipe, data: data, seeds: 2, budget: DoctorBudget(runs: 8)).examine()
        let text = describe(result)
        // Still learning or under-trained (issue #20 split these from "underfitting").
        XCTAssertTrue([.stillLearning, .underTrained].contains(result.problem), text)
        XCTAssertFalse(result.arms.contains { arm in arm.remedy.map { [.dropout, .l2Regularization, .smallerModel].contains($0.kind) } ?? false }, text)
        let prescribed = try XCTUnwrap(result.prescription, text)
        // More epochs, a higher learning rate, or both (the best two combined).
        for change in try XCTUnwrap(prescribed.remedy).changes {
            switch change {
            case .moreEpochs: break
            case let .learningRate(factor): XCTAssertGreaterThan(factor, 1, text)
            default: XCTFail("prescribed \(change): \(text)")
            }
        }
        XCTAssertTrue(prescribed.fixesVerdict, text)
        XCTAssertGreaterThan(prescribed.testAccuracy?.mean ?? 0, 0.02, "the cure gains test accuracy: \(text)")
        XCTAssertEqual(result.ranked.first?.fixesVerdict, true, text)
        XCTAssertTrue(result.conclusion.hasPrefix("Prescription: "), text)
    }

    func testWellFittingLinearModelNeedsNoRemedy() throws {
        // Softmax regression (7,850 weights) on 4,800 images: converged by epoch 12, gap under 0.06.
        let data = try subset(train: 6000, test: 1000)
        let recipe = TrainingRecipe(specification: try ModelSpecification(parsing: "flatten, dense 10 softmax"),
                                    optimizer: "adam", learningRate: 0.01, epochs: 12, batchSize: 256)
        let result = try Doctor(recipe: recipe, data: data, seeds: 2).examine()
        let text = describe(result)
        XCTAssertEqual(result.problem, .goodFit, "\(text)\n\(result.diagnosis.evidence)")
        XCTAssertTrue(result.arms.isEmpty, text)
        XCTAssertNil(result.recommended, text)
        XCTAssertTrue(result.conclusion.hasPrefix("No remedy needed"), text)
    }
}
