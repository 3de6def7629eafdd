import KestrelTensor

extension Tensor {
    /// Reads a NumPy `.npy` file (float32/float64/int32/int64/uint8/bool, little-endian, C order) as a
    /// Float32 tensor of the file's shape; throws a `KestrelError` naming the file for anything else.
    public init(npyFile path: String) throws {
        let file = try NPYFile(contentsOfFile: path)
        try self.init(shape: file.shape, scalars: file.values)
    }

    /// Writes the tensor as a NumPy `.npy` file (`numpy.load` reads it), atomically. Integer and bool
    /// dtypes need integral values in range.
    public func saveNpy(_ path: String, dtype: NPYFile.DType = .float32) throws {
        try NPYFile(shape: shape, dtype: dtype, values: scalars).write(to: path)
    }
}
