// kite: the desktop app (docs/app.md). It opens a profile (installing the
// bundled sample course and a learner on first run), syncs with the school's
// server when one is set, and shows sign-in, the library, practice and
// progress with the sync indicator always in view.
//
//   kite [--profile DIR] [--server URL] [--enroll CODE]
//   kite --hash-pin        (a teacher PIN from stdin -> a line for kite.conf)
//
// The profile defaults to the platform's app-data folder; the log is in its
// logs/ folder (kite.log, rotated), and the language follows the settings.
#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QSysInfo>

#include <cstdio>

#include "hash_pin.h"
#include "kite/app_core.h"
#include "kite/log_categories.h"
#include "kite/log_file.h"
#include "kite/translations.h"
#include "sample_course.h"

int main(int argc, char** argv) {
    // Before any window: IT runs it on machines without a display.
    if (kite::app::hasWord(argc, argv, "--hash-pin")) return kite::app::hashPinCommand();
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
    cli.addOption({QStringLiteral("hash-pin"),
                   QStringLiteral("read a teacher PIN from stdin and print its line for kite.conf (docs/deploy.md)")});
    cli.addOption({QStringLiteral("grab"), QStringLiteral("save a picture of the first page once it shows, then quit"),
                   QStringLiteral("PNG")});
    cli.addOption({QStringLiteral("first-frame"),
                   QStringLiteral("print \"kite: first interactive frame\" once the first page is drawn with its content, "
                                  "then quit (the start-up benchmark)")});
    cli.process(app);

    const QString profile = cli.isSet(QStringLiteral("profile"))
                                ? cli.value(QStringLiteral("profile"))
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!QDir().mkpath(profile)) {
        std::fprintf(stderr, "kite: cannot create the profile folder %s\n", qPrintable(profile));
        return 1;
    }
    // From here every message goes to <profile>/logs/kite.log too (written
    // on the log's thread; what is queued is written when `log` goes).
    kite::ui::LogFile log(kite::ui::LogFile::folderFor(profile));
    log.install();
    qCInfo(kite::ui::lcApp).noquote() << QStringLiteral("Kite %1 with Qt %2 on %3; profile %4")
                                             .arg(QCoreApplication::applicationVersion(), QLatin1String(qVersion()),
                                                  QSysInfo::prettyProductName(), QDir::toNativeSeparators(profile));
    kite::ui::AppSettings settings;
    for (const QString& p : settings.problems()) qCWarning(kite::ui::lcSettings).noquote() << p;
    kite::ui::Translations translations(settings);  // before the first window, in its language
    kite::ui::AppOptions options;
    options.profile = profile;
    options.server = cli.isSet(QStringLiteral("server")) ? cli.value(QStringLiteral("server")) : settings.server();
    options.enroll = cli.isSet(QStringLiteral("enroll")) ? cli.value(QStringLiteral("enroll")) : settings.enrollmentCode();
    options.sample_course = kite::app::sampleCourse();
    kite::ui::AppCore core(options, settings);
    QObject::connect(&core, &kite::ui::AppCore::notice, &app,
                     [](const QString& message) { qCWarning(kite::ui::lcUi).noquote() << message; });
    core.registerQmlSingletons();
    QQmlApplicationEngine engine;
    core.installImageProviders(engine);
    translations.attach(engine);
    // The indicator's line is made in C++: it is made again in the new language.
    QObject::connect(&translations, &kite::ui::Translations::languageChanged, &core.syncIndicator(),
                     &kite::ui::SyncIndicator::changed);
    engine.addImportPath(QStringLiteral("qrc:/qml"));
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
    // --grab and --first-frame: when a frame has been drawn with the first
    // page's content (and no page transition under way).
    if (cli.isSet(QStringLiteral("grab")) || cli.isSet(QStringLiteral("first-frame"))) {
        auto* window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().front());
        if (!window) return 1;
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&, window] {
            QObject* stack = window->findChild<QObject*>(QStringLiteral("stack"));
            if (!core.firstPageReady() || !stack || stack->property("busy").toBool()) {
                window->update();  // until it is
                return;
            }
            if (cli.isSet(QStringLiteral("first-frame"))) {
                std::printf("kite: first interactive frame\n");
                std::fflush(stdout);
            }
            bool saved = true;
            if (cli.isSet(QStringLiteral("grab"))) {
                const QString file = cli.value(QStringLiteral("grab"));
                saved = window->grabWindow().save(file);
                if (!saved) qCCritical(kite::ui::lcApp).noquote() << "cannot save" << file;
            }
            QObject::disconnect(window, &QQuickWindow::frameSwapped, &app, nullptr);
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    const int status = QGuiApplication::exec();
    qCInfo(kite::ui::lcApp) << "stopping with status" << status;
    return status;
}
