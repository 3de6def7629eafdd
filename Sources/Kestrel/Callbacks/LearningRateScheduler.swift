/// Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)`
/// (Keras's `LearningRateScheduler`), and logs it as `learning_rate`.
public final class LearningRateScheduler: Callback, @unchecked Sendable {
    /// The schedule: (epoch, current learning rate) → the new learning rate.
    public let schedule: @Sendable (Int, Float) -> Float
    /// 1 prints each new learning rate.
    public let verbose: Int

    /// Makes the callback.
    public init(verbose: Int = 0, _ schedule: @escaping @Sendable (Int, Float) -> Float) {
        self.schedule = schedule
        self.verbose = verbose
        super.init()
        requireArgument(verbose >= 0, "verbose", mustBe: "≥ 0", got: verbose)
    }

    /// Sets the learning rate from the schedule; a negative or non-finite rate is reported as an error.
    /// Throws for an optimizer driven by a learning-rate schedule, whose rate cannot be set (as Keras raises).
    public override func onEpochBegin(_ epoch: Int, logs: inout [String: Double]) throws {
        guard let optimizer = model?.optimizer else { return }
        let rate = schedule(epoch, optimizer.learningRate)
        if optimizer.learningRateSchedule != nil { try optimizer.setLearningRate(rate) }  // throws, as Keras raises
        do { try optimizer.setLearningRate(rate) } catch {
            reportProblem("LearningRateScheduler: the schedule returned \(rate) for epoch \(epoch); a learning rate must be a finite number ≥ 0.")
            return
        }
        if verbose > 0 { print("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(rate).") }
    }

    /// Logs `learning_rate`.
    public override func onEpochEnd(_ epoch: Int, logs: inout [String: Double]) {
        if let optimizer = model?.optimizer { logs["learning_rate"] = Double(optimizer.learningRate) }
    }
}
