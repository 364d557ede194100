//===- FormatSpec.cpp - MASE formats by name and keyword parameters -------===//

#include "mase/Numerics/FormatSpec.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

namespace mase::numerics {
namespace {

/// One parsed `value` of `key=value`.
struct Value {
  enum class Type { None, Bool, Int, Number, List } type = Type::None;
  bool boolean = false;
  std::int64_t integer = 0;
  std::vector<std::int64_t> list;
  std::string text; ///< as written, for messages
};

/// What a key accepts.
enum class Kind {
  Int,         ///< an integer (32-bit)
  OptionalInt, ///< an integer or None
  Bool,        ///< true or false
  IntList,     ///< a list of integers, or one integer meaning [n]
  Ignored,     ///< a number or None: MASE takes it and ignores it
};

struct Param {
  const char *key;
  Kind kind;
  const char *fallback; ///< MASE's default as written; nullptr: required
};

using Args = std::map<std::string, Value, std::less<>>;
using Builder = std::string (*)(const Args &, Format &);

struct Spec {
  const char *name;
  std::vector<Param> params;
  Builder build;
};

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n\r");
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(" \t\n\r") - first + 1);
}

/// True when all of `s` is a decimal integer that fits int64.
bool parseInteger(std::string_view s, std::int64_t &out) {
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  const char *end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && !s.empty();
}

bool isNumber(std::string_view s) {
  double d;
  const char *end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, d);
  return ec == std::errc() && ptr == end && !s.empty();
}

/// Parses a value; returns an empty string or a message.
std::string parseValue(std::string_view key, std::string_view text,
                       Value &value) {
  const std::string_view s = trim(text);
  value.text = std::string(s);
  using T = Value::Type;
  if (s == "None" || s == "none" || s == "null") {
    value.type = T::None;
  } else if (s == "true" || s == "True" || s == "false" || s == "False") {
    value.type = T::Bool;
    value.boolean = s[0] == 't' || s[0] == 'T';
  } else if (parseInteger(s, value.integer)) {
    value.type = T::Int;
  } else if (isNumber(s)) {
    value.type = T::Number;
  } else if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    value.type = T::List;
    std::string_view rest = trim(s.substr(1, s.size() - 2));
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      std::int64_t item;
      if (!parseInteger(trim(rest.substr(0, comma)), item))
        return "key '" + std::string(key) +
               "': a list holds integers only, got '" + value.text + "'";
      value.list.push_back(item);
      rest = comma == std::string_view::npos ? std::string_view()
                                             : rest.substr(comma + 1);
    }
  } else {
    return "key '" + std::string(key) + "': cannot read value '" + value.text +
           "' (expected an integer, a number, true, false, None or [a, b])";
  }
  return {};
}

/// Checks `value` against `kind`; returns an empty string or a message.
std::string checkKind(const std::string &format, std::string_view key,
                      Kind kind, Value &value) {
  using T = Value::Type;
  const char *expected = nullptr;
  switch (kind) {
  case Kind::Int:
  case Kind::OptionalInt:
    if (kind == Kind::OptionalInt && value.type == T::None)
      return {};
    if (value.type != T::Int) {
      expected = kind == Kind::Int ? "an integer" : "an integer or None";
      break;
    }
    if (value.integer < std::numeric_limits<int>::min() ||
        value.integer > std::numeric_limits<int>::max())
      return format + ": key '" + std::string(key) + "' value " + value.text +
             " is out of range";
    return {};
  case Kind::Bool:
    if (value.type != T::Bool)
      expected = "true or false";
    break;
  case Kind::IntList:
    if (value.type == T::Int) {
      value.type = T::List;
      value.list = {value.integer};
    } else if (value.type != T::List) {
      expected = "a list of integers such as [1, 16]";
    }
    break;
  case Kind::Ignored:
    if (value.type != T::None && value.type != T::Int &&
        value.type != T::Number)
      expected = "a number or None";
    break;
  }
  if (!expected)
    return {};
  return format + ": key '" + std::string(key) + "' expects " + expected +
         ", got '" + value.text + "'";
}

int integer(const Args &args, const char *key) {
  return static_cast<int>(args.find(key)->second.integer);
}

std::optional<int> optionalInteger(const Args &args, const char *key) {
  const Value &v = args.find(key)->second;
  if (v.type == Value::Type::None)
    return std::nullopt;
  return static_cast<int>(v.integer);
}

bool boolean(const Args &args, const char *key) {
  return args.find(key)->second.boolean;
}

std::vector<std::int64_t> list(const Args &args, const char *key) {
  return args.find(key)->second.list;
}

