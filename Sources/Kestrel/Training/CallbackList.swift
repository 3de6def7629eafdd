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

    /// Runs `body` (the call of `hook`) on each callback in order; an error thrown by one becomes a
    /// `CallbackError` naming its class and the hook.
    func each(_ hook: String, _ body: (Callback) throws -> Void) throws {
        for callback in callbacks {
            do {
                try body(callback)
            } catch let error as CallbackError {
                throw error
            } catch {
                throw CallbackError(callback: String(describing: type(of: callback)), hook: hook, underlying: error)
            }
        }
    }
}
