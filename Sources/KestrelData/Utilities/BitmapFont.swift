/// A 3×5 pixel font (digits, upper-case letters, a little punctuation) for captions in `sampleGrid`.
/// Lower-case letters are drawn as upper-case; unknown characters as "?".
enum BitmapFont {
    static let glyphWidth = 3
    static let glyphHeight = 5
    /// Horizontal advance per character, including one pixel of spacing.
    static let advance = 4

    /// Five rows of three pixels, top to bottom, "#" for ink.
    static let glyphs: [Character: String] = [
        "0": "###|#.#|#.#|#.#|###", "1": ".#.|##.|.#.|.#.|###", "2": "###|..#|###|#..|###",
        "3": "###|..#|###|..#|###", "4": "#.#|#.#|###|..#|..#", "5": "###|#..|###|..#|###",
        "6": "###|#..|###|#.#|###", "7": "###|..#|..#|..#|..#", "8": "###|#.#|###|#.#|###",
        "9": "###|#.#|###|..#|###",
        "A": ".#.|#.#|###|#.#|#.#", "B": "##.|#.#|##.|#.#|##.", "C": ".##|#..|#..|#..|.##",
        "D": "##.|#.#|#.#|#.#|##.", "E": "###|#..|##.|#..|###", "F": "###|#..|##.|#..|#..",
        "G": ".##|#..|#.#|#.#|.##", "H": "#.#|#.#|###|#.#|#.#", "I": "###|.#.|.#.|.#.|###",
        "J": "..#|..#|..#|#.#|.#.", "K": "#.#|#.#|##.|#.#|#.#", "L": "#..|#..|#..|#..|###",
        "M": "#.#|###|###|#.#|#.#", "N": "##.|#.#|#.#|#.#|#.#", "O": ".#.|#.#|#.#|#.#|.#.",
        "P": "##.|#.#|##.|#..|#..", "Q": ".#.|#.#|#.#|##.|.##", "R": "##.|#.#|##.|#.#|#.#",
        "S": ".##|#..|.#.|..#|##.", "T": "###|.#.|.#.|.#.|.#.", "U": "#.#|#.#|#.#|#.#|###",
        "V": "#.#|#.#|#.#|#.#|.#.", "W": "#.#|#.#|###|###|#.#", "X": "#.#|#.#|.#.|#.#|#.#",
        "Y": "#.#|#.#|.#.|.#.|.#.", "Z": "###|..#|.#.|#..|###",
        ":": "...|.#.|...|.#.|...", "/": "..#|..#|.#.|#..|#..", "-": "...|...|###|...|...",
        ".": "...|...|...|...|.#.", "?": "##.|..#|.#.|...|.#.", "_": "...|...|...|...|###",
        " ": "...|...|...|...|...",
    ]

    /// Whether the pixel (column, row) of `character` is inked.
    static func isInked(_ character: Character, column: Int, row: Int) -> Bool {
        let key = Character(character.uppercased())
        let pattern = Array((glyphs[key] ?? glyphs["?"]!).replacingOccurrences(of: "|", with: ""))
        return pattern[row * glyphWidth + column] == "#"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
