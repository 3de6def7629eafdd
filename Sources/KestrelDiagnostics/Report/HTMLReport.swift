import Foundation
import Kestrel

/// A self-contained HTML training report (one file, inline SVG and CSS, no network):
/// verdict, evidence, suggestions, learning curves, gap chart, key numbers, and — when
/// given — the confusion matrix with per-class table, the model summary, sample images,
/// multi-run statistics and a variant comparison.
///
/// ```swift
/// let diagnosis = CurveAnalyzer().diagnose(log, holdout: HoldoutMetrics(loss: 0.35, accuracy: 0.88))
/// var report = HTMLReport(log: log, diagnosis: diagnosis)
/// report.modelSummary = summaryText
/// try report.write(to: URL(fileURLWithPath: "report.html"))
/// ```
public struct HTMLReport: Sendable {
    /// The page title and heading.
    public var title: String
    /// A line under the heading (e.g. the log file's name, the dataset).
    public var subtitle: String?
    /// The training log charted (nil for a report of only runs/variants).
    public var log: TrainingLog?
    /// Its diagnosis (the verdict, curves and key-number sections need both).
    public var diagnosis: Diagnosis?
    /// The thresholds the diagnosis used (listed at the end of the report).
    public var options: DiagnosisOptions
    /// Confusion matrix on validation (or test) data.
    public var confusionMatrix: ConfusionMatrix?
    /// Confusion matrix on training data; with `confusionMatrix` it gives the per-class gap.
    public var trainConfusionMatrix: ConfusionMatrix?
    /// The model summary text (`model.summary()`), shown preformatted.
    public var modelSummary: String?
    /// Sample images (e.g. misclassified examples), shown in a grid.
    public var sampleImages: [ReportImage]
    /// The heading of the sample images' section.
    public var samplesTitle = "Samples"
    /// What the confusion matrix was computed on ("validation", "test"), named in the per-class columns.
    public var heldOutName = "validation"
    /// The prediction figure (an SVG document, e.g. `PredictionGrid(...).figure().svg`).
    public var predictionFigure: String?
    /// Several seeds of the same experiment.
    public var multiRun: MultiRunSummary?
    /// Variants of the experiment side by side.
    public var variants: VariantComparison?
    /// Extra figures shown after the variants, each with a heading (e.g. `HistoryPlotter`'s overlaid curves).
    public var figures: [(title: String, svg: String)] = []

    /// A report of `log` and its `diagnosis`; the optional sections are set as properties.
    public init(title: String = "Kestrel training report", subtitle: String? = nil, log: TrainingLog,
                diagnosis: Diagnosis, options: DiagnosisOptions = DiagnosisOptions()) {
        self.title = title
        self.subtitle = subtitle
        self.log = log
        self.diagnosis = diagnosis
        self.options = options
        sampleImages = []
    }

    /// A report without a single-run section, e.g. only `variants` or `multiRun` (set them
    /// as properties).
    public init(title: String = "Kestrel training report", subtitle: String? = nil,
                options: DiagnosisOptions = DiagnosisOptions()) {
        self.title = title
        self.subtitle = subtitle
        self.options = options
        sampleImages = []
    }

    /// The whole HTML document.
    public func render() -> String {
        var sections: [String] = [header()]
        if let log, let diagnosis {
            sections += [verdictSection(diagnosis), chartsSection(log, diagnosis), numbersSection(log, diagnosis)]
        }
        let predictions = predictionFigure.map {
            "<section id=\"predictions\"><h2>Predictions on \(XMLEscape.text(heldOutName)) images</h2><p class=\"note\">Each image with its class probabilities: the true class's bar blue, a wrong prediction's bar red; under it “predicted (confidence) true”.</p><div class=\"chart\">\($0)</div></section>"
        }
        // A page of predictions only (`kestrel predict --report`) shows them first.
        if log == nil, let predictions { sections.append(predictions) }
        if let confusion = confusionSection() { sections.append(confusion) }
        if log != nil, let predictions { sections.append(predictions) }
        if let images = imagesSection() { sections.append(images) }
        if let multiRun = multiRunSection() { sections.append(multiRun) }
        if let variants = variantsSection() { sections.append(variants) }
        for figure in figures {
            sections.append("<section><h2>\(XMLEscape.text(figure.title))</h2><div class=\"chart\">\(figure.svg)</div></section>")
        }
        if let modelSummary, !modelSummary.isEmpty {
            sections.append("<section><h2>Model</h2><pre class=\"summary\">\(XMLEscape.text(modelSummary))</pre></section>")
        }
        if log != nil || multiRun != nil || variants != nil || !figures.isEmpty { sections.append(footer()) }
        return """
        \(HTMLReportStyle.pageStart(title: title))
        <main>
        \(sections.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    /// Writes the report to `url` atomically through `AtomicFile`.
    public func write(to url: URL) throws {
        try AtomicFile.write(render(), to: url.path)
    }
}
