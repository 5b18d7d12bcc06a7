// The library on a real store: the installed sample course with its lessons,
// a lesson complete once the server's mastery of its skills arrives, a newer
// version or a new course offered by the school, a download's progress, and
// a course package imported from a file.
#include "kite/library_model.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

#include "store_fixture.h"

namespace {

using kite::ui::LibraryModel;

class LibraryModelTest : public kite::testing::StoreFixture {
protected:
    void SetUp() override {
        kite::testing::StoreFixture::SetUp();
        model_ = std::make_unique<LibraryModel>(*async_);
    }
    void TearDown() override {
        model_.reset();
        kite::testing::StoreFixture::TearDown();
    }
    void reload() {
        model_->refresh(learner_.id);
        ASSERT_TRUE(waitFor([&] { return !model_->loading(); }));
        ASSERT_TRUE(model_->error().isEmpty()) << model_->error().toStdString();
    }
    QVariant at(int row, LibraryModel::Role role) const { return model_->data(model_->index(row), role); }
    // The sample course as the package of `version`, titled `title`, in `file`.
    void pack(int version, const QString& title, const QString& file) {
        QMap<QString, QByteArray> files = course_.files;
        QJsonObject json = QJsonDocument::fromJson(files.value(QStringLiteral("course.json"))).object();
        json[QStringLiteral("version")] = version;
        json[QStringLiteral("title")] = title;
        files[QStringLiteral("course.json")] = QJsonDocument(json).toJson();
        const auto report = kite::course::readCourseFiles(files);
        ASSERT_TRUE(report.ok());
        ASSERT_TRUE(kite::course::writePack(*report.course, file).ok());
    }
    // Imports `file` and waits for the outcome: (ok, message).
    std::pair<bool, QString> import(const QString& file) {
        std::optional<std::pair<bool, QString>> outcome;
        QObject::connect(model_.get(), &LibraryModel::importFinished, [&](bool ok, const QString& message) {
            if (!model_->importing()) outcome = std::pair{ok, message};
        });
        model_->importPackage(QUrl::fromLocalFile(file));
        EXPECT_TRUE(waitFor([&] { return outcome.has_value(); }));
        model_->disconnect();
        EXPECT_TRUE(waitFor([&] { return !model_->loading(); }));
        return outcome.value_or(std::pair{false, QString()});
    }

