import Foundation

extension ClassifierSpec {
    /// Reads a classifier name: a family (`SVC`, `DecisionTreeClf`), a family with its headline
    /// parameter after a dash (`LinearSVC-0.01`, `KNeighborsClf-7`, `RandomForestClf-100`), or a
    /// family with parameters (`SVC:C=10,gamma=0.001`, `KNeighborsClf:k=9,weights=distance`,
    /// also `KNeighborsClf-9:weights=distance`). Family and parameter names are matched without
    /// regard to case, and scikit-learn's class names are accepted for the families
    /// (`KNeighborsClassifier`); parameters not given keep their defaults.
    /// - Parameter text: the name.
    /// - Throws: `ClassicMLError.invalidParameter` for an unknown family or parameter, a value out
    ///   of range or a parameter given twice, listing what is accepted.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let colon = trimmed.firstIndex(of: ":")
        let head = String(trimmed[..<(colon ?? trimmed.endIndex)])
        let assignments = colon.map { String(trimmed[trimmed.index(after: $0)...]) }
        var familyName = head, dashText: String?
        if let dash = head.firstIndex(of: "-") {
            familyName = String(head[..<dash])
            dashText = String(head[head.index(after: dash)...])
        }
        guard let family = ClassifierFamily.named(familyName) else {
            throw ClassicMLError.invalidParameter(
                "unknown classifier \(text.isEmpty ? "(empty name)" : text); the families are "
                + ClassifierFamily.allCases.map(\.usage).joined(separator: ", ")
                + "; set parameters as NAME:param=value,… (for example SVC:C=10,gamma=0.001)")
        }
        let shapes = family.parameterShapes
        var values = family.defaultSpec.parameterValues
        var given = Set<Int>()
        func set(_ index: Int, _ valueText: String) throws {
            let shape = shapes[index]
            guard given.insert(index).inserted else {
                throw ClassicMLError.invalidParameter("\(text): \(shape.name) is given twice")
            }
            guard let value = Self.value(valueText, of: shape.kind) else {
                throw ClassicMLError.invalidParameter(
                    "\(text): \(shape.name) must be \(shape.kind.accepted), got \(valueText.isEmpty ? "nothing" : valueText)")
            }
            values[index] = value
        }
        if let dashText {
            guard let dash = family.dashParameter else {
                throw ClassicMLError.invalidParameter(
                    "\(text): \(family.name) takes no value after a dash; write "
                    + (shapes.isEmpty ? family.name : "\(family.name):\(shapes[0].name)=…"))
            }
            try set(dash, dashText)
        }
        for assignment in assignments?.split(separator: ",", omittingEmptySubsequences: false) ?? [] {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, let index = shapes.firstIndex(where: { $0.name.lowercased() == key.lowercased() }) else {
                let known = family.parameters.map { "\($0.name) (\($0.kind.accepted); default \($0.defaultValue))" }
                throw ClassicMLError.invalidParameter(
                    "\(text): \(parts.count == 2 ? "unknown parameter \(key)" : "expected param=value, got \(assignment)"); "
                    + (known.isEmpty ? "\(family.name) takes no parameters" : "\(family.name) takes " + known.joined(separator: ", ")))
            }
            try set(index, String(parts[1]).trimmingCharacters(in: .whitespaces))
        }
        self.init(family, values)
    }

    /// Reads a comma-separated list of classifier names, in order and without repeats. A
    /// `param=value` piece after a `NAME:param=value` name continues that name's parameters, so
    /// `SVC:C=10,gamma=0.001,LDA` is two classifiers.
    /// - Parameter text: the list.
    /// - Returns: the specs, duplicates (by canonical name) removed.
    /// - Throws: `ClassicMLError.invalidParameter` for an empty list or any name `init(parsing:)`
    ///   refuses.
    public static func list(parsing text: String) throws -> [ClassifierSpec] {
        var names = [String]()
        for piece in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !piece.isEmpty {
            if piece.contains("="), !piece.contains(":"), let last = names.last, last.contains(":") {
                names[names.count - 1] = last + "," + piece
            } else {
                names.append(piece)
            }
        }
        guard !names.isEmpty else { throw ClassicMLError.invalidParameter("the list of classifiers is empty") }
        var specs = [ClassifierSpec]()
        for name in names {
            let spec = try ClassifierSpec(parsing: name)
            if !specs.contains(spec) { specs.append(spec) }
        }
        return specs
    }

    /// `text` as a value of `kind`, or nil when it is not one.
    private static func value(_ text: String, of kind: ClassifierParameter.Kind) -> Value? {
        switch kind {
        case .positive:
            return Double(text).flatMap { $0 > 0 && $0.isFinite ? .number($0) : nil }
        case .nonNegative:
            return Double(text).flatMap { $0 >= 0 && $0.isFinite ? .number($0) : nil }
        case .count(let minimum):
            return Int(text).flatMap { $0 >= minimum ? .count($0) : nil }
        case .countOrNone:
            if text.lowercased() == "none" { return .optionalCount(nil) }
            return Int(text).flatMap { $0 >= 1 ? .optionalCount($0) : nil }
        case .choice(let words):
            return words.first { $0.lowercased() == text.lowercased() }.map { .word($0) }
        case .gamma:
            if ["scale", "auto"].contains(text.lowercased()) { return .word(text.lowercased()) }
            return Double(text).flatMap { $0 > 0 && $0.isFinite ? .number($0) : nil }
        }
    }
}

extension ClassifierFamily {
    /// The family called `name` (its name or a scikit-learn alias, in any case).
    static func named(_ name: String) -> ClassifierFamily? {
        let lowered = name.lowercased()
        return allCases.first { family in
            family.name.lowercased() == lowered || family.aliases.contains { $0.lowercased() == lowered }
        }
    }
}
