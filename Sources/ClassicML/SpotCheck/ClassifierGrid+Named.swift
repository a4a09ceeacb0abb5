extension ClassifierGrid {
    /// The classifier called `name`: a grid entry (`LinearSVC-0.01`), `LogisticRegressionCV`,
    /// or a family with its hyper-parameter after a dash — `LogisticRegression-<C>`,
    /// `LinearSVC-<C>`, `RidgeClf-<alpha>`, `KNeighborsClf-<k>`, `RandomForestClf-<trees>`,
    /// `ExtraTreesClf-<trees>` — scaled exactly as the grid scales that family.
    /// - Parameters:
    ///   - name: the classifier's name.
    ///   - seed: the seed of randomised classifiers and of cross-validation folds (default 42).
    /// - Returns: the entry, named `name`.
    /// - Throws: `ClassicMLError.invalidParameter` for an unknown name or an unusable value,
    ///   listing what is accepted.
    public static func entry(named name: String, seed: UInt64 = 42) throws -> GridEntry {
        if let entry = defaultEntries(seed: seed).first(where: { $0.name == name }) { return entry }
        if name == "LogisticRegressionCV" {
            return GridEntry(name: name, scaled: true) { LogisticRegressionCV(seed: seed) }
        }
        let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
        let family = parts[0], value = parts.count == 2 ? parts[1] : ""
        let positive = Double(value).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        let count = Int(value).flatMap { $0 >= 1 ? $0 : nil }
        switch (family, positive, count) {
        case ("LogisticRegression", let c?, _):
            return GridEntry(name: name, scaled: true) { LogisticRegression(c: c) }
        case ("LinearSVC", let c?, _):
            return GridEntry(name: name, scaled: true) { LinearSVC(c: c) }
        case ("RidgeClf", let alpha?, _):
            return GridEntry(name: name, scaled: true) { RidgeClassifier(alpha: alpha) }
        case ("KNeighborsClf", _, let k?):
            return GridEntry(name: name, scaled: false) { KNeighborsClassifier(neighbors: k) }
        case ("RandomForestClf", _, let trees?):
            return GridEntry(name: name, scaled: false) { RandomForestClassifier(trees: trees, seed: seed) }
        case ("ExtraTreesClf", _, let trees?):
            return GridEntry(name: name, scaled: false) { ExtraTreesClassifier(trees: trees, seed: seed) }
        default:
            throw ClassicMLError.invalidParameter(
                "unknown classifier \(name); use a grid name (\(defaultEntries(seed: seed).map(\.name).joined(separator: ", "))), "
                + "LogisticRegressionCV, or LogisticRegression-<C>, LinearSVC-<C>, RidgeClf-<alpha> (C, alpha > 0), "
                + "KNeighborsClf-<k>, RandomForestClf-<trees>, ExtraTreesClf-<trees> (whole numbers ≥ 1)")
        }
    }
}
