// MODEL.kdkt and the stored student state: what is saved loads back to the
// same predictions, and a damaged file is refused with a clear message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "kite/dkt_model_io.h"

namespace kite::dkt {
namespace {

namespace fs = std::filesystem;

TrainedModel sampleModel() {
    TrainedModel m;
    m.weights = Weights<float>(4, 6);
    m.weights.initialise(5);
    m.skill_names = {"fractions", "decimals", "ratios", "percent"};
    m.answers = 1234;
    m.epochs = 7;
    m.best_epoch = 5;
    m.valid_auc = 0.75;
    return m;
}

TEST(DktModelFile, SaveThenLoadGivesIdenticalPredictions) {
    const fs::path path = fs::temp_directory_path() / ("kite-dkt-" + std::to_string(::getpid()) + ".kdkt");
    const TrainedModel m = sampleModel();
    ASSERT_TRUE(saveModel(path.string(), m, ModelInfo{1700000000}).ok());
    ModelInfo info;
    auto back = loadModel(path.string(), &info);
    ASSERT_TRUE(back.ok()) << back.error().message;
    fs::remove(path);
    EXPECT_EQ(info.created, 1700000000);
    EXPECT_EQ(back->skill_names, m.skill_names);
    EXPECT_EQ(back->answers, 1234);
    EXPECT_EQ(back->best_epoch, 5);
    EXPECT_EQ(back->valid_auc, 0.75);
    State<float> a = initialState(m.weights);
    State<float> b = initialState(back->weights);
    for (int i = 0; i < 20; ++i) {
        advance(m.weights, a, i % 4, i % 3 == 0);
        advance(back->weights, b, i % 4, i % 3 == 0);
        EXPECT_EQ(predict(m.weights, a, (i + 1) % 4), predict(back->weights, b, (i + 1) % 4));
    }
}

TEST(DktModelFile, EveryTruncationIsRefused) {
    const std::vector<std::uint8_t> bytes = encodeModel(sampleModel(), ModelInfo{});
    for (std::size_t n = 0; n < bytes.size(); n += 7) {
        const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        auto r = decodeModel(cut, "m.kdkt");
        ASSERT_FALSE(r.ok()) << "accepted a file cut to " << n << " bytes";
        EXPECT_EQ(r.error().message.rfind("m.kdkt: ", 0), 0U) << r.error().message;
    }
}

TEST(DktModelFile, EveryFlippedByteIsRefused) {
    const std::vector<std::uint8_t> bytes = encodeModel(sampleModel(), ModelInfo{});
    std::mt19937_64 rng(3);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::vector<std::uint8_t> bad = bytes;
        bad[i] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        auto r = decodeModel(bad, "m.kdkt");
        ASSERT_FALSE(r.ok()) << "accepted a change at byte " << i;
    }
}

TEST(DktModelFile, MessagesSayWhatIsWrong) {
    std::vector<std::uint8_t> bytes = encodeModel(sampleModel(), ModelInfo{});
    auto notModel = decodeModel({'h', 'e', 'l', 'l', 'o', '!', '!', '!', 0, 0, 0, 0}, "x.kdkt");
    EXPECT_NE(notModel.error().message.find("not a Kite DKT model"), std::string::npos);
    bytes.resize(bytes.size() / 2);
    auto truncated = decodeModel(bytes, "x.kdkt");
    EXPECT_NE(truncated.error().message.find("truncated"), std::string::npos) << truncated.error().message;
    auto missing = loadModel("/nonexistent/m.kdkt");
    EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos);
}

TEST(DktStudentState, RoundTripsAndRejectsDamage) {
    const TrainedModel m = sampleModel();
    State<float> s = initialState(m.weights);
    advance(m.weights, s, 2, true);
    const std::vector<std::uint8_t> bytes = encodeState(s);
    auto back = decodeState(bytes, m.weights.hidden);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->h, s.h);
    EXPECT_EQ(back->c, s.c);
    std::vector<std::uint8_t> bad = bytes;
    bad[10] ^= 0x40;
    EXPECT_FALSE(decodeState(bad, m.weights.hidden).ok());
    EXPECT_FALSE(decodeState(bytes, m.weights.hidden + 1).ok());
}

}  // namespace
}  // namespace kite::dkt
