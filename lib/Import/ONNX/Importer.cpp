//===- Importer.cpp - ONNX model to mase graph IR -------------------------===//

#include "mase/Import/ONNX/Importer.h"

#include "ImporterState.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"
#include "mase/Import/ONNX/NodeSemantics.h"
#include "mase/Import/ONNX/OpEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <fstream>
#include <iterator>
#include <set>

using namespace mlir;

namespace mase::onnx_import {

std::string parseShapeOption(const std::string &text, ImportOptions &options) {
  size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return "--shape expects NAME=DIMS (for example input_ids=1x128), got '" +
           text + "'";
  std::vector<int64_t> dims;
  size_t start = eq + 1;
  while (start <= text.size()) {
    size_t end = text.find('x', start);
    if (end == std::string::npos)
      end = text.size();
    std::string dim = text.substr(start, end - start);
    char *rest = nullptr;
    long long value = std::strtoll(dim.c_str(), &rest, 10);
    if (dim.empty() || *rest != '\0' || value <= 0)
      return "--shape '" + text + "': dimension '" + dim +
             "' is not a positive integer";
    dims.push_back(value);
    start = end + 1;
  }
  options.inputShapes[text.substr(0, eq)] = dims;
  return {};
}

std::string parseFreezeOption(const std::string &text,
                              ImportOptions &options) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return "--freeze-input expects NAME=FILE.pb (a serialized TensorProto), "
           "got '" +
           text + "'";
  options.frozenInputs[text.substr(0, eq)] = text.substr(eq + 1);
  return {};
}

namespace {

const std::set<std::string> &foldOnlyOps() {
  static const std::set<std::string> ops = {"Constant", "ConstantOfShape",
                                            "Range", "Shape"};
  return ops;
}

/// Ops the importer handles: those it emits as mase ops, and those that only
/// ever compute on constants and are folded away.
bool isImportable(const std::string &opType, int64_t opset) {
  return isSupported(opType, opset) &&
         (canEmit(opType) || foldOnlyOps().count(opType));
}

class Importer {
public:
  Importer(const LoadedModel &model, const ImportOptions &options,
           MLIRContext *context)
      : model(model), options(options), context(context), builder(context),
        state(model, builder) {}

  OwningOpRef<ModuleOp> run();

private:
  Location fileLoc() { return FileLineColLoc::get(context, model.path, 0, 0); }
  LogicalResult checkSupported();
  LogicalResult checkInputOptions();
  LogicalResult declareConstants();
  LogicalResult freezeInput(const onnx::ValueInfoProto &input,
                            const std::string &file);
  FailureOr<TensorType> inputType(const onnx::ValueInfoProto &input);
  LogicalResult importNode(const onnx::NodeProto &node);

