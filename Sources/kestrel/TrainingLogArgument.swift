import Foundation
import KestrelDiagnostics

/// A training log named on the command line (`diagnose`, `compare`, `plot`).
enum TrainingLogArgument {
    /// Reads the log at `path`; a log that cannot be read or parsed is a `CommandFailure` whose message
    /// names the file (several may be given to `compare`) and what is wrong with it.
    static func read(_ path: String) throws -> TrainingLog {
        do {
            return try TrainingLogReader.read(contentsOf: URL(fileURLWithPath: path))
        } catch let error as TrainingLogError {
            switch error {
            case .unreadableFile, .unrecognisedFormat: throw CommandFailure(message: error.description)
            default: throw CommandFailure(message: "'\(path)': \(error.description)")
            }
        } catch {
            throw CommandFailure(message: "'\(path)': \(error)")
        }
    }
}
