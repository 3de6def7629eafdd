/// One class's accuracy on training versus validation data: large gaps show the classes
/// that are overfitted when the overall gap hides them.
public struct ClassGap: Sendable, Codable, Equatable {
    /// The class index.
    public var classIndex: Int
    /// The class name.
    public var name: String
    /// Per-class accuracy (recall) on the training predictions.
    public var trainAccuracy: Double
    /// Per-class accuracy (recall) on the validation predictions.
    public var validationAccuracy: Double
    /// `trainAccuracy − validationAccuracy`.
    public var gap: Double
    /// Whether `gap` reaches the threshold it was computed with.
    public var isOverfitted: Bool

    /// A gap with every field given.
    public init(classIndex: Int, name: String, trainAccuracy: Double, validationAccuracy: Double, threshold: Double) {
        self.classIndex = classIndex
        self.name = name
        self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy
        gap = trainAccuracy - validationAccuracy
        isOverfitted = gap >= threshold - 1e-12
    }
}
