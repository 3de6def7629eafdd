import Foundation
import XCTest
@testable import Kestrel

/// Values from outside (labels read from a CSV or `.npy`, weights and predictions of a run that
/// diverged) that used to trap an `Int(Float)` conversion or overflow: each is now an error naming the
/// argument, or a defined result.
final class HostileValueTests: XCTestCase {
    func testLabelsThatAreNotClassIndicesAreErrorsNamingTheArgument() throws {
        for bad: Float in [.nan, .infinity, -.infinity, 1e20, 3e9, -1, 0.5] {
            XCTAssertThrowsError(try toCategorical(Tensor(shape: [2], scalars: [0, bad])), "\(bad)") { error in
                XCTAssertTrue("\(error)".contains("`labels`") && "\(error)".contains("not a class index"), "\(error)")
            }
            XCTAssertThrowsError(try trainTestSplit(Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]), Tensor(shape: [4], scalars: [0, bad, 1, 1]),
                                                   testSize: 0.5, stratify: true, seed: 1), "\(bad)") { error in
                XCTAssertTrue("\(error)".contains("`y`"), "\(error)")
            }
        }
        XCTAssertEqual(try toCategorical(Tensor(shape: [2], scalars: [1, 0])).scalars, [0, 1, 1, 0])
    }

    func testOneHotOfAHugeLabelIsRefusedBeforeAllocating() {
        XCTAssertThrowsError(try toCategorical([Int.max])) { error in XCTAssertTrue("\(error)".contains("too large"), "\(error)") }
        XCTAssertThrowsError(try toCategorical([1 << 40, 1])) { error in XCTAssertTrue("\(error)".contains("do not fit in memory"), "\(error)") }
        XCTAssertThrowsError(try toCategorical([0, 1], numClasses: Int.max)) { error in XCTAssertTrue("\(error)".contains("`labels`"), "\(error)") }
    }

    func testClassWeightWithALabelThatIsNotAClassIsAnError() throws {
        let model = try Sequential { Input(shape: [1]); Dense(2, activation: .softmax) }
        try model.compile(optimizer: .sgd(), loss: .sparseCategoricalCrossentropy)
        for bad: Float in [1e20, -3, 2.5] {  // finite, so the NaN check of y lets them through
            XCTAssertThrowsError(try model.fit(Tensor(shape: [2, 1], scalars: [1, 2]), Tensor(shape: [2], scalars: [0, bad]),
                                               epochs: 1, verbose: 0, classWeight: [0: 2])) { error in
                XCTAssertTrue("\(error)".contains("classWeight") && "\(error)".contains("not a class index"), "\(error)")
            }
        }
    }

    /// Keras counts a NaN prediction above no threshold (`y_pred > t` is false): the same as a prediction of 0.
    func testAUCCountsANaNPredictionLikeZero() throws {
        let withNaN = try AUC(), withZero = try AUC()
        let targets = try Tensor(shape: [4], scalars: [0, 1, 1, 0])
        try withNaN.updateState(yTrue: targets, yPred: Tensor(shape: [4], scalars: [.nan, 0.8, 0.3, 0.6]), sampleWeight: nil)
        try withZero.updateState(yTrue: targets, yPred: Tensor(shape: [4], scalars: [0, 0.8, 0.3, 0.6]), sampleWeight: nil)
        XCTAssertEqual(withNaN.result(), withZero.result(), accuracy: 1e-12)
        XCTAssertEqual(withZero.result(), 0.75, accuracy: 0.01)  // 3 of the 4 positive-negative pairs ordered right
    }

    /// The weights of a diverged run hold NaN and infinities; TensorBoard's histograms leave them out
    /// (they trapped the bucket index before).
    func testHistogramsLeaveOutNonFiniteWeights() {
        XCTAssertEqual(HistogramBuckets.make([1, .nan, 2, .infinity, -.infinity, 3], bucketCount: 2),
                       HistogramBuckets.make([1, 2, 3], bucketCount: 2))
        XCTAssertEqual(HistogramBuckets.make([.nan, .infinity], bucketCount: 2), HistogramBuckets.make([], bucketCount: 2))
        XCTAssertEqual(HistogramBuckets.make([1, 2, 3], bucketCount: 2).map(\.count), [1, 2])
    }
}

/// Shapes whose products overflow `Int`, given to the public initialisers or read from a backup: errors, not traps.
final class HostileShapeTests: XCTestCase {
    func testShapesWhoseProductOverflowsAreErrorsNamingTheArgument() {
        XCTAssertThrowsError(try Dataset(x: [], xShape: [1 << 40, 1 << 40], y: [], yShape: [1 << 40])) { error in
            XCTAssertTrue("\(error)".contains("xShape"), "\(error)")
        }
        XCTAssertThrowsError(try Dataset(x: [1], xShape: [1, 1], y: [], yShape: [1, 1 << 62, 1 << 62, 0])) { error in
            XCTAssertTrue("\(error)".contains("yShape"), "\(error)")
        }
        XCTAssertThrowsError(try ImageBatch(pixels: [], shape: [1 << 40, 1 << 40, 1 << 40, 1])) { error in
            XCTAssertTrue("\(error)".contains("shape"), "\(error)")
        }
        XCTAssertThrowsError(try arrayToImg([], shape: [1 << 40, 1 << 40, 1 << 40]))
    }

    /// A backup's tensor whose shape holds 2^61 values: 2^61 × 4 bytes overflowed `Int` while checking it.
    func testABackupTensorWithAnOverflowingShapeIsAnError() throws {
        for shape in [[1 << 61], [1 << 62, 4], [0, 1 << 62, 1 << 62], [-1]] {
            let json = Data(#"{"shape": \#(shape), "float32": ""}"#.utf8)
            let saved = try JSONDecoder().decode(TrainingState.SavedTensor.self, from: json)
            XCTAssertThrowsError(try saved.tensor(context: "state.json"), "\(shape)") { error in
                XCTAssertTrue("\(error)".contains("state.json") && "\(error)".contains("damaged"), "\(error)")
            }
        }
        let good = try JSONDecoder().decode(TrainingState.SavedTensor.self, from: Data(#"{"shape": [1], "float32": "AACAPw=="}"#.utf8))
        XCTAssertEqual(try good.tensor(context: "state.json").scalars, [1])
    }
}