  const LoadedModel &model;
  const ImportOptions &options;
  MLIRContext *context;
  OpBuilder builder;
  ImporterState state;
};

/// One diagnostic listing every unsupported op type, with a node and the
/// opset, so a user sees all the work a model needs at once.
LogicalResult Importer::checkSupported() {
  std::map<std::string, std::pair<std::string, int>> unsupported;
  for (const onnx::NodeProto *node : model.order) {
    bool defaultDomain = node->domain().empty() || node->domain() == "ai.onnx";
    if (defaultDomain && isImportable(node->op_type(), model.opset))
      continue;
    std::string key = defaultDomain ? node->op_type()
                                    : node->domain() + "::" + node->op_type();
    unsupported.emplace(key, std::make_pair(node->name(), model.opset));
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = emitError(fileLoc())
                            << unsupported.size()
                            << " unsupported ONNX op type(s):";
  for (const auto &[op, where] : unsupported)
    diag << "\n  " << op << " (opset " << where.second << "), e.g. node '"
         << where.first << "'";
  return diag;
}

/// Every input named by --shape or --freeze-input exists, and none is named
/// by both.
LogicalResult Importer::checkInputOptions() {
  std::set<std::string> names;
  std::string list;
  for (const onnx::ValueInfoProto *input : model.inputs) {
    names.insert(input->name());
    list += (list.empty() ? "'" : ", '") + input->name() + "'";
  }
  auto unknown = [&](const char *option, const std::string &name) {
    return emitError(fileLoc())
           << option << " " << name << ": the model has no graph input named '"
           << name << "' (its inputs: " << (list.empty() ? "none" : list)
           << ")";
  };
  for (const auto &[name, shape] : options.inputShapes)
    if (!names.count(name))
      return unknown("--shape", name);
  for (const auto &[name, file] : options.frozenInputs) {
    if (!names.count(name))
      return unknown("--freeze-input", name);
    if (options.inputShapes.count(name))
      return emitError(fileLoc()) << "graph input '" << name
                                  << "' is given both --shape and "
                                     "--freeze-input";
  }
  return success();
}

/// Makes a graph input a constant read from a serialized TensorProto; its
/// element type and every static dim must match the model's declaration.
LogicalResult Importer::freezeInput(const onnx::ValueInfoProto &input,
                                    const std::string &file) {
  auto fail = [&]() {
    return emitError(fileLoc()) << "--freeze-input " << input.name() << "="
                                << file << ": ";
  };
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    return fail() << "cannot open the file";
  std::string bytes((std::istreambuf_iterator<char>(stream)),
                    std::istreambuf_iterator<char>());
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes))
    return fail() << "not a serialized TensorProto";
  HostTensor tensor;
  if (std::string error = fromTensorProto(proto, nullptr, tensor);
      !error.empty())
    return fail() << error;
  const onnx::TypeProto_Tensor &declared = input.type().tensor_type();
  ElementType expected;
  if (std::string error =
          elementTypeFromOnnx(declared.elem_type(), expected);
      !error.empty())
    return fail() << error;
  if (tensor.type.elementType != expected)
    return fail() << "element type " << elementTypeName(tensor.type.elementType)
                  << " does not match the input's "
                  << elementTypeName(expected);
  if (declared.has_shape()) {
    bool matches = declared.shape().dim_size() == tensor.type.rank();
    std::string dims;
    for (int d = 0; d < declared.shape().dim_size(); ++d) {
      const onnx::TensorShapeProto_Dimension &dim = declared.shape().dim(d);
      dims += (d ? ", " : "") + (dim.has_dim_value()
                                     ? std::to_string(dim.dim_value())
                                     : "'" + dim.dim_param() + "'");
      matches &= !dim.has_dim_value() || (d < tensor.type.rank() &&
                                          dim.dim_value() ==
                                              tensor.type.shape[d]);
    }
    if (!matches)
      return fail() << "shape [" << shapeToString(tensor.type.shape)
                    << "] does not match the input's declared shape [" << dims
                    << "]";
  }
  state.values[input.name()] = {tensor.type, std::move(tensor), Value()};
  return success();
}

LogicalResult Importer::declareConstants() {
  for (const onnx::TensorProto &init : model.proto.graph().initializer()) {
    auto external = model.externalData.find(init.name());
    HostTensor tensor;
    if (std::string error = fromTensorProto(
            init,
            external == model.externalData.end() ? nullptr : &external->second,
            tensor);
        !error.empty())
      return emitError(fileLoc()) << "initializer '" << init.name()
                                  << "': " << error;
    state.values[init.name()] = {tensor.type, std::move(tensor), Value()};
  }
  return success();
}

FailureOr<TensorType> Importer::inputType(const onnx::ValueInfoProto &input) {
  const onnx::TypeProto_Tensor &tensor = input.type().tensor_type();
  TensorType type;
  if (std::string error = elementTypeFromOnnx(tensor.elem_type(), type.elementType);
      !error.empty())
    return emitError(fileLoc()) << "graph input '" << input.name()
                                << "': " << error;
  auto given = options.inputShapes.find(input.name());
  if (given != options.inputShapes.end()) {
    if (tensor.has_shape() &&
        static_cast<size_t>(tensor.shape().dim_size()) != given->second.size())
      return emitError(fileLoc())
             << "--shape " << input.name() << ": rank "
             << given->second.size() << " does not match the model's rank "
             << tensor.shape().dim_size();
    type.shape = given->second;
    return type;
  }
  for (const onnx::TensorShapeProto_Dimension &dim : tensor.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() > 0) {
      type.shape.push_back(dim.dim_value());
      continue;
    }
    auto known = options.symbolicDims.find(dim.dim_param());
    if (known == options.symbolicDims.end())
      return emitError(fileLoc())
             << "graph input '" << input.name() << "' has the dynamic dim '"
             << dim.dim_param() << "'; fix its shape with --shape "
             << input.name() << "=DIMS";
    type.shape.push_back(known->second);
  }
  return type;
}

