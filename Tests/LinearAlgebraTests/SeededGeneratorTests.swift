import XCTest
import LinearAlgebra

final class SeededGeneratorTests: XCTestCase {
    /// The first outputs for seed 0 equal the published xoshiro256** reference sequence when
    /// seeded from SplitMix64 (values from the reference C implementation).
    func testMatchesReferenceSequence() {
        var generator = SeededGenerator(seed: 0)
        let first = (0..<3).map { _ in generator.next() }
        XCTAssertEqual(first, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
    }

    func testSameSeedSameSequenceDifferentSeedDifferent() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        XCTAssertEqual(sa, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(sa, (0..<100).map { _ in c.next() })
    }
}
