// ooapi-duo-generate: synthetic DUO RIO open data for tests and benchmarks (not installed).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ooapi/testing/duo_generator.h"

int main(int argc, char** argv) {
  ooapi::testing::GeneratorOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out") {
      o.out_dir = value();
    } else if (a == "--profile") {
      o.profile = value();
    } else if (a == "--seed") {
      o.seed = std::stoull(value());
    } else if (a == "--ref-date") {
      o.ref_date = value();
    } else if (a == "--scale") {
      o.scale = std::stod(value());
    } else if (a == "--bom") {
      o.bom = true;
    } else if (a == "--crlf") {
      o.crlf = true;
    } else if (a == "--no-final-newline") {
      o.final_newline = false;
    } else if (a == "--count-sidecars") {
      o.count_sidecars = true;
    } else if (a == "--header-variant") {
      o.header_variant = value();
    } else {
      std::fprintf(stderr,
                   "usage: ooapi-duo-generate --out DIR [--profile tiny|institution|national] "
                   "[--seed N] [--ref-date YYYY-MM-DD] [--scale X] [--bom] [--crlf] "
                   "[--no-final-newline] [--count-sidecars] [--header-variant V]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (o.out_dir.empty()) {
    std::fprintf(stderr, "--out DIR is required\n");
    return 2;
  }
  auto truth = ooapi::testing::GenerateDuo(o);
  if (!truth.ok()) {
    std::fprintf(stderr, "%s\n", truth.status().ToString().c_str());
    return 1;
  }
  for (const auto& [name, records] : truth->records) {
    std::printf("%s.csv: %lld records\n", name.c_str(), static_cast<long long>(records));
  }
  return 0;
}
