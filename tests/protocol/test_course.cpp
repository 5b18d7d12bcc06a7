// Reading and checking course folders (docs/formats.md, "Courses"): what an
// author sees from `kite-pack check`, and what the app gets from a course.

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

#include "tiny_course.h"

namespace kite::course::testing {
namespace {

#define EXPECT_ERROR_AT(report, file, line, part)                                                \
    EXPECT_TRUE(hasError((report).problems, QStringLiteral(file), (line), QStringLiteral(part))) \
        << "expected " << (file) << ":" << (line) << ": ..." << (part) << "...\ngot:\n"          \
        << describe((report).problems)

QByteArray sha256Hex(const QByteArray& bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

TEST(CourseRead, TinyCourseReadsWithEveryField) {
    const CourseFolder folder;
    const CheckReport report = folder.read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_TRUE(report.problems.isEmpty()) << describe(report.problems);
    const Course& course = *report.course;

    EXPECT_EQ(course.id, "fractions");
    EXPECT_EQ(course.title, "Fractions");
    EXPECT_EQ(course.version, 3);
    EXPECT_EQ(course.language, "en");
    EXPECT_EQ(course.description, "Parts of a whole and equivalence.");
    ASSERT_EQ(course.skills.size(), 3);
    EXPECT_EQ(course.skills[1].id, "equivalent");
    EXPECT_EQ(course.skills[1].name, "Equivalent fractions");
    EXPECT_EQ(course.skills[1].prerequisites, QStringList{"parts"});

    ASSERT_EQ(course.lessons.size(), 2);
    EXPECT_EQ(course.lessons[0].id, "parts");
    EXPECT_EQ(course.lessons[0].path, "lessons/01-parts.md");
    EXPECT_TRUE(course.lessons[0].markdown.startsWith("# Parts of a whole\n"))
        << course.lessons[0].markdown.toStdString();
    EXPECT_EQ(course.lessons[1].id, "equivalent");  // the comment after the id is not part of it
    EXPECT_EQ(course.lessons[1].title, "Equivalent fractions: the same amount");
    EXPECT_EQ(course.lessons[1].skills, (QStringList{"equivalent", "compare"}));
    EXPECT_EQ(course.lessons[1].order, 2);

    // Items by file name (equivalent.json before parts.json), then file order.
    ASSERT_EQ(course.items.size(), 4);
    const Item& select = course.items[0];
    EXPECT_EQ(select.id, "e-1");
    EXPECT_EQ(select.type, ItemType::MultipleSelect);
    EXPECT_EQ(select.answers, (QList<int>{0, 1}));  // ascending, whatever the authored order
    const Item& text = course.items[1];
    EXPECT_EQ(text.type, ItemType::ShortText);
    EXPECT_EQ(text.accepted, (QStringList{"1/2", "one half"}));
    EXPECT_FALSE(text.case_sensitive);
    const Item& choice = course.items[2];
    EXPECT_EQ(choice.id, "p-1");
    EXPECT_EQ(choice.skills, QStringList{"parts"});
    EXPECT_EQ(choice.choices, (QStringList{"1/2", "1/4", "3/4"}));
    EXPECT_EQ(choice.answer, 1);
    EXPECT_EQ(choice.hints, QStringList{"Count the slices."});
    EXPECT_EQ(choice.explanation, "One of four equal slices.");
    const Item& numeric = course.items[3];
    EXPECT_EQ(numeric.type, ItemType::Numeric);
    EXPECT_DOUBLE_EQ(numeric.value, 0.75);
    EXPECT_DOUBLE_EQ(numeric.tolerance, 0.001);

    EXPECT_EQ(course.files.keys(),
              (QStringList{"course.json", "images/pizza.svg", "items/equivalent.json", "items/parts.json",
                           "lessons/01-parts.md", "lessons/02-equivalent.md"}));
}

TEST(CourseRead, ContentHashFollowsTheSpec) {
    // SHA-256 of "SHA256  PATH\n" lines in path order.
    QByteArray lines;
    const QMap<QString, QByteArray> files = tinyCourseFiles();
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        lines += sha256Hex(it.value()) + "  " + it.key().toUtf8() + "\n";
    const CheckReport report = CourseFolder().read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_EQ(report.course->content_sha256, QString::fromLatin1(sha256Hex(lines)));
}

TEST(CourseRead, FilesInMemoryReadLikeTheFolder) {
    const CheckReport fromFolder = CourseFolder().read();
    const CheckReport fromFiles = readCourseFiles(tinyCourseFiles());
    ASSERT_TRUE(fromFolder.ok() && fromFiles.ok()) << describe(fromFiles.problems);
    EXPECT_EQ(fromFiles.course->files, fromFolder.course->files);
    EXPECT_EQ(fromFiles.course->content_sha256, fromFolder.course->content_sha256);
}

TEST(CourseRead, LessonsComeInTheirOrderNotTheirFileOrder) {
    const CourseFolder folder;
    folder.edit("lessons/01-parts.md", "order: 1", "order: 10");
    const CheckReport report = folder.read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_EQ(report.course->lessons[0].id, "equivalent");
    EXPECT_EQ(report.course->lessons[1].id, "parts");
}

TEST(CourseRead, ItemJsonIsTheAuthoredObjectAndParsesBack) {
    const CheckReport report = CourseFolder().read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    for (const Item& item : report.course->items) {
        EXPECT_FALSE(item.json.contains('\n')) << "compact: " << item.json.toStdString();
        EXPECT_EQ(QJsonDocument::fromJson(item.json).object().value("id").toString(), item.id);
        const Result<Item> parsed = parseItem(item.json);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message;
        EXPECT_EQ(parsed->id, item.id);
        EXPECT_EQ(parsed->type, item.type);
        EXPECT_EQ(parsed->skills, item.skills);
        EXPECT_EQ(parsed->choices, item.choices);
        EXPECT_EQ(parsed->answer, item.answer);
        EXPECT_EQ(parsed->answers, item.answers);
        EXPECT_EQ(parsed->accepted, item.accepted);
        EXPECT_EQ(parsed->json, item.json);
    }
}

TEST(ParseItem, ReadsANumericItemWithUnits) {
    const Result<Item> item = parseItem(R"({"id": "n-1", "type": "numeric", "skills": ["length"],
        "prompt": "How long?", "answer": 2.5, "unit": "cm", "unit_aliases": ["centimetres", "centimeters"]})");
    ASSERT_TRUE(item.ok()) << item.error().message;
    EXPECT_DOUBLE_EQ(item->value, 2.5);
    EXPECT_DOUBLE_EQ(item->tolerance, 0.0);
    EXPECT_EQ(item->unit, "cm");
    EXPECT_EQ(item->unit_aliases, (QStringList{"centimetres", "centimeters"}));
}

TEST(ParseItem, RejectsAnInvalidItemSayingWhy) {
    const Result<Item> noAnswer =
        parseItem(R"({"id": "q", "type": "multiple_choice", "skills": ["s"], "prompt": "?", "choices": ["a", "b"]})");
    ASSERT_FALSE(noAnswer.ok());
    EXPECT_NE(noAnswer.error().message.find("multiple_choice item 'q' has no 'answer'"), std::string::npos)
        << noAnswer.error().message;
    EXPECT_FALSE(parseItem("[1, 2]").ok());
    EXPECT_FALSE(parseItem("{\"id\": ").ok());
    EXPECT_FALSE(parseItem("").ok());
}

// --- errors, each at its file and line

TEST(CourseCheck, JsonSyntaxErrorPointsAtItsLine) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("answer": 1,)", R"("answer": 1)");  // missing comma
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "items/parts.json", 9, "JSON syntax error");
}

