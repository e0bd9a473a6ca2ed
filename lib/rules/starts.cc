#include "rules/starts.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <tuple>

namespace gleaner::internal {
namespace {

// The part of RE2's syntax that decides where a match begins. Anything else makes the parser
// give up, and the caller assumes a match can begin anywhere.
struct Node;
using Sequence = std::vector<Node>;

struct Node {
  enum class Kind { kLiteral, kClass, kBoundary, kZeroWidth, kGroup, kRepeat };
  Kind kind = Kind::kZeroWidth;
  std::string literal;                 // kLiteral: one code point in UTF-8
  bool fold = false;                   // kLiteral: case-insensitive
  std::bitset<256> bytes;              // kClass: the first bytes of the characters it matches
  std::vector<Sequence> alternatives;  // kGroup; kRepeat: exactly one, the repeated item
  int min = 1;                         // kRepeat
  int max = -1;                        // kRepeat; -1: unbounded
};

struct GiveUp {};

std::bitset<256> AllBytes() { return std::bitset<256>().set(); }

// Lead bytes of every non-ASCII character.
std::bitset<256> NonAsciiLeads() {
  std::bitset<256> b;
  for (int i = 0xC2; i <= 0xF4; ++i) b.set(i);
  return b;
}

uint8_t LeadByte(UChar32 c) {
  uint8_t buf[4];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  return buf[0];
}

// Adds the first bytes of the characters in [lo, hi], and of their case variants when `fold`.
void AddRange(UChar32 lo, UChar32 hi, bool fold, std::bitset<256>* out) {
  for (UChar32 c = lo; c <= hi && c < 0x80; ++c) {
    out->set(static_cast<unsigned char>(c));
    if (fold && std::isalpha(c)) {
      out->set(static_cast<unsigned char>(std::tolower(c)));
      out->set(static_cast<unsigned char>(std::toupper(c)));
      // RE2 folds k with the Kelvin sign (U+212A) and s with the long s (U+017F).
      if (std::tolower(c) == 'k') out->set(0xE2);
      if (std::tolower(c) == 's') out->set(0xC5);
    }
  }
  if (hi >= 0x80) {
    if (fold) {
      // A non-ASCII letter may fold to an ASCII one: keep every letter.
      for (int c = 'A'; c <= 'Z'; ++c) out->set(c), out->set(c + 32);
      *out |= NonAsciiLeads();
      return;
    }
    for (int b = LeadByte(std::max<UChar32>(lo, 0x80)); b <= LeadByte(hi); ++b) out->set(b);
  }
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  Sequence Parse(bool fold) {
    std::vector<Sequence> alts = Alternatives(fold);
    if (i_ != p_.size()) throw GiveUp{};
    if (alts.size() == 1) return std::move(alts[0]);
    Node g;
    g.kind = Node::Kind::kGroup;
    g.alternatives = std::move(alts);
    return Sequence{std::move(g)};
  }

 private:
  bool More() const { return i_ < p_.size(); }
  char Peek() const { return p_[i_]; }

  std::vector<Sequence> Alternatives(bool fold) {
    std::vector<Sequence> alts(1);
    while (More() && Peek() != ')') {
      if (Peek() == '|') {
        ++i_;
        alts.emplace_back();
        continue;
      }
      // "(?i)" changes the flags of the rest of the group.
      if (p_.compare(i_, 2, "(?") == 0) {
        std::size_t j = i_ + 2;
        bool on = true, new_fold = fold;
        while (j < p_.size() && (std::isalpha(static_cast<unsigned char>(p_[j])) || p_[j] == '-')) {
          if (p_[j] == '-') on = false;
          if (p_[j] == 'i') new_fold = on;
          ++j;
        }
        if (j < p_.size() && p_[j] == ')' && j > i_ + 2) {
          i_ = j + 1;
          fold = new_fold;
          // RE2 lets a repeat follow a flag group and applies it to the item before: not
          // modelled.
          if (More() && std::string_view("*+?{").find(Peek()) != std::string_view::npos)
            throw GiveUp{};
          continue;
        }
      }
      Node atom = Atom(fold);
      Quantify(&atom);
      alts.back().push_back(std::move(atom));
    }
    return alts;
  }

  void Quantify(Node* atom) {
    if (!More()) return;
    int min = -1, max = -1;
    char c = Peek();
    if (c == '*' || c == '?') {
      min = 0;
      max = c == '?' ? 1 : -1;
      ++i_;
    } else if (c == '+') {
      min = 1;
      ++i_;
    } else if (c == '{') {
      std::size_t j = i_ + 1;
      std::size_t digits = j;
      while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j]))) ++j;
      if (j == digits) return;  // a literal "{"
      int n = std::stoi(std::string(p_.substr(digits, j - digits)));
      int m = n;
      if (j < p_.size() && p_[j] == ',') {
        ++j;
        std::size_t upper = j;
        while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j]))) ++j;
        m = j == upper ? -1 : std::stoi(std::string(p_.substr(upper, j - upper)));
      }
      if (j >= p_.size() || p_[j] != '}') return;
      i_ = j + 1;
      min = n;
      max = m;
    } else {
      return;
    }
    if (More() && Peek() == '?') ++i_;  // lazy
    Node r;
    r.kind = Node::Kind::kRepeat;
    r.min = min;
    r.max = max;
    r.alternatives.push_back(Sequence{std::move(*atom)});
    *atom = std::move(r);
    Quantify(atom);  // RE2 allows "a**"
  }

  Node Class(std::bitset<256> bytes) {
    Node n;
    n.kind = Node::Kind::kClass;
    n.bytes = bytes;
    return n;
  }

  Node Literal(UChar32 c, bool fold) {
    Node n;
    n.kind = Node::Kind::kLiteral;
    n.fold = fold;
    uint8_t buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    n.literal.assign(reinterpret_cast<const char*>(buf), len);
    return n;
  }

  // Reads "\x{...}" / "\xHH" after the backslash and "x".
  UChar32 Hex() {
    std::size_t end;
    std::string digits;
    if (More() && Peek() == '{') {
      end = p_.find('}', i_);
      if (end == std::string_view::npos) throw GiveUp{};
      digits = std::string(p_.substr(i_ + 1, end - i_ - 1));
      i_ = end + 1;
    } else {
      if (i_ + 2 > p_.size()) throw GiveUp{};
      digits = std::string(p_.substr(i_, 2));
      i_ += 2;
    }
    if (digits.empty() || digits.size() > 6) throw GiveUp{};
    for (char d : digits)
      if (!std::isxdigit(static_cast<unsigned char>(d))) throw GiveUp{};
    return static_cast<UChar32>(std::stol(digits, nullptr, 16));
  }

  // A character class escape (\d \s \w, upper case for the complement) into `out`; false if
  // `e` is none.
  static bool ClassEscape(char e, bool fold, std::bitset<256>* out) {
    std::bitset<256> b;
    switch (std::tolower(static_cast<unsigned char>(e))) {
      case 'd':
        for (int c = '0'; c <= '9'; ++c) b.set(c);
        break;
      case 's':
        for (int c : {'\t', '\n', '\f', '\r', ' '}) b.set(c);
        break;
      case 'w':
        for (int c = 0; c < 128; ++c)
          if (std::isalnum(c) || c == '_') b.set(c);
        // Under (?i), \w takes k's and s's Unicode folds: the Kelvin sign and the long s.
        // (\W keeps every non-ASCII lead byte below.)
        if (fold && e == 'w') b.set(0xE2), b.set(0xC5);
        break;
      default:
        return false;
    }
    *out |= std::isupper(static_cast<unsigned char>(e)) ? ~b : b;
    return true;
  }

  static UChar32 EscapedChar(char e) {
    switch (e) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return '\a';
      default:
        if (std::isalnum(static_cast<unsigned char>(e))) throw GiveUp{};  // \pL, \Q, \C, ...
        return static_cast<unsigned char>(e);
    }
  }

  UChar32 NextChar() {
    UChar32 c;
    int32_t i = static_cast<int32_t>(i_);
    U8_NEXT(reinterpret_cast<const uint8_t*>(p_.data()), i, static_cast<int32_t>(p_.size()), c);
    if (c < 0) throw GiveUp{};
    i_ = static_cast<std::size_t>(i);
    return c;
  }

  // One member of a bracketed class: a character, or a class escape (returned as -1).
  UChar32 ClassChar(bool fold, std::bitset<256>* bytes) {
    if (Peek() != '\\') return NextChar();
    ++i_;
    if (!More()) throw GiveUp{};
    char e = p_[i_++];
    if (e == 'x') return Hex();
    if (ClassEscape(e, fold, bytes)) return -1;
    return EscapedChar(e);
  }

  Node Bracket(bool fold) {
    ++i_;  // "["
    bool negated = More() && Peek() == '^';
    if (negated) ++i_;
    std::bitset<256> bytes;
    bool first = true;
    while (More() && (Peek() != ']' || first)) {
      first = false;
      if (p_.compare(i_, 2, "[:") == 0) throw GiveUp{};  // POSIX classes: not modelled
      UChar32 lo = ClassChar(fold, &bytes);
      if (lo < 0) continue;
      UChar32 hi = lo;
      if (i_ + 1 < p_.size() && Peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        hi = ClassChar(fold, &bytes);
        if (hi < 0) throw GiveUp{};
      }
      AddRange(lo, hi, fold, &bytes);
    }
    if (!More()) throw GiveUp{};
    ++i_;  // "]"
    return Class(negated ? AllBytes() : bytes);
  }

  Node Atom(bool fold) {
    char c = Peek();
    if (c == '(') {
      ++i_;
      bool group_fold = fold;
      if (More() && Peek() == '?') {
        ++i_;
        if (More() && Peek() == 'P') {  // (?P<name>
          std::size_t close = p_.find('>', i_);
          if (close == std::string_view::npos) throw GiveUp{};
          i_ = close + 1;
        } else {
          bool on = true;
          while (More() && Peek() != ':') {
            char f = p_[i_++];
            if (f == '-') {
              on = false;
            } else if (f == 'i') {
              group_fold = on;
            } else if (!std::isalpha(static_cast<unsigned char>(f))) {
              throw GiveUp{};
            }
          }
          if (!More()) throw GiveUp{};
          ++i_;  // ":"
        }
      }
      Node g;
      g.kind = Node::Kind::kGroup;
      g.alternatives = Alternatives(group_fold);
      if (!More() || Peek() != ')') throw GiveUp{};
      ++i_;
      return g;
    }
    if (c == '[') return Bracket(fold);
    if (c == '.') {
      ++i_;
      return Class(AllBytes());
    }
    if (c == '^' || c == '$') {
      ++i_;
      return Node{};
    }
    if (c == '\\') {
      ++i_;
      if (!More()) throw GiveUp{};
      char e = p_[i_++];
      if (e == 'b') {
        Node n;
        n.kind = Node::Kind::kBoundary;
        return n;
      }
      if (e == 'B' || e == 'A' || e == 'z') return Node{};
      if (e == 'x') return Literal(Hex(), fold);
      std::bitset<256> b;
      if (ClassEscape(e, fold, &b)) return Class(b);
      return Literal(EscapedChar(e), fold);
    }
    if (c == '*' || c == '+' || c == '?' || c == ')' || c == '|') throw GiveUp{};
    return Literal(NextChar(), fold);
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

// ASCII letters other than k and s fold only to their other case, which a lower-case compare
// handles; k, s and non-ASCII characters have folds elsewhere in Unicode.
// True for a one-byte literal: under case folding it stands for its two ASCII cases, or for
// 'k' and 's' also for the Kelvin sign and the long s, which the fold label admits too.
bool FoldsInAscii(const std::string& literal) {
  return literal.size() == 1 && static_cast<unsigned char>(literal[0]) < 0x80;
}

// The characters \s stands for in RE2, and \v.
bool IsWhitespaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsSpaceClass(const Node& n) {
  std::bitset<256> space;
  for (int c : {'\t', '\n', '\f', '\r', ' '}) space.set(c);
  return n.kind == Node::Kind::kClass && n.bytes == space;
}

bool IsSpaceRun(const Node& n) {
  return IsSpaceClass(n) || (n.kind == Node::Kind::kRepeat && n.min >= 1 &&
                             n.alternatives[0].size() == 1 && IsSpaceClass(n.alternatives[0][0]));
}

// Enumerates the texts that matches begin with, walking every path through the pattern until
// it reaches something a prefix cannot say (a class, a repeat that goes on, a non-ASCII
// character under case folding) or the limits below. Each path ends as one MatchStart.
class StartWalker {
 public:
  // Paths end after `max_words` words, or after `max_bytes` bytes when it is not 0; false if
  // they made more than kMaxStarts starts (then the starts are short and admit too much).
  bool Run(const Sequence& seq, int max_words, std::size_t max_bytes) {
    max_words_ = max_words;
    max_bytes_ = max_bytes;
    MatchStart start;
    Walk(&seq, 0, nullptr, start, 0);
    return out_.size() <= kMaxStarts;
  }
  std::vector<MatchStart> TakeStarts() { return std::move(out_); }

 private:
  // What follows the end of a sequence: the rest of the sequence that holds it. After one
  // repetition of an unbounded repeat a path ends, unless the repetition consumed nothing
  // (then it goes on as if the repeat were skipped).
  struct Continuation {
    const Sequence* seq;
    std::size_t i;
    const Continuation* next;
    bool repetition_end = false;
    std::size_t prefix_at_entry = 0;
  };
  static constexpr std::size_t kMaxPrefix = 40;  // StartIndex::Find's stack relies on it
  static constexpr std::size_t kMaxStarts = 1000;

  void Emit(const MatchStart& path) {
    MatchStart start = path;
    if (start.prefix.empty() && start.first.none()) {
      start.first.set();  // a path that can match the empty string fits every position
    } else if (start.first.none()) {
      char c = start.prefix[0];
      if (c == kSpaceRun) {
        for (int b : {'\t', '\n', '\f', '\r', ' '}) start.first.set(b);
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        start.first.set(static_cast<unsigned char>(c));  // the lead byte of a literal character
      } else {
        AddRange(c, c, start.folds[0] == '1', &start.first);
      }
    }
    out_.push_back(std::move(start));
  }

  // A space run ends a word; false when the path has its words and should end with it (the
  // run stays in the prefix: "a" then spaces admits far fewer positions than "a" alone).
  bool AppendSpace(MatchStart* start, int* words) {
    if (start->prefix.empty() || start->prefix.back() == kSpaceRun) {
      if (start->prefix.empty()) Append(start, kSpaceRun, false);
      return true;
    }
    bool more = ++*words <= max_words_ && (max_bytes_ == 0 || start->prefix.size() < max_bytes_);
    Append(start, kSpaceRun, false);
    return more;
  }

  void Append(MatchStart* start, char c, bool fold) {
    start->prefix += c;
    start->folds += fold ? '1' : '0';
  }

  // Walks with `start` as the path so far; it is extended in place and restored on return
  // (a copy per branch would cost more than the walk).
  void Walk(const Sequence* seq, std::size_t i, const Continuation* next, MatchStart& start,
            int words) {
    struct Restore {
      MatchStart& start;
      std::size_t size;
      bool boundary;
      std::bitset<256> first;
      ~Restore() {
        start.prefix.resize(size);
        start.folds.resize(size);
        start.boundary = boundary;
        start.first = first;
      }
    } restore{start, start.prefix.size(), start.boundary, start.first};
    // Zero-width choices in a row double the paths: past this many steps, give up (a match
    // may then begin anywhere), rather than let a pack stall the loading.
    if (++steps_ > kMaxSteps) throw GiveUp{};
    while (true) {
      if (i == seq->size()) {
        if (next == nullptr) return Emit(start);
        if (next->repetition_end &&
            (start.prefix.size() != next->prefix_at_entry || start.first.any()))
          return Emit(start);
        seq = next->seq;
        i = next->i;
        next = next->next;
        continue;
      }
      // Too many starts: the caller will try shorter prefixes, so stop walking.
      if (max_bytes_ == 0 && out_.size() > kMaxStarts) return;
      // Past the limits a path ends where it is: a shorter prefix admits more, never fewer.
      if (start.prefix.size() >= kMaxPrefix ||
          (max_bytes_ > 0 && start.prefix.size() >= max_bytes_))
        return Emit(start);
      const Node& n = (*seq)[i];
      switch (n.kind) {
        case Node::Kind::kZeroWidth:
          break;
        case Node::Kind::kBoundary:
          if (start.prefix.empty()) {
            start.boundary = true;
          } else {
            Append(&start, kWordBoundary, false);
          }
          break;
        case Node::Kind::kLiteral:
          if (n.fold && !FoldsInAscii(n.literal)) {
            if (start.prefix.empty()) {
              UChar32 c;
              int32_t k = 0;
              U8_NEXT(reinterpret_cast<const uint8_t*>(n.literal.data()), k,
                      static_cast<int32_t>(n.literal.size()), c);
              AddRange(c, c, true, &start.first);
            }
            return Emit(start);
          }
          // A space run takes all the whitespace it meets: a whitespace character after it
          // could never be found, so the path ends before one.
          if (!start.prefix.empty() && start.prefix.back() == kSpaceRun && n.literal.size() == 1 &&
              IsWhitespaceChar(n.literal[0]))
            return Emit(start);
          for (char c : n.literal)
            Append(&start,
                   n.fold ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c,
                   n.fold && std::isalpha(static_cast<unsigned char>(c)));
          break;
        case Node::Kind::kClass:
          if (IsSpaceClass(n)) {
            if (!AppendSpace(&start, &words)) return Emit(start);
            break;
          }
          if (start.prefix.empty()) start.first = n.bytes;
          return Emit(start);
        case Node::Kind::kGroup: {
          Continuation after{seq, i + 1, next};
          for (const Sequence& alt : n.alternatives) Walk(&alt, 0, &after, start, words);
          return;
        }
        case Node::Kind::kRepeat: {
          if (IsSpaceRun(n)) {
            if (!AppendSpace(&start, &words)) return Emit(start);
            break;
          }
          if (n.min == 0) Walk(seq, i + 1, next, start, words);
          Continuation after{seq, i + 1, next, n.max != 1, start.prefix.size()};
          Walk(&n.alternatives[0], 0, &after, start, words);
          return;
        }
      }
      ++i;
    }
  }

  static constexpr std::size_t kMaxSteps = 200'000;
  std::vector<MatchStart> out_;
  std::size_t steps_ = 0;
  int max_words_ = 1;
  std::size_t max_bytes_ = 0;
};

// Sorts the starts and drops repeats; returns how many remain.
std::size_t Distinct(std::vector<MatchStart>* starts) {
  auto key = [](const MatchStart& a) { return std::tie(a.boundary, a.prefix, a.folds); };
  std::sort(starts->begin(), starts->end(), [&](const MatchStart& a, const MatchStart& b) {
    if (key(a) != key(b)) return key(a) < key(b);
    for (std::size_t i = 0; i < a.first.size(); ++i)
      if (a.first[i] != b.first[i]) return b.first[i];
    return false;
  });
  starts->erase(std::unique(starts->begin(), starts->end(),
                            [&](const MatchStart& a, const MatchStart& b) {
                              return key(a) == key(b) && a.first == b.first;
                            }),
                starts->end());
  return starts->size();
}

// Past this many distinct starts, a shorter limit is tried.
constexpr std::size_t kMaxDistinctStarts = 1000;

MatchStart Anywhere() {
  MatchStart s;
  s.first.set();
  return s;
}

}  // namespace

