import Foundation

/// A 2-D affine map from output pixel coordinates (x to the right, y down) to input coordinates, as Keras's transform matrices:
/// `inputX = xx·x + xy·y + dx`, `inputY = yx·x + yy·y + dy`.
public struct AffineTransform: Sendable, Equatable {
    /// The first row: `inputX = xx·x + xy·y + dx`.
    public var xx: Double, xy: Double, dx: Double
    /// The second row: `inputY = yx·x + yy·y + dy`.
    public var yx: Double, yy: Double, dy: Double

    /// The map with these six coefficients.
    public init(xx: Double, xy: Double, dx: Double, yx: Double, yy: Double, dy: Double) {
        (self.xx, self.xy, self.dx, self.yx, self.yy, self.dy) = (xx, xy, dx, yx, yy, dy)
    }

    /// The map that leaves every pixel where it is.
    public static let identity = AffineTransform(xx: 1, xy: 0, dx: 0, yx: 0, yy: 1, dy: 0)

    /// Rotation by `angle` radians about the image centre; positive turns the image counter-clockwise (as `np.rot90`).
    public static func rotation(_ angle: Double, height: Int, width: Int) -> AffineTransform {
        let cosine = cos(angle), sine = sin(angle)
        let maxX = Double(width - 1), maxY = Double(height - 1)
        return AffineTransform(xx: cosine, xy: -sine, dx: (maxX - (cosine * maxX - sine * maxY)) / 2,
                               yx: sine, yy: cosine, dy: (maxY - (sine * maxX + cosine * maxY)) / 2)
    }

    /// Moves the image content by (`x`, `y`) pixels: positive is right and down.
    public static func translation(x: Double, y: Double) -> AffineTransform {
        AffineTransform(xx: 1, xy: 0, dx: -x, yx: 0, yy: 1, dy: -y)
    }

    /// Scales about the centre; factors above 1 zoom out (the output shows a larger area), as Keras's zoom matrix.
    public static func zoom(x zoomX: Double, y zoomY: Double, height: Int, width: Int) -> AffineTransform {
        AffineTransform(xx: zoomX, xy: 0, dx: Double(width - 1) / 2 * (1 - zoomX),
                        yx: 0, yy: zoomY, dy: Double(height - 1) / 2 * (1 - zoomY))
    }

    /// Shear about the centre by `x` (input x moves with y) and `y` (input y moves with x) shear factors.
    public static func shear(x shearX: Double, y shearY: Double, height: Int, width: Int) -> AffineTransform {
        let centerX = Double(width - 1) / 2, centerY = Double(height - 1) / 2
        return AffineTransform(xx: 1, xy: shearX, dx: -shearX * centerY, yx: shearY, yy: 1, dy: -shearY * centerX)
    }

    /// Mirror left-right.
    public static func horizontalFlip(width: Int) -> AffineTransform {
        AffineTransform(xx: -1, xy: 0, dx: Double(width - 1), yx: 0, yy: 1, dy: 0)
    }

    /// Mirror top-bottom.
    public static func verticalFlip(height: Int) -> AffineTransform {
        AffineTransform(xx: 1, xy: 0, dx: 0, yx: 0, yy: -1, dy: Double(height - 1))
    }

    /// The map of applying `self` to an image and then `next` to the result (coordinates: `self ∘ next`).
    public func followed(by next: AffineTransform) -> AffineTransform {
        AffineTransform(xx: xx * next.xx + xy * next.yx, xy: xx * next.xy + xy * next.yy, dx: xx * next.dx + xy * next.dy + dx,
                        yx: yx * next.xx + yy * next.yx, yy: yx * next.xy + yy * next.yy, dy: yx * next.dx + yy * next.dy + dy)
    }

    /// True for the identity map (the image is copied, not resampled).
    public var isIdentity: Bool { self == .identity }
}
