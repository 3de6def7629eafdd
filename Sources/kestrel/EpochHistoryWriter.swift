import Foundation
import Kestrel

/// Writes the history (`<stem>.json` and `.csv`) after every epoch, so a run that stops part-way — a
/// checkpoint that cannot be written on a full disk, an error, a kill — leaves the epochs it finished.
/// A write that fails is reported once on stderr and training goes on; the final history is written
/// again when the run ends. Its state (the epochs so far) is kept in a backup like Keras's History.
final class EpochHistoryWriter: Callback, @unchecked Sendable {
    private let history = History()
    private let directory: URL
    private let stem: String
    private var warned = false

    /// Writes into `directory` as `<stem>.json` / `<stem>.csv`.
    init(directory: URL, stem: String) {
        self.directory = directory
        self.stem = stem
        super.init()
    }

    /// Takes the data `fit` recorded (`History.data`), so the files written per epoch hold it too.
    override func onTrainBegin(logs: inout [String: Double]) throws {
        history.data = model?.history?.data
    }

    override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) throws {
        history.record(epoch: epoch, logs: logs)
        do {
            try RunArtifacts.writeHistory(history, directory: directory, stem: stem)
        } catch {
            guard !warned else { return }
            warned = true
            FileHandle.standardError.write(Data("Warning: \(error); training goes on.\n".utf8))
        }
    }

    override func stateDictionary() throws -> [String: StateValue] { try history.stateDictionary() }

    override func restoreState(_ state: [String: StateValue]) throws { try history.restoreState(state) }
}
