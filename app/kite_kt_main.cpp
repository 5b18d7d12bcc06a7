// kite-kt: the engine's command line for researchers, the server's jobs and
// the benchmarks. Parses options, runs the engine, prints results.
//
// Exit codes: 0 success, 1 failure to write output, 2 bad input or usage.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arguments.h"
#include "kite/bkt_eval.h"
#include "kite/bkt_fit.h"
#include "kite/bkt_params_io.h"
#include "kite/dkt_model_io.h"
#include "kite/dkt_train.h"
#include "kite/readers.h"

namespace {

using kite::app::Arguments;
using kite::app::UsageError;

using kite::app::kExitBadInput;
using kite::app::kExitFailure;
using kite::app::kExitOk;

constexpr const char* kUsage = R"(kite-kt: fit and evaluate knowledge-tracing models

Usage:
  kite-kt bkt fit TRAIN --out PARAMS.json [options]
  kite-kt bkt eval PARAMS.json TEST [--format F] [--json] [--predictions OUT.csv]
  kite-kt dkt train TRAIN --out MODEL.kdkt [--valid VALID | --valid-fraction F] [options]
  kite-kt dkt eval MODEL.kdkt TEST [--format F] [--json]
  kite-kt dkt predict MODEL.kdkt DATA [--format F]      (CSV on stdout)
  kite-kt --help | --version

bkt fit options:
  --format auto|seq3|csv|datashop|hmm   input format (default auto: from the first line)
  --forgets              also fit the probability of forgetting (default: forget = 0)
  --restarts N           starts per skill, best log-likelihood wins (default 5)
  --seed S               seed of the random starts (default 42)
  --threads N            worker threads (default: one per core)
  --multigs              per-item guess/slip (KT-IDEM); items from the column
                         template_id or Problem Name (hmm files: the step)
  --item-column NAME     with --multigs: take items from column NAME
  --max-guess X          keep guess <= X (e.g. 0.3); likewise --max-slip X
  --tol X                convergence: stop when an EM update moves no parameter
                         by more than X (default 1e-6)
  --max-iter N           E-steps per start at most (default 2000)
  --fixed-iterations N   plain EM, exactly N updates from the start (parity mode)
  --json                 print the fit summary as one JSON object
  --quiet                no progress on stderr

dkt train options:
  --format F             input format, as for bkt fit
  --valid VALID          early stopping on this file's students
  --valid-fraction F     otherwise hold out this share of training students (default 0.1)
  --hidden H             LSTM size (default 200)
  --epochs N             at most N epochs (default 50); --patience N (default 5)
  --batch B              chunks per mini-batch (default 64)
  --lr X                 Adam learning rate (default 0.001); --dropout X (default 0.2)
  --seed S, --threads N  as for bkt fit
  --json                 print a summary as one JSON object at the end
  --quiet                no per-epoch lines

Formats are described in docs/formats.md. Exit codes: 0 ok, 1 cannot write
output, 2 bad input or usage.
)";

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Progress on stderr for work that takes longer than a second: a redrawn line
// on a terminal, a line every few seconds otherwise.
class Progress {
public:
    explicit Progress(bool enabled) : enabled_(enabled), tty_(isatty(STDERR_FILENO) != 0) {}
    ~Progress() { finish(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    Progress(Progress&&) = delete;
    Progress& operator=(Progress&&) = delete;

    void update(int done, int total, const char* what) {
        if (!enabled_) return;
        std::lock_guard lock(mutex_);
        const double elapsed = seconds();
        const double interval = tty_ ? 0.2 : 5.0;
        if (elapsed < 1.0 || (elapsed - lastPrint_ < interval && done != total)) return;
        lastPrint_ = elapsed;
        std::fprintf(stderr, "%s%s: %d/%d (%.0f%%), %.1f s%s", tty_ ? "\r" : "", what, done, total,
                     100.0 * done / std::max(1, total), elapsed, tty_ ? "" : "\n");
        std::fflush(stderr);
        printed_ = true;
    }
    void finish() {
        if (printed_ && tty_) std::fputc('\n', stderr);
        printed_ = false;
    }
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - began_).count(); }

private:
    bool enabled_;
    bool tty_;
    bool printed_ = false;
    double lastPrint_ = -1e9;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
};

