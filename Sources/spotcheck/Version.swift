/// The tool's version, written into feature stores, models and reports.
enum SpotcheckVersion {
    static let current = "0.1.0"
}
