// Kestrel's release-mode benchmarks: `swift run -c release Benchmarks [name…]`.
// With no names, every benchmark marked `byDefault` runs. To add one, write `runXBenchmark()` in its
// own file and list it here.

let benchmarks: [(name: String, byDefault: Bool, run: () throws -> Void)] = [
    ("engine", true, runEngineBenchmark),
    ("cnn", true, runCNNBenchmark),
    ("conv-sweep", false, runConvolutionSweep),
    ("conv-shapes", false, runConvolutionShapeSweep),
    ("winograd-training", false, runWinogradTrainingCheck),
    ("onednn-conv", false, runOneDNNConvolutionBenchmark),
    ("onednn-cnn", false, runOneDNNCNNBenchmark),
    ("mlp", true, { try runMLPBenchmark() }),
    ("mlp-phases", false, runMLPPhaseBenchmark),
    ("mlp-steps", false, runMLPStepsBenchmark),
    ("adam-step", false, runAdamStepBenchmark),
    ("functional-mlp", false, runFunctionalMLPBenchmark),
    ("augmentation", true, runAugmentationBenchmark),
    ("cnn-model", true, runCNNModelBenchmark),
    ("cifar-epoch", false, runCIFAREpochBenchmark),
    ("cnn-phases", false, runCNNPhaseBenchmark),
    ("jpeg-bomb-capped", false, { try runJPEGBombMemory(capped: true) }),
    ("jpeg-bomb-uncapped", false, { try runJPEGBombMemory(capped: false) }),
    ("dashboard-abuse", false, runDashboardAbuse),
    ("tiny-steps", false, runTinyStepsBenchmark),
    ("im2col-shapes", false, runIm2colShapeCheck),
    ("pool-dispatch", false, runPoolDispatchBenchmark),
]

let requested = Array(CommandLine.arguments.dropFirst())
let unknown = requested.filter { name in !benchmarks.contains { $0.name == name } }
if !unknown.isEmpty {
    print("Unknown benchmark(s) \(unknown); available: \(benchmarks.map(\.name).joined(separator: ", "))")
    exit(2)
}
for benchmark in benchmarks where requested.isEmpty ? benchmark.byDefault : requested.contains(benchmark.name) {
    do {
        try benchmark.run()
    } catch {
        print("\(benchmark.name) benchmark failed: \(error)")
        exit(1)
    }
}

#if canImport(Glibc)
import Glibc
#endif
