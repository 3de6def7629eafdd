/// Carries a non-Sendable value into a worker that is the only one to use it (the prefetcher's
/// upstream iterator).
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
