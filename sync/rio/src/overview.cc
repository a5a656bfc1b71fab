#include "ooapi/sync/rio/overview.h"


#include <fstream>
#include <functional>
#include <map>

#include "ooapi/common/json.h"
#include "ooapi/common/strings.h"
#include "ooapi/sync/rio/workbook.h"

namespace ooapi::sync {
namespace {

struct Column {
  std::string_view header;
  std::function<std::string(const Item* oe, const Item* ao, const Item* cohort)> get;
};

std::string ValueOf(const Item* item, std::string_view column) {
  if (item == nullptr) return "";
  const std::string* v = item->Value(column);
  return v ? *v : "";
}
std::string Flag(bool b) { return b ? "ja" : "nee"; }

const std::vector<Column>& Columns() {
  using I = const Item*;
  static const std::vector<Column> columns = {
      {"OPLEIDINGSEENHEIDCODE", [](I oe, I, I) { return oe->code; }},
      {"OE_BRONBESTAND", [](I oe, I, I) { return oe->file; }},
      {"SOORT", [](I oe, I, I) { return ValueOf(oe, "SOORT"); }},
      {"NIVEAU", [](I oe, I, I) { return ValueOf(oe, "NIVEAU"); }},
      {"ERKENDEOPLEIDINGSCODE", [](I oe, I, I) { return ValueOf(oe, "ERKENDEOPLEIDINGSCODE"); }},
      {"VARIANT_VAN", [](I oe, I, I) { return ValueOf(oe, "VARIANT_VAN"); }},
      {"VOLLEDIGE_NAAM", [](I oe, I, I) { return ValueOf(oe, "VOLLEDIGE_NAAM"); }},
      {"STUDIELAST", [](I oe, I, I) { return ValueOf(oe, "STUDIELAST"); }},
      {"OE_BEGINDATUM_PERIODE", [](I oe, I, I) { return ValueOf(oe, "BEGINDATUM_PERIODE"); }},
      {"OE_PERIODEN", [](I oe, I, I) { return std::to_string(oe->period_count); }},
      {"OE_EINDDATUM", [](I oe, I, I) { return ValueOf(oe, "EINDDATUM"); }},
      {"EIGEN_OPLEIDINGSEENHEIDSLEUTEL",
       [](I oe, I, I) { return ValueOf(oe, "EIGEN_OPLEIDINGSEENHEIDSLEUTEL"); }},
      {"OE_EIGENAAR", [](I oe, I, I) { return ValueOf(oe, "EIGENAAR"); }},
      {"OE_VAN_BESTUUR", [](I oe, I, I) { return Flag(oe->in_bestuur); }},
      {"OE_KLASSE", [](I oe, I, I) { return oe->classification; }},
      {"OE_EDUDEX", [](I oe, I, I) { return Flag(oe->classification == "edudex"); }},
      {"OE_BEEINDIGD", [](I oe, I, I) { return Flag(oe->ended); }},
      {"AANGEBODEN_OPLEIDINGCODE", [](I, I ao, I) { return ao ? ao->code : ""; }},
      {"ONDERWIJSAANBIEDERID", [](I, I ao, I) { return ValueOf(ao, "ONDERWIJSAANBIEDERID"); }},
      {"AANBIEDER_NAAM", [](I, I ao, I) { return ValueOf(ao, "AANBIEDER_NAAM"); }},
      {"ONDERWIJSLOCATIECODE", [](I, I ao, I) { return ValueOf(ao, "ONDERWIJSLOCATIECODE"); }},
      {"LOCATIE_PLAATS", [](I, I ao, I) { return ValueOf(ao, "LOCATIE_PLAATS"); }},
      {"EIGENNAAM", [](I, I ao, I) { return ValueOf(ao, "EIGENNAAM"); }},
      {"VORM", [](I, I ao, I) { return ValueOf(ao, "VORM"); }},
      {"VOERTAAL", [](I, I ao, I) { return ValueOf(ao, "VOERTAAL"); }},
      {"AO_BEGINDATUM_PERIODE", [](I, I ao, I) { return ValueOf(ao, "BEGINDATUM_PERIODE"); }},
      {"AO_PERIODEN", [](I, I ao, I) { return ao ? std::to_string(ao->period_count) : ""; }},
      {"AO_EINDDATUM", [](I, I ao, I) { return ValueOf(ao, "EINDDATUM"); }},
      {"EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL",
       [](I, I ao, I) { return ValueOf(ao, "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL"); }},
      {"AO_KLASSE", [](I, I ao, I) { return ao ? ao->classification : ""; }},
      {"AO_EDUDEX", [](I, I ao, I) { return ao ? Flag(ao->classification == "edudex") : ""; }},
      {"AO_BEEINDIGD", [](I, I ao, I) { return ao ? Flag(ao->ended) : ""; }},
      {"COHORTCODE", [](I, I, I c) { return ValueOf(c, "COHORTCODE"); }},
      {"COHORTSTATUS", [](I, I, I c) { return ValueOf(c, "COHORTSTATUS"); }},
      {"INSTROOMMOMENT", [](I, I, I c) { return ValueOf(c, "INSTROOMMOMENT"); }},
      {"BEGIN_INSTROOMPERIODE", [](I, I, I c) { return ValueOf(c, "BEGIN_INSTROOMPERIODE"); }},
      {"EINDE_INSTROOMPERIODE", [](I, I, I c) { return ValueOf(c, "EINDE_INSTROOMPERIODE"); }},
      {"BEGIN_AANMELDPERIODE", [](I, I, I c) { return ValueOf(c, "BEGIN_AANMELDPERIODE"); }},
      {"EINDE_AANMELDPERIODE", [](I, I, I c) { return ValueOf(c, "EINDE_AANMELDPERIODE"); }},
      {"COHORT_EINDDATUM", [](I, I, I c) { return ValueOf(c, "EINDDATUM"); }},
      {"COHORT_BEEINDIGD", [](I, I, I c) { return c ? Flag(c->ended) : ""; }},
  };
  return columns;
}

}  // namespace

std::string CsvField(std::string_view value) { return CsvQuote(value); }

std::vector<OverviewTable> BuildOverview(const Snapshot& snapshot) {
  std::map<std::string, std::vector<const Item*>> aos_of;
  std::map<std::string, std::vector<const Item*>> cohorts_of;
  for (const Item& item : snapshot.items) {
    if (item.kind == ItemKind::kAo) aos_of[item.parent].push_back(&item);
    if (item.kind == ItemKind::kCohort) cohorts_of[item.parent].push_back(&item);
  }
  std::vector<OverviewTable> tables(2);
  tables[0].sheet = "HO";
  tables[1].sheet = "NFO";
  for (OverviewTable& t : tables) {
    for (const Column& c : Columns()) t.header.emplace_back(c.header);
  }
  auto emit = [&](OverviewTable& t, const Item* oe, const Item* ao, const Item* cohort) {
    std::vector<std::string> row;
    for (const Column& c : Columns()) row.push_back(c.get(oe, ao, cohort));
    t.rows.push_back(std::move(row));
  };
  for (const Item& oe : snapshot.items) {
    if (oe.kind != ItemKind::kOe) continue;
    OverviewTable& t = oe.sector == "NFO" ? tables[1] : tables[0];
    auto aos = aos_of.find(oe.code);
    if (aos == aos_of.end()) {
      emit(t, &oe, nullptr, nullptr);
      continue;
    }
    for (const Item* ao : aos->second) {
      auto cohorts = cohorts_of.find(ao->code);
      if (cohorts == cohorts_of.end()) {
        emit(t, &oe, ao, nullptr);
        continue;
      }
      for (const Item* cohort : cohorts->second) emit(t, &oe, ao, cohort);
    }
  }
  return tables;
}

StatusOr<OverviewFormat> ParseOverviewFormat(std::string_view name) {
  if (name == "csv") return OverviewFormat::kCsv;
  if (name == "json") return OverviewFormat::kJson;
  if (name == "xlsx") return OverviewFormat::kXlsx;
  return InvalidArgument("--format must be csv, xlsx or json, not \"" + std::string(name) + "\"");
}

namespace {

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Unavailable("cannot write " + path);
  return Status::Ok();
}

Status WriteOverviewXlsx(const Snapshot& snapshot, const std::vector<OverviewTable>& tables,
                         const std::string& path) {
  std::vector<Sheet> sheets;
  sheets.reserve(tables.size());
  for (const OverviewTable& t : tables) sheets.push_back({t.sheet, t.header, t.rows});
  Sheet info{"Bron", {}, {}};
  info.rows.push_back({"snapshot", std::to_string(snapshot.id)});
  info.rows.push_back({"bestuur", snapshot.bestuur});
  info.rows.push_back({"peildatum", snapshot.ref_date});
  info.rows.push_back({"geimporteerd", snapshot.created_at});
  for (const SourceFile& f : snapshot.files) {
    info.rows.push_back(
        {f.name + ".csv", std::to_string(f.records) + " records, checksum " + f.sha256});
  }
  sheets.push_back(std::move(info));
  return WriteXlsx(sheets, path);
}

}  // namespace

