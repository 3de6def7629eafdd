import XCTest
@testable import KestrelData

final class ImageDirectoryTests: XCTestCase {
    /// cats/ hold red images, dogs/ blue ones, of assorted sizes and formats.
    private func makeDirectory(cats: Int = 6, dogs: Int = 4) throws -> String {
        let root = TestFiles.temporaryDirectory()
        for (name, count, color) in [("dogs", dogs, [0, 0, 250]), ("cats", cats, [250, 0, 0])] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for index in 0..<count {
                let height = 8 + index, width = 10
                let pixels = (0..<(height * width)).flatMap { _ in color.map(UInt8.init) }
                let image = try RasterImage(pixels: pixels, height: height, width: width, channels: 3)
                try ImageFile.write(image, to: root + "/\(name)/\(index).\(index % 2 == 0 ? "png" : "jpg")")
            }
        }
        try TestFiles.write(Array("notes".utf8), to: root + "/cats/readme.txt") // ignored: not an image extension
        return root
    }

    func testInfersSortedClassesAndBatches() throws {
        let root = try makeDirectory()
        let dataset = try imageDatasetFromDirectory(root, batchSize: 4, imageSize: (6, 5), seed: 1)
        XCTAssertEqual(dataset.classNames, ["cats", "dogs"])
        let batches = dataset.collect()
        XCTAssertEqual(batches.map(\.xShape), [[4, 6, 5, 3], [4, 6, 5, 3], [2, 6, 5, 3]])
        var counts = [0, 0]
        for batch in batches {
            for (position, label) in batch.y.enumerated() {
                counts[Int(label)] += 1
                let red = batch.x[position * 90], blue = batch.x[position * 90 + 2]
                XCTAssertEqual(label == 0, red > blue, "label \(label) with red \(red), blue \(blue)")
            }
        }
        XCTAssertEqual(counts, [6, 4])
    }

    func testValidationSplitIsDisjointAndComplete() throws {
        let root = try makeDirectory(cats: 10, dogs: 10)
        func sizes(_ subset: DatasetSubset) throws -> Int {
            try imageDatasetFromDirectory(root, labelMode: .categorical, colorMode: .grayscale, batchSize: nil, imageSize: (4, 4),
                                          seed: 7, validationSplit: 0.25, subset: subset).collect().count
        }
        XCTAssertEqual(try sizes(.training), 15)
        XCTAssertEqual(try sizes(.validation), 5)
        let example = try imageDatasetFromDirectory(root, labelMode: .categorical, colorMode: .grayscale, batchSize: nil,
                                                    imageSize: (4, 4), seed: 7, validationSplit: 0.25, subset: .validation).collect()[0]
        XCTAssertEqual(example.xShape, [4, 4, 1])
        XCTAssertEqual(example.yShape, [2])
        XCTAssertEqual(example.y.reduce(0, +), 1)
        XCTAssertThrowsError(try imageDatasetFromDirectory(root, validationSplit: 0.2, subset: .training)) // no seed
    }

    func testCorruptImageIsNamedOrSkipped() throws {
        let root = try makeDirectory(cats: 2, dogs: 2)
        try TestFiles.write([0x89, 0x50, 0x4E, 0x47, 1, 2, 3], to: root + "/dogs/broken.png")
        XCTAssertThrowsError(try imageDatasetFromDirectory(root, imageSize: (4, 4))) { error in
            XCTAssertTrue("\(error)".contains("broken.png"), "\(error)")
        }
        let skipped = try imageDatasetFromDirectory(root, batchSize: nil, imageSize: (4, 4), shuffle: false, skipUnreadable: true)
        XCTAssertEqual(skipped.collect().map { $0.y[0] }, [0, 0, 1, 1])
        XCTAssertThrowsError(try imageDatasetFromDirectory(root + "/nope"))
    }
}
