#include "kite/readers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "file_io.h"

namespace kite {
namespace {

// ---- text helpers -------------------------------------------------------

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Shortens a cell for an error message so a binary blob cannot flood the terminal.
std::string quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    if (s.size() > 40) out += "...";
    return out + "'";
}

std::optional<long long> parseInteger(std::string_view s) {
    s = trim(s);
    long long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

std::optional<double> parseNumber(std::string_view s) {
    s = trim(s);
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return value;
}

// "0", "1", "-1" (no response), also "0.0" and "1.0" as spreadsheets write them.
std::optional<Outcome> parseOutcome(std::string_view s) {
    auto v = parseNumber(s);
    if (!v) return std::nullopt;
    if (*v == 1.0) return Outcome::kCorrect;
    if (*v == 0.0) return Outcome::kWrong;
    if (*v == -1.0) return Outcome::kNoResponse;
    return std::nullopt;
}

Error errorAt(const std::string& name, long long line, const std::string& what) {
    return Error{name + ": line " + std::to_string(line) + ": " + what};
}

// Splits `s` on `sep` (a single character).
void splitInto(std::string_view s, char sep, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    for (;;) {
        std::size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.push_back(s.substr(start));
            return;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

// Iterates over lines, counting them from 1; strips a trailing '\r'.
class Lines {
public:
    explicit Lines(std::string_view text) : text_(text) {}
    bool next(std::string_view& line) {
        if (pos_ >= text_.size()) return false;
        std::size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        line = text_.substr(pos_, end - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos_ = end + 1;
        ++number_;
        return true;
    }
    long long number() const { return number_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    long long number_ = 0;
};

// Line (from 1) of the first NUL byte, or 0 when the text has none.
long long lineOfFirstNul(std::string_view text) {
    const std::size_t at = text.find('\0');
    if (at == std::string_view::npos) return 0;
    return 1 + static_cast<long long>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

bool isBlankRecord(const std::vector<std::string>& fields) {
    return fields.size() == 1 && trim(fields[0]).empty();
}

// ---- 3-line sequences ----------------------------------------------------

// Splits a comma-separated list; one trailing comma is allowed.
void listCells(std::string_view line, std::vector<std::string_view>& cells) {
    line = trim(line);
    if (!line.empty() && line.back() == ',') line.remove_suffix(1);
    cells.clear();
    if (!line.empty()) splitInto(line, ',', cells);
}

Result<Dataset> readSeq3(std::string_view text, const std::string& name, ReadReport& report) {
    Dataset data;
    Lines lines(text);
    std::string_view line;
    std::vector<std::string_view> skills;
    std::vector<std::string_view> outcomes;
    while (lines.next(line)) {
        if (trim(line).empty()) continue;  // blank lines between or after records
        const long long countLine = lines.number();
        auto count = parseInteger(line);
        if (!count || *count < 0)
            return errorAt(name, countLine,
                           "expected the number of answers of a student (a whole number), got " + quoted(trim(line)));
        if (!lines.next(line))
            return errorAt(
                name, countLine + 1,
                "file ends after the answer count; expected a line of " + std::to_string(*count) + " skill ids");
        listCells(line, skills);
        if (static_cast<long long>(skills.size()) != *count)
            return errorAt(name, lines.number(),
                           "expected " + std::to_string(*count) + " comma-separated skill ids, got " +
                               std::to_string(skills.size()));
        const long long skillLine = lines.number();
        if (!lines.next(line))
            return errorAt(
                name, skillLine + 1,
                "file ends after the skill ids; expected a line of " + std::to_string(*count) + " answers (0 or 1)");
        listCells(line, outcomes);
        if (outcomes.size() != skills.size())
            return errorAt(name, lines.number(),
                           "expected " + std::to_string(*count) + " comma-separated answers (0 or 1), got " +
                               std::to_string(outcomes.size()));
        const auto student = data.students.intern(std::to_string(data.students.size() + 1));
        for (std::size_t i = 0; i < skills.size(); ++i) {
            auto id = parseInteger(skills[i]);
            if (!id || *id < 1)
                return errorAt(name, skillLine,
                               "skill id " + std::to_string(i + 1) + ": expected a positive whole number, got " +
                                   quoted(skills[i]));
            auto outcome = parseOutcome(outcomes[i]);
            if (!outcome || *outcome == Outcome::kNoResponse)
                return errorAt(name, lines.number(),
                               "answer " + std::to_string(i + 1) + ": expected 0 or 1, got " + quoted(outcomes[i]));
            data.answers.push_back({student, data.skills.intern(std::to_string(*id)), -1, *outcome});
        }
        ++report.rows;
    }
    return data;
}

// ---- delimited tables (CSV / TSV with a header) --------------------------

// Reads one record of a delimited file, honouring RFC 4180 quotes (a quoted
// field may hold the delimiter, doubled quotes and newlines).
class RecordReader {
public:
    RecordReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

    // Returns false at end of input. `line` is the line the record starts on.
    bool next(std::vector<std::string>& fields, long long& line, std::string& problem) {
        fields.clear();
        problem.clear();
        if (pos_ >= text_.size()) return false;
        line = line_;
        std::string field;
        bool inQuotes = false;
        bool wasQuoted = false;
        while (pos_ < text_.size()) {
            char c = text_[pos_++];
            if (inQuotes) {
                if (c == '"') {
                    if (pos_ < text_.size() && text_[pos_] == '"') {
                        field += '"';
                        ++pos_;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (c == '\n') ++line_;
                    field += c;
                }
                continue;
            }
            if (c == '"' && field.empty() && !wasQuoted) {
                inQuotes = wasQuoted = true;
            } else if (c == delimiter_) {
                fields.push_back(std::move(field));
                field.clear();
                wasQuoted = false;
            } else if (c == '\n') {
                ++line_;
                break;
            } else if (c != '\r' || (pos_ < text_.size() && text_[pos_] != '\n')) {
                field += c;
            }
        }
        if (inQuotes) problem = "a quoted field is not closed before the end of the file";
        fields.push_back(std::move(field));
        return true;
    }

private:
    std::string_view text_;
    char delimiter_;
    std::size_t pos_ = 0;
    long long line_ = 1;
};

// Column names accepted for each role, most specific first (compared without case).
constexpr std::array kStudentColumns = {"user_id", "anon student id", "student_id", "student"};
constexpr std::array kSkillColumns = {"skill_name", "kc(default)", "skill_id", "skill", "kc"};
constexpr std::array kCorrectColumns = {"correct", "correct first attempt"};
constexpr std::array kOrderColumns = {"order_id", "row"};
constexpr std::array kItemColumns = {"template_id", "problem name", "item_id", "problem_id"};

template <std::size_t N>
int findColumn(const std::vector<std::string>& header, const std::array<const char*, N>& names) {
    for (const char* wanted : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (lower(trim(header[i])) == wanted) return static_cast<int>(i);
    return -1;
}

template <std::size_t N>
std::string alternatives(const std::array<const char*, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += (i ? (i + 1 == N ? " or '" : ", '") : "'") + std::string(names[i]) + "'";
    return out;
}

struct TableRow {
    std::int32_t student;
    double order;
    std::int32_t skill;
    std::int32_t item;
    Outcome outcome;
};

Result<Dataset> readTable(std::string_view text, const std::string& name, const ReadOptions& options,
                          ReadReport& report) {
    // The header is the first non-blank line; a tab in it makes the file tab-separated.
    Lines lines(text);
    std::string_view firstLine;
    while (lines.next(firstLine) && trim(firstLine).empty()) {
    }
    const char delimiter = firstLine.find('\t') != std::string_view::npos ? '\t' : ',';
    RecordReader reader(text, delimiter);
    std::vector<std::string> header;
    long long line = 0;
    std::string problem;
    bool haveHeader = false;
    while ((haveHeader = reader.next(header, line, problem)) && isBlankRecord(header)) {
    }
    if (!haveHeader) return Error{name + ": the file is empty; expected a header line"};
    if (!problem.empty()) return errorAt(name, line, problem);
    const int studentCol = findColumn(header, kStudentColumns);
    const int skillCol = findColumn(header, kSkillColumns);
    const int correctCol = findColumn(header, kCorrectColumns);
    const int orderCol = findColumn(header, kOrderColumns);
    int itemCol = -1;
    if (options.item_column == "auto") {
        itemCol = findColumn(header, kItemColumns);
        if (itemCol < 0)
            return errorAt(name, 1, "no item column: expected one of " + alternatives(kItemColumns) + " (or name one)");
    } else if (!options.item_column.empty()) {
        const std::string wanted = lower(options.item_column);
        for (std::size_t i = 0; i < header.size(); ++i)
            if (lower(trim(header[i])) == wanted) itemCol = static_cast<int>(i);
        if (itemCol < 0) return errorAt(name, 1, "no column named " + quoted(options.item_column) + " for items");
    }
    if (studentCol < 0)
        return errorAt(name, 1, "no student column: expected a header with " + alternatives(kStudentColumns));
    if (skillCol < 0) return errorAt(name, 1, "no skill column: expected a header with " + alternatives(kSkillColumns));
    if (correctCol < 0)
        return errorAt(name, 1, "no answer column: expected a header with " + alternatives(kCorrectColumns));
    if (options.format == DataFormat::kDataShop &&
        lower(trim(header[static_cast<std::size_t>(studentCol)])) != "anon student id")
        return errorAt(
            name, 1,
            "not a DataShop export: expected the columns 'Anon Student Id', 'KC(Default)' and 'Correct First Attempt'");

    Dataset data;
    std::vector<TableRow> rows;
    std::vector<std::string> fields;
    std::vector<std::string_view> kcs;
    const std::size_t needed =
        static_cast<std::size_t>(std::max({studentCol, skillCol, correctCol, orderCol, itemCol})) + 1;
    while (reader.next(fields, line, problem)) {
        if (!problem.empty()) return errorAt(name, line, problem);
        if (isBlankRecord(fields)) continue;  // blank line
        if (fields.size() < needed)
            return errorAt(name, line,
                           "expected at least " + std::to_string(needed) + " fields separated by " +
                               (delimiter == '\t' ? "tabs" : "commas") + ", got " + std::to_string(fields.size()));
        ++report.rows;
        const auto& cell = [&](int col) -> const std::string& { return fields[static_cast<std::size_t>(col)]; };
        const std::string_view skillCell = trim(cell(skillCol));
        if (skillCell.empty()) {
            ++report.rows_without_skill;
            continue;
        }
        auto outcome = parseOutcome(cell(correctCol));
        if (!outcome)
            return errorAt(name, line,
                           "column " + quoted(header[static_cast<std::size_t>(correctCol)]) +
                               ": expected 0, 1 or -1 (no response), got " + quoted(cell(correctCol)));
        const std::string_view studentCell = trim(cell(studentCol));
        if (studentCell.empty())
            return errorAt(
                name, line,
                "column " + quoted(header[static_cast<std::size_t>(studentCol)]) + ": the student id is empty");
        double order = static_cast<double>(rows.size());
        if (orderCol >= 0) {
            auto v = parseNumber(cell(orderCol));
            if (!v || !std::isfinite(*v))
                return errorAt(name, line,
                               "column " + quoted(header[static_cast<std::size_t>(orderCol)]) +
                                   ": expected a number, got " + quoted(cell(orderCol)));
            order = *v;
        }
        // DataShop writes several knowledge components as "a~~b": one answer on each.
        kcs.clear();
        std::string_view rest = skillCell;
        for (std::size_t pos; (pos = rest.find("~~")) != std::string_view::npos; rest.remove_prefix(pos + 2))
            if (!trim(rest.substr(0, pos)).empty()) kcs.push_back(trim(rest.substr(0, pos)));
        if (!trim(rest).empty()) kcs.push_back(trim(rest));
        if (kcs.empty()) {  // only separators, e.g. "~~"
            ++report.rows_without_skill;
            continue;
        }
        if (kcs.size() > 1) ++report.multi_skill_rows;
        const std::int32_t student = data.students.intern(studentCell);
        const std::int32_t item = itemCol >= 0 ? data.items.intern(trim(cell(itemCol))) : -1;
        for (std::string_view kc : kcs) rows.push_back({student, order, data.skills.intern(kc), item, *outcome});
    }
    // Students in order of first appearance, answers by order column (stable).
    std::stable_sort(rows.begin(), rows.end(), [](const TableRow& a, const TableRow& b) {
        return a.student != b.student ? a.student < b.student : a.order < b.order;
    });
    data.answers.reserve(rows.size());
    for (const TableRow& r : rows) data.answers.push_back({r.student, r.skill, r.item, r.outcome});
    return data;
}

// ---- hmm-scalable ---------------------------------------------------------

Result<Dataset> readHmm(std::string_view text, const std::string& name, const ReadOptions& options,
                        ReadReport& report) {
    Dataset data;
    Lines lines(text);
    std::string_view line;
    std::vector<std::string_view> fields;
    std::vector<Answer> answers;
    while (lines.next(line)) {
        if (trim(line).empty()) continue;
        splitInto(line, '\t', fields);
        if (fields.size() < 4)
            return errorAt(name, lines.number(),
                           "expected 4 tab-separated fields (observation, student, step, skill), got " +
                               std::to_string(fields.size()));
        const std::string_view obs = trim(fields[0]);
        Outcome outcome;
        if (obs == "1")
            outcome = Outcome::kCorrect;
        else if (obs == "2")
            outcome = Outcome::kWrong;
        else if (obs == ".")
            outcome = Outcome::kNoResponse;
        else
            return errorAt(name, lines.number(),
                           "observation: expected 1 (correct), 2 (wrong) or . (unknown), got " + quoted(obs));
        const std::string_view studentCell = trim(fields[1]);
        if (studentCell.empty()) return errorAt(name, lines.number(), "the student field is empty");
        ++report.rows;
        const std::string_view skillCell = trim(fields[3]);
        if (skillCell.empty() || skillCell == ".") {
            ++report.rows_without_skill;
            continue;
        }
        const std::int32_t student = data.students.intern(studentCell);
        const std::int32_t item = options.item_column.empty() ? -1 : data.items.intern(trim(fields[2]));
        std::vector<std::string_view> skills;
        splitInto(skillCell, '~', skills);
        int named = 0;
        for (std::string_view s : skills) {
            if (trim(s).empty()) continue;
            ++named;
            answers.push_back({student, data.skills.intern(trim(s)), item, outcome});
        }
        if (named > 1) ++report.multi_skill_rows;
    }
    std::stable_sort(answers.begin(), answers.end(),
                     [](const Answer& a, const Answer& b) { return a.student < b.student; });
    data.answers = std::move(answers);
    return data;
}

// ---- format detection -----------------------------------------------------

Result<DataFormat> detectFormat(std::string_view text, const std::string& name) {
    Lines lines(text);
    std::string_view line;
    while (lines.next(line) && trim(line).empty()) {
    }
    if (trim(line).empty()) return Error{name + ": the file is empty"};
    if (parseInteger(line)) return DataFormat::kSeq3;
    const std::string head = lower(line);
    if (head.find("anon student id") != std::string::npos) return DataFormat::kDataShop;
    std::vector<std::string_view> fields;
    splitInto(line, '\t', fields);
    if (fields.size() >= 4) {
        const std::string_view obs = trim(fields[0]);
        if (obs == "1" || obs == "2" || obs == ".") return DataFormat::kHmm;
    }
    for (const char* col : kCorrectColumns)
        if (head.find(col) != std::string::npos) return DataFormat::kCsv;
    return errorAt(name, lines.number(),
                   "cannot tell the format: expected a 3-line file (a number of answers), a CSV/TSV header "
                   "with user_id, skill_name and correct columns, or hmm-scalable rows; name it with --format");
}

}  // namespace

Result<DataFormat> parseDataFormat(std::string_view name) {
    if (name == "auto") return DataFormat::kAuto;
    if (name == "seq3") return DataFormat::kSeq3;
    if (name == "csv") return DataFormat::kCsv;
    if (name == "datashop") return DataFormat::kDataShop;
    if (name == "hmm") return DataFormat::kHmm;
    return Error{"unknown format " + quoted(name) + ": expected auto, seq3, csv, datashop or hmm"};
}

const char* dataFormatName(DataFormat format) {
    switch (format) {
        case DataFormat::kAuto: return "auto";
        case DataFormat::kSeq3: return "seq3";
        case DataFormat::kCsv: return "csv";
        case DataFormat::kDataShop: return "datashop";
        case DataFormat::kHmm: return "hmm";
    }
    return "?";
}

Result<Dataset> parseDataset(std::string_view text, const std::string& name, const ReadOptions& options,
                             ReadReport* report) {
    ReadReport local;
    ReadReport& r = report ? *report : local;
    r = ReadReport{};
    if (const long long nulLine = lineOfFirstNul(text); nulLine > 0)
        return errorAt(name, nulLine, "this is not a text file (it contains NUL bytes)");
    DataFormat format = options.format;
    if (format == DataFormat::kAuto) {
        auto detected = detectFormat(text, name);
        if (!detected) return detected.error();
        format = detected.value();
    }
    r.format = format;
    if (format == DataFormat::kSeq3 && !options.item_column.empty())
        return Error{name +
                     ": 3-line files have no item column; per-item guess/slip needs a table or hmm-scalable file"};
    Result<Dataset> data = [&]() -> Result<Dataset> {
        switch (format) {
            case DataFormat::kSeq3: return readSeq3(text, name, r);
            case DataFormat::kHmm: return readHmm(text, name, options, r);
            default: return readTable(text, name, options, r);
        }
    }();
    if (data && data->answers.empty()) return Error{name + ": no answers found"};
    return data;
}

Result<Dataset> readDataset(const std::string& path, const ReadOptions& options, ReadReport* report) {
    auto text = kite::detail::readFile(path);
    if (!text) return text.error();
    return parseDataset(text.value(), path, options, report);
}

}  // namespace kite
