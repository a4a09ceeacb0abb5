/// The binary linear learners that `OneVsRestLinearClassifier` combines, with river's
/// semantics (each as river's class of the same role, default settings).
public enum OnlineLearner: String, Codable, Sendable, CaseIterable {
    /// `linear_model.LogisticRegression`: SGD on the log loss.
    case logreg
    /// `linear_model.PAClassifier(mode=1)`: passive-aggressive PA-I (hinge, step capped at C).
    case pa
    /// `linear_model.Perceptron`: SGD with learning rate 1 on the hinge loss at threshold 0.
    case perceptron
    /// `LogisticRegression(loss=optim.losses.Hinge())`: SGD on the hinge loss at threshold 1.
    case sgdHinge = "sgd-hinge"

    /// river's default weight learning rate for this learner (PA has none; its step is adaptive).
    public var defaultLearningRate: Double { self == .perceptron ? 1 : 0.01 }

    /// river's default intercept learning rate for this learner.
    public var defaultInterceptLearningRate: Double { self == .perceptron ? 1 : 0.01 }
}
