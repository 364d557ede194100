//===- RegexName.h - MASE's regex_name patterns -----------------*- C++ -*-===//
//
// `by = "regex_name"` keys are Python regular expressions matched with
// re.fullmatch against layer names. They are compiled into llvm::Regex
// (POSIX extended syntax) anchored at both ends, after translating the
// Python spellings configs use: \d \w \s (and \D \W \S) become bracket
// expressions, and lazy quantifiers (*? +? ??) become greedy ones, which
// accept the same strings under a full match. Other Python-only syntax
// (look-around, named groups) is an error. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_REGEXNAME_H
#define MASE_QUANT_REGEXNAME_H

#include <memory>
#include <string>

namespace llvm {
class Regex;
} // namespace llvm

namespace mase::quant {

/// The compiled full-match pattern, or nullptr with `error` set.
std::shared_ptr<llvm::Regex> compileRegexName(const std::string &pattern,
                                              std::string &error);

/// Whether `name` fully matches a pattern compiled by compileRegexName.
bool matchesRegexName(const llvm::Regex &pattern, const std::string &name);

} // namespace mase::quant

#endif // MASE_QUANT_REGEXNAME_H
