import Foundation
import Runtime
import XCTest

/// The TUI hands the loader's relocation tables back after start-up: they leave the resident set, and
/// what they held reads the same afterwards.
final class StartupPagesTests: XCTestCase {
    /// Pages of `[start, start + bytes)` this process has mapped (bit 63 of /proc/self/pagemap).
    func residentPages(_ start: UInt, _ bytes: Int) throws -> Int {
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let fd = open("/proc/self/pagemap", O_RDONLY)
        guard fd >= 0 else { throw XCTSkip("/proc/self/pagemap is not readable here") }
        defer { close(fd) }
        var entries = [UInt64](repeating: 0, count: bytes / Int(page))
        let want = entries.count * 8
        let got = entries.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(start / page * 8)) }
        XCTAssertEqual(got, want, "reading the page map")
        return entries.filter { $0 & (1 << 63) != 0 }.count
    }

    func testTheRelocationTablesLeaveTheResidentSetAndReadTheSameAfter() throws {
        #if os(Linux)
        let first = StartupPages.releaseRelocationTables()
        XCTAssertGreaterThan(first.objects, 3, "the test program, the Swift runtime, Foundation, libc: \(first)")
        XCTAssertGreaterThan(first.bytes, 256 * 1024, "\(first)")
        let (start, bytes) = first.largest
        XCTAssertGreaterThanOrEqual(bytes, 64 * 1024, "\(first)")
        guard let base = UnsafeRawPointer(bitPattern: start) else { return XCTFail("no table address") }

        // Read the whole table back in, keep a copy, release it again: it leaves the resident set and
        // reads the same bytes afterwards.
        let before = Data(bytes: base, count: bytes)
        let resident = try residentPages(start, bytes)
        XCTAssertEqual(resident, bytes / Int(sysconf(Int32(_SC_PAGESIZE))), "read back in, every page is resident")
        let again = StartupPages.releaseRelocationTables()
        XCTAssertEqual(again.largest.start, start, "the same table")
        let after = try residentPages(start, bytes)
        XCTAssertLessThan(after, resident / 2, "released: \(after) of \(resident) pages still resident")
        XCTAssertEqual(Data(bytes: base, count: bytes), before, "the released table reads the same")
        #else
        throw XCTSkip("Linux only")
        #endif
    }
}
