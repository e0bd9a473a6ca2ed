// What a batch writes for one input: a JSON line, a line that is too long, a text file. Each
// is a chunk in BatchOptions::format (a JSON line ends with its "\n"), never throws, and sets
// *error to the message of a failed input ("line N: ...", "PATH: ...") or clears it.
#ifndef GLEANER_LIB_BATCH_ANSWER_H_
#define GLEANER_LIB_BATCH_ANSWER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "gleaner/batch.h"

namespace gleaner::internal {

std::string AnswerLine(const Extractor& extractor, std::string_view line, std::size_t line_number,
                       const BatchOptions& options, std::string* error);

std::string AnswerTooLongLine(std::size_t line_number, const BatchOptions& options,
                              std::string* error);

// Reads the text file at `path` ("-": stdin) and answers it; *bytes is how much was read, and
// *warnings the extraction's warnings ("PATH: warning: ...", one a line).
std::string AnswerFile(const Extractor& extractor, const std::string& path,
                       const BatchOptions& options, std::string* error, std::uint64_t* bytes,
                       std::string* warnings);

}  // namespace gleaner::internal

#endif  // GLEANER_LIB_BATCH_ANSWER_H_