TEST(CourseCheck, UnknownKeyIsAnErrorWithASuggestion) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("hints": [)", R"("hint": [)");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "items/parts.json", 9, "unknown key 'hint' (did you mean 'hints'?)");
}

TEST(CourseCheck, KeyOfAnotherItemTypeSaysWhichTypeHasIt) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("tolerance": 0.001)", R"("tolerance": 0.001, "accepted": ["3/4"])");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/parts.json", 18, "'accepted' belongs to short_text items");
}

TEST(CourseCheck, MissingAnswerPointsAtTheItem) {
    const CourseFolder folder;
    folder.edit("items/parts.json", "\n    \"answer\": 1,", "");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "items/parts.json", 2, "multiple_choice item 'p-1' has no 'answer'");
}

TEST(CourseCheck, AnswerOutOfRangeNamesTheChoices) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("answer": 1,)", R"("answer": 3,)");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/parts.json", 8, "answer 3 is out of range: the 3 choices are numbered 0 to 2");
}

TEST(CourseCheck, WrongValueTypeSaysWhatWasExpected) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("answer": 1,)", R"("answer": "1/4",)");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/parts.json", 8, "'answer' must be a whole number of at least 0, not a string");
}

TEST(CourseCheck, ChoicesMustBeTwoToEightAndDistinct) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"(["1/2", "1/4", "3/4"])", R"(["1/2", "1/4", " 1/2"])");
    folder.edit("items/equivalent.json", R"(["2/4", "3/6", "2/3"])", R"(["2/4"])");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/parts.json", 7, "choices[2] repeats choices[0]");
    EXPECT_ERROR_AT(report, "items/equivalent.json", 7, "has 1 choices: give 2 to 8");
}

