// kite: the desktop app (docs/app.md). This first cut opens a profile,
// installs the bundled sample course and a learner on first run, syncs with
// the school's server when one is set, and shows practice with the sync
// indicator.
//
//   kite [--profile DIR] [--server URL] [--enroll CODE]
//
// The profile defaults to the platform's app-data folder.
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QTimer>
#include <QStandardPaths>
#include <QtQml>

#include <cstdio>

#include "kite/app_settings.h"
#include "kite/async_store.h"
#include "kite/course.h"
#include "kite/library_model.h"
#include "kite/practice_model.h"
#include "kite/progress_model.h"
#include "kite/sign_in.h"
#include "kite/sync_engine.h"
#include "kite/sync_indicator.h"

namespace {

// The bundled sample course: installed next to the program, else the one in
// the source tree.
QString sampleCourse() {
    const QString installed =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/kite/courses/fractions"));
    if (QFileInfo::exists(installed + QStringLiteral("/course.json"))) return QDir::cleanPath(installed);
    return QStringLiteral(KITE_SAMPLE_COURSE);
}

// On the store's thread: the sample course and a learner if the profile has
// none; the learner to study as.
kite::Result<kite::store::Learner> firstRun(kite::store::Store& store) {
    auto courses = store.courses();
    if (!courses) return courses.error();
    if (courses->isEmpty()) {
        const auto report = kite::course::readCourseDir(sampleCourse());
        if (!report.ok()) return kite::Error{"the bundled sample course cannot be read: " + sampleCourse().toStdString()};
        if (auto s = store.importCourse(*report.course); !s) return s.error();
    }
    auto learners = store.learners();
    if (!learners) return learners.error();
    if (!learners->isEmpty()) return learners->front();
    return store.addLearner(QObject::tr("Student"));
}

}  // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Kite"));
    QCoreApplication::setApplicationName(QStringLiteral("kite"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KITE_VERSION));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Kite: study, offline first"));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addOption({QStringLiteral("profile"), QStringLiteral("the device's data folder"), QStringLiteral("DIR")});
    cli.addOption({QStringLiteral("server"), QStringLiteral("the school's kite-server"), QStringLiteral("URL")});
    cli.addOption({QStringLiteral("enroll"), QStringLiteral("enroll with this code"), QStringLiteral("CODE")});
    cli.addOption({QStringLiteral("grab"), QStringLiteral("save a picture of the first page once it shows, then quit"),
                   QStringLiteral("PNG")});
    cli.process(app);

    kite::ui::AppSettings settings;
    for (const QString& p : settings.problems()) std::fprintf(stderr, "kite: %s\n", qPrintable(p));
    const QString profile = cli.isSet(QStringLiteral("profile"))
                                ? cli.value(QStringLiteral("profile"))
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!QDir().mkpath(profile)) {
        std::fprintf(stderr, "kite: cannot create the profile folder %s\n", qPrintable(profile));
        return 1;
    }
    const QString db = QDir(profile).filePath(QStringLiteral("kite.db"));

    kite::ui::SyncIndicator indicator;
    std::unique_ptr<kite::client::SyncClient> sync;
    const QString server = cli.isSet(QStringLiteral("server")) ? cli.value(QStringLiteral("server")) : settings.server();

    kite::store::AsyncStore store(db, &app, [&](kite::Status opened, const QString& notice) {
        if (!opened) std::fprintf(stderr, "kite: %s\n", opened.error().message.c_str());
        if (!notice.isEmpty()) std::fprintf(stderr, "kite: %s\n", qPrintable(notice));
    });
    kite::ui::PracticeModel practice(store);
    kite::ui::LibraryModel library(store);
    kite::ui::ProgressModel progress(store);
    kite::ui::SignIn signIn(store);
    signIn.setKiosk(settings.kiosk(), settings.kioskIdleSeconds());

    indicator.setLocalOnly(server.isEmpty());
    if (!server.isEmpty()) {
        kite::client::SyncOptions options;
        options.server = QUrl(server);
        sync = std::make_unique<kite::client::SyncClient>(db, options);
        QObject::connect(sync.get(), &kite::client::SyncClient::statusChanged, &indicator,
                         &kite::ui::SyncIndicator::setStatus);
        QObject::connect(&indicator, &kite::ui::SyncIndicator::retryRequested, sync.get(),
                         &kite::client::SyncClient::syncNow);
        QObject::connect(&practice, &kite::ui::PracticeModel::answerRecorded, sync.get(),
                         &kite::client::SyncClient::syncNow);
        QObject::connect(sync.get(), &kite::client::SyncClient::changesApplied, &practice,
                         &kite::ui::PracticeModel::reloadMastery);
        QObject::connect(sync.get(), &kite::client::SyncClient::statusChanged, &library,
                         &kite::ui::LibraryModel::setSyncStatus);
        QObject::connect(sync.get(), &kite::client::SyncClient::courseInstalled, &library,
                         [&library] { library.refresh(); });
        sync->setPaused(settings.syncPaused());
        sync->setAllowMetered(settings.allowMetered());
        sync->start();
        // Enrolled once: with a code and no token yet.
        const QString code =
            cli.isSet(QStringLiteral("enroll")) ? cli.value(QStringLiteral("enroll")) : settings.enrollmentCode();
        if (!code.isEmpty()) {
            store.run<QString>([](kite::store::Store& s) { return s.syncState(QStringLiteral("token")); }, sync.get(),
                               [client = sync.get(), code](kite::Result<QString> token) {
                                   if (token && token->isEmpty()) client->enroll(code, QSysInfo::machineHostName());
                               });
        }
    }

    // First run done, the learners are read; a laptop with one learner
    // signs them in (a kiosk always shows the roster).
    store.run<kite::store::Learner>(firstRun, &signIn, [&](kite::Result<kite::store::Learner> learner) {
        if (!learner) {
            std::fprintf(stderr, "kite: %s\n", learner.error().message.c_str());
            return;
        }
        signIn.refresh();
        QObject::connect(&signIn, &kite::ui::SignIn::changed, &signIn, [&signIn, &settings, done = false]() mutable {
            if (done || signIn.learners().isEmpty()) return;
            done = true;
            if (!settings.kiosk() && signIn.learners().size() == 1)
                signIn.signIn(signIn.learners().front().toMap().value(QStringLiteral("id")).toLongLong());
        });
    });

    qmlRegisterSingletonInstance("Kite", 1, 0, "Practice", &practice);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Library", &library);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Progress", &progress);
    qmlRegisterSingletonInstance("Kite", 1, 0, "SignIn", &signIn);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Sync", &indicator);
    qmlRegisterSingletonInstance("Kite", 1, 0, "Settings", &settings);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qml"));
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
    if (cli.isSet(QStringLiteral("grab"))) {
        auto* window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().front());
        auto* poll = new QTimer(&app);
        QObject::connect(poll, &QTimer::timeout, &app, [&, window, file = cli.value(QStringLiteral("grab"))] {
            // The first page with its content: the library read, or the roster.
            const bool shown = signIn.signedIn() ? (!library.loading() && library.rowCount() > 0)
                                                 : !signIn.learners().isEmpty();
            QObject* stack = window ? window->findChild<QObject*>(QStringLiteral("stack")) : nullptr;
            if (!window || !shown || !stack || stack->property("busy").toBool()) return;
            const bool saved = window->grabWindow().save(file);
            if (!saved) std::fprintf(stderr, "kite: cannot save %s\n", qPrintable(file));
            QCoreApplication::exit(saved ? 0 : 1);
        });
        poll->start(50);
    }
    return QGuiApplication::exec();
}
