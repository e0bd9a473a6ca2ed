// Where a pattern's matches can begin. Computed once from an expanded RE2 pattern, so that the
// engine tries a rule only at the positions that can begin one of its matches (a word that
// opens with one of its literal prefixes, a digit, ...) instead of searching every paragraph.
#ifndef GLEANER_LIB_RULES_STARTS_H_
#define GLEANER_LIB_RULES_STARTS_H_

#include <array>
#include <bitset>
#include <cstdint>
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
// prefixes, and tables by first byte for the starts that have none. Add every start, then
// Freeze once; Find and the checks read the frozen tables only (one contiguous array of nodes
// and one of edges: a lookup at every position of a text must not chase pointers).
class StartIndex {
 public:
  StartIndex();
  void Add(const MatchStart& start, std::size_t rule);
  // Lays the trie out for Find; Add after it is an error (Find would not see the new start).
  void Freeze();
  // Appends to `rules` every rule with a start that fits text[pos...]; `text` is what RE2 is
  // given (its edges are the edges of the text). A rule may be appended more than once.
  // Finds nothing before Freeze.
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
  // The trie while starts are added.
  struct BuildNode {
    std::vector<std::pair<int, int>> edges;  // label, child; sorted
    std::vector<std::size_t> rules;          // whose prefix ends here
  };
  // The frozen trie: a node's edges and rules are ranges of edges_ and rules_; a node with
  // many edges (the roots have one per letter) also has a table by label in dense_.
  struct Node {
    std::uint32_t edge_begin = 0, edge_end = 0;
    std::uint32_t rule_begin = 0, rule_end = 0;
    std::int32_t dense = -1;  // index into dense_, or -1
    std::int32_t last_label = -1;
  };
  int Child(const Node& node, int label) const;  // -1 if none

  std::vector<BuildNode> building_;  // [0]: root of the starts at a word boundary; [1]: others
  std::vector<Node> nodes_;          // the same, frozen
  std::vector<std::pair<std::int32_t, std::int32_t>> edges_;
  std::vector<std::size_t> rules_;
  std::vector<std::array<std::int32_t, kLabels>> dense_;
  std::array<std::vector<std::size_t>, 256> by_byte_, by_byte_at_boundary_;
  std::bitset<256> first_anywhere_, first_at_boundary_;  // first bytes of every start
  std::array<std::bitset<256>, 256> second_;             // [first byte][second byte] of every start
};

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_RULES_STARTS_H_
