#include "file_io.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace kite::detail {

Result<std::string> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{path + ": cannot open the file for reading"};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return Error{path + ": read error"};
    return std::move(buffer).str();
}

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) return Error{path + ": cannot create the file (does its folder exist, and may you write there?)"};
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(temp.c_str());
            return Error{path + ": write failed (disk full?)"};
        }
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        std::remove(temp.c_str());
        return Error{path + ": cannot move the new file into place"};
    }
    return success();
}

}  // namespace kite::detail
