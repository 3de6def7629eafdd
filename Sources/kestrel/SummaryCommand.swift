import ArgumentParser
import Kestrel

/// `kestrel summary MODEL`: Keras's `model.summary()` table for a saved model.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a saved model's summary table (Keras's model.summary()).")

    @Argument(help: "The model (.keras, or a Keras architecture .json).")
    var model: String

    @Option(help: "Weights (.weights.h5) for a .json MODEL.")
    var weights: String?

    func run() throws {
        try ModelFile.load(model, weights: weights).summary()
    }
}
