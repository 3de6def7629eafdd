extension Model {
    /// One training step on a single-input batch, returning the running loss.
    @available(*, deprecated, message: "use trainStep(Batch(x: x, y: y, sampleWeight: sampleWeight)), which returns every log by name; override trainStep(_:) for a custom step")
    public func trainStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double {
        try trainStep(Batch(x: x, y: y, sampleWeight: sampleWeight))["loss"] ?? .nan
    }

    /// One evaluation step on a single-input batch, returning the running loss (nil without targets).
    @available(*, deprecated, message: "use testStep(Batch(x: x, y: y, sampleWeight: sampleWeight)), which returns every log by name; override testStep(_:) for a custom step")
    public func testStep(x: Tensor, y: Tensor?, sampleWeight: Tensor?) throws -> Double? {
        let logs = try testStep(Batch(x: x, y: y, sampleWeight: sampleWeight))
        return y == nil ? nil : logs["loss"]
    }

    /// The outputs for a single-input batch (the first output of a multi-output model).
    @available(*, deprecated, message: "use predictStep(Batch(x: x)), which returns one tensor per output; override predictStep(_:) for a custom step")
    public func predictStep(x: Tensor) throws -> Tensor {
        guard let first = try predictStep(Batch(x: x)).first else {
            throw KestrelError.invalidState("predictStep returned no output for model '\(name)'.")
        }
        return first
    }
}
