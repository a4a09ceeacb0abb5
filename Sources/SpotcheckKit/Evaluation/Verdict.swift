import ClassicML

/// What the grid found: every pair's scores, each extractor's best, and the overall winner with
/// its fitted model.
public struct Verdict: Sendable {
    /// Every extractor × classifier result, in extractor then grid order.
    public var results: [SpotcheckReport.PairResult]
    /// The best classifier of each extractor.
    public var bestPerExtractor: [SpotcheckReport.BestPair]
    /// The winner, with its test predictions.
    public var winner: SpotcheckReport.BestPair
    /// The winner's fitted classifier and scaler (nil only if it could not be kept).
    public var winnerModel: FittedModel?
}
