#pragma once
// Pure rules of the RIO overview: EDU-DEX and link classification, strict dates, and the choice of
// the period that represents an entity on a reference date. Thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ooapi::sync {

// The synchronisation guide (§4.1): an uppercase UUID whose first group starts with "ED0C" (an
// AangebodenOpleiding *code*) or "ED0B" (an EigenOpleidingseenheidSleutel). The guide writes the
// pattern as '[ED0C]{4}[A-F0-9]{4}-…'; its text ("een UUID die start met ED0C") is what we
// implement: the literal prefix, then only uppercase hex.
bool IsEduDexAoCode(std::string_view code);
bool IsEduDexOeKey(std::string_view key);

enum class Classification { kEduDex, kLinked, kForeignKey, kUnlinked };
std::string_view ClassificationName(Classification c);  // "edudex", "linked", "foreign", "unlinked"
std::optional<Classification> ParseClassification(std::string_view name);

// An opleidingseenheid by its eigenOpleidingseenheidSleutel: ED0B EDU-DEX key; else any UUID =
// linked (SURF writes the OOAPI id); else any other value = foreign key; empty = unlinked.
Classification ClassifyOe(std::string_view eigen_sleutel);
// An aangeboden opleiding: EDU-DEX by its code (never by its eigen sleutel); else by the eigen
// sleutel as above (an ED0C/ED0B value there is just a UUID: linked).
Classification ClassifyAo(std::string_view ao_code, std::string_view eigen_sleutel);

// Strict date: "YYYY-MM-DD", or the CKAN datastore form "YYYY-MM-DDT00:00:00" (normalised to the
// date). Empty input gives "" (no date). nullopt for anything else (e.g. DD-MM-YYYY).
std::optional<std::string> NormalizeDate(std::string_view text);

// One period of an entity, dates as ISO strings ("" = open end / unknown).
struct PeriodSpan {
  std::string begin;
  std::string end;  // exclusive; "" = open or "until the next period"
};

// Index of the period that represents the entity on `ref_date` (ISO): the one current on that date
// (begin <= ref < end; an open end runs until the next period's begin, or forever); of several
// current (overlapping) ones, the latest begin; else the latest that began before ref; else the
// earliest future one. -1 for an empty list.
int SelectPeriod(const std::vector<PeriodSpan>& periods, std::string_view ref_date);

// An entity with EINDDATUM (exclusive) on or before the reference date.
bool IsEnded(std::string_view einddatum, std::string_view ref_date);

}  // namespace ooapi::sync
