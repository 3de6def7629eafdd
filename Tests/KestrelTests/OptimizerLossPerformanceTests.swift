import Foundation
import XCTest
@testable import Kestrel

/// Opt-in timings of the per-step hot paths (set KESTREL_PERF=1; meaningful in release builds:
/// `swift test -c release --filter OptimizerLossPerformanceTests`). Sizes are the Fashion-MNIST MLP's.
final class OptimizerLossPerformanceTests: XCTestCase {
    private func time(_ label: String, repeats: Int, _ body: () throws -> Void) rethrows {
        try body()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats { try body() }
        let perCall = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats) / 1000
        print(String(format: "PERF %@: %.2f µs per call", label, perCall))
    }

    func testHotPathTimings() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["KESTREL_PERF"] == "1", "set KESTREL_PERF=1 to run")
        let shapes = [[784, 128], [128], [128, 10], [10]]
        let variables = try shapes.map { Variable(try Tensor.full($0, value: 0.01), name: "w") }
        let gradients = try shapes.map { try Tensor.full($0, value: 0.001) }
        for optimizer in try [Optimizer.adam(), .sgd(momentum: 0.9), .rmsprop(), .adagrad(), .adamW()] {
            try time("\(optimizer.name) step, 101,770 weights", repeats: 500) {
                try optimizer.apply(gradients: gradients, to: variables)
            }
        }
        let logits = uniformTensor([64, 10], low: -3, high: 3, seed: 1)
        let probabilities = try logits.softmax()
        let labels = Tensor((0..<64).map { Float($0 % 10) })
        for (name, loss, prediction) in [("sparse CE probs", Loss.sparseCategoricalCrossentropy, probabilities),
                                         ("sparse CE logits", .sparseCategoricalCrossentropy(fromLogits: true), logits)] {
            try time("\(name) [64,10] value+gradient", repeats: 5000) {
                let tracked = prediction.requiringGradient()
                let value = try loss.reduced(yTrue: labels, yPred: tracked)
                _ = try gradient(of: value, wrt: [tracked])
            }
        }
        let accuracy = Metric.accuracy.resolved(for: nil, yTrueShape: [64], yPredShape: [64, 10])
        try time("sparse accuracy update [64,10]", repeats: 5000) {
            try accuracy.updateState(yTrue: labels, yPred: probabilities, sampleWeight: nil)
        }
    }
}
