// kite-pack as an author runs it: the real binary on a course folder in a
// fresh temporary folder, checked by exit code, messages and the package it
// writes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../support/run_program.h"

namespace {

using kite::testing::contains;
using kite::testing::Finished;
using kite::testing::readFile;

namespace fs = std::filesystem;

std::string describe(const Finished& r) {
    return "exit " + std::to_string(r.exit) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

// A small valid course: 2 skills, 1 lesson, 2 items, 1 image.
const std::map<std::string, std::string> kCourse = {
    {"course.json", R"({
  "format": "kite-course", "format_version": 1,
  "id": "fractions", "title": "Fractions", "version": 2, "language": "en",
  "skills": [
    {"id": "parts", "name": "Parts of a whole"},
    {"id": "equivalent", "name": "Equivalent fractions", "prerequisites": ["parts"]}
  ]
}
)"},
    {"lessons/01-parts.md", R"(---
id: parts
title: Parts of a whole
skills: [parts, equivalent]
order: 1
---
A fraction names equal parts of one whole. ![pizza](../images/pizza.svg)
)"},
    {"items/parts.json", R"([
  {"id": "p-1", "type": "multiple_choice", "skills": ["parts"], "prompt": "Which is a quarter?",
   "choices": ["1/2", "1/4"], "answer": 1},
  {"id": "p-2", "type": "numeric", "skills": ["equivalent"], "prompt": "2/4 = ?",
   "answer": 0.5}
]
)"},
    {"images/pizza.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"},
};

class KitePack : public testing::Test {
protected:
    void SetUp() override {
        const std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
        dir_ = fs::temp_directory_path() / ("kite_pack_" + test + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        for (const auto& [name, text] : kCourse) write("course/" + name, text);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string course() const { return path("course"); }

    void write(const std::string& name, std::string_view contents) const {
        fs::create_directories((dir_ / name).parent_path());
        std::ofstream(dir_ / name, std::ios::binary) << contents;
    }

    // Replaces the first `from` in the course file `name` by `to`.
    void edit(const std::string& name, const std::string& from, const std::string& to) const {
        std::string text = readFile(dir_ / "course" / name);
        const std::size_t at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        write("course/" + name, text.replace(at, from.size(), to));
    }

    // Runs kite-pack with `args`, stdout and stderr captured in files.
    Finished run(const std::vector<std::string>& args) {
        std::vector<std::string> words = {KITE_PACK_BINARY};
        words.insert(words.end(), args.begin(), args.end());
        const Finished result = kite::testing::runProgram(words, dir_, std::to_string(runs_++));
        if (result.exit < 0) ADD_FAILURE() << result.err;
        return result;
    }

    fs::path dir_;
    int runs_ = 0;
};

TEST_F(KitePack, HelpPrintsUsageAndExitsZero) {
    const Finished r = run({"--help"});
    EXPECT_EQ(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Usage:")) << r.out;
    EXPECT_TRUE(contains(r.out, "kite-pack build DIR -o FILE.kitepack")) << r.out;
}

TEST_F(KitePack, VersionPrintsTheVersion) {
    const Finished r = run({"--version"});
    EXPECT_EQ(r.exit, 0) << describe(r);
    EXPECT_EQ(r.out, "kite-pack " KITE_VERSION_FOR_TEST "\n");
}

TEST_F(KitePack, UsageErrorsExitOneWithAMessage) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{}, "missing command"},
        {{"pack", "x"}, "unknown command 'pack'"},
        {{"check"}, "check takes one course folder"},
        {{"check", "a", "b"}, "check takes one course folder"},
        {{"check", "--strict", "a"}, "unknown option --strict"},
        {{"build", course()}, "build needs -o FILE.kitepack"},
        {{"build", course(), "-o"}, "-o needs a file name"},
    };
    for (const auto& [args, message] : cases) {
        const Finished r = run(args);
        EXPECT_EQ(r.exit, 2) << message << "\n" << describe(r);
        EXPECT_TRUE(contains(r.err, message)) << r.err;
        EXPECT_TRUE(contains(r.err, "--help")) << r.err;
    }
}

