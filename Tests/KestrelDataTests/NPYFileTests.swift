import Foundation
import XCTest
import KestrelData
import KestrelTensor

/// `.npy` files written by real NumPy (scripts/fixtures/make_npy_fixtures.py) read back with their
/// values; Kestrel's files read back; refused kinds and damaged files are errors, never crashes.
final class NPYFileTests: XCTestCase {
    private func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/data/npy/\(name)").path
    }

    private let grid: [Float] = [0, 1, 2, 3, 4, 5]

    func testNumPyFilesOfEveryDtypeAndVersion() throws {
        let cases: [(String, [Float])] = [
            ("float32_2x3.npy", grid.map { $0 * 0.5 - 1 }),
            ("float64_2x3.npy", grid.map { Float(Double($0) / 3) }),
            ("int32_2x3.npy", grid.map { $0 - 2 }),
            ("int64_2x3.npy", grid.map { $0 * 1000 - 2500 }),
            ("uint8_2x3.npy", grid.map { $0 * 50 }),
            ("bool_2x3.npy", grid.map { Float(Int($0) % 2) }),
            ("float32_v2.npy", grid.map { $0 * 0.5 - 1 }),
            ("float32_v3.npy", grid.map { $0 * 0.5 - 1 }),
        ]
        for (name, expected) in cases {
            let tensor = try Tensor(npyFile: fixture(name))
            XCTAssertEqual(tensor.shape, [2, 3], name)
            XCTAssertEqual(tensor.scalars, expected, name)
        }
        XCTAssertEqual(try Tensor(npyFile: fixture("float32_scalar.npy")).scalars, [2.5])
        XCTAssertEqual(try Tensor(npyFile: fixture("float32_scalar.npy")).shape, [])
        XCTAssertEqual(try Tensor(npyFile: fixture("float32_empty_0x3.npy")).shape, [0, 3])
        let cube = try Tensor(npyFile: fixture("float32_2x3x4.npy"))
        XCTAssertEqual(cube.shape, [2, 3, 4])
        XCTAssertEqual(cube.scalars, (0..<24).map(Float.init))
    }

    func testRefusedKindsNameTheFileAndTheFix() {
        let expectations = [
            ("float32_fortran.npy", "Fortran order"),
            ("float32_bigendian.npy", "big-endian ('>f4')"),
            ("object.npy", "Python objects"),
            ("float16_2x3.npy", "dtype '<f2' is not supported"),
        ]
        for (name, phrase) in expectations {
            XCTAssertThrowsError(try Tensor(npyFile: fixture(name)), name) { error in
                XCTAssertTrue("\(error)".contains(name) && "\(error)".contains(phrase), "\(error)")
            }
        }
        XCTAssertThrowsError(try Tensor(npyFile: "/nonexistent/x.npy")) { XCTAssertTrue("\($0)".contains("no such file")) }
    }

    func testKestrelFilesMatchNumPyBytesAndRoundTrip() throws {
        let folder = NSTemporaryDirectory() + "kestrel-npy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let tensor = try Tensor(shape: [2, 3], scalars: grid.map { $0 * 0.5 - 1 })
        try tensor.saveNpy(folder + "/a.npy")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/a.npy")),
                       try Data(contentsOf: URL(fileURLWithPath: fixture("float32_2x3.npy"))), "byte-identical to numpy.save")
        for dtype in NPYFile.DType.allCases {
            let values: [Float] = dtype == .bool ? [0, 1, 1, 0, 0, 1] : grid
            let original = try Tensor(shape: [3, 2], scalars: values)
            try original.saveNpy(folder + "/b.npy", dtype: dtype)
            XCTAssertEqual(try Tensor(npyFile: folder + "/b.npy").scalars, values, "\(dtype)")
        }
        XCTAssertThrowsError(try Tensor([0.5]).saveNpy(folder + "/c.npy", dtype: .int32))
        XCTAssertThrowsError(try Tensor([300]).saveNpy(folder + "/c.npy", dtype: .uint8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["a.npy", "b.npy"])
    }

    func testDamagedHeadersAreClearErrors() throws {
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("float32_2x3.npy"))))
        XCTAssertThrowsError(try NPYFile(bytes: Array(good.prefix(60)), name: "t.npy")) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        XCTAssertThrowsError(try NPYFile(bytes: Array(good.dropLast(4)), name: "t.npy")) { XCTAssertTrue("\($0)".contains("needs 24 data bytes but the file has 20"), "\($0)") }
        var huge = good
        huge[8] = 0xFF; huge[9] = 0xFF
        XCTAssertThrowsError(try NPYFile(bytes: huge, name: "t.npy")) { XCTAssertTrue("\($0)".contains("runs past the end"), "\($0)") }
        var bigShape = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }".utf8)
        bigShape = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(bigShape.count), 0] + bigShape
        XCTAssertThrowsError(try NPYFile(bytes: bigShape, name: "t.npy")) { XCTAssertTrue("\($0)".contains("too large"), "\($0)") }
        XCTAssertThrowsError(try NPYFile(bytes: Array("PK\u{3}\u{4}whatever".utf8), name: "t.npy")) { XCTAssertTrue("\($0)".contains("not a NumPy .npy file"), "\($0)") }
    }

    /// Mutates every fixture thousands of times (bit flips, truncation, byte runs, huge header
    /// lengths); each read must end in values or a thrown error.
    func testFuzzedFilesSucceedOrThrow() throws {
        let names = ["float32_2x3.npy", "float64_2x3.npy", "int64_2x3.npy", "bool_2x3.npy", "float32_v3.npy", "float32_2x3x4.npy"]
        let seeds = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: fixture($0)))) }
        var generator = RandomGenerator(seed: 2026)
        var parsed = 0, refused = 0
        for round in 0..<6_000 {
            var bytes = seeds[round % seeds.count]
            switch round % 5 {
            case 0:
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] ^= UInt8(1 << (generator.next() % 8))
                }
            case 1: bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            case 2:
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            case 3:
                let start = 6 + Int(generator.next() % 6)
                for index in start..<min(start + 4, bytes.count) { bytes[index] = 0xFF }
            default:
                let index = 10 + Int(generator.next() % 110)
                if index < bytes.count { bytes[index] = Array("(),:'0123456789 L{}".utf8)[Int(generator.next() % 19)] }
            }
            do {
                let file = try NPYFile(bytes: bytes, name: "fuzz.npy")
                XCTAssertEqual(file.values.count, file.shape.reduce(1, *))
                parsed += 1
            } catch is KestrelError {
                refused += 1
            }
        }
        print("npy fuzz: \(parsed + refused) mutated files, \(parsed) parsed, \(refused) refused with an error")
        XCTAssertEqual(parsed + refused, 6_000)
        XCTAssertGreaterThan(refused, 1_000)
    }
}
