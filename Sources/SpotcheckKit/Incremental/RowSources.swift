import ClassicML
import FeatureStore

extension CSVFloatReader: LabelledRowSource {
    /// The CSV file's path.
    public var name: String { path }
}

extension FeatureStoreRowSource: LabelledRowSource {}
