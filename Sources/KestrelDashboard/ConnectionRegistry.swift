import NIOConcurrencyHelpers
import NIOCore

/// The connections a server has open, capped: a connection past the cap closes the oldest one that is not writing a
/// response (an idle keep-alive or a half-sent request), or is refused when every open one is busy.
final class ConnectionRegistry: @unchecked Sendable {
    private struct Entry {
        let order: Int
        let channel: any Channel
        let state: ConnectionState
    }

    private let lock = NIOLock()
    private var open: [ObjectIdentifier: Entry] = [:]
    private var nextOrder = 0
    /// The most connections open at once.
    let cap: Int

    init(cap: Int) { self.cap = max(1, cap) }

    /// The connections open now.
    var count: Int { lock.withLock { open.count } }

    /// Registers `channel`; false when it must be refused. At the cap, the oldest connection not writing a response
    /// is closed to make room.
    func admit(_ channel: any Channel, state: ConnectionState) -> Bool {
        let victim = lock.withLock { () -> (any Channel)?? in
            var victim: (any Channel)? = nil
            if open.count >= cap {
                let idle = open.values.filter { !$0.state.isResponding }.min { $0.order < $1.order }
                guard let idle else { return .none }
                open.removeValue(forKey: ObjectIdentifier(idle.channel))
                victim = idle.channel
            }
            open[ObjectIdentifier(channel)] = Entry(order: nextOrder, channel: channel, state: state)
            nextOrder += 1
            return .some(victim)
        }
        guard let victim else { return false }
        victim?.close(promise: nil)
        return true
    }

    /// Forgets `channel` (it closed).
    func remove(_ channel: any Channel) {
        _ = lock.withLock { open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes every open connection (the server is stopping).
    func closeAll() {
        let channels = lock.withLock { () -> [any Channel] in
            defer { open = [:] }
            return open.values.map(\.channel)
        }
        for channel in channels { channel.close(promise: nil) }
    }
}
