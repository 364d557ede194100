//===- FormatSchema.h - config keys of each MASE format ---------*- C++ -*-===//
//
// For every format the config can name, the keys each operand role takes
// (MASE's QUANT_ARITH_ENTRIES: `data_in_width`, `weight_block_size`, ...)
// and how their values become a numerics-library format. No MLIR dependency.
//
//===----------------------------------------------------------------------===//

#ifndef MASE_QUANT_FORMATSCHEMA_H
#define MASE_QUANT_FORMATSCHEMA_H

#include "mase/Numerics/FormatSpec.h"
#include "mase/Quant/ConfigTree.h"
#include "mase/Quant/QuantConfig.h"

#include <string>
#include <vector>

namespace mase::quant {

/// The value a key takes.
enum class KeyType {
  Integer,         ///< an integer
  OptionalInteger, ///< an integer, or None ("None" or null): MASE's default
  BlockSize,       ///< an integer or a list of integers
};

struct KeySpec {
  const char *suffix; ///< the key without its role prefix, e.g. "frac_width"
  KeyType type;
};

struct FormatSchema {
  const char *name;
  /// Every key of one role (all are required once the role is present).
  std::vector<KeySpec> roleKeys;
  /// Whether `data_out_*` keys exist for the format (MASE: `fixed` only).
  bool hasDataOut;
};

/// The schema of a format mase-quantize supports, or nullptr.
const FormatSchema *findFormatSchema(const std::string &name);

/// The names findFormatSchema knows, comma separated.
std::string supportedFormatNames();

/// Whether `name` is one of MASE's other arithmetic names (formats MASE has
/// that mase-quantize does not support yet).
bool isOtherMaseFormat(const std::string &name);

/// Builds the format of `role` from the role's keys in `table` (every key of
/// the schema present and of the right type, checked by the caller).
/// Returns "" or the numerics library's validation message.
std::string buildFormat(const FormatSchema &schema, const LayerConfig &layer,
                        const ConfigValue &table, Role role,
                        numerics::Format &format);

} // namespace mase::quant

#endif // MASE_QUANT_FORMATSCHEMA_H