TEST_F(KitePack, CheckOfAValidCourseExitsZeroWithASummary) {
    const Finished r = run({"check", course()});
    EXPECT_EQ(r.exit, 0) << describe(r);
    EXPECT_EQ(r.out, "fractions v2: 2 skills, 1 lesson, 2 items, 1 image: OK\n");
    EXPECT_EQ(r.err, "");
}

TEST_F(KitePack, CheckPrintsEveryProblemWithFileAndLineAndExitsTwo) {
    edit("items/parts.json", "\"answer\": 1", "\"answer\": 2");
    edit("lessons/01-parts.md", "skills: [parts, equivalent]", "skills: [parts, equivalence]");
    const Finished r = run({"check", course()});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err, course() + "/items/parts.json:3: multiple_choice item 'p-1': answer 2 is out of range"))
        << r.err;
    EXPECT_TRUE(contains(r.err, course() + "/lessons/01-parts.md:4: lesson 'parts': skill 'equivalence' is not in "
                                           "course.json (did you mean 'equivalent'?)"))
        << r.err;
    EXPECT_TRUE(contains(r.err, course() + ": 2 errors: not a valid course")) << r.err;
}

TEST_F(KitePack, WarningsArePrintedButTheCheckPasses) {
    write("course/README.md", "for authors\n");
    const Finished r = run({"check", course()});
    EXPECT_EQ(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, course() + "/README.md: warning: ignored and not packed")) << r.err;
    EXPECT_TRUE(contains(r.out, ": OK (1 warning)")) << r.out;
}

TEST_F(KitePack, MissingFolderExitsTwo) {
    const Finished r = run({"check", path("nowhere")});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "is not a folder")) << r.err;
}

TEST_F(KitePack, BuildWritesAPackageThatChecksClean) {
    const Finished r = run({"build", course(), "-o", path("fractions.kitepack")});
    ASSERT_EQ(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "wrote " + path("fractions.kitepack") + ": ")) << r.out;
    EXPECT_TRUE(contains(r.out, " bytes, content sha256 ")) << r.out;
    const std::string package = readFile(path("fractions.kitepack"));
    ASSERT_GT(package.size(), 2u);
    EXPECT_EQ(package.substr(0, 2), "\x1f\x8b");  // gzip

    const Finished checked = run({"check", path("fractions.kitepack")});
    EXPECT_EQ(checked.exit, 0) << describe(checked);
    EXPECT_EQ(checked.out, "fractions v2: 2 skills, 1 lesson, 2 items, 1 image: OK\n");
}

TEST_F(KitePack, BuildTwiceGivesTheSameBytes) {
    ASSERT_EQ(run({"build", course(), "-o", path("a.kitepack")}).exit, 0);
    ASSERT_EQ(run({"build", "-o", path("b.kitepack"), course()}).exit, 0);
    EXPECT_EQ(readFile(path("a.kitepack")), readFile(path("b.kitepack")));
}

TEST_F(KitePack, BuildWithErrorsWritesNothingAndExitsTwo) {
    edit("items/parts.json", "\"prompt\": \"2/4 = ?\"", "\"promt\": \"2/4 = ?\"");
    const Finished r = run({"build", course(), "-o", path("fractions.kitepack")});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(
        contains(r.err, "/items/parts.json:4: numeric item 'p-2': unknown key 'promt' (did you mean 'prompt'?)"))
        << r.err;
    EXPECT_FALSE(fs::exists(path("fractions.kitepack")));
}

TEST_F(KitePack, BuildIntoAMissingFolderExitsOne) {
    const Finished r = run({"build", course(), "-o", path("no/such/folder/x.kitepack")});
    EXPECT_EQ(r.exit, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "cannot write the package")) << r.err;
}

TEST_F(KitePack, CheckOfADamagedPackageExitsTwo) {
    ASSERT_EQ(run({"build", course(), "-o", path("fractions.kitepack")}).exit, 0);
    std::string package = readFile(path("fractions.kitepack"));
    write("damaged.kitepack", package.substr(0, package.size() / 2));
    const Finished r = run({"check", path("damaged.kitepack")});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, path("damaged.kitepack") + ": the package is damaged")) << r.err;
}

}  // namespace
