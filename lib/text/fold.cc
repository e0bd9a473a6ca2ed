#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bitset>

#include "text/text.h"

namespace gleaner::internal {
namespace {

// ICU case folding, then NFD with the marks dropped, typographic apostrophes as ASCII and any
// white space as ' '. Every step reads one code point at a time (canonical reordering only
// moves marks, which are dropped), so a text folds as its code points do one by one.
std::string FoldWithIcu(std::string_view text) {
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
  return utf8;
}

// The fold of each two-byte UTF-8 code point (Latin, Greek, Cyrillic, Hebrew, Arabic: most of
// the non-ASCII letters in news), asked of ICU once per thread and code point.
constexpr UChar32 kTwoByteEnd = 0x800;
const std::string& FoldedCodePoint(UChar32 c) {
  thread_local std::array<std::string, kTwoByteEnd> folded;
  thread_local std::bitset<kTwoByteEnd> known;
  if (!known[static_cast<std::size_t>(c)]) {
    char utf8[4];
    int32_t length = 0;
    U8_APPEND_UNSAFE(utf8, length, c);
    folded[static_cast<std::size_t>(c)] = FoldWithIcu(std::string_view(utf8, length));
    known.set(static_cast<std::size_t>(c));
  }
  return folded[static_cast<std::size_t>(c)];
}

}  // namespace

std::string FoldKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto push = [&out](char c) {
    if (c == ' ') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  };
  bool fallback = false;
  // Text with a non-ASCII character has always been folded by ICU, whose white space includes
  // the form feed and vertical tab; all-ASCII text keeps them.
  bool ascii = std::all_of(text.begin(), text.end(),
                           [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
  for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
    auto c = static_cast<unsigned char>(text[static_cast<std::size_t>(i)]);
    if (c < 0x80) {  // the common case, without ICU
      ++i;
      bool space =
          c == ' ' || c == '\t' || c == '\n' || c == '\r' || (!ascii && (c == '\f' || c == '\v'));
      push(space ? ' ' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      continue;
    }
    UChar32 cp;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()),
            cp);
    if (cp < 0 || cp >= kTwoByteEnd) {
      fallback = true;
      break;
    }
    for (char f : FoldedCodePoint(cp)) push(f);
  }
  if (fallback) {
    out.clear();
    for (char f : FoldWithIcu(text)) push(f);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace gleaner::internal
