-- The SIS contract: the tables (or views) an SQL-backed SIS adapter reads.
-- Documented column by column in adapters/README.md. Portable SQL: the same script creates the
-- demo database in SQLite and in PostgreSQL. Institutions usually create VIEWS with these names and
-- columns over their own SIS tables instead of these tables.
--
-- Conventions: ids are lowercase UUIDs (TEXT); dates are 'YYYY-MM-DD' (TEXT); booleans are
-- INTEGER 0/1; list columns hold a JSON array of strings (e.g. '["online","situated"]');
-- NULL means "absent" and is never sent as null.

CREATE TABLE organizations (
  organization_id   TEXT PRIMARY KEY,
  organization_type TEXT NOT NULL,
  primary_code_type TEXT NOT NULL,
  primary_code      TEXT NOT NULL,
  sort_name         TEXT NOT NULL,
  short_name        TEXT NOT NULL,
  link              TEXT,
  logo              TEXT,
  parent_id         TEXT
);

CREATE TABLE academic_sessions (
  academic_session_id   TEXT PRIMARY KEY,
  academic_session_type TEXT,
  primary_code_type     TEXT,
  primary_code          TEXT,
  sort_name             TEXT NOT NULL,
  start_date            TEXT NOT NULL,
  end_date              TEXT NOT NULL,
  parent_id             TEXT,
  year_id               TEXT
);

CREATE TABLE education_specifications (
  education_specification_id   TEXT PRIMARY KEY,
  education_specification_type TEXT NOT NULL,
  primary_code_type            TEXT NOT NULL,
  primary_code                 TEXT NOT NULL,
  sort_name                    TEXT NOT NULL,
  abbreviation                 TEXT,
  formal_document              TEXT,
  level                        TEXT,
  sector                       TEXT,
  level_of_qualification       TEXT,
  fields_of_study              TEXT,
  study_load_unit              TEXT,
  study_load_value             REAL,
  link                         TEXT,
  parent_id                    TEXT,
  organization_id              TEXT,
  valid_from                   TEXT,
  valid_to                     TEXT,
  rio_relevant                 INTEGER NOT NULL,
  rio_sub_type                 TEXT,
  rio_categories               TEXT
);

CREATE TABLE education_specification_periods (
  education_specification_id   TEXT NOT NULL,
  valid_from                   TEXT NOT NULL,
  valid_to                     TEXT,
  education_specification_type TEXT,
  primary_code_type            TEXT,
  primary_code                 TEXT,
  abbreviation                 TEXT,
  formal_document              TEXT,
  level                        TEXT,
  sector                       TEXT,
  level_of_qualification       TEXT,
  fields_of_study              TEXT,
  study_load_unit              TEXT,
  study_load_value             REAL,
  link                         TEXT,
  rio_sub_type                 TEXT,
  rio_categories               TEXT,
  PRIMARY KEY (education_specification_id, valid_from)
);

CREATE TABLE programs (
  program_id                     TEXT PRIMARY KEY,
  education_specification_id     TEXT,
  program_type                   TEXT NOT NULL,
  primary_code_type              TEXT NOT NULL,
  primary_code                   TEXT NOT NULL,
  sort_name                      TEXT NOT NULL,
  abbreviation                   TEXT,
  teaching_language              TEXT,
  study_load_unit                TEXT,
  study_load_value               REAL,
  qualification_awarded          TEXT,
  mode_of_study                  TEXT,
  modes_of_delivery              TEXT,
  duration                       TEXT,
  first_start_date               TEXT,
  level_of_qualification         TEXT,
  level                          TEXT,
  sector                         TEXT,
  fields_of_study                TEXT,
  link                           TEXT,
  parent_id                      TEXT,
  organization_id                TEXT,
  valid_from                     TEXT,
  valid_to                       TEXT,
  rio_relevant                   INTEGER NOT NULL,
  rio_education_offerer_code     TEXT,
  rio_education_location_code    TEXT,
  rio_consent_participation_stap TEXT,
  rio_propaedeutic_phase         TEXT,
  rio_study_choice_check         TEXT,
  rio_accelerated_route          TEXT,
  rio_deficiency                 TEXT,
  rio_requirements_activities    TEXT,
  rio_foreign_partners           TEXT,
  rio_joint_partner_codes        TEXT,
  rio_teaching_languages         TEXT,
  rio_last_start_date            TEXT,
  rio_joint_program              INTEGER,
  rio_education_unit_code        TEXT,
  rio_duration                   TEXT
);

