import ArgumentParser
import Foundation
import SpotcheckKit

/// `spotcheck merge`: every recipe's shards into one store, and the split.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join each recipe's shards into one feature store and fix the split.",
        discussion: """
        Refuses while any shard is missing, unfinished, short or of another plan. RUN/features/<store>.h5 \
        is an HDF5 virtual dataset over the shard files (which must stay beside it; h5py and h5dump read it \
        as one dataset), or with --copy one real file. Writes RUN/split.json, the split every fit uses.
        """)

    @OptionGroup var plan: PlanOptionGroup

    @Flag(name: .long, help: "Copy the rows into one real file per recipe instead of a virtual dataset (best above ~1,000 shards).")
    var copy = false

    func run() throws {
        let stores = try Advice.adding(for: .merge) {
            try plan.run().merge(copy: copy, observer: TerminalObserver())
        }
        for store in stores {
            print("\(store.extractor): \(store.rows) rows → \(store.file.path)\(store.isVirtual ? " (virtual)" : "")")
        }
    }
}