int badInput(const std::string& message) {
    std::fprintf(stderr, "kite-kt: %s\n", message.c_str());
    return kExitBadInput;
}

kite::bkt::Bounds upperBound(std::optional<double> hi, const char* name) {
    if (!hi) return {};
    if (!(*hi >= 0.0 && *hi <= 1.0)) throw UsageError{std::string("--max-") + name + " must be in [0, 1]"};
    return {0.0, *hi};
}

std::string jsonString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// --format, for every command that reads answer data.
kite::ReadOptions readOptions(Arguments& args) {
    kite::ReadOptions read;
    if (auto f = args.take("--format")) {
        auto parsed = kite::parseDataFormat(*f);
        if (!parsed) throw UsageError{parsed.error().message};
        read.format = parsed.value();
    }
    return read;
}

int bktFit(Arguments& args) {
    kite::ReadOptions read = readOptions(args);
    kite::bkt::FitOptions fit;
    const auto out = args.take("--out");
    fit.forgets = args.flag("--forgets");
    fit.restarts = args.number<int>("--restarts").value_or(fit.restarts);
    fit.seed = args.number<std::uint64_t>("--seed").value_or(fit.seed);
    fit.threads = args.number<int>("--threads").value_or(fit.threads);
    fit.tolerance = args.number<double>("--tol").value_or(fit.tolerance);
    fit.max_iterations = args.number<int>("--max-iter").value_or(fit.max_iterations);
    fit.fixed_iterations = args.number<int>("--fixed-iterations").value_or(0);
    fit.guess = upperBound(args.number<double>("--max-guess"), "guess");
    fit.slip = upperBound(args.number<double>("--max-slip"), "slip");
    const bool json = args.flag("--json");
    const bool quiet = args.flag("--quiet");
    const auto itemColumn = args.take("--item-column");
    if (args.flag("--multigs")) {
        read.item_column = itemColumn.value_or("auto");
        fit.emissions = kite::bkt::ItemEmissions::kPerItem;
    } else if (itemColumn) {
        throw UsageError{"--item-column goes with --multigs"};
    }
    const auto positional = args.positionals();
    if (positional.size() != 1) throw UsageError{"bkt fit takes one training file"};
    if (!out) throw UsageError{"bkt fit needs --out PARAMS.json"};
    if (auto ok = kite::bkt::validate(fit); !ok) throw UsageError{ok.error().message};

    Progress progress(!quiet);
    kite::ReadReport report;
    auto data = kite::readDataset(positional[0], read, &report);
    if (!data) return badInput(data.error().message);
    fit.progress = [&](int done, int total) { progress.update(done, total, "fitting skills"); };
    kite::bkt::FitSummary summary;
    auto model = kite::bkt::fit(data.value(), fit, &summary);
    progress.finish();
    if (!model) return badInput(model.error().message);

    kite::bkt::FitRecord record;
    record.tool = std::string("kite-kt ") + KITE_VERSION;
    record.created = utcNow();
    record.data = positional[0];
    record.format = kite::dataFormatName(report.format);
    record.answers = summary.answers;
    record.students = data->students.size();
    record.restarts = fit.fixed_iterations > 0 ? 1 : fit.restarts;
    record.seed = fit.seed;
    record.forgets = fit.forgets;
    record.per_item = fit.emissions == kite::bkt::ItemEmissions::kPerItem;
    record.fixed_iterations = fit.fixed_iterations;
    record.tolerance = fit.tolerance;
    record.seconds = summary.seconds;
    record.loglik = summary.loglik;
    if (auto saved = kite::bkt::saveModel(*out, model.value(), record); !saved) {
        std::fprintf(stderr, "kite-kt: %s\n", saved.error().message.c_str());
        return kExitFailure;
    }
    if (json) {
        std::printf(
            "{\"out\": %s, \"format\": \"%s\", \"answers\": %lld, \"students\": %d, \"skills\": %d, "
            "\"converged\": %d, \"estep_evaluations\": %lld, \"loglik\": %.10g, \"fit_seconds\": %.6f, "
            "\"seconds\": %.6f}\n",
            jsonString(*out).c_str(), record.format.c_str(), summary.answers, data->students.size(), summary.skills,
            summary.converged, summary.estep_evaluations, summary.loglik, summary.seconds, progress.seconds());
    } else {
        std::printf("fitted %d skill%s on %lld answers of %d students (%s) in %.2f s\n", summary.skills,
                    summary.skills == 1 ? "" : "s", summary.answers, data->students.size(), record.format.c_str(),
                    summary.seconds);
        std::printf("training log-likelihood %.4f; %d of %d skills converged; %lld E-steps\n", summary.loglik,
                    summary.converged, summary.skills, summary.estep_evaluations);
        if (model->skills.size() <= 20) {
            std::printf("  %-28s %7s %7s %7s %7s %7s %8s\n", "skill", "prior", "learn", "forget", "guess", "slip",
                        "answers");
            for (const kite::bkt::SkillModel& s : model->skills)
                std::printf("  %-28.28s %7.4f %7.4f %7.4f %7.4f %7.4f %8lld%s\n", s.name.c_str(), s.params.prior,
                            s.params.learn, s.params.forget, s.params.guess, s.params.slip, s.answers,
                            s.converged ? "" : "  (not converged)");
        }
        if (report.rows_without_skill > 0) std::printf("skipped %lld rows with no skill\n", report.rows_without_skill);
        std::printf("wrote %s\n", out->c_str());
    }
    return kExitOk;
}

