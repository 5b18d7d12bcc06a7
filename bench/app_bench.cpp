// The desktop app's figures (docs/BENCHMARKS.md, "The desktop app"; issue 7,
// acceptance 3). Not a Google Benchmark: each mode measures one thing a user
// notices, on the real app, and prints it.
//
//   app_bench startup KITE [RUNS]
//       Starts the real `kite --first-frame` RUNS times (default 10) on a new
//       profile, then RUNS times on that same profile, and times from the
//       spawn to the line it prints once the first page has been drawn with
//       its content (the library, the roster, or the first-run page).
//   app_bench memory SERVER [ANSWERS]
//       The app in this process, as `kite` builds it (AppCore and the QML,
//       offscreen), enrolled with a fresh kite-server: ANSWERS (default 100)
//       answers given through the practice model, each drawn, all synced; then
//       the process's resident memory (VmRSS) and its peak (VmHWM).
//   app_bench stall SERVER SIM [ANSWERS]
//       A profile with ANSWERS (default 10,000) waiting, recorded offline by
//       kite-sim, opened by the app enrolled with a fresh kite-server. A 1 ms
//       timer on the GUI thread, with the window redrawn continuously, gives
//       the longest gap between ticks while the answers sync, and over as long
//       again with nothing to sync (the rendering alone).
//
// Without a display the app runs offscreen with Qt Quick's software renderer,
// as in the UI test.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../tests/support/child_process.h"
#include "../tests/support/run_program.h"
#include "../tests/support/school_server.h"
#include "kite/app_core.h"
#include "percentile.h"

namespace {

using namespace std::chrono_literals;
using kite::testing::ChildProcess;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "app_bench: %s\n", why.c_str());
    std::exit(1);
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Runs the event loop until `done` or `timeout`.
bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = 60s) {
    const auto deadline = Clock::now() + timeout;
    while (!done()) {
        if (Clock::now() > deadline) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

// "VmRSS" or "VmHWM" of this process, in MB.
double memoryMb(const char* field) {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field)) return line.mid(static_cast<int>(std::strlen(field)) + 1).trimmed().split(' ').front().toDouble() / 1024.0;
    }
    return -1;
}

// ------------------------------------------------------------------ startup

int startup(const std::string& kite, int runs) {
    QTemporaryDir dir;
    const std::string profile = dir.filePath(QStringLiteral("profile")).toStdString();
    std::vector<double> fresh, again;
    for (int i = 0; i < 2 * runs; ++i) {
        if (i < runs) QDir(QString::fromStdString(profile)).removeRecursively();
        QDir().mkpath(QString::fromStdString(profile));
        const auto start = Clock::now();
        ChildProcess app({kite, "--profile", profile, "--first-frame"});
        const auto line = app.readLine(30s);
        const double ms = msSince(start);
        if (!line || *line != "kite: first interactive frame") fail("kite did not report its first frame");
        if (app.wait() != 0) fail("kite did not exit cleanly after its first frame");
        (i < runs ? fresh : again).push_back(ms);
    }
    auto report = [](const char* what, std::vector<double> ms) {
        std::sort(ms.begin(), ms.end());
        std::printf("%-40s median %6.0f ms  max %6.0f ms  (%zu runs)\n", what, kite::bench::percentile(ms, 0.5),
                    ms.back(), ms.size());
    };
    report("first interactive frame, new profile", fresh);
    report("first interactive frame, same profile", again);
    return 0;
}

// ------------------------------------------------------ the app in-process

// A fresh kite-server with the sample course, on loopback.
class Server : public kite::testing::SchoolServer {
public:
    explicit Server(const std::string& binary)
        : SchoolServer(binary, KITE_SOURCE_DIR "/resources/courses/fractions", "Bench School") {
        if (!running()) fail(error());
    }
    QString code() const { return enrollmentCode(); }
};

