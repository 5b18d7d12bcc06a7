// Readers (kite/readers.h): every supported format read from small inline
// texts and from the real sample files in ../shared/data, and every kind of
// bad input answered with a message naming the file, the line and what was
// expected.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "kite/readers.h"

namespace {

using kite::Answer;
using kite::DataFormat;
using kite::Dataset;
using kite::Outcome;
using kite::ReadOptions;
using kite::ReadReport;

constexpr const char* kName = "data.txt";

kite::Result<Dataset> parse(std::string_view text, DataFormat format = DataFormat::kAuto,
                            const std::string& itemColumn = "", ReadReport* report = nullptr) {
    ReadOptions options;
    options.format = format;
    options.item_column = itemColumn;
    return kite::parseDataset(text, kName, options, report);
}

// One answer spelled with names, for readable expectations.
struct Seen {
    std::string student;
    std::string skill;
    Outcome outcome;
    bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Seen& s) {
    return os << "{" << s.student << ", " << s.skill << ", " << static_cast<int>(s.outcome) << "}";
}

std::vector<Seen> seen(const Dataset& d) {
    std::vector<Seen> out;
    for (const Answer& a : d.answers) out.push_back({d.students.name(a.student), d.skills.name(a.skill), a.outcome});
    return out;
}

std::vector<std::string> itemNames(const Dataset& d) {
    std::vector<std::string> out;
    for (const Answer& a : d.answers) out.push_back(a.item < 0 ? "-" : d.items.name(a.item));
    return out;
}

constexpr Outcome k1 = Outcome::kCorrect;
constexpr Outcome k0 = Outcome::kWrong;
constexpr Outcome kNone = Outcome::kNoResponse;

// Asserts that parsing fails with a message that names the file, the line and
// contains every one of `expected`.
void expectError(const kite::Result<Dataset>& r, long long line, const std::vector<std::string>& expected) {
    ASSERT_FALSE(r.ok()) << "parsed " << r->answers.size() << " answers; expected an error at line " << line;
    const std::string& msg = r.error().message;
    EXPECT_TRUE(msg.starts_with(std::string(kName) + ": ")) << msg;
    EXPECT_NE(msg.find("line " + std::to_string(line) + ":"), std::string::npos) << msg;
    for (const std::string& e : expected)
        EXPECT_NE(msg.find(e), std::string::npos) << "'" << e << "' missing in: " << msg;
}

// ---- 3-line sequences -------------------------------------------------------

TEST(Seq3Reader, ReadsEachStudentsSkillsAndAnswersInFileOrder) {
    ReadReport report;
    auto r = parse("3\n1,2,1\n0,1,1\n2\n7,2\n1,0\n", DataFormat::kSeq3, "", &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->students.names(), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(r->skills.names(), (std::vector<std::string>{"1", "2", "7"}));
    EXPECT_EQ(seen(r.value()),
              (std::vector<Seen>{{"1", "1", k0}, {"1", "2", k1}, {"1", "1", k1}, {"2", "7", k1}, {"2", "2", k0}}));
    EXPECT_FALSE(r->hasItems());
    for (const Answer& a : r->answers) EXPECT_EQ(a.item, -1);
    EXPECT_EQ(report.format, DataFormat::kSeq3);
    EXPECT_EQ(report.rows, 2);
}

TEST(Seq3Reader, AcceptsTrailingCommasBlankLinesSpacesAndCrlf) {
    auto r = parse("\r\n2\r\n5, 6,\r\n1 ,0,\r\n\r\n\r\n1\r\n6\r\n1\r\n", DataFormat::kSeq3);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"1", "5", k1}, {"1", "6", k0}, {"2", "6", k1}}));
}

TEST(Seq3Reader, FileEndingAfterTheCountReportsTheMissingSkillLine) {
    expectError(parse("2\n1,2\n0,1\n3\n", DataFormat::kSeq3), 5, {"file ends", "3 skill ids"});
}

TEST(Seq3Reader, FileEndingAfterTheSkillsReportsTheMissingAnswerLine) {
    expectError(parse("2\n1,2\n0,1\n2\n1,2\n", DataFormat::kSeq3), 6, {"file ends", "answers (0 or 1)"});
}

