// The trained line scorer: the C++ evaluator against scikit-learn's own
// predictions, model-file errors at their line, and the --features rows
// being the rows the model scores.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "cleaner/classify/line_model.h"
#include "cleaner/cleaner.h"
#include "cleaner/report/feature_rows.h"
#include "test_support.h"

namespace clean {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteIn;

// tests/model/, written by `tools/train --emit-test tests/model` (never by hand).
const std::string kModelDir = std::string(CLEAN_RULES_DIR) + "/../tests/model";

std::vector<std::vector<std::string>> ReadTsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream cs(line);
    std::string c;
    while (std::getline(cs, c, '\t')) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

std::unique_ptr<LineModel> MustLoad(const std::string& path) {
  Diagnostics d;
  auto m = LineModel::Load(path, &d);
  INFO(d.Format());
  REQUIRE(m);
  return m;
}

// The first error of loading `text` as a model file: "line: message".
std::string LoadError(const std::string& text) {
  const std::string path = WriteIn(TempDir(), "bad.model", text);
  Diagnostics d;
  auto m = LineModel::Load(path, &d);
  REQUIRE_FALSE(m);
  REQUIRE(!d.items.empty());
  CHECK(d.items[0].file == path);
  return std::to_string(d.items[0].line) + ": " + d.items[0].message;
}

TEST_CASE("line model: evaluator equals the training library's predictions", "[model]") {
  auto model = MustLoad(kModelDir + "/model.txt");
  auto table = ReadTsv(kModelDir + "/table.tsv");
  auto expected = ReadTsv(kModelDir + "/expected.tsv");
  REQUIRE(table.size() > 100);
  REQUIRE(table.size() == expected.size());
  // The table's columns are the extractor's features, in its order.
  const auto& names = ModelFeatureNames();
  REQUIRE(table[0].size() == names.size() + 1);
  for (size_t k = 0; k < names.size(); ++k) REQUIRE(table[0][k + 1] == names[k]);
  std::vector<float> row(names.size());
  size_t modes[2] = {0, 0};
  for (size_t i = 1; i < table.size(); ++i) {
    REQUIRE(table[i][0] == expected[i][0]);
    const bool html = table[i][0] == "html";
    ++modes[html];
    for (size_t k = 0; k < names.size(); ++k)
      row[k] = std::strtof(table[i][k + 1].c_str(), nullptr);
    const double want = std::strtod(expected[i][1].c_str(), nullptr);
    REQUIRE(model->Covers(html));
    CHECK(std::fabs(model->Score(html, row.data()) - want) <= 1e-6);
  }
  CHECK(modes[0] > 50);
  CHECK(modes[1] > 50);
}

constexpr const char* kTiny =
    "# a comment\n"
    "clean-model 1\n"
    "name tiny\n"
    "input text\n"
    "threshold 0.5\n"
    "base 0.25\n"
    "features 1\n"
    "feature chars_log\n"
    "trees 1\n"
    "tree 3\n"
    "node 0 split 0 2.5 1 2\n"
    "node 1 leaf -3\n"
    "node 2 leaf 1\n"
    "end\n";

TEST_CASE("line model: a small file evaluates by hand", "[model]") {
  const std::string path = WriteIn(TempDir(), "tiny.model", kTiny);
  auto m = MustLoad(path);
  CHECK(m->id() == "model.tiny");
  CHECK(m->name_line() == 3);
  CHECK(m->Covers(false));
  CHECK_FALSE(m->Covers(true));
  std::vector<float> row(ModelFeatureCount(), 0.0f);
  CHECK(m->Margin(false, row.data()) == Approx(0.25 - 3));
  row[0] = 2.5f;  // <= threshold: left
  CHECK(m->Margin(false, row.data()) == Approx(0.25 - 3));
  row[0] = 2.6f;
  CHECK(m->Margin(false, row.data()) == Approx(1.25));
  CHECK(m->Score(false, row.data()) == Approx(1 / (1 + std::exp(-1.25))));
}

TEST_CASE("line model: malformed files fail at their line", "[model]") {
  std::string tiny = kTiny;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = tiny;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  CHECK(LoadError(replace("feature chars_log", "feature page_lines")) ==
        "8: unknown feature 'page_lines' (clean --features lists the features)");
  // Truncated: the file cut after the first leaf.
  CHECK(LoadError(tiny.substr(0, tiny.find("node 2"))) ==
        "12: truncated: no 'end' line (a tree lacks 1 node(s))");
  CHECK(LoadError(replace("end\n", "")).find("truncated") != std::string::npos);
  CHECK(LoadError(replace("base 0.25", "base 0.2x")) == "6: expected 'base NUMBER'");
  CHECK(LoadError(replace("node 0 split 0 2.5 1 2", "node 0 split 0 2.5 0 2")) ==
        "11: a child must be a later node of the same tree");
  CHECK(LoadError(replace("node 0 split 0 2.5 1 2", "node 0 split 3 2.5 1 2")) ==
        "11: feature 3 is not listed");
  CHECK(LoadError(replace("clean-model 1", "clean-model 2")) ==
        "2: expected 'clean-model 1' first");
  CHECK(LoadError(replace("trees 1", "trees 2")) == "14: truncated section (1 tree(s) missing)");
  CHECK(LoadError("") == "1: empty model file: expected 'clean-model 1'");
}

TEST_CASE("line model: --features rows are the rows the model scores", "[model]") {
  // A veto-everything model (threshold 1): every eligible kept line is
  // scored and vetoed; its score must be the model's score of the row
  // --features writes for it, read back from the text.
  std::string all = kTiny;
  all.replace(all.find("threshold 0.5"), 13, "threshold 1");
  const std::string path = WriteIn(TempDir(), "all.model", all);
  auto model = MustLoad(path);
  const RuleSet& rules = testing::ProjectRules();
  Cleaner cleaner(rules, Options(), nullptr);
  cleaner.set_features(true);
  cleaner.set_model(model.get(), 0);  // decider 0 stands in for the model's
  const std::string page =
      "Home\nNews\n" + testing::kP1 + "\n" + testing::kP2 + "\n" + testing::kP3 + "\nShare this\n";
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("page", page, &r, &error));
  REQUIRE(r.features);
  REQUIRE(r.model_scores);
  std::string rows;
  AppendFeatureHeader(&rows);
  AppendFeatureRows(r, "page", &rows);
  auto table = ReadTsv(WriteIn(TempDir(), "rows.tsv", rows));
  const size_t k = ModelFeatureCount();
  size_t scored = 0;
  std::vector<float> row(k);
  for (size_t i = 1; i < table.size(); ++i) {
    const size_t line = std::stoul(table[i][1]) - 1;
    REQUIRE(table[i].size() == 5 + k + 1);
    for (size_t f = 0; f < k; ++f) {
      row[f] = std::strtof(table[i][5 + f].c_str(), nullptr);
      REQUIRE(row[f] == r.features->row(line)[f]);
    }
    const float s = (*r.model_scores)[line];
    if (std::isnan(s)) continue;
    ++scored;
    CHECK(s == static_cast<float>(model->Score(false, row.data())));
    CHECK(r.decisions()[line].cls == LineClass::kNavigation);
  }
  CHECK(scored == 3);  // the three prose lines
}

}  // namespace
}  // namespace clean

