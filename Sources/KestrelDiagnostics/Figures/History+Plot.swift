import Kestrel

extension History {
    /// The learning-curve figure of this run as matplotlib's two-panel tutorial figure: loss (left)
    /// and accuracy (right), training and validation curves, axes, grid and legend, annotated
    /// (best epoch, overfitting onset) from the run's diagnosis.
    public func figure(options: DiagnosisOptions = DiagnosisOptions()) throws -> Figure {
        try TrainingLog(history: self).figure(options: options)
    }

    /// Writes the learning-curve figure to `path` (`.png` rasterised by librsvg, or `.svg`),
    /// e.g. `try history.plot(to: "curves.png")`.
    public func plot(to path: String, scale: Double = 1, options: DiagnosisOptions = DiagnosisOptions()) throws {
        try figure(options: options).write(to: path, scale: scale)
    }
}

extension TrainingLog {
    /// The learning-curve figure of this log (a saved history or a Keras CSVLogger file).
    public func figure(options: DiagnosisOptions = DiagnosisOptions()) -> Figure {
        let diagnosis = CurveAnalyzer(options: options).diagnose(self)
        return Figure(svg: LearningCurveCharts.lossAndAccuracy(log: self, diagnosis: diagnosis))
    }
}

extension ConfusionMatrix {
    /// The confusion-matrix heatmap (matplotlib's "Blues", counts in the cells).
    public func figure(title: String = "Confusion matrix") -> Figure {
        Figure(svg: ConfusionMatrixHeatmap(matrix: self, title: title).svg())
    }

    /// Writes the heatmap to `path` (`.png` or `.svg`).
    public func plot(to path: String, title: String = "Confusion matrix", scale: Double = 1) throws {
        try figure(title: title).write(to: path, scale: scale)
    }
}
