#include "rio_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "ooapi/common/date.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/rio/download.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/sync/rio/overview.h"
#include "ooapi/sync/rio/store.h"
#include "progress.h"

namespace ooapi::sync {
namespace {

constexpr std::string_view kDefaultDb = "var/sync.db";

constexpr std::string_view kUsage =
    "usage: ooapi-endpoint rio <command> [options]\n"
    "\n"
    "commands:\n"
    "  import     read DUO RIO CSV files and store one bestuur's items as a snapshot\n"
    "  download   fetch the DUO RIO CSV files from CKAN, verified\n"
    "  diff       items added, removed or changed between two snapshots\n"
    "  overview   the HO/NFO overview of a snapshot as csv, xlsx or json\n"
    "  snapshots  list the stored snapshots\n"
    "\n"
    "Each command has --help. Exit status: 0 ok, 2 usage or bad input, 1 runtime failure.\n";

constexpr std::string_view kImportUsage =
    "usage: ooapi-endpoint rio import --from DIR --bestuur CODE [--ref-date YYYY-MM-DD]\n"
    "           [--db PATH|URL] [--expected-counts FILE] [--header-map FILE]\n"
    "\n"
    "Reads <name>.csv for every DUO RIO file in DIR, selects the bestuur's items (through\n"
    "relaties_onderwijsbesturen_onderwijsaanbieders, ended relations included), picks each item's\n"
    "period on the reference date (default: today) and stores a snapshot (default db: "
    "var/sync.db).\n"
    "Refuses, storing nothing, a truncated or corrupt file: an open quote at end of file, a short\n"
    "record, invalid UTF-8, a record count that differs from --expected-counts (\"name count\" "
    "lines)\n"
    "or a <name>.csv.count sidecar, and orphans between files. --header-map FILE maps renamed\n"
    "columns (\"CANONICAL = Header\" or \"file.CANONICAL = Header\" lines).\n";

constexpr std::string_view kDownloadUsage =
    "usage: ooapi-endpoint rio download --to DIR [--base-url URL] [--package NAME]\n"
    "           [--only NAME,NAME...] [--retries N] [--retry-delay-ms N]\n"
    "\n"
    "Resolves the resources of the CKAN package (default rio_nfo_po_vo_vavo_mbo_ho on\n"
    "https://onderwijsdata.duo.nl) by name, downloads each to DIR/<name>.csv with resume and\n"
    "retries, checks the size and the datastore row count, and writes DIR/<name>.csv.count.\n";

constexpr std::string_view kDiffUsage =
    "usage: ooapi-endpoint rio diff A B [--db PATH|URL]\n"
    "\n"
    "Lists items added, removed or changed from snapshot A to snapshot B, one per line:\n"
    "\"<added|removed|changed> <kind> <code> [columns]\".\n";

constexpr std::string_view kOverviewUsage =
    "usage: ooapi-endpoint rio overview [--snapshot ID] --format csv|xlsx|json --out FILE\n"
    "           [--db PATH|URL]\n"
    "\n"
    "Writes the overview of a snapshot (default: the latest): HO and NFO, one row per programme,\n"
    "offered programme and cohort (left-joined), with classification flags and current values.\n";

constexpr std::string_view kSnapshotsUsage =
    "usage: ooapi-endpoint rio snapshots [--db PATH|URL]\n";

struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  bool help = false;
};

// Parses "--name value" options; `flags` take no value.
StatusOr<Args> ParseArgs(const std::vector<std::string>& args, size_t first,
                         const std::set<std::string>& allowed) {
  Args out;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (StartsWith(a, "--")) {
      std::string name = a.substr(2), value;
      const size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else {
        if (i + 1 >= args.size()) return InvalidArgument("option --" + name + " needs a value");
        value = args[++i];
      }
      if (!allowed.count(name)) return InvalidArgument("unknown option --" + name);
      if (out.options.count(name)) return InvalidArgument("option --" + name + " given twice");
      out.options[name] = value;
      continue;
    }
    out.positional.push_back(a);
  }
  return out;
}

int ExitCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
      return 2;
    default:
      return 1;
  }
}

int Fail(std::string_view command, const Status& status) {
  std::cerr << "rio " << command << ": " << status.message() << "\n";
  return ExitCode(status);
}

int Usage(std::string_view usage, const std::string& problem) {
  std::cerr << problem << "\n" << usage;
  return 2;
}

std::string Opt(const Args& a, const std::string& name, std::string fallback = "") {
  auto it = a.options.find(name);
  return it == a.options.end() ? fallback : it->second;
}

