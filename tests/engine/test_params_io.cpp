// PARAMS.json: what kite-kt writes reads back the same, and a damaged file is
// refused with a message that says where.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "kite/bkt_params_io.h"

namespace kite::bkt {
namespace {

namespace fs = std::filesystem;

Model sampleModel() {
    Model m;
    SkillModel a;
    a.name = "fractions";
    a.params = {0.31, 0.17, 0.0, 0.21, 0.093};
    a.answers = 120;
    a.loglik = -61.25;
    a.iterations = 14;
    a.converged = true;
    SkillModel b;
    b.name = "decimals, \"quoted\"";
    b.params = {0.5, 0.1, 0.05, 0.25, 0.1};
    b.item_names = {"t1", "t2"};
    b.items = {{0.1, 0.2}, {0.4, 0.05}};
    m.skills = {a, b};
    m.unseen = {0.45, 0.12, 0.0, 0.2, 0.1};
    return m;
}

fs::path tempFile(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("kite-params-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

TEST(ParamsFile, SavedModelReadsBackExactly) {
    const fs::path path = tempFile("roundtrip.json");
    ASSERT_TRUE(saveModel(path.string(), sampleModel(), FitRecord{}).ok());
    EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
    auto back = loadModel(path.string());
    ASSERT_TRUE(back.ok()) << back.error().message;
    const Model want = sampleModel();
    ASSERT_EQ(back->skills.size(), 2U);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(back->skills[i].name, want.skills[i].name);
        EXPECT_EQ(back->skills[i].params.prior, want.skills[i].params.prior);
        EXPECT_EQ(back->skills[i].params.slip, want.skills[i].params.slip);
        EXPECT_EQ(back->skills[i].params.forget, want.skills[i].params.forget);
    }
    EXPECT_EQ(back->skills[0].iterations, 14);
    EXPECT_TRUE(back->skills[0].converged);
    ASSERT_EQ(back->skills[1].items.size(), 2U);
    EXPECT_EQ(back->skills[1].item_names[1], "t2");
    EXPECT_EQ(back->skills[1].items[1].guess, 0.4);
    EXPECT_EQ(back->unseen.prior, 0.45);
}

struct BadFile {
    const char* text;
    const char* expected;  // part of the message
};

class DamagedParams : public ::testing::TestWithParam<BadFile> {};

TEST_P(DamagedParams, IsRefusedWithAMessageNamingFileAndPlace) {
    auto r = parseModel(GetParam().text, "p.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind("p.json: ", 0), 0U) << r.error().message;
    EXPECT_NE(r.error().message.find(GetParam().expected), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DamagedParams,
    ::testing::Values(
        BadFile{"", "not valid JSON"},
        BadFile{R"({"format": "kite-bkt-params", "version": 1, "skills": {"a": {"prior": 0.1,)", "not valid JSON"},
        BadFile{R"([1, 2])", "expected a JSON object"},
        BadFile{R"({"format": "something-else", "version": 1, "skills": {}})", "not a Kite BKT parameter file"},
        BadFile{R"({"format": "kite-bkt-params", "version": 99, "skills": {}})", "newer"},
        BadFile{R"({"format": "kite-bkt-params", "version": 1})", "skills"},
        BadFile{
            R"({"format": "kite-bkt-params", "version": 1, "skills": {"a": {"prior": 0.1, "learn": 0.1, "forget": 0, "guess": 1.7, "slip": 0.1}}})",
            "skills/\"a\"/guess: expected a probability in [0, 1], got 1.7"},
        BadFile{
            R"({"format": "kite-bkt-params", "version": 1, "skills": {"a": {"prior": 0.1, "learn": 0.1, "forget": 0, "guess": 0.2}}})",
            "missing \"slip\""},
        BadFile{
            R"({"format": "kite-bkt-params", "version": 1, "skills": {"a": {"prior": "x", "learn": 0.1, "forget": 0, "guess": 0.2, "slip": 0.1}}})",
            "expected a number"},
        BadFile{
            R"({"format": "kite-bkt-params", "version": 1, "skills": {"a": {"prior": 0.1, "learn": 0.1, "forget": 0, "guess": 0.2, "slip": 0.1, "items": {"t": {"guess": -1, "slip": 0}}}}})",
            "items/\"t\"/guess"}));

TEST(ParamsFile, SkillNameThatIsNotUtf8IsSavedWithAReplacementCharacter) {
    Model m = sampleModel();
    m.skills[0].name = "fractions \xe9" "crites";  // Latin-1, as some exports write it
    const fs::path path = tempFile("latin1.json");
    ASSERT_TRUE(saveModel(path.string(), m, FitRecord{}).ok());
    auto back = loadModel(path.string());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->skills[0].name, "fractions \xef\xbf\xbd" "crites");
}

TEST(ParamsFile, MissingFileSaysSo) {
    auto r = loadModel("/nonexistent/dir/params.json");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("/nonexistent/dir/params.json: cannot open"), std::string::npos);
}

TEST(ParamsFile, FailedSaveLeavesNothingBehind) {
    auto r = saveModel("/nonexistent/dir/params.json", sampleModel(), FitRecord{});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("/nonexistent/dir/params.json"), std::string::npos);
}

}  // namespace
}  // namespace kite::bkt
