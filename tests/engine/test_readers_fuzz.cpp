// Deterministic fuzzing of the readers: valid files of every format, mutated
// thousands of ways (truncated, lines dropped or repeated, bytes flipped,
// NULs, quotes, huge and negative numbers), are parsed with every format
// option. Whatever the input, a reader must not crash (the sanitizer builds
// run this too) and must return either a consistent dataset or an error that
// names the file.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kite/readers.h"

namespace {

using kite::DataFormat;

constexpr const char* kName = "fuzzed.txt";

struct Seed {
    std::string label;
    std::string text;
};

std::vector<Seed> inlineSeeds() {
    return {
        {"seq3", "3\n1,2,1\n0,1,1\n2\n7,2,\n1,0,\n\n4\n3,3,3,3\n1,1,0,1\n"},
        {"seq3 crlf", "2\r\n5,6\r\n1,0\r\n1\r\n6\r\n1\r\n"},
        {"csv",
         "order_id,user_id,skill_name,correct,template_id\n"
         "30,alice,add,1,t1\n10,bob,sub,0,t2\n20,alice,\"sub, hard\",-1,t1\n5,bob,add,1,t3\n"
         "7,carol,,1,t1\n8,carol,\"two\nlines\",0,t2\n"},
        {"tsv", "user_id\tskill_name\tcorrect\tproblem_id\na\tx\t1\tp\nb\ty\t0.0\tq\na\tx\t1.0\tp\n"},
        {"datashop",
         "Row\tAnon Student Id\tProblem Name\tStep Name\tCorrect First Attempt\tKC(Default)\n"
         "1\tS1\tP1\tR1C1\t1\tadd~~carry\n2\tS1\tP1\tR1C2\t0\t\n3\tS2\tP2\tR1C1\t0\tcarry\n4\tS1\tP2\tR1C1\t1\tadd\n"},
        {"hmm", "1\ts1\tstep1\tA\n2\ts2\tstep1\tA\n.\ts1\tstep2\tB\n2\ts1\tstep3\tA~B\n1\ts2\tstep4\t.\n"},
    };
}

// The first `maxLines` lines of a real sample file, if it is present.
std::optional<Seed> sampleSeed(const std::string& relative, int maxLines) {
    const std::filesystem::path path = std::filesystem::path(KITE_SHARED_DIR) / "data" / relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text;
    std::string line;
    for (int i = 0; i < maxLines && std::getline(in, line); ++i) text += line + "\n";
    return Seed{relative, text};
}

std::vector<Seed> allSeeds() {
    std::vector<Seed> seeds = inlineSeeds();
    for (const char* file : {"assist2015/assist2015_train.csv", "formats/assistments_skill_builder_sample.csv",
                             "formats/datashop_cognitive_tutor_sample.tsv", "formats/hmm_scalable_toy_train.txt"}) {
        if (auto s = sampleSeed(file, 201)) seeds.push_back(std::move(*s));  // 201: whole 3-line records
    }
    return seeds;
}

// Applies one random mutation to `text`.
class Mutator {
public:
    explicit Mutator(std::uint64_t seed) : rng_(seed) {}

