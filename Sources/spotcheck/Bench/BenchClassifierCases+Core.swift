import ClassicML

extension BenchClassifierCase {
    /// Neighbour, centroid and tree cases (the cookbook's names).
    static let core: [BenchClassifierCase] = [
        BenchClassifierCase(name: "RandomForestClf-100", phase: .fit) { RandomForestClassifier() },
        BenchClassifierCase(name: "ExtraTreesClf-100", phase: .fit) { ExtraTreesClassifier() },
        BenchClassifierCase(name: "KNeighborsClf-5", phase: .predict) { KNeighborsClassifier() },
        BenchClassifierCase(name: "NearestCentroid", phase: .fit) { NearestCentroid() },
    ]
}
