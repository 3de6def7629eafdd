import ArgumentParser
import Foundation
import Kestrel

/// `kestrel convert IN OUT`: any readable model file to a `.keras` file, or to `.weights.h5` plus its architecture `.json`.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a model file: IN (.keras, or .json with --weights) to OUT.keras, or to OUT.weights.h5 plus OUT.json.")

    @Argument(help: "The model to read (.keras, or .json with --weights).")
    var input: String

    @Argument(help: "OUT.keras, or OUT.weights.h5 (the architecture goes next to it as OUT.json).")
    var output: String

    @Option(help: "Weights (.weights.h5) for a .json IN.")
    var weights: String?

    func run() throws {
        let model = try ModelFile.load(input, weights: weights)
        do {
            if output.hasSuffix(".keras") {
                try model.save(output)
                print("Wrote \(output)")
            } else if output.hasSuffix(".weights.h5") {
                let json = String(output.dropLast(".weights.h5".count)) + ".json"
                try model.saveWeights(output)
                try AtomicFile.write(try model.toJSON(), to: json)
                print("Wrote \(output) and \(json)")
            } else {
                throw CommandFailure(message: "OUT '\(output)' must end in .keras or .weights.h5.")
            }
        } catch let error as KestrelError {
            throw CommandFailure(message: error.message)
        }
    }
}
