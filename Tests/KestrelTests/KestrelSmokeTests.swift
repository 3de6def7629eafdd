import XCTest
@testable import Kestrel

final class KestrelSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
