/// A rectangle of cells: the area a widget draws into.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// Whether the cell at (`column`, `row`) lies inside.
    public func contains(column: Int, row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The rectangle shrunk by `amount` on every side.
    public func inset(_ amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// Splits into side-by-side columns whose widths follow `weights`; the last takes the remainder.
    public func columns(_ weights: [Int]) -> [Rect] {
        Rect.shares(of: width, weights).map { Rect(x: x + $0.offset, y: y, width: $0.length, height: height) }
    }

    /// Splits into stacked rows whose heights follow `weights`; the last takes the remainder.
    public func rows(_ weights: [Int]) -> [Rect] {
        Rect.shares(of: height, weights).map { Rect(x: x, y: y + $0.offset, width: width, height: $0.length) }
    }

    /// The top `count` rows, and the rest below them.
    public func splitTop(_ count: Int) -> (top: Rect, rest: Rect) {
        let top = min(max(0, count), height)
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top))
    }

    /// The bottom `count` rows, and the rest above them.
    public func splitBottom(_ count: Int) -> (rest: Rect, bottom: Rect) {
        let bottom = min(max(0, count), height)
        return (Rect(x: x, y: y, width: width, height: height - bottom), Rect(x: x, y: maxY - bottom, width: width, height: bottom))
    }

    /// A `width`×`height` rectangle centred inside this one (clipped to it).
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(width, self.width)
        let h = min(height, self.height)
        return Rect(x: x + (self.width - w) / 2, y: y + (self.height - h) / 2, width: w, height: h)
    }

    private static func shares(of total: Int, _ weights: [Int]) -> [(offset: Int, length: Int)] {
        let sum = max(1, weights.reduce(0, +))
        var result: [(offset: Int, length: Int)] = []
        var offset = 0
        for (index, weight) in weights.enumerated() {
            let length = index == weights.count - 1 ? total - offset : total * weight / sum
            result.append((offset, max(0, length)))
            offset += max(0, length)
        }
        return result
    }
}