    void mutate(std::string& text) {
        switch (below(9)) {
            case 0: truncate(text); break;
            case 1: deleteLine(text); break;
            case 2: duplicateLine(text); break;
            case 3: swapLines(text); break;
            case 4: flipByte(text); break;
            case 5: insertToken(text); break;
            case 6: blankLine(text); break;
            case 7: replaceNumber(text); break;
            default: insertToken(text); break;
        }
    }

private:
    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    static std::vector<std::string> splitLines(const std::string& text) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t pos; (pos = text.find('\n', start)) != std::string::npos; start = pos + 1)
            lines.push_back(text.substr(start, pos - start));
        lines.push_back(text.substr(start));
        return lines;
    }
    static std::string joinLines(const std::vector<std::string>& lines) {
        std::string out;
        for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
        return out;
    }

    void truncate(std::string& text) { text.resize(below(text.size() + 1)); }
    void deleteLine(std::string& text) {
        auto lines = splitLines(text);
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(below(lines.size())));
        text = joinLines(lines);
    }
    void duplicateLine(std::string& text) {
        auto lines = splitLines(text);
        const std::size_t i = below(lines.size());
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(below(lines.size() + 1)), lines[i]);
        text = joinLines(lines);
    }
    void swapLines(std::string& text) {
        auto lines = splitLines(text);
        std::swap(lines[below(lines.size())], lines[below(lines.size())]);
        text = joinLines(lines);
    }
    void blankLine(std::string& text) {
        auto lines = splitLines(text);
        lines[below(lines.size())] = below(2) ? "" : " \t\r";
        text = joinLines(lines);
    }
    void flipByte(std::string& text) {
        if (text.empty()) return;
        text[below(text.size())] = static_cast<char>(below(256));
    }
    void insertToken(std::string& text) {
        static const std::string kTokens[] = {std::string(1, '\0'),
                                              "\r",
                                              "\"",
                                              "\"\"",
                                              ",",
                                              ",,",
                                              "\t",
                                              "\n",
                                              "\r\n",
                                              "99999999999999999999",
                                              "-99999999999999999999",
                                              "-1",
                                              "-7",
                                              "0",
                                              "2",
                                              ".",
                                              "~~",
                                              "~",
                                              "nan",
                                              "inf",
                                              "1e308",
                                              "-0",
                                              "\xff\xfe",
                                              "\xef\xbb\xbf",
                                              " ",
                                              "\x7f",
                                              "1.5",
                                              "18446744073709551616"};
        const std::string& token = kTokens[below(std::size(kTokens))];
        text.insert(below(text.size() + 1), token);
    }
    // Replaces a run of digits with a huge, negative or zero number.
    void replaceNumber(std::string& text) {
        std::size_t at = text.find_first_of("0123456789", below(text.size() + 1));
        if (at == std::string::npos) at = text.find_first_of("0123456789");
        if (at == std::string::npos) return;
        std::size_t end = text.find_first_not_of("0123456789", at);
        if (end == std::string::npos) end = text.size();
        static const char* kNumbers[] = {"99999999999999999999", "-3", "-1", "0", "2147483648",
                                         "9223372036854775807",  ""};
        text.replace(at, end - at, kNumbers[below(std::size(kNumbers))]);
    }

    std::mt19937_64 rng_;
};

// Describes `text` in a failure message: escaped, at most 300 bytes.
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 300)) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (u < 0x20 || u >= 0x7f)
            out += "\\x" + std::string(1, "0123456789abcdef"[u >> 4]) + "0123456789abcdef"[u & 15];
        else
            out += c;
    }
    return text.size() > 300 ? out + "..." : out;
}

// Checks one parse: a consistent dataset or an error naming the file.
void checkParse(const std::string& text, const kite::ReadOptions& options, const std::string& context) {
    kite::ReadReport report;
    const auto result = kite::parseDataset(text, kName, options, &report);
    if (!result.ok()) {
        const std::string& msg = result.error().message;
        ASSERT_TRUE(msg.starts_with(std::string(kName) + ": ")) << context << "\nmessage: " << msg;
        ASSERT_GT(msg.size(), std::string(kName).size() + 2) << context;
        ASSERT_EQ(msg.find('\0'), std::string::npos) << context << "\nthe message holds a NUL byte";
        ASSERT_LT(msg.size(), 600u) << context << "\nmessage too long for a terminal: " << printable(msg);
        return;
    }
    const kite::Dataset& d = result.value();
    ASSERT_FALSE(d.answers.empty()) << context;
    ASSERT_NE(report.format, DataFormat::kAuto) << context;
    ASSERT_GE(report.rows_without_skill, 0) << context;
    ASSERT_LE(report.rows_without_skill, report.rows) << context;
    std::int32_t previousStudent = 0;
    for (std::size_t i = 0; i < d.answers.size(); ++i) {
        const kite::Answer& a = d.answers[i];
        ASSERT_TRUE(a.student >= 0 && a.student < d.students.size()) << context << "\nanswer " << i;
        ASSERT_TRUE(a.skill >= 0 && a.skill < d.skills.size()) << context << "\nanswer " << i;
        ASSERT_TRUE(a.item == -1 || (a.item >= 0 && a.item < d.items.size())) << context << "\nanswer " << i;
        if (options.item_column.empty()) {
            ASSERT_EQ(a.item, -1) << context;
        }
        const int outcome = static_cast<int>(a.outcome);
        ASSERT_TRUE(outcome == -1 || outcome == 0 || outcome == 1) << context << "\nanswer " << i;
        ASSERT_GE(a.student, previousStudent) << context << "\nanswers are not grouped by student at " << i;
        previousStudent = a.student;
    }
}

