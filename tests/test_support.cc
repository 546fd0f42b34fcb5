#include "tests/test_support.h"

#include "cleaner/cleaner.h"
#include "tests/conservation.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clean::testing {

namespace fs = std::filesystem;

std::string WriteIn(const std::string& dir, const std::string& name, const std::string& data) {
  std::string p = dir + "/" + name;
  WriteFile(p, data);
  return p;
}

void LoadLexicon(const std::vector<std::pair<std::string, std::string>>& lists, Lexicon* lexicon) {
  std::string dir = TempDir();
  for (const auto& [name, text] : lists) WriteIn(dir, name, text);
  Diagnostics diags;
  REQUIRE(lexicon->Load(dir, &diags));
}

std::string NumberedWords(int count, int stride, int first) {
  std::string out;
  for (int k = first; k < first + count * stride; k += stride) {
    out += 'w';
    out += std::to_string(k * 7919);
    out += '\n';
  }
  return out;
}

std::string RulesDir(const std::string& generic, const std::string& source_file,
                     const std::string& source_text) {
  std::string root = TempDir() + "/rules";
  fs::create_directories(root);
  fs::copy(std::string(CLEAN_RULES_DIR) + "/stopwords", root + "/stopwords",
           fs::copy_options::recursive);
  if (!generic.empty()) WriteFile(root + "/generic.rules", generic);
  if (!source_file.empty()) WriteFile(root + "/" + source_file, source_text);
  return root;
}

std::unique_ptr<RuleSet> LoadRules(const std::string& generic, const std::string& source_file,
                                   const std::string& source_text) {
  Diagnostics d;
  auto rs = RuleSet::Load(RulesDir(generic, source_file, source_text), Options(), &d);
  INFO(d.Format());
  REQUIRE(rs != nullptr);
  return rs;
}

const RuleSet& ProjectRules() {
  static std::unique_ptr<RuleSet> rules = [] {
    Diagnostics d;
    auto r = RuleSet::Load(CLEAN_RULES_DIR, Options(), &d);
    INFO(d.Format());
    REQUIRE(r != nullptr);
    return r;
  }();
  return *rules;
}

std::vector<std::string> Deciders(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  Cleaner cleaner(ProjectRules(), Options(), nullptr, true);
  CleanResult r;
  std::string error;
  REQUIRE(cleaner.Clean("page.txt", text, &r, &error));
  REQUIRE(r.decisions().size() == lines.size());
  std::vector<std::string> ids;
  for (const Decision& d : r.decisions()) ids.push_back(ProjectRules().deciders()[d.decider].id);
  return ids;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

std::vector<fs::path> SharedTextPages() {
  std::vector<fs::path> v;
  std::error_code ec;
  for (const char* sub : {"datasets/trafilatura-eval/text", "seeds"})
    for (auto& e : fs::directory_iterator(fs::path(CLEAN_SHARED_DIR) / sub, ec))
      if (e.path().extension() == ".txt") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

namespace {
struct TempRoot {
  fs::path path;
  TempRoot() {
    char tmpl[] = "/tmp/clean-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempRoot() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    for (auto& e : fs::recursive_directory_iterator(path, ec))
      fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
};
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  q.push_back('\'');
  return q;
}
}  // namespace

std::string TempDir() {
  static TempRoot root;
  static int n = 0;
  fs::path p = root.path / std::to_string(n++);
  fs::create_directories(p);
  return p.string();
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream ss(s);
  std::string l;
  while (std::getline(ss, l)) v.push_back(l);
  return v;
}

void CheckConservation(const std::string& input_name, const Page& page, const std::string& text,
                       const std::string& report_json) {
  std::string problem = ConservationProblem(page, text, report_json);
  INFO(input_name << ": " << problem);
  REQUIRE(problem.empty());
}

RunResult RunClean(const std::vector<std::string>& args, const std::string& stdin_data) {
  std::string dir = TempDir();
  std::string in = dir + "/stdin", out = dir + "/stdout", err = dir + "/stderr";
  WriteFile(in, stdin_data);
  std::string cmd = Quote(CLEAN_BINARY);
  for (const auto& a : args) cmd.append(" ").append(Quote(a));
  cmd.append(" <")
      .append(Quote(in))
      .append(" >")
      .append(Quote(out))
      .append(" 2>")
      .append(Quote(err));
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

}  // namespace clean::testing
