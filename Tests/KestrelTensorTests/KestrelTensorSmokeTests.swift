import XCTest
@testable import KestrelTensor

final class KestrelTensorSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
