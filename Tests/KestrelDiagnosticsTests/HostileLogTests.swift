import Foundation
import XCTest
@testable import KestrelDiagnostics

/// History files whose epoch numbers used to trap `Int(Double)` in the reader.
final class HostileLogTests: XCTestCase {
    func testJSONEpochsOutsideIntAreAnError() {
        for epoch in ["1e19", "-1e30", "9223372036854775808", "1.5", "-1"] {
            let json = #"{"history": {"loss": [0.5]}, "epoch": [\#(epoch)]}"#
            XCTAssertThrowsError(try TrainingLogReader.parseJSON(Data(json.utf8)), epoch) { error in
                XCTAssertTrue("\(error)".contains("'epoch'"), "\(error)")
            }
        }
        XCTAssertEqual(try TrainingLogReader.parseJSON(Data(#"{"history": {"loss": [0.5]}, "epoch": [7]}"#.utf8)).epochs, [7])
    }

    func testCSVEpochsOutsideTheRangeAreAnError() {
        for epoch in ["9223372036854775807", "-3", "1e19"] {
            XCTAssertThrowsError(try TrainingLogReader.parseCSV("epoch,loss\n\(epoch),0.5\n"), epoch)
        }
    }
}
