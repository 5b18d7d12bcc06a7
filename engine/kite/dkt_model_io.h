// MODEL.kdkt: a trained DKT network on disk, and a student's LSTM state as
// bytes for the server to store. Formats in docs/formats.md. Every load
// checks the header, the sizes and a CRC-32, so a truncated or damaged file
// gives a clear error instead of garbage predictions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kite/dkt.h"
#include "kite/dkt_train.h"
#include "kite/result.h"

namespace kite::dkt {

// Extra facts stored with a model.
struct ModelInfo {
    std::int64_t created = 0;  // seconds since the Unix epoch
};

std::vector<std::uint8_t> encodeModel(const TrainedModel& model, const ModelInfo& info);
Result<TrainedModel> decodeModel(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                 ModelInfo* info = nullptr);

// Writes beside `path` and renames into place.
Status saveModel(const std::string& path, const TrainedModel& model, const ModelInfo& info);
Result<TrainedModel> loadModel(const std::string& path, ModelInfo* info = nullptr);

// A student's (h, c): 4-byte hidden size, 2H float32 values, CRC-32.
std::vector<std::uint8_t> encodeState(const State<float>& state);
Result<State<float>> decodeState(const std::vector<std::uint8_t>& bytes, std::int32_t hidden);

}  // namespace kite::dkt
