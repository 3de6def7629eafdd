import Foundation

/// The diagnosis as JSON for scripts (`kestrel diagnose --json`): sorted keys, pretty
/// printed; non-finite numbers (missing epochs) written as the strings "NaN"/"Infinity".
public enum DiagnosisJSON {
    /// Encodes `diagnosis`.
    public static func encode(_ diagnosis: Diagnosis) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(diagnosis), as: UTF8.self)
    }
}
