import ArgumentParser
import Foundation
import KestrelDiagnostics

/// `kestrel plot HISTORY --output curves.png`: the learning-curve figure of a training log as a
/// PNG (rasterised by librsvg) or SVG file.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a training log's learning curves (loss and accuracy side by side) as a PNG or SVG file.",
        discussion: """
        HISTORY is a Kestrel history JSON (written by fit), a Keras CSVLogger CSV, or a JSON dump \
        of Keras's history.history. The format follows --output's extension (.png or .svg).
        """
    )

    @Argument(help: "The training log: Kestrel history JSON, Keras CSVLogger CSV, or Keras history.history JSON.")
    var history: String

    @Option(help: "The figure file: NAME.png or NAME.svg.")
    var output: String = "curves.png"

    @Option(parsing: .unconditional, help: "PNG pixels per SVG unit (2 for high-density screens).")
    var scale: Double = 1

    func run() throws {
        let extensionName = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard ["png", "svg"].contains(extensionName) else {
            throw CommandFailure(message: "--output '\(output)' must end in .png or .svg.")
        }
        guard scale > 0, scale <= 8 else { throw CommandFailure(message: "--scale must be in (0, 8], got \(scale).") }
        let log = try TrainingLogArgument.read(history)
        do {
            try log.figure().write(to: output, scale: scale)
        } catch {
            throw CommandFailure(message: String(describing: error))
        }
        print("Figure: \(output)")
    }
}
