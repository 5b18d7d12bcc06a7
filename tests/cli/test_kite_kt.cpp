// kite-kt as a user runs it: the real binary in a fresh temporary folder,
// checked by exit code, messages on stderr and the files it writes.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
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
using Json = nlohmann::json;

// Answers of simulated students on three skills, with BKT dynamics so the
// fit has something to find. Deterministic.
struct Simulated {
    struct Row {
        int student;
        int skill;
        int correct;
    };
    std::vector<Row> rows;  // grouped by student, in time order
    int students = 0;
};

Simulated simulate(int students, int answersPerStudent) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double prior[] = {0.2, 0.5, 0.3};
    const double learn[] = {0.15, 0.05, 0.3};
    const double guess[] = {0.2, 0.25, 0.1};
    const double slip[] = {0.1, 0.05, 0.15};
    Simulated sim;
    sim.students = students;
    for (int s = 0; s < students; ++s) {
        bool known[3];
        for (int k = 0; k < 3; ++k) known[k] = u(rng) < prior[k];
        for (int i = 0; i < answersPerStudent; ++i) {
            const int k = static_cast<int>(rng() % 3);
            const bool correct = known[k] ? u(rng) >= slip[k] : u(rng) < guess[k];
            sim.rows.push_back({s, k, correct ? 1 : 0});
            if (!known[k] && u(rng) < learn[k]) known[k] = true;
        }
    }
    return sim;
}

std::string asSeq3(const Simulated& sim) {
    std::string out;
    for (int s = 0; s < sim.students; ++s) {
        std::string skills;
        std::string answers;
        int n = 0;
        for (const auto& r : sim.rows) {
            if (r.student != s) continue;
            skills += (n ? "," : "") + std::to_string(r.skill + 1);
            answers += (n ? "," : "") + std::to_string(r.correct);
            ++n;
        }
        out += std::to_string(n) + "\n" + skills + "\n" + answers + "\n";
    }
    return out;
}

std::string asCsv(const Simulated& sim) {
    std::string out = "order_id,user_id,skill_name,correct\n";
    int order = 0;
    for (const auto& r : sim.rows)
        out += std::to_string(++order) + ",u" + std::to_string(r.student) + ",skill " + std::to_string(r.skill) + "," +
               std::to_string(r.correct) + "\n";
    return out;
}

std::string asHmm(const Simulated& sim) {
    std::string out;
    int step = 0;
    for (const auto& r : sim.rows)
        out += std::string(r.correct ? "1" : "2") + "\tu" + std::to_string(r.student) + "\tstep" +
               std::to_string(++step) + "\tk" + std::to_string(r.skill) + "\n";
    return out;
}

class KiteKt : public testing::Test {
protected:
    void SetUp() override {
        const std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
        dir_ = fs::temp_directory_path() / ("kite_kt_" + test + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    std::string write(const std::string& name, std::string_view contents) const {
        std::ofstream(dir_ / name, std::ios::binary) << contents;
        return path(name);
    }

    // Runs kite-kt with `args`, stdout and stderr captured in files.
    Finished run(const std::vector<std::string>& args) {
        std::vector<std::string> words = {KITE_KT_BINARY};
        words.insert(words.end(), args.begin(), args.end());
        const Finished result = kite::testing::runProgram(words, dir_, std::to_string(runs_++));
        if (result.exit < 0) ADD_FAILURE() << result.err;
        return result;
    }

    // Fits the simulated students and returns the path of the parameter file.
    std::string fitGood(const std::string& paramsName = "params.json", const std::vector<std::string>& extra = {}) {
        const std::string train = write("train.txt", asSeq3(simulate(60, 30)));
        std::vector<std::string> args = {"bkt", "fit", train, "--out", path(paramsName), "--quiet"};
        args.insert(args.end(), extra.begin(), extra.end());
        const Finished r = run(args);
        EXPECT_EQ(r.exit, 0) << r.err;
        return path(paramsName);
    }

    fs::path dir_;
    int runs_ = 0;
};

// Describes a run for failure messages.
std::string describe(const Finished& r) {
    return "exit " + std::to_string(r.exit) + "\nstdout: " + r.out + "\nstderr: " + r.err;
}

TEST_F(KiteKt, HelpPrintsUsageAndExitsZero) {
    const Finished r = run({"--help"});
    EXPECT_EQ(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "Usage:")) << r.out;
    EXPECT_TRUE(contains(r.out, "bkt fit")) << r.out;
}

TEST_F(KiteKt, UnknownCommandExitsTwoWithAMessage) {
    const Finished r = run({"hmm", "train"});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "unknown command 'hmm train'")) << r.err;
    EXPECT_TRUE(contains(r.err, "--help")) << r.err;
}

