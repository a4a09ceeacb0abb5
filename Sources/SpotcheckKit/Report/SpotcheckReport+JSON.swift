import Foundation

extension SpotcheckReport {
    /// A coding key for the report's top level, whose keys include the feature-file paths.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes the cookbook's top level (best_*, one object per feature file) beside the
    /// detailed sections.
    public func encode(to encoder: Encoder) throws {
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
        try top.encode(selection, forKey: Key("selection"))
        try top.encode(modelFile, forKey: Key("model_file"))
        try top.encode(timings, forKey: Key("timings"))
        try top.encode(versions, forKey: Key("versions"))
    }

    /// Reads a report written by ``encode(to:)``; the cookbook's per-file objects are derived
    /// from `results` and are not read back.
    /// - Throws: `DecodingError` when a section is missing or malformed, or the date is not ISO 8601.
    public init(from decoder: Decoder) throws {
        let top = try decoder.container(keyedBy: Key.self)
        let created = try top.decode(String.self, forKey: Key("created_at"))
        guard let date = ISO8601DateFormatter().date(from: created) else {
            throw DecodingError.dataCorruptedError(forKey: Key("created_at"), in: top,
                                                   debugDescription: "\(created) is not an ISO 8601 date")
        }
        createdAt = date
        toolVersion = try top.decode(String.self, forKey: Key("spotcheck_version"))
        command = try top.decode([String].self, forKey: Key("command"))
        dataset = try top.decode(DatasetSummary.self, forKey: Key("dataset"))
        split = try top.decode(Split.self, forKey: Key("split"))
        extractions = try top.decode([ExtractionRecord].self, forKey: Key("extractions"))
        results = try top.decode([PairResult].self, forKey: Key("results"))
        bestPerExtractor = try top.decode([BestPair].self, forKey: Key("best_per_extractor"))
        best = try top.decodeIfPresent(BestPair.self, forKey: Key("best"))
        selection = try top.decode(SelectionSummary.self, forKey: Key("selection"))
        modelFile = try top.decodeIfPresent(String.self, forKey: Key("model_file"))
        timings = try top.decode(Timings.self, forKey: Key("timings"))
        versions = try top.decode([String: String].self, forKey: Key("versions"))
    }

    /// The report as pretty-printed JSON with sorted keys; a missing top-level value is `null`.
    /// - Throws: `EncodingError` (not expected: every value is finite or null).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
