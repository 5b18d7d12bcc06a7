// Whole-file reads and atomic writes, shared by the engine's file formats.
// Internal to the engine.
#pragma once

#include <string>
#include <string_view>

#include "kite/result.h"

namespace kite::detail {

// The file's bytes, or "PATH: cannot open the file for reading".
Result<std::string> readFile(const std::string& path);

// Writes beside `path` and renames into place, so a crash or a full disk
// never leaves a half-written file where a good one was.
Status writeFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace kite::detail
