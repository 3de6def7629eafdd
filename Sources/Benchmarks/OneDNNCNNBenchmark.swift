import KestrelTensor

/// `Benchmarks onednn-cnn`: the seed-000 CNN training benchmark (`cnn-model`) with every convolution on
/// im2col, with the measured oneDNN routes (`OneDNNConvolution.measuredVariant`) and with Kestrel's own
/// choice (`.automatic`: Winograd F(4×4) on the 64- and 128-channel layers), alternated for 3 rounds
/// with the load average beside each run.
func runOneDNNCNNBenchmark() throws {
    let algorithms: [(String, ConvolutionAlgorithm)] = [("im2col", .im2col), ("measured oneDNN routes", .oneDNN),
                                                        ("Kestrel automatic (Winograd)", .automatic)]
    print("onednn-cnn — \(EngineConfiguration.current.threadCount) thread(s)")
    for round in 1...3 {
        for (name, algorithm) in algorithms {
            print("round \(round), \(name), load average \(BenchmarkClock.loadAverage):")
            try EngineConfiguration.withChanges({ $0.convolutionAlgorithm = algorithm }) { try runCNNModelBenchmark() }
        }
    }
}
