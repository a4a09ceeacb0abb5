import Foundation
import LinearAlgebra

/// scikit-learn's `SVC()`: a C-support-vector classifier with the RBF kernel
/// `K(a, b) = exp(−γ‖a − b‖²)`, trained one-vs-one as libsvm does — one binary problem per pair of
/// classes (the lower label positive), solved by libsvm's SMO (`SMOSolver`), and a vote of the
/// pairwise decisions (ties to the lowest label). `gamma` is `1 / (d · Var(X))` for `.scale`
/// (scikit-learn's default), `1 / d` for `.auto`, or a given value.
///
/// The kernel matrix of the training rows comes from one `Double` Gram matrix (`dsyrk`) and is kept
/// in `Float`, like libsvm's kernel cache; the pairwise problems run in parallel. Memory is n² floats
/// (10,000 rows: 400 MB). Probability estimates (libsvm's Platt scaling) are not offered.
public struct SVC: Classifier, Codable, Equatable {
    /// An RBF kernel's width parameter.
    public enum Gamma: Codable, Hashable, Sendable {
        /// `1 / (d · Var(X))` over every training value (scikit-learn's default).
        case scale
        /// `1 / d`.
        case auto
        /// A given value > 0.
        case value(Double)
    }

    /// The penalty `C` (default 1).
    public let c: Double
    /// The kernel width rule (default `.scale`).
    public let gamma: Gamma
    /// libsvm's stopping tolerance (scikit-learn's `tol`, default 1e-3).
    public let tolerance: Double
    public private(set) var classes: [Int] = []
    /// The γ used by the fitted kernel.
    public private(set) var fittedGamma = 0.0
    /// The support vectors, grouped by class in `classes` order.
    var supportVectors = PackedMatrix()
    /// The number of support vectors of each class.
    var supportCounts: [Int] = []
    /// libsvm's `sv_coef`: (K − 1) rows of one coefficient per support vector.
    var dualCoefficients = PackedDoubles()
    /// libsvm's `rho`, one per pair (0,1), (0,2), …, (1,2), ….
    var rho: [Double] = []

    public var name: String { ClassifierSpec.svc(c: c, gamma: gamma).description }

    /// An unfitted classifier.
    /// - Parameters:
    ///   - c: the penalty, > 0.
    ///   - gamma: the kernel width rule.
    ///   - tolerance: the stopping tolerance, > 0.
    public init(c: Double = 1, gamma: Gamma = .scale, tolerance: Double = 1e-3) {
        self.c = c
        self.gamma = gamma
        self.tolerance = tolerance
    }

    /// Solves every pairwise problem and keeps the support vectors.
    /// - Throws: `ClassicMLError.invalidParameter` for a bad hyper-parameter; the input errors of
    ///   `InputValidation.training`.
    public mutating func fit(_ x: Matrix, _ y: [Int]) throws {
        if case .value(let g) = gamma, !(g > 0 && g.isFinite) {
            throw ClassicMLError.invalidParameter("SVC needs gamma > 0, got \(g)")
        }
        guard c > 0, c.isFinite, tolerance > 0 else {
            throw ClassicMLError.invalidParameter("SVC needs c > 0 and tolerance > 0 (got \(c), \(tolerance))")
        }
        let labels = try InputValidation.training(x, y)
        let k = labels.count
        let classIndex = LinearState.classIndices(y, classes: labels)
        // libsvm groups the rows by class, each class in training order.
        let members = (0..<k).map { c in (0..<x.rows).filter { classIndex[$0] == c } }
        let order = members.flatMap { $0 }
        let grouped = x.rows(at: order)
        fittedGamma = Self.resolve(gamma, grouped)
        let kernel = RBFKernel.matrix(grouped, gamma: fittedGamma)
        let starts = members.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        let pairs = (0..<k).flatMap { a in ((a + 1)..<k).map { (a, $0) } }
        let solver = SMOSolver(c: c, tolerance: tolerance, maxIterations: 10_000_000)
        let solutions = kernel.withUnsafeBufferPointer { full in
            Parallel.map(pairs.count) { p -> SMOSolver.Solution in
                let (a, b) = pairs[p]
                let rows = Array(starts[a]..<starts[a + 1]) + Array(starts[b]..<starts[b + 1])
                let m = rows.count, n = grouped.rows
                var sub = [Float](repeating: 0, count: m * m)
                for r in 0..<m { for s in 0..<m { sub[r * m + s] = full[rows[r] * n + rows[s]] } }
                let signs = (0..<m).map { $0 < members[a].count ? Float(1) : -1 }
                return sub.withUnsafeBufferPointer { solver.solve(kernel: $0, y: signs, m: m) }
            }
        }
        // A row is a support vector when it has a non-zero coefficient in any of its problems.
        var coefficient = [[Double]](repeating: [Double](repeating: 0, count: grouped.rows), count: k - 1)
        var isSupport = [Bool](repeating: false, count: grouped.rows)
        for (p, (a, b)) in pairs.enumerated() {
            let rows = Array(starts[a]..<starts[a + 1]) + Array(starts[b]..<starts[b + 1])
            for (r, i) in rows.enumerated() where solutions[p].coefficients[r] != 0 {
                isSupport[i] = true
                // libsvm: class a's rows keep their coefficient in row b − 1, class b's in row a.
                coefficient[i < starts[a + 1] ? b - 1 : a][i] = solutions[p].coefficients[r]
            }
        }
        let support = (0..<grouped.rows).filter { isSupport[$0] }
        classes = labels
        supportVectors = PackedMatrix(grouped.rows(at: support))
        supportCounts = (0..<k).map { c in support.filter { $0 >= starts[c] && $0 < starts[c + 1] }.count }
        dualCoefficients = PackedDoubles(coefficient.flatMap { row in support.map { row[$0] } })
        rho = solutions.map(\.rho)
    }