TEST(Seq3Reader, SkillCountDifferentFromTheCountLineIsAnError) {
    expectError(parse("3\n1,2\n0,1\n", DataFormat::kSeq3), 2, {"expected 3 comma-separated skill ids, got 2"});
}

TEST(Seq3Reader, AnswerCountDifferentFromTheSkillCountIsAnError) {
    expectError(parse("2\n1,2\n0,1\n2\n1,2\n0\n", DataFormat::kSeq3), 6,
                {"expected 2 comma-separated answers", "got 1"});
}

TEST(Seq3Reader, NonIntegerSkillIdIsAnError) {
    expectError(parse("2\n1,2\n0,1\n2\n1,abc\n0,1\n", DataFormat::kSeq3), 5,
                {"skill id 2", "positive whole number", "'abc'"});
}

TEST(Seq3Reader, ZeroOrNegativeSkillIdIsAnError) {
    expectError(parse("2\n0,2\n0,1\n", DataFormat::kSeq3), 2, {"skill id 1", "positive whole number", "'0'"});
    expectError(parse("2\n3,-4\n0,1\n", DataFormat::kSeq3), 2, {"skill id 2", "'-4'"});
}

TEST(Seq3Reader, AnswerOtherThanZeroOrOneIsAnError) {
    expectError(parse("2\n1,2\n0,2\n", DataFormat::kSeq3), 3, {"answer 2", "expected 0 or 1", "'2'"});
}

TEST(Seq3Reader, CountLineThatIsNotANumberIsAnError) {
    expectError(parse("2\n1,2\n0,1\n\nten\n", DataFormat::kSeq3), 5, {"number of answers", "'ten'"});
    expectError(parse("-3\n1,2,3\n0,1,1\n", DataFormat::kSeq3), 1, {"number of answers", "'-3'"});
    expectError(parse("99999999999999999999\n1\n1\n", DataFormat::kSeq3), 1, {"number of answers"});
}

TEST(Seq3Reader, LineNumbersCountBlankLines) {
    expectError(parse("1\n1\n1\n\n\n\n1\n1\nx\n", DataFormat::kSeq3), 9, {"answer 1", "'x'"});
}

// ---- CSV tables ---------------------------------------------------------------

TEST(CsvReader, SortsRowsByOrderIdWithinAStudentAndKeepsStudentsInFirstAppearanceOrder) {
    ReadReport report;
    auto r = parse(
        "order_id,user_id,skill_name,correct\n"
        "30,alice,add,1\n"
        "10,bob,sub,0\n"
        "20,alice,sub,0\n"
        "5,bob,add,1\n"
        "25.5,alice,add,0\n",
        DataFormat::kAuto, "", &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kCsv);
    EXPECT_EQ(report.rows, 5);
    EXPECT_EQ(r->students.names(), (std::vector<std::string>{"alice", "bob"}));
    EXPECT_EQ(r->skills.names(), (std::vector<std::string>{"add", "sub"}));
    EXPECT_EQ(
        seen(r.value()),
        (std::vector<Seen>{
            {"alice", "sub", k0}, {"alice", "add", k0}, {"alice", "add", k1}, {"bob", "add", k1}, {"bob", "sub", k0}}));
    EXPECT_FALSE(r->hasItems());
}

TEST(CsvReader, WithoutOrderColumnKeepsFileOrderWithinAStudent) {
    auto r = parse("user_id,skill_name,correct\nb,x,1\na,x,0\nb,y,0\na,y,1\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"b", "x", k1}, {"b", "y", k0}, {"a", "x", k0}, {"a", "y", k1}}));
}

TEST(CsvReader, EqualOrderIdsKeepFileOrder) {
    auto r = parse("order_id,user_id,skill_name,correct\n1,a,x,1\n1,a,y,0\n1,a,z,1\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"a", "x", k1}, {"a", "y", k0}, {"a", "z", k1}}));
}

TEST(CsvReader, RowsWithAnEmptySkillAreSkippedAndCounted) {
    ReadReport report;
    auto r = parse("user_id,skill_name,correct\na,x,1\na,,0\na,  ,1\nb,y,0\n", DataFormat::kCsv, "", &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"a", "x", k1}, {"b", "y", k0}}));
    EXPECT_EQ(report.rows, 4);
    EXPECT_EQ(report.rows_without_skill, 2);
}

