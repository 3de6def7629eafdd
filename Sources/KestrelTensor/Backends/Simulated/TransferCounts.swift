/// How many transfers between the host and the simulated device have happened.
struct TransferCounts: Equatable, Sendable {
    /// Copies from the host to the device (`Tensor(shape:scalars:)`, `to(.simulated)`, `mapped`).
    var uploads = 0
    /// Copies from the device to the host (`scalars`, `scalar`, `to(.cpu)`, `mapped`).
    var downloads = 0
    /// Kernels that return a value to the host (`l2Norm`, the finiteness and label checks).
    var synchronisingReads = 0
}