std::vector<MatchStart> AnalyzeMatchStarts(std::string_view pattern, bool case_insensitive) {
  std::vector<MatchStart> out;
  try {
    Sequence seq = Parser(pattern).Parse(case_insensitive);
    // The longest prefixes, in words, that keep the number of starts small; then the first
    // word cut to a few bytes (words that run on into optional suffixes, "one" "onemillion"
    // "one-million%", multiply); at worst the first byte of each (fewer than 512 starts).
    struct Limit {
      int words;
      std::size_t bytes;
    };
    for (Limit limit : {Limit{3, 0}, Limit{2, 0}, Limit{1, 0}, Limit{0, 0}, Limit{0, 8},
                        Limit{0, 5}, Limit{0, 3}, Limit{0, 1}}) {
      StartWalker walker;
      bool last = limit.bytes == 1;
      try {
        // A byte limit is judged on the distinct starts (a cut prefix repeats many); a word
        // limit stops walking once it has too many.
        bool few = walker.Run(seq, limit.words, limit.bytes);
        if (limit.bytes > 0 || few) {
          out = walker.TakeStarts();
          if (!last && limit.bytes > 0 && Distinct(&out) > kMaxDistinctStarts) continue;
          break;
        }
      } catch (const GiveUp&) {
        if (last) throw;  // a shorter limit walks fewer paths
      }
    }
  } catch (const std::exception&) {
    return {Anywhere()};
  } catch (const GiveUp&) {
    return {Anywhere()};
  }
  Distinct(&out);
  return out;
}