// The app as `kite` builds it, on `profile`, enrolled with `server`.
class App {
public:
    App(const QString& profile, const Server& server) {
        settings_ = std::make_unique<kite::ui::AppSettings>(nullptr, nullptr);
        kite::ui::AppOptions options;
        options.profile = profile;
        options.server = server.url();
        options.enroll = server.code();
        options.sample_course = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
        QObject::connect(core_.get(), &kite::ui::AppCore::notice,
                         [](const QString& m) { std::fprintf(stderr, "app_bench: the app says: %s\n", qPrintable(m)); });
        core_->registerQmlSingletons();
        engine_ = std::make_unique<QQmlApplicationEngine>();
        core_->installImageProviders(*engine_);
        engine_->load(QUrl(QStringLiteral("qrc:/qml/Main.qml")));
        if (engine_->rootObjects().isEmpty()) fail("Main.qml did not load");
        window_ = qobject_cast<QQuickWindow*>(engine_->rootObjects().front());
        QObject::connect(window_, &QQuickWindow::frameSwapped, [this] { ++frames_; });
    }
    ~App() {
        engine_.reset();
        core_.reset();
    }
    kite::ui::AppCore& core() { return *core_; }
    QQuickWindow& window() { return *window_; }
    // Until one more frame has been drawn.
    bool nextFrame() {
        const int seen = frames_;
        window_->update();
        return waitUntil([&] { return frames_ > seen; }, 10s);
    }
    bool upToDate() {
        const auto& s = core_->syncIndicator();
        return s.state() == QLatin1String("upToDate") && s.status().waiting == 0;
    }

private:
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::AppCore> core_;
    std::unique_ptr<QQmlApplicationEngine> engine_;
    QQuickWindow* window_ = nullptr;
    int frames_ = 0;
};

int memory(const std::string& serverBinary, int answers) {
    Server server(serverBinary);
    QTemporaryDir dir;
    App app(dir.path(), server);
    kite::ui::AppCore& core = app.core();
    if (!waitUntil([&] { return core.signIn().signedIn() && core.firstPageReady(); })) fail("the library did not show");
    if (!waitUntil([&] { return app.upToDate(); })) fail("the first sync did not finish");
    const double before = memoryMb("VmRSS:");

    kite::ui::PracticeModel& practice = core.practice();
    practice.start(core.signIn().learnerId(), QStringLiteral("fractions"));
    int recorded = 0;
    QObject::connect(&practice, &kite::ui::PracticeModel::answerRecorded, [&] { ++recorded; });
    for (int n = 0; n < answers; ++n) {
        if (!waitUntil([&] { return practice.ready() && !practice.answered(); })) fail("no item to answer");
        app.nextFrame();
        const QString type = practice.itemType();
        if (type == QLatin1String("multiple_choice")) practice.answerChoice(n % std::max<qsizetype>(1, practice.choices().size()));
        else if (type == QLatin1String("multiple_select")) practice.answerChoices({0});
        else practice.answerText(QString::number(n % 4));
        if (!waitUntil([&] { return practice.answered(); })) fail("the answer was not taken");
        app.nextFrame();  // the feedback and the mastery bar, drawn
        practice.next();
    }
    if (!waitUntil([&] { return recorded == answers; })) fail("answers were not recorded");
    if (!waitUntil([&] { return app.upToDate(); })) fail("the answers did not sync");
    app.nextFrame();
    std::printf("resident memory before practice        %6.1f MB\n", before);
    std::printf("resident memory after %d answers       %6.1f MB  (peak %.1f MB)\n", answers, memoryMb("VmRSS:"),
                memoryMb("VmHWM:"));
    return 0;
}

// The longest gap between ticks of a 1 ms timer on the GUI thread while
// `until` is false (or for `atLeast`), with the window redrawn after every
// frame; and how many frames were drawn.
struct Stalls {
    double longest_ms = 0;
    double p99_ms = 0;
    int frames = 0;
    double seconds = 0;
};

