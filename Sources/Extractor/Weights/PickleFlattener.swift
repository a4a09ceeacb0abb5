/// Turns an unpickled object tree into named leaves (torch tensors or numpy arrays): dictionary keys
/// are joined with a separator, list items are named by index (or by Keras weight-list names).
struct PickleFlattener {
    /// The machine whose arenas the values refer to.
    let machine: PickleMachine
    /// Joins nested names (`.` for torch state dicts, `/` for Keras-style numpy pickles).
    let separator: String
    /// Names for the items of a list of `count` arrays (nil: use indices).
    let itemNames: (Int) -> [String]?

    private static let maximumDepth = 64
    private static let maximumNodes = 1_000_000

    /// The leaves under `root`, in pickle order. Scalars and strings (e.g. `epoch`) are skipped.
    /// - Throws: ``CheckpointFailure`` for cycles, runaway nesting or duplicate names.
    func leaves(of root: PickleValue) throws -> [(name: String, value: PickleValue)] {
        var result: [(name: String, value: PickleValue)] = []
        var seen = Set<String>()
        var visited = 0
        func walk(_ value: PickleValue, _ name: String, _ depth: Int) throws {
            visited += 1
            guard depth <= PickleFlattener.maximumDepth, visited <= PickleFlattener.maximumNodes else {
                throw CheckpointFailure.limitExceeded("the object tree is nested too deeply or shared too often")
            }
            func join(_ child: String) -> String { name.isEmpty ? child : name + separator + child }
            switch value {
            case .tensor, .ndarray:
                guard seen.insert(name).inserted else {
                    throw CheckpointFailure.malformed("two tensors are both named `\(name)`")
                }
                result.append((name, value))
            case .dict(let id):
                let dictionary = machine.dicts[id]
                for key in dictionary.keys {
                    guard let child = dictionary.values[key] else { continue }
                    try walk(child, join(key.text), depth + 1)
                }
            case .list, .tuple:
                let items: [PickleValue]
                if case .list(let id) = value { items = machine.lists[id] } else if case .tuple(let t) = value {
                    items = t
                } else { items = [] }
                let names = itemNames(items.count) ?? items.indices.map(String.init)
                for (item, itemName) in zip(items, names) { try walk(item, join(itemName), depth + 1) }
            default:
                break
            }
        }
        try walk(root, "", 0)
        return result
    }
}
