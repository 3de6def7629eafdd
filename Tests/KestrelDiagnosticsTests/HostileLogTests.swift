import Foundation
import Kestrel
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

/// Logs with values near Double's limits: the figure's pixel coordinates overflowed `Int` and trapped
/// `kestrel plot`, `diagnose --report` and `compare`.
final class HostileLogValueTests: XCTestCase {
    func testHugeLoggedValuesDrawAFigure() throws {
        let log = try TrainingLogReader.parseCSV("epoch,loss,val_loss\n0,1e300,-1e300\n1,1.7e308,-1.7e308\n2,5e-324,1\n")
        let svg = log.figure().svg
        XCTAssertTrue(svg.hasPrefix("<") && svg.contains("</svg>"), String(svg.prefix(200)))
        XCTAssertEqual(SVGWriter.number(1e19), "1000000")
        XCTAssertEqual(SVGWriter.number(-1e300), "-1000000")
        XCTAssertEqual(SVGWriter.number(12.34), "12.3")
        XCTAssertEqual(SVGWriter.number(.infinity), "0")
    }

    func testConfusionMatrixLabelsThatAreNotClassIndicesAreAnError() throws {
        let model = try Sequential { Input(shape: [1]); Dense(2, activation: .softmax) }
        XCTAssertThrowsError(try ConfusionMatrix(model: model, x: Tensor(shape: [2, 1], scalars: [1, 2]), y: Tensor(shape: [2], scalars: [0, .nan]))) { error in
            XCTAssertTrue("\(error)".contains("`y`"), "\(error)")
        }
    }
}

/// A log of very many epochs: the curves are thinned to what the chart's pixel columns can show (the PNG
/// of a 200,000-epoch CSV took the rasteriser minutes).
final class HostileLogLengthTests: XCTestCase {
    func testThinningKeepsFirstLowestHighestAndLastOfACrowdedColumn() {
        let points: [(x: Double, y: Double)] = [(0.1, 5), (0.2, 1), (0.3, 9), (0.4, 3), (0.5, 4), (1.2, 7)]
        let thinned = PolylineThinning.thinned(points)
        XCTAssertEqual(thinned.map(\.x), [0.1, 0.2, 0.3, 0.5, 1.2])
        XCTAssertEqual(thinned.map(\.y), [5, 1, 9, 4, 7])
        let sparse: [(x: Double, y: Double)] = (0..<50).map { (Double($0) * 1.5, Double($0 % 7)) }
        XCTAssertEqual(PolylineThinning.thinned(sparse).map(\.y), sparse.map(\.y))
    }

    func testAHundredThousandEpochsDrawAsManyPointsAsTheChartHasColumns() throws {
        var csv = "epoch,loss,val_loss\n"
        for epoch in 0..<100_000 { csv += "\(epoch),\(1 + Double(epoch % 97) / 97),\(2 + Double(epoch % 89) / 89)\n" }
        let svg = try TrainingLogReader.parseCSV(csv).figure().svg
        let lineCommands = svg.components(separatedBy: "L").count - 1
        XCTAssertLessThan(lineCommands, 20_000)
        XCTAssertGreaterThan(lineCommands, 1_000)
    }
}