int bktEval(Arguments& args) {
    kite::ReadOptions read = readOptions(args);
    const bool json = args.flag("--json");
    const auto predictionsOut = args.take("--predictions");
    const auto positional = args.positionals();
    if (positional.size() != 2) throw UsageError{"bkt eval takes PARAMS.json and a test file"};

    const auto began = std::chrono::steady_clock::now();
    auto model = kite::bkt::loadModel(positional[0]);
    if (!model) return badInput(model.error().message);
    const bool perItem = std::any_of(model->skills.begin(), model->skills.end(),
                                     [](const kite::bkt::SkillModel& s) { return !s.items.empty(); });
    if (perItem && read.format != kite::DataFormat::kSeq3) read.item_column = "auto";
    kite::ReadReport report;
    auto data = kite::readDataset(positional[1], read, &report);
    if (!data && perItem) {  // the test file may have no item column: fall back to per-skill guess/slip
        read.item_column.clear();
        data = kite::readDataset(positional[1], read, &report);
    }
    if (!data) return badInput(data.error().message);
    const auto predictions = kite::bkt::predict(model.value(), data.value());
    const kite::Metrics m = kite::bkt::evaluate(data.value(), predictions);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

    if (predictionsOut) {
        std::FILE* f = std::fopen(predictionsOut->c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "kite-kt: %s: cannot open for writing\n", predictionsOut->c_str());
            return kExitFailure;
        }
        std::fprintf(f, "student,skill,correct,p_correct\n");
        for (std::size_t i = 0; i < data->answers.size(); ++i) {
            const kite::Answer& a = data->answers[i];
            std::fprintf(f, "%s,%s,%d,%.17g\n", data->students.name(a.student).c_str(),
                         data->skills.name(a.skill).c_str(), static_cast<int>(a.outcome), predictions.p_correct[i]);
        }
        if (std::fclose(f) != 0) {
            std::fprintf(stderr, "kite-kt: %s: write failed\n", predictionsOut->c_str());
            return kExitFailure;
        }
    }
    if (json) {
        std::printf(
            "{\"auc\": %.10g, \"rmse\": %.10g, \"accuracy\": %.10g, \"loglik\": %.10g, \"n\": %lld, "
            "\"seconds\": %.6f, \"students\": %d, \"skills\": %d, \"unseen_skill_answers\": %lld, "
            "\"unseen_item_answers\": %lld, \"format\": \"%s\"}\n",
            m.auc, m.rmse, m.accuracy, m.loglik, m.n, seconds, data->students.size(), data->skills.size(),
            predictions.unseen_skill_answers, predictions.unseen_item_answers, kite::dataFormatName(report.format));
    } else {
        std::printf("%s (%s): %lld answers of %d students on %d skills\n", positional[1].c_str(),
                    kite::dataFormatName(report.format), m.n, data->students.size(), data->skills.size());
        std::printf("  %-10s %.4f\n", "AUC", m.auc);
        std::printf("  %-10s %.4f\n", "RMSE", m.rmse);
        std::printf("  %-10s %.4f\n", "accuracy", m.accuracy);
        std::printf("  %-10s %.2f\n", "loglik", m.loglik);
        std::printf("  %-10s %lld\n", "n", m.n);
        std::printf("  %-10s %.3f\n", "seconds", seconds);
        if (m.n == 0) std::printf("  no answer in the file has a response (0 or 1), so there is nothing to score\n");
        if (predictions.unseen_skill_answers > 0)
            std::printf("  %lld answers on skills absent from training used the model's default parameters\n",
                        predictions.unseen_skill_answers);
        if (predictions.unseen_item_answers > 0)
            std::printf("  %lld answers on items absent from training used their skill's mean guess and slip\n",
                        predictions.unseen_item_answers);
    }
    return kExitOk;
}

