import Foundation
import Kestrel
import KestrelDiagnostics

/// The files a training command leaves behind (history JSON + CSV, the HTML report) and the
/// pieces of the report that need the model (confusion matrices, misclassified images).
enum RunArtifacts {
    /// Creates `directory` (and parents) or says which option to change.
    static func makeDirectory(_ directory: URL, option: String) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(message: "Cannot create the output directory '\(directory.path)' (\(error.localizedDescription)); pass another \(option).")
        }
    }

    /// Writes `history` as `<stem>.json` and `<stem>.csv` in `directory`; returns both paths.
    @discardableResult
    static func writeHistory(_ history: History, directory: URL, stem: String) throws -> [String] {
        let paths = ["json", "csv"].map { directory.appendingPathComponent("\(stem).\($0)").path }
        do {
            for path in paths { try history.save(to: path) }
        } catch {
            throw CommandFailure(message: "Cannot write the history next to the report: \(error).")
        }
        return paths
    }

    /// Writes the report, turning a write failure into a one-sentence error.
    /// `samplesTitle` replaces the image section's heading. `heldOutName` renames the report's "validation" per-class columns when the confusion
    /// matrix was computed on another split (e.g. "test").
    static func writeReport(_ report: HTMLReport, to url: URL, heldOutName: String? = nil, samplesTitle: String? = nil) throws {
        var html = report.render()
        if let samplesTitle {
            html = html.replacingOccurrences(of: "<h2>Samples</h2>", with: "<h2>\(samplesTitle)</h2>")
        }
        if let heldOutName {
            // HTMLReport labels the per-class gap columns for a validation split; the demo's is the test set.
            html = html.replacingOccurrences(of: "<th class=\"number\">Val acc.</th>",
                                             with: "<th class=\"number\">\(heldOutName.capitalized) acc.</th>")
                .replacingOccurrences(of: "train − validation accuracy gap", with: "train − \(heldOutName) accuracy gap")
        }
        do {
            try AtomicFile.write(html, to: url.path)
        } catch {
            throw CommandFailure(message: "Cannot write the report to '\(url.path)': \(error).")
        }
    }

    /// Up to `limit` misclassified images, each drawn by KestrelData's `sampleGrid` (red frame,
    /// "T:" true and "P:" predicted label) and captioned, for the report's image grid.
    static func misclassifiedImages(images: LabeledImages, predictions: [Int], limit: Int = 24,
                                    directory: URL) throws -> [ReportImage] {
        let wrong = predictions.indices.filter { predictions[$0] != images.labels[$0] }.prefix(limit)
        let imageSize = images.shape.dropFirst().reduce(1, *)
        let path = directory.appendingPathComponent(".kestrel-sample-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func name(_ label: Int) -> String { label < images.classNames.count ? images.classNames[label] : String(label) }
        var result: [ReportImage] = []
        for index in wrong {
            let pixels = images.pixels[(index * imageSize)..<((index + 1) * imageSize)].map(Float.init)
            let batch = try ImageBatch(pixels: pixels, shape: [1] + Array(images.shape.dropFirst()))
            try sampleGrid(batch, labels: [images.labels[index]], predictions: [predictions[index]],
                           classNames: images.classNames, columns: 1, scale: 3, path: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            result.append(ReportImage(pngData: data, caption: "#\(index): true \(name(images.labels[index])), predicted \(name(predictions[index]))"))
        }
        return result
    }
}
