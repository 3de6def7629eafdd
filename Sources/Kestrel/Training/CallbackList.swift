/// Calls a list of callbacks in order, as Keras's `CallbackList` does.
struct CallbackList {
    let callbacks: [Callback]

    init(_ callbacks: [Callback], model: Model, params: TrainingParameters) {
        self.callbacks = callbacks
        for callback in callbacks {
            callback.model = model
            callback.params = params
        }
    }

    func each(_ body: (Callback) -> Void) { for callback in callbacks { body(callback) } }
}
