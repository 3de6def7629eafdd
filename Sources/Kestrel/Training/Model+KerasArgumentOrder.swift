/// `fit` in the argument orders Keras programs commonly use that Swift's fixed label order would refuse:
/// `verbose:` after the validation or callback arguments (`fit(x, y, epochs: 5, validationSplit: 0.2,
/// verbose: 0)`), and `batchSize:` before `epochs:` (`fit(x, y, batchSize: 128, epochs: 15, validationSplit:
/// 0.1)`, keras-io's MNIST convnet). Each forwards to the designated `fit` and has a required label the
/// others lack, so no call is ambiguous. Rarer arguments (`classWeight:`, `sampleWeight:`…) keep the
/// designated order.
extension Model {
    /// `fit` on arrays with `verbose:` after `validationSplit:`.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, validationSplit: Double,
                    callbacks: [Callback] = [], shuffle: Bool = true, verbose: Verbosity) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `verbose:` after `validationData:`.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, validationData: (Tensor, Tensor),
                    callbacks: [Callback] = [], shuffle: Bool = true, verbose: Verbosity) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationData: validationData,
                callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `verbose:` after `callbacks:`.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, callbacks: [Callback],
                    shuffle: Bool = true, verbose: Verbosity) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `callbacks:` before `validationSplit:` (keras-io's training guide).
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, callbacks: [Callback],
                    validationSplit: Double, shuffle: Bool = true, verbose: Verbosity = .auto) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `callbacks:` before `validationData:` (TensorFlow's save-and-load tutorial:
    /// `fit(x, y, epochs=50, batch_size=batch_size, callbacks=[cp_callback], validation_data=(…), verbose=0)`).
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, epochs: Int = 1, batchSize: Int? = nil, callbacks: [Callback],
                    validationData: (Tensor, Tensor), shuffle: Bool = true, verbose: Verbosity = .auto) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationData: validationData,
                callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `batchSize:` before `epochs:` (Keras's own parameter order), `verbose:` last.
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, batchSize: Int, epochs: Int, validationSplit: Double = 0,
                    validationData: (Tensor, Tensor)? = nil, callbacks: [Callback] = [], shuffle: Bool = true,
                    verbose: Verbosity = .auto) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                validationData: validationData, callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays in Keras's own parameter order with `verbose:` given: `batchSize:`, `epochs:`,
    /// `verbose:`, `callbacks:`, then the validation arguments (keras-io's "Writing your own callbacks":
    /// `fit(x, y, batch_size=64, epochs=30, verbose=0, callbacks=[…])`).
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, batchSize: Int, epochs: Int, verbose: Verbosity, callbacks: [Callback],
                    validationSplit: Double = 0, validationData: (Tensor, Tensor)? = nil, shuffle: Bool = true) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                validationData: validationData, callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on arrays with `batchSize:`, `epochs:`, `verbose:`, then `validationSplit:` before `callbacks:`
    /// (keras-io's "Writing your own callbacks": `fit(x, y, batch_size=128, epochs=1, verbose=0,
    /// validation_split=0.5, callbacks=[…])`).
    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, batchSize: Int, epochs: Int, verbose: Verbosity, validationSplit: Double,
                    callbacks: [Callback] = [], shuffle: Bool = true) throws -> History {
        try fit(x, y, epochs: epochs, batchSize: batchSize, verbose: verbose, validationSplit: validationSplit,
                callbacks: callbacks, shuffle: shuffle)
    }

    /// `fit` on a `Dataset` with `verbose:` after `validationData:` (the TensorFlow tutorials' order).
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, validationData: Dataset, callbacks: [Callback] = [],
                    verbose: Verbosity) throws -> History {
        try fit(dataset, epochs: epochs, verbose: verbose, validationData: validationData, callbacks: callbacks)
    }

    /// `fit` on a `Dataset` validating on arrays, with `verbose:` after `validationData:`.
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, validationData: (Tensor, Tensor), callbacks: [Callback] = [],
                    verbose: Verbosity) throws -> History {
        try fit(dataset, epochs: epochs, verbose: verbose, validationData: validationData, callbacks: callbacks)
    }

    /// `fit` on a `Dataset` with `stepsPerEpoch:` before `epochs:` (the TensorFlow overfit/underfit tutorial's
    /// `fit(train_ds, steps_per_epoch=…, epochs=…, validation_data=…, callbacks=…, verbose=0)`).
    @discardableResult
    public func fit(_ dataset: Dataset, stepsPerEpoch: Int, epochs: Int = 1, validationData: Dataset? = nil,
                    callbacks: [Callback] = [], verbose: Verbosity = .auto) throws -> History {
        try fit(dataset, epochs: epochs, verbose: verbose, validationData: validationData, callbacks: callbacks,
                stepsPerEpoch: stepsPerEpoch)
    }

    /// `fit` on a `Dataset` with `verbose:` after `callbacks:`.
    @discardableResult
    public func fit(_ dataset: Dataset, epochs: Int = 1, callbacks: [Callback], verbose: Verbosity) throws -> History {
        try fit(dataset, epochs: epochs, verbose: verbose, callbacks: callbacks)
    }
}
