import Foundation
import XCTest
import Kestrel
@testable import KestrelDiagnostics

/// `ModelTemplate` and `HyperParameter`: the `{name:values}` grammar read by hand-checked cases,
/// sampling that stays on its grid, and every malformed template refused with a sentence naming it.
final class ModelTemplateTests: XCTestCase {
    func testTemplateReadsRangesStepsLogAndChoices() throws {
        let template = try ModelTemplate(parsing: "flatten, dense {units:32..512 step=32} {activation:relu|tanh}, dropout {rate:0..0.5}, dense 10 softmax")
        XCTAssertEqual(template.hyperParameters.map(\.name), ["units", "activation", "rate"])
        XCTAssertEqual(template.hyperParameters[0].kind, .int(min: 32, max: 512, step: 32, log: false))
        XCTAssertEqual(template.hyperParameters[1].kind, .choice(["relu", "tanh"]))
        XCTAssertEqual(template.hyperParameters[2].kind, .float(min: 0, max: 0.5, step: nil, log: false))
        let values: [String: HyperParameterValue] = ["units": .int(64), "activation": .text("tanh"), "rate": .float(0.25)]
        XCTAssertEqual(template.text(for: values), "flatten, dense 64 tanh, dropout 0.25, dense 10 softmax")
        XCTAssertEqual(try template.specification(for: values),
                       try ModelSpecification(parsing: "flatten, dense 64 tanh, dropout 0.25, dense 10 softmax"))
        // Keras Tuner's defaults: the lower bound, the first choice.
        XCTAssertEqual(template.text(for: [:]), "flatten, dense 32 relu, dropout 0.0, dense 10 softmax")
    }

    func testLogRangesAndSharedNames() throws {
        let template = try ModelTemplate(parsing: "dense {width:16..1024 log}, dense {width:16..1024 log}, dense {small:8..512 log step=2}, dense 1")
        XCTAssertEqual(template.hyperParameters.map(\.name), ["width", "small"])
        XCTAssertEqual(template.hyperParameters[0].kind, .int(min: 16, max: 1024, step: nil, log: true))
        XCTAssertEqual(template.hyperParameters[1].kind, .int(min: 8, max: 512, step: 2, log: true))
        XCTAssertEqual(template.text(for: ["width": .int(100), "small": .int(64)]), "dense 100, dense 100, dense 64, dense 1")
        let rate = try HyperParameter(parsing: "1e-4..1e-2 log", name: "learning_rate", context: "--learning-rate")
        XCTAssertEqual(rate.kind, .float(min: 0.0001, max: 0.01, step: nil, log: true))
        let choices = try HyperParameter(parsing: "0.01|0.001|0.0001", name: "learning_rate", context: "--learning-rate")
        XCTAssertEqual(choices.kind, .choice(["0.01", "0.001", "0.0001"]))
    }

    func testSamplesStayOnTheirGridAndRepeatForASeed() throws {
        let stepped = try HyperParameter(parsing: "32..512 step=32", name: "units", context: "t")
        let doubling = try HyperParameter(parsing: "8..512 log step=2", name: "units", context: "t")
        let logFloat = try HyperParameter(parsing: "1e-4..1e-2 log", name: "lr", context: "t")
        let grid = try HyperParameter(parsing: "0..0.5 step=0.1", name: "rate", context: "t")
        var generator = RandomGenerator(seed: 3)
        var seen: Set<Int> = [], powers: Set<Int> = [], belowMiddle = 0
        for _ in 0..<2000 {
            guard case let .int(units) = stepped.sample(using: &generator) else { return XCTFail("not an int") }
            XCTAssertTrue(units % 32 == 0 && (32...512).contains(units), "\(units)")
            seen.insert(units)
            guard case let .int(power) = doubling.sample(using: &generator) else { return XCTFail("not an int") }
            XCTAssertTrue([8, 16, 32, 64, 128, 256, 512].contains(power), "\(power)")
            powers.insert(power)
            guard case let .float(rate) = logFloat.sample(using: &generator) else { return XCTFail("not a float") }
            XCTAssertTrue(rate >= 1e-4 && rate <= 1e-2, "\(rate)")
            if rate < 1e-3 { belowMiddle += 1 }
            guard case let .float(step) = grid.sample(using: &generator) else { return XCTFail("not a float") }
            XCTAssertEqual((step * 10).rounded(), step * 10, accuracy: 1e-9)
        }
        XCTAssertEqual(seen.count, 16)  // 32, 64, …, 512: every value drawn
        XCTAssertEqual(powers.count, 7)
        // Log-uniform: 1e-3 is the middle of 1e-4..1e-2 in log space, so about half fall below it.
        XCTAssertEqual(Double(belowMiddle) / 2000, 0.5, accuracy: 0.05)
        var first = RandomGenerator(seed: 9), second = RandomGenerator(seed: 9)
        XCTAssertEqual((0..<20).map { _ in stepped.sample(using: &first) }, (0..<20).map { _ in stepped.sample(using: &second) })
    }