TEST(CsvReader, MinusOneIsNoResponseAndSpreadsheetDecimalsAreAccepted) {
    auto r = parse("user_id,skill_name,correct\na,x,-1\na,x,1.0\na,x,0.0\na,x, 1 \n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"a", "x", kNone}, {"a", "x", k1}, {"a", "x", k0}, {"a", "x", k1}}));
}

TEST(CsvReader, QuotedFieldsMayHoldCommasDoubledQuotesAndNewlines) {
    auto r = parse(
        "user_id,skill_name,correct\n"
        "a,\"Addition, whole numbers\",1\n"
        "\"b\",\"the \"\"hard\"\" one\",0\n"
        "a,\"two\nlines\",1\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()),
              (std::vector<Seen>{
                  {"a", "Addition, whole numbers", k1}, {"a", "two\nlines", k1}, {"b", "the \"hard\" one", k0}}));
}

TEST(CsvReader, LineNumbersAfterAMultiLineQuotedFieldCountEveryLine) {
    expectError(parse("user_id,skill_name,correct\na,\"two\nlines\",1\na,x,maybe\n"), 4, {"'maybe'"});
}

TEST(CsvReader, CrlfLineEndingsReadLikeLf) {
    const std::string lf = "order_id,user_id,skill_name,correct\n2,a,x,1\n1,a,\"y\r\nz\",0\n3,b,x,0\n";
    const std::string crlf = "order_id,user_id,skill_name,correct\r\n2,a,x,1\r\n1,a,\"y\r\nz\",0\r\n3,b,x,0\r\n";
    auto a = parse(lf);
    auto b = parse(crlf);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(seen(b.value()), (std::vector<Seen>{{"a", "y\r\nz", k0}, {"a", "x", k1}, {"b", "x", k0}}));
    EXPECT_EQ(seen(a.value()), seen(b.value()));
    expectError(parse("user_id,skill_name,correct\r\na,x,1\r\na,x,2\r\n"), 3, {"'2'"});
}

TEST(CsvReader, ColumnNamesAreMatchedWithoutCaseAndThroughAliases) {
    auto r = parse("Student, Skill_Id ,CORRECT,Row\ns1,12,1,2\ns1,13,0,1\n", DataFormat::kCsv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"s1", "13", k0}, {"s1", "12", k1}}));
}