TEST(CourseCheck, MultipleSelectAnswersMustBeDistinctChoices) {
    const CourseFolder folder;
    folder.edit("items/equivalent.json", R"("answers": [1, 0])", R"("answers": [
      1,
      1,
      5
    ])");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/equivalent.json", 10, "answers[1] repeats choice 1");
    EXPECT_ERROR_AT(report, "items/equivalent.json", 11, "answers[2] must be the index of a choice, 0 to 2");
}

TEST(CourseCheck, EmptyAnswerListsAreErrors) {
    const CourseFolder folder;
    folder.edit("items/equivalent.json", R"("answers": [1, 0])", R"("answers": [])");
    folder.edit("items/equivalent.json", R"("accepted": ["1/2", "one half"])", R"("accepted": [])");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/equivalent.json", 8, "'answers' is empty");
    EXPECT_ERROR_AT(report, "items/equivalent.json", 15, "'accepted' is empty");
}

TEST(CourseCheck, NegativeToleranceIsAnError) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("tolerance": 0.001)", R"("tolerance": -0.001)");
    EXPECT_ERROR_AT(folder.read(), "items/parts.json", 18, "'tolerance' must be 0 or more");
}

TEST(CourseCheck, UnknownItemTypeListsTheTypes) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("type": "numeric")", R"("type": "matrix")");
    EXPECT_ERROR_AT(folder.read(), "items/parts.json", 14, "unknown item type 'matrix'");
}

TEST(CourseCheck, UnknownSkillReferenceIsAnErrorWhereItIsUsed) {
    const CourseFolder folder;
    folder.edit("items/equivalent.json", R"(["equivalent", "compare"])", R"(["equivalent", "comparing"])");
    folder.edit("lessons/01-parts.md", "skills: [parts]", "skills: [part]");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "items/equivalent.json", 13,
                    "short_text item 'e-2': skill 'comparing' is not in course.json (did you mean 'compare'?)");
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 4, "lesson 'parts': skill 'part' is not in course.json");
}

TEST(CourseCheck, UnknownPrerequisiteIsAnError) {
    const CourseFolder folder;
    folder.edit("course.json", R"("prerequisites": ["equivalent"])", R"("prerequisites": ["equivalents"])");
    EXPECT_ERROR_AT(folder.read(), "course.json", 12, "prerequisite 'equivalents' is not a skill of this course");
}

TEST(CourseCheck, DuplicateIdsAreErrorsNamingTheFirst) {
    const CourseFolder folder;
    folder.edit("items/equivalent.json", R"("id": "e-2")", R"("id": "p-2")");
    folder.edit("course.json", R"({"id": "compare")", R"({"id": "parts")");
    folder.edit("lessons/02-equivalent.md", "id: equivalent", "id: parts");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "items/parts.json", 13, "duplicate item id 'p-2' (first in items/equivalent.json:11)");
    EXPECT_ERROR_AT(report, "course.json", 12, "duplicate skill id 'parts' (first on line 10)");
    EXPECT_ERROR_AT(report, "lessons/02-equivalent.md", 2,
                    "duplicate lesson id 'parts' (first in lessons/01-parts.md:2)");
}

