//===- FormatAttrSyntax.cpp - shared syntax of format attributes ----------===//

#include "FormatAttrSyntax.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::mase;

ParseResult FormatAttrSyntax::parse(AsmParser &parser, StringRef mnemonic,
                                    unsigned numPositional,
                                    ArrayRef<OptionSpec> options,
                                    bool bodyOptional) {
  if (bodyOptional && numPositional == 0) {
    if (failed(parser.parseOptionalLess()))
      return success();
  } else if (parser.parseLess()) {
    return failure();
  }

  for (unsigned i = 0; i < numPositional; ++i) {
    int64_t value;
    if ((i && failed(parser.parseOptionalComma())) ||
        !parser.parseOptionalInteger(value).has_value())
      return parser.emitError(parser.getCurrentLocation())
             << "#mase." << mnemonic << " expects " << numPositional
             << " integer parameter(s) before its options";
    positionals.push_back(value);
  }
  bool needComma = numPositional > 0;
  while (failed(parser.parseOptionalGreater())) {
    if (needComma && parser.parseComma())
      return failure();
    needComma = true;
    if (parseOption(parser, mnemonic, options))
      return failure();
  }
  return success();
}

ParseResult FormatAttrSyntax::parseOption(AsmParser &parser,
                                          StringRef mnemonic,
                                          ArrayRef<OptionSpec> options) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef key;
  if (parser.parseKeyword(&key))
    return failure();
  const OptionSpec *spec =
      llvm::find_if(options, [&](const OptionSpec &s) { return s.key == key; });
  if (spec == options.end()) {
    SmallVector<StringRef> known =
        llvm::map_to_vector(options, [](const OptionSpec &s) { return s.key; });
    return parser.emitError(loc)
           << "unknown option '" << key << "' in #mase." << mnemonic
           << "; expected one of: " << llvm::join(known, ", ");
  }
  if (values.contains(key))
    return parser.emitError(loc) << "option '" << key << "' given twice";

  SmallVector<int64_t> &value = values[key];
  switch (spec->kind) {
  case Kind::Flag:
    return success();
  case Kind::Integer: {
    int64_t v;
    if (parser.parseEqual() || parser.parseInteger(v))
      return failure();
    value.push_back(v);
    return success();
  }
  case Kind::Bool: {
    StringRef word;
    SMLoc wordLoc = parser.getCurrentLocation();
    if (parser.parseEqual() || parser.parseKeyword(&word))
      return failure();
    if (word != "true" && word != "false")
      return parser.emitError(wordLoc)
             << "option '" << key << "' expects true or false";
    value.push_back(word == "true");
    return success();
  }
  case Kind::List:
    return failure(parser.parseEqual() ||
                   parser.parseCommaSeparatedList(
                       AsmParser::Delimiter::Square, [&]() -> ParseResult {
                         int64_t v;
                         if (parser.parseInteger(v))
                           return failure();
                         value.push_back(v);
                         return success();
                       }));
  }
  llvm_unreachable("covered switch");
}

std::optional<int64_t> FormatAttrSyntax::integer(StringRef key) const {
  auto it = values.find(key);
  if (it == values.end())
    return std::nullopt;
  return it->second.front();
}

std::optional<bool> FormatAttrSyntax::boolean(StringRef key) const {
  if (std::optional<int64_t> v = integer(key))
    return *v != 0;
  return std::nullopt;
}

std::optional<SmallVector<int64_t>>
FormatAttrSyntax::list(StringRef key) const {
  auto it = values.find(key);
  if (it == values.end())
    return std::nullopt;
  return it->second;
}

void mlir::mase::printIntegerList(AsmPrinter &printer,
                                  ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}
