#include "kite/dataset.h"

namespace kite {

std::int32_t NameTable::intern(std::string_view name) {
    if (auto it = index_.find(name); it != index_.end()) return it->second;
    const std::int32_t index = size();
    index_.emplace(std::string(name), index);
    names_.emplace_back(name);
    return index;
}

std::int32_t NameTable::find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
}

}  // namespace kite
