import ClassicML

/// The run's one train/test split, shared by every extractor: seeded, stratified, and grouped
/// when source photos are known, so the copies of one photo stay on one side. Rows are named by
/// their keys, so the split applies to any store that holds them.
public struct RunSplit: Codable, Sendable, Equatable {
    /// The keys of the training rows.
    public var trainKeys: [String]
    /// The keys of the test rows.
    public var testKeys: [String]
    /// The source-photo group of each key, when the split is grouped.
    public var groupOf: [String: Int]?
    /// The CSV the groups came from, when grouped.
    public var groupsFile: String?

    enum CodingKeys: String, CodingKey {
        case trainKeys = "train", testKeys = "test", groupOf = "group_of", groupsFile = "groups_file"
    }

    /// Splits `rows`.
    /// - Parameters:
    ///   - rows: the rows every store holds.
    ///   - groups: which images are copies of one photo, if known.
    ///   - testFraction: share of each class held out for testing.
    ///   - seed: the split's seed.
    ///   - observer: told how many source photos there are and which images the groups miss.
    /// - Throws: `ClassicMLError.tooFewSamples` when a class cannot be on both sides.
    public init(rows: [RunStores.Row], groups: SourceGroups?, testFraction: Double, seed: UInt64,
                observer: any SpotcheckObserver = SilentObserver()) throws {
        let labels = rows.map(\.label)
        guard let groups else {
            let split = try StratifiedSplit.trainTest(labels: labels, testFraction: testFraction, seed: seed)
            self.init(trainKeys: split.train.map { rows[$0].key }, testKeys: split.test.map { rows[$0].key })
            return
        }
        let (numbers, unlisted) = groups.groups(for: rows.map(\.key))
        if unlisted > 0 {
            observer.observe(.warning("\(unlisted) images are not listed in \(groups.file.path); each is its own group"))
        }
        observer.observe(.note("\(Set(numbers).count) source photos from \(groups.file.lastPathComponent); their copies stay on one side of every split"))
        let split = try StratifiedSplit.trainTest(labels: labels, groups: numbers, testFraction: testFraction, seed: seed)
        self.init(trainKeys: split.train.map { rows[$0].key }, testKeys: split.test.map { rows[$0].key },
                  groupOf: Dictionary(zip(rows.map(\.key), numbers), uniquingKeysWith: { first, _ in first }),
                  groupsFile: groups.file.path)
    }

    /// A split given key by key.
    /// - Parameters:
    ///   - trainKeys: the training rows' keys.
    ///   - testKeys: the test rows' keys.
    ///   - groupOf: the group of each key, when grouped.
    ///   - groupsFile: the CSV the groups came from.
    public init(trainKeys: [String], testKeys: [String], groupOf: [String: Int]? = nil, groupsFile: String? = nil) {
        self.trainKeys = trainKeys
        self.testKeys = testKeys
        self.groupOf = groupOf
        self.groupsFile = groupsFile
    }

    /// The number of source photos, when grouped.
    public var groupCount: Int? { groupOf.map { Set($0.values).count } }
}
