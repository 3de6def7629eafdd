/// Where a tensor's values live and its operations run: the host CPU, or a device with its own memory.
///
/// An operation runs on the device of its operands (they must all be on one device; move one with
/// `tensor.to(device)`); tensors made from host values (`Tensor(shape:scalars:)`, the factories,
/// the initialisers) are placed on `EngineConfiguration.current.device`, `.cpu` unless a scope
/// chooses another with `EngineConfiguration.withChanges { $0.device = … }`. Reading values
/// (`scalars`, `scalar`) copies them to the host.
public struct Device: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of device the engine has a backend for.
    enum Kind: Hashable, Sendable {
        case cpu
        case reference
        case simulated
    }

    let kind: Kind

    /// The host CPU with the fast kernels (BLAS, SIMD loops, the thread pool): the default.
    public static let cpu = Device(kind: .cpu)
    /// A simulated discrete accelerator: its memory is reachable only through its backend and every
    /// transfer to or from the host is counted. It proves in the tests that nothing bypasses the
    /// backend seam; it computes with the CPU kernels and gains no speed.
    public static let simulated = Device(kind: .simulated)
    /// The host CPU with the plain Double loops the differential tests compare every kernel against.
    static let reference = Device(kind: .reference)

    /// The device's name as errors print it: `cpu`, `simulated`, `reference`.
    public var description: String {
        switch kind {
        case .cpu: return "cpu"
        case .reference: return "reference"
        case .simulated: return "simulated"
        }
    }

    /// The backend that owns this device's storage and runs its kernels.
    var backend: any KernelBackend {
        switch kind {
        case .cpu: return Backends.cpu
        case .reference: return Backends.reference
        case .simulated: return Backends.simulated
        }
    }

    /// The device new tensors are created on in the calling thread or task.
    static var current: Device { EngineConfiguration.current.device }
}

/// The engine's backends, one per device.
enum Backends {
    /// The fast host backend (`Device.cpu`).
    static let cpu = HostBackend(kernels: CPUBackend(), device: .cpu)
    /// The plain host backend (`Device.reference`), the differential tests' oracle.
    static let reference = HostBackend(kernels: ReferenceBackend(), device: .reference)
    /// The simulated discrete device (`Device.simulated`).
    static let simulated = SimulatedDeviceBackend()
}
