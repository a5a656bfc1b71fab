// Sanitizer settings compiled into every GoogleTest binary. ctest's ENVIRONMENT cannot carry more
// than one variable through gtest_discover_tests (CMake 3.25 splits the list into properties), so
// the suppressions and UBSan options that tests/CMakeLists.txt sets for the shell tests are also
// given here, through the runtime's documented hooks.

extern "C" {

// libpqxx 6.4.5 drops the PGresult libpq returns when the connection breaks mid-statement; see
// tests/lsan.supp.
const char* __lsan_default_suppressions() { return "leak:PQmakeEmptyPGresult\n"; }

const char* __ubsan_default_options() {
  return "halt_on_error=1:abort_on_error=1:print_stacktrace=1";
}

}  // extern "C"
