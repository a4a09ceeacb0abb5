import ClassicML
import Foundation
import LinearAlgebra
import XCTest

/// A fixture dataset standardised as `scripts/fixtures/sklearn_linear_expected.py` does: train
/// mean and population standard deviation in `Double` (0 → 1), applied to both sides, rounded to
/// `Float` — so the Swift and scikit-learn fits see identical numbers.
struct StandardisedDataset {
    let trainX: Matrix
    let trainY: [Int]
    let testX: Matrix
    let testY: [Int]

    /// Loads and standardises `name`, keeping only the first `trainRows` train rows if given.
    static func load(_ name: String, trainRows: Int? = nil) throws -> StandardisedDataset {
        let raw = try FixtureDataset.load(name)
        let keep = Array(0..<min(trainRows ?? raw.trainX.rows, raw.trainX.rows))
        let train = raw.trainX.rows(at: keep)
        let n = Double(train.rows), d = train.columns
        var mean = [Double](repeating: 0, count: d), std = mean
        for i in 0..<train.rows { for j in 0..<d { mean[j] += Double(train[i, j]) } }
        for j in 0..<d { mean[j] /= n }
        for i in 0..<train.rows { for j in 0..<d { std[j] += pow(Double(train[i, j]) - mean[j], 2) } }
        for j in 0..<d { std[j] = (std[j] / n).squareRoot(); if std[j] == 0 { std[j] = 1 } }
        func standardise(_ x: Matrix) -> Matrix {
            var out = x
            for i in 0..<x.rows { for j in 0..<d { out[i, j] = Float((Double(x[i, j]) - mean[j]) / std[j]) } }
            return out
        }
        return StandardisedDataset(trainX: standardise(train), trainY: keep.map { raw.trainY[$0] },
                                   testX: standardise(raw.testX), testY: raw.testY)
    }

    /// The share of `predicted` equal to the test labels.
    func accuracy(_ predicted: [Int]) -> Double {
        Double(zip(predicted, testY).filter { $0 == $1 }.count) / Double(testY.count)
    }
}

/// The expectations written by `scripts/fixtures/sklearn_linear_expected.py` for one entry.
func sklearnLinearExpected(_ entry: String) throws -> [String: Any] {
    let all = try json("linear/sklearn_linear_expected.json")
    return try XCTUnwrap(all[entry] as? [String: Any])
}

/// A JSON array of arrays of numbers as a matrix.
func matrix(_ value: Any?) throws -> Matrix {
    let rows = try XCTUnwrap(value as? [[Any]])
    return Matrix(rowArrays: try rows.map { try $0.map { try number($0) } })
}

/// A JSON number (Foundation on Linux may hand back integers or doubles) as a `Float`.
func number(_ value: Any) throws -> Float {
    Float(try XCTUnwrap(value as? NSNumber).doubleValue)
}

/// `max |a − b|` over all elements.
func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Float {
    precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ")
    return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
