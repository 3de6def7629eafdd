import Foundation
import XCTest
@testable import Kestrel
@testable import KestrelDiagnostics
import KestrelDashboard

/// Every Swift snippet Kestrel documents or prints compiles: the ```swift blocks of README.md and of the DocC
/// catalog (Sources/Kestrel/Kestrel.docc/*.md), and the Swift the doctor prescribes (`RecipeText.swiftSnippet`)
/// for every layer kind, optimizer, callback and remedy it can write. They are rendered into
/// DocumentedSnippets.swift, which this target compiles; the test fails when that file is stale.
/// Regenerate it with `KESTREL_REGENERATE_SNIPPETS=1 swift test --filter DocumentedSnippetTests`.
final class DocumentedSnippetTests: XCTestCase {
    private static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    private static var generatedFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("DocumentedSnippets.swift")
    }

    func testGeneratedSnippetsAreCurrent() throws {
        let fresh = try Self.render()
        if ProcessInfo.processInfo.environment["KESTREL_REGENERATE_SNIPPETS"] != nil {
            try fresh.write(to: Self.generatedFile, atomically: true, encoding: .utf8)
        }
        let current = try String(contentsOf: Self.generatedFile, encoding: .utf8)
        XCTAssertEqual(current, fresh,
                       "DocumentedSnippets.swift is stale: run KESTREL_REGENERATE_SNIPPETS=1 swift test --filter DocumentedSnippetTests, then build.")
    }

    func testEveryMarkdownSnippetIsCompiledOrNamedAsSkipped() throws {
        let blocks = try Self.markdownFiles().flatMap { try Self.swiftBlocks(in: $0) }
        XCTAssertGreaterThanOrEqual(blocks.count, 10)
        let text = try Self.render()
        for block in blocks where !Self.isManifest(block) {
            let firstCode = block.split(separator: "\n").first { !$0.hasPrefix("import ") && !$0.hasPrefix("//") && !$0.isEmpty }
            XCTAssertTrue(text.contains(String(firstCode ?? "")), "not compiled: \(block)")
        }
    }

    func testTheDoctorPrescribesTheIssueSpelling() throws {
        let recipe = TrainingRecipe(specification: ModelSpecification(layers: [.input(shape: [28, 28]), .flatten,
                                                                               .dense(units: 10, activation: .softmax, kernelRegularizer: nil)]))
        XCTAssertTrue(RecipeText.swiftSnippet(recipe).contains(
            "try model.compile(optimizer: .adam(), loss: \"sparse_categorical_crossentropy\", metrics: [\"accuracy\"])"))
    }

    // MARK: rendering

    static func markdownFiles() throws -> [URL] {
        let catalog = repository.appendingPathComponent("Sources/Kestrel/Kestrel.docc")
        let pages = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }.sorted()
        return [repository.appendingPathComponent("README.md")] + pages.map { catalog.appendingPathComponent($0) }
    }

    static func swiftBlocks(in file: URL) throws -> [String] {
        var blocks: [String] = [], current: [String]? = nil
        for line in try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n") {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" { current = []; continue }
            if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(line)
        }
        return blocks
    }

    /// A Package.swift fragment (`.package(url:…)`): manifest text, not program code.
    static func isManifest(_ block: String) -> Bool { block.contains(".package(url:") }

    /// The names a block's top-level `let`/`var` declare, so the generated function can use them
    /// (no unused-value warnings).
    static func declaredNames(_ block: String) -> [String] {
        var names: [String] = []
        for line in block.split(separator: "\n") {
            for keyword in ["let ", "var "] where line.hasPrefix(keyword) {
                guard let equals = line.firstIndex(of: "=") else { continue }
                let pattern = line[line.index(line.startIndex, offsetBy: 4)..<equals]
                    .replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
                names += pattern.split(separator: ",").map { $0.split(separator: ":")[0].trimmingCharacters(in: .whitespaces) }
                    .filter { $0 != "_" && !$0.isEmpty }
            }
        }
        return names
    }

    static func function(_ name: String, parameters: String, body: String) -> String {
        let code = body.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("import ") }
            .drop { $0.isEmpty }
        let names = declaredNames(body)
        var lines = ["    static func \(name)(\(parameters)) throws {"]
        lines += code.map { $0.isEmpty ? "" : "        " + $0 }
        while lines.last == "" { lines.removeLast() }
        if !names.isEmpty { lines.append("        _ = (\(names.joined(separator: ", ")))") }
        lines.append("    }")
        return lines.joined(separator: "\n")
    }

    /// The recipes whose Swift the doctor can print: every layer kind it writes, every optimizer it names,
    /// both callbacks, augmentation, and each verdict's remedies.
    static func doctorRecipes() -> [TrainingRecipe] {
        let image: [LayerSpecification] = [
            .input(shape: [28, 28, 1]), .rescaling(scale: 1.0 / 255, offset: 0),
            .conv2D(filters: 8, kernelSize: 3, strides: 1, padding: .same, activation: .relu, kernelRegularizer: Regularizer(l1: 0, l2: 0.001)),
            .depthwiseConv2D(kernelSize: 3, strides: 1, padding: .valid, depthMultiplier: 1, activation: .relu),
            .separableConv2D(filters: 8, kernelSize: [3, 1], strides: 2, padding: .same, depthMultiplier: 1, activation: .leakyRelu),
            .maxPooling2D(poolSize: 2, strides: nil, padding: .valid), .averagePooling2D(poolSize: 2, strides: 1, padding: .same),
            .batchNormalization(momentum: 0.99, epsilon: 0.001), .activation(.tanh), .relu, .globalAveragePooling2D,
            .reshape(targetShape: [8]), .dropout(rate: 0.5), .dense(units: 10, activation: .linear, kernelRegularizer: nil), .softmax,
        ]
        let mlp: [LayerSpecification] = [.input(shape: [28, 28]), .flatten, .dense(units: 128, activation: .relu, kernelRegularizer: nil),
                                          .dense(units: 10, activation: .softmax, kernelRegularizer: nil)]
        var recipes = [TrainingRecipe(specification: ModelSpecification(layers: image))]
        for optimizer in Optimizer.validNames {
            recipes.append(TrainingRecipe(specification: ModelSpecification(layers: mlp), optimizer: optimizer))
            var withRate = TrainingRecipe(specification: ModelSpecification(layers: mlp), optimizer: optimizer)
            withRate.learningRate = 0.01
            recipes.append(withRate)
        }
        var callbacks = TrainingRecipe(specification: ModelSpecification(layers: mlp))
        callbacks.callbacks = CallbackSettings(earlyStopping: .init(monitor: "val_loss", patience: 3),
                                               reduceLR: .init(monitor: "val_loss", factor: 0.5, patience: 2, minLR: 1e-5))
        callbacks.augmentation = "flip horizontal, rotate 0.1"
        recipes.append(callbacks)
        for verdict in Verdict.allCases {
            for base in [TrainingRecipe(specification: ModelSpecification(layers: mlp)), TrainingRecipe(specification: ModelSpecification(layers: image))] {
                recipes += RemedyCatalog.remedies(for: verdict, recipe: base, imageData: true).map(\.recipe)
            }
        }
        var seen: Set<String> = []
        return recipes.filter { seen.insert(RecipeText.swiftSnippet($0)).inserted }
    }

    static func render() throws -> String {
        var functions: [String] = []
        let context = "model: Sequential, train: LabeledImages, test: LabeledImages, x: Tensor, y: Tensor"
        for file in try markdownFiles() {
            let name = file.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "-", with: "")
            let stem = name == name.uppercased() ? name.lowercased() : name
            for (index, block) in try swiftBlocks(in: file).enumerated() where !isManifest(block) {
                functions.append("    /// \(file.lastPathComponent), Swift block \(index + 1).\n"
                                 + function("\(stem.prefix(1).lowercased() + stem.dropFirst())\(index + 1)", parameters: context, body: block))
            }
        }
        for (index, recipe) in doctorRecipes().enumerated() {
            functions.append("    /// The doctor's prescription for recipe \(index + 1) (`RecipeText.swiftSnippet`).\n"
                             + function("doctor\(index + 1)", parameters: "x: Tensor, y: Tensor", body: RecipeText.swiftSnippet(recipe)))
        }
        return """
        // Generated by DocumentedSnippetTests from README.md, Sources/Kestrel/Kestrel.docc/*.md and the doctor's
        // RecipeText.swiftSnippet; do not edit. Compiling this file is the test that every snippet compiles.
        // Regenerate: KESTREL_REGENERATE_SNIPPETS=1 swift test --filter DocumentedSnippetTests
        import Kestrel
        import KestrelDashboard
        import KestrelDiagnostics
        import KestrelDistributed

        // swiftlint:disable all
        enum DocumentedSnippets {
        \(functions.joined(separator: "\n\n"))
        }

        """
    }
}
