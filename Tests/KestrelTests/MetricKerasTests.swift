import XCTest
@testable import Kestrel

/// Every metric against Keras 3 (Tests/Fixtures/keras/metrics.json): results after each of two batches,
/// with and without sample weights, plus the log keys and accuracy resolution Keras 3 uses.
final class MetricKerasTests: XCTestCase {
    private func makeMetric(_ name: String, _ config: [String: Any]) throws -> Metric {
        let threshold = KerasFixture.float(config, "thresholds") ?? KerasFixture.float(config, "threshold")
        let k = (config["k"] as? NSNumber)?.intValue
        switch name {
        case "sparse_categorical_accuracy": return SparseCategoricalAccuracy()
        case "categorical_accuracy": return CategoricalAccuracy()
        case "binary_accuracy": return BinaryAccuracy(threshold: threshold ?? 0.5)
        case "top_k_categorical_accuracy": return TopKCategoricalAccuracy(k: k ?? 5)
        case "sparse_top_k_categorical_accuracy": return SparseTopKCategoricalAccuracy(k: k ?? 5)
        case "precision": return Precision(threshold: threshold ?? 0.5)
        case "recall": return Recall(threshold: threshold ?? 0.5)
        case "mean_squared_error": return MeanSquaredErrorMetric()
        case "mean_absolute_error": return MeanAbsoluteErrorMetric()
        case "auc": return try AUC(numThresholds: (config["numThresholds"] as? NSNumber)?.intValue ?? 200)
        case "mean": return Mean()
        default: throw KestrelError.invalidArgument("unknown metric \(name) in fixture")
        }
    }

    func testMetricsMatchKeras() throws {
        let cases = try KerasFixture.load("metrics.json")["cases"] as? [[String: Any]] ?? []
        XCTAssertGreaterThanOrEqual(cases.count, 24)
        for testCase in cases {
            let name = testCase["metric"] as? String ?? ""
            let config = testCase["config"] as? [String: Any] ?? [:]
            let metric = try makeMetric(name, config)
            // Keras numbers repeated objects ("precision_1"); the base name must match.
            let kerasName = (testCase["kerasName"] as? String ?? "").replacingOccurrences(
                of: "_[0-9]+$", with: "", options: .regularExpression)
            XCTAssertEqual(metric.name, kerasName)
            let batches = testCase["batches"] as? [[String: Any]] ?? []
            let expected = KerasFixture.floats(testCase["results"]) ?? []
            XCTAssertEqual(batches.count, expected.count)
            for (index, batch) in batches.enumerated() {
                let weights = KerasFixture.floats(batch["sampleWeight"]).map { Tensor($0) }
                try metric.updateState(yTrue: KerasFixture.tensor(batch["yTrue"]), yPred: KerasFixture.tensor(batch["yPred"]),
                                       sampleWeight: weights)
                assertClose([Float(metric.result())], [expected[index]], relative: 1e-5, absolute: 1e-6,
                            "\(name) \(config) after batch \(index + 1)")
            }
            metric.resetState()
            XCTAssertEqual(metric.result(), 0, "\(name) after reset")
        }
    }

    func testLogKeysMatchKeras() throws {
        let keys = try KerasFixture.load("metrics.json")["logKeys"] as? [String: [String: Any]] ?? [:]
        let categorical = keys["categorical"]?["logKeys"] as? [String] ?? []
        let names = try ["accuracy", "mse", "mae", "mean_squared_error"].map { try Metric.named($0).name }
        XCTAssertEqual((names + ["loss"]).sorted(), categorical)
        XCTAssertEqual(Metric.mse.name, "mse")
        XCTAssertEqual(Metric.mae.name, "mae")
        XCTAssertEqual(Metric.accuracy.name, "accuracy")
        let binary = keys["binary_objects"]?["logKeys"] as? [String] ?? []
        XCTAssertEqual(([Metric.precision, .recall, .auc].map(\.name) + ["loss"]).sorted(), binary)
    }

    func testAccuracyResolvesAsKeras() throws {
        let keys = try KerasFixture.load("metrics.json")["logKeys"] as? [String: [String: Any]] ?? [:]
        let setups: [(String, Loss, [Int], [Int])] = [
            ("sparse", .sparseCategoricalCrossentropy, [8], [8, 3]),
            ("categorical", .categoricalCrossentropy, [8, 3], [8, 3]),
            ("binary", .binaryCrossentropy, [8, 1], [8, 1]),
            ("multilabel", .binaryCrossentropy, [8, 3], [8, 3]),
        ]
        for (label, loss, yTrueShape, yPredShape) in setups {
            let expected = keys[label]?["resolvedAccuracy"] as? String ?? "?"
            let resolved = Metric.accuracy.resolved(for: loss, yTrueShape: yTrueShape, yPredShape: yPredShape)
            XCTAssertEqual(String(describing: type(of: resolved)), expected, label)
            XCTAssertEqual(resolved.name, "accuracy")
        }
    }
}
