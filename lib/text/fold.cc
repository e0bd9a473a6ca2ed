#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "text/text.h"

namespace gleaner::internal {

std::string FoldKey(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii &= static_cast<unsigned char>(c) < 0x80;
  std::string out;
  out.reserve(text.size());
  auto push = [&out](char c, bool space) {
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  };
  if (ascii) {  // the common case, without a round trip through UTF-16
    for (char c : text) {
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      push(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c), space);
    }
  } else {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    u.foldCase();
    icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(u, status) : u;
    icu::UnicodeString kept;
    for (int32_t i = 0; i < decomposed.length();) {
      UChar32 c = decomposed.char32At(i);
      i += U16_LENGTH(c);
      if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
      if (c == 0x2019 || c == 0x2018) c = '\'';  // typographic apostrophes fold to ASCII
      if (u_isUWhiteSpace(c)) c = ' ';
      kept.append(c);
    }
    std::string utf8;
    kept.toUTF8String(utf8);
    for (char c : utf8) push(c, c == ' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace gleaner::internal
