//===- MaseAttrs.cpp - number-format attributes ---------------------------===//
//
// Each format attribute maps onto its numerics-library format (`toNumerics`)
// and answers the FormatAttrInterface questions through it.
//
//===----------------------------------------------------------------------===//

#include "mase/Dialect/Mase/IR/MaseAttrs.h"
#include "mase/Dialect/Mase/IR/MaseDialect.h"

#include "FormatAttrSyntax.h"
#include "mase/Numerics/Integer.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mase;
namespace numerics = ::mase::numerics;
using Kind = FormatAttrSyntax::Kind;

#include "mase/Dialect/Mase/IR/MaseFormatInterface.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mase/Dialect/Mase/IR/MaseAttrs.cpp.inc"

void MaseDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mase/Dialect/Mase/IR/MaseAttrs.cpp.inc"
      >();
}

namespace {

/// Reports a numerics-library validation message as an attribute error.
LogicalResult checkValid(function_ref<InFlightDiagnostic()> emitError,
                         StringRef mnemonic, const std::string &message) {
  if (message.empty())
    return success();
  return emitError() << "invalid #mase." << mnemonic << ": " << message;
}

/// Runs a numerics-library quantiser on a row-major tensor.
template <typename Format>
LogicalResult runQuantize(const Format &format, ArrayRef<float> input,
                          ArrayRef<int64_t> shape,
                          SmallVectorImpl<float> &output, std::string &error) {
  output.resize(input.size());
  error = numerics::quantize(format, input.data(), output.data(),
                             numerics::Shape(shape.begin(), shape.end()));
  return success(error.empty());
}

/// Element-wise formats accept every static shape.
LogicalResult verifyElementwiseShape(ArrayRef<int64_t> shape,
                                     function_ref<InFlightDiagnostic()>) {
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// IntFormatAttr
//===----------------------------------------------------------------------===//

static numerics::IntegerFormat toNumerics(IntFormatAttr attr) {
  numerics::IntegerFormat format;
  format.width = attr.getWidth();
  format.fracWidth = attr.getFracWidth();
  format.isSigned = attr.getIsSigned();
  format.rounding = attr.getFloor() ? numerics::Rounding::Floor
                                    : numerics::Rounding::NearestEven;
  return format;
}

Attribute IntFormatAttr::parse(AsmParser &parser, Type) {
  FormatAttrSyntax syntax;
  if (syntax.parse(parser, getMnemonic(), 2,
                   {{"unsigned", Kind::Flag}, {"floor", Kind::Flag}}))
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), syntax.positional(0),
                    syntax.positional(1), !syntax.flag("unsigned"),
                    syntax.flag("floor"));
}

void IntFormatAttr::print(AsmPrinter &printer) const {
  printer << '<' << getWidth() << ", " << getFracWidth();
  if (!getIsSigned())
    printer << ", unsigned";
  if (getFloor())
    printer << ", floor";
  printer << '>';
}

LogicalResult IntFormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  unsigned width, int fracWidth, bool isSigned,
                                  bool floor) {
  numerics::IntegerFormat format;
  format.width = width;
  format.fracWidth = fracWidth;
  return checkValid(emitError, getMnemonic(), format.validate());
}

unsigned IntFormatAttr::getBitsPerElement() const { return getWidth(); }
unsigned IntFormatAttr::getSharedBitsPerBlock() const { return 0; }
SmallVector<int64_t> IntFormatAttr::getBlockShape() const { return {}; }
LogicalResult
IntFormatAttr::verifyTensorShape(ArrayRef<int64_t> shape,
                               function_ref<InFlightDiagnostic()> emitError) const {
  return verifyElementwiseShape(shape, emitError);
}
LogicalResult IntFormatAttr::quantize(ArrayRef<float> input,
                                    ArrayRef<int64_t> shape,
                                    SmallVectorImpl<float> &output,
                                    std::string &error) const {
  return runQuantize(toNumerics(*this), input, shape, output, error);
}
