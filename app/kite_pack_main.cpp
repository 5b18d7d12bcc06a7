// kite-pack: checks a course folder and builds its .kitepack
// (docs/formats.md, "Courses"). Parses the command line, calls
// sync/protocol, prints what it found.
//
// Exit codes, as for kite-kt and kite-sim: 0 success, 1 the package cannot
// be written, 2 the course has errors or the command line is wrong.

#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QStringList>
#include <cstdio>

#include "kite/course.h"

namespace {

using kite::course::CheckReport;
using kite::course::Course;
using kite::course::Problem;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;  // the course has errors, or a usage mistake

constexpr const char* kUsage = R"(kite-pack: check a course folder and build its .kitepack

Usage:
  kite-pack check DIR                    print every problem, one per line: FILE:LINE: message
  kite-pack check FILE.kitepack          verify a package as the app reads it
  kite-pack build DIR -o FILE.kitepack   check, then write the package (nothing when there are errors)
  kite-pack --help | --version

The course format is described in docs/formats.md. Exit codes: 0 ok (warnings
allowed), 1 cannot write the package, 2 the course has errors or a usage mistake.
)";

void printLine(std::FILE* stream, const QString& line) {
    std::fprintf(stream, "%s\n", line.toUtf8().constData());
}

int usageError(const QString& message) {
    printLine(stderr, QStringLiteral("kite-pack: %1").arg(message));
    printLine(stderr, QStringLiteral("Run 'kite-pack --help' for usage."));
    return kExitBadInput;
}

QString counted(qsizetype n, const char* singular, const char* plural) {
    return QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? singular : plural));
}

// "fractions v1: 8 skills, 7 lessons, 90 items, 3 images"
QString describe(const Course& course) {
    qsizetype images = 0;
    for (const QString& path : course.files.keys()) images += path.startsWith(QStringLiteral("images/")) ? 1 : 0;
    return QStringLiteral("%1 v%2: %3, %4, %5, %6")
        .arg(course.id)
        .arg(course.version)
        .arg(counted(course.skills.size(), "skill", "skills"), counted(course.lessons.size(), "lesson", "lessons"),
             counted(course.items.size(), "item", "items"), counted(images, "image", "images"));
}

// Where the paths in problems are relative to.
enum class Paths { RelativeToFolder, AsReported };

// Prints every problem on stderr, with paths under the folder as the user
// wrote it, so that they can be opened from the same shell; then a summary
// line. Returns whether the course is valid.
bool printReport(const QString& target, const CheckReport& report, Paths paths) {
    qsizetype warnings = 0;
    for (Problem problem : report.problems) {
        if (paths == Paths::RelativeToFolder && !problem.file.isEmpty())
            problem.file = QDir::cleanPath(target + u'/' + problem.file);
        printLine(stderr, problem.toString());
        warnings += problem.warning ? 1 : 0;
    }
    const QString warned =
        warnings > 0 ? QStringLiteral(" (%1)").arg(counted(warnings, "warning", "warnings")) : QString();
    if (report.ok()) {
        printLine(stdout, QStringLiteral("%1: OK%2").arg(describe(*report.course), warned));
        return true;
    }
    printLine(stderr, QStringLiteral("%1: %2%3: not a valid course")
                          .arg(target, counted(report.problems.size() - warnings, "error", "errors"), warned));
    return false;
}

// A folder is checked as authored; a file as a package, as the app reads it.
int check(const QString& target) {
    const bool isPackage = QFileInfo(target).isFile();
    const CheckReport report = isPackage ? kite::course::readPack(target) : kite::course::readCourseDir(target);
    const bool valid = printReport(target, report, isPackage ? Paths::AsReported : Paths::RelativeToFolder);
    return valid ? kExitOk : kExitBadInput;
}

int build(const QString& dir, const QString& out) {
    const CheckReport report = kite::course::readCourseDir(dir);
    if (!printReport(dir, report, Paths::RelativeToFolder)) return kExitBadInput;
    if (const kite::Status written = kite::course::writePack(*report.course, out); !written) {
        printLine(stderr, QStringLiteral("kite-pack: %1").arg(QString::fromStdString(written.error().message)));
        return kExitFailure;
    }
    printLine(stdout, QStringLiteral("wrote %1: %2 bytes, content sha256 %3")
                          .arg(out)
                          .arg(QFileInfo(out).size())
                          .arg(report.course->content_sha256));
    return kExitOk;
}

// `build DIR -o FILE`, with the option anywhere after the command.
int runBuild(QStringList args) {
    QString out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] != u"-o" && args[i] != u"--output") continue;
        if (i + 1 >= args.size()) return usageError(QStringLiteral("%1 needs a file name").arg(args[i]));
        out = args[i + 1];
        args.remove(i, 2);
        break;
    }
    if (out.isEmpty()) return usageError(QStringLiteral("build needs -o FILE.kitepack"));
    for (const QString& arg : args)
        if (arg.startsWith(u'-')) return usageError(QStringLiteral("unknown option %1").arg(arg));
    if (args.size() != 1) return usageError(QStringLiteral("build takes one course folder"));
    return build(args.first(), out);
}

int runCheck(const QStringList& args) {
    for (const QString& arg : args)
        if (arg.startsWith(u'-')) return usageError(QStringLiteral("unknown option %1").arg(arg));
    if (args.size() != 1) return usageError(QStringLiteral("check takes one course folder or package"));
    return check(args.first());
}

}  // namespace

int main(int argc, char** argv) {
    QStringList args;
    for (int i = 1; i < argc; ++i) args.append(QString::fromLocal8Bit(argv[i]));
    if (args.isEmpty()) return usageError(QStringLiteral("missing command (check or build)"));
    const QString command = args.takeFirst();
    if (command == u"--help" || command == u"-h") {
        std::fputs(kUsage, stdout);
        return kExitOk;
    }
    if (command == u"--version") {
        printLine(stdout, QStringLiteral("kite-pack %1").arg(QStringLiteral(KITE_VERSION)));
        return kExitOk;
    }
    if (command == u"check") return runCheck(args);
    if (command == u"build") return runBuild(args);
    return usageError(QStringLiteral("unknown command '%1'").arg(command));
}