    std::unique_ptr<LibraryModel> model_;
};

TEST_F(LibraryModelTest, TheInstalledCourseWithItsLessonsNoneCompleteYet) {
    reload();
    ASSERT_EQ(model_->rowCount(), 1);
    EXPECT_EQ(at(0, LibraryModel::CourseRole).toString(), QStringLiteral("fractions"));
    EXPECT_EQ(at(0, LibraryModel::TitleRole).toString(), course_.title);
    EXPECT_EQ(at(0, LibraryModel::StateRole).toString(), QStringLiteral("installed"));
    const QVariantList lessons = at(0, LibraryModel::LessonsRole).toList();
    ASSERT_EQ(lessons.size(), course_.lessons.size());
    EXPECT_EQ(lessons.front().toMap().value(QStringLiteral("title")).toString(), course_.lessons.front().title);
    for (const QVariant& l : lessons) EXPECT_FALSE(l.toMap().value(QStringLiteral("complete")).toBool());
    EXPECT_EQ(at(0, LibraryModel::SkillsRole).toInt(), course_.skills.size());
    EXPECT_EQ(at(0, LibraryModel::MasteredRole).toInt(), 0);
}

TEST_F(LibraryModelTest, ALessonIsCompleteOnceItsSkillsAreMastered) {
    const kite::course::Lesson& first = course_.lessons.front();
    kite::store::ServerChanges changes;
    for (const QString& skill : first.skills)
        changes.mastery.push_back({learner_.uid, QStringLiteral("fractions"), skill, QStringLiteral("bkt"), 0.99, 0, 1});
    serverSends(changes);
    reload();
    const QVariantList lessons = at(0, LibraryModel::LessonsRole).toList();
    EXPECT_TRUE(lessons.front().toMap().value(QStringLiteral("complete")).toBool());
    EXPECT_EQ(at(0, LibraryModel::MasteredRole).toInt(), first.skills.size());
}

TEST_F(LibraryModelTest, TheSchoolsOffersShowWithSizeAndADownloadWithProgress) {
    kite::store::ServerChanges changes;
    changes.courses.push_back({QStringLiteral("fractions"), course_.version + 1, QStringLiteral("ab"), 120'000});
    changes.courses.push_back({QStringLiteral("decimals"), 1, QStringLiteral("cd"), 80'000});
    serverSends(changes);
    reload();
    ASSERT_EQ(model_->rowCount(), 2);
    EXPECT_EQ(at(0, LibraryModel::StateRole).toString(), QStringLiteral("updateAvailable"));
    EXPECT_EQ(at(0, LibraryModel::SizeRole).toDouble(), 120'000);
    EXPECT_EQ(at(1, LibraryModel::CourseRole).toString(), QStringLiteral("decimals"));
    EXPECT_EQ(at(1, LibraryModel::StateRole).toString(), QStringLiteral("available"));

    kite::client::SyncStatus s;
    s.state = kite::client::SyncState::Syncing;
    s.downloading = QStringLiteral("decimals");
    s.download_progress = 0.25;
    model_->setSyncStatus(s);
    EXPECT_EQ(at(1, LibraryModel::StateRole).toString(), QStringLiteral("downloading"));
    EXPECT_DOUBLE_EQ(at(1, LibraryModel::ProgressRole).toDouble(), 0.25);
    s.downloading.clear();
    model_->setSyncStatus(s);
    EXPECT_EQ(at(1, LibraryModel::StateRole).toString(), QStringLiteral("available"));
}

TEST_F(LibraryModelTest, ACoursePackageFromAFileInstallsItsNewVersion) {
    const QString file = dir_.filePath(QStringLiteral("fractions-2.kitepack"));
    pack(course_.version + 1, QStringLiteral("Fractions, second edition"), file);

    const auto [ok, message] = import(file);
    EXPECT_TRUE(ok) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("Fractions, second edition"))) << message.toStdString();
    ASSERT_EQ(model_->rowCount(), 1);
    EXPECT_EQ(at(0, LibraryModel::VersionRole).toInt(), course_.version + 1);
    EXPECT_EQ(at(0, LibraryModel::TitleRole).toString(), QStringLiteral("Fractions, second edition"));
}

TEST_F(LibraryModelTest, ABrokenOrOlderPackageIsRefusedInWordsAndTheCourseStaysAsItWas) {
    const QString broken = dir_.filePath(QStringLiteral("broken.kitepack"));
    {
        QFile f(broken);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("this is not a course package");
    }
    auto [ok, message] = import(broken);
    EXPECT_FALSE(ok);
    EXPECT_TRUE(message.startsWith(QStringLiteral("broken.kitepack was not installed: "))) << message.toStdString();

    const QString newer = dir_.filePath(QStringLiteral("new.kitepack"));
    const QString older = dir_.filePath(QStringLiteral("old.kitepack"));
    pack(course_.version + 1, course_.title, newer);
    ASSERT_TRUE(kite::course::writePack(course_, older).ok());
    ASSERT_TRUE(import(newer).first);
    std::tie(ok, message) = import(older);
    EXPECT_FALSE(ok);
    EXPECT_TRUE(message.contains(QStringLiteral("older than the installed version"))) << message.toStdString();

    reload();
    ASSERT_EQ(model_->rowCount(), 1);
    EXPECT_EQ(at(0, LibraryModel::VersionRole).toInt(), course_.version + 1) << "the installed version stays";
}

}  // namespace
