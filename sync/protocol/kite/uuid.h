// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids
// sort by creation time and never need coordination between devices.
#pragma once

#include <QString>

#include <cstdint>

namespace kite {

// "0190f5c2-7b1e-7c3a-9f1d-2b4e6a8c0d12". Ids made by one process are
// strictly increasing, even within one millisecond (the 12 bits after the
// version count up, RFC 9562 method 1).
QString newUuidV7();

// The same from a given time and random bits, for tests.
QString uuidV7(std::int64_t unixMillis, std::uint16_t counter12, std::uint64_t random62);

}  // namespace kite
