import KestrelTensor

/// Builds tensors from data already known to match their shape (no validation failure possible).
enum TensorFactory {
    static func make(shape: [Int], scalars: [Float]) -> Tensor {
        let buffer = TensorBuffer(count: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.pointer.update(from: base, count: source.count) }
        }
        return Tensor(shape: shape, buffer: buffer)
    }

    static func make(shape: [Int], bytes: [UInt8], scale: Float) -> Tensor {
        let buffer = TensorBuffer(count: bytes.count)
        for (index, byte) in bytes.enumerated() { buffer.pointer[index] = Float(byte) * scale }
        return Tensor(shape: shape, buffer: buffer)
    }
}
