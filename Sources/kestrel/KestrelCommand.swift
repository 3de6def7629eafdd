import ArgumentParser
import Kestrel

/// The `kestrel` command-line tool. Each subcommand lives in its own file; to add one,
/// append its type to `subcommands` below.
@main
struct KestrelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kestrel",
        abstract: "Kestrel: Keras-style deep learning in Swift, with learning-curve diagnostics.",
        discussion: "Shell completions: kestrel --generate-completion-script bash|zsh|fish (see the README).",
        version: "kestrel \(Kestrel.version) (Keras \(Kestrel.kerasVersion) API and file format)",
        subcommands: [
            DemoCommand.self,
            DiagnoseCommand.self,
            FitCommand.self,
            CompareCommand.self,
            DoctorCommand.self,
            TuneCommand.self,
            PlotCommand.self,
            PredictCommand.self,
            EvaluateCommand.self,
            SummaryCommand.self,
            ConvertCommand.self,
            ServeCommand.self,
        ]
    )

    /// Parses and runs the command line; `kestrel doctor --merge DIR` first takes its options from
    /// the sweep in DIR (`SweepMerge.expandingMerge`).
    static func main() {
        do {
            main(try SweepMerge.expandingMerge(Array(CommandLine.arguments.dropFirst())))
        } catch {
            exit(withError: error)
        }
    }
}
