import XCTest
@testable import Kestrel
@testable import KestrelTensor

/// A whole `Sequential` fit with every tensor on the simulated discrete device: the model trains, its
/// weights stay on the device, and the run's host transfers are counted.
final class SimulatedDeviceFitTests: XCTestCase {
    func testASequentialModelFitsOnTheSimulatedDevice() throws {
        try EngineConfiguration.withChanges({ $0.device = .simulated; $0.threadCount = 1 }) {
            var generator = RandomGenerator(seed: 11)
            let x = try Tensor.randomNormal([64, 4], generator: &generator)
            let y = try x.matmul(Tensor(shape: [4, 1], scalars: [1, -2, 0.5, 3])) + 0.25
            let model = try Sequential {
                Dense(8, activation: .relu)
                Dense(1)
            }
            try model.compile(optimizer: .adam(learningRate: 0.02), loss: .meanSquaredError)
            let before = Backends.simulated.counts
            let history = try model.fit(x, y, epochs: 30, batchSize: 16, verbose: .silent)
            let after = Backends.simulated.counts
            let losses = try XCTUnwrap(history["loss"])
            XCTAssertLessThan(try XCTUnwrap(losses.last), losses[0] * 0.2, "it trains on the device: \(losses)")
            XCTAssertEqual(model.weights.map(\.device), [Device](repeating: .simulated, count: model.weights.count))
            XCTAssertEqual(try model.predict(x, verbose: .silent).device, .simulated)
            // The data and weights stay on the device: fit uploads nothing and reads back little more
            // than each batch's loss (30 epochs × 4 batches; 120 downloads when this was written).
            XCTAssertEqual(after.uploads - before.uploads, 0, "fit uploaded \(after.uploads - before.uploads) times")
            XCTAssertLessThanOrEqual(after.downloads - before.downloads, 2 * 30 * 4, "fit downloaded \(after.downloads - before.downloads) times")
        }
    }
}
