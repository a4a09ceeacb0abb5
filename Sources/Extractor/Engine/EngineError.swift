/// What can go wrong when a network graph is assembled, compiled to oneDNN primitives or run.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The graph is inconsistent: shapes that do not fit, an output that was never set.
    case invalidGraph(String)
    /// oneDNN refused an operation; `status` is its status name (e.g. `out_of_memory`).
    case library(operation: String, status: String)

    /// A sentence saying what went wrong and what to do.
    public var description: String {
        switch self {
        case .invalidGraph(let what):
            return "the network graph is inconsistent: \(what)"
        case .library(let operation, let status) where status == "out_of_memory":
            return "oneDNN ran out of memory while it tried to \(operation); use smaller batches"
        case .library(let operation, let status):
            return "oneDNN could not \(operation) (status \(status)); check that libdnnl (Debian libdnnl-dev 2.6) is installed intact"
        }
    }
}
