import Foundation
import KestrelTensor

/// One-hot encodes class indices, like `keras.utils.to_categorical`: labels of shape S become S × numClasses.
/// `numClasses` defaults to the largest label + 1.
public func toCategorical(_ labels: [Int], numClasses: Int? = nil) throws -> Tensor {
    let largest = labels.max() ?? -1
    guard numClasses != nil || largest < Int.max else {
        throw DataError.invalidArgument("labels", "label \(largest) is too large to be a class index; pass numClasses to match your data")
    }
    let classes = numClasses ?? (largest + 1)
    guard classes > 0 else { throw DataError.invalidArgument("numClasses", "must be positive (labels: \(labels.prefix(5))…)") }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw DataError.invalidArgument("labels", "label \(bad) is outside 0..<\(classes); pass numClasses to match your data")
    }
    // The one-hot matrix is labels × classes: a single label of 10^12 must not ask for terabytes.
    guard let count = Tensor.checkedElementCount([labels.count, classes]),
          count <= Tensor.maximumStorageBytes / MemoryLayout<Float>.size else {
        throw DataError.invalidArgument("labels", "\(labels.count) labels × \(classes) classes do not fit in memory; check the labels are class indices 0..<numClasses")
    }
    var values = [Float](repeating: 0, count: count)
    for (row, label) in labels.enumerated() { values[row * classes + label] = 1 }
    return TensorFactory.make(shape: [labels.count, classes], scalars: values)
}

/// `toCategorical` on a tensor of class indices (any shape; values must be whole numbers).
public func toCategorical(_ labels: Tensor, numClasses: Int? = nil) throws -> Tensor {
    let encoded = try toCategorical(checkedClassIndices(labels.scalars, argument: "labels"), numClasses: numClasses)
    return TensorFactory.make(shape: labels.shape + [encoded.shape[1]], scalars: encoded.scalars)
}

/// Scales vectors along `axis` to unit L`order` norm, like `keras.utils.normalize(x, axis=-1, order=2)`.
/// Zero vectors stay zero.
public func normalize(_ x: Tensor, axis: Int = -1, order: Int = 2) throws -> Tensor {
    let rank = x.shape.count
    guard rank > 0 else { throw DataError.invalidArgument("x", "normalize needs at least one axis") }
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0, resolved < rank else {
        throw DataError.invalidArgument("axis", "\(axis) is outside a tensor of rank \(rank)")
    }
    guard order >= 1 else { throw DataError.invalidArgument("order", "must be ≥ 1, got \(order)") }
    var values = x.scalars
    let length = x.shape[resolved]
    let inner = x.shape[(resolved + 1)...].reduce(1, *)
    let outer = x.shape[..<resolved].reduce(1, *)
    for outerIndex in 0..<outer {
        for innerIndex in 0..<inner {
            let base = outerIndex * length * inner + innerIndex
            var total: Double = 0
            for step in 0..<length { total += pow(Double(abs(values[base + step * inner])), Double(order)) }
            let norm = pow(total, 1 / Double(order))
            guard norm > 0 else { continue }
            for step in 0..<length { values[base + step * inner] = Float(Double(values[base + step * inner]) / norm) }
        }
    }
    return TensorFactory.make(shape: x.shape, scalars: values)
}

/// The class indices in `values` (labels stored as floats), refusing what is not one: NaN, an
/// infinity, a fraction, a negative number or a number beyond 2^31 (labels read from a CSV or a
/// `.npy` file are untrusted, and `Int(Float.nan)` would trap). `argument` names the labels in the error.
public func checkedClassIndices(_ values: [Float], argument: String) throws -> [Int] {
    try values.map { value in
        guard value.isFinite, value == value.rounded(), value >= 0, value < 0x1p31 else {
            throw DataError.invalidArgument(argument, "\(value) is not a class index; labels must be whole numbers 0, 1, 2, …")
        }
        return Int(value)
    }
}
