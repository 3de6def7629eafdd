extension Layer {
    /// The output step of every layer with `activation` and `activityRegularizer` arguments (Dense,
    /// Conv2D, DepthwiseConv2D, SeparableConv2D): the activation of `preActivation`, with the activity
    /// penalty recorded when training.
    func activatedOutput(_ preActivation: Tensor, activation: ActivationFunction, activityRegularizer: Regularizer?,
                         training: Bool) throws -> Tensor {
        let output = try activation.apply(preActivation)
        if training, let activityRegularizer { activityLosses = [try activityRegularizer.penalty(output)] }
        return output
    }

    /// The activation such a layer lets `fit` fuse into the loss: none when it is linear, or when an
    /// activity regularizer needs the activated output itself.
    static func fusableActivation(_ activation: ActivationFunction, activityRegularizer: Regularizer?) -> ActivationFunction? {
        activation == .linear || activityRegularizer != nil ? nil : activation
    }
}
