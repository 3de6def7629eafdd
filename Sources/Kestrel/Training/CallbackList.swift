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

    /// Runs `body` (the call of `hook`) on each callback in order; an error thrown by one becomes a
    /// `CallbackError` naming its class and the hook; a problem a callback recorded during the hook
    /// (`reportProblem`) is thrown as it is.
    func each(_ hook: String, _ body: (Callback) throws -> Void) throws {
        for callback in callbacks {
            do {
                try body(callback)
            } catch let error as CallbackError {
                throw error
            } catch {
                throw CallbackError(callback: String(describing: type(of: callback)), hook: hook, underlying: error)
            }
            try callback.validateArguments()
        }
    }
}