TEST(CsvReader, TabSeparatedTablesAreRead) {
    auto r = parse("user_id\tskill_name\tcorrect\na\tx, y\t1\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"a", "x, y", k1}}));
}

TEST(CsvReader, AutoItemColumnIsTemplateId) {
    auto r = parse("user_id,skill_name,correct,template_id,problem_id\na,x,1,t1,p1\na,x,0,t2,p2\nb,x,1,t1,p3\n",
                   DataFormat::kCsv, "auto");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->hasItems());
    EXPECT_EQ(r->items.names(), (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(itemNames(r.value()), (std::vector<std::string>{"t1", "t2", "t1"}));
}

TEST(CsvReader, NamedItemColumnIsUsed) {
    auto r = parse("user_id,skill_name,correct,template_id,Problem_ID\na,x,1,t1,p1\na,x,0,t2,p2\n", DataFormat::kCsv,
                   "problem_id");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(itemNames(r.value()), (std::vector<std::string>{"p1", "p2"}));
}

TEST(CsvReader, MissingItemColumnIsAnErrorNamingIt) {
    expectError(parse("user_id,skill_name,correct\na,x,1\n", DataFormat::kCsv, "question"), 1, {"'question'"});
    expectError(parse("user_id,skill_name,correct\na,x,1\n", DataFormat::kCsv, "auto"), 1,
                {"item column", "template_id"});
}

TEST(CsvReader, MissingHeaderColumnsAreNamed) {
    expectError(parse("user_id,correct\na,1\n", DataFormat::kCsv), 1, {"no skill column", "'skill_name'"});
    expectError(parse("skill_name,correct\nx,1\n", DataFormat::kCsv), 1, {"no student column", "'user_id'"});
    expectError(parse("user_id,skill_name,answer\na,x,1\n", DataFormat::kCsv), 1, {"no answer column", "'correct'"});
}

TEST(CsvReader, BadCorrectValueIsAnErrorNamingColumnAndValue) {
    expectError(parse("user_id,skill_name,correct\na,x,1\na,x,yes\n"), 3,
                {"column 'correct'", "expected 0, 1 or -1", "'yes'"});
    expectError(parse("user_id,skill_name,correct\na,x,0.5\n"), 2, {"'0.5'"});
    expectError(parse("user_id,skill_name,correct\na,x,\n"), 2, {"column 'correct'", "''"});
}

TEST(CsvReader, BadOrderIdIsAnError) {
    expectError(parse("order_id,user_id,skill_name,correct\n1,a,x,1\nfirst,a,x,1\n"), 3,
                {"column 'order_id'", "expected a number", "'first'"});
}

TEST(CsvReader, NonFiniteOrderIdIsAnError) {
    expectError(parse("order_id,user_id,skill_name,correct\n1,a,x,1\nnan,a,x,1\n2,a,x,0\n"), 3, {"'nan'"});
    expectError(parse("order_id,user_id,skill_name,correct\ninf,a,x,1\n"), 2, {"'inf'"});
}

TEST(CsvReader, UnclosedQuoteIsReportedAtTheLineWhereTheFieldStarts) {
    expectError(parse("user_id,skill_name,correct\na,x,1\na,\"x,1\nb,y,0\n"), 3, {"quoted field is not closed"});
}

TEST(CsvReader, UnclosedQuoteInTheHeaderIsReportedAsSuch) {
    expectError(parse("user_id,\"skill_name,correct\na,x,1\n", DataFormat::kCsv), 1, {"quoted field is not closed"});
}

TEST(CsvReader, RowWithTooFewFieldsIsAnError) {
    expectError(parse("user_id,skill_name,correct\na,x,1\na,x\n"), 3,
                {"expected at least 3 fields separated by commas, got 2"});
}

TEST(CsvReader, EmptyStudentIdIsAnError) {
    expectError(parse("user_id,skill_name,correct\n ,x,1\n"), 2, {"student id is empty"});
}

TEST(CsvReader, BlankLinesBeforeTheHeaderAreSkipped) {
    auto r = parse("\n\r\norder_id\tuser_id\tskill_name\tcorrect\n2\ta\tx\t1\n1\ta\ty\t0\n", DataFormat::kCsv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"a", "y", k0}, {"a", "x", k1}}));
    expectError(parse("\n\nuser_id,skill_name,correct\na,x,7\n"), 4, {"'7'"});
}

TEST(CsvReader, HeaderWithoutRowsHasNoAnswers) {
    auto r = parse("user_id,skill_name,correct\n");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.starts_with(kName)) << r.error().message;
    EXPECT_NE(r.error().message.find("no answers"), std::string::npos) << r.error().message;
}

// ---- DataShop exports ---------------------------------------------------------

constexpr const char* kDataShopHeader =
    "Row\tAnon Student Id\tProblem Name\tStep Name\tCorrect First Attempt\tKC(Default)\tOpportunity(Default)\n";

