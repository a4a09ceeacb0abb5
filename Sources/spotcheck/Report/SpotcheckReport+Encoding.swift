import Foundation

extension SpotcheckReport {
    /// A coding key for the report's dynamic top-level keys (the feature-file paths).
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes the cookbook's top level (best_*, one object per feature file) beside the
    /// detailed sections.
    func encode(to encoder: Encoder) throws {
        var top = encoder.container(keyedBy: Key.self)
        try top.encode(best?.classifier, forKey: Key("best_model"))
        try top.encode(best?.accuracy, forKey: Key("best_accuracy"))
        try top.encode(best?.featureFile, forKey: Key("best_features"))
        for extraction in extractions {
            var perFile = top.nestedContainer(keyedBy: Key.self, forKey: Key(extraction.featureFile))
            try perFile.encode(extraction.extractor, forKey: Key("extractor"))
            for result in results where result.extractor == extraction.extractor {
                try perFile.encode(result.accuracy, forKey: Key(result.classifier))
            }
        }
        try top.encode(Self.formatVersion, forKey: Key("report_version"))
        try top.encode(toolVersion, forKey: Key("spotcheck_version"))
        try top.encode(ISO8601DateFormatter().string(from: createdAt), forKey: Key("created_at"))
        try top.encode(command, forKey: Key("command"))
        try top.encode(dataset, forKey: Key("dataset"))
        try top.encode(split, forKey: Key("split"))
        try top.encode(extractions, forKey: Key("extractions"))
        try top.encode(results, forKey: Key("results"))
        try top.encode(bestPerExtractor, forKey: Key("best_per_extractor"))
        try top.encode(best, forKey: Key("best"))
        try top.encode(modelFile, forKey: Key("model_file"))
        try top.encode(timings, forKey: Key("timings"))
        try top.encode(versions, forKey: Key("versions"))
    }

    /// The report as pretty-printed JSON with sorted keys; a missing top-level value is `null`.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