StatusOr<db::ConnectionPtr> OpenDb(const Args& a, const DatabaseOpener& open) {
  auto connection = open(Opt(a, "db", std::string(kDefaultDb)));
  if (!connection.ok()) return connection.status();
  return connection;
}

int RunImport(const std::vector<std::string>& args, const DatabaseOpener& open) {
  auto parsed =
      ParseArgs(args, 1, {"from", "bestuur", "ref-date", "db", "expected-counts", "header-map"});
  if (!parsed.ok()) return Usage(kImportUsage, parsed.status().message());
  const Args& a = *parsed;
  if (a.help) {
    std::cout << kImportUsage;
    return 0;
  }
  if (!a.positional.empty()) return Usage(kImportUsage, "unexpected argument " + a.positional[0]);
  ImportOptions options;
  options.dir = Opt(a, "from");
  options.bestuur = std::string(TrimAscii(Opt(a, "bestuur")));
  options.ref_date = Opt(a, "ref-date", TodayUtc());
  options.expected_counts_path = Opt(a, "expected-counts");
  options.header_map_path = Opt(a, "header-map");
  if (options.dir.empty()) return Usage(kImportUsage, "--from DIR is required");
  if (options.bestuur.empty()) return Usage(kImportUsage, "--bestuur CODE is required");
  if (!IsIsoDate(options.ref_date)) {
    return Usage(kImportUsage, "--ref-date must be YYYY-MM-DD, not " + options.ref_date);
  }
  internal::ProgressBar bar("import", isatty(STDERR_FILENO) != 0);
  options.on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
  auto snapshot = ImportDuo(options);
  bar.Finish();
  if (!snapshot.ok()) {
    std::cerr << "rio import: refused: " << snapshot.status().message()
              << "\nrio import: nothing was stored\n";
    return ExitCode(snapshot.status());
  }
  for (const std::string& n : snapshot->notices) std::cerr << "notice: " << n << "\n";
  for (const std::string& w : snapshot->warnings) std::cerr << "warning: " << w << "\n";
  auto connection = OpenDb(a, open);
  if (!connection.ok()) return Fail("import", connection.status());
  auto id = SaveSnapshot(**connection, *snapshot);
  if (!id.ok()) return Fail("import", id.status());
  std::map<std::string, int> counts;
  for (const Item& item : snapshot->items) {
    ++counts[item.sector + " " + std::string(ItemKindName(item.kind))];
    if (!item.classification.empty()) ++counts[std::string(ItemKindName(item.kind)) + " " + item.classification];
    if (item.ended) ++counts[std::string(ItemKindName(item.kind)) + " ended"];
  }
  std::cout << "snapshot " << *id << ": bestuur " << snapshot->bestuur << ", reference date "
            << snapshot->ref_date << ", " << snapshot->items.size() << " items\n";
  for (const auto& [k, v] : counts) std::cout << "  " << k << ": " << v << "\n";
  return 0;
}

int RunDownload(const std::vector<std::string>& args) {
  auto parsed =
      ParseArgs(args, 1, {"to", "base-url", "package", "only", "retries", "retry-delay-ms"});
  if (!parsed.ok()) return Usage(kDownloadUsage, parsed.status().message());
  const Args& a = *parsed;
  if (a.help) {
    std::cout << kDownloadUsage;
    return 0;
  }
  DownloadOptions options;
  options.to_dir = Opt(a, "to");
  if (options.to_dir.empty()) return Usage(kDownloadUsage, "--to DIR is required");
  options.base_url = Opt(a, "base-url", options.base_url);
  options.package = Opt(a, "package", options.package);
  for (std::string_view n : Split(Opt(a, "only"), ',')) {
    if (!n.empty()) options.names.emplace_back(TrimAscii(n));
  }
  for (const auto& [name, target] : std::vector<std::pair<std::string, int*>>{
           {"retries", &options.retries}, {"retry-delay-ms", &options.retry_delay_ms}}) {
    if (a.options.count(name)) {
      auto v = ParseInt64(Opt(a, name));
      if (!v || *v < 0 || *v > 1000000) return Usage(kDownloadUsage, "--" + name + ": bad number");
      *target = static_cast<int>(*v);
    }
  }
  internal::ProgressBar bar("download", isatty(STDERR_FILENO) != 0);
  options.on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
  auto files = DownloadDuo(options);
  bar.Finish();
  if (!files.ok()) return Fail("download", files.status());
  for (const DownloadedFile& f : *files) {
    std::cout << f.name << ".csv: " << f.bytes << " bytes, " << f.records << " records";
    if (f.datastore_total >= 0) std::cout << " (datastore total " << f.datastore_total << ")";
    if (f.resumed) std::cout << ", resumed";
    std::cout << "\n";
  }
  return 0;
}

