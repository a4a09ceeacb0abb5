/// The tool's version, written into feature stores, models and reports.
public enum SpotcheckVersion {
    public static let current = "0.1.0"
}