    /// The vote of the pairwise decisions for every row (ties to the lowest label).
    /// - Precondition: the model is fitted and `x` has the training width.
    public func predict(_ x: Matrix) -> [Int] {
        let sv = supportVectors.matrix
        precondition(sv.rows > 0, "fit the classifier before predicting")
        precondition(x.columns == sv.columns, "model fitted on \(sv.columns) features, got \(x.columns)")
        let k = classes.count, count = sv.rows
        let kernel = RBFKernel.cross(x, sv, gamma: fittedGamma)
        let starts = supportCounts.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1) }
        let coef = dualCoefficients.values
        return (0..<x.rows).map { q in
            var votes = [Int](repeating: 0, count: k)
            var p = 0
            for a in 0..<k {
                for b in (a + 1)..<k {
                    var sum = 0.0
                    for s in starts[a]..<starts[a + 1] { sum += coef[(b - 1) * count + s] * kernel[q * count + s] }
                    for s in starts[b]..<starts[b + 1] { sum += coef[a * count + s] * kernel[q * count + s] }
                    votes[sum - rho[p] > 0 ? a : b] += 1
                    p += 1
                }
            }
            return classes[firstMaxIndex(votes)]
        }
    }

    /// γ for the training rows `x`.
    private static func resolve(_ gamma: Gamma, _ x: Matrix) -> Double {
        switch gamma {
        case .value(let g): return g
        case .auto: return 1 / Double(x.columns)
        case .scale:
            var sum = 0.0, squares = 0.0
            for v in x.values { sum += Double(v) }
            let mean = sum / Double(x.values.count)
            for v in x.values { squares += (Double(v) - mean) * (Double(v) - mean) }
            let variance = squares / Double(x.values.count)
            return variance != 0 ? 1 / (Double(x.columns) * variance) : 1
        }
    }
}

extension SVC: PersistableClassifier {
    /// The file's `kind` for this classifier.
    public static var kind: String { "SVC" }

    /// Checks a decoded model: classes, one support-vector count per class adding up to the stored
    /// vectors, (K − 1) finite coefficients per vector, one finite rho per pair, a positive γ.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        let k = classes.count, sv = supportVectors.matrix
        try LoadedModelCheck.require(fittedGamma > 0 && fittedGamma.isFinite, "the stored gamma is not a positive number")
        try LoadedModelCheck.require(sv.rows >= 1 && sv.columns >= 1, "the model stores no support vectors")
        try LoadedModelCheck.matrix(sv, rows: sv.rows, columns: sv.columns, "the support vectors")
        try LoadedModelCheck.require(supportCounts.count == k && supportCounts.allSatisfy { $0 >= 0 }
                              && supportCounts.reduce(0, +) == sv.rows,
                              "the support-vector counts do not add up to the \(sv.rows) stored vectors")
        try LoadedModelCheck.vector(dualCoefficients.values, count: (k - 1) * sv.rows, "the dual coefficients")
        try LoadedModelCheck.vector(rho, count: k * (k - 1) / 2, "the pairwise offsets")
    }
}