Stalls watchGuiThread(App& app, const std::function<bool()>& until, std::chrono::milliseconds atLeast) {
    std::vector<double> gaps;
    gaps.reserve(200'000);
    int frames = 0;
    auto redraw = QObject::connect(&app.window(), &QQuickWindow::frameSwapped, [&] {
        ++frames;
        app.window().update();
    });
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    auto last = Clock::now();
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const auto now = Clock::now();
        gaps.push_back(std::chrono::duration<double, std::milli>(now - last).count());
        last = now;
    });
    const auto start = Clock::now();
    tick.start(1);
    app.window().update();
    waitUntil([&] { return until() && Clock::now() - start >= atLeast; }, 600s);
    tick.stop();
    QObject::disconnect(redraw);
    Stalls s;
    s.seconds = msSince(start) / 1000.0;
    s.frames = frames;
    std::sort(gaps.begin(), gaps.end());
    if (!gaps.empty()) {
        s.longest_ms = gaps.back();
        s.p99_ms = kite::bench::percentile(gaps, 0.99);
    }
    return s;
}

int stall(const std::string& serverBinary, const std::string& sim, int answers) {
    // The answers, recorded offline once per size (kite-sim: the study
    // session and store the app use), copied for each run.
    const QString cached = QDir::temp().filePath(QStringLiteral("kite-app-stall-%1").arg(answers));
    if (!QFile::exists(cached + QStringLiteral("/kite.db"))) {
        std::fprintf(stderr, "app_bench: recording %d answers offline into %s (once)\n", answers, qPrintable(cached));
        const auto run = kite::testing::runProgram(
            {sim, "run", "--profile", cached.toStdString(), "--learners", "30", "--answers", std::to_string(answers)},
            QDir::tempPath().toStdString(), "sim");
        if (run.exit != 0) fail("kite-sim run: " + run.err);
    }
    QTemporaryDir dir;
    for (const char* file : {"kite.db", "kite.db-wal"}) {
        const QString from = cached + QLatin1Char('/') + QLatin1String(file);
        if (QFile::exists(from) && !QFile::copy(from, dir.filePath(QLatin1String(file)))) fail("cannot copy the profile");
    }
    Server server(serverBinary);
    App app(dir.path(), server);
    kite::ui::AppCore& core = app.core();
    std::int64_t waitingMost = 0;  // what the indicator counted
    QObject::connect(&core.syncIndicator(), &kite::ui::SyncIndicator::changed,
                     [&] { waitingMost = std::max(waitingMost, core.syncIndicator().status().answers_waiting); });
    const auto start = Clock::now();
    const Stalls syncing = watchGuiThread(app, [&] { return app.upToDate(); }, 0ms);
    const double drained = msSince(start) / 1000.0;
    if (!app.upToDate()) fail("the answers did not sync within 10 minutes");
    const Stalls idle = watchGuiThread(
        app, [] { return true; }, std::chrono::milliseconds(static_cast<int>(syncing.seconds * 1000)));
    std::printf("%lld answers waiting (as the indicator counted), synced in %.1f s; the server holds %lld\n",
                static_cast<long long>(waitingMost), drained, static_cast<long long>(server.attempts()));
    std::printf("GUI thread while syncing:  longest stall %6.1f ms, p99 gap %5.1f ms, %d frames in %.1f s\n",
                syncing.longest_ms, syncing.p99_ms, syncing.frames, syncing.seconds);
    std::printf("GUI thread, nothing to do: longest stall %6.1f ms, p99 gap %5.1f ms, %d frames in %.1f s\n",
                idle.longest_ms, idle.p99_ms, idle.frames, idle.seconds);
    return 0;
}

int usage() {
    std::fprintf(stderr,
                 "usage: app_bench startup KITE [RUNS]\n"
                 "       app_bench memory KITE_SERVER [ANSWERS]\n"
                 "       app_bench stall KITE_SERVER KITE_SIM [ANSWERS]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        qputenv("QT_QUICK_BACKEND", "software");
    }
    const std::string mode = argv[1];
    if (mode == "startup") return startup(argv[2], argc > 3 ? std::atoi(argv[3]) : 10);
    QGuiApplication app(argc, argv);
    if (mode == "memory") return memory(argv[2], argc > 3 ? std::atoi(argv[3]) : 100);
    if (mode == "stall" && argc > 3) return stall(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 10'000);
    return usage();
}
