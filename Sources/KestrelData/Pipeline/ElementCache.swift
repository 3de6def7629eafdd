import Foundation

/// The elements a `cache()`d dataset recorded during its first complete epoch.
final class ElementCache: @unchecked Sendable {
    private var stored: [DataElement]?
    private let lock = NSLock()

    var elements: [DataElement]? { lock.withLock { stored } }

    func fill(_ elements: [DataElement]) {
        lock.withLock { if stored == nil { stored = elements } }
    }
}
