import LinearAlgebra

/// The checks every `validateLoaded()` is made of: each throws `ClassicMLError.modelFile` with a
/// phrase naming the field and what is wrong with it (`ModelFile` adds the file and the advice),
/// so a damaged or hand-edited model file is refused when it is loaded instead of crashing,
/// hanging or answering wrongly when used.
enum LoadedModelCheck {
    /// The largest magnitude a learned weight, intercept, mean or stored training value may have.
    /// No fitted model comes near it; beyond it float32 sums of products with real features
    /// overflow to infinity, so predictions would no longer be finite.
    static let magnitudeLimit: Float = 1e15

    /// Throws `ClassicMLError.modelFile(what)` unless `condition` holds.
    /// - Parameters:
    ///   - condition: what must be true.
    ///   - what: the problem, e.g. `"KNeighborsClassifier: k = 0, must be at least 1"`.
    /// - Throws: `ClassicMLError.modelFile`.
    static func require(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        if !condition { throw ClassicMLError.modelFile(what()) }
    }

    /// Checks that `classes` holds at least two labels in strictly ascending order, as every
    /// `fit` leaves them.
    /// - Parameters:
    ///   - classes: the loaded labels.
    ///   - kind: the classifier's kind, for the message.
    /// - Throws: `ClassicMLError.modelFile`.
    static func classes(_ classes: [Int], kind: String) throws {
        try require(classes.count >= 2, "\(kind) has \(classes.count) class(es), a fitted classifier has at least 2")
        for i in 1..<classes.count {
            try require(classes[i - 1] < classes[i],
                        "\(kind)'s classes are not distinct and ascending (\(classes[i - 1]) before \(classes[i]))")
        }
    }

    /// Checks that every value is finite and at most ``magnitudeLimit`` in magnitude.
    /// - Parameters:
    ///   - values: the loaded numbers.
    ///   - what: the field, for the message, e.g. `"LogisticRegression weights"`.
    /// - Throws: `ClassicMLError.modelFile` naming the first bad position.
    static func bounded<C: Collection>(_ values: C, _ what: String) throws where C.Element == Float {
        for (position, value) in values.enumerated() where !(abs(value) <= magnitudeLimit) {
            throw ClassicMLError.modelFile(
                "\(what)[\(position)] is \(value), not a finite number of magnitude at most \(magnitudeLimit)")
        }
    }

    /// Checks the shape of a stored matrix and that its values are bounded (``bounded(_:_:)``).
    /// - Parameters:
    ///   - matrix: the loaded matrix.
    ///   - rows: the required number of rows, or nil for any number ≥ 1.
    ///   - columns: the required number of columns, or nil for any number ≥ 1.
    ///   - what: the field, for the message.
    /// - Throws: `ClassicMLError.modelFile`.
    static func matrix(_ matrix: Matrix, rows: Int?, columns: Int?, _ what: String) throws {
        try require(matrix.rows >= 1 && matrix.columns >= 1, "\(what) is empty (\(matrix.rows)×\(matrix.columns))")
        if let rows {
            try require(matrix.rows == rows, "\(what) has \(matrix.rows) rows, expected \(rows)")
        }
        if let columns {
            try require(matrix.columns == columns, "\(what) has \(matrix.columns) columns, expected \(columns)")
        }
        try bounded(matrix.values, what)
    }

    /// Checks that every value is finite (Float or Double fields that may be large, such as
    /// log-likelihood constants or boosting scores).
    /// - Parameters:
    ///   - values: the loaded numbers.
    ///   - what: the field, for the message.
    /// - Throws: `ClassicMLError.modelFile` naming the first bad position.
    static func finite<C: Collection>(_ values: C, _ what: String) throws where C.Element: BinaryFloatingPoint {
        for (position, value) in values.enumerated() where !value.isFinite {
            throw ClassicMLError.modelFile("\(what)[\(position)] is \(value), not a finite number")
        }
    }

    /// Checks that a stored vector has `count` values, all finite.
    /// - Parameters:
    ///   - values: the loaded numbers.
    ///   - count: the required length.
    ///   - what: the field, for the message.
    /// - Throws: `ClassicMLError.modelFile`.
    static func vector<C: Collection>(_ values: C, count: Int, _ what: String) throws where C.Element: BinaryFloatingPoint {
        try require(values.count == count, "\(what) has \(values.count) values, expected \(count)")
        try finite(values, what)
    }
}
