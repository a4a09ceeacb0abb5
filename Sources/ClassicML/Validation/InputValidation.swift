import LinearAlgebra

/// Checks shared by every estimator, run before any work so bad input fails fast and clearly.
///
/// Every `fit` calls `InputValidation.training(_:_:)`; every `predict` on a fitted model may call
/// `InputValidation.features(_:columns:)`.
package enum InputValidation {
    /// Validates a training set: `x` non-empty, one label per row, finite values, ≥ 2 classes.
    ///
    /// - Parameters:
    ///   - x: the n × d feature matrix.
    ///   - y: n labels.
    /// - Returns: the distinct labels, sorted ascending.
    /// - Throws: `ClassicMLError.shapeMismatch` when `x.rows != y.count` or `x` is empty;
    ///   `.nonFiniteValue` at the first NaN/Inf; `.singleClass` when fewer than two labels occur.
    @discardableResult
    package static func training(_ x: Matrix, _ y: [Int]) throws -> [Int] {
        guard x.rows == y.count else {
            throw ClassicMLError.shapeMismatch(
                "\(x.rows) feature rows but \(y.count) labels; pass one label per row")
        }
        guard x.rows > 0, x.columns > 0 else {
            throw ClassicMLError.shapeMismatch(
                "the training matrix is empty (\(x.rows)×\(x.columns)); pass at least one sample with one feature")
        }
        try finite(x)
        let classes = Array(Set(y)).sorted()
        guard classes.count >= 2 else { throw ClassicMLError.singleClass(label: classes.first) }
        return classes
    }

    /// Validates a matrix to predict on: finite values and the width the model was fitted on.
    ///
    /// - Parameters:
    ///   - x: the feature matrix.
    ///   - columns: the width seen by `fit`.
    /// - Throws: `ClassicMLError.shapeMismatch` for a different width; `.nonFiniteValue` at the
    ///   first NaN/Inf.
    package static func features(_ x: Matrix, columns: Int) throws {
        guard x.columns == columns else {
            throw ClassicMLError.shapeMismatch(
                "the model was fitted on \(columns) features but got \(x.columns); use features from the same extractor")
        }
        try finite(x)
    }

    /// Validates that `folds` stratified folds can be made from `y`.
    ///
    /// - Parameters:
    ///   - y: the labels.
    ///   - folds: the number of folds, at least 2.
    /// - Throws: `ClassicMLError.invalidParameter` for fewer than 2 folds; `.tooFewSamples`
    ///   when there are fewer rows than folds.
    package static func folds(_ y: [Int], folds: Int) throws {
        guard folds >= 2 else {
            throw ClassicMLError.invalidParameter("k-fold needs at least 2 folds, got \(folds)")
        }
        guard y.count >= folds else {
            throw ClassicMLError.tooFewSamples(
                "\(y.count) rows cannot be split into \(folds) folds; use fewer folds or more data")
        }
    }

    /// Throws at the first NaN or infinite value of `x`.
    /// - Throws: `ClassicMLError.nonFiniteValue` with its row and column.
    package static func finite(_ x: Matrix) throws {
        if let bad = firstNonFinite(x) { throw ClassicMLError.nonFiniteValue(row: bad.row, column: bad.column) }
    }

    /// Throws at the first NaN or infinite value of `x`, naming which input it is.
    /// - Parameters:
    ///   - x: the rows to check.
    ///   - part: what they are, for the message, e.g. `"test"`.
    /// - Throws: `ClassicMLError.nonFiniteInput` with the part, row and column.
    package static func finite(_ x: Matrix, part: String) throws {
        if let bad = firstNonFinite(x) {
            throw ClassicMLError.nonFiniteInput(part: part, row: bad.row, column: bad.column)
        }
    }

    /// Throws at the first NaN or infinite value of one row.
    /// - Parameters:
    ///   - row: the values.
    ///   - part: what the row is, for the message, e.g. `"the row given to learnOne"`.
    /// - Throws: `ClassicMLError.nonFiniteInput` with the part and column (no row number).
    package static func finite(_ row: UnsafeBufferPointer<Float>, part: String) throws {
        if let column = firstNonFinite(row) {
            throw ClassicMLError.nonFiniteInput(part: part, row: nil, column: column)
        }
    }

    /// The row and column of the first NaN or infinite value of `x`, or nil when all are finite.
    /// - Parameter x: the rows to check.
    /// - Returns: the position of the first bad value.
    package static func firstNonFinite(_ x: Matrix) -> (row: Int, column: Int)? {
        let bad = x.values.withUnsafeBufferPointer { firstNonFinite($0) }
        return bad.map { ($0 / max(1, x.columns), $0 % max(1, x.columns)) }
    }

    /// The index of the first NaN or infinite value, scanning blocks cheaply.
    private static func firstNonFinite(_ buffer: UnsafeBufferPointer<Float>) -> Int? {
        // A float is NaN or infinite exactly when its exponent bits are all ones: the largest
        // masked exponent of a block tells whether to look closer. An integer maximum vectorises
        // (a floating-point sum would have to run in order).
        let exponent: UInt32 = 0x7F80_0000
        let block = 4096
        var start = 0
        while start < buffer.count {
            let end = min(start + block, buffer.count)
            var largest: UInt32 = 0
            for i in start..<end { largest = max(largest, buffer[i].bitPattern & exponent) }
            if largest == exponent {
                for i in start..<end where !buffer[i].isFinite { return i }
            }
            start = end
        }
        return nil
    }
}
