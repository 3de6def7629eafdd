import Foundation

/// The page and `/view.json` for all runs, rendered once and shared by the requests that arrive while the state is
/// unchanged; while one request renders a newer state, the others get the previous rendering instead of rendering
/// too, so that hundreds of page loads cost one rendering at a time. Requests for a selection of runs are rendered
/// each time.
final class RenderedPageCache: @unchecked Sendable {
    private struct Entry {
        let version: Int
        let data: Data
    }

    private let lock = NSLock()
    private let renderingPage = NSLock()
    private let renderingView = NSLock()
    private var page: Entry?
    private var view: Entry?

    /// The page for `selection` at state `version`, from the cache when fresh.
    func page(version: Int, selection: Set<String>, render: () throws -> Data) rethrows -> Data {
        guard selection.isEmpty else { return try render() }
        return try cached(version: version, rendering: renderingPage, entry: \.page, render: render)
    }

    /// The view JSON for `selection` at state `version`, from the cache when fresh.
    func view(version: Int, selection: Set<String>, render: () throws -> Data) rethrows -> Data {
        guard selection.isEmpty else { return try render() }
        return try cached(version: version, rendering: renderingView, entry: \.view, render: render)
    }

    private func cached(version: Int, rendering: NSLock, entry: ReferenceWritableKeyPath<RenderedPageCache, Entry?>,
                        render: () throws -> Data) rethrows -> Data {
        if let current = cachedData(entry, version: version) { return current }
        // One rendering at a time: while it runs, the others take the previous one (or wait when there is none).
        if !rendering.try() {
            if let previous = cachedData(entry, version: nil) { return previous }
            rendering.lock()
        }
        defer { rendering.unlock() }
        if let current = cachedData(entry, version: version) { return current }
        let data = try render()
        lock.withLock { self[keyPath: entry] = Entry(version: version, data: data) }
        return data
    }

    /// The cached rendering of state `version` (of any state when nil).
    private func cachedData(_ entry: ReferenceWritableKeyPath<RenderedPageCache, Entry?>, version: Int?) -> Data? {
        lock.withLock {
            guard let cached = self[keyPath: entry], version == nil || cached.version == version else { return nil }
            return cached.data
        }
    }
}
