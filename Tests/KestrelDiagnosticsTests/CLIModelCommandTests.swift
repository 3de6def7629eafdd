import Foundation
import XCTest
import Kestrel

/// `kestrel fit --save/--checkpoint/--backup-dir`, `predict`, `evaluate`, `summary` and `convert` on a
/// tiny image folder, through the built executable (skipped when it is not built).
final class CLIModelCommandTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-cli-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for (name, top) in [("bottom", false), ("top", true)] {
            let folder = scratch.appendingPathComponent("images/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<10 {
                let png = TinyPNG.greyscale(width: 8, height: 8) { x, y in
                    UInt8(truncatingIfNeeded: (((y < 4) == top) ? 200 : 20) + (x * 7 + index * 3) % 30)
                }
                try png.write(to: folder.appendingPathComponent("\(index).png"))
            }
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try KestrelExecutable.run(arguments, in: scratch)
    }

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: scratch.appendingPathComponent(path).path) }

    func testFitSavesCheckpointsAndTheModelThatTheOtherCommandsRead() throws {
        let fit = try run(["fit", "--model", "flatten, dense 8 relu, dense 2 softmax", "--dataset", "images", "--image-size", "8x8",
                           "--epochs", "3", "--verbose", "0", "--output", "out", "--save", "m.keras",
                           "--checkpoint", "ck/{epoch:02d}-{val_loss:.2f}.keras", "--backup-dir", "backup"])
        XCTAssertEqual(fit.status, 0, fit.error)
        XCTAssertTrue(exists("m.keras"))
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("ck").path)
        XCTAssertFalse(checkpoints.isEmpty)
        XCTAssertTrue(checkpoints.allSatisfy { $0.range(of: #"^0[1-3]-\d\.\d\d\.keras$"#, options: .regularExpression) != nil }, "\(checkpoints)")
        XCTAssertFalse(exists("backup"), "a finished run deletes its backup")

        let summary = try run(["summary", "m.keras"])
        XCTAssertEqual(summary.status, 0, summary.error)
        XCTAssertTrue(summary.output.contains("Total params: ") && summary.output.contains("dense_1 (Dense)"), summary.output)

        let predict = try run(["predict", "m.keras", "images", "--class-names", "bottom,top"])
        XCTAssertEqual(predict.status, 0, predict.error)
        let lines = predict.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 20)
        for line in lines {
            let fields = line.split(separator: "\t")
            XCTAssertEqual(fields.count, 3, String(line))
            XCTAssertTrue(["bottom", "top"].contains(String(fields[1])), String(line))
        }

        let images = try Tensor(shape: [3, 8, 8, 1], scalars: (0..<192).map { Float($0 % 8) / 8 })
        try images.saveNpy(scratch.appendingPathComponent("x.npy").path)
        let array = try run(["predict", "m.keras", "--input", "x.npy", "--output", "y.npy"])
        XCTAssertEqual(array.status, 0, array.error)
        let probabilities = try Tensor(npyFile: scratch.appendingPathComponent("y.npy").path)
        XCTAssertEqual(probabilities.shape, [3, 2])
        for row in 0..<3 { XCTAssertEqual(probabilities.scalars[row * 2] + probabilities.scalars[row * 2 + 1], 1, accuracy: 1e-5) }

        let evaluate = try run(["evaluate", "m.keras", "--dataset", "images"])
        XCTAssertEqual(evaluate.status, 0, evaluate.error)
        XCTAssertTrue(evaluate.output.contains("all images (20): loss: ") && evaluate.output.contains("accuracy: "), evaluate.output)

        let convert = try run(["convert", "m.keras", "w.weights.h5"])
        XCTAssertEqual(convert.status, 0, convert.error)
        XCTAssertTrue(exists("w.weights.h5") && exists("w.json"))
        let back = try run(["convert", "w.json", "--weights", "w.weights.h5", "again.keras"])
        XCTAssertEqual(back.status, 0, back.error)
        let again = try run(["predict", "again.keras", "--input", "x.npy", "--output", "y2.npy"])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(try Tensor(npyFile: scratch.appendingPathComponent("y2.npy").path).scalars, probabilities.scalars)
    }

    func testModelCommandErrorsAreOneSentence() throws {
        let missing = try run(["summary", "nothing.keras"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("nothing.keras"), missing.error)
        let wrongKind = try run(["predict", "model.txt", "images"])
        XCTAssertNotEqual(wrongKind.status, 0)
        XCTAssertTrue(wrongKind.error.contains("must be a .keras file or a Keras architecture .json"), wrongKind.error)
        let badSave = try run(["fit", "--model", "dense 2 softmax", "--dataset", "images", "--save", "m.h5"])
        XCTAssertNotEqual(badSave.status, 0)
        XCTAssertTrue(badSave.error.contains("--save 'm.h5' must end in .keras."), badSave.error)
    }
}
