//===- FormatAttrSyntax.h - shared syntax of format attributes --*- C++ -*-===//
//
// Every number-format attribute is written `<p0, p1, ..., options>`: integer
// positional parameters, then `key = integer`, `key = true|false`,
// `key = [i, j]` options and bare flags, in any order. This parser reads that
// body once for all attributes and diagnoses unknown, repeated or mistyped
// options by name.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_LIB_DIALECT_MASE_IR_FORMATATTRSYNTAX_H
#define MASE_LIB_DIALECT_MASE_IR_FORMATATTRSYNTAX_H

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::mase {

class FormatAttrSyntax {
public:
  enum class Kind { Flag, Integer, Bool, List };
  struct OptionSpec {
    StringRef key;
    Kind kind;
  };

  /// Parses `<...>` with exactly `numPositional` leading integers. When
  /// `numPositional` is 0 and `bodyOptional` is set, the whole `<...>` may be
  /// omitted.
  ParseResult parse(AsmParser &parser, StringRef mnemonic,
                    unsigned numPositional, ArrayRef<OptionSpec> options,
                    bool bodyOptional = false);

  int64_t positional(unsigned index) const { return positionals[index]; }
  bool flag(StringRef key) const { return values.contains(key); }
  std::optional<int64_t> integer(StringRef key) const;
  std::optional<bool> boolean(StringRef key) const;
  std::optional<SmallVector<int64_t>> list(StringRef key) const;

private:
  ParseResult parseOption(AsmParser &parser, StringRef mnemonic,
                          ArrayRef<OptionSpec> options);

  SmallVector<int64_t> positionals;
  llvm::StringMap<SmallVector<int64_t>> values;
};

/// Prints `[a, b, c]`.
void printIntegerList(AsmPrinter &printer, ArrayRef<int64_t> values);

} // namespace mlir::mase

#endif // MASE_LIB_DIALECT_MASE_IR_FORMATATTRSYNTAX_H
