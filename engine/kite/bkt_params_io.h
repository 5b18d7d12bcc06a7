// PARAMS.json: a fitted BKT model on disk (format in docs/formats.md).
#pragma once

#include <cstdint>
#include <string>

#include "kite/bkt.h"
#include "kite/result.h"

namespace kite::bkt {

// How a model was made, stored under "fit" for whoever reads the file later.
struct FitRecord {
    std::string tool;     // e.g. "kite-kt 0.1.0"
    std::string created;  // UTC, ISO 8601
    std::string data;     // training file
    std::string format;   // its format
    long long answers = 0;
    long long students = 0;
    int restarts = 0;
    std::uint64_t seed = 0;
    bool forgets = false;
    bool per_item = false;
    int fixed_iterations = 0;
    double tolerance = 0.0;
    double seconds = 0.0;
    double loglik = 0.0;
};

std::string toJson(const Model& model, const FitRecord& record);

// Writes next to `path` and renames into place, so a crash never leaves a
// half-written file where a good one was.
Status saveModel(const std::string& path, const Model& model, const FitRecord& record);

// Errors name the file and the offending key, e.g.
// "params.json: skills/\"11\"/guess: expected a probability in [0, 1], got 1.7".
Result<Model> parseModel(const std::string& text, const std::string& name);
Result<Model> loadModel(const std::string& path);

}  // namespace kite::bkt
