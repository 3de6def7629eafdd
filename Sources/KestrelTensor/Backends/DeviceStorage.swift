/// A block of Float32 storage on one device, owned by that device's backend.
///
/// Only the owning backend reaches the values: operations pass storage to the backend's
/// requirements, and code above the engine reads values with `Tensor.scalars` (a copy to the host).
/// Host backends store a `TensorBuffer`; a device backend its own handle (device memory, a stream).
protocol DeviceStorage: AnyObject, Sendable {
    /// The number of Float32 elements.
    var count: Int { get }
    /// The device the values live on.
    var device: Device { get }
}
