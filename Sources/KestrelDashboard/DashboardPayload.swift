/// What one update of the page carries (the JSON of an `update` event and of `GET /view.json`): HTML and SVG
/// fragments rendered by KestrelDiagnostics, which the page's script puts in place.
struct DashboardPayload: Codable, Sendable, Equatable {
    /// One entry of the run list.
    struct RunEntry: Codable, Sendable, Equatable {
        var name: String
        var status: String
        var epochs: Int
        var verdict: String?
        var selected: Bool
    }

    var title: String
    var subtitle: String
    /// "waiting", "training", "finished" or "folder".
    var status: String
    /// The progress line ("Run 2/5 (seed 43) · epoch 3/10 · batch 120/750 · ETA 41 s · learning rate 0.001").
    var progress: String
    /// The whole job done, 0…1.
    var fraction: Double
    var runs: [RunEntry]
    /// Loss and accuracy, the selected runs overlaid, the epoch in progress dashed up to its current batch.
    var curves: String
    /// Mean ± 95 % CI over the finished selected runs (two or more), else empty.
    var bands: String
    /// Verdict, evidence and suggestions of the run shown (HTML), with the overfitting onset.
    var verdict: String
    /// Key numbers of the run shown (HTML).
    var numbers: String
    /// The confusion matrix and per-class table, once given.
    var perClass: String
    /// Epochs finished in the run shown.
    var epochCount: Int
}
