# ooapi_cc_library(NAME name [TARGET target] SRCS file... [DEPS target...] [PRIVATE_DEPS target...])
#
# One library of the tree, made the same way everywhere (abseil's absl_cc_library does the same):
# the target ooapi_<name> (or TARGET) with the alias ooapi::<name>, which is the only name other
# targets use; public headers in include/ of the calling folder, private ones in its src/; DEPS are
# public dependencies (their headers appear in ours), PRIVATE_DEPS are not.
function(ooapi_cc_library)
  cmake_parse_arguments(ARG "" "NAME;TARGET" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_SRCS)
    message(FATAL_ERROR "ooapi_cc_library needs NAME and SRCS")
  endif()
  set(target ooapi_${ARG_NAME})
  if(ARG_TARGET)
    set(target ${ARG_TARGET})
  endif()
  add_library(${target} ${ARG_SRCS})
  add_library(ooapi::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC include)
  if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_include_directories(${target} PRIVATE src)
  endif()
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()
