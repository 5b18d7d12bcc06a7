// PINs: a learner may have a short PIN that a shared kiosk asks for before it
// opens their work, and a kiosk has a teacher PIN that guards its settings
// and its exit (docs/deploy.md). Only salted PBKDF2 hashes are kept: the
// server gives a learner's to the devices that serve them, so that a kiosk
// can check a PIN offline; IT puts the teacher's in the managed settings
// (`kite --hash-pin` makes one). A PIN of 4 to 8 digits cannot withstand
// guessing by someone who holds the hash: it keeps classmates out of each
// other's work, it is not a password. docs/protocol.md, "Learners, classes
// and roles".
//
// Shared by the server and the device (kite_protocol): one format everywhere.
#pragma once

#include <QString>

namespace kite {

// "pbkdf2-sha256$ITERATIONS$SALT$KEY": PBKDF2-HMAC-SHA256 over the PIN's
// UTF-8 bytes, SALT 16 random bytes and KEY 32 bytes, both base64url
// without padding.
inline constexpr int kPinIterations = 10000;

// 4 to 8 ASCII digits.
bool isPin(const QString& text);
// A new hash of `pin` with a fresh salt. Costs kPinIterations rounds of
// HMAC (a few milliseconds): not on a GUI thread.
QString hashPin(const QString& pin);
// Whether `hash` is of this scheme and well formed (not whether any PIN
// matches it): for checking a configured hash before it is relied on.
bool isPinHash(const QString& hash);
// Whether `pin` is the PIN of `hash` (false for a hash not of this scheme).
// As dear as hashPin().
bool pinMatches(const QString& pin, const QString& hash);

}  // namespace kite
