#include "date/dateline.h"

#include <re2/re2.h>

#include <charconv>
#include <cstdio>
#include <string>

namespace gleaner::internal {
namespace {

std::string Format(int y, int m, int d) {
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) return {};
  char buf[32];  // room for any int, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int Number(std::string_view digits) {
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return ec == std::errc() && end == digits.data() + digits.size() ? n : 0;
}

// A month in digits, or a term of the months lexicon; a longer spelling by its first three
// letters ("Septem." as "Sep").
int MonthOf(std::string_view text, const Lexicon* months) {
  if (int n = Number(text)) return n;
  if (months == nullptr) return 0;
  const std::string* v = months->Find(text);
  if (v == nullptr && text.size() > 3) v = months->Find(text.substr(0, 3));
  return v == nullptr ? 0 : Number(*v);
}

}  // namespace

Result<std::vector<DatelineForm>> CompileDatelineForms(
    const std::vector<std::unique_ptr<Pack>>& packs) {
  constexpr std::string_view kPrefix = "dateline_";
  std::vector<DatelineForm> forms;
  for (const auto& pack : packs) {
    for (const auto& [name, pattern] : pack->macros) {
      if (name.rfind(kPrefix, 0) != 0) continue;
      RE2::Options opt;
      opt.set_log_errors(false);
      auto re = std::make_shared<RE2>(pattern, opt);
      if (!re->ok())
        return Status::InvalidRule("bad dateline macro: " + re->error(), pack->file, 0,
                                   "macro:" + name);
      DatelineForm form{name, re, 0, 0, 0, pack->FindLexicon("month")};
      const auto& groups = re->NamedCapturingGroups();
      for (auto [capture, index] : {std::pair{"year", &form.year}, std::pair{"month", &form.month},
                                    std::pair{"day", &form.day}}) {
        auto it = groups.find(capture);
        if (it == groups.end())
          return Status::InvalidRule(
              std::string("dateline macro needs a (?P<") + capture + ">...) capture", pack->file, 0,
              "macro:" + name);
        *index = it->second;
      }
      forms.push_back(std::move(form));
    }
    if (!forms.empty()) break;
  }
  return forms;
}

std::string FindDatelineDate(std::string_view text, const std::vector<DatelineForm>& forms) {
  // Only the first lines can be a dateline; a date deeper in the text is news, not a DCT.
  re2::StringPiece head(text.data(), std::min<std::size_t>(text.size(), 240));
  std::vector<re2::StringPiece> groups;
  for (const DatelineForm& form : forms) {
    groups.assign(form.re->NumberOfCapturingGroups() + 1, {});
    if (!form.re->Match(head, 0, head.size(), RE2::UNANCHORED, groups.data(),
                        static_cast<int>(groups.size())))
      continue;
    auto text_of = [&](int g) { return std::string_view(groups[g].data(), groups[g].size()); };
    return Format(Number(text_of(form.year)), MonthOf(text_of(form.month), form.months),
                  Number(text_of(form.day)));
  }
  return {};
}

}  // namespace gleaner::internal
