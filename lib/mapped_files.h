// Inputs mapped with mmap fault with SIGBUS when another process truncates the file while perfkit
// reads it (read() would just see fewer bytes). A registry of mapped ranges lets one SIGBUS
// handler name the file and exit 3 with a clear error instead of dying from the signal.
#pragma once
#include <cstddef>
#include <string>

namespace perfkit {

// Installs the SIGBUS handler (once; later calls do nothing). Called by the first registration.
void install_mapped_file_guard();

// A mapped range [begin, begin + bytes) holding `path`. When the registry is full (64 files mapped
// at once) the range goes unguarded: the signal's default action.
void register_mapped_file(const void* begin, size_t bytes, const std::string& path);
// Forgets the range that starts at begin (before it is unmapped).
void unregister_mapped_file(const void* begin);

}  // namespace perfkit
