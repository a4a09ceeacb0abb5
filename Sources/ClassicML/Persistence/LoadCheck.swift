import LinearAlgebra

/// The checks `validateLoaded()` implementations share: each throws `ClassicMLError.modelFile`
/// with a message that names the field and says the file is damaged.
enum LoadCheck {
    /// Throws `message` unless `condition` holds.
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        guard condition else { throw ClassicMLError.modelFile("\(message()); the file is damaged — refit and save the model again") }
    }

    /// At least two distinct labels, strictly ascending.
    static func classes(_ classes: [Int]) throws {
        try require(classes.count >= 2, "the model holds \(classes.count) class(es), a fitted classifier has at least 2")
        try require(zip(classes, classes.dropFirst()).allSatisfy { $0 < $1 }, "the class labels are not distinct and ascending")
    }

    /// Every value finite.
    static func finite<C: Collection>(_ values: C, _ what: String) throws where C.Element: BinaryFloatingPoint {
        try require(values.allSatisfy { $0.isFinite }, "\(what) holds a NaN or infinite value")
    }

    /// A `rows × columns` matrix with finite values.
    static func matrix(_ m: Matrix, rows: Int, columns: Int, _ what: String) throws {
        try require(m.rows == rows && m.columns == columns,
                    "\(what) is \(m.rows)×\(m.columns) where \(rows)×\(columns) is expected")
        try finite(m.values, what)
    }

    /// `count` values, all finite.
    static func vector<C: Collection>(_ values: C, count: Int, _ what: String) throws where C.Element: BinaryFloatingPoint {
        try require(values.count == count, "\(what) has \(values.count) values where \(count) are expected")
        try finite(values, what)
    }
}

extension LinearClassifier {
    /// Checks a decoded linear model: classes, one finite weight row per score (one in all for two
    /// classes) over at least one feature, one finite intercept per score.
    /// - Throws: `ClassicMLError.modelFile` naming the first inconsistency.
    func validateLinearState() throws {
        try LoadCheck.classes(classes)
        let scores = LinearState.scoreCount(classCount: classes.count)
        try LoadCheck.require(coefficients.columns >= 1, "the stored weights have no features")
        try LoadCheck.matrix(coefficients, rows: scores, columns: coefficients.columns, "the weights")
        try LoadCheck.vector(intercepts, count: scores, "the intercepts")
    }
}
