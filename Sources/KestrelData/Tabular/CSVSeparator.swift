/// How the fields of a CSV row are separated (pandas' `sep`).
public enum CSVSeparator: Sendable, Equatable {
    /// One byte between fields, e.g. `,` or `\t`; two in a row make an empty (missing) field.
    case character(UInt8)
    /// Runs of spaces and tabs, leading ones ignored (pandas' `sep=r"\s+"`, or `sep=" "` with
    /// `skipinitialspace=True` as the Auto MPG tutorial reads `auto-mpg.data`).
    case whitespace

    /// A comma.
    public static let comma = CSVSeparator.character(UInt8(ascii: ","))
    /// A tab.
    public static let tab = CSVSeparator.character(UInt8(ascii: "\t"))
}