std::string buildInteger(const Args &a, Rounding rounding, Format &format) {
  IntegerFormat f;
  f.width = integer(a, "width");
  f.fracWidth = optionalInteger(a, "frac_width")
                    .value_or(IntegerFormat::defaultFracWidth(f.width));
  f.isSigned = boolean(a, "is_signed");
  f.rounding = rounding;
  format = f;
  return {};
}

template <typename MinifloatFormat>
std::string buildMinifloat(const Args &a, Format &format) {
  format = MinifloatFormat{integer(a, "width"), integer(a, "exponent_width"),
                           optionalInteger(a, "exponent_bias")};
  return {};
}

// The keys of every format, with MASE's defaults (docs/user-guide.md).
const std::vector<Spec> &specs() {
  constexpr Kind Int = Kind::Int, OptInt = Kind::OptionalInt, Bool = Kind::Bool,
                 List = Kind::IntList, Ignored = Kind::Ignored;
  static const std::vector<Spec> table = {
      {"integer",
       {{"width", Int, nullptr},
        {"frac_width", OptInt, "None"},
        {"is_signed", Bool, "true"}},
       [](const Args &a, Format &f) {
         return buildInteger(a, Rounding::NearestEven, f);
       }},
      {"integer_floor",
       {{"width", Int, nullptr},
        {"frac_width", OptInt, "None"},
        {"is_signed", Bool, "true"}},
       [](const Args &a, Format &f) {
         return buildInteger(a, Rounding::Floor, f);
       }},
      {"minifloat_denorm",
       {{"width", Int, nullptr},
        {"exponent_width", Int, nullptr},
        {"exponent_bias", OptInt, "None"}},
       buildMinifloat<MinifloatDenormFormat>},
      {"minifloat_ieee",
       {{"width", Int, nullptr},
        {"exponent_width", Int, nullptr},
        {"exponent_bias", OptInt, "None"}},
       buildMinifloat<MinifloatIeeeFormat>},
      {"block_fp",
       {{"width", Int, "12"},
        {"exponent_width", Int, "8"},
        {"exponent_bias", OptInt, "None"},
        {"block_size", List, "[16]"},
        {"skip_first_dim", Bool, "true"}},
       [](const Args &a, Format &f) {
         f = BlockFpFormat{integer(a, "width"), integer(a, "exponent_width"),
                           optionalInteger(a, "exponent_bias"),
                           list(a, "block_size"), boolean(a, "skip_first_dim")};
         return std::string();
       }},
      {"block_minifloat",
       {{"width", Int, nullptr},
        {"exponent_width", Int, nullptr},
        {"exponent_bias_width", Int, nullptr},
        {"block_size", List, "[16]"},
        {"skip_first_dim", Bool, "false"}},
       [](const Args &a, Format &f) {
         f = BlockMinifloatFormat{
             integer(a, "width"), integer(a, "exponent_width"),
             integer(a, "exponent_bias_width"), list(a, "block_size"),
             boolean(a, "skip_first_dim")};
         return std::string();
       }},
      {"log",
       {{"width", Int, nullptr}, {"exponent_bias", OptInt, "None"}},
       [](const Args &a, Format &f) {
         f = LogFormat{integer(a, "width"),
                       optionalInteger(a, "exponent_bias")};
         return std::string();
       }},
      {"block_log",
       {{"width", Int, nullptr},
        {"exponent_bias_width", Int, nullptr},
        {"block_size", List, "[16]"},
        {"skip_first_dim", Bool, "false"}},
       [](const Args &a, Format &f) {
         f = BlockLogFormat{
             integer(a, "width"), integer(a, "exponent_bias_width"),
             list(a, "block_size"), boolean(a, "skip_first_dim")};
         return std::string();
       }},
      {"binary",
       {{"stochastic", Bool, "false"}, {"bipolar", Bool, "false"}},
       [](const Args &a, Format &f) {
         f = BinaryFormat{boolean(a, "bipolar"), boolean(a, "stochastic")};
         return std::string();
       }},
      {"ternary",
       {{"scaling_factor", Bool, "false"},
        {"threshold", Ignored, "None"},
        {"maximum", Ignored, "None"},
        {"median", Ignored, "None"},
        {"mean", Ignored, "None"}},
       [](const Args &a, Format &f) {
         f = TernaryFormat{boolean(a, "scaling_factor")};
         return std::string();
       }},
      {"scale_integer",
       {{"width", Int, nullptr},
        {"is_signed", Bool, "true"},
        {"quantile", Ignored, "1.0"}},
       [](const Args &a, Format &f) {
         f = ScaleIntegerFormat{integer(a, "width"), boolean(a, "is_signed")};
         return std::string();
       }},
      {"mxint",
       {{"block_size", Int, nullptr},
        {"element_bits", Int, nullptr},
        {"block_dim", Int, "-1"},
        {"scale_bits", Int, "8"},
        {"quantile_search", Bool, "false"}},
       [](const Args &a, Format &f) {
         if (boolean(a, "quantile_search"))
           return std::string("mxint: quantile_search=true is not supported "
                              "(only MASE's quantile_search=False is)");
         f = MxintFormat{integer(a, "block_size"), integer(a, "element_bits"),
                         integer(a, "block_dim"), integer(a, "scale_bits")};
         return std::string();
       }},
      {"mxint_hardware",
       {{"width", Int, "12"},
        {"exponent_width", Int, "6"},
        {"parallelism", List, nullptr}},
       [](const Args &a, Format &f) {
         // MASE's one-entry form [p] means [1, p].
         std::vector<std::int64_t> p = list(a, "parallelism");
         if (p.size() == 1)
           p.insert(p.begin(), 1);
         if (p.size() != 2)
           return "mxint_hardware: parallelism must have 1 or 2 entries, "
                  "got " +
                  std::to_string(p.size());
         f = MxintHardwareFormat{
             integer(a, "width"), integer(a, "exponent_width"), {p[0], p[1]}};
         return std::string();
       }},
      {"mxint8",
       {{"group_size", Int, "32"}},
       [](const Args &a, Format &f) {
         f = Mxint8Format{integer(a, "group_size")};
         return std::string();
       }},
  };
  return table;
}

