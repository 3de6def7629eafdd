/// Places annotation labels where no curve runs through them: each candidate box is scored by how many
/// of the chart's line segments cross it (and whether it leaves the plot), and the best one wins.
struct LabelPlacement {
    /// A label's box in pixels.
    struct Box {
        var minX: Double, minY: Double, maxX: Double, maxY: Double

        /// A box from its edges.
        init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
            self.minX = minX
            self.minY = minY
            self.maxX = maxX
            self.maxY = maxY
        }

        /// The box of `text` drawn at (`x`, baseline `y`) with `anchor` and font `size`.
        init(text: String, x: Double, y: Double, size: Double, anchor: SVGWriter.Anchor) {
            let width = Double(text.count) * size * 0.62
            switch anchor {
            case .start: minX = x; maxX = x + width
            case .middle: minX = x - width / 2; maxX = x + width / 2
            case .end: minX = x - width; maxX = x
            }
            minY = y - size * 0.8
            maxY = y + size * 0.25
        }

        func overlaps(_ other: Box) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }
    }

    /// The curves as pixel polylines.
    let polylines: [[(x: Double, y: Double)]]
    /// The plot area labels should stay in.
    let bounds: Box
    /// Boxes already taken by earlier labels.
    private(set) var taken: [Box] = []

    init(polylines: [[(x: Double, y: Double)]], bounds: Box) {
        self.polylines = polylines
        self.bounds = bounds
    }

    /// The index of the best candidate (fewest curves crossed, inside the plot, not on an earlier label;
    /// ties go to the earlier candidate), which is then marked as taken.
    mutating func choose(_ candidates: [Box]) -> Int {
        var best = 0
        var bestScore = Double.infinity
        for (index, box) in candidates.enumerated() {
            var score = Double(crossings(box))
            if box.minX < bounds.minX || box.maxX > bounds.maxX || box.minY < bounds.minY || box.maxY > bounds.maxY { score += 0.5 }
            if taken.contains(where: box.overlaps) { score += 10 }
            if score < bestScore { bestScore = score; best = index }
        }
        if !candidates.isEmpty { taken.append(candidates[best]) }
        return best
    }

    /// Marks `box` as taken (a label drawn elsewhere).
    mutating func reserve(_ box: Box) { taken.append(box) }

    /// How many segments of the curves pass through `box`.
    func crossings(_ box: Box) -> Int {
        var count = 0
        for line in polylines {
            for index in line.indices.dropFirst() where Self.segment(line[index - 1], line[index], crosses: box) { count += 1 }
        }
        return count
    }

    /// Liang–Barsky clipping: whether the segment a→b has a part inside `box`.
    static func segment(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), crosses box: Box) -> Bool {
        let dx = b.x - a.x, dy = b.y - a.y
        var low = 0.0, high = 1.0
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let t = q / p
                if p < 0 { low = max(low, t) } else { high = min(high, t) }
                if low > high { return false }
            }
        }
        return true
    }
}
