// "Export diagnostics" (ui/kite/diagnostics.h), called as the Sync details
// page calls it, on the app put together (AppCore: a real store file whose
// sync state holds a token, a school server on loopback that is not
// answering, managed settings with a PIN hash, the log rotating in
// <profile>/logs): the zip holds the logs, the versions, the settings in
// force and the sync status, and none of the secrets.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <map>
#include <memory>

#include "../support/wait_for.h"
#include "kite/app_core.h"
#include "kite/log_categories.h"
#include "kite/log_file.h"
#include "kite/store.h"

namespace {

using namespace std::chrono_literals;

const QString kToken = QStringLiteral("tok-3f9a-SECRET-token");
const QString kPinHash = QStringLiteral("pbkdf2-sha256$1000$c2FsdA$SECRET-pin-hash");
const QString kEnrollment = QStringLiteral("ENROLL-SECRET-4417");

// The entries of a zip, by name; empty if it cannot be read.
std::map<QString, QByteArray> readZip(const QString& path) {
    std::map<QString, QByteArray> entries;
    archive* a = archive_read_new();
    archive_read_support_format_zip(a);
    if (archive_read_open_filename(a, QFile::encodeName(path).constData(), 16384) == ARCHIVE_OK) {
        archive_entry* entry = nullptr;
        while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
            QByteArray bytes;
            char buffer[8192];
            la_ssize_t n = 0;
            while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) bytes.append(buffer, n);
            entries[QString::fromUtf8(archive_entry_pathname_utf8(entry))] = bytes;
        }
    }
    archive_read_free(a);
    return entries;
}

class DiagnosticsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir_.isValid());
        profile_ = dir_.filePath(QStringLiteral("device"));
        ASSERT_TRUE(QDir().mkpath(profile_));
        {  // an enrolled device: its token in the store
            auto store = kite::store::Store::open(QDir(profile_).filePath(QStringLiteral("kite.db")));
            ASSERT_TRUE(store.ok()) << store.error().message;
            ASSERT_TRUE((*store)->setSyncState(QStringLiteral("token"), kToken).ok());
        }
        {
            QSettings managed(dir_.filePath(QStringLiteral("managed.conf")), QSettings::IniFormat);
            managed.setValue(QStringLiteral("theme"), QStringLiteral("dark"));
            managed.setValue(QStringLiteral("kiosk/teacher_pin_hash"), kPinHash);
            managed.setValue(QStringLiteral("colour"), QStringLiteral("blue"));  // unknown: a problem
            QSettings user(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat);
            user.setValue(QStringLiteral("enrollment_code"), kEnrollment);
            user.setValue(QStringLiteral("text_scale"), 1.5);
        }
        settings_ = std::make_unique<kite::ui::AppSettings>(
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("managed.conf")), QSettings::IniFormat),
            std::make_unique<QSettings>(dir_.filePath(QStringLiteral("user.conf")), QSettings::IniFormat));

        // Small files, so that the export has rotated ones too.
        log_ = std::make_unique<kite::ui::LogFile>(kite::ui::LogFile::folderFor(profile_),
                                                   kite::ui::LogFile::Limits{4000, 3});
        log_->install();
        for (int i = 0; i < 100; ++i) qCInfo(kite::ui::lcApp, "starting, line %d of the test's log", i);

        // A school server on loopback that does not answer: a port that was free.
        QTcpServer probe;
        ASSERT_TRUE(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        kite::ui::AppOptions options;
        options.profile = profile_;
        options.server = QStringLiteral("http://127.0.0.1:%1").arg(port);
        options.sync.backoff_first = 200ms;
        options.sync.backoff_most = 1s;
        core_ = std::make_unique<kite::ui::AppCore>(options, *settings_);
    }
    void TearDown() override {
        core_.reset();
        log_.reset();
    }

    kite::ui::Diagnostics& diagnostics() { return core_->diagnostics(); }
    // Exports to `target` as the page does, and waits for the result.
    std::pair<QString, QString> exportTo(const QString& target) {
        QSignalSpy done(&diagnostics(), &kite::ui::Diagnostics::exported);
        diagnostics().exportTo(QUrl::fromLocalFile(target));
        EXPECT_TRUE(diagnostics().busy());
        EXPECT_TRUE(kite::testing::waitFor([&] { return !done.isEmpty(); }, 20s));
        if (done.isEmpty()) return {};
        EXPECT_FALSE(diagnostics().busy());
        return {done.front()[0].toString(), done.front()[1].toString()};
    }

    int argc_ = 1;
    char name_[5] = "test";
    char* argv_[2] = {name_, nullptr};
    QCoreApplication app_{argc_, argv_};
    QTemporaryDir dir_;
    QString profile_;
    std::unique_ptr<kite::ui::AppSettings> settings_;
    std::unique_ptr<kite::ui::LogFile> log_;
    std::unique_ptr<kite::ui::AppCore> core_;
};

