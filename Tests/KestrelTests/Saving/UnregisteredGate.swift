@testable import Kestrel

/// A conforming layer that no test registers: saving it must say how to register it.
final class UnregisteredGate: Layer, KerasSerializable, @unchecked Sendable {
    init() { super.init(name: nil) }

    convenience init(config reader: KerasConfigReader) throws { self.init() }
}
