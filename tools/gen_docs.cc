// clean_gen_docs OUTDIR: writes OUTDIR/clean.1 (the man page), OUTDIR/clean.bash
// (bash completion) and OUTDIR/_clean (zsh completion), all made from the
// --help text (HelpText, itself made from the flag table), so that they
// list exactly the flags the binary takes. Run by the build; installed by
// `cmake --install`.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cleaner/cli/cli.h"

namespace {

struct Flag {
  std::string shorthand, name, arg, help;  // "-o", "--output", "FILE", "write ..."
};

struct Help {
  std::string description;  // the paragraph after the usage line
  std::vector<Flag> flags;
  std::vector<std::string> classes;              // from "classes: body, title, ..."
  std::vector<std::vector<std::string>> others;  // the paragraphs after the flags
};

constexpr size_t kHelpColumn = 26;  // where HelpText puts a flag's help

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Appends `item` to a list `sep`-separated (appends, not `a + b`: GCC 12
// warns falsely about the temporaries of the latter).
void AddTo(std::string* list, std::string_view sep, std::string_view item) {
  if (!list->empty()) list->append(sep);
  list->append(item);
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// "  -o, --output FILE       write ..." (or the left part alone, its help
// on the lines after).
Flag ParseFlagLine(const std::string& line) {
  Flag f;
  std::string left = Trim(line.substr(0, std::min(line.size(), kHelpColumn)));
  if (line.size() > kHelpColumn && line[kHelpColumn - 1] != ' ')
    left = Trim(line);  // wrapped
  else if (line.size() > kHelpColumn)
    f.help = Trim(line.substr(kHelpColumn));
  if (left.rfind("--", 0) != 0) {  // "-o, --output FILE"
    f.shorthand = left.substr(0, left.find(','));
    left = Trim(left.substr(left.find(',') + 1));
  }
  size_t sp = left.find(' ');
  f.name = left.substr(0, sp);
  if (sp != std::string::npos) f.arg = left.substr(sp + 1);
  return f;
}

Help ParseHelp(const std::string& text) {
  Help h;
  std::vector<std::string> lines = Lines(text);
  size_t i = 2;  // after "usage: ..." and a blank line
  for (; i < lines.size() && lines[i] != "options:"; ++i)
    if (!lines[i].empty()) AddTo(&h.description, " ", lines[i]);
  for (++i; i < lines.size() && !lines[i].empty(); ++i) {
    if (lines[i].rfind(std::string(kHelpColumn, ' '), 0) == 0 && !h.flags.empty()) {
      std::string& help = h.flags.back().help;
      AddTo(&help, " ", Trim(lines[i]));
    } else {
      h.flags.push_back(ParseFlagLine(lines[i]));
    }
  }
  std::vector<std::string> paragraph;
  for (; i <= lines.size(); ++i) {
    if (i == lines.size() || lines[i].empty()) {
      if (!paragraph.empty()) h.others.push_back(paragraph);
      paragraph.clear();
      continue;
    }
    paragraph.push_back(lines[i]);
    if (lines[i].rfind("classes: ", 0) == 0) {
      std::istringstream in(lines[i].substr(9));
      for (std::string c; std::getline(in, c, ',');) h.classes.push_back(Trim(c));
    }
  }
  return h;
}

// roff: backslashes and hyphens escaped, a leading '.' or '\'' made text.
std::string Roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string ManPage(const Help& h) {
  std::ostringstream m;
  m << ".\\\" Generated from `clean --help` by tools/gen_docs.cc; do not edit.\n"
    << ".TH CLEAN 1 \"\" \"clean " << CLEAN_VERSION << "\" \"User Commands\"\n"
    << ".SH NAME\nclean \\- remove boilerplate from scraped news pages, with a report of "
       "every removed line\n"
    << ".SH SYNOPSIS\n.B clean\n[\\fIOPTIONS\\fR] [\\fIFILE\\fR|\\fIDIR\\fR|\\-]...\n"
    << ".SH DESCRIPTION\n"
    << Roff(h.description) << "\n.SH OPTIONS\n";
  for (const Flag& f : h.flags) {
    m << ".TP\n";
    if (!f.shorthand.empty()) m << "\\fB" << Roff(f.shorthand) << "\\fR, ";
    m << "\\fB" << Roff(f.name) << "\\fR";
    if (!f.arg.empty()) m << " \\fI" << Roff(f.arg) << "\\fR";
    m << "\n" << Roff(f.help) << "\n";
  }
  // The paragraphs after the flags: "NAME: text" or "NAME (note):" on a
  // line of its own start a section NAME; a paragraph without a name goes
  // under SEE ALSO. Kept as laid out (.nf).
  for (const auto& p : h.others) {
    const std::string& head = p[0];
    size_t colon = head.find(':');
    size_t paren = head.find(" (");
    bool named = colon != std::string::npos && head.rfind("The ", 0) != 0;
    const bool own_line = head.back() == ':';  // "limits per page (note):"
    std::string title = !named     ? "see also"
                        : own_line ? head.substr(0, std::min(paren, head.size() - 1))
                                   : head.substr(0, colon);
    for (char& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    m << ".SH \"" << title << "\"\n.nf\n";
    std::vector<std::string> body(p.begin() + (named ? 1 : 0), p.end());
    if (named) {
      std::string rest = !own_line ? Trim(head.substr(colon + 1))
                         : paren != std::string::npos
                             ? head.substr(paren + 1, head.size() - 2 - paren)  // "(note)"
                             : "";
      if (!rest.empty()) body.insert(body.begin(), rest);
    }
    for (const std::string& line : body) m << Roff(line) << "\n";
    m << ".fi\n";
  }
  m << ".SH FILES\n.TP\n\\fIPREFIX\\fR/share/clean/rules\n"
       "the rules read when \\fB\\-\\-rules\\fR is not given (found from the executable's "
       "place: \\fIPREFIX\\fR/bin/clean)\n";
  return m.str();
}

// The words completing a flag's value, as a shell word list; empty: none.
std::string ValueWords(const Help& h, const Flag& f) {
  if (f.name == "--input") return "html text auto";
  if (f.name == "--encoding")  // the common ones; any iconv name is taken
    return "utf-8 windows-1252 windows-1251 windows-1250 iso-8859-2 koi8-r shift_jis euc-jp "
           "gb18030 gbk big5 euc-kr";
  if (f.name == "--keep") {
    std::string w;
    for (const auto& c : h.classes)
      if (c != "body") AddTo(&w, " ", c);
    return w;
  }
  if (f.arg.find('|') != std::string::npos) {
    std::string w = f.arg;
    for (char& c : w)
      if (c == '|') c = ' ';
    return w;
  }
  return "";
}

std::string Bash(const Help& h) {
  std::ostringstream b;
  std::string all, files, dirs, none;
  for (const Flag& f : h.flags) {
    for (const std::string& n : {f.shorthand, f.name}) {
      if (n.empty()) continue;
      AddTo(&all, " ", n);
      if (f.arg.empty() || n == "--source" || n == "--keep" || !ValueWords(h, f).empty()) continue;
      std::string& list = f.arg == "FILE" ? files : f.arg == "DIR" ? dirs : none;
      AddTo(&list, "|", n);
    }
  }
  b << "# bash completion for clean; generated from `clean --help` by tools/gen_docs.cc.\n"
    << "_clean() {\n"
    << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    << "  case $prev in\n"
    << "    --source)\n"
    << "      COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" --list-sources 2>/dev/null"
       " | cut -d' ' -f1)\" -- \"$cur\"))\n      return ;;\n";
  for (const Flag& f : h.flags) {
    std::string words = ValueWords(h, f);
    if (words.empty()) continue;
    if (f.name == "--keep") {  // a comma-separated list: complete its last item
      b << "    --keep)\n      local done=\"\" last=$cur\n"
        << "      [[ $cur == *,* ]] && done=${cur%,*}, && last=${cur##*,}\n"
        << "      COMPREPLY=($(compgen -P \"$done\" -W \"" << words
        << "\" -- \"$last\"))\n      return ;;\n";
      continue;
    }
    b << "    " << f.name << ")\n      COMPREPLY=($(compgen -W \"" << words
      << "\" -- \"$cur\"))\n      return ;;\n";
  }
  if (!files.empty())
    b << "    " << files << ")\n      COMPREPLY=($(compgen -f -- \"$cur\"))\n      return ;;\n";
  if (!dirs.empty())
    b << "    " << dirs << ")\n      COMPREPLY=($(compgen -d -- \"$cur\"))\n      return ;;\n";
  if (!none.empty()) b << "    " << none << ")\n      return ;;\n";
  b << "  esac\n"
    << "  if [[ $cur == -* ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"" << all << "\" -- \"$cur\"))\n"
    << "  else\n    COMPREPLY=($(compgen -f -- \"$cur\"))\n  fi\n"
    << "}\ncomplete -o filenames -F _clean clean\n";
  return b.str();
}

// A zsh _arguments description: the help up to its first clause, with
// nothing that ends the bracket or the single quotes.
std::string ZshDescription(const std::string& help) {
  std::string d = help.substr(0, std::min(help.find(" ("), help.find(';')));
  if (d.size() > 70) d.resize(d.rfind(' ', 67)), d.append("...");
  std::string out;
  for (char c : d) {
    if (c == '[')
      out += '(';
    else if (c == ']')
      out += ')';
    else if (c == '\'')
      out += "'\\''";
    else if (c == ':')
      out += "\\:";
    else
      out += c;
  }
  return out;
}

std::string Zsh(const Help& h) {
  std::ostringstream z;
  z << "#compdef clean\n"
    << "# zsh completion for clean; generated from `clean --help` by tools/gen_docs.cc.\n"
    << "_clean_sources() {\n"
    << "  local -a sources\n"
    << "  sources=(${${(f)\"$(${words[1]} --list-sources 2>/dev/null)\"}%% *})\n"
    << "  compadd -a sources\n}\n"
    << "_clean() {\n  _arguments -s -S \\\n";
  for (const Flag& f : h.flags) {
    // '(-o --output)'{-o,--output}'[...]...' or '--source[...]...'
    z << "    ";
    if (f.shorthand.empty())
      z << "'" << f.name;
    else
      z << "'(" << f.shorthand << " " << f.name << ")'{" << f.shorthand << "," << f.name << "}'";
    z << "[" << ZshDescription(f.help) << "]";
    if (!f.arg.empty()) {
      std::string action;
      if (f.name == "--source")
        action = "_clean_sources";
      else if (f.name == "--keep")
        action.append("_sequence compadd - ").append(ValueWords(h, f));
      else if (!ValueWords(h, f).empty())
        action.append("(").append(ValueWords(h, f)).append(")");
      else if (f.arg == "FILE")
        action = "_files";
      else if (f.arg == "DIR")
        action = "_files -/";
      else
        action = " ";
      z << ":" << f.arg << ":" << action;
    }
    z << "' \\\n";
  }
  z << "    '*:input:_files'\n}\n_clean \"$@\"\n";
  return z.str();
}

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) std::cerr << "clean_gen_docs: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: clean_gen_docs OUTDIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const Help h = ParseHelp(clean::HelpText());
  if (h.flags.empty() || h.classes.empty()) {
    std::cerr << "clean_gen_docs: no flags or classes found in the --help text\n";
    return 1;
  }
  bool ok = Write(dir + "/clean.1", ManPage(h));
  ok = Write(dir + "/clean.bash", Bash(h)) && ok;
  ok = Write(dir + "/_clean", Zsh(h)) && ok;
  return ok ? 0 : 1;
}
