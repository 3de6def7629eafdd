import Foundation
import Kestrel

/// Splits the CIFAR CNN's training step (the `cifar-epoch` / `cnn-model` workload, batch 128) into
/// phases: batch gathering, each layer's forward pass, the loss, the backward pass, the Adam update
/// and the metrics, with the public custom-training-loop API; then times the parts outside the
/// convolutions in isolation (max pooling, the Dense 32768→256 with both gradients, validation) and
/// `fit`'s cost per step beyond that loop, beside an sgemm reference measured in the same run.
/// `KESTREL_CNN_PHASE_STEPS` sets the number of timed steps (default 20).
func runCNNPhaseBenchmark() throws {
    let steps = max(2, ProcessInfo.processInfo.environment["KESTREL_CNN_PHASE_STEPS"].flatMap(Int.init) ?? 20)
    let batch = 128, count = steps * batch
    var generator = RandomGenerator(seed: 0)
    let x = try Tensor.randomUniform([count, 32, 32, 3], generator: &generator)
    let y = Tensor(labels: (0..<count).map { _ in Int(generator.next() % 10) })
    Kestrel.setRandomSeed(0)
    let model = try makeSeedCNN()
    try model.fit(try x.slice(rows: 0..<256), try y.slice(rows: 0..<256), epochs: 1, batchSize: 128, verbose: 0)  // builds, warms up
    print("cnn-phases: batch \(batch), \(steps) timed steps, load \(BenchmarkClock.loadAverage), sgemm 2048³ reference \(String(format: "%.0f", try sgemmReference())) GFLOP/s")

    let loop = try customLoopPhases(model: model, x: x, y: y, steps: steps, batch: batch)
    let fitStart = now()
    try model.fit(x, y, epochs: 1, batchSize: batch, verbose: 0)
    let fitPerStep = (now() - fitStart) / Double(steps)
    print(String(format: "fit: %.1f ms/step (%.0f samples/s); the loop above: %.1f ms/step; fit's own cost beyond it: %.1f ms/step",
                 fitPerStep * 1e3, Double(batch) / fitPerStep, loop * 1e3, (fitPerStep - loop) * 1e3))

    try isolatedPhases(batch: batch, generator: &generator)
    let validated = min(count, 10 * batch)
    let validation = try BenchmarkClock.measure(warmUp: 1, repetitions: 3) {
        _ = try model.evaluate(try x.slice(rows: 0..<validated), try y.slice(rows: 0..<validated), batchSize: batch, verbose: 0)
    }
    print(String(format: "validation (evaluate, batch 128): %.1f ms per 128 images → %.1f s per 10,000",
                 validation.best * 1e3 * Double(batch) / Double(validated), validation.best * 10_000 / Double(validated)))
    print(String(format: "peak RSS %.0f MB", ProcessMemory.peakResidentMegabytes))
}

private func now() -> Double { Date().timeIntervalSinceReferenceDate }

/// The custom loop's phases, each a mean over `steps` steps; returns the loop's seconds per step.
private func customLoopPhases(model: Sequential, x: Tensor, y: Tensor, steps: Int, batch: Int) throws -> Double {
    let layers = model.layers, variables = model.trainableWeights
    var layerSeconds = [Double](repeating: 0, count: layers.count)
    var gather = 0.0, loss = 0.0, backward = 0.0, update = 0.0, metrics = 0.0
    var order = Array(0..<x.shape[0])
    var shuffler = RandomGenerator(seed: 1)
    order.shuffle(using: &shuffler)
    let start = now()
    for step in 0..<steps {
        let t0 = now()
        let indices = Array(order[(step * batch)..<((step + 1) * batch)])
        let batchX = try x.gathering(rows: indices), batchY = try y.gathering(rows: indices)
        let t1 = now()
        var prediction = batchX, lossEnd = t1
        let (_, gradients) = try valueWithGradients(for: variables) {
            for (index, layer) in layers.enumerated() {
                let layerStart = now()
                prediction = try layer(prediction, training: true)
                layerSeconds[index] += now() - layerStart
            }
            let lossStart = now()
            let value = try model.computeLoss(y: batchY, yPred: prediction)
            lossEnd = now()
            loss += lossEnd - lossStart
            return value
        }
        let t3 = now()
        try model.applyGradients(gradients, to: variables)
        let t4 = now()
        try model.updateMetrics(y: batchY, yPred: prediction)
        let t5 = now()
        gather += t1 - t0; backward += t3 - lossEnd; update += t4 - t3; metrics += t5 - t4
    }
    let perStep = (now() - start) / Double(steps)
    func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds / Double(steps) * 1e3) }
    let forward = layers.indices.map { "\(layers[$0].name) \(ms(layerSeconds[$0]))" }.joined(separator: ", ")
    print("custom loop, ms/step: gather \(ms(gather)); forward: \(forward); loss \(ms(loss)); backward \(ms(backward)); "
          + "Adam (\(variables.reduce(0) { $0 + $1.tensor.count }) weights) \(ms(update)); metrics \(ms(metrics)); "
          + String(format: "total %.1f", perStep * 1e3))
    return perStep
}

/// The layers outside the convolutions, timed alone on the step's shapes.
private func isolatedPhases(batch: Int, generator: inout RandomGenerator) throws {
    let feature = Variable(try Tensor.randomUniform([batch, 32, 32, 64], generator: &generator), name: "feature")
    let poolForward = try BenchmarkClock.measure(repetitions: 10) { _ = try Tensor.maxPool2d(feature.tensor, poolSize: (2, 2)) }
    let poolBoth = try BenchmarkClock.measure(repetitions: 10) {
        _ = try valueWithGradients(for: [feature]) { try Tensor.maxPool2d(feature.tensor, poolSize: (2, 2)).sum() }
    }
    print(String(format: "max pool 2×2 of [128,32,32,64]: forward %.2f ms, forward+backward (+ sum) %.2f ms",
                 poolForward.best * 1e3, poolBoth.best * 1e3))
    let input = Variable(try Tensor.randomUniform([batch, 32_768], generator: &generator), name: "x")
    let weight = Variable(try Tensor.randomUniform([32_768, 256], low: -0.01, high: 0.01, generator: &generator), name: "w")
    let bias = Variable(try Tensor.zeros([256]), name: "b")
    let denseForward = try BenchmarkClock.measure(repetitions: 5) {
        _ = try Tensor.affine(input.tensor, weight: weight.tensor, bias: bias.tensor)
    }
    let denseBoth = try BenchmarkClock.measure(repetitions: 5) {
        _ = try valueWithGradients(for: [input, weight, bias]) {
            try Tensor.affine(input.tensor, weight: weight.tensor, bias: bias.tensor).sum()
        }
    }
    let flops = 2.0 * Double(batch) * 32_768 * 256
    print(String(format: "Dense 32768→256: forward %.1f ms (%.0f GFLOP/s), forward + dX + dW + db %.1f ms (%.0f GFLOP/s)",
                 denseForward.best * 1e3, flops / denseForward.best / 1e9, denseBoth.best * 1e3, 3 * flops / denseBoth.best / 1e9))
}

/// GFLOP/s of one 2048×2048×2048 matrix product through the engine (the step's GEMM reference).
private func sgemmReference() throws -> Double {
    var generator = RandomGenerator(seed: 9)
    let a = try Tensor.randomUniform([2048, 2048], generator: &generator)
    let b = try Tensor.randomUniform([2048, 2048], generator: &generator)
    let time = try BenchmarkClock.measure(repetitions: 3) { _ = try a.matmul(b) }
    return 2 * 2048 * 2048 * 2048 / time.best / 1e9
}