TEST_F(KiteKt, NoCommandExitsTwo) {
    const Finished r = run({});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "missing command")) << r.err;
}

TEST_F(KiteKt, FitWithoutOutExitsTwoAskingForIt) {
    const std::string train = write("train.txt", asSeq3(simulate(5, 5)));
    const Finished r = run({"bkt", "fit", train});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "--out")) << r.err;
}

TEST_F(KiteKt, BadRestartsValueExitsTwoNamingTheOption) {
    const std::string train = write("train.txt", asSeq3(simulate(5, 5)));
    for (const char* value : {"many", "0", "-2", "3x"}) {
        const Finished r = run({"bkt", "fit", train, "--out", path("p.json"), "--restarts", value});
        EXPECT_EQ(r.exit, 2) << value << ": " << describe(r);
        EXPECT_TRUE(contains(r.err, "restarts")) << value << ": " << r.err;
        EXPECT_FALSE(fs::exists(path("p.json"))) << value;
    }
}

TEST_F(KiteKt, UnknownOptionExitsTwoNamingIt) {
    const std::string train = write("train.txt", asSeq3(simulate(5, 5)));
    const Finished r = run({"bkt", "fit", train, "--out", path("p.json"), "--frobnicate"});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "--frobnicate")) << r.err;
}

TEST_F(KiteKt, FitWritesAParameterFileWithEverySkill) {
    const std::string params = fitGood();
    const Json doc = Json::parse(readFile(params));  // throws, failing the test, on invalid JSON
    EXPECT_EQ(doc.at("format"), "kite-bkt-params");
    ASSERT_TRUE(doc.at("skills").is_object());
    EXPECT_EQ(doc.at("skills").size(), 3u);
    for (const auto& [name, skill] : doc.at("skills").items()) {
        for (const char* p : {"prior", "learn", "forget", "guess", "slip"}) {
            ASSERT_TRUE(skill.at(p).is_number()) << name << "/" << p;
            EXPECT_GE(skill.at(p).get<double>(), 0.0) << name << "/" << p;
            EXPECT_LE(skill.at(p).get<double>(), 1.0) << name << "/" << p;
        }
    }
    EXPECT_FALSE(fs::exists(params + ".tmp"));
}

TEST_F(KiteKt, FitReadsTablesAndHmmFilesToo) {
    const Simulated sim = simulate(30, 20);
    for (const auto& [name, text] : {std::pair{"train.csv", asCsv(sim)}, std::pair{"train_hmm.txt", asHmm(sim)}}) {
        const Finished r =
            run({"bkt", "fit", write(name, text), "--out", path(std::string(name) + ".json"), "--quiet"});
        EXPECT_EQ(r.exit, 0) << name << ": " << describe(r);
        EXPECT_TRUE(contains(r.out, "600 answers of 30 students")) << r.out;
        EXPECT_EQ(Json::parse(readFile(path(std::string(name) + ".json"))).at("skills").size(), 3u) << name;
    }
}

