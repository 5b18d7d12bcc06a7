#include "kite/app_core.h"

#include <QDir>
#include <QSysInfo>
#include <QtQml>

#include "kite/course.h"
#include "kite/course_images.h"
#include "kite/log_file.h"

namespace kite::ui {

namespace {

// On the store's thread: the sample course and a learner if the profile has
// none (the first run); the first learner.
Result<store::Learner> firstRun(store::Store& store, const QString& sampleCourse) {
    auto courses = store.courses();
    if (!courses) return courses.error();
    if (courses->isEmpty() && !sampleCourse.isEmpty()) {
        const auto report = course::readCourseDir(sampleCourse);
        if (!report.ok()) return Error{"the bundled sample course cannot be read: " + sampleCourse.toStdString()};
        if (auto s = store.importCourse(*report.course); !s) return s.error();
    }
    auto learners = store.learners();
    if (!learners) return learners.error();
    if (!learners->isEmpty()) return learners->front();
    return store.addLearner(QObject::tr("Student"));
}

}  // namespace

AppCore::AppCore(AppOptions options, AppSettings& settings, QObject* parent)
    : QObject(parent), options_(std::move(options)), settings_(settings) {
    const QString db = QDir(options_.profile).filePath(QStringLiteral("kite.db"));
    store_ = std::make_unique<store::AsyncStore>(db, this, [this](Status opened, const QString& notice) {
        if (!opened) emit this->notice(QString::fromStdString(opened.error().message));
        if (!notice.isEmpty()) emit this->notice(notice);
    });
    practice_ = std::make_unique<PracticeModel>(*store_);
    library_ = std::make_unique<LibraryModel>(*store_);
    progress_ = std::make_unique<ProgressModel>(*store_);
    sign_in_ = std::make_unique<SignIn>(*store_);
    sign_in_->setKiosk(settings_.kiosk(), settings_.kioskIdleSeconds());
    connect(sign_in_.get(), &SignIn::signedInAs, library_.get(), [this](qint64 learner) { library_->refresh(learner); });

    indicator_.setLocalOnly(options_.server.isEmpty());
    diagnostics_ = std::make_unique<Diagnostics>(settings_, indicator_, LogFile::folderFor(options_.profile));
    if (!options_.server.isEmpty()) {
        client::SyncOptions sync = options_.sync;
        sync.server = QUrl(options_.server);
        sync_ = std::make_unique<client::SyncClient>(db, sync);
        client::SyncClient* c = sync_.get();
        connect(c, &client::SyncClient::statusChanged, &indicator_, &SyncIndicator::setStatus);
        connect(c, &client::SyncClient::statusChanged, library_.get(), &LibraryModel::setSyncStatus);
        connect(&indicator_, &SyncIndicator::retryRequested, c, &client::SyncClient::syncNow);
        connect(&indicator_, &SyncIndicator::pauseRequested, this, [this, c](bool paused) {
            if (!settings_.setValue(QStringLiteral("sync/paused"), paused)) return;  // locked by IT
            c->setPaused(paused);
        });
        connect(practice_.get(), &PracticeModel::answerRecorded, c, &client::SyncClient::syncNow);
        connect(c, &client::SyncClient::changesApplied, practice_.get(), &PracticeModel::reloadMastery);
        connect(c, &client::SyncClient::changesApplied, sign_in_.get(), &SignIn::refresh);  // the roster
        connect(c, &client::SyncClient::courseInstalled, library_.get(), [this] { library_->refresh(); });
        connect(&settings_, &AppSettings::changed, c, [this, c] { c->setAllowMetered(settings_.allowMetered()); });
        c->setPaused(settings_.syncPaused());
        c->setAllowMetered(settings_.allowMetered());
        c->start();
        // Enrolled once: with a code and no token yet.
        if (!options_.enroll.isEmpty()) {
            store_->run<QString>([](store::Store& s) { return s.syncState(QStringLiteral("token")); }, c,
                                 [c, code = options_.enroll](Result<QString> token) {
                                     if (token && token->isEmpty()) c->enroll(code, QSysInfo::machineHostName());
                                 });
        }
    }

    // The first run, then the learners; a laptop with one learner signs
    // them in (a kiosk always shows the roster).
    store_->run<store::Learner>(
        [sample = options_.sample_course](store::Store& s) { return firstRun(s, sample); }, this,
        [this](Result<store::Learner> learner) {
            if (!learner) return emit notice(QString::fromStdString(learner.error().message));
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
    sign_in_.reset();
    progress_.reset();
    library_.reset();
    practice_.reset();
    store_.reset();
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
    qmlRegisterSingletonInstance("Kite", 1, 0, "Diagnostics", diagnostics_.get());
}

}  // namespace kite::ui
