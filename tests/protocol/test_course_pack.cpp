// .kitepack packages (docs/formats.md, ".kitepack"): what goes in comes out,
// the same course always gives the same bytes, and a damaged or altered
// package is refused with a message that says so.

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <memory>

#include "tiny_course.h"

namespace kite::course::testing {
namespace {

struct Entry {
    QString path;
    QByteArray bytes;
};

// The entries of a tar (gzip-compressed or not), in archive order.
QList<Entry> entriesOf(const QByteArray& package) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_open_memory(a.get(), package.constData(), static_cast<size_t>(package.size()));
    QList<Entry> entries;
    archive_entry* entry = nullptr;
    while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
        Entry e{QString::fromUtf8(archive_entry_pathname(entry)), {}};
        char buffer[8192];
        for (la_ssize_t n; (n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0;) e.bytes.append(buffer, n);
        entries.append(e);
    }
    return entries;
}

enum class Compression { Gzip, None };

la_ssize_t append(archive*, void* out, const void* data, size_t n) {
    static_cast<QByteArray*>(out)->append(static_cast<const char*>(data), static_cast<qsizetype>(n));
    return static_cast<la_ssize_t>(n);
}

// A tar of `entries` as they are: for packages that kite-pack would never write.
QByteArray tarOf(const QList<Entry>& entries, Compression compression = Compression::Gzip) {
    QByteArray out;
    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    if (compression == Compression::Gzip) archive_write_add_filter_gzip(a.get());
    archive_write_open2(a.get(), &out, nullptr, append, nullptr, nullptr);
    for (const Entry& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.path.toUtf8().constData());
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, e.bytes.size());
        archive_write_header(a.get(), entry);
        archive_write_data(a.get(), e.bytes.constData(), static_cast<size_t>(e.bytes.size()));
        archive_entry_free(entry);
    }
    archive_write_close(a.get());
    return out;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool anyProblemSays(const CheckReport& report, const QString& part) {
    for (const Problem& p : report.problems)
        if (!p.warning && p.toString().contains(part)) return true;
    return false;
}

#define EXPECT_REFUSED(report, part)                                 \
    do {                                                             \
        EXPECT_FALSE((report).ok());                                 \
        EXPECT_TRUE(anyProblemSays((report), QStringLiteral(part)))  \
            << "expected a problem saying: " << (part) << "\ngot:\n" \
            << describe((report).problems);                          \
    } while (false)

class CoursePack : public ::testing::Test {
protected:
    void SetUp() override {
        const CheckReport report = readCourseFiles(tinyCourseFiles());
        ASSERT_TRUE(report.ok()) << describe(report.problems);
        course_ = *report.course;
        ASSERT_TRUE(writePack(course_, packPath()).ok());
        package_ = readAll(packPath());
        ASSERT_FALSE(package_.isEmpty());
    }

    QString packPath(const QString& name = "fractions.kitepack") const { return QDir(out_.path()).filePath(name); }

    // The package with `change` applied to its entries, repacked.
    template <class Change>
    QByteArray altered(Change change) const {
        QList<Entry> entries = entriesOf(package_);
        change(entries);
        return tarOf(entries);
    }

    static Entry* find(QList<Entry>& entries, const QString& path) {
        for (Entry& e : entries)
            if (e.path == path) return &e;
        ADD_FAILURE() << "no entry " << path.toStdString();
        return nullptr;
    }

    // Changes the manifest's JSON with `change`.
    template <class Change>
    static void editManifest(QList<Entry>& entries, Change change) {
        QJsonObject manifest = QJsonDocument::fromJson(entries[0].bytes).object();
        change(manifest);
        entries[0].bytes = QJsonDocument(manifest).toJson();
    }

    QTemporaryDir out_;
    Course course_;
    QByteArray package_;
};

