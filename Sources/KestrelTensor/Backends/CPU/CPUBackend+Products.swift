extension CPUBackend {
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>,
              _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        if let bias {
            for row in 0..<m { (c + row * n).update(from: bias, count: n) }
        }
        BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b,
                  beta: bias == nil ? 0 : 1, c: c)
    }

    func convolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                     bias: UnsafePointer<Float>?, geometry: WindowGeometry, outputChannels: Int, relu: Bool,
                     _ output: UnsafeMutablePointer<Float>) {
        let algorithm = EngineConfiguration.current.convolutionAlgorithm
        if let tile = algorithm.winogradTile(for: geometry, outputChannels: outputChannels) {
            let plan = WinogradConvolution.Plan(geometry, outputChannels: outputChannels, tile: tile)
            let transformed = winogradFilters.transformed(filter, version: filterVersion, plan: plan)
            // ReLU is applied in the output transform, while each tile is still in cache.
            WinogradConvolution.forward(input: input, transformedFilter: transformed.pointer, bias: bias, relu: relu,
                                        plan: plan, output: output)
            withExtendedLifetime(transformed) {}
            return
        }
        if algorithm != .oneDNN || !OneDNNConvolution.shared.forward(input, filter: filter, bias: bias, geometry: geometry,
                                                                     outputChannels: outputChannels, output) {
            ConvolutionKernel.forward(input: input, filter: filter, bias: bias,
                                      plan: ConvolutionKernel.Plan(geometry, outputChannels: outputChannels), output: output)
        }
        if relu { unary(.relu, output, output, count: geometry.outputPixels * outputChannels) }
    }

    func convolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, filterVersion: UInt64,
                             outputGradient: UnsafePointer<Float>, reluOutput: UnsafePointer<Float>?,
                             geometry: WindowGeometry, outputChannels: Int,
                             inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                             biasGradient: UnsafeMutablePointer<Float>?) {
        let algorithm = EngineConfiguration.current.convolutionAlgorithm
        if let tile = algorithm.winogradTile(for: geometry, outputChannels: outputChannels) {
            let plan = WinogradConvolution.Plan(geometry, outputChannels: outputChannels, tile: tile, backward: true)
            // Only the input gradient needs the transformed kernel: the forward's, when the filter is unchanged.
            let transformed = inputGradient == nil ? nil : winogradFilters.take(filter, version: filterVersion, plan: plan)
            // The ReLU mask is applied as the output gradient is read (its transform and the bias sums).
            WinogradConvolution.backward(input: input, outputGradient: outputGradient, reluOutput: reluOutput, plan: plan,
                                         inputGradient: inputGradient.flatMap { target in
                                             transformed.map { (target: target, transformedFilter: UnsafePointer($0.pointer)) }
                                         },
                                         filterGradient: filterGradient, biasGradient: biasGradient)
            withExtendedLifetime(transformed) {}
            return
        }
        let shape = [geometry.outputPixels * outputChannels]
        let masked = reluOutput.map { mask in
            let buffer = TensorBuffer(count: shape[0])
            binary(.reluBackward, outputGradient, shapeA: shape, mask, shapeB: shape, buffer.pointer, outputShape: shape)
            return buffer
        }
        let gradient = masked.map { UnsafePointer($0.pointer) } ?? outputGradient
        let left = algorithm != .oneDNN ? (input: inputGradient, filter: filterGradient, bias: biasGradient)
            : OneDNNConvolution.shared.backward(input, filter: filter, outputGradient: gradient, geometry: geometry,
                                                outputChannels: outputChannels, inputGradient: inputGradient,
                                                filterGradient: filterGradient, biasGradient: biasGradient)
        ConvolutionKernel.backward(input: input, filter: filter, outputGradient: gradient,
                                   plan: ConvolutionKernel.Plan(geometry, outputChannels: outputChannels),
                                   inputGradient: left.input, filterGradient: left.filter, biasGradient: left.bias)
        withExtendedLifetime(masked) {}
    }

    func depthwiseConvolution(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                              plan: DepthwiseConvolutionKernel.Plan, _ output: UnsafeMutablePointer<Float>) {
        DepthwiseConvolutionKernel.forward(input: input, filter: filter, bias: bias, plan: plan, output: output)
    }

    func depthwiseConvolutionBackward(_ input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
                                      outputGradient: UnsafePointer<Float>, plan: DepthwiseConvolutionKernel.Plan,
                                      inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
                                      biasGradient: UnsafeMutablePointer<Float>?) {
        DepthwiseConvolutionKernel.backward(input: input, filter: filter, outputGradient: outputGradient, plan: plan,
                                            inputGradient: inputGradient, filterGradient: filterGradient,
                                            biasGradient: biasGradient)
    }

    func maxPool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>,
                 winners: UnsafeMutablePointer<Float>) {
        PoolingKernel.maxForward(input, geometry, output: output, winners: winners)
    }

    func maxPoolBackward(_ dy: UnsafePointer<Float>, winners: UnsafePointer<Float>, geometry: WindowGeometry,
                         _ dx: UnsafeMutablePointer<Float>) {
        PoolingKernel.maxBackward(dy, winners: winners, geometry, inputGradient: dx)
    }

    func averagePool(_ input: UnsafePointer<Float>, geometry: WindowGeometry, _ output: UnsafeMutablePointer<Float>) {
        PoolingKernel.averageForward(input, geometry, output: output)
    }

    func averagePoolBackward(_ dy: UnsafePointer<Float>, geometry: WindowGeometry, _ dx: UnsafeMutablePointer<Float>) {
        PoolingKernel.averageBackward(dy, geometry, inputGradient: dx)
    }
}

extension CPUBackend {
    /// Two products each too small to split across cores (OpenBLAS spends microseconds of fixed cost
    /// on each) run side by side; larger ones run one after the other and split themselves.
    func runProductPair(flops: Int, _ first: () -> Void, _ second: () -> Void) {
        guard flops < EngineConfiguration.current.blasSingleThreadFlops else {
            first()
            second()
            return
        }
        Parallel.forEach(count: 2) { $0 == 0 ? first() : second() }
    }
}
