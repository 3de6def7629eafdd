import Foundation
import XCTest
@testable import KestrelTensor

/// The backward pass's gradient-ready reports (what data-parallel training overlaps its all-reduces with).
final class GradientReadinessTests: XCTestCase {
    /// Records every report: the target's index, the count and the gradient.
    final class Recorder: GradientReadyObserver, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var reports: [(index: Int, count: Int, gradient: Tensor)] = []
        var failAt: Int?
        func gradientIsReady(_ gradient: Tensor, index: Int, count: Int) throws {
            try lock.withLock {
                if index == failAt { throw KestrelError.invalidState("observer stops at \(index)") }
                reports.append((index, count, gradient))
            }
        }
    }

    func testEachTargetIsReportedOnceAsSoonAsItsGradientIsFinalInReverseOrder() throws {
        let a = Tensor([1, 2]).requiringGradient(), b = Tensor([3, 4]).requiringGradient()
        let unused = Tensor([5]).requiringGradient()
        // a is used first (h = 3a), b last: the backward pass reaches b before a.
        let output = try (try (a * 3) * b).sum()
        let recorder = Recorder()
        let gradients = try GradientReadiness.$observer.withValue(recorder) { try gradient(of: output, wrt: [a, b, unused]) }
        XCTAssertEqual(recorder.reports.map(\.index), [1, 0, 2], "b, then a, then the target the output does not use")
        XCTAssertEqual(recorder.reports.map(\.count), [3, 3, 3])
        // d/da = 3b, d/db = 3a, 0 for the unused one; the reported tensors are the returned ones, not copies.
        XCTAssertEqual(gradients.map(\.scalars), [[9, 12], [3, 6], [0]])
        for report in recorder.reports {
            XCTAssertTrue(report.gradient.sharesValues(with: gradients[report.index]), "target \(report.index)")
        }
    }

    func testATargetUsedTwiceIsReportedOnceWithItsSummedGradient() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let recorder = Recorder()
        let gradients = try GradientReadiness.$observer.withValue(recorder) { try gradient(of: try (x * x + x).sum(), wrt: [x]) }
        XCTAssertEqual(recorder.reports.map(\.index), [0])
        XCTAssertEqual(recorder.reports.first?.gradient.scalars, [3, 5, 7])
        XCTAssertEqual(gradients[0].scalars, [3, 5, 7])
    }

    func testAConstantOutputReportsZerosForEveryTarget() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let recorder = Recorder()
        _ = try GradientReadiness.$observer.withValue(recorder) { try gradient(of: Tensor([4]).sum(), wrt: [x]) }
        XCTAssertEqual(recorder.reports.map(\.index), [0])
        XCTAssertEqual(recorder.reports.first?.gradient.scalars, [0, 0])
    }

    func testAnObserversErrorEndsTheBackwardPassAndNoObserverIsCalledOutsideItsScope() throws {
        let a = Tensor([1]).requiringGradient(), b = Tensor([2]).requiringGradient()
        let output = try (a * b).sum()
        let recorder = Recorder()
        recorder.failAt = 0
        XCTAssertThrowsError(try GradientReadiness.$observer.withValue(recorder) { try gradient(of: output, wrt: [a, b]) }) { error in
            XCTAssertTrue("\(error)".contains("observer stops at 0"), "\(error)")
        }
        _ = try gradient(of: output, wrt: [a, b])
        XCTAssertEqual(recorder.reports.count, 1, "only the report before the error, none from the pass without an observer")
    }
}
