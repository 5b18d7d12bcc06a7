#include "kite/uuid.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <mutex>

namespace kite {

QString uuidV7(std::int64_t unixMillis, std::uint16_t counter12, std::uint64_t random62) {
    unsigned char b[16];
    const auto ms = static_cast<std::uint64_t>(unixMillis);
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70 | ((counter12 >> 8) & 0x0f));  // version 7
    b[7] = static_cast<unsigned char>(counter12 & 0xff);
    b[8] = static_cast<unsigned char>(0x80 | ((random62 >> 56) & 0x3f));  // variant 10
    for (int i = 9; i < 16; ++i) b[i] = static_cast<unsigned char>(random62 >> (8 * (15 - i)));
    static constexpr char kHex[] = "0123456789abcdef";
    QString out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += QLatin1Char('-');
        out += QLatin1Char(kHex[b[i] >> 4]);
        out += QLatin1Char(kHex[b[i] & 0x0f]);
    }
    return out;
}

QString newUuidV7() {
    static std::mutex mutex;
    static std::int64_t lastMs = 0;
    static std::uint16_t counter = 0;
    std::int64_t ms = QDateTime::currentMSecsSinceEpoch();
    std::uint16_t c = 0;
    {
        std::lock_guard lock(mutex);
        if (ms <= lastMs) {
            // Same millisecond (or the clock went back): count up; when the
            // 12-bit counter runs out, borrow the next millisecond.
            ms = lastMs;
            if (++counter > 0x0fff) {
                ++ms;
                counter = 0;
            }
        } else {
            counter = static_cast<std::uint16_t>(QRandomGenerator::system()->bounded(0x0400));
        }
        lastMs = ms;
        c = counter;
    }
    return uuidV7(ms, c, QRandomGenerator::system()->generate64());
}

}  // namespace kite
