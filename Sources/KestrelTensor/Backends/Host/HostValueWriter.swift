/// Code outside the engine that writes a new tensor's values into host memory it is handed (every
/// element), such as libhdf5's `H5Dread` in a file reader: `Tensor(shape:writingHostValues:)` gives it
/// the storage itself on a host device, or a staging buffer that a discrete device's backend then uploads.
public typealias HostValueWriter = (UnsafeMutableBufferPointer<Float>) throws -> Void