TEST_F(CoursePack, ReadsBackTheSameCourse) {
    const CheckReport report = readPack(packPath());
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_TRUE(report.problems.isEmpty()) << describe(report.problems);
    const Course& read = *report.course;
    EXPECT_EQ(read.id, course_.id);
    EXPECT_EQ(read.title, course_.title);
    EXPECT_EQ(read.version, course_.version);
    EXPECT_EQ(read.files, course_.files);
    EXPECT_EQ(read.content_sha256, course_.content_sha256);
    ASSERT_EQ(read.items.size(), course_.items.size());
    for (qsizetype i = 0; i < read.items.size(); ++i) EXPECT_EQ(read.items[i].json, course_.items[i].json);
    ASSERT_EQ(read.lessons.size(), course_.lessons.size());
    EXPECT_EQ(read.lessons[0].markdown, course_.lessons[0].markdown);
}

TEST_F(CoursePack, SameCourseGivesTheSameBytes) {
    ASSERT_TRUE(writePack(course_, packPath("again.kitepack")).ok());
    EXPECT_EQ(readAll(packPath("again.kitepack")), package_);
    // Read from a folder whose files were written later: still the same bytes.
    const CourseFolder folder;
    const CheckReport fromFolder = folder.read();
    ASSERT_TRUE(fromFolder.ok()) << describe(fromFolder.problems);
    ASSERT_TRUE(writePack(*fromFolder.course, packPath("folder.kitepack")).ok());
    EXPECT_EQ(readAll(packPath("folder.kitepack")), package_);
    EXPECT_EQ(fromFolder.course->content_sha256, course_.content_sha256);
}

TEST_F(CoursePack, GzipHeaderHasNoTimeAndNoName) {
    ASSERT_GT(package_.size(), 10);
    EXPECT_EQ(static_cast<unsigned char>(package_[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(package_[1]), 0x8b);
    EXPECT_EQ(package_[3], 0) << "no file name or other optional fields";
    EXPECT_EQ(package_.mid(4, 4), QByteArray(4, '\0')) << "no modification time";
}

TEST_F(CoursePack, ManifestComesFirstAndListsEveryFile) {
    const QList<Entry> entries = entriesOf(package_);
    ASSERT_EQ(entries.size(), course_.files.size() + 1);
    EXPECT_EQ(entries[0].path, "kitepack.json");
    QStringList paths;
    for (qsizetype i = 1; i < entries.size(); ++i) paths.append(entries[i].path);
    EXPECT_EQ(paths, course_.files.keys());  // ASCII paths: byte order is QString order

    const QJsonObject manifest = QJsonDocument::fromJson(entries[0].bytes).object();
    EXPECT_EQ(manifest.value("format").toString(), "kitepack");
    EXPECT_EQ(manifest.value("format_version").toInt(), 1);
    EXPECT_EQ(manifest.value("course").toObject().value("id").toString(), "fractions");
    EXPECT_EQ(manifest.value("course").toObject().value("version").toInt(), 3);
    EXPECT_EQ(manifest.value("content_sha256").toString(), course_.content_sha256);
    const QJsonArray files = manifest.value("files").toArray();
    ASSERT_EQ(files.size(), course_.files.size());
    const QJsonObject first = files[0].toObject();
    EXPECT_EQ(first.value("path").toString(), "course.json");
    EXPECT_EQ(first.value("size").toInt(), course_.files.value("course.json").size());
    EXPECT_EQ(first.value("sha256").toString(),
              QCryptographicHash::hash(course_.files.value("course.json"), QCryptographicHash::Sha256).toHex());
}

TEST_F(CoursePack, ContentHashChangesWithTheContentOnly) {
    QMap<QString, QByteArray> files = tinyCourseFiles();
    files["images/pizza.svg"].append(' ');
    const CheckReport changed = readCourseFiles(files);
    ASSERT_TRUE(changed.ok()) << describe(changed.problems);
    EXPECT_NE(changed.course->content_sha256, course_.content_sha256);
    EXPECT_EQ(readCourseFiles(tinyCourseFiles()).course->content_sha256, course_.content_sha256);
}

TEST_F(CoursePack, WritingReplacesAnOldPackageAndLeavesNoTemporaryFile) {
    Course other = course_;
    other.files["images/pizza.svg"] = "<svg/>";
    ASSERT_TRUE(writePack(other, packPath()).ok());
    EXPECT_NE(readAll(packPath()), package_);
    EXPECT_EQ(QDir(out_.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"fractions.kitepack"});
}

TEST_F(CoursePack, WritingIntoAMissingFolderFailsWithAMessage) {
    const Status status = writePack(course_, packPath("no/such/folder/x.kitepack"));
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("cannot write the package"), std::string::npos) << status.error().message;
}

TEST_F(CoursePack, ChangedFileIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) {
        Entry* svg = find(entries, "images/pizza.svg");
        svg->bytes[5] = static_cast<char>(svg->bytes[5] ^ 1);
    });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"),
                   "x.kitepack/images/pizza.svg: SHA-256 does not match the manifest");
}