namespace {

bool IsWordByte(std::string_view text, std::size_t at) { return IsRe2WordChar(text[at]); }

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// The Kelvin sign (U+212A) and the long s (U+017F) fold to 'k' and 's' in RE2's case folding:
// the length of either at text[pos], with its letter in *letter; 0 for anything else.
std::size_t FoldedNonAscii(std::string_view text, std::size_t pos, char* letter) {
  std::string_view rest = text.substr(pos);
  if (rest.starts_with("\xC5\xBF")) {
    *letter = 's';
    return 2;
  }
  if (rest.starts_with("\xE2\x84\xAA")) {
    *letter = 'k';
    return 3;
  }
  return 0;
}

// RE2's \b at `pos` of `text` (the text RE2 is given: nothing before or after it).
bool BoundaryAt(std::string_view text, std::size_t pos) {
  bool before = pos > 0 && IsWordByte(text, pos - 1);
  bool after = pos < text.size() && IsWordByte(text, pos);
  return before != after;
}

}  // namespace

bool StartFits(const MatchStart& start, std::string_view text, std::size_t pos, bool boundary) {
  if (start.boundary && !boundary) return false;
  if (pos >= text.size() || !start.first[static_cast<unsigned char>(text[pos])]) return false;
  for (std::size_t i = 0; i < start.prefix.size(); ++i) {
    char want = start.prefix[i];
    if (want == kWordBoundary) {
      if (!BoundaryAt(text, pos)) return false;
    } else if (want == kSpaceRun) {
      if (pos >= text.size() || !IsSpaceByte(text[pos])) return false;
      while (pos < text.size() && IsSpaceByte(text[pos])) ++pos;
    } else {
      if (pos >= text.size()) return false;
      char folded;
      if (std::size_t length = FoldedNonAscii(text, pos, &folded);
          length > 0 && start.folds[i] == '1' && folded == want) {
        pos += length;
        continue;
      }
      char c = text[pos++];
      if (start.folds[i] == '1') c = AsciiLower(c);
      if (c != want) return false;
    }
  }
  return true;
}

