import XCTest
@testable import KestrelData

final class KestrelDataSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