Status WriteOverview(const Snapshot& snapshot, OverviewFormat format, const std::string& path) {
  const std::vector<OverviewTable> tables = BuildOverview(snapshot);
  switch (format) {
    case OverviewFormat::kCsv: {
      std::string text = "SHEET";
      for (const std::string& h : tables[0].header) text.append(",").append(h);
      text += "\r\n";
      for (const OverviewTable& t : tables) {
        for (const auto& row : t.rows) {
          text += t.sheet;
          for (const std::string& v : row) text.append(",").append(CsvField(v));
          text += "\r\n";
        }
      }
      return WriteText(path, text);
    }
    case OverviewFormat::kJson: {
      rapidjson::StringBuffer buffer;
      json::Writer writer(buffer);
      writer.StartObject();
      json::Key(writer, "snapshot");
      writer.StartObject();
      json::Member(writer, "id", snapshot.id);
      json::Member(writer, "bestuur", snapshot.bestuur);
      json::Member(writer, "ref_date", snapshot.ref_date);
      json::Member(writer, "created_at", snapshot.created_at);
      writer.EndObject();
      for (const OverviewTable& t : tables) {
        json::Key(writer, t.sheet);
        writer.StartArray();
        for (const auto& row : t.rows) {
          writer.StartObject();
          for (size_t c = 0; c < row.size(); ++c) json::Member(writer, t.header[c], row[c]);
          writer.EndObject();
        }
        writer.EndArray();
      }
      writer.EndObject();
      return WriteText(path, std::string(buffer.GetString()) + "\n");
    }
    case OverviewFormat::kXlsx:
      return WriteOverviewXlsx(snapshot, tables, path);
  }
  return Internal("unknown format");
}

}  // namespace ooapi::sync
