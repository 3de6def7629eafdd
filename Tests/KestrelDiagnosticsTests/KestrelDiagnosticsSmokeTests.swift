import XCTest
@testable import KestrelDiagnostics

final class KestrelDiagnosticsSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
