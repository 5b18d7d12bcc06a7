// Kiosk PINs: a learner may have a short PIN that a shared kiosk asks for
// before it opens their work. The server keeps only a salted PBKDF2 hash and
// gives it to the devices that serve the learner, so that a kiosk can check
// a PIN offline. A PIN of 4 to 8 digits cannot withstand guessing by someone
// who holds the hash: it keeps classmates out of each other's work, it is
// not a password. docs/protocol.md, "Learners, classes and roles".
#pragma once

#include <QString>

namespace kite::server {

// "pbkdf2-sha256$ITERATIONS$SALT$KEY": PBKDF2-HMAC-SHA256 over the PIN's
// UTF-8 bytes, SALT 16 random bytes and KEY 32 bytes, both base64url
// without padding.
inline constexpr int kPinIterations = 10000;

// 4 to 8 ASCII digits.
bool isPin(const QString& text);
// A new hash of `pin` with a fresh salt.
QString hashPin(const QString& pin);
// Whether `pin` is the PIN of `hash` (false for a hash not of this scheme).
bool pinMatches(const QString& pin, const QString& hash);

}  // namespace kite::server
