#pragma once
// A SisAdapter over any database that holds the SIS contract (tables or views, see
// adapters/README.md), reached through the dialect-neutral ooapi::db layer. The sqlite and
// postgres adapters are this adapter over their own drivers, so both answer identically.

#include <memory>
#include <string>
#include <string_view>

#include "ooapi/adapters/sis_adapter.h"
#include "ooapi/db/db.h"

namespace ooapi::adapters::sql {

// The contract DDL (tables) and its recommended indexes, as portable SQL scripts.
std::string_view SisContractSql();
std::string_view SisContractIndexesSql();

// Checks that every contract table/view (named `table_prefix` + contract name) exists with every
// contract column. kFailedPrecondition naming the first missing table or column.
Status ValidateContract(db::Connection& connection, std::string_view table_prefix = "");

// Creates the adapter. Validates the contract on one connection first; kUnavailable if the
// database cannot be reached, kFailedPrecondition if the contract is not met.
// `table_prefix` is prepended to every contract table/view name (sis.table_prefix).
StatusOr<SisAdapterPtr> CreateSqlAdapter(std::unique_ptr<db::Pool> pool,
                                         const std::string& table_prefix = "");

}  // namespace ooapi::adapters::sql
