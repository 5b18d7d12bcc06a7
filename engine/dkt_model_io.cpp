#include "kite/dkt_model_io.h"

#include <array>
#include <cmath>
#include <cstring>

#include "file_io.h"

namespace kite::dkt {
namespace {

constexpr std::array<char, 8> kMagic = {'K', 'I', 'T', 'E', 'D', 'K', 'T', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMaxSkills = 1'000'000;
constexpr std::uint32_t kMaxHidden = 4096;

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFU;
    for (std::size_t i = 0; i < n; ++i) c = table[(c ^ data[i]) & 0xFFU] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

// Little-endian writer and bounds-checked reader (x86 and ARM are little-endian;
// the byte order is still spelled out so the format does not depend on it).
class Writer {
public:
    template <class T>
    void put(T value) {
        putBytes(&value, sizeof(T));
    }
    void putString(const std::string& s) {
        put(static_cast<std::uint32_t>(s.size()));
        putBytes(s.data(), s.size());
    }
    void putBytes(const void* data, std::size_t n) {
        const std::size_t at = out.size();
        out.resize(at + n);
        if (n > 0) std::memcpy(out.data() + at, data, n);
    }
    std::vector<std::uint8_t> out;
};

class Reader {
public:
    Reader(const std::vector<std::uint8_t>& bytes, std::size_t end) : bytes_(bytes), end_(end) {}
    template <class T>
    bool get(T& value) {
        if (end_ - pos_ < sizeof(T)) return false;
        std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return true;
    }
    bool getString(std::string& s) {
        std::uint32_t n = 0;
        if (!get(n) || end_ - pos_ < n) return false;
        s.assign(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
        pos_ += n;
        return true;
    }
    bool getFloats(float* data, std::size_t n) {
        if ((end_ - pos_) / sizeof(float) < n) return false;
        std::memcpy(data, bytes_.data() + pos_, n * sizeof(float));
        pos_ += n * sizeof(float);
        return true;
    }
    std::size_t position() const { return pos_; }

private:
    const std::vector<std::uint8_t>& bytes_;
    std::size_t end_;
    std::size_t pos_ = 0;
};

}  // namespace

std::vector<std::uint8_t> encodeModel(const TrainedModel& m, const ModelInfo& info) {
    Writer w;
    w.putBytes(kMagic.data(), kMagic.size());
    w.put(kVersion);
    w.put(static_cast<std::uint32_t>(m.weights.skills));
    w.put(static_cast<std::uint32_t>(m.weights.hidden));
    w.put(static_cast<std::int64_t>(m.answers));
    w.put(static_cast<std::int32_t>(m.epochs));
    w.put(static_cast<std::int32_t>(m.best_epoch));
    w.put(m.valid_auc);
    w.put(info.created);
    for (const std::string& name : m.skill_names) w.putString(name);
    m.weights.forEachBlock([&](std::string_view, const float* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) w.put(data[i]);
    });
    w.put(crc32(w.out.data(), w.out.size()));
    return std::move(w.out);
}

Result<TrainedModel> decodeModel(const std::vector<std::uint8_t>& bytes, const std::string& name, ModelInfo* info) {
    const std::size_t minimum = kMagic.size() + 4 + 4;
    if (bytes.size() < kMagic.size() || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        return Error{name + ": not a Kite DKT model (it does not start with KITEDKT)"};
    if (bytes.size() < minimum + 4) return Error{name + ": truncated: the header is incomplete"};
    std::uint32_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
    Reader r(bytes, bytes.size() - 4);
    std::array<char, 8> magic{};
    std::uint32_t version = 0, K = 0, H = 0;
    (void)r.get(magic);
    (void)r.get(version);
    if (version > kVersion)
        return Error{name + ": written by a newer Kite (model format " + std::to_string(version) +
                     "); this one reads up to " + std::to_string(kVersion)};
    if (version == 0) return Error{name + ": damaged: format version 0"};
    if (!r.get(K) || !r.get(H)) return Error{name + ": truncated: the header is incomplete"};
    if (K < 1 || K > kMaxSkills || H < 1 || H > kMaxHidden)
        return Error{name + ": damaged: impossible dimensions (" + std::to_string(K) + " skills, hidden size " +
                     std::to_string(H) + ")"};
    // Check the size before allocating anything of the stated dimensions.
    const std::uint64_t weights = (4ULL * H * 2 * K + 4ULL * H * H + 4ULL * H + 1ULL * K * H + K) * sizeof(float);
    if (bytes.size() < weights + minimum)
        return Error{name + ": truncated: " + std::to_string(bytes.size()) + " bytes, but a model of " +
                     std::to_string(K) + " skills and hidden size " + std::to_string(H) + " needs more than " +
                     std::to_string(weights)};
    if (crc32(bytes.data(), bytes.size() - 4) != stored)
        return Error{name + ": damaged: the checksum does not match (the file was cut short or changed)"};

    TrainedModel m;
    std::int64_t answers = 0, created = 0;
    std::int32_t epochs = 0, best = 0;
    if (!r.get(answers) || !r.get(epochs) || !r.get(best) || !r.get(m.valid_auc) || !r.get(created))
        return Error{name + ": truncated: the header is incomplete"};
    m.answers = answers;
    m.epochs = epochs;
    m.best_epoch = best;
    m.skill_names.resize(K);
    for (std::string& s : m.skill_names)
        if (!r.getString(s)) return Error{name + ": truncated: the skill names are incomplete"};
    m.weights = Weights<float>(static_cast<std::int32_t>(K), static_cast<std::int32_t>(H));
    bool complete = true;
    bool finite = true;
    m.weights.forEachBlock([&](std::string_view, float* data, std::size_t n) {
        complete = complete && r.getFloats(data, n);
        for (std::size_t i = 0; complete && i < n; ++i) finite = finite && std::isfinite(data[i]);
    });
    if (!complete) return Error{name + ": truncated: the weights are incomplete"};
    if (r.position() != bytes.size() - 4) return Error{name + ": damaged: unexpected bytes after the weights"};
    if (!finite) return Error{name + ": damaged: a weight is not a finite number"};
    if (info) info->created = created;
    return m;
}

Status saveModel(const std::string& path, const TrainedModel& model, const ModelInfo& info) {
    const std::vector<std::uint8_t> bytes = encodeModel(model, info);
    return kite::detail::writeFileAtomically(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

Result<TrainedModel> loadModel(const std::string& path, ModelInfo* info) {
    auto text = kite::detail::readFile(path);
    if (!text) return text.error();
    const std::vector<std::uint8_t> bytes(text->begin(), text->end());
    return decodeModel(bytes, path, info);
}

std::vector<std::uint8_t> encodeState(const State<float>& s) {
    Writer w;
    w.put(static_cast<std::uint32_t>(s.h.size()));
    for (Eigen::Index i = 0; i < s.h.size(); ++i) w.put(s.h(i));
    for (Eigen::Index i = 0; i < s.c.size(); ++i) w.put(s.c(i));
    w.put(crc32(w.out.data(), w.out.size()));
    return std::move(w.out);
}

Result<State<float>> decodeState(const std::vector<std::uint8_t>& bytes, std::int32_t hidden) {
    const std::size_t expected = 4 + 2 * static_cast<std::size_t>(hidden) * sizeof(float) + 4;
    if (bytes.size() != expected)
        return Error{"student state: expected " + std::to_string(expected) + " bytes for hidden size " +
                     std::to_string(hidden) + ", got " + std::to_string(bytes.size())};
    std::uint32_t stored = 0;
    std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
    if (crc32(bytes.data(), bytes.size() - 4) != stored) return Error{"student state: damaged (checksum mismatch)"};
    Reader r(bytes, bytes.size() - 4);
    std::uint32_t h = 0;
    (void)r.get(h);
    if (h != static_cast<std::uint32_t>(hidden))
        return Error{"student state: hidden size " + std::to_string(h) + ", the model has " + std::to_string(hidden)};
    State<float> s{Vector<float>(hidden), Vector<float>(hidden)};
    (void)r.getFloats(s.h.data(), static_cast<std::size_t>(hidden));
    (void)r.getFloats(s.c.data(), static_cast<std::size_t>(hidden));
    return s;
}

}  // namespace kite::dkt