LogicalResult Importer::importNode(const onnx::NodeProto &node) {
  Location loc = state.locationOf(node);
  std::vector<const TensorType *> inputTypes;
  std::vector<const HostTensor *> constants;
  bool allConstant = true;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputTypes.push_back(nullptr);
      constants.push_back(nullptr);
      continue;
    }
    const ImportedValue &input = state.values.at(name);
    inputTypes.push_back(&input.type);
    constants.push_back(input.constant ? &*input.constant : nullptr);
    allConstant &= input.constant.has_value();
  }
  std::vector<TensorType> outputTypes;
  if (std::string error =
          inferTypes(node, model.opset, inputTypes, constants, outputTypes);
      !error.empty())
    return emitError(loc) << error;

  // Shape folds from its input's static type: hand it a typed placeholder.
  bool typesSuffice = foldsFromInputTypes(node);
  if ((allConstant || typesSuffice) && canFold(node, outputTypes)) {
    std::vector<HostTensor> placeholders(node.input_size());
    std::vector<const HostTensor *> inputs = constants;
    for (int i = 0; i < node.input_size(); ++i)
      if (!inputs[i] && inputTypes[i]) {
        placeholders[i].type = *inputTypes[i];
        inputs[i] = &placeholders[i];
      }
    std::vector<HostTensor> outputs;
    if (std::string error =
            evaluate(node, model.opset, inputs, outputTypes, outputs);
        !error.empty())
      return emitError(loc) << error;
    for (auto [name, tensor] : llvm::zip(node.output(), outputs))
      if (!name.empty())
        state.values[name] = {tensor.type, std::move(tensor), Value()};
    return success();
  }
  if (std::string error = emitNode(state, node, outputTypes); !error.empty())
    return emitError(loc) << error;
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  if (failed(checkSupported()) || failed(checkInputOptions()) ||
      failed(declareConstants()))
    return {};
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());

  SmallVector<Type> argTypes;
  SmallVector<TensorType> inputTypes;
  SmallVector<const onnx::ValueInfoProto *> arguments;
  for (const onnx::ValueInfoProto *input : model.inputs) {
    auto frozen = options.frozenInputs.find(input->name());
    if (frozen != options.frozenInputs.end()) {
      if (failed(freezeInput(*input, frozen->second)))
        return {};
      continue;
    }
    FailureOr<TensorType> type = inputType(*input);
    if (failed(type))
      return {};
    arguments.push_back(input);
    inputTypes.push_back(*type);
    argTypes.push_back(toMlirType(*type, context));
  }
  auto func = func::FuncOp::create(builder, fileLoc(), "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, input] : llvm::enumerate(arguments)) {
    func.setArgAttr(i, "mase.input_name", builder.getStringAttr(input->name()));
    state.values[input->name()] = {inputTypes[i], std::nullopt,
                                   body->getArgument(i)};
  }
  builder.setInsertionPointToEnd(body);

  for (const onnx::NodeProto *node : model.order)
    if (failed(importNode(*node)))
      return {};

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : model.proto.graph().output())
    results.push_back(state.valueOf(output.name()));
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setFunctionType(builder.getFunctionType(
      argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(model.proto.graph().output()))
    func.setResultAttr(i, "mase.output_name",
                       builder.getStringAttr(output.name()));
  if (failed(verify(*module)))
    return {};
  return module;
}

} // namespace

std::string supportedOpsTable() {
  std::string table = "| ONNX op | Opsets | Imported as |\n|---|---|---|\n";
  for (const auto &[op, opsets] : supportedOps()) {
    if (!canEmit(op) && !foldOnlyOps().count(op))
      continue;
    table += "| " + op + " | " + std::to_string(opsets.first) + "-" +
             std::to_string(opsets.second) + " | " +
             (canEmit(op) ? "mase op (folded at import on constant inputs)"
                          : "folded at import only") +
             " |\n";
  }
  return table;
}

OwningOpRef<ModuleOp> importModel(const std::string &path,
                                  const ImportOptions &options,
                                  MLIRContext *context) {
  context->loadDialect<mlir::mase::MaseDialect, func::FuncDialect>();
  LoadedModel model;
  if (std::string error = loadModel(path, model); !error.empty()) {
    emitError(FileLineColLoc::get(context, path, 0, 0)) << error;
    return {};
  }
  return Importer(model, options, context).run();
}

} // namespace mase::onnx_import