// Largest resident set of this process so far (Linux reports ru_maxrss in KiB).
double peakRssMegabytes() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0.0;
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int dktTrain(Arguments& args) {
    const kite::ReadOptions read = readOptions(args);
    kite::dkt::TrainOptions o;
    const auto out = args.take("--out");
    const auto validPath = args.take("--valid");
    o.valid_fraction = args.number<double>("--valid-fraction").value_or(o.valid_fraction);
    o.hidden = args.number<std::int32_t>("--hidden").value_or(o.hidden);
    o.max_epochs = args.number<int>("--epochs").value_or(o.max_epochs);
    o.patience = args.number<int>("--patience").value_or(o.patience);
    o.batch = args.number<int>("--batch").value_or(o.batch);
    o.learning_rate = args.number<double>("--lr").value_or(o.learning_rate);
    o.dropout = args.number<double>("--dropout").value_or(o.dropout);
    o.seed = args.number<std::uint64_t>("--seed").value_or(o.seed);
    o.threads = args.number<int>("--threads").value_or(o.threads);
    const bool json = args.flag("--json");
    const bool quiet = args.flag("--quiet");
    const auto positional = args.positionals();
    if (positional.size() != 1) throw UsageError{"dkt train takes one training file"};
    if (!out) throw UsageError{"dkt train needs --out MODEL.kdkt"};

    const auto began = std::chrono::steady_clock::now();
    auto data = kite::readDataset(positional[0], read);
    if (!data) return badInput(data.error().message);
    std::optional<kite::Dataset> valid;
    if (validPath) {
        auto v = kite::readDataset(*validPath, read);
        if (!v) return badInput(v.error().message);
        valid = std::move(v.value());
    }
    std::string history;  // per-epoch records for --json
    o.on_epoch = [&](const kite::dkt::EpochReport& r) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "%s{\"epoch\": %d, \"loss\": %.6f, \"valid_auc\": %.6f, \"train_seconds\": %.3f, "
                      "\"valid_seconds\": %.3f}",
                      history.empty() ? "" : ", ", r.epoch, r.train_loss, r.valid_auc, r.train_seconds,
                      r.valid_seconds);
        history += line;
        if (quiet) return;
        // With --json, stdout carries the one JSON object: progress goes to stderr.
        std::fprintf(json ? stderr : stdout, "epoch %3d/%d  loss %.4f  valid AUC %.4f%s  %.1f s  ETA %.0f s\n",
                     r.epoch, r.max_epochs, r.train_loss, r.valid_auc, r.improved ? " *" : "  ", r.seconds,
                     r.eta_seconds);
        std::fflush(json ? stderr : stdout);
    };
    auto model = kite::dkt::train(data.value(), valid ? &*valid : nullptr, o);
    if (!model) return badInput(model.error().message);
    if (auto saved = kite::dkt::saveModel(*out, model.value(), {static_cast<std::int64_t>(std::time(nullptr))});
        !saved) {
        std::fprintf(stderr, "kite-kt: %s\n", saved.error().message.c_str());
        return kExitFailure;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    if (json) {
        std::printf(
            "{\"out\": %s, \"answers\": %lld, \"skills\": %d, \"hidden\": %d, \"epochs\": %d, "
            "\"best_epoch\": %d, \"valid_auc\": %.10g, \"seconds\": %.3f, \"peak_rss_mb\": %.1f, "
            "\"history\": [%s]}\n",
            jsonString(*out).c_str(), model->answers, model->weights.skills, model->weights.hidden, model->epochs,
            model->best_epoch, model->valid_auc, seconds, peakRssMegabytes(), history.c_str());
    } else {
        std::printf(
            "trained on %lld answers, %d skills, hidden size %d: best validation AUC %.4f at epoch %d of %d "
            "(%.1f s); wrote %s\n",
            model->answers, model->weights.skills, model->weights.hidden, model->valid_auc, model->best_epoch,
            model->epochs, seconds, out->c_str());
    }
    return kExitOk;
}

