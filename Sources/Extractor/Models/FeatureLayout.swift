/// How a backbone's last convolutional feature map (C × H × W per image) becomes one feature row.
///
/// All layouts are channel-major, so the order is documented and stable:
/// - ``average``: the global average of each channel — `C` values (the pooled penultimate vector).
/// - ``grid(_:)``: each channel average-pooled to an `S × S` grid with PyTorch's
///   `adaptive_avg_pool2d` cells (cell `(a, b)` covers rows `⌊a·H/S⌋ ..< ⌈(a+1)·H/S⌉` and the
///   same for columns), value `c·S² + a·S + b` — `C·S²` values.
/// - ``flat``: the whole map, value `c·H·W + y·W + x` — `C·H·W` values (the cookbook kept its
///   map flattened; note Keras flattens channel-last, so its order differs from ours).
public enum FeatureLayout: Sendable, Hashable, CustomStringConvertible {
    /// Global average pooling.
    case average
    /// Average pooling to an `S × S` grid, `S ≥ 1`.
    case grid(Int)
    /// The whole map, flattened.
    case flat

    /// The grid side used when a layout is written as plain `grid`.
    public static let defaultGridSide = 2

    /// Parses `avg` (or `average`), `grid` (2 × 2), `gridS` (e.g. `grid3`, S in 1…16) or `flat`,
    /// in any letter case.
    /// - Parameter text: the layout's name.
    /// - Throws: ``FeatureLayoutError`` for anything else.
    public init(parsing text: String) throws(FeatureLayoutError) {
        switch text.lowercased() {
        case "avg", "average": self = .average
        case "flat": self = .flat
        case "grid": self = .grid(Self.defaultGridSide)
        case let name where name.hasPrefix("grid"):
            guard let side = Int(name.dropFirst(4)), (1...16).contains(side) else { throw FeatureLayoutError(text: text) }
            self = .grid(side)
        default:
            throw FeatureLayoutError(text: text)
        }
    }

    /// The name stored in feature-store attributes and used in extractor names: `avg`, `grid2`, `flat`.
    public var name: String {
        switch self {
        case .average: return "avg"
        case .grid(let side): return "grid\(side)"
        case .flat: return "flat"
        }
    }

    /// Same as ``name``.
    public var description: String { name }

    /// Values per image for a feature map of `shape`.
    /// - Parameter shape: one image's last feature map.
    /// - Returns: the row length.
    public func dimension(for shape: FeatureShape) -> Int {
        switch self {
        case .average: return shape.channels
        case .grid(let side): return shape.channels * side * side
        case .flat: return shape.count
        }
    }

    /// Writes the rows of `count` images from their feature maps (NCHW).
    /// - Parameters:
    ///   - map: `count × C × H × W` values.
    ///   - shape: one image's map shape.
    ///   - count: images in the map.
    ///   - output: `count` rows of `dimension(for: shape)` values, image-major.
    func apply(_ map: UnsafePointer<Float>, shape: FeatureShape, count: Int, output: UnsafeMutablePointer<Float>) {
        let dimension = dimension(for: shape)
        let plane = shape.planeSize
        for image in 0..<count {
            let row = output + image * dimension
            for channel in 0..<shape.channels {
                let source = map + (image * shape.channels + channel) * plane
                switch self {
                case .flat:
                    (row + channel * plane).update(from: source, count: plane)
                case .average:
                    row[channel] = Self.cellAverage(source, width: shape.width, rows: 0..<shape.height,
                                                    columns: 0..<shape.width)
                case .grid(let side):
                    for a in 0..<side {
                        let rows = Self.cell(a, of: side, length: shape.height)
                        for b in 0..<side {
                            row[(channel * side + a) * side + b] = Self.cellAverage(
                                source, width: shape.width, rows: rows,
                                columns: Self.cell(b, of: side, length: shape.width))
                        }
                    }
                }
            }
        }
    }

    /// PyTorch's adaptive pooling cell: `⌊i·L/S⌋ ..< ⌈(i+1)·L/S⌉`.
    static func cell(_ index: Int, of side: Int, length: Int) -> Range<Int> {
        (index * length / side)..<(((index + 1) * length + side - 1) / side)
    }

    private static func cellAverage(_ plane: UnsafePointer<Float>, width: Int, rows: Range<Int>,
                                    columns: Range<Int>) -> Float {
        var sum: Float = 0
        for y in rows {
            for x in columns { sum += plane[y * width + x] }
        }
        return sum / Float(rows.count * columns.count)
    }
}

/// A feature layout name that is not `avg`, `grid`, `gridS` (S in 1…16) or `flat`.
public struct FeatureLayoutError: Error, Sendable, CustomStringConvertible {
    /// The name given.
    public let text: String

    /// What went wrong and what to do.
    public var description: String {
        "unknown feature layout \"\(text)\"; use avg (global average), grid (2×2), gridS such as grid3 (S in 1…16), or flat"
    }
}
