#include "commands.h"

namespace ooapi::app {
namespace {

constexpr std::string_view kLedgerDb = "admin.db of the configuration, var/sync.db";

const char kSecretNote[] =
    " The client secret comes from $SURFEDUHUB_CLIENT_SECRET (or surfeduhub.client_secret_env / "
    "client_secret_file).";

OptionSpec SurfConfigOption() {
  return ConfigOption("YAML configuration with the surfeduhub section (default config/demo.yaml)");
}

OptionSpec SnapshotOption(std::string help) { return {"snapshot", "ID", std::move(help)}; }

PositionalSpec TypePositional() {
  return {"TYPE", "education-specifications, programs or courses"};
}

}  // namespace

const CommandSpec kServeCommand{
    .name = "serve",
    .brief = "serve OOAPI v5 over HTTP (and the admin API)",
    .summary =
        "Serves OOAPI v5 from the configured SIS until SIGTERM or SIGINT, then drains "
        "in-flight requests. With admin.enabled, also serves the admin API "
        "(docs/admin-api.md) on its own listener and runs its SURFeduhub jobs.",
    .options = {Required(ConfigOption("YAML configuration (see config/example.yaml)"))},
};

const CommandSpec kDemoDataCommand{
    .name = "demo-data",
    .brief = "write the demo institution into a new database",
    .summary =
        "Writes a deterministic demo institution into a new database that follows the SIS "
        "contract (adapters/README.md): a SQLite file, or a PostgreSQL database given as a URL "
        "(the tables go into the URL's search_path; the password comes from PGPASSWORD or "
        "~/.pgpass).",
    .options = {{"db", "PATH|URL",
                 "SQLite file to create, or postgresql://user@host:port/db; it must not hold the "
                 "contract tables yet",
                 true},
                {"scale", "small|large",
                 "small: ~20 education specifications, ~2,000 offerings (default); large: ~600 and "
                 "~250,000"},
                {"seed", "N",
                 "random seed; the same seed and --today give the same data (default 1)"},
                {"today", "YYYY-MM-DD",
                 "reference date for past/current/future offerings (default: today)"},
                {"plant-rio-defects", "",
                 "add one entity per check-rio rule that breaks exactly that rule"}},
};

const CommandSpec kCheckConfigCommand{
    .name = "check-config",
    .brief = "validate a configuration file",
    .summary =
        "Loads and validates a configuration file (with OOAPI_* environment overrides) and "
        "prints the effective settings.",
    .positionals = {{"FILE", "the YAML configuration to check"}},
};

const CommandSpec kCheckRioCommand{
    .name = "check-rio",
    .brief = "check what the RIO mapper fetches against its rules",
    .summary =
        "Fetches, through the same handler code as HTTP, exactly what SURFeduhub's RIO mapper "
        "fetches (every RIO-relevant education specification, program and course with "
        "returnTimelineOverrides=true, their offerings in pages of 250, their education "
        "specifications, parents and children) and reports every violation of the mapper's rules "
        "with entity, request, field path and rule. Exit status 1 when anything is found.",
    .options = {ConfigOption("YAML configuration (default config/demo.yaml)"),
                {"format", "text|json|csv", "report format (default text)"}},
};

const CommandSpec kHashSecretCommand{
    .name = "hash-secret",
    .brief = "print the hash of a secret read from standard input",
    .summary =
        "Reads a secret (a gateway password, API key or bearer token) from standard input and "
        "prints the pbkdf2-sha256 hash to put in auth.clients (config/example.yaml). The secret is "
        "never taken from the command line, where ps and the shell history would keep it.",
};

const CommandSpec kRioImportCommand{
    .name = "rio import",
    .brief = "import DUO RIO files as a snapshot of one bestuur",
    .summary =
        "Reads <name>.csv for every DUO RIO file in DIR, selects the bestuur's items (through "
        "relaties_onderwijsbesturen_onderwijsaanbieders, ended relations included), picks each "
        "item's period on the reference date and stores a snapshot. Refuses, storing nothing, a "
        "truncated or corrupt file: an open quote at end of file, a short record, invalid UTF-8, a "
        "record count that differs from --expected-counts or a <name>.csv.count sidecar, and "
        "orphans between files.",
    .options = {{"from", "DIR", "directory with the DUO RIO files as <name>.csv", true},
                {"bestuur", "CODE", "the onderwijsbestuur whose items to keep, e.g. 100B490", true},
                {"ref-date", "YYYY-MM-DD",
                 "the date whose period of each item is kept (default: today)"},
                DbOption(),
                {"expected-counts", "FILE",
                 R"(the record count of each file, as "name count" lines)"},
                {"header-map", "FILE",
                 R"(renamed columns, as "CANONICAL = Header" or "file.CANONICAL = Header" lines)"}},
};

const CommandSpec kRioDownloadCommand{
    .name = "rio download",
    .brief = "fetch the DUO RIO CSV files from CKAN, verified",
    .summary =
        "Resolves the resources of the CKAN package by name, downloads each to "
        "DIR/<name>.csv with resume and retries, checks the size and the datastore row "
        "count, and writes DIR/<name>.csv.count for rio import.",
    .options = {{"to", "DIR", "directory to write the files to", true},
                {"base-url", "URL", "the CKAN site (default https://onderwijsdata.duo.nl)"},
                {"package", "NAME", "the CKAN package (default rio_nfo_po_vo_vavo_mbo_ho)"},
                {"only", "NAME,NAME...", "only these files (default: every DUO RIO file)"},
                {"retries", "N", "attempts after the first, per request (default 3)"},
                {"retry-delay-ms", "N",
                 "wait before the first retry, doubled after each (default 2000)"}},
};

const CommandSpec kRioDiffCommand{
    .name = "rio diff",
    .brief = "items added, removed or changed between snapshots",
    .summary =
        "Lists the items added, removed or changed from snapshot A to snapshot B, one per "
        "line: \"<added|removed|changed> <kind> <code> [columns]\", then a count line.",
    .positionals = {{"A", "the earlier snapshot id"}, {"B", "the later snapshot id"}},
    .options = {DbOption()},
};

const CommandSpec kRioOverviewCommand{
    .name = "rio overview",
    .brief = "a snapshot's HO/NFO overview as csv, xlsx or json",
    .summary =
        "Writes the overview of a snapshot: HO and NFO, one row per programme, offered "
        "programme and cohort (left-joined), with classification flags and current values.",
    .options = {SnapshotOption("the snapshot (default: the newest)"),
                {"format", "csv|xlsx|json", "file format", true},
                {"out", "FILE", "the file to write", true},
                DbOption()},
};

const CommandSpec kRioSnapshotsCommand{
    .name = "rio snapshots",
    .brief = "list the stored snapshots",
    .summary =
        "Lists the stored snapshots, one per line: id, time, bestuur, reference date, "
        "number of items and source directory.",
    .options = {DbOption()},
};

const CommandSpec kSyncPlanCommand{
    .name = "sync plan",
    .brief = "match RIO items with SIS entities into a plan file",
    .summary =
        "Matches every item of a RIO snapshot with the SIS entities the endpoint serves, "
        "classifies each (already_linked, proposed, ambiguous, conflict, edudex, rio_only, "
        "sis_only) with reason and evidence, checks through the endpoint which RIO cohorts an "
        "upsert would delete, and writes the plan (docs/sync-plan.md). Edit decision (accept, "
        "reject, override + override_sis_id) and include_edudex per item; --merge keeps those "
        "decisions when re-planning.",
    .options = {DbOption(),
                ConfigOption("YAML configuration of the SIS to match, as serve reads it (default "
                             "config/demo.yaml)"),
                SnapshotOption("the snapshot to plan from (default: the newest)"),
                {"out", "FILE", "the plan file to write (JSON)", true},
                {"report", "FILE", "also a report for people: FILE.csv, FILE.html or FILE.xlsx"},
                {"merge", "FILE", "an earlier plan whose decisions to keep"}},
};

const CommandSpec kSyncApplyCommand{
    .name = "sync apply",
    .brief = "link every accepted entry of a plan",
    .summary =
        std::string("Puts the SIS key on every accepted entry of a plan (decision accept or "
                    "override) through SURFeduhub's link job: parents, then variants, then "
                    "offered programmes. Every entry is first checked with the RIO mapper's rules "
                    "against the newest snapshot; refused entries are listed and not sent. Every "
                    "job is written to the ledger before it is sent, so a killed run is resumed by "
                    "running the same command again and no job is sent twice. Exit status 1 when "
                    "an entry was refused or held or a job did not end done.") +
        kSecretNote,
    .positionals = {{"PLAN", "the plan file written by sync plan, with the admin's decisions"}},
    .options = {SurfConfigOption(),
                DbOption(kLedgerDb),
                {"max-in-flight", "N",
                 "jobs sent and not yet settled at once, 1 to 64 (default "
                 "surfeduhub.max_in_flight)"},
                {"force", "", "overwrite another key (the lost key is printed)"},
                {"resubmit-in-doubt", "",
                 "send again the jobs whose answer was lost, on your word that they did not "
                 "arrive"},
                {"retry-failed", "", "send again the links whose earlier job failed"},
                {"dry-run", "", "check every entry and print the summary; send nothing"},
                VerboseOption()},
};

const CommandSpec kSyncVerifyCommand{
    .name = "sync verify",
    .brief = "check a fresh rio import against the ledger",
    .summary =
        "Checks a rio import made after sync apply against the ledger: every link the "
        "ledger has done must be in the snapshot with its key, and whatever else changed "
        "since the earlier import of the same bestuur must be a key the ledger set. Exit "
        "status 1 when there is any difference.",
    .options = {ConfigOption("YAML configuration whose admin.db is the default --db"),
                DbOption(kLedgerDb),
                SnapshotOption("the import to check (default: the newest)"),
                {"before", "ID",
                 "the earlier import to compare with (default: the newest older one of the same "
                 "bestuur)"},
                {"format", "text|json", "output format (default text)"},
                VerboseOption()},
};

const CommandSpec kLinkCommand{
    .name = "link",
    .brief = "put our id on one RIO item through SURFeduhub",
    .summary =
        std::string("Puts our id on a RIO item through SURFeduhub's link job, after checking it "
                    "with the RIO mapper's rules and the newest snapshot, and follows the job "
                    "until it settles. The job is written to the ledger before it is sent; the "
                    "same command again resumes it. Exit status 1 when the job did not end done.") +
        kSecretNote,
    .positionals = {TypePositional(),
                    {"RIOCODE",
                     "an opleidingseenheidcode such as 1234O5678 (education-specifications) or "
                     "an aangeboden-opleidingcode, a UUID (programs, courses)"},
                    {"ID", "our id, a lowercase UUID: the key to put on the RIO item"}},
    .options = {SurfConfigOption(),
                DbOption(kLedgerDb),
                SnapshotOption("the snapshot to check against (default: the newest)"),
                {"force", "",
                 "overwrite another key (the lost key is printed), or send a code the snapshot "
                 "lacks"},
                {"include-edudex", "", "link an EDU-DEX item (it then leaves the EDU-DEX feed)"},
                {"no-wait", "", "return once the job is sent; follow it with job ID --refresh"},
                {"resubmit-in-doubt", "",
                 "send the job again if its answer was lost, on your word that it did not arrive"},
                VerboseOption()},
};

const CommandSpec kUnlinkCommand{
    .name = "unlink",
    .brief = "remove our id from one RIO item through SURFeduhub",
    .summary = std::string("Removes the key from a RIO item through SURFeduhub's unlink job, "
                           "checked and followed as link does. Exit status 1 when the job did not "
                           "end done.") +
               kSecretNote,
    .positionals = {TypePositional(),
                    {"RIOCODE", "the opleidingseenheidcode or aangeboden-opleidingcode"}},
    .options = {SurfConfigOption(),
                DbOption(kLedgerDb),
                SnapshotOption("the snapshot to check against (default: the newest)"),
                {"force", "", "send a code the snapshot lacks"},
                {"include-edudex", "", "unlink an EDU-DEX item"},
                {"no-wait", "", "return once the job is sent; follow it with job ID --refresh"},
                {"resubmit-in-doubt", "",
                 "send the job again if its answer was lost, on your word that it did not arrive"},
                VerboseOption()},
};

const CommandSpec kPushCommand{
    .name = "push",
    .brief = "one upsert, delete or dry-run-upsert job",
    .summary = std::string("Sends one of the RIO mapper's other jobs for one of our entities "
                           "through the same ledger. An upsert replaces ALL cohorts of an offered "
                           "programme in RIO with the offerings the endpoint serves; sync plan "
                           "lists the ones it would delete. Exit status 1 when the job did not "
                           "end done.") +
               kSecretNote,
    .positionals = {{"ACTION", "upsert, delete or dry-run-upsert"},
                    TypePositional(),
                    {"ID", "our id, a lowercase UUID"}},
    .options = {SurfConfigOption(),
                DbOption(kLedgerDb),
                {"no-wait", "", "return once the job is sent; follow it with job ID --refresh"},
                {"resubmit-in-doubt", "",
                 "send the job again if its answer was lost, on your word that it did not arrive"},
                VerboseOption()},
};

const CommandSpec kJobsCommand{
    .name = "jobs",
    .brief = "list the jobs of the ledger",
    .summary =
        "Lists the jobs of the ledger, newest first: id, state, action, creation time and "
        "what happened, or as a JSON array.",
    .options = {ConfigOption("YAML configuration whose admin.db is the default --db"),
                DbOption(kLedgerDb),
                {"status", "STATE",
                 "only jobs in this state: intent, submitting, submitted, done, error, time-out, "
                 "in-doubt or rejected"},
                {"format", "text|json", "output format (default text)"},
                {"limit", "N", "at most N jobs (default 1000)"},
                VerboseOption()},
};

const CommandSpec kJobCommand{
    .name = "job",
    .brief = "one job of the ledger with its history",
    .summary = "Prints one job of the ledger with its history, as JSON.",
    .positionals = {{"TOKEN|ID", "the job's id, or its SURFeduhub token"}},
    .options = {SurfConfigOption(),
                DbOption(kLedgerDb),
                {"refresh", "", "first ask SURFeduhub for the status of a submitted job"},
                VerboseOption()},
};

const GroupSpec kRioGroup{
    .name = "rio",
    .brief = "what RIO holds for your bestuur (DUO open data)",
    .summary =
        "What RIO already holds for your bestuur, from DUO's open data: downloaded and "
        "verified, imported as snapshots, compared and written as an overview.",
    .commands = {&kRioImportCommand, &kRioDownloadCommand, &kRioDiffCommand, &kRioOverviewCommand,
                 &kRioSnapshotsCommand},
};

const GroupSpec kSyncGroup{
    .name = "sync",
    .brief = "match SIS and RIO, link them, verify the result",
    .summary =
        "The RIO synchronisation: plan matches RIO items with SIS entities, the admin "
        "decides in the plan file, apply links the accepted ones through SURFeduhub and "
        "verify checks a fresh import against the job ledger.",
    .commands = {&kSyncPlanCommand, &kSyncApplyCommand, &kSyncVerifyCommand},
};

const GroupSpec kMainGroup{
    .name = "",
    .brief = "",
    .summary =
        "An OOAPI v5 endpoint for a student information system, and its synchronisation "
        "with RIO through SURFeduhub.",
    .commands = {&kServeCommand, &kDemoDataCommand, &kCheckConfigCommand, &kCheckRioCommand,
                 &kHashSecretCommand, &kRioGroup, &kSyncGroup, &kLinkCommand, &kUnlinkCommand,
                 &kPushCommand, &kJobsCommand, &kJobCommand},
};

std::vector<const CommandSpec*> AllCommandSpecs() {
  std::vector<const CommandSpec*> out;
  std::vector<const GroupSpec*> groups = {&kMainGroup};
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& command : groups[g]->commands) {
      if (const auto* spec = std::get_if<const CommandSpec*>(&command)) {
        out.push_back(*spec);
      } else {
        groups.push_back(std::get<const GroupSpec*>(command));
      }
    }
  }
  return out;
}

StatusOr<db::ConnectionPtr> OpenDatabase(const DatabaseOpener& open,
                                         const std::string& path_or_url) {
  StatusOr<db::ConnectionPtr> connection = open(path_or_url);
  if (!connection.ok()) return AsRuntime(connection.status());
  return connection;
}

}  // namespace ooapi::app
