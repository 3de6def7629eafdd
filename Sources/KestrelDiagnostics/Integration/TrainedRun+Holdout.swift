import Kestrel
import KestrelRecipes

extension TrainedRun {
    /// The loss and accuracy on `images` (batch 256, silent), as the diagnosis's held-out scores.
    public func evaluate(_ images: LabeledImages) throws -> HoldoutMetrics {
        let result = try model.evaluate(images.normalizedX, images.y, batchSize: 256, verbose: 0)
        let accuracy = result["accuracy"] ?? result["sparse_categorical_accuracy"] ?? result["categorical_accuracy"]
        return HoldoutMetrics(loss: result.loss, accuracy: accuracy)
    }
}
