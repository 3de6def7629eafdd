/// Storage on the simulated device (`Device.simulated`). Its values sit in a private host block that
/// only `SimulatedDeviceBackend` (in its own file) can reach. It is not a `TensorBuffer`: a host
/// backend handed it by mistake stops at its checked downcast in debug builds (the tests), so the
/// tests on this device show that every access goes through the seam.
final class SimulatedDeviceStorage: DeviceStorage, @unchecked Sendable {
    /// The device memory's stand-in; reached only by `SimulatedDeviceBackend`.
    let deviceMemory: SimulatedDeviceBackend.Memory

    var count: Int { deviceMemory.count }
    var device: Device { .simulated }

    init(_ deviceMemory: SimulatedDeviceBackend.Memory) {
        self.deviceMemory = deviceMemory
    }
}
