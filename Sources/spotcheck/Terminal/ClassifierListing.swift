import ArgumentParser
import ClassicML

/// `spotcheck run --list`'s classifier part: the grids, then every family with its name forms,
/// what it reproduces, and its parameters with their defaults and accepted values.
enum ClassifierListing {
    /// The lines of the listing.
    /// - Returns: one string per line.
    static func lines() -> [String] {
        var lines = ["Grids:       " + ClassifierGrid.allCases.map { "\($0.rawValue) (\($0.specs.count))" }.joined(separator: ", ")
                     + "; --classifiers picks any, as NAME, NAME-<value> or NAME:param=value,…"]
        lines.append("Classifiers (* input standardised first):")
        for family in ClassifierFamily.allCases {
            let usage = family.usage + (family.standardized ? " *" : "")
            lines.append("  " + usage.padding(toLength: 34, withPad: " ", startingAt: 0) + family.summary)
            if !family.parameters.isEmpty {
                lines.append(String(repeating: " ", count: 36)
                             + family.parameters.map { "\($0.name)=\($0.defaultValue) (\($0.kind.accepted))" }.joined(separator: ", "))
            }
        }
        return lines
    }
}

extension ClassifierGrid: ExpressibleByArgument {}
