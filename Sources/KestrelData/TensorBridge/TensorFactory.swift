import KestrelTensor

/// Builds tensors from data already known to match their shape (the loaders have checked the sizes),
/// through the engine's public initialisers.
enum TensorFactory {
    static func make(shape: [Int], scalars: [Float]) -> Tensor {
        // The loaders build `scalars` for exactly this shape; a mismatch would be a loader bug.
        (try? Tensor(shape: shape, scalars: scalars)) ?? Tensor(scalars)
    }

    static func make(shape: [Int], bytes: [UInt8], scale: Float) -> Tensor {
        (try? Tensor(shape: shape, bytes: bytes, scale: scale)) ?? Tensor(bytes.map { Float($0) * scale })
    }
}
