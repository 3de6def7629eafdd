import CSystemZlib
import Foundation
import Kestrel
import KestrelData
import XCTest
@testable import KestrelDiagnostics

/// Feeds thousands of mutated files to every reader of user files and asserts that each case ends in
/// success or a thrown error with a message: a trap would end the test process. Deterministic seeds,
/// so a failure reproduces. The counts per format are printed.
final class ReaderFuzzTests: XCTestCase {
    private let casesPerFormat = 2000

    private func fuzz(_ format: String, seed: [UInt8], cases: Int? = nil,
                      _ body: (_ input: [UInt8], _ mutator: inout Mutator) throws -> Void) -> FuzzCounts {
        var counts = FuzzCounts(format: format)
        var mutator = Mutator(seed: UInt64(format.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        var problems: [String] = []
        for _ in 0..<(cases ?? casesPerFormat) {
            let input = mutator.mutate(seed)
            if let problem = counts.run({ try body(input, &mutator) }) { problems.append(problem) }
        }
        XCTAssertEqual(problems, [], format)
        XCTAssertGreaterThan(counts.errors, 0, "\(format): mutations should break some inputs")
        print(counts)
        return counts
    }

    func testIDXReader() throws {
        let file = IDXFile(shape: [3, 4, 4], bytes: (0..<48).map { UInt8($0 * 5 % 256) })
        _ = fuzz("IDX", seed: file.encoded()) { input, _ in _ = try IDXFile(bytes: input, source: "fuzz.idx") }
        _ = fuzz("IDX gzip", seed: Gzip.compress(file.encoded())) { input, _ in
            _ = try IDXFile(bytes: try Gzip.decompress(input, source: "fuzz.idx.gz"), source: "fuzz.idx.gz")
        }
    }

    func testCIFARTarReader() throws {
        let batch = CIFARBinary.encode(pixels: (0..<(2 * 3072)).map { UInt8($0 % 251) }, labels: [[3], [7]])
        let archive = try TarArchive.archive([("cifar-10-batches-bin/data_batch_1.bin", batch),
                                              ("cifar-10-batches-bin/batches.meta.txt", Array("airplane\nautomobile\n".utf8))])
        func read(_ bytes: [UInt8]) throws {
            let tar = try TarArchive(bytes: bytes, source: "fuzz.tar")
            for (path, contents) in tar.files where path.hasSuffix(".bin") {
                _ = try CIFARBinary.parse(contents, labelBytes: 1, labelIndex: 0, source: path)
            }
        }
        _ = fuzz("CIFAR tar", seed: archive) { input, _ in try read(input) }
        _ = fuzz("CIFAR tar.gz", seed: Gzip.compress(archive), cases: casesPerFormat / 2) { input, _ in
            try read(try Gzip.decompress(input, source: "fuzz.tar.gz"))
        }
    }

    /// `bytes` with every chunk's CRC recomputed, so mutations reach libpng's decoder, not only its CRC check.
    private func fixingPNGChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        var offset = 8
        while offset + 12 <= output.count {
            let length = output[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= output.count - offset - 12 else { break }
            let crc = output[(offset + 4)..<(offset + 8 + length)].withContiguousStorageIfAvailable {
                UInt32(crc32(0, $0.baseAddress, UInt32($0.count)))
            } ?? 0
            for index in 0..<4 { output[offset + 8 + length + index] = UInt8(truncatingIfNeeded: crc >> UInt32(24 - 8 * index)) }
            offset += 12 + length
        }
        return output
    }

    func testPNGDecoder() throws {
        let pixels = (0..<(6 * 5 * 3)).map { UInt8($0 * 7 % 256) }
        let png = try PNGCodec.encode(try RasterImage(pixels: pixels, height: 5, width: 6, channels: 3))
        _ = fuzz("PNG", seed: png) { input, mutator in
            _ = try PNGCodec.decode(mutator.below(2) == 0 ? fixingPNGChecksums(input) : input, source: "fuzz.png")
        }
    }

    func testJPEGDecoder() throws {
        let pixels = (0..<(8 * 8 * 3)).map { UInt8($0 * 11 % 256) }
        let jpeg = try JPEGCodec.encode(try RasterImage(pixels: pixels, height: 8, width: 8, channels: 3))
        _ = fuzz("JPEG", seed: jpeg) { input, mutator in
            _ = try JPEGCodec.decode(input, grayscale: mutator.below(2) == 0, source: "fuzz.jpg")
        }
    }

    func testHistoryReaders() throws {
        let json = #"{"history": {"loss": [0.9, 0.5, 0.4, 0.45], "val_loss": [1.0, 0.7, 0.8, 0.9], "accuracy": [0.5, 0.7, 0.8, 0.85]}, "epoch": [0, 1, 2, 3]}"#
        let csv = "epoch,accuracy,loss,val_accuracy,val_loss\n0,0.5,0.9,0.45,1.0\n1,0.7,0.5,0.6,0.7\n2,0.8,0.4,0.62,0.8\n3,0.85,0.45,0.6,0.9\n"
        let analyzer = CurveAnalyzer()
        _ = fuzz("history JSON", seed: Array(json.utf8)) { input, mutator in
            let text = mutator.below(2) == 0 ? mutator.mutate(text: json) : String(decoding: input, as: UTF8.self)
            _ = analyzer.diagnose(try TrainingLogReader.parseJSON(Data(text.utf8)))
        }
        _ = fuzz("history CSV", seed: Array(csv.utf8)) { input, mutator in
            let text = mutator.below(2) == 0 ? mutator.mutate(text: csv) : String(decoding: input, as: UTF8.self)
            _ = analyzer.diagnose(try TrainingLogReader.parseCSV(text))
        }
    }

    /// A scratch file for readers that take a path; removed when the test ends.
    private func scratchFile(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent(name).path
    }

    /// `CSVTable.read` (pandas' read_csv): quotes, comments, every line end (\n, \r\n, lone \r), gzip, and the numbers
    /// of the tensor it makes swapped for extremes.
    func testCSVTableReader() throws {
        let csv = "a,\"b, quoted\",c\r\n1,\"x\"\"y\",3.5\r2,\"line\nbreak\",-4e3\n# comment\n,,\n5,6,7\n"
        let path = try scratchFile("fuzz.csv")
        _ = fuzz("CSV table", seed: Array(csv.utf8), cases: 600) { input, mutator in
            let text = mutator.below(2) == 0 ? mutator.mutate(text: csv) : String(decoding: input, as: UTF8.self)
            let bytes = mutator.below(4) == 0 ? Gzip.compress(Array(text.utf8)) : Array(text.utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let table = try CSVTable.read(path, comment: mutator.below(2) == 0 ? "#" : nil, maxLineLength: 64)
            _ = try table.tensor(columns: [table.columnNames[0]])
        }
    }

    /// Keras's `imdb.npz` (a zip of `.npy` members, the sequences pickled): a small file of its layout, mutated.
    func testIMDBArchiveReader() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/text/imdb_small.npz")
        let seed = [UInt8](try Data(contentsOf: fixture))
        XCTAssertEqual(try KerasIMDB.loadData(path: fixture.path).train.labels.count > 0, true)
        let path = try scratchFile("imdb.npz")
        _ = fuzz("IMDB npz", seed: seed, cases: 400) { input, mutator in
            // Half the mutations aimed at the zip's headers and central directory (the members are deflated).
            var bytes = input
            if mutator.below(2) == 0 {
                bytes = seed
                let tail = Array(bytes.suffix(300))
                bytes.replaceSubrange((bytes.count - tail.count)..., with: mutator.mutate(tail))
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let (train, test) = try KerasIMDB.loadData(path: path, numWords: mutator.below(2) == 0 ? 50 : nil)
            _ = try KerasIMDB.multiHot(train.sequences + test.sequences, dimension: 64)
        }
    }

    /// Whether every number in `text` is at most 64, so building the model allocates little.
    private func hasOnlySmallNumbers(_ text: String) -> Bool {
        text.split { !$0.isNumber }.allSatisfy { ($0.count <= 2) && (Int($0) ?? 0) <= 64 }
    }

    func testKerasConfigReader() throws {
        let json = #"""
            {"class_name": "Sequential", "config": {"name": "fuzz", "layers": [
             {"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 1]}},
             {"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "activation": "relu"}},
             {"class_name": "MaxPooling2D", "config": {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}},
             {"class_name": "BatchNormalization", "config": {"momentum": 0.99, "epsilon": 0.001}},
             {"class_name": "Reshape", "config": {"target_shape": [16, 4]}},
             {"class_name": "Flatten", "config": {}},
             {"class_name": "Dropout", "config": {"rate": 0.25}},
             {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}}
            """#
        _ = fuzz("Keras config", seed: Array(json.utf8)) { input, mutator in
            let text = mutator.below(2) == 0 ? mutator.mutate(text: json) : String(decoding: input, as: UTF8.self)
            let specification = try ModelSpecification(kerasJSON: Data(text.utf8))
            if hasOnlySmallNumbers(text) { _ = try specification.makeModel() }
        }
    }

    func testModelSpecificationParser() throws {
        let spec = "input 8x8x1, conv2d 4 3x3 relu same strides=1, maxpool 2, batchnorm momentum=0.9, reshape 16x4, flatten, dropout 0.25, dense 16 relu l2=0.01, dense 10 softmax"
        _ = fuzz("model spec", seed: Array(spec.utf8)) { input, mutator in
            let text = mutator.below(2) == 0 ? mutator.mutate(text: spec) : String(decoding: input, as: UTF8.self)
            let specification = try ModelSpecification(parsing: text)
            if hasOnlySmallNumbers(text) { _ = try specification.makeModel(inputShape: specification.inputShape ?? [8, 8, 1]) }
        }
    }
}