constexpr DataFormat kFormats[] = {DataFormat::kAuto, DataFormat::kSeq3, DataFormat::kCsv, DataFormat::kDataShop,
                                   DataFormat::kHmm};

void checkEveryOption(const std::string& text, const std::string& context) {
    for (DataFormat format : kFormats) {
        for (const char* items : {"", "auto"}) {
            kite::ReadOptions options;
            options.format = format;
            options.item_column = items;
            checkParse(text, options, context + " format=" + kite::dataFormatName(format) + " items='" + items + "'");
            if (testing::Test::HasFatalFailure()) return;
        }
    }
}

TEST(ReaderFuzz, UnmutatedSeedsParseInTheirOwnFormat) {
    for (const Seed& seed : allSeeds()) {
        const auto r = kite::parseDataset(seed.text, kName, kite::ReadOptions{});
        EXPECT_TRUE(r.ok()) << seed.label << ": " << r.error().message;
    }
}

TEST(ReaderFuzz, MutatedInputsNeverCrashAndGiveDataOrANamedError) {
    constexpr int kMutantsPerSeed = 2000;
    const std::vector<Seed> seeds = allSeeds();
    long long parsed = 0;
    long long accepted = 0;
    for (std::size_t s = 0; s < seeds.size(); ++s) {
        Mutator mutator(0x6b697465u + s);  // fixed: a failure reproduces with the same seed and mutant number
        std::mt19937_64 pick(s);
        for (int m = 0; m < kMutantsPerSeed; ++m) {
            std::string text = seeds[s].text;
            const int mutations = 1 + static_cast<int>(pick() % 4);
            for (int k = 0; k < mutations; ++k) mutator.mutate(text);
            const std::string context =
                "seed '" + seeds[s].label + "' mutant " + std::to_string(m) + "\ntext: " + printable(text);
            checkEveryOption(text, context);
            if (HasFatalFailure()) return;
            parsed += 10;
            accepted += kite::parseDataset(text, kName, kite::ReadOptions{}).ok();
        }
    }
    // Mild mutations leave many files readable: the fuzzer reaches past the first error.
    EXPECT_GT(accepted, static_cast<long long>(seeds.size()) * kMutantsPerSeed / 10);
    RecordProperty("parses", std::to_string(parsed));
}

// Text made only of separators, quotes and digits: stresses the tokenizers.
TEST(ReaderFuzz, RandomSoupOfSeparatorsNeverCrashes) {
    std::mt19937_64 rng(20240607);
    const std::string alphabet = "0123456789,\t\n\r\".~- abcAnon Student Id";
    const std::string headers[] = {"", "user_id,skill_name,correct,order_id\n",
                                   "Row\tAnon Student Id\tKC(Default)\tCorrect First Attempt\tProblem Name\n"};
    for (int i = 0; i < 3000; ++i) {
        std::string text = headers[static_cast<std::size_t>(i) % std::size(headers)];
        const std::size_t length = rng() % 200;
        for (std::size_t k = 0; k < length; ++k) text += alphabet[rng() % alphabet.size()];
        checkEveryOption(text, "soup " + std::to_string(i) + "\ntext: " + printable(text));
        if (HasFatalFailure()) return;
    }
}

}  // namespace
