//! Memory the allocator keeps after a large build, given back to the system.
//!
//! Building the matcher for a large base allocates and frees many small strings and vectors
//! between the ones it keeps; glibc's allocator keeps the freed pages resident for reuse (its
//! trim threshold grows with the largest block freed), so a process that built its matcher
//! held well over the matcher's own size (issue 13: about 60 MB against 31 MB for the same
//! matcher loaded from its file, at 10,000 entries). [`release_free_memory`] asks glibc to
//! return every free page, the only allocator this service is built with on Linux; elsewhere
//! it does nothing.

/// Returns the allocator's free pages to the system (`malloc_trim(0)` with glibc: the top of
/// the heap is released and free pages inside it are discarded). Changes no data; costs a walk
/// over the heap's free blocks, a few milliseconds after a large build.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and only rearranges the allocator's free memory;
    // glibc documents it as thread-safe (MT-Safe).
    unsafe {
        libc::malloc_trim(0);
    }
}
