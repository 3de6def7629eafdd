import KestrelTensor

/// A convolution `onednn-conv` times: NHWC input, `[KH, KW, Cin, Cout]` kernel, strides and padding.
struct OneDNNBenchmarkShape {
    let name: String
    let input: [Int]
    let filter: [Int]
    let strides: (Int, Int)
    let padding: Padding

    /// The seed-000 CNN's three convolutions at batch 128, a 1×1 and a stride-2 one.
    static let all = [
        OneDNNBenchmarkShape(name: "3x3 32x32x3->64", input: [128, 32, 32, 3], filter: [3, 3, 3, 64], strides: (1, 1), padding: .same),
        OneDNNBenchmarkShape(name: "3x3 32x32x64->64", input: [128, 32, 32, 64], filter: [3, 3, 64, 64], strides: (1, 1), padding: .same),
        OneDNNBenchmarkShape(name: "3x3 16x16x64->128", input: [128, 16, 16, 64], filter: [3, 3, 64, 128], strides: (1, 1), padding: .same),
        OneDNNBenchmarkShape(name: "1x1 16x16x128->128", input: [128, 16, 16, 128], filter: [1, 1, 128, 128], strides: (1, 1), padding: .valid),
        OneDNNBenchmarkShape(name: "3x3/2 32x32x64->128", input: [128, 32, 32, 64], filter: [3, 3, 64, 128], strides: (2, 2), padding: .same),
    ]

    /// Output height and width ('same': ceil(size / stride); 'valid': (size − window) / stride + 1).
    var outputSize: (Int, Int) {
        switch padding {
        case .same: ((input[1] + strides.0 - 1) / strides.0, (input[2] + strides.1 - 1) / strides.1)
        case .valid: ((input[1] - filter[0]) / strides.0 + 1, (input[2] - filter[1]) / strides.1 + 1)
        }
    }

    /// FLOPs of one pass: 2 · N·OH·OW · Cout · KH·KW·Cin.
    var flops: Double {
        let (height, width) = outputSize
        return 2 * Double(input[0] * height * width * filter[3] * filter[0] * filter[1] * filter[2])
    }
}
