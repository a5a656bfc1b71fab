// ooapi-sync-fixture: the SIS side of the link end-to-end test (tests/conformance/link_e2e.sh;
// not installed). The synthetic DUO data has no SIS database; this tool stands for one:
//
//   ooapi-sync-fixture plan --db FILE --out plan.json [--seed N] [--accept]
//
// derives the matching SIS from the newest snapshot in FILE (GenerateMatchingSis, as the plan
// tests do) and runs `sync plan --db FILE --out plan.json` through RunSyncCommand, the code the
// executable runs, with that SIS behind the adapter interface. With --accept it then does what an
// admin does in the plan file: decision "accept" on every proposed opleidingseenheid and
// aangeboden opleiding. It prints the number of accepted links.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ooapi/adapters/sqlite/sqlite.h"
#include "ooapi/endpoint/api.h"
#include "ooapi/sync/plan/plan.h"
#include "plan_command.h"
#include "ooapi/testing/matching_sis.h"
#include "ooapi/sync/rio/store.h"

namespace {

using ooapi::StatusOr;

StatusOr<ooapi::db::ConnectionPtr> OpenStore(const std::string& path) {
  ooapi::adapters::sqlite::OpenOptions o;
  o.read_only = false;
  o.create = true;
  return ooapi::adapters::sqlite::Open(path, o);
}

int Usage() {
  std::cerr << "usage: ooapi-sync-fixture plan --db FILE --out plan.json [--seed N] [--accept]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] != "plan") return Usage();
  std::map<std::string, std::string> opt = {{"seed", "1"}};
  bool accept = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--accept") {
      accept = true;
    } else if ((args[i] == "--db" || args[i] == "--out" || args[i] == "--seed") &&
               i + 1 < args.size()) {
      opt[args[i].substr(2)] = args[i + 1];
      ++i;
    } else {
      return Usage();
    }
  }
  if (opt["db"].empty() || opt["out"].empty()) return Usage();
  auto store = OpenStore(opt["db"]);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  auto snapshot = ooapi::sync::LoadSnapshot(**store, 0);
  if (!snapshot.ok()) {
    std::cerr << snapshot.status().ToString() << "\n";
    return 1;
  }
  ooapi::testing::MatchingSis sis =
      ooapi::testing::GenerateMatchingSis(*snapshot, std::stoull(opt["seed"]));
  auto open_sis = [&](const std::string&) -> StatusOr<ooapi::app::SisHandle> {
    ooapi::app::SisHandle handle;
    handle.adapter = std::make_unique<ooapi::testing::MemorySisAdapter>(std::move(sis.data));
    handle.api =
        std::make_unique<ooapi::endpoint::Api>(handle.adapter.get(), ooapi::endpoint::ApiOptions{});
    handle.offering_window = "all";
    return handle;
  };
  const int rc = ooapi::app::RunSyncCommand({"plan", "--db", opt["db"], "--out", opt["out"]},
                                            OpenStore, open_sis);
  if (rc != 0 || !accept) return rc;
  std::ifstream in(opt["out"], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto plan = ooapi::sync::ParsePlan(text.str());
  if (!plan.ok()) {
    std::cerr << plan.status().ToString() << "\n";
    return 1;
  }
  int accepted = 0;
  for (ooapi::sync::PlanItem& item : plan->items) {
    if ((item.kind == "oe" || item.kind == "ao") && item.cls == ooapi::sync::PlanClass::kProposed) {
      item.decision = "accept";
      ++accepted;
    }
  }
  std::ofstream(opt["out"], std::ios::binary | std::ios::trunc) << ooapi::sync::PlanToJson(*plan);
  std::cout << "accepted " << accepted << "\n";
  return 0;
}
