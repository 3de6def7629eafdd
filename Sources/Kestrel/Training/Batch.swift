/// One mini-batch as a training, test or prediction step sees it (the `data` Keras passes to
/// `train_step`): one tensor per model input, one per model output's targets (none for prediction or
/// unlabelled data), optional per-sample loss weights, and the names of the inputs and outputs when
/// the model has named ones. Every tensor's first dimension is the batch.
public struct Batch {
    /// One tensor per model input, in the model's input order.
    public let inputs: [Tensor]
    /// One target tensor per model output, in output order; empty when the data has no targets.
    public let targets: [Tensor]
    /// One loss weight per sample, or nil for equal weights.
    public let sampleWeight: Tensor?
    /// The model's input names, in `inputs` order (empty when not known).
    public let inputNames: [String]
    /// The model's output names, in `targets` order (empty when not known).
    public let targetNames: [String]

    /// A batch of one input and, optionally, its targets.
    public init(x: Tensor, y: Tensor? = nil, sampleWeight: Tensor? = nil) {
        self.init(checkedInputs: [x], targets: y.map { [$0] } ?? [], sampleWeight: sampleWeight, inputNames: [], targetNames: [])
    }

    /// A batch of several inputs and targets; throws when `inputs` is empty or a names list does not
    /// match its tensors.
    public init(inputs: [Tensor], targets: [Tensor] = [], sampleWeight: Tensor? = nil,
                inputNames: [String] = [], targetNames: [String] = []) throws {
        guard !inputs.isEmpty else { throw KestrelError.invalidArgument("Batch: inputs is empty; give at least one input tensor.") }
        guard inputNames.isEmpty || inputNames.count == inputs.count, targetNames.isEmpty || targetNames.count == targets.count else {
            throw KestrelError.invalidArgument(
                "Batch: \(inputNames.count) input names for \(inputs.count) inputs and \(targetNames.count) target names for \(targets.count) targets; give one name per tensor or none.")
        }
        self.init(checkedInputs: inputs, targets: targets, sampleWeight: sampleWeight, inputNames: inputNames, targetNames: targetNames)
    }

    init(checkedInputs inputs: [Tensor], targets: [Tensor], sampleWeight: Tensor?, inputNames: [String], targetNames: [String]) {
        self.inputs = inputs
        self.targets = targets
        self.sampleWeight = sampleWeight
        self.inputNames = inputNames
        self.targetNames = targetNames
    }

    /// The first (for most models, the only) input; `inputs` is never empty.
    public var x: Tensor { inputs[0] }
    /// The first output's targets, nil when there are none.
    public var y: Tensor? { targets.first }
    /// The number of samples.
    public var count: Int { inputs[0].shape.first ?? 0 }

    /// The input named `name`; throws listing the names when there is none.
    public func input(named name: String) throws -> Tensor {
        try Batch.tensor(named: name, in: inputs, names: inputNames, kind: "input")
    }

    /// The targets of the output named `name`; throws listing the names when there are none.
    public func target(named name: String) throws -> Tensor {
        try Batch.tensor(named: name, in: targets, names: targetNames, kind: "target")
    }

    private static func tensor(named name: String, in tensors: [Tensor], names: [String], kind: String) throws -> Tensor {
        guard let index = names.firstIndex(of: name), index < tensors.count else {
            throw KestrelError.invalidArgument("Batch: no \(kind) is named '\(name)'; the \(kind)s are: \(names.joined(separator: ", ")).")
        }
        return tensors[index]
    }

    /// Rows `rows` of every tensor (inputs, targets and sample weights), with the same names.
    public func slice(rows: Range<Int>) throws -> Batch {
        Batch(checkedInputs: try inputs.map { try $0.slice(rows: rows) }, targets: try targets.map { try $0.slice(rows: rows) },
              sampleWeight: try sampleWeight?.slice(rows: rows), inputNames: inputNames, targetNames: targetNames)
    }
}
