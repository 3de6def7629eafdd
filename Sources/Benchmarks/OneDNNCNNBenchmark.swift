import KestrelTensor

/// `Benchmarks onednn-cnn`: the seed-000 CNN training benchmark (`cnn-model`) with every convolution on
/// im2col and with the measured oneDNN routes (`OneDNNConvolution.measuredVariant`), alternated for
/// 3 rounds with the load average beside each run.
func runOneDNNCNNBenchmark() throws {
    let routes: [(String, OneDNNConvolutionRoute)] = [("im2col", .im2col), ("measured oneDNN routes", .measured)]
    print("onednn-cnn — \(EngineConfiguration.current.threadCount) thread(s)")
    for round in 1...3 {
        for (name, route) in routes {
            print("round \(round), \(name), load average \(BenchmarkClock.loadAverage):")
            try OneDNNConvolution.$route.withValue(route) { try runCNNModelBenchmark() }
        }
    }
}