TEST_F(CoursePack, FileOfAnotherSizeIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) { find(entries, "course.json")->bytes.append(' '); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "x.kitepack/course.json: ");
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "but the manifest says");
}

TEST_F(CoursePack, TruncatedPackageIsRefused) {
    for (const qsizetype size : {package_.size() - 1, package_.size() / 2, qsizetype(20), qsizetype(5)}) {
        SCOPED_TRACE("truncated to " + std::to_string(size) + " bytes");
        EXPECT_REFUSED(readPackBytes(package_.left(size), "x.kitepack"), "x.kitepack: ");
    }
    EXPECT_REFUSED(readPackBytes(package_.left(package_.size() / 2), "x.kitepack"), "damaged");
}

TEST_F(CoursePack, NoChangedByteGetsAnAlteredCoursePast) {
    // Every byte of the package flipped in turn: the reader refuses the
    // package, or (a flip in gzip's header flags or trailer, which libarchive
    // does not check) reads exactly the course that was packed. It never crashes.
    int refused = 0;
    for (qsizetype at = 0; at < package_.size(); ++at) {
        QByteArray bytes = package_;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x55);
        const CheckReport report = readPackBytes(bytes, "x.kitepack");
        if (!report.ok()) {
            ++refused;
            EXPECT_FALSE(report.problems.isEmpty()) << "byte " << at;
        } else {
            EXPECT_EQ(report.course->files, course_.files) << "byte " << at;
        }
    }
    EXPECT_GT(refused, package_.size() - 16);
}

TEST_F(CoursePack, ExtraEntryIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) {
        entries.append(Entry{"images/extra.svg", "<svg/>"});
    });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"),
                   "x.kitepack/images/extra.svg: in the package, but not listed in its manifest");
}

TEST_F(CoursePack, MissingEntryIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) { entries.removeLast(); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "missing from the package, but listed in its manifest");
}

TEST_F(CoursePack, ContentHashMismatchIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) {
        editManifest(entries, [](QJsonObject& m) { m["content_sha256"] = QString(64, u'0'); });
    });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "x.kitepack/kitepack.json: content_sha256 does not match");
}

TEST_F(CoursePack, ManifestFileHashMismatchIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) {
        editManifest(entries, [](QJsonObject& m) {
            QJsonArray files = m["files"].toArray();
            QJsonObject first = files[0].toObject();
            first["sha256"] = QString(64, u'a');
            files[0] = first;
            m["files"] = files;
        });
    });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "course.json: SHA-256 does not match the manifest");
}

TEST_F(CoursePack, DotDotPathIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) { entries.append(Entry{"../evil.svg", "<svg/>"}); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "entry '../evil.svg': path with '.' or '..' is not allowed");
    const QByteArray absolute = altered([](QList<Entry>& entries) {
        entries.append(Entry{"/tmp/evil.svg", "<svg/>"});
    });
    EXPECT_FALSE(readPackBytes(absolute, "x.kitepack").ok());
}

