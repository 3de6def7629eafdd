import Dispatch
import Foundation

/// Splits `0..<count` into chunks run with `DispatchQueue.concurrentPerform`; small jobs run inline.
enum ParallelLoop {
    static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    static func run(count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let totalCost = count * max(costPerItem, 1)
        let chunks = min(count, totalCost < 32_768 ? 1 : processorCount * 4)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                if start < end { box.value(start..<end) }
            }
        }
    }
}

/// Carries a non-Sendable value into concurrent workers that only read it.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