TEST(DataShopReader, MultipleKnowledgeComponentsGiveOneAnswerEach) {
    ReadReport report;
    const std::string text = std::string(kDataShopHeader) +
                             "1\tS1\tP1\tR1C1\t1\tadd~~carry\t1~~1\n"
                             "2\tS1\tP1\tR1C2\t0\t\t\n"
                             "3\tS2\tP2\tR1C1\t0\tcarry\t2\n"
                             "4\tS1\tP2\tR1C1\t1\tadd\t2\n";
    auto r = parse(text, DataFormat::kAuto, "", &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kDataShop);
    EXPECT_EQ(report.rows, 4);
    EXPECT_EQ(report.rows_without_skill, 1);
    EXPECT_EQ(report.multi_skill_rows, 1);
    EXPECT_EQ(r->students.names(), (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(seen(r.value()),
              (std::vector<Seen>{{"S1", "add", k1}, {"S1", "carry", k1}, {"S1", "add", k1}, {"S2", "carry", k0}}));
}

TEST(DataShopReader, RowsAreOrderedByTheRowColumn) {
    const std::string text = std::string(kDataShopHeader) + "2\tS1\tP1\tb\t1\tk2\t\n1\tS1\tP1\ta\t0\tk1\t\n";
    auto r = parse(text);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(seen(r.value()), (std::vector<Seen>{{"S1", "k1", k0}, {"S1", "k2", k1}}));
}

TEST(DataShopReader, AutoItemColumnIsProblemName) {
    const std::string text = std::string(kDataShopHeader) + "1\tS1\tP1\ta\t1\tk1~~k2\t\n2\tS1\tP2\tb\t0\tk1\t\n";
    auto r = parse(text, DataFormat::kDataShop, "auto");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(itemNames(r.value()), (std::vector<std::string>{"P1", "P1", "P2"}));
}

TEST(DataShopReader, ATableWithoutDataShopColumnsIsNotADataShopExport) {
    expectError(parse("user_id,skill_name,correct\na,x,1\n", DataFormat::kDataShop), 1, {"not a DataShop export"});
}

TEST(DataShopReader, BadCorrectFirstAttemptNamesTheColumn) {
    const std::string text = std::string(kDataShopHeader) + "1\tS1\tP1\ta\t1\tk1\t\n2\tS1\tP1\tb\tY\tk1\t\n";
    expectError(parse(text), 3, {"column 'Correct First Attempt'", "'Y'"});
}

// ---- hmm-scalable ---------------------------------------------------------------

TEST(HmmReader, ReadsObservationsStudentsAndSkills) {
    ReadReport report;
    auto r = parse(
        "1\ts1\tstep1\tA\n"
        "2\ts2\tstep1\tA\n"
        ".\ts1\tstep2\tB\n"
        "2\ts1\tstep3\tA~B\n"
        "1\ts2\tstep4\t.\n",
        DataFormat::kAuto, "", &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kHmm);
    EXPECT_EQ(report.rows, 5);
    EXPECT_EQ(report.rows_without_skill, 1);
    EXPECT_EQ(report.multi_skill_rows, 1);
    EXPECT_EQ(r->students.names(), (std::vector<std::string>{"s1", "s2"}));
    EXPECT_EQ(
        seen(r.value()),
        (std::vector<Seen>{{"s1", "A", k1}, {"s1", "B", kNone}, {"s1", "A", k0}, {"s1", "B", k0}, {"s2", "A", k0}}));
    EXPECT_FALSE(r->hasItems());
}

TEST(HmmReader, StepsAreItemsWhenAnItemColumnIsAsked) {
    auto r = parse("1\ts1\tq1\tA\r\n2\ts1\tq2\tA\r\n1\ts1\tq1\tA\r\n", DataFormat::kHmm, "auto");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(itemNames(r.value()), (std::vector<std::string>{"q1", "q2", "q1"}));
}

TEST(HmmReader, UnknownObservationIsAnError) {
    expectError(parse("1\ts1\tq1\tA\nx\ts1\tq2\tA\n", DataFormat::kHmm), 2,
                {"1 (correct), 2 (wrong) or . (unknown)", "'x'"});
}

TEST(HmmReader, RowWithTooFewFieldsIsAnError) {
    expectError(parse("1\ts1\tq1\tA\n\n1 s1 q2 A\n", DataFormat::kHmm), 3,
                {"expected 4 tab-separated fields", "got 1"});
}

// ---- format detection and whole files -------------------------------------------

TEST(FormatDetection, RecognisesEveryFormatFromItsFirstLine) {
    struct Case {
        const char* text;
        DataFormat format;
    };
    const Case cases[] = {
        {"\n\n2\n1,2\n1,1\n", DataFormat::kSeq3},
        {"user_id,skill_name,correct\na,x,1\n", DataFormat::kCsv},
        {"order_id\tuser_id\tskill_name\tcorrect\n1\ta\tx\t1\n", DataFormat::kCsv},
        {"Row\tAnon Student Id\tKC(Default)\tCorrect First Attempt\n1\ts\tk\t1\n", DataFormat::kDataShop},
        {".\ts\tq\tk\n1\ts\tq\tk\n", DataFormat::kHmm},
    };
    for (const Case& c : cases) {
        ReadReport report;
        auto r = parse(c.text, DataFormat::kAuto, "", &report);
        ASSERT_TRUE(r.ok()) << c.text << ": " << r.error().message;
        EXPECT_EQ(report.format, c.format) << c.text;
    }
}

TEST(FormatDetection, UnrecognisedFirstLineIsAnErrorSuggestingFormat) {
    expectError(parse("\nname,score\nx,1\n"), 2, {"cannot tell the format", "--format"});
}

TEST(FormatNames, RoundTripAndUnknownNameIsAnError) {
    for (DataFormat f :
         {DataFormat::kAuto, DataFormat::kSeq3, DataFormat::kCsv, DataFormat::kDataShop, DataFormat::kHmm}) {
        auto parsed = kite::parseDataFormat(kite::dataFormatName(f));
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed.value(), f);
    }
    auto bad = kite::parseDataFormat("xlsx");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("'xlsx'"), std::string::npos) << bad.error().message;
}