TEST_F(CoursePack, ManifestMustBeTheFirstEntry) {
    const QByteArray bytes = altered([](QList<Entry>& entries) { entries.move(0, entries.size() - 1); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "the first entry must be kitepack.json, not 'course.json'");
    const QByteArray none = altered([](QList<Entry>& entries) { entries.removeFirst(); });
    EXPECT_REFUSED(readPackBytes(none, "x.kitepack"), "the first entry must be kitepack.json");
}

TEST_F(CoursePack, NewerManifestFormatIsRefused) {
    const QByteArray bytes =
        altered([](QList<Entry>& entries) { editManifest(entries, [](QJsonObject& m) { m["format_version"] = 2; }); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "format_version 2 is newer than this Kite reads");
}

TEST_F(CoursePack, ManifestThatMisdescribesTheCourseIsRefused) {
    const QByteArray bytes = altered([](QList<Entry>& entries) {
        editManifest(entries, [](QJsonObject& m) {
            QJsonObject course = m["course"].toObject();
            course["version"] = 4;
            m["course"] = course;
        });
    });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "the manifest describes course 'fractions' version 4");
}

TEST_F(CoursePack, UncompressedTarIsRefused) {
    EXPECT_REFUSED(readPackBytes(tarOf(entriesOf(package_), Compression::None), "x.kitepack"), "not gzip-compressed");
}

TEST_F(CoursePack, GarbageAndEmptyFilesAreRefused) {
    EXPECT_REFUSED(readPackBytes("", "x.kitepack"), "x.kitepack: the file is empty");
    EXPECT_REFUSED(readPackBytes("this is not a package at all", "x.kitepack"), "x.kitepack: ");
    EXPECT_REFUSED(readPack(packPath("missing.kitepack")), "cannot read the package");
}

TEST_F(CoursePack, InvalidCourseInsideAValidPackageIsReportedByPath) {
    QMap<QString, QByteArray> files = tinyCourseFiles();
    files["items/parts.json"].replace(R"("answer": 1,)", R"("answer": 9,)");
    Course broken = course_;
    broken.files = files;  // writePack packs what it is given; the reader checks
    ASSERT_TRUE(writePack(broken, packPath("broken.kitepack")).ok());
    const CheckReport report = readPack(packPath("broken.kitepack"));
    EXPECT_FALSE(report.ok());
    EXPECT_TRUE(hasError(report.problems, packPath("broken.kitepack") + "/items/parts.json", 8, "out of range"))
        << describe(report.problems);
}

TEST_F(CoursePack, FileLargerThanTheLimitIsRefusedWhileUnpacking) {
    const QByteArray bytes = altered(
        [](QList<Entry>& entries) { find(entries, "images/pizza.svg")->bytes = QByteArray((32 << 20) + 1, ' '); });
    EXPECT_REFUSED(readPackBytes(bytes, "x.kitepack"), "images/pizza.svg is larger than 32 MB");
}

TEST(SampleCourse, PacksAndReadsBack) {
    const QString dir = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
    if (!QFile::exists(dir + "/course.json")) GTEST_SKIP() << "no sample course at " << dir.toStdString();
    const CheckReport folder = readCourseDir(dir);
    ASSERT_TRUE(folder.ok()) << describe(folder.problems);
    QTemporaryDir out;
    const QString path = QDir(out.path()).filePath("fractions.kitepack");
    ASSERT_TRUE(writePack(*folder.course, path).ok());
    const CheckReport pack = readPack(path);
    ASSERT_TRUE(pack.ok()) << describe(pack.problems);
    EXPECT_EQ(pack.course->content_sha256, folder.course->content_sha256);
    EXPECT_EQ(pack.course->items.size(), folder.course->items.size());
}

}  // namespace
}  // namespace kite::course::testing
