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

/// Whether `storage`, which holds an instance of `Concrete`, is the only strong reference to it
/// (`isKnownUniquelyReferenced`). Opening the existential as a generic `inout` argument would copy the
/// reference in unoptimised builds (which then never see one holder); a class-bound existential starts
/// with its object reference (its witness table follows), so the check reads that word in place as the
/// concrete class the caller's backend stores.
func isOnlyReference<Concrete: DeviceStorage>(_ storage: inout any DeviceStorage, of type: Concrete.Type) -> Bool {
    guard storage is Concrete else { return false }
    return withUnsafeMutablePointer(to: &storage) { existential in
        isKnownUniquelyReferenced(&UnsafeMutableRawPointer(existential).assumingMemoryBound(to: Concrete.self).pointee)
    }
}
