#include "rio_command.h"

#include <unistd.h>

#include <iostream>
#include <map>

#include "ooapi/common/date.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/rio/download.h"
#include "ooapi/sync/rio/import.h"
#include "ooapi/sync/rio/overview.h"
#include "ooapi/sync/rio/store.h"
#include "progress.h"

namespace ooapi::app {
namespace {

StatusOr<db::ConnectionPtr> OpenDb(const ParsedArgs& a, const DatabaseOpener& open) {
  return OpenDatabase(open, a.GetOr("db", std::string(kDefaultSyncDb)));
}

StatusOr<sync::ImportOptions> ImportOptionsFrom(const ParsedArgs& a) {
  sync::ImportOptions options;
  options.dir = *a.Get("from");
  options.bestuur = std::string(TrimAscii(*a.Get("bestuur")));
  options.ref_date = a.GetOr("ref-date", TodayUtc());
  options.expected_counts_path = a.GetOr("expected-counts", "");
  options.header_map_path = a.GetOr("header-map", "");
  if (options.bestuur.empty()) return InvalidArgument("option '--bestuur' must not be empty");
  if (!IsIsoDate(options.ref_date)) {
    return InvalidArgument("option '--ref-date' must be YYYY-MM-DD, got '" + options.ref_date +
                           "'");
  }
  return options;
}

void PrintImportSummary(int64_t id, const sync::Snapshot& snapshot) {
  std::map<std::string, int> counts;
  for (const sync::Item& item : snapshot.items) {
    const std::string kind(sync::ItemKindName(item.kind));
    ++counts[item.sector + " " + kind];
    if (!item.classification.empty()) ++counts[kind + " " + item.classification];
    if (item.ended) ++counts[kind + " ended"];
  }
  std::cout << "snapshot " << id << ": bestuur " << snapshot.bestuur << ", reference date "
            << snapshot.ref_date << ", " << snapshot.items.size() << " items\n";
  for (const auto& [k, v] : counts) std::cout << "  " << k << ": " << v << "\n";
}

int Import(const ParsedArgs& a, const DatabaseOpener& open) {
  const std::string_view cmd = kRioImportCommand.name;
  StatusOr<sync::ImportOptions> options = ImportOptionsFrom(a);
  if (!options.ok()) return Fail(cmd, options.status());
  internal::ProgressBar bar("import", isatty(STDERR_FILENO) != 0);
  options->on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
  StatusOr<sync::Snapshot> snapshot = sync::ImportDuo(*options);
  bar.Finish();
  if (!snapshot.ok()) {
    const int code = Fail(cmd, snapshot.status().WithPrefix("refused"));
    std::cerr << "ooapi-endpoint " << cmd << ": nothing was stored\n";
    return code;
  }
  for (const std::string& n : snapshot->notices) std::cerr << "notice: " << n << "\n";
  for (const std::string& w : snapshot->warnings) std::cerr << "warning: " << w << "\n";
  StatusOr<db::ConnectionPtr> connection = OpenDb(a, open);
  if (!connection.ok()) return Fail(cmd, connection.status());
  StatusOr<int64_t> id = sync::SaveSnapshot(**connection, *snapshot);
  if (!id.ok()) return Fail(cmd, AsRuntime(id.status()));
  PrintImportSummary(*id, *snapshot);
  return kExitOk;
}

StatusOr<sync::DownloadOptions> DownloadOptionsFrom(const ParsedArgs& a) {
  sync::DownloadOptions options;
  options.to_dir = *a.Get("to");
  options.base_url = a.GetOr("base-url", options.base_url);
  options.package = a.GetOr("package", options.package);
  for (std::string_view n : Split(a.GetOr("only", ""), ',')) {
    if (!n.empty()) options.names.emplace_back(TrimAscii(n));
  }
  OOAPI_ASSIGN_OR_RETURN(int64_t retries, a.Int("retries", options.retries, 0, 1000));
  OOAPI_ASSIGN_OR_RETURN(int64_t delay,
                         a.Int("retry-delay-ms", options.retry_delay_ms, 0, 1000000));
  options.retries = static_cast<int>(retries);
  options.retry_delay_ms = static_cast<int>(delay);
  return options;
}

int Download(const ParsedArgs& a) {
  const std::string_view cmd = kRioDownloadCommand.name;
  StatusOr<sync::DownloadOptions> options = DownloadOptionsFrom(a);
  if (!options.ok()) return Fail(cmd, options.status());
  internal::ProgressBar bar("download", isatty(STDERR_FILENO) != 0);
  options->on_progress = [&](int64_t done, int64_t total) { bar.Update(done, total); };
  StatusOr<std::vector<sync::DownloadedFile>> files = sync::DownloadDuo(*options);
  bar.Finish();
  if (!files.ok()) return Fail(cmd, files.status());
  for (const sync::DownloadedFile& f : *files) {
    std::cout << f.name << ".csv: " << f.bytes << " bytes, " << f.records << " records";
    if (f.datastore_total >= 0) std::cout << " (datastore total " << f.datastore_total << ")";
    if (f.resumed) std::cout << ", resumed";
    std::cout << "\n";
  }
  return kExitOk;
}

int Diff(const ParsedArgs& a, const DatabaseOpener& open) {
  const std::string_view cmd = kRioDiffCommand.name;
  StatusOr<int64_t> x = a.Int("A", 0, 1);
  if (!x.ok()) return Fail(cmd, x.status());
  StatusOr<int64_t> y = a.Int("B", 0, 1);
  if (!y.ok()) return Fail(cmd, y.status());
  StatusOr<db::ConnectionPtr> connection = OpenDb(a, open);
  if (!connection.ok()) return Fail(cmd, connection.status());
  StatusOr<sync::Snapshot> sa = sync::LoadSnapshot(**connection, *x);
  if (!sa.ok()) return Fail(cmd, sa.status());
  StatusOr<sync::Snapshot> sb = sync::LoadSnapshot(**connection, *y);
  if (!sb.ok()) return Fail(cmd, sb.status());
  int added = 0;
  int removed = 0;
  int changed = 0;
  for (const sync::ItemChange& c : sync::DiffSnapshots(*sa, *sb)) {
    std::cout << c.change << " " << sync::ItemKindName(c.kind) << " " << c.code;
    if (!c.columns.empty()) std::cout << " " << Join(c.columns, ",");
    std::cout << "\n";
    (c.change == "added" ? added : c.change == "removed" ? removed : changed)++;
  }
  std::cout << "# " << added << " added, " << removed << " removed, " << changed << " changed\n";
  return kExitOk;
}

int Overview(const ParsedArgs& a, const DatabaseOpener& open) {
  const std::string_view cmd = kRioOverviewCommand.name;
  StatusOr<std::string> format_name = a.OneOf("format", {"csv", "xlsx", "json"}, "");
  if (!format_name.ok()) return Fail(cmd, format_name.status());
  StatusOr<sync::OverviewFormat> format = sync::ParseOverviewFormat(*format_name);
  if (!format.ok()) return Fail(cmd, format.status());
  StatusOr<int64_t> id = a.Int("snapshot", 0, 1);
  if (!id.ok()) return Fail(cmd, id.status());
  const std::string out = *a.Get("out");
  StatusOr<db::ConnectionPtr> connection = OpenDb(a, open);
  if (!connection.ok()) return Fail(cmd, connection.status());
  StatusOr<sync::Snapshot> snapshot = sync::LoadSnapshot(**connection, *id);
  if (!snapshot.ok()) return Fail(cmd, snapshot.status());
  Status written = sync::WriteOverview(*snapshot, *format, out);
  if (!written.ok()) return Fail(cmd, AsRuntime(written));
  std::cout << "overview of snapshot " << snapshot->id << " written to " << out << "\n";
  return kExitOk;
}

int Snapshots(const ParsedArgs& a, const DatabaseOpener& open) {
  const std::string_view cmd = kRioSnapshotsCommand.name;
  StatusOr<db::ConnectionPtr> connection = OpenDb(a, open);
  if (!connection.ok()) return Fail(cmd, connection.status());
  StatusOr<std::vector<sync::SnapshotInfo>> list = sync::ListSnapshots(**connection);
  if (!list.ok()) return Fail(cmd, AsRuntime(list.status()));
  for (const sync::SnapshotInfo& s : *list) {
    std::cout << s.id << " " << s.created_at << " bestuur " << s.bestuur << " ref " << s.ref_date
              << " items " << s.items << " from " << s.source << "\n";
  }
  return kExitOk;
}

}  // namespace

int RunRioCommand(const std::vector<std::string>& args, const DatabaseOpener& open_database) {
  const DatabaseOpener& open = open_database;
  return RunGroup(
      kRioGroup,
      {CommandRoute(kRioImportCommand, [&](const ParsedArgs& a) { return Import(a, open); }),
       CommandRoute(kRioDownloadCommand, [](const ParsedArgs& a) { return Download(a); }),
       CommandRoute(kRioDiffCommand, [&](const ParsedArgs& a) { return Diff(a, open); }),
       CommandRoute(kRioOverviewCommand, [&](const ParsedArgs& a) { return Overview(a, open); }),
       CommandRoute(kRioSnapshotsCommand, [&](const ParsedArgs& a) { return Snapshots(a, open); })},
      args);
}

}  // namespace ooapi::app
