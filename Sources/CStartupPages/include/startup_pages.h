#ifndef ATOMS_STARTUP_PAGES_H
#define ATOMS_STARTUP_PAGES_H

#include <stddef.h>

/// What `atoms_release_relocation_tables` released.
typedef struct {
    /// Bytes of relocation tables taken out of the process's resident set.
    size_t bytes;
    /// Loaded objects (the program and its libraries) whose table was released.
    int objects;
    /// Objects left alone because their table shares a writable segment or they relocate their text.
    int skipped;
    /// The largest table released: its first released page and the bytes released from there.
    size_t largest_start;
    size_t largest_bytes;
} atoms_released_pages;

/// Drops the pages of every loaded object's `DT_RELA` table from this process's resident set.
///
/// The dynamic loader reads these tables once, before `main`, to relocate each object, and never
/// again (lazy binding reads the separate `DT_JMPREL` table, which is left alone). They sit in
/// read-only, file-backed segments, so `MADV_DONTNEED` only unmaps clean copies of the file: a later
/// read would fault the same bytes back in from the page cache. Only whole pages inside the table are
/// released; a table in a writable segment, or in an object with text relocations, is skipped.
atoms_released_pages atoms_release_relocation_tables(void);

#endif
