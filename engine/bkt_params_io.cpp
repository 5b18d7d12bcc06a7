#include "kite/bkt_params_io.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "file_io.h"

namespace kite::bkt {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormatName = "kite-bkt-params";
constexpr int kFormatVersion = 1;

Json paramsJson(const Params& p) {
    return Json{{"prior", p.prior}, {"learn", p.learn}, {"forget", p.forget}, {"guess", p.guess}, {"slip", p.slip}};
}

// Reads a probability at obj[key]; `where` is the JSON path for messages.
Result<double> probability(const Json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) return Error{where + ": missing \"" + key + "\""};
    if (!it->is_number()) return Error{where + "/" + key + ": expected a number, got " + it->dump()};
    const double v = it->get<double>();
    if (!(v >= 0.0 && v <= 1.0))
        return Error{where + "/" + key + ": expected a probability in [0, 1], got " + it->dump()};
    return v;
}

Result<Params> readParams(const Json& obj, const std::string& where) {
    if (!obj.is_object()) return Error{where + ": expected an object with prior, learn, forget, guess and slip"};
    Params p;
    double* fields[] = {&p.prior, &p.learn, &p.forget, &p.guess, &p.slip};
    const char* names[] = {"prior", "learn", "forget", "guess", "slip"};
    for (int i = 0; i < 5; ++i) {
        auto v = probability(obj, names[i], where);
        if (!v) return v.error();
        *fields[i] = v.value();
    }
    return p;
}

}  // namespace

std::string toJson(const Model& model, const FitRecord& r) {
    Json skills = Json::object();
    for (const SkillModel& s : model.skills) {
        Json j = paramsJson(s.params);
        j["answers"] = s.answers;
        j["sequences"] = s.sequences;
        j["loglik"] = s.loglik;
        j["iterations"] = s.iterations;
        j["converged"] = s.converged;
        if (!s.items.empty()) {
            Json items = Json::object();
            for (std::size_t i = 0; i < s.items.size(); ++i)
                items[s.item_names[i]] = Json{{"guess", s.items[i].guess}, {"slip", s.items[i].slip}};
            j["items"] = std::move(items);
        }
        skills[s.name] = std::move(j);
    }
    Json fit{{"tool", r.tool},
             {"created", r.created},
             {"data", r.data},
             {"format", r.format},
             {"answers", r.answers},
             {"students", r.students},
             {"restarts", r.restarts},
             {"seed", r.seed},
             {"forgets", r.forgets},
             {"per_item", r.per_item},
             {"fixed_iterations", r.fixed_iterations},
             {"tolerance", r.tolerance},
             {"seconds", r.seconds},
             {"loglik", r.loglik}};
    Json doc{{"format", kFormatName},
             {"version", kFormatVersion},
             {"default", paramsJson(model.unseen)},
             {"skills", std::move(skills)},
             {"fit", std::move(fit)}};
    // Names that are not valid UTF-8 (e.g. a Latin-1 export) get U+FFFD rather than failing the save.
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status saveModel(const std::string& path, const Model& model, const FitRecord& record) {
    return kite::detail::writeFileAtomically(path, toJson(model, record));
}

Result<Model> parseModel(const std::string& text, const std::string& name) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::parse_error& e) {
        const std::string what = e.what();
        const auto at = what.find("parse error");
        return Error{name + ": not valid JSON: " + (at == std::string::npos ? what : what.substr(at))};
    }
    if (!doc.is_object()) return Error{name + ": expected a JSON object"};
    if (doc.value("format", std::string()) != kFormatName)
        return Error{name + ": not a Kite BKT parameter file (expected \"format\": \"" + kFormatName + "\")"};
    if (!doc.contains("version") || !doc["version"].is_number_integer()) return Error{name + ": missing \"version\""};
    if (doc["version"].get<int>() > kFormatVersion)
        return Error{name + ": written by a newer Kite (format version " + doc["version"].dump() +
                     "); this one reads up to " + std::to_string(kFormatVersion)};

    Model model;
    if (doc.contains("default")) {
        auto p = readParams(doc["default"], name + ": default");
        if (!p) return p.error();
        model.unseen = p.value();
    }
    auto skills = doc.find("skills");
    if (skills == doc.end() || !skills->is_object()) return Error{name + ": missing the \"skills\" object"};
    for (auto it = skills->begin(); it != skills->end(); ++it) {
        const std::string where = name + ": skills/\"" + it.key() + "\"";
        auto p = readParams(it.value(), where);
        if (!p) return p.error();
        SkillModel s;
        s.name = it.key();
        s.params = p.value();
        const Json& j = it.value();
        s.answers = j.value("answers", 0LL);
        s.sequences = j.value("sequences", 0LL);
        s.loglik = j.contains("loglik") && j["loglik"].is_number() ? j["loglik"].get<double>() : 0.0;
        s.iterations = j.value("iterations", 0);
        s.converged = j.value("converged", false);
        if (auto items = j.find("items"); items != j.end()) {
            if (!items->is_object())
                return Error{where + "/items: expected an object of {\"guess\", \"slip\"} by item"};
            for (auto item = items->begin(); item != items->end(); ++item) {
                const std::string at = where + "/items/\"" + item.key() + "\"";
                if (!item->is_object()) return Error{at + ": expected an object with guess and slip"};
                auto g = probability(item.value(), "guess", at);
                if (!g) return g.error();
                auto sl = probability(item.value(), "slip", at);
                if (!sl) return sl.error();
                s.item_names.push_back(item.key());
                s.items.push_back({g.value(), sl.value()});
            }
        }
        model.skills.push_back(std::move(s));
    }
    return model;
}

Result<Model> loadModel(const std::string& path) {
    auto text = kite::detail::readFile(path);
    if (!text) return text.error();
    return parseModel(text.value(), path);
}

}  // namespace kite::bkt
