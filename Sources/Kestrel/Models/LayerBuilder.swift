/// Lets `Sequential { … }` list layers with `if`, `if/else` and `for` (like MLX's builder).
@resultBuilder
public enum LayerBuilder {
    /// One layer.
    public static func buildExpression(_ layer: Layer) -> [Layer] { [layer] }
    /// Several layers, in order.
    public static func buildExpression(_ layers: [Layer]) -> [Layer] { layers }
    /// The layers of every statement, in order.
    public static func buildBlock(_ parts: [Layer]...) -> [Layer] { parts.flatMap { $0 } }
    /// The layers of an `if` without `else`, when its condition holds.
    public static func buildOptional(_ part: [Layer]?) -> [Layer] { part ?? [] }
    /// The layers of the `if` branch.
    public static func buildEither(first part: [Layer]) -> [Layer] { part }
    /// The layers of the `else` branch.
    public static func buildEither(second part: [Layer]) -> [Layer] { part }
    /// The layers of a `for` loop, in order.
    public static func buildArray(_ parts: [[Layer]]) -> [Layer] { parts.flatMap { $0 } }
}
