// Text layer: UTF-8 repair with an offset map back to the input, hard-wrap flattening,
// paragraph windows, ICU sentence and word segmentation, and quote-mark classes.
#ifndef GLEANER_LIB_TEXT_TEXT_H_
#define GLEANER_LIB_TEXT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gleaner/records.h"

namespace gleaner::internal {

// A letter or digit (Unicode alphanumeric, by ICU's properties): what tokens are made of.
bool IsTokenChar(char32_t c);
// The code point at text[i] (U+FFFD for an invalid sequence), moving i past it.
char32_t NextCodePoint(std::string_view text, std::size_t& i);

// A word of the document's token stream (gleaner::Token, which normalisers read too).
using TextToken = Token;

// A document ready for matching. `repaired` is the input with every invalid UTF-8 sequence
// replaced by U+FFFD; `flat` is `repaired` with each line break inside a paragraph turned into
// a space (same length), so that hard-wrapped wire text reads as running sentences.
// All spans below are offsets into repaired/flat; ToInput maps them back to the input.
struct PreparedText {
  std::string repaired;
  std::string flat;
  std::size_t invalid_sequences = 0;
  std::vector<Span> paragraphs;  // windows for pattern matching; never empty for non-empty text
  std::vector<Span> sentences;   // ICU sentence segments covering the text
  // The words of `flat` in text order, read once for every pass; each one's key (FoldKey: ASCII
  // lower case, or ICU's case folding without diacritics) is in `token_keys`. Empty for a text
  // of 4 GiB or more.
  std::vector<TextToken> tokens;
  std::string token_keys;

  // Maps an offset into `repaired` to the corresponding input offset.
  std::size_t ToInput(std::size_t offset) const;
  // The sentence containing `offset` (the last sentence if past the end).
  Span SentenceAt(std::size_t offset) const;
  // The tokens that start in `span`, and a token's key.
  std::span<const TextToken> TokensIn(Span span) const;
  std::string_view KeyOf(const TextToken& t) const {
    return std::string_view(token_keys).substr(t.key_begin, t.key_size);
  }

  // (repaired offset, input offset) after each repair; empty when the input was valid.
  std::vector<std::pair<std::size_t, std::size_t>> anchors;
};

// Whether a word written with a final period ("Sen", "Dr", without the period) is an
// abbreviation that does not end a sentence; initials ("F.") never do.
using AbbreviationTest = std::function<bool(std::string_view word)>;

// Builds the PreparedText of `input`. Never fails: any byte sequence is accepted. Sentences are
// ICU's, joined again after a word `is_abbreviation` accepts (none when it is empty).
PreparedText PrepareText(std::string_view input, const AbbreviationTest& is_abbreviation = {});

// Builds ICU's shared normaliser on the calling thread. Call before starting threads that use
// the text layer: ICU builds it once, lazily, behind synchronisation that ThreadSanitizer
// cannot see, since ICU is not built with it (tools/tsan.supp covers ICU's own internals).
void WarmUpUnicode();

// Replaces invalid UTF-8 (and NUL) in `input` by U+FFFD, counting the repairs in `*invalid` if
// non-null. PrepareText does the same, keeping an offset map.
std::string RepairUtf8(std::string_view input, std::size_t* invalid = nullptr);

// How a quote mark may be used.
enum class QuoteRole { kNone, kOpen, kClose, kEither };
struct QuoteMark {
  QuoteRole role = QuoteRole::kNone;
  int family = 0;          // marks of one family pair: 1 double, 2 single, 3 guillemets
  std::size_t length = 0;  // bytes
};
// Classifies the code point at text[offset]: "" “” „ ‘’ ‚ «» ‹› and the straight marks.
QuoteMark ClassifyQuoteMark(std::string_view text, std::size_t offset);

// A paired quotation: open mark at `open`, close mark ending at `close_end`; `inner` is the text
// between the marks. Pairs are found within paragraphs; an apostrophe inside a word is never a
// quote mark; a paragraph whose quote is unclosed is left alone.
struct Quotation {
  Span outer;
  Span inner;
  int family = 0;
};
std::vector<Quotation> FindQuotations(std::string_view text, const std::vector<Span>& paragraphs);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_TEXT_TEXT_H_

namespace gleaner::internal {

// The lookup key of a term: ICU case folding, diacritics removed, runs of whitespace collapsed
// to one space, leading and trailing space dropped. "  Côte  d'Ivoire" -> "cote d'ivoire".
std::string FoldKey(std::string_view text);

}  // namespace gleaner::internal
