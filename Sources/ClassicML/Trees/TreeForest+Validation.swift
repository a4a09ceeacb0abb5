/// The checks of a tree ensemble read from a model file: every index in range, every tree a
/// tree (each node reached once from the root, so prediction always ends at a leaf), every
/// leaf's class fractions finite and summing to one.
extension TreeEnsembleClassifier {
    /// Checks the loaded classes, hyper-parameters and trees.
    /// - Throws: `ClassicMLError.modelFile` naming the tree, node and field at fault.
    public func validateLoaded() throws {
        try LoadedModelCheck.classes(classes, kind: Self.kind)
        do {
            try parameters.validate()
        } catch {
            throw ClassicMLError.modelFile("\(Self.kind) parameters: \(error)")
        }
        try forest.validateLoaded(classCount: classes.count, kind: Self.kind)
    }
}

extension TreeForest {
    /// Checks the width and every tree.
    /// - Parameters:
    ///   - classCount: the number of classes each leaf holds fractions for.
    ///   - kind: the classifier's kind, for messages.
    /// - Throws: `ClassicMLError.modelFile`.
    func validateLoaded(classCount: Int, kind: String) throws {
        try LoadedModelCheck.require(!trees.isEmpty, "\(kind) has no trees")
        try LoadedModelCheck.require(columns >= 1, "\(kind) was grown on \(columns) features")
        for (index, tree) in trees.enumerated() {
            try tree.validateLoaded(columns: columns, classCount: classCount, place: "\(kind) tree \(index)")
        }
    }
}

extension DecisionTree {
    /// Checks one tree as `TreeBuilder` leaves it: parallel arrays of one length, leaves marked
    /// by feature, left and right −1, split features in `0..<columns` with finite thresholds,
    /// children inside the tree and each node reached once from the root, and `classCount`
    /// finite fractions in [0, 1] summing to one per node.
    /// - Parameters:
    ///   - columns: the forest's width.
    ///   - classCount: fractions per node.
    ///   - place: e.g. `RandomForestClassifier tree 3`, for messages.
    /// - Throws: `ClassicMLError.modelFile`.
    func validateLoaded(columns: Int, classCount: Int, place: String) throws {
        let nodes = feature.count
        try LoadedModelCheck.require(nodes >= 1, "\(place) has no nodes")
        try LoadedModelCheck.require(threshold.count == nodes && left.count == nodes && right.count == nodes,
                                     "\(place) has \(nodes) features, \(threshold.count) thresholds, "
                                        + "\(left.count) left and \(right.count) right children; they must agree")
        let (values, overflow) = nodes.multipliedReportingOverflow(by: classCount)
        try LoadedModelCheck.require(!overflow && value.count == values,
                                     "\(place) has \(value.count) class fractions, expected \(nodes) nodes × \(classCount) classes")
        var reached = [Bool](repeating: false, count: nodes)
        reached[0] = true
        var pending = [0]
        while let node = pending.popLast() {
            let f = Int(feature[node]), l = Int(left[node]), r = Int(right[node])
            if f < 0 {
                try LoadedModelCheck.require(f == -1 && l == -1 && r == -1,
                                             "\(place) node \(node) is a leaf with feature \(f), children \(l) and \(r); a leaf has −1 for all three")
                continue
            }
            try LoadedModelCheck.require(f < columns, "\(place) node \(node) splits on feature \(f), outside 0..<\(columns)")
            try LoadedModelCheck.require(threshold[node].isFinite,
                                         "\(place) node \(node) has threshold \(threshold[node])")
            for child in [l, r] {
                try LoadedModelCheck.require(child > 0 && child < nodes,
                                             "\(place) node \(node) has child \(child), outside 1..<\(nodes)")
                try LoadedModelCheck.require(!reached[child],
                                             "\(place) node \(child) is reached twice (a cycle or a shared node); a tree reaches each node once")
                reached[child] = true
                pending.append(child)
            }
        }
        for node in 0..<nodes {
            let fractions = value[(node * classCount)..<((node + 1) * classCount)]
            var sum: Float = 0
            for fraction in fractions {
                try LoadedModelCheck.require(fraction >= 0 && fraction <= 1,
                                             "\(place) node \(node) has class fraction \(fraction), outside [0, 1]")
                sum += fraction
            }
            try LoadedModelCheck.require(abs(sum - 1) <= 1e-3, "\(place) node \(node)'s class fractions sum to \(sum), not 1")
        }
    }
}
