-- A "foreign" SIS: the tables of an institution's own student information system, with its own
-- names, keys and code shapes (integer keys, two-letter codes, Dutch column names). Nothing here
-- knows about OOAPI. contract_views.sql maps it onto the SIS contract with views only.
CREATE SCHEMA bron;

CREATE TABLE bron.faculteit (
  fac_code    varchar(10) PRIMARY KEY,
  naam        varchar(100) NOT NULL,
  naam_engels varchar(100) NOT NULL
);

CREATE TABLE bron.opleiding (
  opl_id          integer PRIMARY KEY,
  isat_code       char(5) NOT NULL,        -- CROHO/ISAT
  naam            varchar(200) NOT NULL,
  naam_engels     varchar(200) NOT NULL,
  afkorting       varchar(20) NOT NULL,
  fase            char(2) NOT NULL,        -- AD, BA, MA
  ects            integer NOT NULL,
  fac_code        varchar(10) NOT NULL REFERENCES bron.faculteit,
  actief_vanaf    date NOT NULL,
  actief_tot      date,
  rio_melden      char(1) NOT NULL,        -- J/N
  oude_naam       varchar(200),            -- the name before oude_naam_tot
  oude_naam_vanaf date
);

CREATE TABLE bron.variant (
  var_id       integer PRIMARY KEY,
  opl_id       integer NOT NULL REFERENCES bron.opleiding,
  vorm         char(2) NOT NULL,           -- VT voltijd, DT deeltijd, DU duaal
  taal         char(2) NOT NULL,           -- NL, EN
  aanbieder    char(7) NOT NULL,           -- RIO onderwijsaanbiedercode 000A000
  locatie      char(7),                    -- RIO onderwijslocatiecode 000X000
  startdatum   date NOT NULL,
  propedeuse   char(1) NOT NULL,           -- J with exam, Z without exam, N none
  skc          char(1) NOT NULL            -- studiekeuzecheck: V verplicht, B beschikbaar, N niet
);

CREATE TABLE bron.cursus (
  cursus_code varchar(12) PRIMARY KEY,
  titel       varchar(200) NOT NULL,
  titel_en    varchar(200) NOT NULL,
  ects        numeric(4, 1) NOT NULL,
  taal        char(2) NOT NULL,
  aanbieder   char(7) NOT NULL,
  vanaf       date NOT NULL
);

CREATE TABLE bron.cursus_in_variant (
  cursus_code varchar(12) NOT NULL REFERENCES bron.cursus,
  var_id      integer NOT NULL REFERENCES bron.variant,
  PRIMARY KEY (cursus_code, var_id)
);

CREATE TABLE bron.uitvoering (
  uitv_id             integer PRIMARY KEY,
  var_id              integer REFERENCES bron.variant,
  cursus_code         varchar(12) REFERENCES bron.cursus,
  collegejaar         integer NOT NULL,
  startdatum          date NOT NULL,
  einddatum           date NOT NULL,
  inschrijving_open   date NOT NULL,
  inschrijving_sluit  date,
  capaciteit          integer,
  status              char(1) NOT NULL,      -- O open, G gesloten
  prijs               numeric(8, 2),
  CHECK ((var_id IS NULL) <> (cursus_code IS NULL))
);

INSERT INTO bron.faculteit VALUES
  ('TECH', 'Faculteit Techniek', 'Faculty of Engineering'),
  ('ZORG', 'Faculteit Gezondheid', 'Faculty of Health');

INSERT INTO bron.opleiding VALUES
  (101, '34479', 'Informatica', 'Computer Science', 'INF', 'BA', 240, 'TECH', '2015-09-01', NULL,
   'J', 'HBO-ICT', '2010-09-01'),
  (102, '34560', 'Verpleegkunde', 'Nursing', 'VPK', 'BA', 240, 'ZORG', '2012-09-01', NULL,
   'J', NULL, NULL),
  (103, '80085', 'Software Development', 'Software Development', 'SD', 'AD', 120, 'TECH',
   '2019-09-01', NULL, 'J', NULL, NULL),
  (104, '49999', 'Interne opleiding', 'Internal programme', 'INT', 'BA', 240, 'TECH',
   '2020-09-01', NULL, 'N', NULL, NULL);

INSERT INTO bron.variant VALUES
  (1, 101, 'VT', 'NL', '123A456', '123X456', '2015-09-01', 'J', 'B'),
  (2, 101, 'DT', 'NL', '123A456', '123X456', '2016-09-01', 'Z', 'N'),
  (3, 102, 'VT', 'NL', '123A456', '123X789', '2012-09-01', 'J', 'V'),
  (4, 103, 'DU', 'EN', '123A456', NULL, '2019-09-01', 'N', 'N'),
  (5, 104, 'VT', 'NL', '123A456', NULL, '2020-09-01', 'N', 'N');

INSERT INTO bron.cursus VALUES
  ('INF-WEB1', 'Webtechnologie', 'Web technology', 5, 'NL', '123A456', '2018-09-01'),
  ('INF-DB2', 'Databases 2', 'Databases 2', 7.5, 'NL', '123A456', '2018-09-01'),
  ('VPK-ETH', 'Ethiek in de zorg', 'Ethics in health care', 3, 'EN', '123A456', '2019-02-01');

INSERT INTO bron.cursus_in_variant VALUES
  ('INF-WEB1', 1), ('INF-WEB1', 2), ('INF-DB2', 1), ('VPK-ETH', 3);

INSERT INTO bron.uitvoering VALUES
  (1, 1, NULL, 2024, '2024-09-02', '2028-08-31', '2023-10-01', '2024-05-01', 120, 'G', 2530.00),
  (2, 1, NULL, 2025, '2025-09-01', '2029-08-31', '2024-10-01', '2025-05-01', 120, 'G', 2601.00),
  (3, 1, NULL, 2026, '2026-09-01', '2030-08-31', '2025-10-01', '2026-05-01', 120, 'O', 2601.00),
  (4, 2, NULL, 2026, '2026-09-01', '2031-08-31', '2025-10-01', NULL, NULL, 'O', 2601.00),
  (5, 3, NULL, 2026, '2026-09-01', '2030-08-31', '2025-10-01', '2026-05-01', 80, 'O', 2601.00),
  (6, 4, NULL, 2026, '2026-09-01', '2028-08-31', '2025-10-01', '2026-06-01', 30, 'O', NULL),
  (7, NULL, 'INF-WEB1', 2026, '2026-09-01', '2027-01-31', '2026-05-01', '2026-08-15', 60, 'O', NULL),
  (8, NULL, 'INF-DB2', 2026, '2027-02-01', '2027-06-30', '2026-11-01', '2027-01-15', 60, 'O', NULL),
  (9, NULL, 'VPK-ETH', 2025, '2026-02-02', '2026-06-30', '2025-11-01', NULL, NULL, 'G', NULL);
