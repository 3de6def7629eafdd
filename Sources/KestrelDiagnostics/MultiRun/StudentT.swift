/// Critical values of Student's t distribution (internal).
enum StudentT {
    /// t(0.975, df) for df = 1…30 (standard table values).
    private static let table: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]

    /// The two-sided 95 % critical value: table up to 30 degrees of freedom, beyond that the
    /// Cornish–Fisher expansion around the normal quantile 1.959964 (error < 0.001).
    static func criticalValue95(degreesOfFreedom: Int) -> Double {
        guard degreesOfFreedom >= 1 else { return .nan }
        if degreesOfFreedom <= table.count { return table[degreesOfFreedom - 1] }
        let z = 1.959964
        let n = Double(degreesOfFreedom)
        let z3 = z * z * z
        let z5 = z3 * z * z
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
    }
}
