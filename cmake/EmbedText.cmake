# ooapi_embed_text(<out_cc> <namespace> <symbol> <file>): writes a .cc defining
# `extern const char <symbol>[]` with the file's content, regenerated when the file changes.
function(ooapi_embed_text out_cc namespace symbol file)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} content)
  file(WRITE ${out_cc}.tmp
    "// Generated from ${file} by cmake/EmbedText.cmake. Do not edit.\n"
    "namespace ${namespace} {\n"
    "extern const char ${symbol}[];\n"
    "const char ${symbol}[] = R\"OOAPI_EMBED(${content})OOAPI_EMBED\";\n"
    "}  // namespace ${namespace}\n")
  configure_file(${out_cc}.tmp ${out_cc} COPYONLY)
endfunction()
