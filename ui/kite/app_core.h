// The app put together: the store on its thread, the view models, and the
// sync engine when there is a school server, wired to each other. The `kite`
// program and the UI test (tests/ui) build the same one.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QString>

#include <chrono>
#include <memory>

#include "kite/app_settings.h"
#include "kite/async_store.h"
#include "kite/kiosk.h"
#include "kite/diagnostics.h"
#include "kite/library_model.h"
#include "kite/poll_model.h"
#include "kite/poll_prompt.h"
#include "kite/practice_model.h"
#include "kite/progress_model.h"
#include "kite/setup.h"
#include "kite/sign_in.h"
#include "kite/sync_engine.h"
#include "kite/sync_indicator.h"
#include "kite/teacher_model.h"

namespace kite::ui {

struct AppOptions {
    QString profile;       // the device's data folder (kite.db in it)
    QString server;        // the school's kite-server; empty: this device only
    QString enroll;        // an enrollment code, used once (while the profile has no token)
    QString sample_course; // folder of the course installed on first run
    client::SyncOptions sync;  // .server is set from `server`
    // How long one of kiosk/idle_seconds lasts: a second, shorter in tests
    // (the setting's least, 15, is too long to wait for there).
    std::chrono::milliseconds kiosk_second{1000};
};

class AppCore : public QObject {
    Q_OBJECT
public:
    AppCore(AppOptions options, AppSettings& settings, QObject* parent = nullptr);
    ~AppCore() override;

    // The view models as QML singletons of the module "Kite 1.0":
    // Settings, Sync, SignIn, Library, Practice, Progress, Setup, Kiosk,
    // Diagnostics; Teacher, Polls, PollPrompt (teacher mode and live polls).
    void registerQmlSingletons();
    // image://course/... for the pictures of lessons and items (the engine owns it).
    void installImageProviders(QQmlEngine& engine);

    AppSettings& settings() { return settings_; }
    SyncIndicator& syncIndicator() { return indicator_; }
    SignIn& signIn() { return *sign_in_; }
    LibraryModel& library() { return *library_; }
    PracticeModel& practice() { return *practice_; }
    ProgressModel& progress() { return *progress_; }
    Setup& setup() { return setup_; }
    KioskGuard& kiosk() { return *kiosk_; }
    Diagnostics& diagnostics() { return *diagnostics_; }  // of <profile>/logs
    client::SyncClient* sync() { return sync_.get(); }  // null without a server
    // The first page has what it shows: the first-run page, the library
    // read, or the roster (`kite --grab`, the start-up benchmark).
    bool firstPageReady() const;
    TeacherModel& teacher() { return *teacher_; }
    PollModel& polls() { return *polls_; }
    PollPrompt& pollPrompt() { return *poll_prompt_; }

signals:
    // Something the user should know that has no page of its own (the store
    // could not be opened, a damaged file was set aside, ...).
    void notice(const QString& message);

private:
    QString dbPath() const;
    // Syncs with `server` from now on; enrolls with `enrollCode` if the
    // profile has no token yet.
    void startSync(const QUrl& server, const QString& enrollCode);
    void connectFirstRun(const QUrl& server, const QString& code);

    AppOptions options_;
    AppSettings& settings_;
    SyncIndicator indicator_;
    Setup setup_;
    std::unique_ptr<store::AsyncStore> store_;
    std::unique_ptr<PracticeModel> practice_;
    std::unique_ptr<LibraryModel> library_;
    std::unique_ptr<ProgressModel> progress_;
    std::unique_ptr<SignIn> sign_in_;
    std::unique_ptr<KioskGuard> kiosk_;
    std::unique_ptr<client::SyncClient> sync_;
    std::unique_ptr<TeacherModel> teacher_;
    std::unique_ptr<PollModel> polls_;
    std::unique_ptr<PollPrompt> poll_prompt_;
    std::unique_ptr<Diagnostics> diagnostics_;
};

}  // namespace kite::ui
