import XCTest
@testable import Kestrel

/// Parameter counts from real Keras 3 runs of the classic tutorial models (issue 3, item 6).
final class SummaryTests: XCTestCase {
    private func mlp(_ hidden: [Int], dropoutAfter: Set<Int> = []) throws -> Sequential {
        try Sequential {
            Input(shape: [28, 28])
            Flatten()
            for (index, units) in hidden.enumerated() {
                Dense(units, activation: .relu)
                if dropoutAfter.contains(index) { Dropout(0.5) }
            }
            Dense(10, activation: .softmax)
        }
    }

    func testParameterCountsMatchKeras() {
        XCTAssertEqual(try mlp([32]).countParams(), 25_450)
        XCTAssertEqual(try mlp([128]).countParams(), 101_770)
        XCTAssertEqual(try mlp([128, 64, 32]).countParams(), 111_146)
        XCTAssertEqual(try mlp([256, 64, 128, 64, 32], dropoutAfter: [0, 2]).countParams(), 236_394)
    }

    func testSummaryTableLayout() throws {
        let model = try mlp([128])
        let text = model.summaryText()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "Model: \"\(model.name)\"")
        XCTAssertTrue(lines[2].hasPrefix("┃ Layer (type)") && lines[2].contains("┃ Output Shape") && lines[2].hasSuffix("Param # ┃"))
        XCTAssertTrue(text.contains("(None, 784)"))
        XCTAssertTrue(text.contains("(None, 128)") && text.contains("100,480"))
        XCTAssertTrue(text.contains("(None, 10)") && text.contains("1,290"))
        XCTAssertTrue(text.contains(" Total params: 101,770 (397.54 KB)"))
        XCTAssertTrue(text.contains(" Trainable params: 101,770 (397.54 KB)"))
        XCTAssertTrue(text.contains(" Non-trainable params: 0 (0.00 B)"))
        // Every table row has the same display width.
        let tableRows = lines.dropFirst().prefix(while: { !$0.hasPrefix(" Total") })
        XCTAssertEqual(Set(tableRows.map(\.count)).count, 1)
    }

    func testFrozenLayerCountsAsNonTrainable() throws {
        let model = try mlp([32])
        model.layers[1].trainable = false
        let text = model.summaryText()
        XCTAssertTrue(text.contains(" Trainable params: 330 (1.29 KB)"), text)
        XCTAssertTrue(text.contains(" Non-trainable params: 25,120 (98.12 KB)"), text)
    }

    func testBatchNormalizationMovingStatisticsAreNonTrainable() throws {
        let model = try Sequential {
            Input(shape: [8])
            Dense(4)
            BatchNormalization()
        }
        XCTAssertEqual(model.countParams(), 36 + 16)
        XCTAssertEqual(model.trainableWeights.count, 4)
        XCTAssertEqual(model.nonTrainableWeights.map(\.name), ["moving_mean", "moving_variance"])
    }

    func testSnakeCaseNamesMatchKeras() {
        XCTAssertEqual(LayerNaming.snakeCase("Dense"), "dense")
        XCTAssertEqual(LayerNaming.snakeCase("Conv2D"), "conv2d")
        XCTAssertEqual(LayerNaming.snakeCase("MaxPooling2D"), "max_pooling2d")
        XCTAssertEqual(LayerNaming.snakeCase("BatchNormalization"), "batch_normalization")
        XCTAssertEqual(LayerNaming.snakeCase("GlobalAveragePooling2D"), "global_average_pooling2d")
        XCTAssertEqual(LayerNaming.snakeCase("ReLU"), "re_lu")
        let first = Flatten(), second = Flatten()
        XCTAssertNotEqual(first.name, second.name)
        XCTAssertTrue(second.name.hasPrefix("flatten"))
    }

    func testConvolutionalSummaryShapes() throws {
        let model = try Sequential {
            Input(shape: [32, 32, 3])
            Conv2D(64, kernelSize: 3, padding: .same, activation: .relu)
            Conv2D(64, kernelSize: 3, activation: .relu)
            MaxPooling2D()
            Conv2D(128, kernelSize: 3, activation: .relu)
            GlobalAveragePooling2D()
            Dense(10, activation: .softmax)
        }
        let text = model.summaryText()
        XCTAssertTrue(text.contains("(None, 32, 32, 64)"))
        XCTAssertTrue(text.contains("(None, 30, 30, 64)"))
        XCTAssertTrue(text.contains("(None, 15, 15, 64)"))
        XCTAssertTrue(text.contains("(None, 13, 13, 128)"))
        // 3·3·3·64+64, 3·3·64·64+64, 3·3·64·128+128, 128·10+10
        XCTAssertEqual(model.countParams(), 1_792 + 36_928 + 73_856 + 1_290)
    }

    func testSummaryMatchesKerasTextExactly() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/summary_mlp.txt")
        let expected = try String(contentsOf: fixture, encoding: .utf8)
        let model = try Sequential(name: "sequential") {
            Input(shape: [28, 28])
            Flatten(name: "flatten")
            Dense(128, activation: .relu, name: "dense")
            Dense(10, activation: .softmax, name: "dense_1")
        }
        XCTAssertEqual(model.summaryText(), expected)
    }
}
