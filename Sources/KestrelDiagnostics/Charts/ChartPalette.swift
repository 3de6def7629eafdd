/// Chart colours: matplotlib's "tab10" cycle, so Kestrel's charts read like the ones people know.
public enum ChartPalette {
    /// The ten categorical colours, in order.
    public static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The colour of the `index`-th run or variant (cycling).
    public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }

    /// One run's colours, as matplotlib's default cycle draws `plot(loss)` then `plot(val_loss)`:
    /// training blue, validation orange.
    public static func trainValidation(_ validation: Bool) -> String { validation ? colors[1] : colors[0] }

    /// Shading of the overfitting region.
    static let overfittingFill = "#d62728"
    /// Gridlines, axes, secondary text.
    static let grid = "#e6e6e6"
    static let axis = "#444444"
    static let mutedText = "#555555"
}
