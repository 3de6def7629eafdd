/// Branch-free SIMD loops for the activations that run on every element of a network's feature maps.
///
/// A scalar `x > 0 ? x : 0` compiles to a conditional branch that mispredicts on half of random-signed
/// data; selecting lanes with SIMD masks avoids that and processes eight values per instruction.
enum ActivationKernels {
    /// output[i] = input[i] > 0 ? input[i] : 0 for i in `range` (NaN gives 0).
    static func relu(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        let zero = SIMD8<Float>(repeating: 0)
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let x = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(output + index).storeBytes(of: x.replacing(with: 0, where: .!(x .> zero)), as: SIMD8<Float>.self)
            index += 8
        }
        while index < range.upperBound {
            output[index] = input[index] > 0 ? input[index] : 0
            index += 1
        }
    }

    /// inputGradient[i] = output[i] > 0 ? outputGradient[i] : 0 for i in `range`.
    static func reluBackward(output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                             inputGradient: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        let zero = SIMD8<Float>(repeating: 0)
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let y = UnsafeRawPointer(output + index).loadUnaligned(as: SIMD8<Float>.self)
            let dy = UnsafeRawPointer(outputGradient + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(inputGradient + index).storeBytes(of: dy.replacing(with: 0, where: .!(y .> zero)),
                                                                      as: SIMD8<Float>.self)
            index += 8
        }
        while index < range.upperBound {
            inputGradient[index] = output[index] > 0 ? outputGradient[index] : 0
            index += 1
        }
    }
}