TEST_F(KiteKt, EvalJsonPrintsOneObjectWithTheMetrics) {
    const std::string params = fitGood();
    const std::string test = write("test.txt", asSeq3(simulate(20, 10)));
    const Finished r = run({"bkt", "eval", params, test, "--json"});
    ASSERT_EQ(r.exit, 0) << describe(r);
    ASSERT_FALSE(r.out.empty());
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "expected one line: " << r.out;
    const Json doc = Json::parse(r.out);
    ASSERT_TRUE(doc.is_object()) << r.out;
    for (const char* key : {"auc", "rmse", "accuracy", "loglik", "n", "seconds"})
        EXPECT_TRUE(doc.contains(key) && doc.at(key).is_number()) << key << " missing in " << r.out;
    EXPECT_EQ(doc.at("n"), 200);
    EXPECT_GT(doc.at("auc").get<double>(), 0.5);
    EXPECT_LE(doc.at("auc").get<double>(), 1.0);
    EXPECT_GT(doc.at("rmse").get<double>(), 0.0);
    EXPECT_LT(doc.at("rmse").get<double>(), 1.0);
}

TEST_F(KiteKt, EvalWithoutJsonPrintsATable) {
    const std::string params = fitGood();
    const Finished r = run({"bkt", "eval", params, write("test.txt", asSeq3(simulate(20, 10)))});
    ASSERT_EQ(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "AUC")) << r.out;
    EXPECT_TRUE(contains(r.out, "RMSE")) << r.out;
}

struct BadInput {
    const char* file;
    const char* text;
    int line;
    const char* says;
};

const BadInput kBadInputs[] = {
    {"seq3_missing_answers.txt", "2\n1,2\n0,1\n3\n1,2,3\n", 6, "file ends"},
    {"seq3_missing_skills.txt", "2\n1,2\n0,1\n3\n", 5, "file ends"},
    {"seq3_bad_answer.txt", "2\n1,2\n0,1\n2\n1,2\n1,2\n", 6, "expected 0 or 1"},
    {"table.csv", "order_id,user_id,skill_name,correct\n1,a,x,1\n2,a,x,yes\n", 3, "'yes'"},
    {"truncated.csv", "order_id,user_id,skill_name,correct\n1,a,x,1\n2,a,", 3, "expected at least 4 fields"},
    {"datashop.tsv", "Row\tAnon Student Id\tKC(Default)\tCorrect First Attempt\n1\ts\tk\t1\n2\ts\tk\tY\n3\ts\tk\t0\n",
     3, "'Correct First Attempt'"},
    {"hmm_bad_obs.txt", "1\ts\tq1\tA\nx\ts\tq2\tA\n", 2, "1 (correct), 2 (wrong) or . (unknown)"},
    {"hmm_truncated.txt", "1\ts\tq1\tA\n2\ts\tq", 2, "expected 4 tab-separated fields"},
};

TEST_F(KiteKt, MalformedInputOfEveryFormatExitsTwoNamingFileAndLine) {
    const std::string params = fitGood();
    for (const BadInput& bad : kBadInputs) {
        const std::string file = write(bad.file, bad.text);
        const std::string where = file + ": line " + std::to_string(bad.line) + ":";
        const Finished fit = run({"bkt", "fit", file, "--out", path("bad.json")});
        EXPECT_EQ(fit.exit, 2) << bad.file << ": " << describe(fit);
        EXPECT_TRUE(contains(fit.err, where)) << "expected '" << where << "' in: " << fit.err;
        EXPECT_TRUE(contains(fit.err, bad.says)) << "expected '" << bad.says << "' in: " << fit.err;
        EXPECT_FALSE(fs::exists(path("bad.json"))) << bad.file;

        const Finished eval = run({"bkt", "eval", params, file});
        EXPECT_EQ(eval.exit, 2) << bad.file << ": " << describe(eval);
        EXPECT_TRUE(contains(eval.err, where)) << "expected '" << where << "' in: " << eval.err;
    }
}

TEST_F(KiteKt, MissingTrainingFileExitsTwoNamingIt) {
    const std::string missing = path("nowhere.csv");
    const Finished r = run({"bkt", "fit", missing, "--out", path("p.json")});
    EXPECT_EQ(r.exit, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, missing + ": cannot open")) << r.err;
}