TEST(CourseCheck, DuplicateLessonOrderIsAnError) {
    const CourseFolder folder;
    folder.edit("lessons/02-equivalent.md", "order: 2", "order: 1");
    EXPECT_ERROR_AT(folder.read(), "lessons/02-equivalent.md", 5, "lesson order 1 is taken by lessons/01-parts.md:5");
}

TEST(CourseCheck, PrerequisiteCycleIsNamed) {
    const CourseFolder folder;
    folder.edit("course.json", R"({"id": "parts", "name": "A fraction as parts of a whole"})",
                R"({"id": "parts", "name": "A fraction as parts of a whole", "prerequisites": ["compare"]})");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "course.json", 11, "prerequisites form a cycle: parts -> compare -> equivalent -> parts");
}

TEST(CourseCheck, SkillThatNeedsItselfIsACycle) {
    const CourseFolder folder;
    folder.edit("course.json", R"(["equivalent"])", R"(["compare"])");
    EXPECT_ERROR_AT(folder.read(), "course.json", 12, "cycle: compare -> compare");
}

TEST(CourseCheck, MissingImageIsAnErrorAtTheLink) {
    const CourseFolder folder;
    folder.edit("lessons/01-parts.md", "../images/pizza.svg", "../images/piza.svg");
    folder.edit("items/parts.json", "![pizza](images/pizza.svg)", "![pizza](images/Pizza.svg)");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 9,
                    "lesson 'parts': image '../images/piza.svg' not found: there is no images/piza.svg in the course");
    EXPECT_ERROR_AT(report, "items/parts.json", 6, "did you mean 'images/pizza.svg'? (case matters)");
}

TEST(CourseCheck, ImagesOutsideTheCourseOrOnTheWebAreErrors) {
    const CourseFolder folder;
    folder.edit("lessons/01-parts.md", "(../images/pizza.svg)",
                "(../../secret.svg) ![b](https://example.com/a.png)\n![c](/etc/a.png)");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 9, "image '../../secret.svg' is outside the course folder");
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 9, "image 'https://example.com/a.png' is a URL: Kite works offline");
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 10, "image '/etc/a.png' has an absolute path");
}

TEST(CourseCheck, ImagesInCodeAreNotCheckedButHtmlImagesAre) {
    const CourseFolder folder;
    folder.edit("lessons/02-equivalent.md", "is how Markdown shows a picture.\n",
                "is how Markdown shows a picture.\n\n```markdown\n![x](missing.png)\n```\n"
                "``![y](missing.png)`` and <img alt=\"z\" src=\"../images/nothere.png\">\n");
    const CheckReport report = folder.read();
    EXPECT_EQ(errorCount(report.problems), 1) << describe(report.problems);
    EXPECT_ERROR_AT(report, "lessons/02-equivalent.md", 14, "image '../images/nothere.png' not found");
}

TEST(CourseCheck, HostileMarkdownIsCheckedInReasonableTime) {
    // Unclosed brackets, links and code spans: quadratic matching would take minutes.
    QByteArray body;
    for (int i = 0; i < 20000; ++i) body += "![![](![a](<img src=";
    for (int i = 1; i < 300; ++i) body += QByteArray(i, '`') + "x";
    const CourseFolder folder;
    folder.edit("lessons/02-equivalent.md", "# Equivalent fractions\n", "# Equivalent fractions\n" + body + "\n");
    const CheckReport report = folder.read();
    EXPECT_TRUE(report.ok()) << describe(report.problems);
}

TEST(CourseCheck, ImageThatIsNotPackedSaysWhy) {
    const CourseFolder folder;
    folder.write("images/scan.bmp", "BM");
    folder.edit("items/parts.json", "images/pizza.svg", "images/scan.bmp");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "items/parts.json", 6,
                    "image 'images/scan.bmp' is ignored and not packed: pictures must be");
}

