#include "ooapi/testing/duo_generator.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "ooapi/common/date.h"
#include "ooapi/common/json.h"
#include "ooapi/common/rng.h"
#include "ooapi/sync/rio/import.h"

namespace ooapi::testing {
namespace {

using sync::DuoFile;
using sync::DuoFiles;

const std::vector<std::string>& Columns(std::string_view file) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> columns = {
      {"relaties_onderwijsbesturen_onderwijsaanbieders",
       {"ONDERWIJSBESTUURID", "ONDERWIJSAANBIEDERID", "BEGINDATUM", "EINDDATUM"}},
      {"onderwijsaanbieders",
       {"ONDERWIJSAANBIEDERID", "NAAM", "BEGINDATUM_PERIODE", "EINDDATUM_PERIODE"}},
      {"onderwijslocaties",
       {"ONDERWIJSLOCATIECODE", "STRAATNAAM", "HUISNUMMER", "POSTCODE", "PLAATSNAAM"}},
      {"ho_relaties_opleidingseenheden",
       {"RELATIESOORT", "VAN_OPLEIDINGSEENHEIDCODE", "NAAR_OPLEIDINGSEENHEIDCODE", "BEGINDATUM",
        "EINDDATUM"}},
      {"ho_relaties_opleidingseenheden_erkenningen",
       {"OPLEIDINGSEENHEIDCODE", "UNIEKE_ERKENDEOPLEIDINGSCODE", "ERKENDEOPLEIDINGSCODE"}},
      {"oe",
       {"OPLEIDINGSEENHEIDCODE", "SOORT", "NIVEAU", "BEGINDATUM", "EINDDATUM", "BEGINDATUM_PERIODE",
        "EINDDATUM_PERIODE", "VOLLEDIGE_NAAM", "KORTE_NAAM", "INTERNATIONALE_NAAM", "STUDIELAST",
        "STUDIELASTEENHEID", "WAARDEDOCUMENTSOORT", "EIGEN_OPLEIDINGSEENHEIDSLEUTEL", "EIGENAAR",
        "OMSCHRIJVING"}},
      {"ao",
       {"AANGEBODEN_OPLEIDINGCODE", "OPLEIDINGSEENHEIDCODE", "ONDERWIJSAANBIEDERID",
        "ONDERWIJSLOCATIECODE", "BEGINDATUM", "EINDDATUM", "BEGINDATUM_PERIODE",
        "EINDDATUM_PERIODE", "EERSTE_INSTROOMDATUM", "LAATSTE_INSTROOMDATUM", "EIGENNAAM", "VORM",
        "VOERTAAL", "EIGEN_AANGEBODEN_OPLEIDINGSLEUTEL", "EIGEN_OMSCHRIJVING"}},
      {"cohort",
       {"AANGEBODEN_OPLEIDINGCODE", "COHORTCODE", "COHORTSTATUS", "BEGIN_AANMELDPERIODE",
        "EINDE_AANMELDPERIODE", "INSTROOMMOMENT", "BEGIN_INSTROOMPERIODE", "EINDE_INSTROOMPERIODE",
        "TOESTEMMING_VEREIST_VOOR_AANMELDING", "EINDDATUM", "OPLEIDINGSVORM",
        "DEELNEMERSPLAATSEN"}},
  };
  std::string_view key = file;
  if (file.find("cohorten") != std::string_view::npos) {
    key = "cohort";
  } else if (file.substr(0, 10) == "aangeboden") {
    key = "ao";
  } else if (file == "ho_opleidingen" || file == "ho_opleidingsonderdelen" ||
             file == "nfo_opleidingen") {
    key = "oe";
  }
  return columns.find(key)->second;
}

bool IsDate(std::string_view column) {
  return column.find("DATUM") != std::string_view::npos ||
         column.find("INSTROOM") != std::string_view::npos ||
         column.find("AANMELDPERIODE") != std::string_view::npos;
}
bool IsBare(std::string_view column) {
  return IsDate(column) || column == "STUDIELAST" || column == "DEELNEMERSPLAATSEN" ||
         column == "HUISNUMMER";
}

// One output file: header per variant, byte/record/line accounting for cut points.
class Out {
 public:
  Out(const GeneratorOptions& o, std::string name) : o_(o), name_(std::move(name)) {
    file_ = std::fopen((o.out_dir + "/" + name_ + ".csv").c_str(), "wb");
    if (file_ == nullptr) return;  // ok() is false; Run reports it
    canonical_ = Columns(name_);
    std::vector<std::string> header = canonical_;
    if (o.header_variant == "reordered") std::reverse(header.begin(), header.end());
    if (o.header_variant == "missing_optional") {
      header.erase(std::remove_if(header.begin(), header.end(),
                                  [](const std::string& c) {
                                    return c == "KORTE_NAAM" || c == "VOERTAAL" ||
                                           c == "OPLEIDINGSVORM" || c == "PLAATSNAAM";
                                  }),
                   header.end());
    }
    if (o.header_variant == "extra_column") header.emplace_back("EXTRA_KOLOM");
    if (o.header_variant == "datastore") header.insert(header.begin(), "_id");
    for (const std::string& h : header) {
      auto it = std::find(canonical_.begin(), canonical_.end(), h);
      order_.push_back(it == canonical_.end() ? -1 : static_cast<int>(it - canonical_.begin()));
    }
    header_ = header;
    if (o.bom) Put("\xEF\xBB\xBF");
    std::string line;
    for (size_t i = 0; i < header.size(); ++i) line += (i != 0 ? "," : "") + header[i];
    PutLine(line);
  }
  ~Out() {
    if (file_) std::fclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  // Values in canonical order. Returns the byte offset at which each field's text starts.
  std::vector<int64_t> Row(const std::vector<std::string>& values) {
    ++records_;
    record_offset_ = bytes_;
    record_line_ = line_;
    std::vector<int64_t> starts(canonical_.size(), -1);
    std::string line;
    for (size_t i = 0; i < order_.size(); ++i) {
      if (i != 0) line += ',';
      if (order_[i] < 0) {
        line += header_[i] == "_id" ? std::to_string(records_) : "x";
        continue;
      }
      const auto c = static_cast<size_t>(order_[i]);
      std::string v = values[c];
      if (IsDate(canonical_[c]) && !v.empty() && o_.header_variant == "datastore") {
        v += "T00:00:00";
      }
      const bool quote =
          !v.empty() && (!IsBare(canonical_[c]) || v.find_first_of(",\"\n") != std::string::npos);
      starts[c] = bytes_ + static_cast<int64_t>(line.size()) + (quote ? 1 : 0);
      if (quote) {
        line += '"';
        for (char ch : v) {
          if (ch == '"') line += '"';
          if (ch == '\n') ++line_;
          line += ch;
        }
        line += '"';
      } else {
        line += v;
      }
    }
    PutLine(line);
    return starts;
  }
  void Finish(bool final_newline) {
    if (!final_newline) {  // drop the last line break
      std::fflush(file_);
      const int64_t cut = bytes_ - (o_.crlf ? 2 : 1);
      if (::truncate((o_.out_dir + "/" + name_ + ".csv").c_str(), cut) == 0) bytes_ = cut;
    }
    std::fclose(file_);
    file_ = nullptr;
    if (o_.count_sidecars) {
      std::ofstream(o_.out_dir + "/" + name_ + ".csv.count") << records_ << "\n";
    }
  }
  int64_t records() const { return records_; }
  int64_t bytes() const { return bytes_; }
  int64_t record_offset() const { return record_offset_; }
  int64_t record_line() const { return record_line_; }
  int64_t line() const { return line_; }
  const std::string& name() const { return name_; }

 private:
  void Put(std::string_view s) {
    std::fwrite(s.data(), 1, s.size(), file_);
    bytes_ += static_cast<int64_t>(s.size());
  }
  void PutLine(const std::string& s) {
    Put(s);
    Put(o_.crlf ? "\r\n" : "\n");
    ++line_;
  }
  const GeneratorOptions& o_;
  std::string name_;
  FILE* file_ = nullptr;
  std::vector<std::string> canonical_, header_;
  std::vector<int> order_;
  int64_t bytes_ = 0, records_ = 0, line_ = 1, record_offset_ = 0, record_line_ = 0;
};

const char* kWords[] = {"Bedrijfskunde",    "Zorg",       "Techniek", "ICT",
                        "Fryslân",          "Logopedie",  "Café",     "Coördinatie",
                        "Ëvenementen",      "Management", "Recht",    "Taal",
                        "'s-Hertogenbosch", "Data & AI",  "Sport",    "Onderwijs"};

std::string LoremText() {
  std::string t;
  while (t.size() < 3200) {
    t += "De opleiding “Zorg & Welzijn” leidt op tot een beroep; studenten lopen stage in "
         "Fryslân en ’s-Hertogenbosch, met aandacht voor coördinatie &#8217;praktijk&#8217;. ";
  }
  return t;
}

// The aanbieder of the target bestuur that offers the planted AOs.
constexpr const char* kPlantedAanbieder = "110A133";

struct Sizes {
  int ho_oes, hond_oes, nfo_oes;  // per bestuur
};

class Generator {
 public:
  explicit Generator(const GeneratorOptions& o) : o_(o), rng_(o.seed), lorem_(LoremText()) {}
  StatusOr<GroundTruth> Run();

