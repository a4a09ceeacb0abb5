import ArgumentParser
import Foundation
import SpotcheckKit

/// How `predict` writes its lines: TSV (the default; tab, newline, carriage return and backslash
/// inside a field escaped as `\t`, `\n`, `\r`, `\\`), CSV (RFC 4180 quoting) or JSON (one array
/// of objects, written as the images are labelled).
enum PredictionFormat: String, ExpressibleByArgument, CaseIterable {
    case tsv, csv, json

    /// What goes before the first record.
    var opening: String? {
        switch self {
        case .tsv: return nil
        case .csv: return "path,class,probability"
        case .json: return "["
        }
    }

    /// What goes after the last record.
    var closing: String? { self == .json ? "]" : nil }

    /// One image's record; `first` says whether it is the first record (JSON separators).
    func record(_ prediction: ImageModel.Prediction, first: Bool) -> String {
        let probability = prediction.probability.map { String(format: "%.4f", $0) }
        switch self {
        case .tsv:
            return ([prediction.file.path, prediction.className] + (probability.map { [$0] } ?? []))
                .map(Self.tsvField).joined(separator: "\t")
        case .csv:
            return [prediction.file.path, prediction.className, probability ?? ""].map(Self.csvField).joined(separator: ",")
        case .json:
            var object = ["path": prediction.file.path, "class": prediction.className]
            object["probability"] = probability
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return (first ? "  " : ", ") + text
        }
    }

    private static func tsvField(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    private static func csvField(_ text: String) -> String {
        text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
