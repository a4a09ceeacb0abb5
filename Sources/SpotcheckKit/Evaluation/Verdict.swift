import ClassicML

/// What the grid found: every pair's scores in ranking order, each extractor's best, the winner
/// with its fitted model, and how it was chosen (the pairs tied with it included).
public struct Verdict: Sendable {
    /// Every extractor × classifier result, best ranked first, failed pairs last.
    public var results: [SpotcheckReport.PairResult]
    /// The best pair of each extractor, in extractor order.
    public var bestPerExtractor: [SpotcheckReport.BestPair]
    /// The winner, with its test predictions.
    public var winner: SpotcheckReport.BestPair
    /// The winner's fitted classifier and scaler (nil only if it could not be kept).
    public var winnerModel: FittedModel?
    /// How the winner was chosen, and the pairs statistically tied with it.
    public var selection: SpotcheckReport.SelectionSummary

    /// The pairs the tie test cannot tell from the winner.
    public var tied: [SpotcheckReport.PairName] { selection.tied }
}

extension Verdict {
    /// Ranks the scored pairs, finds the pairs tied with the winner and assembles the verdict.
    /// - Throws: `SpotcheckError.nothingEvaluated` when every pair failed.
    init(scored: [GridEvaluation.Scored], bests: [(pair: SpotcheckReport.BestPair, best: GridEvaluation.Best)],
         winnerDetail: (GridEvaluation.Best) -> SpotcheckReport.BestPair?, plan: CrossValidationPlan) throws {
        guard let top = bests.min(by: { $0.best.key < $1.best.key }), let winner = winnerDetail(top.best) else {
            let reasons = Set(scored.compactMap(\.result.error)).sorted().prefix(3).joined(separator: "; ")
            throw SpotcheckError.nothingEvaluated(reasons.isEmpty ? "every classifier failed" : reasons)
        }
        let winnerScores = scored.first { $0.key == top.best.key }?.scores
        var ranked = scored.sorted { a, b in
            switch (a.key, b.key) {
            case let (a?, b?): return a < b
            case (_?, nil): return true
            default: return false
            }
        }
        var tied = [SpotcheckReport.PairName]()
        for index in ranked.indices where ranked[index].key != nil {
            ranked[index].result.rank = index + 1
            guard index > 0, let winnerScores else { continue }
            let p = Selection.pValue(best: winnerScores, other: ranked[index].scores, plan: plan)
            ranked[index].result.pValueVsBest = p
            ranked[index].result.tiedWithBest = p.map { $0 >= Selection.alpha }
            if p.map({ $0 >= Selection.alpha }) == true {
                tied.append(.init(extractor: ranked[index].result.extractor, classifier: ranked[index].result.classifier))
            }
        }
        results = ranked.map(\.result)
        bestPerExtractor = bests.map(\.pair)
        self.winner = winner
        winnerModel = top.best.outcome.fitted
        selection = SpotcheckReport.SelectionSummary(
            method: plan.description, folds: plan.folds, requestedFolds: plan.requestedFolds, repeats: plan.repeats,
            note: plan.note, tieBreak: Selection.tieBreak, tieTest: Selection.tieTest(crossValidated: plan.folds >= 2),
            alpha: Selection.alpha, tied: tied)
    }
}
