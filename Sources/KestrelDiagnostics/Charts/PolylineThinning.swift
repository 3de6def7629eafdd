/// Thins a curve in pixels to what a pixel column can show: where more than four consecutive points fall
/// in one column, only the first, the lowest, the highest and the last are kept (in their order), so the
/// drawn line looks the same. A log of 200,000 epochs (an 8 MB CSV) made a path the PNG rasteriser took
/// minutes over; thinned, it has at most four points per column of the chart.
enum PolylineThinning {
    /// The most points one pixel column keeps.
    static let pointsPerColumn = 4

    /// `points` (pixel coordinates, x in drawing order) with every crowded column thinned.
    static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard points.count > pointsPerColumn else { return points }
        var result: [(x: Double, y: Double)] = []
        var start = 0
        while start < points.count {
            let column = points[start].x.rounded(.down)
            var end = start + 1
            while end < points.count, points[end].x.rounded(.down) == column { end += 1 }
            if end - start <= pointsPerColumn {
                result += points[start..<end]
            } else {
                let group = start..<end
                let lowest = group.min { points[$0].y < points[$1].y } ?? start
                let highest = group.max { points[$0].y < points[$1].y } ?? start
                for index in Set([start, lowest, highest, end - 1]).sorted() { result.append(points[index]) }
            }
            start = end
        }
        return result
    }
}