namespace clean {
namespace {

TEST_CASE("line model: rows of the vetoable lines alone score as the full table", "[model]") {
  // Without --features only the lines the model may veto get rows; every
  // score and decision must be the one the full table gives.
  auto model = MustLoad(kModelDir + "/model.txt");
  const RuleSet& rules = testing::ProjectRules();
  Cleaner full(rules, Options(), nullptr), lean(rules, Options(), nullptr);
  full.set_features(true);
  full.set_model(model.get(), 0);
  lean.set_model(model.get(), 0);
  size_t pages = 0, scored = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CLEAN_FIXTURES_DIR)) {
    const std::string name = e.path().filename().string();
    if (name != "input.txt" && name != "input.html") continue;
    const bool html = name == "input.html";
    full.set_input_format(html ? InputFormat::kHtml : InputFormat::kText);
    lean.set_input_format(html ? InputFormat::kHtml : InputFormat::kText);
    const std::string bytes = ReadFile(e.path().string());
    CleanResult a, b;
    std::string error;
    INFO(e.path().string());
    REQUIRE(full.Clean(name, bytes, &a, &error));
    REQUIRE(lean.Clean(name, bytes, &b, &error));
    REQUIRE(a.model_scores);
    REQUIRE(b.model_scores);
    REQUIRE(a.model_scores->size() == b.model_scores->size());
    for (size_t i = 0; i < a.model_scores->size(); ++i) {
      const float x = (*a.model_scores)[i], y = (*b.model_scores)[i];
      REQUIRE(std::isnan(x) == std::isnan(y));
      if (std::isnan(x)) continue;
      ++scored;
      REQUIRE(x == y);
      REQUIRE(a.decisions()[i].cls == b.decisions()[i].cls);
    }
    ++pages;
  }
  CHECK(pages > 20);
  CHECK(scored > 200);
}

