import Foundation
import XCTest
@testable import Kestrel

/// `summary()` laid out as Keras 3.15.1 lays it out on terminals of 60, 80 and 200 columns, for a model Keras
/// compiled with Adam, trained and saved: long names wrap onto a second line, the table widens with the terminal
/// up to 88 columns, and the loaded optimizer's variables are counted ("Optimizer params: 456").
/// Made by scripts/fixtures/make_keras_summary_width_fixtures.py.
final class SummaryWidthTests: XCTestCase {
    private static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras/summary_widths")

    func testLoadedTrainedModelPrintsKerassTableAtEveryWidth() throws {
        let model = try loadModel(Self.folder.appendingPathComponent("trained.keras").path)
        XCTAssertEqual(model.countParams(), 227 + 32, "Keras's count_params(): trainable and non-trainable weights")
        for columns in [60, 80, 200] {
            let expected = try String(contentsOf: Self.folder.appendingPathComponent("summary_columns_\(columns).txt"), encoding: .utf8)
            XCTAssertEqual(model.summaryText(terminalColumns: columns), expected, "COLUMNS=\(columns)")
        }
    }

    func testColumnWidthsFollowKerasAndRich() {
        // 80 columns: line 76 → 34/26/16 → rich narrows the padded widths evenly to 31/22/13.
        XCTAssertEqual(SummaryLayout.columnWidths(columnCount: 3, lineLength: nil, terminalColumns: 80), [31, 22, 13])
        XCTAssertEqual(SummaryLayout.columnWidths(columnCount: 4, lineLength: nil, terminalColumns: 80), [19, 17, 10, 17])
        // Wide terminals stop at Keras's 88.
        XCTAssertEqual(SummaryLayout.columnWidths(columnCount: 3, lineLength: nil, terminalColumns: 300),
                       SummaryLayout.columnWidths(columnCount: 3, lineLength: nil, terminalColumns: 92))
    }

    func testTerminalColumnsReadsCOLUMNSFirst() {
        XCTAssertEqual(SummaryLayout.terminalColumns(environment: ["COLUMNS": "132"]), 132)
        XCTAssertGreaterThan(SummaryLayout.terminalColumns(environment: ["COLUMNS": "zero"]), 0)
    }
}
