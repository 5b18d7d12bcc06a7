// Readers for knowledge-tracing data files. Every error names the file, the
// line and what was expected; nothing is partially returned on error.
// The formats are described in docs/formats.md.
#pragma once

#include <string>
#include <string_view>

#include "kite/dataset.h"
#include "kite/result.h"

namespace kite {

enum class DataFormat {
    kAuto,      // decided from the first line of the file
    kSeq3,      // 3 lines per student: count, skill ids, 0/1 answers
    kCsv,       // delimited table with a header: user_id, skill_name, correct, [order_id]
    kDataShop,  // PSLC DataShop step export: Anon Student Id, KC(Default), Correct First Attempt
    kHmm,       // hmm-scalable: obs<TAB>student<TAB>step<TAB>skill(s)
};

// Parses "auto", "seq3", "csv", "datashop", "hmm".
Result<DataFormat> parseDataFormat(std::string_view name);
const char* dataFormatName(DataFormat format);

struct ReadOptions {
    DataFormat format = DataFormat::kAuto;
    // Column whose values select per-item guess/slip (KT-IDEM). Empty: no items.
    // "auto": template_id (ASSISTments) or Problem Name (DataShop).
    // Only tables have such a column; for seq3 and hmm files the item is the step.
    std::string item_column;
};

// What a reader did besides producing answers, for the user to see.
struct ReadReport {
    DataFormat format = DataFormat::kAuto;  // the format actually read
    long long rows = 0;                     // data rows/records read
    long long rows_without_skill = 0;       // skipped: empty skill cell
    long long multi_skill_rows = 0;         // rows that named several skills ("a~~b")
};

// Reads a whole file. On success every answer has a skill and an outcome.
Result<Dataset> readDataset(const std::string& path, const ReadOptions& options, ReadReport* report = nullptr);

// Same, from text already in memory; `name` is used in error messages.
Result<Dataset> parseDataset(std::string_view text, const std::string& name, const ReadOptions& options,
                             ReadReport* report = nullptr);

}  // namespace kite