TEST(CourseCheck, BadFrontMatterPointsAtTheLine) {
    const CourseFolder folder;
    folder.edit("lessons/01-parts.md", "title: Parts", "titel: Parts");
    folder.edit("lessons/01-parts.md", "order: 1", "order: first");
    folder.edit("lessons/02-equivalent.md", "skills: [equivalent, compare]", "skills: equivalent");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 3, "unknown front matter key 'titel' (did you mean 'title'?)");
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 5, "'order' must be a whole number, not 'first'");
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 1, "the front matter has no 'title'");
    EXPECT_ERROR_AT(report, "lessons/02-equivalent.md", 4, "'skills' must be a list like [parts, equivalent]");
}

TEST(CourseCheck, LessonWithoutFrontMatterOrItsEndIsAnError) {
    const CourseFolder folder;
    folder.write("lessons/01-parts.md", "# Parts\n\nNo front matter.\n");
    folder.write("lessons/02-equivalent.md", "---\nid: equivalent\ntitle: Equivalent\n\n# Equivalent\n");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "lessons/01-parts.md", 1, "a lesson starts with front matter");
    EXPECT_ERROR_AT(report, "lessons/02-equivalent.md", 1, "the front matter is not closed");
}

TEST(CourseCheck, TextThatIsNotUtf8IsAnErrorAtItsLine) {
    const CourseFolder folder;
    folder.edit("lessons/01-parts.md", "title: Parts of a whole", "title: Parts of a \xff whole");
    EXPECT_ERROR_AT(folder.read(), "lessons/01-parts.md", 3, "not UTF-8 text");
}

TEST(CourseCheck, DuplicateJsonKeyIsAnError) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("answer": 1,)", R"("answer": 1, "answer": 2,)");
    EXPECT_ERROR_AT(folder.read(), "items/parts.json", 8, "key 'answer' appears twice");
}

TEST(CourseCheck, CourseJsonRulesAreChecked) {
    const CourseFolder folder;
    folder.edit("course.json", R"("format_version": 1)", R"("format_version": 2)");
    folder.edit("course.json", R"("id": "fractions")", R"("id": "Fractions!")");
    folder.edit("course.json", R"("version": 3)", R"("version": 0)");
    folder.edit("course.json", R"("language": "en")", R"("language": "english language")");
    const CheckReport report = folder.read();
    EXPECT_ERROR_AT(report, "course.json", 3, "format_version 2 is newer than this Kite reads");
    EXPECT_ERROR_AT(report, "course.json", 4, "course id 'Fractions!' is not 1-64 characters");
    EXPECT_ERROR_AT(report, "course.json", 6, "'version' must be a whole number of at least 1, not 0");
    EXPECT_ERROR_AT(report, "course.json", 7, "is not a language tag");
}

TEST(CourseCheck, MissingCourseJsonIsAnError) {
    const CourseFolder folder;
    folder.remove("course.json");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "course.json", 0, "missing");
}

TEST(CourseCheck, EveryErrorIsReportedAtOnceSortedByFile) {
    const CourseFolder folder;
    folder.edit("items/parts.json", R"("answer": 1,)", R"("answer": 7,)");
    folder.edit("items/parts.json", R"("tolerance": 0.001)", R"("tolerance": -1)");
    folder.edit("items/equivalent.json", R"("skills": ["equivalent"])", R"("skills": ["nope"])");
    folder.edit("lessons/02-equivalent.md", "order: 2", "order: two");
    folder.edit("course.json", R"("title": "Fractions")", R"("title": "")");
    const CheckReport report = folder.read();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(errorCount(report.problems), 5) << describe(report.problems);
    EXPECT_ERROR_AT(report, "course.json", 5, "'title' is empty");
    EXPECT_ERROR_AT(report, "items/equivalent.json", 5, "skill 'nope'");
    EXPECT_ERROR_AT(report, "items/parts.json", 8, "answer 7 is out of range");
    EXPECT_ERROR_AT(report, "items/parts.json", 18, "'tolerance' must be 0 or more");
    EXPECT_ERROR_AT(report, "lessons/02-equivalent.md", 5, "'order' must be a whole number");
    QStringList order;
    for (const Problem& p : report.problems) order.append(p.file);
    QStringList sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(order, sorted);
}

