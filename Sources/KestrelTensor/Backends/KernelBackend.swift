/// The kernels an engine backend provides. Every engine operation that has a backend kernel runs it
/// through this interface, so a second implementation can replace the CPU one: `CPUBackend` (the fast
/// kernels, used by all public operations) and `ReferenceBackend` (plain loops in Double, which the
/// differential tests compare every kernel against). Docs/Backends.md says what a new backend (a GPU
/// one) must provide.
///
/// Kernels receive raw storage: the engine has already checked shapes and allocated the outputs.
protocol KernelBackend: Sendable {
    /// Applies `rule` elementwise: reads `operands`' parameter, gradient and slots and writes the new
    /// parameter and slots (outputs never alias inputs here, but a kernel must allow it).
    func update(_ rule: UpdateRule, _ operands: UpdateOperands)

}

/// Storage of one elementwise optimizer update over `count` elements.
struct UpdateOperands {
    let count: Int
    let parameter: UnsafePointer<Float>
    let gradient: UnsafePointer<Float>
    /// The slots in the rule's order.
    let slots: [UnsafePointer<Float>]
    let newParameter: UnsafeMutablePointer<Float>
    let newSlots: [UnsafeMutablePointer<Float>]

    /// The same operands restricted to `range` (pointers moved to its start).
    func restricted(to range: Range<Int>) -> UpdateOperands {
        let start = range.lowerBound
        return UpdateOperands(count: range.count, parameter: parameter + start, gradient: gradient + start,
                              slots: slots.map { $0 + start }, newParameter: newParameter + start,
                              newSlots: newSlots.map { $0 + start })
    }
}

/// The backends the engine knows.
enum Backends {
    /// The backend every public operation runs on.
    static let cpu = CPUBackend()
    /// The plain backend the differential tests compare against.
    static let reference = ReferenceBackend()
}
