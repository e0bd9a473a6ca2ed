// Where a pattern's matches can begin. Computed once from an expanded RE2 pattern, so that the
// engine tries a rule only at the positions that can begin one of its matches (a word that
// opens with one of its literal prefixes, a digit, ...) instead of searching every paragraph.
#ifndef GLEANER_LIB_RULES_STARTS_H_
#define GLEANER_LIB_RULES_STARTS_H_

#include <array>
#include <bitset>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::internal {

// Markers in MatchStart::prefix: one or more whitespace characters (\s+), a word boundary (\b).
inline constexpr char kSpaceRun = '\x01';
inline constexpr char kWordBoundary = '\x02';

// A word character for RE2's \b: ASCII letters, digits and '_' only.
inline bool IsRe2WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One way a match can begin: at a position whose byte is in `first`, where the text goes on
// with `prefix`, and which is a word boundary in RE2's sense (ASCII word characters) when
// `boundary`. prefix[i] is compared in ASCII lower case where folds[i] is '1'.
struct MatchStart {
  bool boundary = false;
  std::bitset<256> first;
  std::string prefix;  // may be empty; may hold kSpaceRun and kWordBoundary
  std::string folds;   // '1' or '0' for each byte of prefix
};

// Every way a match of `pattern` can begin. The analysis over-approximates: a position that
// fits none of the returned starts begins no match (that is what makes trigger-driven matching
// return what exhaustive matching returns). Constructs it does not model make it give up and
// return a start that fits every position. `case_insensitive` is the rule's own flag.
std::vector<MatchStart> AnalyzeMatchStarts(std::string_view pattern, bool case_insensitive);

// True when `start` fits text[pos...], given whether `pos` is a word boundary.
bool StartFits(const MatchStart& start, std::string_view text, std::size_t pos, bool boundary);

// The starts of many rules, to find the rules that can begin at a position: a trie of their
// prefixes, and tables by first byte for the starts that have none.
class StartIndex {
 public:
  StartIndex();
  void Add(const MatchStart& start, std::size_t rule);
  // Appends to `rules` every rule with a start that fits text[pos...]; `text` is what RE2 is
  // given (its edges are the edges of the text). A rule may be appended more than once.
  void Find(std::string_view text, std::size_t pos, std::vector<std::size_t>* rules) const;
  // False when no start can begin at a position whose byte is `c`: most positions, skipped
  // without a lookup. `boundary`: whether the position is a word boundary.
  bool MayBegin(unsigned char c, bool boundary) const {
    return first_anywhere_[c] || (boundary && first_at_boundary_[c]);
  }
  // False when no start can begin at a position whose first two bytes are `c` and `next`:
  // the next check, before a lookup ("t" then "h" may open "the", "t" then "w" nothing).
  bool MayBeginPair(unsigned char c, unsigned char next) const { return second_[c][next]; }

 private:
  static constexpr int kFoldLabel = 256;  // + the lower-case byte
  static constexpr int kSpaceLabel = 512;
  static constexpr int kBoundaryLabel = 513;
  static constexpr int kLabels = kBoundaryLabel + 1;
  struct TrieNode {
    std::vector<std::pair<int, int>> edges;  // label, child; sorted
    std::vector<std::size_t> rules;          // whose prefix ends here
    // By label, once a node has many edges (the roots have one per letter).
    std::unique_ptr<std::array<int, kLabels>> dense;
    int Child(int label) const;  // -1 if none
  };
  std::vector<TrieNode> nodes_;  // [0]: root of the starts at a word boundary; [1]: the others
  std::array<std::vector<std::size_t>, 256> by_byte_, by_byte_at_boundary_;
  std::bitset<256> first_anywhere_, first_at_boundary_;  // first bytes of every start
  std::array<std::bitset<256>, 256> second_;             // [first byte][second byte] of every start
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_RULES_STARTS_H_