TEST_CASE("line model: --model applies to JSONL records as to pages", "[model][cli]") {
  // A veto-everything model: the record's clean text is page mode's with
  // the model, which differs from the heuristics' alone.
  std::string all = kTiny;
  all.replace(all.find("threshold 0.5"), 13, "threshold 1");
  const std::string dir = TempDir();
  const std::string model = WriteIn(dir, "all.model", all);
  const std::string text =
      "Home\nNews\n" + testing::kP1 + "\n" + testing::kP2 + "\n" + testing::kP3 + "\nShare this\n";
  const std::string page = WriteIn(dir, "page.txt", text);
  auto plain = testing::RunClean({"-q", page});
  auto vetoed = testing::RunClean({"-q", "--model", model, page});
  REQUIRE_EXIT(plain, 0);
  REQUIRE_EXIT(vetoed, 0);
  REQUIRE(plain.out != vetoed.out);
  std::string record = "{\"id\": \"p\", \"text\": \"";
  for (char c : text) record += c == '\n' ? std::string("\\n") : std::string(1, c);
  record += "\"}\n";
  const std::string report = dir + "/report.jsonl";
  auto r = testing::RunClean({"--jsonl", "-q", "--model", model, "--report", report}, record);
  REQUIRE_EXIT(r, 0);
  std::string want;
  for (char c : vetoed.out) want += c == '\n' ? std::string("\\n") : std::string(1, c);
  CHECK_THAT(r.out, Catch::Contains("\"text\": \"" + want + "\""));
  CHECK_THAT(ReadFile(report), Catch::Contains("model.tiny"));
  // The summary names the model and the digest of its file's bytes.
  CHECK_THAT(r.out, Catch::Contains("\"model\":{\"name\":\"model.tiny\",\"digest\":\"fnv1a64:"));
  auto other =
      testing::RunClean({"--jsonl", "-q", "--model", WriteIn(dir, "tiny.model", kTiny)}, record);
  REQUIRE_EXIT(other, 0);
  const auto digest = [](const std::string& out) {
    const size_t at = out.find("\"digest\":\"");
    return at == std::string::npos ? std::string() : out.substr(at, 36);
  };
  CHECK(digest(other.out).size() == 36);
  CHECK(digest(other.out) != digest(r.out));
  auto none = testing::RunClean({"--jsonl", "-q"}, record);
  REQUIRE_EXIT(none, 0);
  CHECK_THAT(none.out, !Catch::Contains("\"model\""));
}

}  // namespace
}  // namespace clean

namespace clean {
namespace {

TEST_CASE("line model: --explain names the features that weighed most", "[model][cli]") {
  // The tiny model's one split: a prose line (chars_log > 2.5) reaches the
  // leaf 1 where the other branch gives -3, so chars_log weighed +4.
  std::string all = kTiny;
  all.replace(all.find("threshold 0.5"), 13, "threshold 1");
  const std::string dir = TempDir();
  const std::string model = WriteIn(dir, "all.model", all);
  const std::string page = WriteIn(
      dir, "page.txt", "Home\n" + testing::kP1 + "\n" + testing::kP2 + "\n" + testing::kP3 + "\n");
  auto r = testing::RunClean({"-q", "--explain", "--model", model, page});
  REQUIRE_EXIT(r, 0);
  CHECK_THAT(r.out, Catch::Contains("model.tiny"));
  CHECK_THAT(r.out, Catch::Contains(": chars_log="));
  CHECK_THAT(r.out, Catch::Contains(" +4.00]"));
}

}  // namespace
}  // namespace clean

namespace clean {
namespace {

TEST_CASE("line model: a source's rule file sets its own model threshold", "[model][cli]") {
  // The tiny model's threshold 0.5 keeps the prose lines (score 0.78); a
  // source that sets model_threshold 0.9 has them vetoed, other pages not.
  const std::string dir = TempDir();
  const std::string model = WriteIn(dir, "tiny.model", kTiny);
  const std::string rules =
      testing::RulesDir("", "strict.rules", "source strict\nset model_threshold 0.9\n");
  const std::string page = WriteIn(
      dir, "page.txt", "Home\n" + testing::kP1 + "\n" + testing::kP2 + "\n" + testing::kP3 + "\n");
  auto plain = testing::RunClean({"-q", "--rules", rules, "--model", model, page});
  auto strict =
      testing::RunClean({"-q", "--rules", rules, "--source", "strict", "--model", model, page});
  REQUIRE_EXIT(plain, 0);
  REQUIRE_EXIT(strict, 0);
  CHECK_THAT(plain.out, Catch::Contains(testing::kP1));
  CHECK_THAT(strict.out, !Catch::Contains(testing::kP1));
  auto bad = testing::RunClean(
      {"-q", "--rules", testing::RulesDir("", "bad.rules", "source bad\nset model_threshold -2\n"),
       page});
  REQUIRE_EXIT(bad, 2);
  CHECK_THAT(bad.err, Catch::Contains("model_threshold"));
}

}  // namespace
}  // namespace clean
