/// NumPy's `expand_dims`, as Keras programs call it (`np.expand_dims(img, 0)`, `keras.ops.expand_dims`).
public func expandDims(_ x: Tensor, axis: Int) throws -> Tensor {
    try x.expandingDims(axis: axis)
}

/// NumPy's `argmax` without an axis: the position of the largest value of the flattened tensor, as an
/// integer (`np.argmax(predictions[0])` is the predicted class). Ties give the first position, as NumPy.
public func argmax(_ x: Tensor) throws -> Int {
    guard x.count > 0 else { throw KestrelError.invalidArgument("argmax: the tensor of shape \(x.shape) is empty.") }
    return try argmax(x.reshaped([x.count]), axis: 0)[0]
}

/// NumPy's `argmax` along `axis` (negative counts from the end), as integers: `argmax(predictions, axis: 1)`
/// gives each row's class. For a 1-D tensor the one result is the array's only element.
public func argmax(_ x: Tensor, axis: Int) throws -> [Int] {
    try x.argmax(axis: axis).scalars.map { Int($0) }
}

/// Makes NumPy's `x[-n:]` read `x[-n...]` in Swift. Swift applies the postfix `...` before the prefix minus,
/// so `-n...` is `-(n...)`: this operator turns it into the range from −n, which the tensor subscripts read
/// as "the last n rows". It has no other use.
public prefix func - (range: PartialRangeFrom<Int>) -> PartialRangeFrom<Int> {
    PartialRangeFrom(-range.lowerBound)
}

/// Keras's `keras.ops.softmax(x)` (TensorFlow's `tf.nn.softmax`): the softmax over `axis` (the last by default).
public func softmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    try x.softmax(axis: axis)
}