TEST(Readers, Seq3FileCannotHaveAnItemColumn) {
    auto r = parse("1\n1\n1\n", DataFormat::kSeq3, "auto");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.starts_with(kName)) << r.error().message;
}

TEST(Readers, NulBytesAreReportedAsNotTextWithTheirLine) {
    for (DataFormat f : {DataFormat::kAuto, DataFormat::kSeq3, DataFormat::kCsv, DataFormat::kHmm}) {
        using namespace std::string_literals;
        auto r = parse("1\n1\n1\n2\n1,\0\n"s, f);
        expectError(r, 5, {"not a text file", "NUL"});
    }
}

TEST(Readers, EmptyTextIsAnErrorForEveryFormat) {
    for (DataFormat f :
         {DataFormat::kAuto, DataFormat::kSeq3, DataFormat::kCsv, DataFormat::kDataShop, DataFormat::kHmm}) {
        for (const char* text : {"", "\n", " \r\n\n"}) {
            auto r = parse(text, f);
            ASSERT_FALSE(r.ok()) << kite::dataFormatName(f);
            EXPECT_TRUE(r.error().message.starts_with(std::string(kName) + ": ")) << r.error().message;
            const bool saysEmpty = r.error().message.find("empty") != std::string::npos ||
                                   r.error().message.find("no answers") != std::string::npos;
            EXPECT_TRUE(saysEmpty) << r.error().message;
        }
    }
}

