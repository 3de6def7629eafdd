/// Number formatting shared by the CSV writers: Python's `repr` of a float, as Keras's CSVLogger prints it.
enum CSVFormatting {
    static func format(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e16 { return String(format: "%.1f", value) }
        // Swift's description is the shortest round-tripping form, like Python's repr.
        return "\(value)"
    }
}

import Foundation
