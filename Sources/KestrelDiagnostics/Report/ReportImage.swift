import Foundation

/// A picture for the report's sample grid (e.g. a misclassified test image), embedded as
/// a base64 `data:` URI so the report stays one self-contained file.
public struct ReportImage: Sendable, Equatable {
    /// The PNG file's bytes.
    public var pngData: Data
    /// The caption under the image (e.g. "true: shirt · predicted: t-shirt").
    public var caption: String

    /// An image from PNG bytes with a caption.
    public init(pngData: Data, caption: String) {
        self.pngData = pngData
        self.caption = caption
    }

    /// Whether the bytes start with the PNG signature.
    public var looksLikePNG: Bool {
        pngData.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// `data:image/png;base64,…`.
    public var dataURI: String { "data:image/png;base64," + pngData.base64EncodedString() }
}