 private:
  std::string Date(int days_from_ref) { return AddDays(o_.ref_date, days_from_ref); }
  std::string Text(int min_len, int max_len) {
    const int len = rng_.Between(min_len, max_len);
    auto start = static_cast<size_t>(rng_.Between(0, 100));
    while ((static_cast<unsigned char>(lorem_[start]) & 0xC0) == 0x80) ++start;
    std::string s = lorem_.substr(start, static_cast<size_t>(len));
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    while (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    return s;
  }
  bool national() const { return o_.profile == "national"; }
  std::string Name() {
    std::string n = kWords[rng_.Next() % 16];
    n += rng_.Percent(30) ? ", " : " ";
    n += kWords[rng_.Next() % 16];
    return n;
  }
  void Bestuur(const std::string& bestuur, const std::vector<std::string>& aanbieders,
               const Sizes& sizes, bool target);
  void Oe(Out& out, const std::string& sector, const std::string& code, const std::string& owner,
          const std::string& key, bool ended, int periods, bool target, int future = 0);
  void Ao(Out& out, const std::string& sector, const std::string& code, const std::string& oe,
          const std::string& aanbieder, const std::string& key, bool ended, bool target,
          bool in_scope_oe_parent);
  void Cohorts(Out& out, const std::string& sector, const std::string& ao, int n, bool target);
  // The planted edge cases, phase by phase (Plant calls them in this order).
  void Plant();
  std::vector<int64_t> PlantOeRow(const std::string& file, const std::string& code,
                                  const std::string& owner, const std::string& key,
                                  const std::string& eind, const std::string& pb,
                                  const std::string& pe, const std::string& name,
                                  const std::string& omschr);
  void CountPlantedOe(const std::string& sector, const std::string& code, const std::string& cls,
                      bool ended, const std::string& selected, const std::string& edge);
  void PlantAo(const std::string& file, const std::string& sector, const std::string& code,
               const std::string& oe, const std::string& aanbieder, const std::string& key,
               const std::string& cls, const std::string& edge);
  void PlantPeriods();
  void PlantQuoting();
  void PlantOeKeys();
  void PlantCutPoints();
  std::string PlantAoCodes();
  void PlantCohorts(const std::string& ed0c);
  void PlantRelations();
  void PlantFormatViolations();
  void PlantDefects();
  Status WriteTruth();
  std::string NextOeCode() {
    char b[32];
    std::snprintf(b, sizeof b, "%04dO%04d", 1000 + static_cast<int>(oe_seq_ / 10000 % 8000),
                  static_cast<int>(oe_seq_ % 10000));
    ++oe_seq_;
    return b;
  }
  Out& F(const std::string& name) { return *out_.at(name); }
  std::string Class(int roll, bool oe) {
    if (roll < 40) return "edudex";
    if (roll < 65) return "linked";
    if (roll < 80) return "foreign";
    (void)oe;
    return "unlinked";
  }
  std::string KeyFor(const std::string& cls, bool oe) {
    if (cls == "edudex") return oe ? rng_.HexUuid(true, "ED0B") : "";
    if (cls == "linked") return rng_.HexUuid(false);
    if (cls == "foreign") {
      return rng_.Percent(50) ? "OSIRIS-" + std::to_string(rng_.Between(10000, 99999))
                             : std::to_string(rng_.Between(10000, 99999)) + "-VT";
    }
    return "";
  }

  const GeneratorOptions& o_;
  Rng rng_;
  std::string lorem_;
  std::map<std::string, std::unique_ptr<Out>> out_;
  GroundTruth truth_;
  int64_t oe_seq_ = 0;
  int64_t loc_seq_ = 0;
  // Target bestuur's scoped items for the overview row count.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>>
      oe_aos_;  // oe -> (sector, aos)
  std::map<std::string, int> ao_cohorts_;
};

void Generator::Oe(Out& out, const std::string& sector, const std::string& code,
                   const std::string& owner, const std::string& key, bool ended, int periods,
                   bool target, int future) {
  const bool nfo = sector == "NFO";
  const int begin = -rng_.Between(400, 6000);
  const std::string einddatum =
      ended ? Date(-rng_.Between(1, 300)) : (rng_.Percent(20) ? Date(rng_.Between(200, 900)) : "");
  std::vector<std::string> begins;
  int b = begin;
  for (int i = 0; i < periods; ++i) {
    begins.push_back(Date(b));
    b += rng_.Between(30, std::max(31, -begin / (periods + 1)));
  }
  if (future > 0) begins.push_back(Date(future));
  const std::string name = Name();
  // national: shorter NFO descriptions, so nfo_opleidingen is about the guide's 62 MB
  const int omschrijving = nfo ? (rng_.Percent(2) ? 3000
                                  : national()   ? rng_.Between(40, 340)
                                                 : rng_.Between(60, 700))
                               : rng_.Between(0, 120);
  for (size_t i = 0; i < begins.size(); ++i) {
    const std::string end = i + 1 < begins.size() ? begins[i + 1] : einddatum;
    out.Row({code, nfo ? "" : (rng_.Percent(25) ? "VARIANT" : "OPLEIDING"),
             nfo ? "ONBEPAALD" : "HBO-BA", Date(begin), einddatum, begins[i], end,
             name + (i != 0 ? " (" + std::to_string(i) + ")" : ""), "", "", nfo ? "" : "240",
             nfo ? "" : "ECTS_PUNT", nfo ? "CERTIFICAAT" : "GETUIGSCHRIFT", key, owner,
             Text(omschrijving, omschrijving)});
  }
  if (target) {
    truth_.counts[sector + " oe"]++;
    oe_aos_[code].first = sector;
    if (ended) truth_.counts["oe ended"]++;
    // contiguous periods, the last one ends at einddatum: current = last begun on/before ref
    std::string selected = begins.front();
    for (const std::string& x : begins) {
      if (x <= o_.ref_date) selected = x;
    }
    truth_.selected_period[code] = selected;
  }
}

void Generator::Ao(Out& out, const std::string& sector, const std::string& code,
                   const std::string& oe, const std::string& aanbieder, const std::string& key,
                   bool ended, bool target, bool /*nfo*/) {
  const int periods = rng_.Percent(60) ? 1 : 2;
  const int begin = -rng_.Between(100, 3000);
  const std::string einddatum = ended ? Date(-rng_.Between(1, 90)) : "";
  const std::string vorm = rng_.Percent(70) ? "VOLTIJD" : rng_.Percent(70) ? "DEELTIJD" : "DUAAL";
  const std::string taal = rng_.Percent(65) ? "NLD" : rng_.Percent(70) ? "ENG" : "NLD,ENG";
  char loc[32];
  std::snprintf(loc, sizeof loc, "%03dX%03d", 100 + static_cast<int>(loc_seq_ % 900),
                static_cast<int>(loc_seq_ % 1000));
  // national: aangeboden_nfo_opleidingen about the guide's 148 MB
  const int omschrijving =
      sector == "NFO" ? (national() ? rng_.Between(150, 550) : rng_.Between(100, 500)) : 0;
  const std::string eigen = Name();
  for (int i = 0; i < periods; ++i) {
    const std::string pb = Date(begin + i * 200);
    const std::string pe = i + 1 < periods ? Date(begin + (i + 1) * 200) : einddatum;
    out.Row({code, oe, aanbieder, rng_.Percent(10) ? "" : loc, Date(begin), einddatum, pb, pe,
             Date(begin + 30), "", eigen, vorm, taal, key, Text(omschrijving, omschrijving)});
  }
  if (target) {
    truth_.counts[sector + " ao"]++;
    if (ended) truth_.counts["ao ended"]++;
    oe_aos_[oe].second.push_back(code);
    ao_cohorts_[code];
  }
}

void Generator::Cohorts(Out& out, const std::string& sector, const std::string& ao, int n,
                        bool target) {
  for (int i = 0; i < n; ++i) {
    const bool flexible = rng_.Percent(30);
    const int start = rng_.Between(-1500, 300);
    std::string code = "C";
    code.append(std::to_string(2015 + i)).append(flexible ? "-FLEX" : "-09");
    out.Row({ao, code, start > 0 ? "G" : "O", Date(start - 120), Date(start - 10),
             flexible ? "" : Date(start), flexible ? Date(start) : "",
             flexible ? Date(start + 90) : "", rng_.Percent(10) ? "JA" : "NEE",
             start < -700 ? Date(start + 400) : "", sector == "NFO" ? "KLASSIKAAL" : "",
             std::to_string(rng_.Between(10, 200))});
    if (target) {
      truth_.counts["cohort"]++;
      ao_cohorts_[ao]++;
    }
  }
}

void Generator::Bestuur(const std::string& bestuur, const std::vector<std::string>& aanbieders,
                        const Sizes& sizes, bool target) {
  for (const std::string& a : aanbieders) {
    F("relaties_onderwijsbesturen_onderwijsaanbieders").Row({bestuur, a, Date(-5000), ""});
    F("onderwijsaanbieders")
        .Row({a, "Aanbieder " + a + ", " + kWords[rng_.Next() % 16], Date(-5000), ""});
  }
  struct Chain {
    const char* oe;
    const char* ao;
    const char* cohort;
    const char* sector;
    int count;
  };
  const Chain chains[] = {
      {"ho_opleidingen", "aangeboden_ho_opleidingen", "aangeboden_ho_opleiding_cohorten", "HO",
       sizes.ho_oes},
      {"ho_opleidingsonderdelen", "aangeboden_ho_opleidingsonderdelen",
       "aangeboden_ho_opleidingsonderdeel_cohorten", "HO", sizes.hond_oes},
      {"nfo_opleidingen", "aangeboden_nfo_opleidingen", "aangeboden_nfo_opleiding_cohorten", "NFO",
       sizes.nfo_oes},
  };
  for (const Chain& c : chains) {
    const bool nfo = std::string_view(c.sector) == "NFO";
    for (int i = 0; i < c.count; ++i) {
      const std::string code = NextOeCode();
      const std::string cls = Class(rng_.Between(nfo ? 0 : 30, 99), true);
      const bool ended = rng_.Percent(20);
      const int periods = rng_.Percent(60) ? 1 : rng_.Percent(60) ? 2 : rng_.Between(3, 6);
      Oe(F(c.oe), c.sector, code, bestuur, KeyFor(cls, true), ended, periods, target);
      if (target) {
        truth_.counts["oe " + cls]++;
      }
      if (std::string_view(c.oe) == "ho_opleidingen") {
        F("ho_relaties_opleidingseenheden_erkenningen")
            .Row(
                {code, std::to_string(rng_.Between(1, 99999)), std::to_string(rng_.Between(30000, 39999))});
      }
      const int aos = nfo ? (rng_.Percent(10) ? 0 : rng_.Between(1, 4)) : rng_.Between(0, 4);
      for (int k = 0; k < aos; ++k) {
        const bool edudex = nfo && rng_.Percent(40);
        const std::string ao_code = edudex ? rng_.HexUuid(true, "ED0C") : rng_.HexUuid(false);
        const std::string ao_cls = edudex ? "edudex" : Class(rng_.Between(40, 99), false);
        const std::string key =
            edudex ? (rng_.Percent(50) ? "" : rng_.HexUuid(false)) : KeyFor(ao_cls, false);
        Ao(F(c.ao), c.sector, ao_code, code,
           aanbieders[static_cast<size_t>(rng_.Between(0, static_cast<int>(aanbieders.size()) - 1))],
           key, ended || rng_.Percent(10), target, false);
        if (target) truth_.counts["ao " + ao_cls]++;
        // national: about twice the cohorts, for the guide's 205 MB of NFO cohorts
        const int n =
            rng_.Percent(15) ? 0 : rng_.Between(national() && nfo ? 2 : 1, national() && nfo ? 18 : 8);
        Cohorts(F(c.cohort), c.sector, ao_code, n, target);
      }
    }
  }
  for (int i = 0; i < 3; ++i, ++loc_seq_) {
    char loc[32];
    std::snprintf(loc, sizeof loc, "%03dX%03d", 100 + static_cast<int>(loc_seq_ % 900),
                  static_cast<int>(loc_seq_ % 1000));
    F("onderwijslocaties").Row({loc, "Kerkstraat", std::to_string(i + 1), "8911AA", "Leeuwarden"});
  }
}

// A planted OE row in `file` (HO columns unless nfo_opleidingen); returns where its fields start.
std::vector<int64_t> Generator::PlantOeRow(const std::string& file, const std::string& code,
                                           const std::string& owner, const std::string& key,
                                           const std::string& eind, const std::string& pb,
                                           const std::string& pe, const std::string& name,
                                           const std::string& omschr) {
  return F(file).Row({code, file == "nfo_opleidingen" ? "" : "OPLEIDING",
                      file == "nfo_opleidingen" ? "ONBEPAALD" : "HBO-MA", Date(-3000), eind, pb, pe,
                      name, "", "", "", "", "", key, owner, omschr});
}

// The ground truth of a planted OE of the target bestuur.
void Generator::CountPlantedOe(const std::string& sector, const std::string& code,
                               const std::string& cls, bool ended, const std::string& selected,
                               const std::string& edge) {
  truth_.counts[sector + " oe"]++;
  truth_.counts["oe " + cls]++;
  if (ended) truth_.counts["oe ended"]++;
  truth_.selected_period[code] = selected;
  truth_.classification[code] = cls;
  oe_aos_[code].first = sector;
  truth_.edge_cases.push_back(edge + ": " + code);
}

// A planted AO of the target bestuur, with its ground truth.
void Generator::PlantAo(const std::string& file, const std::string& sector, const std::string& code,
                        const std::string& oe, const std::string& aanbieder, const std::string& key,
                        const std::string& cls, const std::string& edge) {
  F(file).Row({code, oe, aanbieder, "", Date(-800), "", Date(-800), "", Date(-700), "",
               "Aangeboden " + code.substr(0, 4), "VOLTIJD", "NLD,ENG", key, ""});
  truth_.counts[sector + " ao"]++;
  truth_.counts["ao " + cls]++;
  truth_.classification[code] = cls;
  oe_aos_[oe].second.push_back(code);
  ao_cohorts_[code];
  truth_.edge_cases.push_back(edge + ": " + code);
}

// Periods: out of order with an exact duplicate; only future; overlapping; ended+open.
void Generator::PlantPeriods() {
  const std::string& t = truth_.bestuur;
  const std::string ho = "ho_opleidingen";
  const bool dutch = o_.header_variant == "dutch_dates";
  PlantOeRow(ho, "9000O0001", t, "", "", Date(100), "", "Toekomst", "");
  PlantOeRow(ho, "9000O0001", t, "", "", dutch ? "01-09-2020" : Date(-1000), Date(-400), "Eerst",
             "");
  PlantOeRow(ho, "9000O0001", t, "", "", Date(-400), Date(100), "Nu", "");
  PlantOeRow(ho, "9000O0001", t, "", "", Date(-400), Date(100), "Nu", "");
  CountPlantedOe("HO", "9000O0001", "unlinked", false, Date(-400),
                 "periods out of order with an exact duplicate row");
  truth_.values["9000O0001/VOLLEDIGE_NAAM"] = "Nu";
  truth_.values["9000O0001/periods"] = "3";
  PlantOeRow(ho, "9000O0002", t, "", "", Date(60), "", "Alleen toekomst", "");
  CountPlantedOe("HO", "9000O0002", "unlinked", false, Date(60), "only a future period");
  PlantOeRow(ho, "9000O0003", t, "", "", Date(-500), Date(100), "Overlap oud", "");
  PlantOeRow(ho, "9000O0003", t, "", "", Date(-100), "", "Overlap nieuw", "");
  CountPlantedOe("HO", "9000O0003", "unlinked", false, Date(-100), "overlapping periods");
  truth_.values["9000O0003/VOLLEDIGE_NAAM"] = "Overlap nieuw";
  PlantOeRow(ho, "9000O0004", t, "", Date(-10), Date(-900), Date(-300), "Oud", "");
  PlantOeRow(ho, "9000O0004", t, "", Date(-10), Date(-300), "", "Beëindigd", "");
  CountPlantedOe("HO", "9000O0004", "unlinked", true, Date(-300),
                 "ended entity with an open-ended last period");
}

// Quoting: commas, "" escapes, newline and entity in OMSCHRIJVING, trailing spaces.
void Generator::PlantQuoting() {
  const std::string tricky = "M Zorg, \"Welzijn\" & Fryslân ’t ";
  PlantOeRow("ho_opleidingen", "9000O0005", truth_.bestuur, "", "", Date(-200), "", tricky,
             "Regel 1,\nregel 2 &#8217; \"quoted\"\n" + std::string(2970, 'x'));
  CountPlantedOe("HO", "9000O0005", "unlinked", false, Date(-200),
                 "separators and quotes in fields");
  truth_.values["9000O0005/VOLLEDIGE_NAAM"] = tricky;
}

// EDU-DEX keys and near misses on OEs.
void Generator::PlantOeKeys() {
  const std::string shared = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  const std::string ed0b = rng_.HexUuid(true, "ED0B");
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> keys = {
      {"9000O0007", ed0b, "edudex", "EDU-DEX ED0B key"},
      {"9000O0008", "ed0b" + rng_.HexUuid(false).substr(4), "linked", "near miss: lowercase ed0b"},
      {"9000O0009", "ED0B-1234", "foreign", "near miss: ED0B on a non-UUID"},
      {"9000O0010", shared, "linked", "same key on two items (1)"},
      {"9000O0011", shared, "linked", "same key on two items (2)"},
      {"9000O0012", "3F2504E0-4F89-11D3-9A0C-0305E82C3302", "linked", "uppercase SIS id"},
      {"9000O0013", "OSIRIS-12345", "foreign", "foreign key"},
      {"9000O0014", "34567-VT", "foreign", "foreign key"},
  };
  for (const auto& [code, key, cls, edge] : keys) {
    PlantOeRow("nfo_opleidingen", code, truth_.bestuur, key, "", Date(-300), "", "NFO " + code, "");
    CountPlantedOe("NFO", code, cls, false, Date(-300), edge);
  }
}

// The cut-point row: a quoted name, a newline and a multi-byte character in OMSCHRIJVING.
void Generator::PlantCutPoints() {
  const std::string nfo = "nfo_opleidingen";
  Out& nf = F(nfo);
  const std::string omschr = "Eerste regel\nFryslân tweede regel";
  const std::string cut_name = "Cut, \"punt\"";
  auto starts =
      PlantOeRow(nfo, "9000O0006", truth_.bestuur, "", "", Date(-300), "", cut_name, omschr);
  CountPlantedOe("NFO", "9000O0006", "unlinked", false, Date(-300), "truncation points");
  auto cut = [&](const std::string& name, int64_t offset) {
    truth_.cuts[name] = {nfo, offset, nf.records(), nf.record_offset(), nf.record_line()};
  };
  cut("unquoted_field", starts[3] + 4);  // inside BEGINDATUM
  cut("quoted_field", starts[7] + 3);    // inside VOLLEDIGE_NAAM
  cut("quoted_newline", starts[15] + static_cast<int64_t>(omschr.find('\n')) + 3);
  cut("multibyte", starts[15] + static_cast<int64_t>(omschr.find("â")) + 1);
  cut("record_boundary", nf.record_offset());
}

// EDU-DEX AO codes and near misses (under 9000O0006). Returns the EDU-DEX AO code.
std::string Generator::PlantAoCodes() {
  const std::string file = "aangeboden_nfo_opleidingen";
  std::string ed0c = rng_.HexUuid(true, "ED0C");
  PlantAo(file, "NFO", ed0c, "9000O0006", kPlantedAanbieder, "", "edudex", "EDU-DEX ED0C code");
  PlantAo(file, "NFO", "ed0c" + rng_.HexUuid(false).substr(4), "9000O0006", kPlantedAanbieder, "",
          "unlinked", "near miss: lowercase ed0c code");
  PlantAo(file, "NFO", "ED0C-GEEN-UUID", "9000O0006", kPlantedAanbieder, "", "unlinked",
          "near miss: ED0C on a non-UUID");
  PlantAo(file, "NFO", rng_.HexUuid(true, "ED0B"), "9000O0006", kPlantedAanbieder, "", "unlinked",
          "near miss: ED0B as an AO code");
  // The key is drawn before the code: the order these draws have always had, so a seed keeps
  // generating the same files.
  const std::string ed0c_key = rng_.HexUuid(true, "ED0C");
  const std::string code = rng_.HexUuid(false);
  PlantAo(file, "NFO", code, "9000O0006", kPlantedAanbieder, ed0c_key, "linked",
          "near miss: ED0C inside the eigen sleutel");
  PlantAo(file, "NFO", "ED0Cabcd" + rng_.HexUuid(true).substr(8), "9000O0006", kPlantedAanbieder,
          "", "unlinked", "near miss: ED0C then lowercase hex");
  return ed0c;
}

// Cohorts: a duplicate cohortcode within one AO (kept once), G with a future intake.
void Generator::PlantCohorts(const std::string& ed0c) {
  Out& co = F("aangeboden_nfo_opleiding_cohorten");
  for (int i = 0; i < 2; ++i) {
    co.Row({ed0c, "DUBBEL", "G", Date(-30), Date(20), Date(60), "", "", "NEE", "", "ONLINE", "12"});
  }
  co.Row({ed0c, "LAAT", "O", Date(10), Date(40), Date(5), "", "", "NEE", "", "", ""});
  truth_.counts["cohort"] += 2;
  ao_cohorts_[ed0c] += 2;
  truth_.edge_cases.push_back("duplicate cohortcode within one AO: " + ed0c + "/DUBBEL");
  truth_.edge_cases.push_back("beginAanmeldperiode after instroommoment: " + ed0c + "/LAAT");
  truth_.cuts["cohort_boundary"] = {"aangeboden_nfo_opleiding_cohorten", co.record_offset(),
                                    co.records(), co.record_offset(), co.record_line()};
}

// Joint degree both ways, and an aanbieder whose relation with the bestuur has ended; an
// out-of-scope AO; a variant relation.
void Generator::PlantRelations() {
  const std::string& t = truth_.bestuur;
  const std::string ho = "ho_opleidingen";
  const std::string aho = "aangeboden_ho_opleidingen";
  PlantOeRow(ho, "9000O0020", "200B001", "", "", Date(-300), "", "Joint van een ander", "");
  CountPlantedOe("HO", "9000O0020", "unlinked", false, Date(-300),
                 "OE of another bestuur offered by ours");
  PlantAo(aho, "HO", rng_.HexUuid(false), "9000O0020", kPlantedAanbieder, "", "unlinked",
          "joint degree offered by our aanbieder");
  PlantOeRow(ho, "9000O0021", t, "", "", Date(-300), "", "Joint van ons", "");
  CountPlantedOe("HO", "9000O0021", "unlinked", false, Date(-300),
                 "our OE offered by another aanbieder");
  PlantAo(aho, "HO", rng_.HexUuid(false), "9000O0021", "210A001", "", "unlinked",
          "joint degree offered by another bestuur's aanbieder");
  PlantOeRow(ho, "9000O0022", "200B001", "", "", Date(-300), "", "Via beëindigde relatie", "");
  CountPlantedOe("HO", "9000O0022", "unlinked", false, Date(-300),
                 "OE offered through an ended relation");
  PlantAo(aho, "HO", rng_.HexUuid(false), "9000O0022", "110A999", "", "unlinked",
          "AO of an aanbieder whose relation ended");
  F("relaties_onderwijsbesturen_onderwijsaanbieders").Row({t, "110A999", Date(-4000), Date(-365)});
  F("relaties_onderwijsbesturen_onderwijsaanbieders").Row({"200B001", "110A999", Date(-365), ""});
  // Out of scope: an AO of an aanbieder without a relation with the bestuur, on a foreign OE.
  PlantOeRow(ho, "9000O0023", "200B001", "", "", Date(-300), "", "Niet van ons", "");
  F(aho).Row({rng_.HexUuid(false), "9000O0023", "299A299", "", Date(-800), "", Date(-800), "", "",
              "", "x", "VOLTIJD", "NLD", "", ""});
  F("ho_relaties_opleidingseenheden")
      .Row({"VARIANT_VAN", "9000O0021", "9000O0005", Date(-300), ""});
  truth_.values["9000O0005/VARIANT_VAN"] = "9000O0021";
}

// Code-format violations: a space-padded owner, a lowercase 'o' in an OE code.
void Generator::PlantFormatViolations() {
  const std::string& t = truth_.bestuur;
  PlantOeRow("ho_opleidingen", "9000O0024", t + " ", "", "", Date(-300), "", "Spatie in eigenaar",
             "");
  CountPlantedOe("HO", "9000O0024", "unlinked", false, Date(-300), "space-padded owner code");
  PlantOeRow("ho_opleidingen", "1234o5678", t, "", "", Date(-300), "", "Kleine o", "");
  CountPlantedOe("HO", "1234o5678", "unlinked", false, Date(-300), "OE code with a lowercase o");
}

// The defects the options ask for: an AO whose OE is missing, a cohort whose AO is missing.
void Generator::PlantDefects() {
  if (o_.orphan_ao) {
    F("aangeboden_nfo_opleidingen")
        .Row({rng_.HexUuid(false), "9999O9999", kPlantedAanbieder, "", Date(-800), "", Date(-800),
              "", "", "", "x", "", "", "", ""});
    truth_.edge_cases.emplace_back("defect: AO whose OE is missing");
  }
  if (o_.orphan_cohort) {
    F("aangeboden_nfo_opleiding_cohorten")
        .Row({"00000000-0000-0000-0000-000000000000", "WEES", "O", Date(-30), "", Date(5), "", "",
              "NEE", "", "", ""});
    truth_.edge_cases.emplace_back("defect: cohort whose AO is missing");
  }
}

// The planted edge cases of DUO's files, all in (or around) the target bestuur.
void Generator::Plant() {
  PlantPeriods();
  PlantQuoting();
  PlantOeKeys();
  PlantCutPoints();
  PlantCohorts(PlantAoCodes());
  PlantRelations();
  PlantFormatViolations();
  PlantDefects();
}

StatusOr<GroundTruth> Generator::Run() {
  std::error_code ignored;  // a failure shows as "cannot write into" below
  std::filesystem::create_directories(o_.out_dir, ignored);
  truth_.bestuur = "100B490";
  truth_.ref_date = o_.ref_date;
  for (const DuoFile& f : DuoFiles()) {
    out_[std::string(f.name)] = std::make_unique<Out>(o_, std::string(f.name));
    if (!out_[std::string(f.name)]->ok()) {
      return Unavailable("cannot write into " + o_.out_dir);
    }
  }
  Sizes target{6, 4, 6};
  Sizes distractor{3, 2, 3};
  int distractors = 3;
  if (o_.profile == "institution") {
    target = {250, 150, 300};
    distractor = {120, 60, 150};
    distractors = 5;
  } else if (o_.profile == "national") {
    target = {250, 150, 300};
    distractor = {0, 0, 0};
    distractors = 0;
  } else if (o_.profile != "tiny") {
    return InvalidArgument("unknown profile " + o_.profile + " (tiny, institution, national)");
  }
  auto run_distractor = [&](int i, const Sizes& sizes) {
    char bestuur[32];
    char a[32];
    std::snprintf(bestuur, sizeof bestuur, "%03dB%03d", 200 + i / 1000, i % 1000);
    std::vector<std::string> aanbieders;
    const int n = 1 + i % 3;
    for (int k = 0; k < n; ++k) {
      std::snprintf(a, sizeof a, "%03dA%03d", 210 + i / 1000 + k * 100 % 700, i % 1000);
      aanbieders.emplace_back(a);
    }
    Bestuur(bestuur, aanbieders, sizes, false);
  };
  // National: ~1,500 NFO providers with Zipf-like sizes and 60 HO besturen, before and after the
  // target so the planted rows sit in the middle of every file.
  std::vector<Sizes> plan;
  if (o_.profile == "national") {
    for (int i = 0; i < 60; ++i)
      plan.push_back({static_cast<int>(300 * o_.scale), static_cast<int>(200 * o_.scale), 0});
    for (int i = 0; i < 1500; ++i) {
      plan.push_back(
          {0, 0, std::max(1, static_cast<int>(3800.0 * o_.scale / (1 + i) + 40 * o_.scale))});
    }
  } else {
    for (int i = 0; i < distractors; ++i) plan.push_back(distractor);
  }
  const size_t half = plan.size() / 2;
  for (size_t i = 0; i < half; ++i) run_distractor(static_cast<int>(i) + 1, plan[i]);
  Bestuur(truth_.bestuur, {"110A133", "110A134"}, target, true);
  Plant();
  for (size_t i = half; i < plan.size(); ++i) run_distractor(static_cast<int>(i) + 1, plan[i]);
  F("relaties_onderwijsbesturen_onderwijsaanbieders").Row({"210B001", "210A001", Date(-3000), ""});
  // A 6-digit bestuur code (format violation) on a distractor relation.
  F("relaties_onderwijsbesturen_onderwijsaanbieders").Row({"100490", "299A298", Date(-3000), ""});
  for (auto& [name, out] : out_) {
    truth_.records[name] = out->records();
    out->Finish(o_.final_newline);
  }
  for (const auto& [oe, entry] : oe_aos_) {
    int64_t rows = 0;
    for (const std::string& a : entry.second) rows += std::max(1, ao_cohorts_[a]);
    truth_.overview_rows[entry.first] += std::max<int64_t>(1, rows);
  }
  OOAPI_RETURN_IF_ERROR(WriteTruth());
  return truth_;
}

Status Generator::WriteTruth() {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::Member(w, "bestuur", truth_.bestuur);
  json::Member(w, "ref_date", truth_.ref_date);
  json::MapObject(w, "records", truth_.records);
  json::MapObject(w, "counts", truth_.counts);
  json::MapObject(w, "overview_rows", truth_.overview_rows);
  json::MapObject(w, "selected_period", truth_.selected_period);
  json::MapObject(w, "classification", truth_.classification);
  json::MapObject(w, "values", truth_.values);
  w.Key("cuts");
  w.StartObject();
  for (const auto& [k, c] : truth_.cuts) {
    json::Key(w, k);
    w.StartObject();
    json::Member(w, "file", c.file);
    json::Member(w, "offset", c.offset);
    json::Member(w, "record", c.record);
    json::Member(w, "record_offset", c.record_offset);
    json::Member(w, "record_line", c.record_line);
    w.EndObject();
  }
  w.EndObject();
  json::StringArray(w, "edge_cases", truth_.edge_cases);
  w.EndObject();
  std::ofstream out(o_.out_dir + "/truth.json", std::ios::binary);
  out << buffer.GetString() << "\n";
  out.close();
  if (!out) return Unavailable("cannot write truth.json");
  return Status::Ok();
}

}  // namespace

StatusOr<GroundTruth> GenerateDuo(const GeneratorOptions& options) {
  try {
    Generator generator(options);
    return generator.Run();
  } catch (const std::exception& e) {
    return Internal(std::string("generator failed: ") + e.what());
  }
}

StatusOr<GroundTruth> LoadGroundTruth(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject()) return InvalidArgument(path + ": not JSON");
  GroundTruth t;
  try {
    t.bestuur = d["bestuur"].GetString();
    t.ref_date = d["ref_date"].GetString();
    for (auto& m : d["records"].GetObject()) t.records[m.name.GetString()] = m.value.GetInt64();
    for (auto& m : d["counts"].GetObject()) t.counts[m.name.GetString()] = m.value.GetInt64();
    for (auto& m : d["overview_rows"].GetObject()) {
      t.overview_rows[m.name.GetString()] = m.value.GetInt64();
    }
    for (auto& m : d["selected_period"].GetObject()) {
      t.selected_period[m.name.GetString()] = m.value.GetString();
    }
    for (auto& m : d["classification"].GetObject()) {
      t.classification[m.name.GetString()] = m.value.GetString();
    }
    for (auto& m : d["values"].GetObject()) t.values[m.name.GetString()] = m.value.GetString();
    for (auto& m : d["cuts"].GetObject()) {
      const auto& c = m.value;
      t.cuts[m.name.GetString()] = {c["file"].GetString(), c["offset"].GetInt64(),
                                    c["record"].GetInt64(), c["record_offset"].GetInt64(),
                                    c["record_line"].GetInt64()};
    }
    for (auto& e : d["edge_cases"].GetArray()) t.edge_cases.emplace_back(e.GetString());
  } catch (const std::exception& e) {
    return InvalidArgument(path + ": " + e.what());
  }
  return t;
}

std::map<std::string, int64_t> ImportCounts(const sync::Snapshot& snapshot) {
  std::map<std::string, int64_t> counts;
  for (const sync::Item& item : snapshot.items) {
    if (item.kind == sync::ItemKind::kCohort) {
      ++counts["cohort"];
      continue;
    }
    const std::string kind(sync::ItemKindName(item.kind));
    ++counts[item.sector + " " + kind];
    ++counts[kind + " " + item.classification];
    if (item.ended) ++counts[kind + " ended"];
  }
  return counts;
}

}  // namespace ooapi::testing