std::string joined(const std::vector<std::string> &items) {
  std::string out;
  for (const std::string &item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

/// Splits `params` at the commas outside brackets into `key=value` items.
std::string splitParams(std::string_view params,
                        std::vector<std::string_view> &items) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= params.size(); ++i) {
    const char c = i < params.size() ? params[i] : ',';
    if (c == '[' && ++depth > 1)
      return "nested lists are not supported: '" + std::string(params) + "'";
    if (c == ']' && --depth < 0)
      return "unbalanced ']' in '" + std::string(params) + "'";
    if (c == ',' && depth == 0) {
      items.push_back(params.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0)
    return "unbalanced '[' in '" + std::string(params) + "'";
  if (items.size() == 1 && trim(items[0]).empty())
    items.clear();
  return {};
}

} // namespace

const std::vector<std::string> &formatNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Spec &spec : specs())
      out.push_back(spec.name);
    return out;
  }();
  return names;
}

std::string parseFormat(std::string_view name, std::string_view params,
                        Format &format) {
  const Spec *spec = nullptr;
  for (const Spec &s : specs())
    if (name == s.name)
      spec = &s;
  if (!spec)
    return "unknown format '" + std::string(name) +
           "'; known formats: " + joined(formatNames());
  const std::string fmt = spec->name;
  std::vector<std::string> validKeys;
  for (const Param &p : spec->params)
    validKeys.push_back(p.key);

  std::vector<std::string_view> items;
  if (std::string error = splitParams(params, items); !error.empty())
    return fmt + ": " + error;
  Args args;
  for (std::string_view item : items) {
    const std::size_t eq = item.find('=');
    const std::string key(trim(item.substr(0, eq)));
    if (eq == std::string_view::npos || key.empty())
      return fmt + ": expected key=value, got '" + std::string(trim(item)) +
             "'";
    const Param *param = nullptr;
    for (const Param &p : spec->params)
      if (key == p.key)
        param = &p;
    if (!param)
      return fmt + ": unknown key '" + key +
             "'; valid keys: " + joined(validKeys);
    if (args.count(key))
      return fmt + ": key '" + key + "' is given twice";
    Value value;
    if (std::string error = parseValue(key, item.substr(eq + 1), value);
        !error.empty())
      return fmt + ": " + error;
    if (std::string error = checkKind(fmt, key, param->kind, value);
        !error.empty())
      return error;
    args.emplace(key, std::move(value));
  }
  for (const Param &p : spec->params) {
    if (args.count(p.key))
      continue;
    if (!p.fallback)
      return fmt + ": missing required key '" + p.key + "'";
    Value value;
    parseValue(p.key, p.fallback, value);
    checkKind(fmt, p.key, p.kind, value);
    args.emplace(p.key, std::move(value));
  }
  if (std::string error = spec->build(args, format); !error.empty())
    return error;
  return std::visit([](const auto &f) { return f.validate(); }, format);
}

std::string quantize(const Format &format, const float *in, float *out,
                     const Shape &shape) {
  return std::visit([&](const auto &f) { return quantize(f, in, out, shape); },
                    format);
}

} // namespace mase::numerics