int StartIndex::Child(const Node& node, int label) const {
  if (node.dense >= 0) return dense_[static_cast<std::size_t>(node.dense)][label];
  // A handful of edges (more make the node dense): a scan beats a binary search.
  for (std::uint32_t e = node.edge_begin; e < node.edge_end; ++e) {
    if (edges_[e].first == label) return edges_[e].second;
    if (edges_[e].first > label) break;
  }
  return -1;
}

void StartIndex::Add(const MatchStart& start, std::size_t rule) {
  (start.boundary ? first_at_boundary_ : first_anywhere_) |= start.first;
  // The bytes that may follow the first: anything, unless the prefix's first two items are
  // plain or folded bytes (a space run, a boundary, or a first byte that opens a longer
  // character say nothing about the next byte).
  std::bitset<256> next;
  if (start.prefix.size() < 2 || start.prefix[0] == kSpaceRun || start.prefix[0] == kWordBoundary ||
      start.prefix[1] == kWordBoundary) {
    next.set();
  } else if (start.prefix[1] == kSpaceRun) {
    for (int b : {'\t', '\n', '\f', '\r', ' '}) next.set(b);
  } else {
    AddRange(static_cast<unsigned char>(start.prefix[1]),
             static_cast<unsigned char>(start.prefix[1]), start.folds[1] == '1', &next);
    if (static_cast<unsigned char>(start.prefix[1]) >= 0x80)
      next.set(static_cast<unsigned char>(start.prefix[1]));
  }
  for (int b = 0; b < 256; ++b) {
    if (!start.first[b]) continue;
    // A folded 's' or 'k' may be a long s or a Kelvin sign: its second byte is inside it.
    second_[b] |= b >= 0x80 ? std::bitset<256>().set() : next;
  }
  if (start.prefix.empty()) {
    for (int b = 0; b < 256; ++b)
      if (start.first[b]) (start.boundary ? by_byte_at_boundary_ : by_byte_)[b].push_back(rule);
    return;
  }
  int node = start.boundary ? 0 : 1;
  for (std::size_t i = 0; i < start.prefix.size(); ++i) {
    char c = start.prefix[i];
    int label = c == kSpaceRun          ? kSpaceLabel
                : c == kWordBoundary    ? kBoundaryLabel
                : start.folds[i] == '1' ? kFoldLabel + static_cast<unsigned char>(c)
                                        : static_cast<unsigned char>(c);
    auto& edges = building_[static_cast<std::size_t>(node)].edges;
    auto it = std::lower_bound(edges.begin(), edges.end(), std::pair<int, int>(label, -1));
    if (it != edges.end() && it->first == label) {
      node = it->second;
      continue;
    }
    int child = static_cast<int>(building_.size());
    edges.insert(it, {label, child});
    building_.emplace_back();  // invalidates `edges`
    node = child;
  }
  building_[static_cast<std::size_t>(node)].rules.push_back(rule);
}

