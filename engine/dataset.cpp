#include "kite/dataset.h"

namespace kite {

std::int32_t NameTable::intern(std::string_view name) {
    auto [it, inserted] = index_.try_emplace(std::string(name), size());
    if (inserted) names_.emplace_back(name);
    return it->second;
}

std::int32_t NameTable::find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? -1 : it->second;
}

}  // namespace kite
