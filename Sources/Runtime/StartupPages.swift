import CStartupPages

/// Memory that only start-up needs, handed back once the TUI runs.
///
/// Before `main`, the dynamic loader reads each loaded object's relocation table (`DT_RELA`) to patch
/// its pointers, and never reads it again. The program's own table is 1.1 MiB (Swift metadata is full
/// of pointers, and the binary carries the simulator's HTTP server and database too); with Foundation,
/// ICU, libcurl's TLS libraries and the rest it is 4 MiB that would stay resident for the whole
/// session. The pages are clean copies of the files, in read-only segments: releasing them loses
/// nothing, and a later read would bring the same bytes back from the page cache.
public enum StartupPages {
    public struct Released: Equatable, Sendable {
        /// Bytes taken out of the resident set.
        public var bytes: Int
        /// Loaded objects whose table was released.
        public var objects: Int
        /// Objects left alone (a table in a writable segment, or text relocations).
        public var skipped: Int
        /// The largest table released: the address of its first released page, and its released bytes.
        public var largest: (start: UInt, bytes: Int)

        public static func == (a: Released, b: Released) -> Bool {
            a.bytes == b.bytes && a.objects == b.objects && a.skipped == b.skipped && a.largest == b.largest
        }
    }

    /// Releases every loaded object's relocation table; safe to call at any time, any number of times.
    @discardableResult
    public static func releaseRelocationTables() -> Released {
        let r = atoms_release_relocation_tables()
        return Released(bytes: Int(r.bytes), objects: Int(r.objects), skipped: Int(r.skipped),
                        largest: (UInt(r.largest_start), Int(r.largest_bytes)))
    }
}
