/// Storage on the simulated device (`Device.simulated`). Its values sit in a private host block that
/// only `SimulatedDeviceBackend` (in its own file) can reach: a host backend handed this storage by
/// mistake finds no `TensorBuffer` and stops, so the tests on this device show every access goes
/// through the seam.
final class SimulatedDeviceStorage: DeviceStorage, @unchecked Sendable {
    /// The device memory's stand-in; reached only by `SimulatedDeviceBackend`.
    let deviceMemory: SimulatedDeviceBackend.Memory

    var count: Int { deviceMemory.count }
    var device: Device { .simulated }

    init(_ deviceMemory: SimulatedDeviceBackend.Memory) {
        self.deviceMemory = deviceMemory
    }
}