TEST_F(KiteKt, CorruptedParameterFileExitsTwoWithAClearMessage) {
    const std::string good = readFile(fitGood());
    Json guess = Json::parse(good);
    guess["skills"].begin().value()["guess"] = 1.7;
    Json renamed = Json::parse(good);
    renamed["format"] = "pybkt-params";
    Json noSkills = Json::parse(good);
    noSkills.erase("skills");
    const std::string test = write("test.txt", asSeq3(simulate(5, 5)));
    const struct {
        const char* file;
        std::string text;
        const char* says;
    } cases[] = {
        {"truncated.json", good.substr(0, good.size() / 2), "not valid JSON"},
        {"guess.json", guess.dump(2), "expected a probability in [0, 1], got 1.7"},
        {"not_json.json", "prior=0.3\nlearn=0.1\n", "not valid JSON"},
        {"empty.json", "", "not valid JSON"},
        {"renamed.json", renamed.dump(2), "not a Kite BKT parameter file"},
        {"no_skills.json", noSkills.dump(2), "\"skills\""},
        {"array.json", "[1, 2, 3]", "expected a JSON object"},
    };
    for (const auto& c : cases) {
        const std::string file = write(c.file, c.text);
        const Finished r = run({"bkt", "eval", file, test});
        EXPECT_EQ(r.exit, 2) << c.file << ": " << describe(r);
        EXPECT_TRUE(contains(r.err, file + ":")) << "expected the file name in: " << r.err;
        EXPECT_TRUE(contains(r.err, c.says)) << "expected '" << c.says << "' in: " << r.err;
        EXPECT_TRUE(r.out.empty()) << c.file << ": " << r.out;
    }
    const Finished missing = run({"bkt", "eval", path("absent.json"), test});
    EXPECT_EQ(missing.exit, 2) << describe(missing);
    EXPECT_TRUE(contains(missing.err, path("absent.json") + ": cannot open")) << missing.err;
}

TEST_F(KiteKt, FitToAFolderThatDoesNotExistFailsWithAMessage) {
    const std::string train = write("train.txt", asSeq3(simulate(10, 10)));
    const std::string out = path("no_such_folder/params.json");
    const Finished r = run({"bkt", "fit", train, "--out", out, "--quiet"});
    EXPECT_NE(r.exit, 0) << describe(r);
    EXPECT_TRUE(contains(r.err, path("no_such_folder"))) << r.err;
    EXPECT_FALSE(fs::exists(path("no_such_folder")));
}

TEST_F(KiteKt, FailedFitLeavesAnExistingParameterFileUntouched) {
    const std::string params = fitGood();
    const std::string before = readFile(params);
    ASSERT_FALSE(before.empty());
    for (const BadInput& bad : kBadInputs) {
        const Finished r = run({"bkt", "fit", write(bad.file, bad.text), "--out", params, "--quiet"});
        EXPECT_EQ(r.exit, 2) << bad.file << ": " << describe(r);
        EXPECT_EQ(readFile(params), before) << bad.file << " changed " << params;
    }
    const Finished usage = run({"bkt", "fit", path("absent.txt"), "--out", params, "--restarts", "0"});
    EXPECT_EQ(usage.exit, 2) << describe(usage);
    EXPECT_EQ(readFile(params), before);
    EXPECT_FALSE(fs::exists(params + ".tmp"));
}

TEST_F(KiteKt, FitsWithTheSameSeedWriteIdenticalSkills) {
    const std::string a = fitGood("a.json", {"--seed", "7"});
    const std::string b = fitGood("b.json", {"--seed", "7"});
    // The text from "skills" up to "fit" (which holds the time of the run).
    const auto skillsText = [](const std::string& text) {
        const auto begin = text.find("\"skills\"");
        const auto end = text.find("\"fit\"", begin);
        EXPECT_NE(begin, std::string::npos);
        EXPECT_NE(end, std::string::npos);
        return text.substr(begin, end - begin);
    };
    const std::string textA = readFile(a);
    const std::string textB = readFile(b);
    EXPECT_EQ(skillsText(textA), skillsText(textB));
    EXPECT_EQ(Json::parse(textA).at("skills"), Json::parse(textB).at("skills"));
    EXPECT_EQ(Json::parse(textA).at("fit").at("seed"), 7);
}

}  // namespace
