print("Benchmarks (work in progress)")
