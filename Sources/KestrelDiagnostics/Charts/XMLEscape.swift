/// Escaping for text placed in SVG/HTML (XML) documents.
public enum XMLEscape {
    /// `&`, `<`, `>`, `"` and `'` replaced by entities; control characters other than tab
    /// and newline (invalid in XML) dropped.
    public static func text(_ raw: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
