/// Calls a list of callbacks in order, as Keras's `CallbackList` does.
struct CallbackList {
    let callbacks: [Callback]

    /// Attaches the callbacks to `model`; throws the first argument problem one of them recorded.
    init(_ callbacks: [Callback], model: Model, params: TrainingParameters) throws {
        for callback in callbacks { try callback.validateArguments() }
        self.callbacks = callbacks
        for callback in callbacks {
            callback.model = model
            callback.params = params
        }
    }

    /// Runs `body` on each callback in order; throws a problem a callback recorded during its hook.
    func each(_ body: (Callback) -> Void) throws {
        for callback in callbacks {
            body(callback)
            try callback.validateArguments()
        }
    }
}
