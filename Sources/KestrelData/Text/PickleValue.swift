/// A value of the restricted pickle machine `NumPyObjectArrayPickle` runs: only what NumPy writes for an
/// object array of lists of integers (Keras's `imdb.npz`).
indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case text([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    case dictionary
    /// One of the allowed globals ("numpy.ndarray", "numpy.dtype", "…multiarray._reconstruct").
    case global(String)
    /// A `REDUCE` result: the callable, its arguments and (after `BUILD`) its state.
    case object(callable: String, arguments: [PickleValue], state: PickleValue?)
    /// The `MARK` position on the stack.
    case mark
}