CREATE TABLE program_periods (
  program_id                     TEXT NOT NULL,
  valid_from                     TEXT NOT NULL,
  valid_to                       TEXT,
  program_type                   TEXT,
  primary_code_type              TEXT,
  primary_code                   TEXT,
  abbreviation                   TEXT,
  teaching_language              TEXT,
  study_load_unit                TEXT,
  study_load_value               REAL,
  qualification_awarded          TEXT,
  mode_of_study                  TEXT,
  modes_of_delivery              TEXT,
  duration                       TEXT,
  first_start_date               TEXT,
  level_of_qualification         TEXT,
  level                          TEXT,
  sector                         TEXT,
  fields_of_study                TEXT,
  link                           TEXT,
  rio_education_offerer_code     TEXT,
  rio_education_location_code    TEXT,
  rio_consent_participation_stap TEXT,
  rio_propaedeutic_phase         TEXT,
  rio_study_choice_check         TEXT,
  rio_accelerated_route          TEXT,
  rio_deficiency                 TEXT,
  rio_requirements_activities    TEXT,
  rio_foreign_partners           TEXT,
  rio_joint_partner_codes        TEXT,
  rio_teaching_languages         TEXT,
  rio_last_start_date            TEXT,
  rio_joint_program              INTEGER,
  rio_education_unit_code        TEXT,
  rio_duration                   TEXT,
  PRIMARY KEY (program_id, valid_from)
);

CREATE TABLE courses (
  course_id                      TEXT PRIMARY KEY,
  education_specification_id     TEXT,
  primary_code_type              TEXT NOT NULL,
  primary_code                   TEXT NOT NULL,
  sort_name                      TEXT NOT NULL,
  abbreviation                   TEXT,
  teaching_language              TEXT,
  level                          TEXT,
  study_load_unit                TEXT,
  study_load_value               REAL,
  modes_of_delivery              TEXT,
  duration                       TEXT,
  first_start_date               TEXT,
  fields_of_study                TEXT,
  link                           TEXT,
  organization_id                TEXT,
  valid_from                     TEXT,
  valid_to                       TEXT,
  rio_relevant                   INTEGER NOT NULL,
  rio_education_offerer_code     TEXT,
  rio_education_location_code    TEXT,
  rio_consent_participation_stap TEXT,
  rio_foreign_partners           TEXT,
  rio_joint_partner_codes        TEXT,
  rio_teaching_languages         TEXT,
  rio_last_start_date            TEXT,
  rio_duration                   TEXT
);

CREATE TABLE course_periods (
  course_id                      TEXT NOT NULL,
  valid_from                     TEXT NOT NULL,
  valid_to                       TEXT,
  primary_code_type              TEXT,
  primary_code                   TEXT,
  abbreviation                   TEXT,
  teaching_language              TEXT,
  level                          TEXT,
  study_load_unit                TEXT,
  study_load_value               REAL,
  modes_of_delivery              TEXT,
  duration                       TEXT,
  first_start_date               TEXT,
  fields_of_study                TEXT,
  link                           TEXT,
  rio_education_offerer_code     TEXT,
  rio_education_location_code    TEXT,
  rio_consent_participation_stap TEXT,
  rio_foreign_partners           TEXT,
  rio_joint_partner_codes        TEXT,
  rio_teaching_languages         TEXT,
  rio_last_start_date            TEXT,
  rio_duration                   TEXT,
  PRIMARY KEY (course_id, valid_from)
);

CREATE TABLE course_programs (
  course_id  TEXT NOT NULL,
  program_id TEXT NOT NULL,
  PRIMARY KEY (course_id, program_id)
);

CREATE TABLE offerings (
  offering_id                          TEXT PRIMARY KEY,
  offering_type                        TEXT NOT NULL,
  program_id                           TEXT,
  course_id                            TEXT,
  primary_code_type                    TEXT NOT NULL,
  primary_code                         TEXT NOT NULL,
  sort_name                            TEXT NOT NULL,
  abbreviation                         TEXT,
  academic_session_id                  TEXT,
  organization_id                      TEXT,
  teaching_language                    TEXT,
  modes_of_delivery                    TEXT,
  result_expected                      INTEGER NOT NULL,
  link                                 TEXT,
  max_number_students                  INTEGER,
  min_number_students                  INTEGER,
  start_date                           TEXT NOT NULL,
  end_date                             TEXT NOT NULL,
  enroll_start_date                    TEXT,
  enroll_end_date                      TEXT,
  flexible_entry_period_start          TEXT,
  flexible_entry_period_end            TEXT,
  rio_relevant                         INTEGER NOT NULL,
  rio_registration_status              TEXT,
  rio_required_permission_registration TEXT,
  rio_explanation_required_permission  TEXT
);

CREATE TABLE offering_costs (
  offering_id TEXT NOT NULL,
  cost_type   TEXT NOT NULL,
  amount      TEXT NOT NULL,
  currency    TEXT,
  ordinal     INTEGER NOT NULL
);

CREATE TABLE texts (
  owner_type        TEXT NOT NULL,
  owner_id          TEXT NOT NULL,
  period_valid_from TEXT,
  field             TEXT NOT NULL,
  language          TEXT NOT NULL,
  value             TEXT NOT NULL,
  ordinal           INTEGER NOT NULL
);

CREATE TABLE other_codes (
  owner_type TEXT NOT NULL,
  owner_id   TEXT NOT NULL,
  code_type  TEXT NOT NULL,
  code       TEXT NOT NULL,
  ordinal    INTEGER NOT NULL
);
