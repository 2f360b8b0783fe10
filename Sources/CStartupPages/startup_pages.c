#define _GNU_SOURCE
#include "startup_pages.h"

#if defined(__linux__)
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static int release_one(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    atoms_released_pages *out = data;
    const ElfW(Phdr) *dynamic = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) dynamic = &info->dlpi_phdr[i];
    }
    if (dynamic == NULL) return 0;

    uintptr_t table = 0;
    size_t tableSize = 0;
    int textRelocations = 0;
    for (const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + dynamic->p_vaddr); d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA) table = d->d_un.d_ptr;
        else if (d->d_tag == DT_RELASZ) tableSize = d->d_un.d_val;
        else if (d->d_tag == DT_TEXTREL) textRelocations = 1;
        else if (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_TEXTREL)) textRelocations = 1;
    }
    if (table == 0 || tableSize == 0) return 0;
    if (textRelocations) { out->skipped++; return 0; }
    // glibc rewrites the loaded dynamic section with absolute addresses; other loaders leave offsets.
    if (table < info->dlpi_addr) table += info->dlpi_addr;

    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (table + page - 1) & ~(page - 1);
    uintptr_t end = (table + tableSize) & ~(page - 1);
    if (end <= start) return 0;

    // The table must lie whole inside one read-only loaded segment, or it is left alone.
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD) continue;
        uintptr_t from = info->dlpi_addr + segment->p_vaddr, to = from + segment->p_filesz;
        if (start < from || end > to) continue;
        if (segment->p_flags & PF_W) { out->skipped++; return 0; }
        if (madvise((void *)start, end - start, MADV_DONTNEED) == 0) {
            out->bytes += end - start;
            out->objects++;
            if (end - start > out->largest_bytes) { out->largest_start = start; out->largest_bytes = end - start; }
        }
        return 0;
    }
    out->skipped++;
    return 0;
}

atoms_released_pages atoms_release_relocation_tables(void) {
    atoms_released_pages out = {0, 0, 0, 0, 0};
    dl_iterate_phdr(release_one, &out);
    return out;
}

#else

atoms_released_pages atoms_release_relocation_tables(void) {
    atoms_released_pages out = {0, 0, 0, 0, 0};
    return out;
}

#endif
