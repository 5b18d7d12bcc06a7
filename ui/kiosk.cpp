#include "kite/kiosk.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include "kite/pin_hash.h"

namespace kite::ui {

namespace {
const QString kPinKey = QStringLiteral("kiosk/teacher_pin_hash");
}

KioskGuard::KioskGuard(AppSettings& settings, QObject* parent) : QObject(parent), settings_(settings) {
    idle_.setSingleShot(true);
    setIdle(std::chrono::seconds(settings_.kioskIdleSeconds()));
    connect(&idle_, &QTimer::timeout, this, &KioskGuard::lock);
    connect(&settings_, &AppSettings::changed, this, &KioskGuard::changed);
}

KioskGuard::~KioskGuard() = default;

void KioskGuard::setIdle(std::chrono::milliseconds idle) {
    idle_.setInterval(std::max(idle, std::chrono::milliseconds(1)));
}

QString KioskGuard::pinHash() const {
    return settings_.value(kPinKey).toString().trimmed();
}

bool KioskGuard::guarded() const {
    return enabled() && isPinHash(pinHash());
}

QString KioskGuard::warning() const {
    if (!enabled() || guarded()) return {};
    if (pinHash().isEmpty())
        return tr("This kiosk has no teacher PIN: anyone can close Kite or change its settings. "
                  "Ask your school's IT to set one (kiosk/teacher_pin_hash).");
    return tr("This kiosk's teacher PIN setting (kiosk/teacher_pin_hash) is not a PIN hash made by "
              "'kite --hash-pin', so it is ignored: anyone can close Kite or change its settings.");
}

void KioskGuard::unlock(const QString& pin) {
    if (!locked()) {
        emit unlocked();
        return;
    }
    if (checking_) return;
    checking_ = true;
    error_.clear();
    emit changed();
    // Off the GUI thread; the continuation runs here, and not at all if the
    // guard is gone by then.
    QtConcurrent::run([pin, hash = pinHash()] { return pinMatches(pin, hash); })
        .then(this, [this](bool right) {
            checking_ = false;
            if (!right) {
                error_ = tr("That PIN is not right.");
                emit changed();
                return;
            }
            unlocked_ = true;
            idle_.start();
            emit changed();
            emit unlocked();
        });
}

void KioskGuard::lock() {
    idle_.stop();
    error_.clear();
    const bool was = unlocked_;
    unlocked_ = false;
    emit changed();
    if (was) emit relocked();
}

void KioskGuard::noteActivity() {
    if (unlocked_) idle_.start();
}

}  // namespace kite::ui