TEST_F(DiagnosticsTest, TheZipHoldsLogsVersionsSettingsAndSyncStatusAndNoSecret) {
    // The device tried the server and failed: the status says why.
    ASSERT_TRUE(kite::testing::waitFor([&] { return !core_->syncIndicator().error().isEmpty(); }, 20s));
    const QString lastError = core_->syncIndicator().error();
    const QString state = core_->syncIndicator().state();  // offline, or connecting again

    const QString out = dir_.filePath(QStringLiteral("Documents"));
    ASSERT_TRUE(QDir().mkpath(out));
    const auto [path, problem] = exportTo(out);  // a folder: a dated name in it
    ASSERT_TRUE(problem.isEmpty()) << problem.toStdString();
    EXPECT_EQ(QFileInfo(path).absolutePath(), out);
    EXPECT_TRUE(QFileInfo(path).fileName().startsWith(QStringLiteral("kite-diagnostics-")));
    EXPECT_FALSE(diagnostics().failed());
    EXPECT_EQ(diagnostics().result(), QStringLiteral("Diagnostics saved to %1").arg(QDir::toNativeSeparators(path)));

    const auto zip = readZip(path);
    ASSERT_FALSE(zip.empty()) << "not a readable zip: " << path.toStdString();
    for (const char* name : {"about.txt", "settings.txt", "sync.txt", "logs/kite.log", "logs/kite.log.1"})
        EXPECT_EQ(zip.count(QStringLiteral("kite-diagnostics/") + QLatin1String(name)), 1u) << name;
    auto text = [&](const char* name) {
        const auto it = zip.find(QStringLiteral("kite-diagnostics/") + QLatin1String(name));
        return it == zip.end() ? QString() : QString::fromUtf8(it->second);
    };

    EXPECT_TRUE(text("about.txt").contains(QStringLiteral("Kite version: ") + QStringLiteral(KITE_VERSION)))
        << text("about.txt").toStdString();
    EXPECT_TRUE(text("about.txt").contains(QStringLiteral("Qt: ") + QLatin1String(qVersion())));
    EXPECT_TRUE(text("about.txt").contains(QStringLiteral("OS: ")));

    const QString settings = text("settings.txt");
    EXPECT_TRUE(settings.contains(QStringLiteral("theme = \"dark\"  [managed]"))) << settings.toStdString();
    EXPECT_TRUE(settings.contains(QStringLiteral("text_scale = 1.5\n")));
    EXPECT_TRUE(settings.contains(QStringLiteral("kiosk/teacher_pin_hash = (set; not shown)  [managed]")));
    EXPECT_TRUE(settings.contains(QStringLiteral("enrollment_code = (set; not shown)\n")));
    EXPECT_TRUE(settings.contains(QStringLiteral("unknown setting 'colour'")));

    const QString sync = text("sync.txt");
    EXPECT_TRUE(sync.contains(QStringLiteral("state: ") + state + QLatin1Char('\n'))) << sync.toStdString();
    EXPECT_TRUE(sync.contains(QStringLiteral("last error: ") + lastError)) << sync.toStdString();
    EXPECT_TRUE(sync.contains(QStringLiteral("set aside (refused by the server, kept with the reason): 0")));

    // The logs up to the export: the test's own lines, and the sync problem.
    const QString logs = text("logs/kite.log.1") + text("logs/kite.log");
    EXPECT_TRUE(logs.contains(QStringLiteral("info kite.app: starting, line 99 of the test's log")));
    EXPECT_TRUE(logs.contains(QStringLiteral("warning kite.sync: offline - "))) << logs.toStdString();

    for (const auto& [name, bytes] : zip) {
        for (const QString& secret : {kToken, kPinHash, kEnrollment})
            EXPECT_FALSE(bytes.contains(secret.toUtf8())) << name.toStdString() << " holds " << secret.toStdString();
    }
}

TEST_F(DiagnosticsTest, AFileNameGetsZipAndAMissingFolderIsAClearMessage) {
    const auto [path, problem] = exportTo(dir_.filePath(QStringLiteral("for-it")));
    EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
    EXPECT_EQ(path, dir_.filePath(QStringLiteral("for-it.zip")));
    EXPECT_FALSE(readZip(path).empty());

    const QString nowhere = dir_.filePath(QStringLiteral("no/such/folder/d.zip"));
    const auto [none, why] = exportTo(nowhere);
    EXPECT_TRUE(none.isEmpty());
    EXPECT_TRUE(why.contains(QDir::toNativeSeparators(dir_.filePath(QStringLiteral("no/such/folder")))))
        << why.toStdString();
    EXPECT_TRUE(diagnostics().failed());
    EXPECT_TRUE(diagnostics().result().startsWith(QStringLiteral("Could not save the diagnostics: ")));
    EXPECT_FALSE(QFile::exists(nowhere));
}

}  // namespace
