//===- RegexName.cpp - MASE's regex_name patterns -------------------------===//

#include "mase/Quant/RegexName.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"

namespace mase::quant {

namespace {

/// The bracket-expression body of a Python class escape, or nullptr.
const char *classBody(char c) {
  switch (c) {
  case 'd':
    return "0-9";
  case 'w':
    return "A-Za-z0-9_";
  case 's':
    return "[:space:]";
  default:
    return nullptr;
  }
}

std::string translate(const std::string &pattern, std::string &error) {
  std::string out;
  bool inBracket = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char e = pattern[++i];
      char lower = static_cast<char>(e | 0x20);
      if (const char *body = classBody(lower)) {
        bool negated = e != lower;
        if (inBracket && negated) {
          error = "negated class escape \\" + std::string(1, e) +
                  " inside brackets is not supported";
          return {};
        }
        out += inBracket ? std::string(body)
                         : std::string(negated ? "[^" : "[") + body + "]";
        continue;
      }
      out += c;
      out += e;
      continue;
    }
    if (c == '[' && !inBracket) {
      inBracket = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^')
        out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']')
        out += pattern[++i];
      continue;
    }
    if (c == ']' && inBracket)
      inBracket = false;
    if (!inBracket && c == '(' && i + 1 < pattern.size() &&
        pattern[i + 1] == '?') {
      error = "Python-only group syntax '(?' is not supported";
      return {};
    }
    out += c;
    // Lazy quantifiers: under a full match they accept the same strings.
    if (!inBracket && (c == '*' || c == '+' || c == '?' || c == '}') &&
        i + 1 < pattern.size() && pattern[i + 1] == '?')
      ++i;
  }
  return out;
}

} // namespace

std::shared_ptr<llvm::Regex> compileRegexName(const std::string &pattern,
                                              std::string &error) {
  std::string translated = translate(pattern, error);
  if (!error.empty())
    return nullptr;
  auto regex = std::make_shared<llvm::Regex>("^(" + translated + ")$");
  if (!regex->isValid(error))
    return nullptr;
  return regex;
}

bool matchesRegexName(const llvm::Regex &pattern, const std::string &name) {
  return pattern.match(name);
}

} // namespace mase::quant
