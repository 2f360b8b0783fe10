import AtomsFuzzTargets
import Foundation
import XCTest

/// Replays the fuzz corpus kept in the repo (`Tests/FuzzCorpus/TARGET`) and every crash input that
/// `scripts/fuzz.sh` ever found (`Tests/FuzzCorpus/regressions/TARGET`), then runs a bounded random
/// campaign — seeded byte mutations and splices of the corpus — for `ATOMS_FUZZ_SECONDS` (default 5)
/// per target. A crash ends the test process, failing the run.
final class FuzzRegressionTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static func inputs(_ dir: URL) -> [Data] {
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        return files.filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }.compactMap { try? Data(contentsOf: $0) }
    }

    func testCorpusAndRegressionsReplay() {
        for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
            let seeds = Self.inputs(Self.corpus.appendingPathComponent(name))
            XCTAssertFalse(seeds.isEmpty, "no corpus for \(name)")
            for input in seeds + Self.inputs(Self.corpus.appendingPathComponent("regressions/\(name)")) { target(input) }
        }
    }

    func testBoundedRandomCampaign() {
        let seconds = Double(ProcessInfo.processInfo.environment["ATOMS_FUZZ_SECONDS"] ?? "") ?? 5
        var report: [String] = []
        for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
            let seeds = Self.inputs(Self.corpus.appendingPathComponent(name))
            var rng = SplitMix(seed: 0xA70B5 ^ UInt64(name.utf8.count))
            let deadline = Date().addingTimeInterval(seconds)
            var runs = 0
            while Date() < deadline {
                target(Self.mutate(seeds[Int(rng.next() % UInt64(seeds.count))], seeds, &rng))
                runs += 1
            }
            report.append("\(name): \(runs) inputs in \(Int(seconds)) s")
        }
        print("FUZZ CAMPAIGN " + report.joined(separator: "; "))
    }

    /// One to eight random edits: flip a bit, set an interesting byte, insert or delete a run, splice
    /// in part of another seed, duplicate a slice.
    static func mutate(_ input: Data, _ seeds: [Data], _ rng: inout SplitMix) -> Data {
        var b = [UInt8](input)
        let interesting: [UInt8] = [0, 0x1B, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2D, 0x0A, 0x09, 0x26, 0x2A, 0x21, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            let pos = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count))
            switch rng.next() % 6 {
            case 0 where !b.isEmpty: b[pos] ^= UInt8(1 << (rng.next() % 8))
            case 1 where !b.isEmpty: b[pos] = interesting[Int(rng.next() % UInt64(interesting.count))]
            case 2: b.insert(contentsOf: (0..<(1 + rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: pos)
            case 3 where !b.isEmpty: b.removeSubrange(pos..<min(b.count, pos + 1 + Int(rng.next() % 16)))
            case 4:
                let other = [UInt8](seeds[Int(rng.next() % UInt64(seeds.count))])
                if !other.isEmpty {
                    let s = Int(rng.next() % UInt64(other.count))
                    b.insert(contentsOf: other[s..<min(other.count, s + 1 + Int(rng.next() % 64))], at: pos)
                }
            case 5 where !b.isEmpty:
                let end = min(b.count, pos + 1 + Int(rng.next() % 32))
                b.insert(contentsOf: b[pos..<end], at: pos)
            default: break
            }
        }
        return Data(b.prefix(8192))
    }
}

/// SplitMix64: a small seeded generator, so a campaign is reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
