# Project CMake helpers.

# add_mase_library(name sources... [LINK_LIBS ...] [DEPENDS ...])
# An MLIR-based project library linked against the shared libMLIR.so.
function(add_mase_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;LINK_COMPONENTS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_COMPONENTS ${ARG_LINK_COMPONENTS}
    LINK_LIBS PUBLIC MLIR ${ARG_LINK_LIBS})
endfunction()

# add_mase_lit_suite(name dir [ENV VAR=VALUE...])
# One CTest test that runs the lit tests under test/<dir> through the build tree's site config.
function(add_mase_lit_suite name dir)
  cmake_parse_arguments(ARG "" "" "ENV" ${ARGN})
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ${ARG_ENV}
            ${MASE_LIT} -sv ${MASE_BINARY_DIR}/test/${dir})
  # Every suite writes its %t files under the same build tree: never run two
  # at once (ctest -j).
  set_tests_properties(${name} PROPERTIES LABELS lit
    RESOURCE_LOCK mase-lit-output)
endfunction()
