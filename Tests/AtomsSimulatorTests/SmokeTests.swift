import XCTest
@testable import AtomsSimulator
import AtomsModels

final class SmokeTests: XCTestCase {
    func testStoreOpensInMemory() throws {
        let store = try SimulatorStore(options: SimulatorOptions(), clock: ManualClock())
        XCTAssertEqual(try store.listAgents().count, 0)
    }
}