int RunDiff(const std::vector<std::string>& args, const DatabaseOpener& open) {
  auto parsed = ParseArgs(args, 1, {"db"});
  if (!parsed.ok()) return Usage(kDiffUsage, parsed.status().message());
  const Args& a = *parsed;
  if (a.help) {
    std::cout << kDiffUsage;
    return 0;
  }
  if (a.positional.size() != 2) return Usage(kDiffUsage, "diff needs two snapshot ids");
  auto x = ParseInt64(a.positional[0]), y = ParseInt64(a.positional[1]);
  if (!x || !y || *x <= 0 || *y <= 0) return Usage(kDiffUsage, "snapshot ids are numbers");
  auto connection = OpenDb(a, open);
  if (!connection.ok()) return Fail("diff", connection.status());
  auto sa = LoadSnapshot(**connection, *x);
  if (!sa.ok()) return Fail("diff", sa.status());
  auto sb = LoadSnapshot(**connection, *y);
  if (!sb.ok()) return Fail("diff", sb.status());
  int added = 0, removed = 0, changed = 0;
  for (const ItemChange& c : DiffSnapshots(*sa, *sb)) {
    std::cout << c.change << " " << ItemKindName(c.kind) << " " << c.code;
    if (!c.columns.empty()) std::cout << " " << Join(c.columns, ",");
    std::cout << "\n";
    (c.change == "added" ? added : c.change == "removed" ? removed : changed)++;
  }
  std::cout << "# " << added << " added, " << removed << " removed, " << changed << " changed\n";
  return 0;
}

int RunOverview(const std::vector<std::string>& args, const DatabaseOpener& open) {
  auto parsed = ParseArgs(args, 1, {"snapshot", "format", "out", "db"});
  if (!parsed.ok()) return Usage(kOverviewUsage, parsed.status().message());
  const Args& a = *parsed;
  if (a.help) {
    std::cout << kOverviewUsage;
    return 0;
  }
  auto format = ParseOverviewFormat(Opt(a, "format"));
  if (!format.ok()) return Usage(kOverviewUsage, format.status().message());
  const std::string out = Opt(a, "out");
  if (out.empty()) return Usage(kOverviewUsage, "--out FILE is required");
  int64_t id = 0;
  if (a.options.count("snapshot")) {
    auto v = ParseInt64(Opt(a, "snapshot"));
    if (!v || *v <= 0) return Usage(kOverviewUsage, "--snapshot must be a snapshot id");
    id = *v;
  }
  auto connection = OpenDb(a, open);
  if (!connection.ok()) return Fail("overview", connection.status());
  auto snapshot = LoadSnapshot(**connection, id);
  if (!snapshot.ok()) return Fail("overview", snapshot.status());
  Status written = WriteOverview(*snapshot, *format, out);
  if (!written.ok()) return Fail("overview", written);
  std::cout << "overview of snapshot " << snapshot->id << " written to " << out << "\n";
  return 0;
}

int RunSnapshots(const std::vector<std::string>& args, const DatabaseOpener& open) {
  auto parsed = ParseArgs(args, 1, {"db"});
  if (!parsed.ok()) return Usage(kSnapshotsUsage, parsed.status().message());
  if (parsed->help) {
    std::cout << kSnapshotsUsage;
    return 0;
  }
  auto connection = OpenDb(*parsed, open);
  if (!connection.ok()) return Fail("snapshots", connection.status());
  auto list = ListSnapshots(**connection);
  if (!list.ok()) return Fail("snapshots", list.status());
  for (const SnapshotInfo& s : *list) {
    std::cout << s.id << " " << s.created_at << " bestuur " << s.bestuur << " ref " << s.ref_date
              << " items " << s.items << " from " << s.source << "\n";
  }
  return 0;
}

}  // namespace

int RunRioCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database) {
  try {
    if (args.empty()) return Usage(kUsage, "rio: a command is required");
    const std::string& command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "import") return RunImport(args, open_database);
    if (command == "download") return RunDownload(args);
    if (command == "diff") return RunDiff(args, open_database);
    if (command == "overview") return RunOverview(args, open_database);
    if (command == "snapshots") return RunSnapshots(args, open_database);
    return Usage(kUsage, "rio: unknown command " + command);
  } catch (const std::exception& e) {
    std::cerr << "rio: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace ooapi::sync
