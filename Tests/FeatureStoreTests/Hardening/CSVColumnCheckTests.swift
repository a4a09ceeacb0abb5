import FeatureStore
import Foundation
import SpotcheckTestSupport
import XCTest

/// A test CSV whose feature columns differ from the training file's is found from the headers
/// alone, before any row is read.
final class CSVColumnCheckTests: XCTestCase {
    func testDifferentFeatureColumnsAreFoundFromTheHeaders() throws {
        let folder = try scratchDirectory(self)
        func csv(_ name: String, _ text: String) throws -> CSVFloatReader {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return try CSVFloatReader(path: url.path)
        }
        let train = try csv("train.csv", "class,feature_0,feature_1\n0,1,2\n")
        XCTAssertNoThrow(try csv("same.csv", "feature_0,feature_1,class\n1,2,0\n").requireSameFeatures(as: train))
        let renamed = try csv("renamed.csv", "class,feature_0,feature_9\n0,1,2\n")
        XCTAssertThrowsError(try renamed.requireSameFeatures(as: train)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("feature column 2 is 'feature_9', in \(train.path) 'feature_1'"), text)
            XCTAssertEqual(renamed.rowsRead, 0, "no row was read")
        }
        let wider = try csv("wider.csv", "class,feature_0,feature_1,feature_2\n0,1,2,3\n")
        XCTAssertThrowsError(try wider.requireSameFeatures(as: train)) { error in
            XCTAssertTrue("\(error)".contains("3 feature columns, \(train.path) has 2"), "\(error)")
        }
    }

    func testRowErrorsNameNoCommandLineFlags() throws {
        let url = try scratchDirectory(self).appendingPathComponent("bad.csv")
        try Data("class,f\n0,nan\n".utf8).write(to: url)
        let reader = try CSVFloatReader(path: url.path)
        var row: [Float] = []
        XCTAssertThrowsError(try reader.readRow(into: &row)) { error in
            XCTAssertTrue("\(error)".contains("is NaN or infinite"), "\(error)")
            XCTAssertFalse("\(error)".contains("--"), "\(error)")
        }
    }
}
