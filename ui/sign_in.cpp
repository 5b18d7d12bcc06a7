#include "kite/sign_in.h"

#include <QCoreApplication>
#include <QEvent>

namespace kite::ui {

SignIn::SignIn(store::AsyncStore& store, QObject* parent) : QObject(parent), store_(store) {
    idle_.setSingleShot(true);
    connect(&idle_, &QTimer::timeout, this, [this] {
        if (kiosk_) leave(true);
    });
    if (QCoreApplication::instance()) QCoreApplication::instance()->installEventFilter(this);
}

SignIn::~SignIn() {
    if (QCoreApplication::instance()) QCoreApplication::instance()->removeEventFilter(this);
}

void SignIn::setKiosk(bool kiosk, int idleSeconds, std::chrono::milliseconds second) {
    kiosk_ = kiosk;
    idle_.setInterval(std::max(std::chrono::milliseconds(1), std::max(1, idleSeconds) * second));
    if (kiosk_ && signedIn())
        idle_.start();
    else
        idle_.stop();
    emit changed();
}

void SignIn::refresh() {
    store_.run<QList<store::Learner>>([](store::Store& s) { return s.learners(); }, this,
                                      [this](Result<QList<store::Learner>> read) {
                                          if (!read) {
                                              error_ = tr("The learners cannot be read: %1")
                                                           .arg(QString::fromStdString(read.error().message));
                                              emit changed();
                                              return;
                                          }
                                          learners_.clear();
                                          for (const store::Learner& l : *read)
                                              learners_.push_back(QVariantMap{{QStringLiteral("id"), static_cast<qint64>(l.id)},
                                                                              {QStringLiteral("name"), l.name},
                                                                              {QStringLiteral("colour"), l.colour},
                                                                              {QStringLiteral("hasPin"), l.has_pin}});
                                          // The school removed the learner who is signed in.
                                          if (signedIn() && entry(learner_id_).isEmpty()) return leave(false);
                                          emit changed();
                                      });
}

QVariantMap SignIn::entry(qint64 learner) const {
    for (const QVariant& v : learners_)
        if (v.toMap().value(QStringLiteral("id")).toLongLong() == learner) return v.toMap();
    return {};
}

void SignIn::signIn(qint64 learner, const QString& pin) {
    const QVariantMap known = entry(learner);
    if (known.isEmpty()) {
        error_ = tr("No such learner on this device.");
        emit changed();
        return;
    }
    if (!known.value(QStringLiteral("hasPin")).toBool()) return become(learner);
    checking_ = true;
    error_.clear();
    emit changed();
    store_.run<bool>([learner, pin](store::Store& s) { return s.checkPin(learner, pin); }, this,
                     [this, learner](Result<bool> right) {
                         checking_ = false;
                         if (!right) {
                             error_ = tr("The PIN cannot be checked: %1").arg(QString::fromStdString(right.error().message));
                         } else if (!*right) {
                             error_ = tr("That PIN is not right.");
                         } else {
                             return become(learner);
                         }
                         emit changed();
                     });
}

void SignIn::become(qint64 learner) {
    learner_id_ = learner;
    learner_name_ = entry(learner).value(QStringLiteral("name")).toString();
    error_.clear();
    if (kiosk_) idle_.start();
    emit changed();
    emit signedInAs(learner);
}

void SignIn::signOut() {
    leave(false);
}

void SignIn::leave(bool idle) {
    if (!signedIn()) return;
    learner_id_ = 0;
    learner_name_.clear();
    idle_.stop();
    emit changed();
    emit signedOut(idle);
}

void SignIn::noteActivity() {
    if (kiosk_ && signedIn()) idle_.start();
}

bool SignIn::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::KeyPress:
    case QEvent::TouchBegin:
    case QEvent::Wheel:
        noteActivity();
        emit activity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace kite::ui
