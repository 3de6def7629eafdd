import XCTest
import KestrelDiagnostics

/// `print(confusionMatrix)` shows the table, not the struct's fields.
final class ConfusionMatrixDescriptionTests: XCTestCase {
    func testPrintShowsTheLabelledTableWithTrueClassesAsRows() throws {
        let matrix = try ConfusionMatrix(trueLabels: [0, 0, 0, 1, 1, 2], predictedLabels: [0, 0, 1, 1, 2, 2],
                                         classNames: ["cat", "dog", "emu"])
        XCTAssertEqual(matrix.description, """
            Confusion matrix (rows: true class, columns: predicted class)
                 cat  dog  emu
            cat    2    1    0
            dog    0    1    1
            emu    0    0    1
            """)
    }

    func testWideCountsWidenTheirColumn() throws {
        let matrix = try ConfusionMatrix(counts: [[1234, 5], [6, 7]])
        XCTAssertEqual(matrix.description.split(separator: "\n").map(String.init),
                       ["Confusion matrix (rows: true class, columns: predicted class)", "      0  1", "0  1234  5", "1     6  7"])
    }
}