TEST(CourseCheck, OtherFilesAreWarningsAndNotPartOfTheCourse) {
    const CourseFolder folder;
    folder.write("README.md", "notes for authors\n");
    folder.write("drafts/03-adding.md", "---\n");
    folder.write("images/notes.txt", "a picture of a pizza\n");
    folder.write(".git/config", "[core]\n");
    folder.write("lessons/.01-parts.md.swp", "\xff\xfe");
    const CheckReport report = folder.read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_EQ(report.problems.size(), 3) << describe(report.problems);
    for (const Problem& p : report.problems) EXPECT_TRUE(p.warning) << p.toString().toStdString();
    EXPECT_EQ(report.problems[0].toString(),
              "README.md: warning: ignored and not packed: a course holds course.json, lessons/*.md, items/*.json "
              "and images/*");
    EXPECT_EQ(report.problems[1].file, "drafts/");
    EXPECT_EQ(report.problems[2].file, "images/notes.txt");
    EXPECT_FALSE(report.course->files.contains("README.md"));
    EXPECT_FALSE(report.course->files.contains("images/notes.txt"));
}

TEST(CourseCheck, UnusedPicturesAndUnpractisedSkillsAreWarnings) {
    const CourseFolder folder;
    folder.write("images/unused.png", "png");
    folder.edit("items/equivalent.json", R"(["equivalent", "compare"])", R"(["equivalent"])");
    const CheckReport report = folder.read();
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    ASSERT_EQ(report.problems.size(), 2) << describe(report.problems);
    EXPECT_EQ(report.problems[0].toString(),
              "course.json:12: warning: skill 'compare' has no items, so students cannot practise it");
    EXPECT_EQ(report.problems[1].file, "images/unused.png");
    EXPECT_TRUE(report.course->files.contains("images/unused.png"));
}

TEST(CourseCheck, UnsafeOrUnportablePathsAreErrors) {
    QMap<QString, QByteArray> files = tinyCourseFiles();
    files["../outside.json"] = "{}";
    files["/etc/passwd"] = "x";
    files["images/p\u00e2te.svg"] = "<svg/>";
    const CheckReport report = readCourseFiles(files);
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "../outside.json", 0, "'.' or '..'");
    EXPECT_ERROR_AT(report, "/etc/passwd", 0, "absolute path");
    EXPECT_TRUE(
        hasError(report.problems, QString::fromUtf8("images/p\u00e2te.svg"), 0, "file names in a course may use only"))
        << describe(report.problems);
}

TEST(CourseCheck, FileLargerThan32MegabytesIsAnError) {
    QMap<QString, QByteArray> files = tinyCourseFiles();
    files["images/pizza.svg"] = QByteArray((32 << 20) + 1, ' ');
    const CheckReport report = readCourseFiles(files);
    EXPECT_FALSE(report.ok());
    EXPECT_ERROR_AT(report, "images/pizza.svg", 0, "larger than 32 MB");
}

TEST(CourseCheck, MissingFolderIsReported) {
    const CheckReport report = readCourseDir("/nonexistent/kite/course");
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.problems.size(), 1);
    EXPECT_TRUE(report.problems[0].message.contains("is not a folder")) << describe(report.problems);
}

TEST(Problem, ToStringOmitsLineZero) {
    EXPECT_EQ((Problem{"items/parts.json", 12, "bad", false}).toString(), "items/parts.json:12: bad");
    EXPECT_EQ((Problem{"README.md", 0, "ignored", true}).toString(), "README.md: warning: ignored");
}

TEST(CourseCheck, SampleCourseChecksClean) {
    const QString dir = QStringLiteral(KITE_SOURCE_DIR "/resources/courses/fractions");
    if (!QFile::exists(dir + "/course.json")) GTEST_SKIP() << "no sample course at " << dir.toStdString();
    const CheckReport report = readCourseDir(dir);
    ASSERT_TRUE(report.ok()) << describe(report.problems);
    EXPECT_TRUE(report.problems.isEmpty()) << describe(report.problems);
    EXPECT_EQ(report.course->id, "fractions");
    EXPECT_FALSE(report.course->items.isEmpty());
}

}  // namespace
}  // namespace kite::course::testing
