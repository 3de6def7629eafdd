/// An RGB drawing surface for `sampleGrid`: filled rectangles, scaled images and bitmap-font text.
struct RGBCanvas {
    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, background: (UInt8, UInt8, UInt8)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    mutating func set(x: Int, y: Int, color: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let base = (y * width + x) * 3
        pixels[base] = color.0
        pixels[base + 1] = color.1
        pixels[base + 2] = color.2
    }

    mutating func fill(x: Int, y: Int, width fillWidth: Int, height fillHeight: Int, color: (UInt8, UInt8, UInt8)) {
        for row in y..<(y + fillHeight) {
            for column in x..<(x + fillWidth) { set(x: column, y: row, color: color) }
        }
    }

    /// Draws an 8-bit image (1 or 3+ channels) with each pixel enlarged to `scale`×`scale`.
    mutating func draw(_ image: RasterImage, x: Int, y: Int, scale: Int) {
        for row in 0..<(image.height * scale) {
            for column in 0..<(image.width * scale) {
                let base = ((row / scale) * image.width + column / scale) * image.channels
                let red = image.pixels[base]
                let color = image.channels >= 3 ? (red, image.pixels[base + 1], image.pixels[base + 2]) : (red, red, red)
                set(x: x + column, y: y + row, color: color)
            }
        }
    }

    /// Writes `text` with its top-left corner at (x, y), clipped to `maximumWidth` pixels.
    mutating func write(_ text: String, x: Int, y: Int, maximumWidth: Int, color: (UInt8, UInt8, UInt8)) {
        for (index, character) in text.enumerated() {
            let left = x + index * BitmapFont.advance
            guard left + BitmapFont.glyphWidth <= x + maximumWidth else { return }
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isInked(character, column: column, row: row) {
                    set(x: left + column, y: y + row, color: color)
                }
            }
        }
    }
}
