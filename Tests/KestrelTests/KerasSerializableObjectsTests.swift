import XCTest
@testable import Kestrel

/// Initializers, regularizers, learning-rate schedules and metrics declare their Keras names, config
/// and reading beside the type: each round-trips through its list, and unknown names are refused
/// with the known ones listed.
final class KerasSerializableObjectsTests: XCTestCase {
    func testEachInitializerRoundTripsUnderItsKerasNames() throws {
        let expected: [(Initializer, String, String)] = [
            (.zeros, "Zeros", "zeros"), (.ones, "Ones", "ones"), (.constant(0.25), "Constant", "constant"),
            (.glorotUniform, "GlorotUniform", "glorot_uniform"), (.glorotNormal, "GlorotNormal", "glorot_normal"),
            (.heUniform, "HeUniform", "he_uniform"), (.heNormal, "HeNormal", "he_normal"), (.lecunUniform, "LecunUniform", "lecun_uniform"),
            (.randomNormal(mean: 1, standardDeviation: 0.5), "RandomNormal", "random_normal"),
            (.randomUniform(minimum: -2, maximum: 3), "RandomUniform", "random_uniform"),
        ]
        XCTAssertEqual(Initializer.kerasInitializers.count, expected.count)
        for (initializer, className, name) in expected {
            let saved = KerasObjects.serialize(initializer)
            XCTAssertEqual(saved["class_name"], .string(className))
            XCTAssertEqual(try KerasObjects.initializer(from: saved), initializer, className)
            XCTAssertEqual(initializer.kerasName, name)
            XCTAssertEqual(try Initializer.named(name).kerasClassName, className)
        }
        XCTAssertEqual(KerasObjects.serialize(.constant(0.25))["config"], .object(["value": .double(0.25)]))
        let unknown = ConfigValue.object(["class_name": .string("Orthogonal"), "config": .object([:])])
        XCTAssertThrowsError(try KerasObjects.initializer(from: unknown)) { error in
            XCTAssertTrue("\(error)".contains("initializer Orthogonal is not supported (use Zeros, Ones, Constant, GlorotUniform"), "\(error)")
        }
        XCTAssertThrowsError(try Initializer.named("orthogonal")) { error in
            XCTAssertTrue("\(error)".contains("'orthogonal'; use one of zeros, ones, constant, glorot_uniform"), "\(error)")
        }
    }

    func testEachRegularizerRoundTripsUnderItsKerasClass() throws {
        let expected: [(Regularizer, String, LayerConfig)] = [
            (.l1(0.5), "L1", ["l1": .double(0.5)]), (.l2(0.25), "L2", ["l2": .double(0.25)]),
            (.l1l2(l1: 0.5, l2: 0.25), "L1L2", ["l1": .double(0.5), "l2": .double(0.25)]),
        ]
        for (regularizer, className, config) in expected {
            let saved = KerasObjects.serialize(regularizer)
            XCTAssertEqual(saved["class_name"], .string(className))
            XCTAssertEqual(saved["config"], .object(config))
            XCTAssertEqual(try KerasObjects.regularizer(from: saved), regularizer)
        }
        let unknown = ConfigValue.object(["class_name": .string("OrthogonalRegularizer"), "config": .object([:])])
        XCTAssertThrowsError(try KerasObjects.regularizer(from: unknown)) { error in
            XCTAssertTrue("\(error)".contains("regularizer OrthogonalRegularizer is not supported (only L1, L2, L1L2)"), "\(error)")
        }
    }

    func testEachScheduleRoundTripsUnderItsTypeName() throws {
        let schedules: [any LearningRateSchedule] = [
            try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true),
            try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 10, decayRate: 1),
            try PiecewiseConstantDecay(boundaries: [5, 10], values: [0.1, 0.05, 0.01]),
            try CosineDecay(initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1, warmupTarget: 0.2, warmupSteps: 3),
            try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 10, power: 2, cycle: true),
        ]
        XCTAssertEqual(LearningRateScheduleConfig.types.map { $0.kerasClassName },
                       ["ExponentialDecay", "InverseTimeDecay", "PiecewiseConstantDecay", "CosineDecay", "PolynomialDecay"])
        for schedule in schedules {
            let saved = LearningRateScheduleConfig.serialize(schedule)
            XCTAssertEqual(saved["class_name"], .string(String(describing: type(of: schedule))))
            let loaded = try LearningRateScheduleConfig.schedule(from: saved)
            XCTAssertTrue(type(of: loaded) == type(of: schedule))
            XCTAssertEqual(loaded.getConfig(), schedule.getConfig(), schedule.className)
            XCTAssertEqual(loaded(step: 7), schedule(step: 7), schedule.className)
        }
        let unknown = ConfigValue.object(["class_name": .string("CosineDecayRestarts"), "config": .object([:])])
        XCTAssertThrowsError(try LearningRateScheduleConfig.schedule(from: unknown)) { error in
            XCTAssertTrue("\(error)".contains("CosineDecayRestarts is not supported; use one of ExponentialDecay, InverseTimeDecay"), "\(error)")
        }
    }

    func testEveryMetricNameMakesItsClassLoggedUnderThatName() throws {
        let expected: [(String, Metric.Type)] = [
            ("accuracy", AutoAccuracy.self), ("acc", AutoAccuracy.self), ("sparse_categorical_accuracy", SparseCategoricalAccuracy.self),
            ("categorical_accuracy", CategoricalAccuracy.self), ("binary_accuracy", BinaryAccuracy.self),
            ("top_k_categorical_accuracy", TopKCategoricalAccuracy.self), ("sparse_top_k_categorical_accuracy", SparseTopKCategoricalAccuracy.self),
            ("mse", MeanSquaredErrorMetric.self), ("mean_squared_error", MeanSquaredErrorMetric.self), ("mae", MeanAbsoluteErrorMetric.self),
            ("mean_absolute_error", MeanAbsoluteErrorMetric.self), ("precision", Precision.self), ("recall", Recall.self), ("auc", AUC.self),
            ("binary_crossentropy", LossMetric.self), ("bce", LossMetric.self), ("categorical_crossentropy", LossMetric.self),
            ("sparse_categorical_crossentropy", LossMetric.self), ("kl_divergence", KLDivergenceMetric.self),
            ("mape", MeanAbsolutePercentageErrorMetric.self), ("mean_absolute_percentage_error", MeanAbsolutePercentageErrorMetric.self),
            ("msle", MeanSquaredLogarithmicErrorMetric.self), ("mean_squared_logarithmic_error", MeanSquaredLogarithmicErrorMetric.self),
            ("poisson", PoissonMetric.self),
        ]
        XCTAssertEqual(Metric.validNames, expected.map(\.0))
        for (name, metricType) in expected {
            let metric = try Metric.named(name)
            XCTAssertTrue(type(of: metric) == metricType, "\(name): \(type(of: metric))")
            XCTAssertEqual(metric.name, name)
        }
        XCTAssertTrue((try Metric.named("categorical_crossentropy") as? LossMetric)?.loss is CategoricalCrossentropy)
        XCTAssertTrue((try Metric.named("sparse_categorical_crossentropy") as? LossMetric)?.loss is SparseCategoricalCrossentropy)
        XCTAssertTrue((try Metric.named("BCE") as? LossMetric)?.loss is BinaryCrossentropy)
        XCTAssertThrowsError(try Metric.named("f1")) { error in
            XCTAssertTrue("\(error)".contains("Unknown metric 'f1'. Valid names: \"accuracy\", \"acc\""), "\(error)")
        }
    }
}