void StartIndex::Freeze() {
  nodes_.assign(building_.size(), Node{});
  edges_.clear();
  rules_.clear();
  dense_.clear();
  for (std::size_t i = 0; i < building_.size(); ++i) {
    const BuildNode& b = building_[i];
    Node& n = nodes_[i];
    n.edge_begin = static_cast<std::uint32_t>(edges_.size());
    for (const auto& [label, child] : b.edges) edges_.emplace_back(label, child);
    n.edge_end = static_cast<std::uint32_t>(edges_.size());
    n.rule_begin = static_cast<std::uint32_t>(rules_.size());
    rules_.insert(rules_.end(), b.rules.begin(), b.rules.end());
    n.rule_end = static_cast<std::uint32_t>(rules_.size());
    if (!b.edges.empty()) n.last_label = b.edges.back().first;
    if (b.edges.size() > 8) {
      n.dense = static_cast<std::int32_t>(dense_.size());
      dense_.emplace_back();
      dense_.back().fill(-1);
      for (const auto& [label, child] : b.edges) dense_.back()[label] = child;
    }
  }
}

StartIndex::StartIndex() : building_(2) {}

void StartIndex::Find(std::string_view text, std::size_t pos,
                      std::vector<std::size_t>* rules) const {
  if (pos >= text.size()) return;
  unsigned char first = static_cast<unsigned char>(text[pos]);
  bool boundary = BoundaryAt(text, pos);
  const std::vector<std::size_t>& any = by_byte_[first];
  rules->insert(rules->end(), any.begin(), any.end());
  if (boundary) {
    const std::vector<std::size_t>& b = by_byte_at_boundary_[first];
    rules->insert(rules->end(), b.begin(), b.end());
  }
  // The prefixes, depth first; a space run is the one edge that consumes a varying length.
  struct Step {
    int node;
    std::size_t pos;
  };
  // A prefix is at most 40 bytes, and at most four edges leave a node for one position.
  Step stack[4 * 40 + 8];
  int depth = 0;
  if (nodes_.empty()) return;  // not frozen
  if (boundary) stack[depth++] = {0, pos};
  if (nodes_[1].edge_end > nodes_[1].edge_begin) stack[depth++] = {1, pos};
  while (depth > 0) {
    Step s = stack[--depth];
    const Node& n = nodes_[static_cast<std::size_t>(s.node)];
    rules->insert(rules->end(), rules_.begin() + n.rule_begin, rules_.begin() + n.rule_end);
    if (n.edge_end == n.edge_begin) continue;
    // Space and boundary labels sort last.
    if (n.last_label == kBoundaryLabel && BoundaryAt(text, s.pos))
      stack[depth++] = {edges_[n.edge_end - 1].second, s.pos};
    if (s.pos >= text.size()) continue;
    char c = text[s.pos];
    if (int child = Child(n, static_cast<unsigned char>(c)); child >= 0)
      stack[depth++] = {child, s.pos + 1};
    char lower = AsciiLower(c);
    if (lower >= 'a' && lower <= 'z') {
      if (int child = Child(n, kFoldLabel + lower); child >= 0) stack[depth++] = {child, s.pos + 1};
    } else if (std::size_t length = FoldedNonAscii(text, s.pos, &lower); length > 0) {
      if (int child = Child(n, kFoldLabel + lower); child >= 0)
        stack[depth++] = {child, s.pos + length};
    }
    if (n.last_label >= kSpaceLabel && IsSpaceByte(c))
      if (int child = Child(n, kSpaceLabel); child >= 0) {
        std::size_t next = s.pos;
        while (next < text.size() && IsSpaceByte(text[next])) ++next;
        stack[depth++] = {child, next};
      }
  }
}

}  // namespace gleaner::internal