// Temporary file removed at the end of the test.
class TempFile {
public:
    explicit TempFile(std::string_view contents)
        : path_(std::filesystem::temp_directory_path() /
                ("kite_test_readers_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".csv")) {
        std::ofstream(path_, std::ios::binary) << contents;
    }
    ~TempFile() { std::filesystem::remove(path_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    std::string path() const { return path_.string(); }

private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

TEST(ReadDataset, ReadsAFileAndNamesItInErrors) {
    TempFile good("order_id,user_id,skill_name,correct\r\n1,a,x,1\r\n");
    auto r = kite::readDataset(good.path(), ReadOptions{});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->answers.size(), 1u);

    TempFile bad("order_id,user_id,skill_name,correct\n1,a,x,1\n2,a,x,9\n");
    auto e = kite::readDataset(bad.path(), ReadOptions{});
    ASSERT_FALSE(e.ok());
    EXPECT_TRUE(e.error().message.starts_with(bad.path() + ": line 3: ")) << e.error().message;
}

TEST(ReadDataset, EmptyFileIsAnErrorNamingTheFile) {
    TempFile empty("");
    auto r = kite::readDataset(empty.path(), ReadOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.starts_with(empty.path() + ": ")) << r.error().message;
    EXPECT_NE(r.error().message.find("empty"), std::string::npos) << r.error().message;
}

TEST(ReadDataset, NonexistentFileIsAnErrorNamingTheFile) {
    const std::string path = (std::filesystem::temp_directory_path() / "kite_no_such_dir" / "missing.csv").string();
    auto r = kite::readDataset(path, ReadOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.starts_with(path + ": ")) << r.error().message;
    EXPECT_NE(r.error().message.find("cannot open"), std::string::npos) << r.error().message;
}

TEST(ReadDataset, BinaryFileIsRejected) {
    std::string blob = "PK\x03\x04";
    for (int i = 0; i < 300; ++i) blob += static_cast<char>(i % 256);
    TempFile zip(blob);
    auto r = kite::readDataset(zip.path(), ReadOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.starts_with(zip.path() + ": line 1: ")) << r.error().message;
    EXPECT_NE(r.error().message.find("not a text file"), std::string::npos) << r.error().message;
}

// ---- the real sample files -------------------------------------------------------

std::string sharedData(const std::string& relative) {
    return std::string(KITE_SHARED_DIR) + "/data/" + relative;
}

#define SKIP_IF_ABSENT(path) \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << (path) << " is absent (see ../shared/data/README.md)"

// Student indices never decrease: every student's answers are together.
void expectGroupedByStudent(const Dataset& d) {
    for (std::size_t i = 1; i < d.answers.size(); ++i)
        ASSERT_LE(d.answers[i - 1].student, d.answers[i].student) << "answer " << i;
}

TEST(SampleFiles, AssistmentsSkillBuilderSample) {
    const std::string path = sharedData("formats/assistments_skill_builder_sample.csv");
    SKIP_IF_ABSENT(path);
    ReadReport report;
    auto r = kite::readDataset(path, ReadOptions{}, &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kCsv);
    EXPECT_EQ(report.rows, 10791);
    EXPECT_EQ(report.rows_without_skill, 0);
    EXPECT_EQ(r->answers.size(), 10791u);
    EXPECT_EQ(r->skills.size(), 2);
    EXPECT_EQ(r->students.size(), 902);
    EXPECT_EQ(r->students.name(0), "64525");
    EXPECT_EQ(r->skills.name(0), "Box and Whisker");
    expectGroupedByStudent(r.value());

    ReadOptions withItems;
    withItems.item_column = "auto";
    auto items = kite::readDataset(path, withItems);
    ASSERT_TRUE(items.ok()) << items.error().message;
    EXPECT_EQ(items->items.size(), 22);  // distinct template_id values
}

TEST(SampleFiles, DataShopCognitiveTutorSample) {
    const std::string path = sharedData("formats/datashop_cognitive_tutor_sample.tsv");
    SKIP_IF_ABSENT(path);
    ReadReport report;
    auto r = kite::readDataset(path, ReadOptions{}, &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kDataShop);
    EXPECT_EQ(r->students.size(), 11);
    // 18,220 data rows: the README's 18,219 misses the last row, which has no final newline.
    EXPECT_EQ(report.rows, 18220);
    EXPECT_EQ(report.rows_without_skill, 3519);
    EXPECT_EQ(report.multi_skill_rows, 293);
    EXPECT_EQ(r->answers.size(), 15007u);  // one answer per KC of each row with a KC
    EXPECT_EQ(r->skills.size(), 184);
    expectGroupedByStudent(r.value());
}

TEST(SampleFiles, HmmScalableToyFiles) {
    const std::string train = sharedData("formats/hmm_scalable_toy_train.txt");
    const std::string test = sharedData("formats/hmm_scalable_toy_test.txt");
    SKIP_IF_ABSENT(train);
    SKIP_IF_ABSENT(test);
    ReadReport report;
    auto r = kite::readDataset(train, ReadOptions{}, &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kHmm);
    EXPECT_EQ(r->answers.size(), 20u);
    EXPECT_EQ(r->students.size(), 1);
    EXPECT_EQ(r->skills.size(), 1);
    long long correct = 0;
    for (const Answer& a : r->answers) correct += a.outcome == k1;
    EXPECT_EQ(correct, 13);

    auto unknown = kite::readDataset(test, ReadOptions{});
    ASSERT_TRUE(unknown.ok()) << unknown.error().message;
    EXPECT_EQ(unknown->answers.size(), 20u);
    for (const Answer& a : unknown->answers) EXPECT_EQ(a.outcome, kNone);
}

TEST(SampleFiles, Assist2015TrainAndTest) {
    const std::string train = sharedData("assist2015/assist2015_train.csv");
    const std::string test = sharedData("assist2015/assist2015_test.csv");
    SKIP_IF_ABSENT(train);
    SKIP_IF_ABSENT(test);
    ReadReport report;
    auto r = kite::readDataset(train, ReadOptions{}, &report);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(report.format, DataFormat::kSeq3);
    EXPECT_EQ(r->students.size(), 13935);
    EXPECT_EQ(r->answers.size(), 484040u);
    EXPECT_EQ(r->skills.size(), 100);
    expectGroupedByStudent(r.value());

    auto t = kite::readDataset(test, ReadOptions{});
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t->students.size(), 5905);
    EXPECT_EQ(t->answers.size(), 199761u);
}

}  // namespace
