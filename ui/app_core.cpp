#include "kite/app_core.h"

#include <QDir>
#include <QSysInfo>
#include <QtQml>

#include "kite/course.h"
#include "kite/course_images.h"
#include "kite/log_file.h"

namespace kite::ui {

namespace {

struct Opened {
    QString server;  // the server this profile enrolled with; empty if none
    bool enrolled = false;  // holds a device token
    QString setup;   // the first run's choice: "offline", or empty
};

// On the store's thread: the sample course and a learner if the profile has
// none (the first run); then what the profile remembers of its server.
Result<Opened> firstRun(store::Store& store, const QString& sampleCourse) {
    auto courses = store.courses();
    if (!courses) return courses.error();
    if (courses->isEmpty() && !sampleCourse.isEmpty()) {
        const auto report = course::readCourseDir(sampleCourse);
        if (!report.ok()) return Error{"the bundled sample course cannot be read: " + sampleCourse.toStdString()};
        if (auto s = store.importCourse(*report.course); !s) return s.error();
    }
    auto learners = store.learners();
    if (!learners) return learners.error();
    if (learners->isEmpty()) {
        if (auto added = store.addLearner(QObject::tr("Student")); !added) return added.error();
    }
    auto server = store.syncState(QStringLiteral("server"));
    if (!server) return server.error();
    auto token = store.syncState(QStringLiteral("token"));
    if (!token) return token.error();
    auto setup = store.syncState(QStringLiteral("setup"));
    if (!setup) return setup.error();
    return Opened{*server, !token->isEmpty(), *setup};
}

}  // namespace

AppCore::AppCore(AppOptions options, AppSettings& settings, QObject* parent)
    : QObject(parent), options_(std::move(options)), settings_(settings) {
    store_ = std::make_unique<store::AsyncStore>(dbPath(), this, [this](Status opened, const QString& notice) {
        if (!opened) emit this->notice(QString::fromStdString(opened.error().message));
        if (!notice.isEmpty()) emit this->notice(notice);
    });
    practice_ = std::make_unique<PracticeModel>(*store_);
    library_ = std::make_unique<LibraryModel>(*store_);
    progress_ = std::make_unique<ProgressModel>(*store_);
    sign_in_ = std::make_unique<SignIn>(*store_);
    // Kiosk mode follows its settings (docs/app.md, "Kiosk mode").
    kiosk_ = std::make_unique<KioskGuard>(settings_);
    auto kioskSettings = [this] {
        sign_in_->setKiosk(settings_.kiosk(), settings_.kioskIdleSeconds(), options_.kiosk_second);
        kiosk_->setIdle(settings_.kioskIdleSeconds() * options_.kiosk_second);
    };
    kioskSettings();
    connect(&settings_, &AppSettings::changed, this, kioskSettings);
    connect(sign_in_.get(), &SignIn::signedOut, kiosk_.get(), &KioskGuard::lock);
    connect(sign_in_.get(), &SignIn::activity, kiosk_.get(), &KioskGuard::noteActivity);
    connect(sign_in_.get(), &SignIn::signedInAs, library_.get(), [this](qint64 learner) { library_->refresh(learner); });
    // Teacher mode and live polls (docs/app.md).
    teacher_ = std::make_unique<TeacherModel>(*store_, QString());  // its server: startSync
    polls_ = std::make_unique<PollModel>(*teacher_, *store_);
    poll_prompt_ = std::make_unique<PollPrompt>(*store_);
    connect(sign_in_.get(), &SignIn::signedInAs, poll_prompt_.get(), &PollPrompt::setLearner);
    connect(sign_in_.get(), &SignIn::signedOut, poll_prompt_.get(), [this] { poll_prompt_->setLearner(0); });

    indicator_.setLocalOnly(true);
    diagnostics_ = std::make_unique<Diagnostics>(settings_, indicator_, LogFile::folderFor(options_.profile));
    // A server from IT or the command line starts syncing at once; otherwise
    // the profile's own (an earlier enrollment), or the first-run page.
    if (!options_.server.isEmpty()) startSync(QUrl(options_.server), options_.enroll);
    connect(&setup_, &Setup::connectRequested, this, &AppCore::connectFirstRun);
    connect(&setup_, &Setup::offlineChosen, this, [this] {
        store_->run<bool>([](store::Store& s) -> Result<bool> {
            if (auto r = s.setSyncState(QStringLiteral("setup"), QStringLiteral("offline")); !r) return r.error();
            return true;
        }, this, [this](Result<bool> saved) {
            if (!saved) emit notice(QString::fromStdString(saved.error().message));
        });
    });

    // The first run, then the learners; a laptop with one learner signs
    // them in (a kiosk always shows the roster).
    store_->run<Opened>(
        [sample = options_.sample_course](store::Store& s) { return firstRun(s, sample); }, this,
        [this](Result<Opened> opened) {
            if (!opened) return emit notice(QString::fromStdString(opened.error().message));
            if (!sync_ && !opened->server.isEmpty()) startSync(QUrl(opened->server), {});
            // IT gave a server but no code: the first-run page asks for it.
            const bool needsCode = sync_ && !opened->enrolled && options_.enroll.isEmpty();
            if (needsCode) setup_.setServer(options_.server);
            // A kiosk is set up by IT: without a server it studies offline.
            setup_.setNeeded(needsCode || (!sync_ && opened->setup.isEmpty() && !settings_.kiosk()));
            connect(sign_in_.get(), &SignIn::changed, this, [this, done = false]() mutable {
                if (done || sign_in_->learners().isEmpty()) return;
                done = true;
                if (!settings_.kiosk() && sign_in_->learners().size() == 1)
                    sign_in_->signIn(sign_in_->learners().front().toMap().value(QStringLiteral("id")).toLongLong());
            });
            sign_in_->refresh();
        });
}

AppCore::~AppCore() {
    // An export under way finishes first.
    diagnostics_.reset();
    sync_.reset();  // its thread stops first; then the models, then the store (which finishes its jobs)
    kiosk_.reset();
    poll_prompt_.reset();
    polls_.reset();
    teacher_.reset();
    sign_in_.reset();
    progress_.reset();
    library_.reset();
    practice_.reset();
    store_.reset();
}

QString AppCore::dbPath() const { return QDir(options_.profile).filePath(QStringLiteral("kite.db")); }

void AppCore::startSync(const QUrl& server, const QString& enrollCode) {
    client::SyncOptions sync = options_.sync;
    sync.server = server;
    sync_ = std::make_unique<client::SyncClient>(dbPath(), sync);
    indicator_.setServer(server.toString());
    indicator_.setLocalOnly(false);
    client::SyncClient* c = sync_.get();
    connect(c, &client::SyncClient::statusChanged, &indicator_, &SyncIndicator::setStatus);
    connect(c, &client::SyncClient::statusChanged, library_.get(), &LibraryModel::setSyncStatus);
    connect(&indicator_, &SyncIndicator::retryRequested, c, &client::SyncClient::syncNow);
    connect(&indicator_, &SyncIndicator::pauseRequested, c, [this, c](bool paused) {
        if (!settings_.setValue(QStringLiteral("sync/paused"), paused)) return;  // locked by IT
        c->setPaused(paused);
    });
    connect(practice_.get(), &PracticeModel::answerRecorded, c, &client::SyncClient::syncNow);
    connect(c, &client::SyncClient::changesApplied, practice_.get(), &PracticeModel::reloadMastery);
    connect(c, &client::SyncClient::changesApplied, sign_in_.get(), &SignIn::refresh);  // the roster
    connect(c, &client::SyncClient::courseInstalled, library_.get(), [this] { library_->refresh(); });
    connect(c, &client::SyncClient::pollOpened, poll_prompt_.get(), &PollPrompt::pollOpened);
    connect(c, &client::SyncClient::pollClosed, poll_prompt_.get(), &PollPrompt::pollClosed);
    connect(c, &client::SyncClient::pollAnswered, poll_prompt_.get(), &PollPrompt::answered);
    connect(poll_prompt_.get(), &PollPrompt::answerRequested, c, &client::SyncClient::answerPoll);
    teacher_->setServer(server.toString());
    connect(&settings_, &AppSettings::changed, c, [this, c] { c->setAllowMetered(settings_.allowMetered()); });
    c->setPaused(settings_.syncPaused());
    c->setAllowMetered(settings_.allowMetered());
    c->start();
    // Enrolled once: with a code and no token yet.
    if (!enrollCode.isEmpty()) {
        store_->run<QString>([](store::Store& s) { return s.syncState(QStringLiteral("token")); }, c,
                             [c, enrollCode](Result<QString> token) {
                                 if (token && token->isEmpty()) c->enroll(enrollCode, QSysInfo::machineHostName());
                             });
    }
}

// The first-run page's "Connect": enroll with the code; a failure leaves
// the device as it was, to try again.
void AppCore::connectFirstRun(const QUrl& server, const QString& code) {
    if (sync_) sync_.release()->deleteLater();  // an earlier try's, or a server that changed
    startSync(server, {});
    client::SyncClient* c = sync_.get();
    connect(c, &client::SyncClient::enrolled, this, [this, c](bool ok, const QString& message) {
        if (!ok && sync_.get() == c) {
            sync_.release()->deleteLater();
            indicator_.setLocalOnly(true);
        }
        setup_.finishConnect(ok, message);
    });
    c->enroll(code, QSysInfo::machineHostName());
}

bool AppCore::firstPageReady() const {
    if (setup_.needed()) return true;
    if (sign_in_->signedIn()) return !library_->loading() && library_->rowCount() > 0;
    return !sign_in_->learners().isEmpty();
}

void AppCore::installImageProviders(QQmlEngine& engine) {
    engine.addImageProvider(QStringLiteral("course"), new CourseImages(*store_));
}

void AppCore::registerQmlSingletons() {
    qmlRegisterSingletonInstance("Kite", 1, 0, "Settings", &settings_);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Sync", &indicator_);
    qmlRegisterSingletonInstance("Kite", 1, 0, "SignIn", sign_in_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Library", library_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Practice", practice_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Progress", progress_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Setup", &setup_);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Teacher", teacher_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Polls", polls_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "PollPrompt", poll_prompt_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Kiosk", kiosk_.get());
    qmlRegisterSingletonInstance("Kite", 1, 0, "Diagnostics", diagnostics_.get());
}

}  // namespace kite::ui
