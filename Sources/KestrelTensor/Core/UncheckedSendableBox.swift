/// Carries a non-Sendable value to another thread whose use of it the caller has made safe (e.g.
/// the prefetcher's upstream iterator, used by one worker at a time).
/// The package's only such box; other modules of the package use it too.
package struct UncheckedSendableBox<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
