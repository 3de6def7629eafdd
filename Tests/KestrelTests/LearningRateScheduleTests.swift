import Foundation
import XCTest
@testable import Kestrel

/// Learning-rate schedules against real Keras 3 (`scripts/fixtures/make_keras_schedule_fixtures.py` →
/// Tests/Fixtures/keras/schedules/): values at ten steps, `.keras` files with a schedule, the rate each
/// step uses, History logging, callbacks on a scheduled optimizer and hostile arguments.
final class LearningRateScheduleTests: XCTestCase {
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/keras/schedules").standardized

    private func json(_ name: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    /// The `learning_rate` object Keras wrote, as Kestrel's config value.
    private func configValue(_ object: Any) throws -> ConfigValue {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try ConfigValue.parse(data, source: "schedule fixture")
    }

    /// `value` with every whole number written as a Double (Keras's 1.0 and 1 are the same argument).
    private func numbersAsDoubles(_ value: ConfigValue) -> ConfigValue {
        switch value {
        case .int(let number): return .double(Double(number))
        case .array(let items): return .array(items.map(numbersAsDoubles))
        case .object(let fields): return .object(fields.mapValues(numbersAsDoubles))
        default: return value
        }
    }

    func testEverySchedulesValuesEqualKerasAtTenStepsAndItsConfigRoundTrips() throws {
        let cases = try json("values.json")
        XCTAssertEqual(cases.count, 11)
        for (name, case_) in cases.sorted(by: { $0.key < $1.key }) {
            let serialized = try configValue(try XCTUnwrap(case_["schedule"]))
            let schedule = try LearningRateScheduleConfig.schedule(from: serialized)
            let steps = try XCTUnwrap(case_["steps"] as? [Int])
            let values = try XCTUnwrap(case_["values"] as? [Double])
            XCTAssertEqual(steps.count, 10)
            for (step, expected) in zip(steps, values) {
                let got = Double(schedule(step: step))
                XCTAssertEqual(got, expected, accuracy: 2e-6 * max(abs(expected), 1e-3), "\(name) at step \(step)")
            }
            // Written back, the config is Keras's, key for key and number for number.
            XCTAssertEqual(numbersAsDoubles(LearningRateScheduleConfig.serialize(schedule)), numbersAsDoubles(serialized), name)
        }
    }

    func testKerasFileWithScheduleLoadsAndItsNextStepUsesScheduleAtIterationsAsKeras() throws {
        let expected = try json("expected.json")
        for name in ["sgd_piecewise", "adam_cosine_warmup"] {
            let case_ = try XCTUnwrap(expected[name])
            let model = try loadModel(Self.directory.appendingPathComponent("\(name).keras").path)
            let optimizer = try XCTUnwrap(model.optimizer)
            XCTAssertNotNil(optimizer.learningRateSchedule, name)
            XCTAssertEqual(optimizer.iterations, 3, name)
            XCTAssertEqual(Double(optimizer.learningRate), try XCTUnwrap(case_["learning_rate_at_save"] as? Double), accuracy: 1e-7, name)
            let x = try Tensor(shape: [4, 4], scalars: try XCTUnwrap(case_["batch_x"] as? [Double]).map(Float.init))
            let y = try Tensor(shape: [4, 1], scalars: try XCTUnwrap(case_["batch_y"] as? [Double]).map(Float.init))
            try model.fit(x, y, epochs: 1, batchSize: 4, verbose: .silent, shuffle: false)
            let weights = try XCTUnwrap(case_["weights_after_step"] as? [[Double]])
            for (index, (variable, next)) in zip(model.weights, weights).enumerated() {
                for (got, want) in zip(variable.value.scalars, next) {
                    XCTAssertEqual(Double(got), want, accuracy: 1e-5, "\(name) weight \(index) after one more step")
                }
            }
        }
    }

    func testSGDWithPiecewiseScheduleUsesTheRateBeforeTheStepIsCounted() throws {
        // w -= rate · g with g = 1 (loss = w for a weight of 1): the first step must use values[0].
        let schedule = try PiecewiseConstantDecay(boundaries: [0, 1], values: [0.5, 0.25, 0.125])
        let optimizer = try SGD(learningRate: schedule)
        let variable = Variable(try Tensor(shape: [1], scalars: [0]), name: "w")
        var seen: [Float] = []
        for _ in 0..<3 {
            let before = variable.value.scalars[0]
            try optimizer.apply(gradients: [try Tensor(shape: [1], scalars: [1])], to: [variable])
            seen.append(before - variable.value.scalars[0])
        }
        XCTAssertEqual(seen, [0.5, 0.25, 0.125])
        XCTAssertEqual(optimizer.learningRate, 0.125)
    }

    func testKestrelFileWithScheduleRoundTripsConfigAndState() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let model = try Sequential([Input(shape: [2]), Dense(1)])
        let schedule = try ExponentialDecay(initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5, staircase: true)
        try model.compile(optimizer: try Adam(learningRate: schedule), loss: .meanSquaredError)
        let x = try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), y = try Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
        try model.fit(x, y, epochs: 1, batchSize: 2, verbose: .silent, shuffle: false)
        let path = folder.appendingPathComponent("scheduled.keras").path
        try model.save(path)
        let loaded = try loadModel(path)
        let restored = try XCTUnwrap(loaded.optimizer?.learningRateSchedule as? ExponentialDecay)
        XCTAssertEqual(restored.getConfig(), schedule.getConfig())
        XCTAssertEqual(loaded.optimizer?.iterations, 2)
        try model.fit(x, y, epochs: 1, batchSize: 2, verbose: .silent, shuffle: false)
        try loaded.fit(x, y, epochs: 1, batchSize: 2, verbose: .silent, shuffle: false)
        for (original, copy) in zip(model.weights, loaded.weights) {
            XCTAssertEqual(original.value.scalars, copy.value.scalars)
        }
    }

    func testFitLogsTheScheduledLearningRatePerEpoch() throws {
        let model = try Sequential([Input(shape: [2]), Dense(1)])
        let schedule = try InverseTimeDecay(initialLearningRate: 0.01, decaySteps: 2, decayRate: 1)
        try model.compile(optimizer: try SGD(learningRate: schedule), loss: .meanSquaredError)
        let x = try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), y = try Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
        let history = try model.fit(x, y, epochs: 3, batchSize: 2, verbose: .silent, shuffle: false)
        // Two steps per epoch: the rate logged at the end of epoch e is 0.01 / (1 + 2(e + 1) / 2).
        let logged = try XCTUnwrap(history["learning_rate"])
        XCTAssertEqual(logged.count, 3)
        for (epoch, value) in logged.enumerated() {
            XCTAssertEqual(value, 0.01 / (1 + Double(epoch + 1)), accuracy: 1e-9)
        }
    }

    func testEveryOptimizerAndFactoryTakesAScheduleAndSavesIt() throws {
        let schedule = try PolynomialDecay(initialLearningRate: 0.02, decaySteps: 4, power: 2, cycle: true)
        let optimizers: [Optimizer] = [
            try .sgd(learningRate: schedule, momentum: 0.5), try .adam(learningRate: schedule), try .adamW(learningRate: schedule),
            try .rmsprop(learningRate: schedule, centered: true), try .adagrad(learningRate: schedule),
        ]
        for optimizer in optimizers {
            XCTAssertEqual(optimizer.learningRate, 0.02, optimizer.name)
            let saved = try KerasOptimizerConfig.serialize(optimizer)
            XCTAssertEqual(saved["config"]?["learning_rate"], LearningRateScheduleConfig.serialize(schedule), optimizer.name)
            let loaded = try KerasOptimizerConfig.optimizer(from: saved)
            XCTAssertEqual(loaded.learningRateSchedule?.getConfig(), schedule.getConfig(), optimizer.name)
            XCTAssertEqual(loaded.name, optimizer.name)
        }
    }

    func testSettingTheRateOfAScheduledOptimizerThrowsNamingTheFix() throws {
        let optimizer = try Adam(learningRate: try CosineDecay(initialLearningRate: 0.1, decaySteps: 10))
        XCTAssertThrowsError(try optimizer.setLearningRate(0.5)) { error in
            XCTAssertTrue("\(error)".contains("learning-rate schedule (CosineDecay)"), "\(error)")
            XCTAssertTrue("\(error)".contains("make the optimizer with a number"), "\(error)")
        }
        optimizer.learningRate = 0.5
        XCTAssertThrowsError(try optimizer.validateSettings())
        // A new schedule replaces the old one, as Keras's `optimizer.learning_rate = schedule`.
        optimizer.setLearningRate(try ExponentialDecay(initialLearningRate: 0.2, decaySteps: 1, decayRate: 0.5))
        XCTAssertNoThrow(try optimizer.validateSettings())
        XCTAssertEqual(optimizer.learningRate, 0.2)
    }

    func testReduceLROnPlateauAndLearningRateSchedulerThrowOnAScheduledOptimizer() throws {
        let x = try Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), y = try Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
        for callback in [try ReduceLROnPlateau(monitor: "loss", patience: 0, minDelta: 1e9) as Callback,
                         LearningRateScheduler { _, rate in rate }] {
            let model = try Sequential([Input(shape: [2]), Dense(1)])
            let schedule = try ExponentialDecay(initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.9)
            try model.compile(optimizer: try SGD(learningRate: schedule), loss: .meanSquaredError)
            XCTAssertThrowsError(try model.fit(x, y, epochs: 2, batchSize: 2, verbose: .silent, callbacks: [callback])) { error in
                XCTAssertTrue("\(error)".contains("learning-rate schedule (ExponentialDecay)"), "\(error)")
            }
        }
    }

    func testHostileArgumentsThrowNamingTheArgument() {
        func expect(_ argument: String, _ make: () throws -> any LearningRateSchedule) {
            XCTAssertThrowsError(try make()) { error in
                XCTAssertTrue("\(error)".contains(argument), "\(error) should name \(argument)")
            }
        }
        expect("decaySteps") { try ExponentialDecay(initialLearningRate: 0.1, decaySteps: -5, decayRate: 0.9) }
        expect("decaySteps") { try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9) }
        expect("decaySteps") { try CosineDecay(initialLearningRate: 0.1, decaySteps: -1) }
        expect("decaySteps") { try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 0) }
        expect("initialLearningRate") { try ExponentialDecay(initialLearningRate: .nan, decaySteps: 5, decayRate: 0.9) }
        expect("decayRate") { try InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 5, decayRate: .infinity) }
        expect("warmupTarget") { try CosineDecay(initialLearningRate: 0, decaySteps: 5, warmupTarget: .nan, warmupSteps: 2) }
        expect("warmupSteps") { try CosineDecay(initialLearningRate: 0, decaySteps: 5, warmupTarget: 0.1, warmupSteps: -2) }
        expect("alpha") { try CosineDecay(initialLearningRate: 0.1, decaySteps: 5, alpha: -0.5) }
        expect("power") { try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 5, power: .nan) }
        expect("endLearningRate") { try PolynomialDecay(initialLearningRate: 0.1, decaySteps: 5, endLearningRate: -1) }
        expect("boundaries must increase") { try PiecewiseConstantDecay(boundaries: [10, 10], values: [1, 0.5, 0.1]) }
        expect("one more entry than boundaries") { try PiecewiseConstantDecay(boundaries: [10, 20], values: [1, 0.5]) }
        expect("values[1]") { try PiecewiseConstantDecay(boundaries: [10], values: [1, .nan]) }
    }

    func testHostileSavedSchedulesThrowNamingTheKerasArgument() throws {
        func expect(_ fragment: String, _ className: String, _ config: String, registered: String = "null") throws {
            let text = #"{"module": "keras.optimizers.schedules", "class_name": "\#(className)", "config": \#(config), "registered_name": \#(registered)}"#
            let value = try ConfigValue.parse(Data(text.utf8), source: "hostile schedule")
            XCTAssertThrowsError(try LearningRateScheduleConfig.schedule(from: value)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error) should contain \(fragment)")
            }
        }
        try expect("decaySteps", "ExponentialDecay", #"{"initial_learning_rate": 0.1, "decay_steps": -3, "decay_rate": 0.9}"#)
        try expect("\"decay_steps\"", "ExponentialDecay", #"{"initial_learning_rate": 0.1, "decay_steps": 2.5, "decay_rate": 0.9}"#)
        try expect("\"decay_steps\"", "CosineDecay", #"{"initial_learning_rate": 0.1, "decay_steps": 1e300}"#)
        try expect("\"initial_learning_rate\" is missing", "InverseTimeDecay", #"{"decay_steps": 3, "decay_rate": 0.9}"#)
        try expect("\"decay_rate\"", "InverseTimeDecay", #"{"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": "fast"}"#)
        try expect("boundaries must increase", "PiecewiseConstantDecay", #"{"boundaries": [5, 3], "values": [1, 0.5, 0.1]}"#)
        try expect("one more entry", "PiecewiseConstantDecay", #"{"boundaries": [5], "values": [1]}"#)
        try expect("\"staircase\"", "ExponentialDecay", #"{"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.9, "staircase": "yes"}"#)
        try expect("not supported", "CosineDecayRestarts", #"{"initial_learning_rate": 0.1, "first_decay_steps": 3}"#)
        try expect("custom Python object", "MySchedule", #"{}"#, registered: #""MySchedule>Custom""#)
    }
}