int dktEval(Arguments& args, bool printPredictions) {
    const kite::ReadOptions read = readOptions(args);
    const bool json = args.flag("--json");
    const auto positional = args.positionals();
    if (positional.size() != 2) throw UsageError{"dkt eval and dkt predict take MODEL.kdkt and a data file"};
    const auto began = std::chrono::steady_clock::now();
    auto model = kite::dkt::loadModel(positional[0]);
    if (!model) return badInput(model.error().message);
    auto data = kite::readDataset(positional[1], read);
    if (!data) return badInput(data.error().message);
    const kite::dkt::DktPredictions p = kite::dkt::predictDataset(model.value(), data.value());
    if (printPredictions) {
        std::printf("student,skill,correct,p_correct\n");
        for (std::size_t i = 0; i < data->answers.size(); ++i) {
            const kite::Answer& a = data->answers[i];
            std::printf("%s,%s,%d,", data->students.name(a.student).c_str(), data->skills.name(a.skill).c_str(),
                        static_cast<int>(a.outcome));
            if (std::isnan(p.p_correct[i]))
                std::printf("\n");
            else
                std::printf("%.9g\n", p.p_correct[i]);
        }
        return kExitOk;
    }
    const kite::Metrics m = kite::dkt::evaluate(data.value(), p);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    if (json) {
        std::printf(
            "{\"auc\": %.10g, \"rmse\": %.10g, \"accuracy\": %.10g, \"loglik\": %.10g, \"n\": %lld, "
            "\"seconds\": %.6f, \"students\": %d, \"skills\": %d, \"unknown_skill_answers\": %lld}\n",
            m.auc, m.rmse, m.accuracy, m.loglik, m.n, seconds, data->students.size(), data->skills.size(),
            p.unknown_skill_answers);
    } else {
        std::printf("%s: %lld predicted answers of %d students (each student's first answer has no prediction)\n",
                    positional[1].c_str(), m.n, data->students.size());
        std::printf("  %-10s %.4f\n  %-10s %.4f\n  %-10s %.4f\n  %-10s %.2f\n  %-10s %lld\n  %-10s %.3f\n", "AUC",
                    m.auc, "RMSE", m.rmse, "accuracy", m.accuracy, "loglik", m.loglik, "n", m.n, "seconds", seconds);
        if (p.unknown_skill_answers > 0)
            std::printf("  %lld answers on skills the model does not know were not predicted\n",
                        p.unknown_skill_answers);
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    return kite::app::runTool(argc, argv, "kite-kt", KITE_VERSION, kUsage, [&](const std::vector<std::string>& words) {
        const std::string& model = words[0];
        const std::string verb = words.size() > 1 ? words[1] : "";
        Arguments args(argc, argv, 3);
        if (model == "bkt" && verb == "fit") return bktFit(args);
        if (model == "bkt" && verb == "eval") return bktEval(args);
        if (model == "dkt" && verb == "train") return dktTrain(args);
        if (model == "dkt" && verb == "eval") return dktEval(args, false);
        if (model == "dkt" && verb == "predict") return dktEval(args, true);
        throw UsageError{"unknown command '" + model + (verb.empty() ? "" : " " + verb) + "'"};
    });
}