    func testMalformedTemplatesAreRefusedWithTheFix() {
        let cases: [(String, String)] = [
            ("dense {units:32..512", "leaves '{units:32..512' open"),
            ("dense 32}, dense 1", "'}' without its '{'"),
            ("dense {32..512}", "has no name"),
            ("dense {2units:32..512}", "a name is a word"),
            ("dense {units:512..32}", "the range 512..32 of 'units' is empty"),
            ("dense {units:..}", "is neither a range"),
            ("dense {units:32..512 stpe=2}", "'stpe=2' in '32..512 stpe=2' is not 'step=S'"),
            ("dense {units:0..512 log}", "log sampling of 'units' needs a range above 0"),
            ("dense {units:1..100000000000000000}", "out of bounds"),
            ("dense 8, dropout {rate:0..0.5 step=1e-9}", "makes more than 1000000 values"),
            ("dense {units:relu|}", "have an empty value"),
            ("dense {units:8|8}", "repeat a value"),
            ("dense {units:{8..9}}", "opens a brace inside"),
            ("dense {units:32..64}, dense {units:8..16}", "two ranges"),
            ("dense {learning_rate:1..2}", "keeps for itself"),
            ("dense 8, dropout {rate:0..1.5}", "'rate' allows 1.5, which makes an invalid model"),
            ("dense {units:0.5..8}", "'units' allows 0.5, which makes an invalid model"),
            ("dense 8 {activation:relu|sigmoidal}", "'activation' allows sigmoidal, which makes an invalid model"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ModelTemplate(parsing: text), text) { error in
                let message = (error as? TunerError)?.message ?? "\(error)"
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
            }
        }
        XCTAssertThrowsError(try HyperParameter(parsing: "-1..1 log", name: "learning_rate", context: "--learning-rate")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--learning-rate: log sampling"), "\(error)")
        }
    }

    func testHyperbandScheduleEqualsKerasTuners() throws {
        // HyperbandOracle with max_epochs 10, factor 3: 3 brackets (10, 10/3, 10/9 ≥ 1);
        // ⌈1 + log₃ 10⌉ = 4 models end bracket 0; bracket b round r: ⌈4/(b+1)·3^(b−r)⌉ models, ⌈10/3^(b−r)⌉ epochs.
        let ten = try HyperbandSchedule(maxEpochs: 10, factor: 3)
        XCTAssertEqual(ten.bracketCount, 3)
        XCTAssertEqual(ten.brackets.map(\.number), [2, 1, 0])
        XCTAssertEqual(ten.brackets.map { $0.rounds.map { [$0.size, $0.initialEpoch, $0.epochs] } }, [
            [[12, 0, 2], [4, 2, 4], [2, 4, 10]],
            [[6, 0, 4], [2, 4, 10]],
            [[4, 0, 10]],
        ])
        XCTAssertEqual(ten.trialCount, 30)
        XCTAssertEqual(ten.epochCount, 12 * 2 + 4 * 2 + 2 * 6 + 6 * 4 + 2 * 6 + 4 * 10)
        // max_epochs 27: 4 brackets; ⌈1 + log₃ 27⌉ = 4.
        let twentySeven = try HyperbandSchedule(maxEpochs: 27, factor: 3)
        XCTAssertEqual(twentySeven.brackets.map { $0.rounds.map { [$0.size, $0.epochs] } }, [
            [[27, 1], [9, 3], [3, 9], [1, 27]],
            [[12, 3], [4, 9], [2, 27]],
            [[6, 9], [2, 27]],
            [[4, 27]],
        ])
        XCTAssertEqual(twentySeven.trialCount, 70)
        // factor 2, max_epochs 2, two iterations: brackets 1, 0, 1, 0; ⌈1 + log₂ 2⌉ = 2.
        let two = try HyperbandSchedule(maxEpochs: 2, factor: 2, iterations: 2)
        XCTAssertEqual(two.brackets.map { [$0.iteration, $0.number] }, [[0, 1], [0, 0], [1, 1], [1, 0]])
        XCTAssertEqual(two.brackets[0].rounds.map { [$0.size, $0.initialEpoch, $0.epochs] }, [[2, 0, 1], [1, 1, 2]])
        XCTAssertEqual(two.brackets[1].rounds.map { [$0.size, $0.epochs] }, [[2, 2]])
        XCTAssertEqual(two.trialCount, 10)
        for (epochs, factor, iterations) in [(0, 3, 1), (10, 1, 1), (10, 3, 0), (1_000_000, 3, 1)] {
            XCTAssertThrowsError(try HyperbandSchedule(maxEpochs: epochs, factor: factor, iterations: iterations))
        }
    }

    func testTheReadmeTuneTemplatesParse() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = try String(contentsOf: readme, encoding: .utf8).split(separator: "\n").filter { $0.contains("kestrel tune --model \"") }
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            let text = line.components(separatedBy: "--model \"")[1].components(separatedBy: "\"")[0]
            let template = try ModelTemplate(parsing: text)
            XCTAssertEqual(template.hyperParameters.map(\.name), ["units", "activation", "rate"], text)
        }
    }
}
