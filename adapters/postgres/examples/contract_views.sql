-- The SIS contract (adapters/README.md) as plain views over the foreign SIS of foreign_sis.sql.
-- Nothing is copied: the endpoint reads these views (sis.postgres.schema: ooapi). Ids are stable
-- UUIDs derived from the SIS keys (md5 over a kind prefix and the key, shaped as a lowercase UUID);
-- two-letter SIS codes are translated to OOAPI enums with CASE.
CREATE SCHEMA ooapi;

-- A stable lowercase UUID for a SIS key. Pure SQL; inline it if functions are not allowed.
CREATE FUNCTION ooapi.uuid_of(key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' ||
         substr(h, 18, 3) || '-' || substr(h, 21, 12)
  FROM (SELECT md5(key) AS h) AS x
$$;

CREATE VIEW ooapi.organizations AS
  SELECT ooapi.uuid_of('instelling') AS organization_id, 'root' AS organization_type,
         'brin' AS primary_code_type, '99ZZ' AS primary_code, 'Hogeschool Voorbeeld' AS sort_name,
         'HSV' AS short_name, 'https://www.hogeschool-voorbeeld.nl' AS link, NULL AS logo,
         NULL AS parent_id
  UNION ALL
  SELECT ooapi.uuid_of('faculteit:' || fac_code), 'faculty', 'x-sis.faculteit', fac_code, naam,
         fac_code, NULL, NULL, ooapi.uuid_of('instelling')
  FROM bron.faculteit;

CREATE VIEW ooapi.academic_sessions AS
  SELECT DISTINCT ooapi.uuid_of('jaar:' || collegejaar) AS academic_session_id,
         'academic year' AS academic_session_type, 'x-sis.collegejaar' AS primary_code_type,
         collegejaar::text AS primary_code, collegejaar || '-' || (collegejaar + 1) AS sort_name,
         collegejaar || '-09-01' AS start_date, (collegejaar + 1) || '-08-31' AS end_date,
         NULL AS parent_id, NULL AS year_id
  FROM bron.uitvoering;

-- Programmes (HoOpleiding) and, for courses, one HoOnderwijseenheid per course.
CREATE VIEW ooapi.education_specifications AS
  SELECT ooapi.uuid_of('opleiding:' || opl_id) AS education_specification_id,
         'program' AS education_specification_type, 'crohoCreboCode' AS primary_code_type,
         isat_code AS primary_code, naam AS sort_name,
         CASE fase WHEN 'AD' THEN 'AD ' WHEN 'MA' THEN 'M ' ELSE 'B ' END || afkorting
           AS abbreviation,
         'diploma' AS formal_document,
         CASE fase WHEN 'AD' THEN 'associate degree' WHEN 'MA' THEN 'master' ELSE 'bachelor' END
           AS level,
         'higher professional education' AS sector, NULL AS level_of_qualification,
         NULL AS fields_of_study, 'ects' AS study_load_unit, ects::real AS study_load_value,
         NULL AS link, NULL AS parent_id, ooapi.uuid_of('faculteit:' || fac_code) AS organization_id,
         actief_vanaf::text AS valid_from, actief_tot::text AS valid_to,
         CASE rio_melden WHEN 'J' THEN 1 ELSE 0 END AS rio_relevant, NULL AS rio_sub_type,
         NULL AS rio_categories
  FROM bron.opleiding
  UNION ALL
  SELECT ooapi.uuid_of('cursus-oe:' || cursus_code), 'course', 'x-sis.cursus', cursus_code, titel,
         NULL, NULL, 'bachelor', 'higher professional education', NULL, NULL, 'ects', ects::real,
         NULL, NULL,
         ooapi.uuid_of('instelling'), vanaf::text, NULL, 1, NULL, NULL
  FROM bron.cursus;

-- Only the old name differs in the historic period; every other column inherits (NULL).
CREATE VIEW ooapi.education_specification_periods AS
  SELECT ooapi.uuid_of('opleiding:' || opl_id) AS education_specification_id,
         oude_naam_vanaf::text AS valid_from, NULL AS valid_to,
         NULL AS education_specification_type, NULL AS primary_code_type, NULL AS primary_code,
         NULL AS abbreviation, NULL AS formal_document, NULL AS level, NULL AS sector,
         NULL AS level_of_qualification, NULL AS fields_of_study, NULL AS study_load_unit,
         NULL::real AS study_load_value, NULL AS link, NULL AS rio_sub_type,
         NULL AS rio_categories
  FROM bron.opleiding WHERE oude_naam IS NOT NULL;

CREATE VIEW ooapi.programs AS
  SELECT ooapi.uuid_of('variant:' || v.var_id) AS program_id,
         ooapi.uuid_of('opleiding:' || o.opl_id) AS education_specification_id,
         'program' AS program_type, 'programCode' AS primary_code_type,
         o.isat_code || '-' || v.vorm AS primary_code,
         o.naam || ' ' || CASE v.vorm WHEN 'VT' THEN 'voltijd' WHEN 'DT' THEN 'deeltijd'
                                      ELSE 'duaal' END AS sort_name,
         o.afkorting || '-' || v.vorm AS abbreviation,
         CASE v.taal WHEN 'EN' THEN 'eng' ELSE 'nld' END AS teaching_language,
         'ects' AS study_load_unit, o.ects::real AS study_load_value,
         CASE o.fase WHEN 'AD' THEN 'AD' WHEN 'MA' THEN 'MSc' ELSE 'BSc' END AS qualification_awarded,
         CASE v.vorm WHEN 'VT' THEN 'full-time' WHEN 'DT' THEN 'part-time' ELSE 'dual training' END
           AS mode_of_study,
         '["situated"]' AS modes_of_delivery,
         CASE o.fase WHEN 'AD' THEN 'P2Y' ELSE 'P4Y' END AS duration,
         v.startdatum::text AS first_start_date, NULL AS level_of_qualification,
         CASE o.fase WHEN 'AD' THEN 'associate degree' WHEN 'MA' THEN 'master' ELSE 'bachelor' END
           AS level,
         'higher professional education' AS sector, NULL AS fields_of_study, NULL AS link,
         NULL AS parent_id, ooapi.uuid_of('faculteit:' || o.fac_code) AS organization_id,
         v.startdatum::text AS valid_from, o.actief_tot::text AS valid_to,
         CASE o.rio_melden WHEN 'J' THEN 1 ELSE 0 END AS rio_relevant,
         v.aanbieder AS rio_education_offerer_code, v.locatie AS rio_education_location_code,
         'permission_not_granted' AS rio_consent_participation_stap,
         CASE v.propedeuse WHEN 'J' THEN 'propaedeutic_phase_exam'
                           WHEN 'Z' THEN 'propaedeutic_phase_no_exam'
                           ELSE 'no_propaedeutic_phase' END AS rio_propaedeutic_phase,
         CASE v.skc WHEN 'V' THEN 'study_choice_check_mandatory'
                    WHEN 'B' THEN 'study_choice_check_available'
                    ELSE 'no_study_choice_check' END AS rio_study_choice_check,
         NULL AS rio_accelerated_route, NULL AS rio_deficiency, NULL AS rio_requirements_activities,
         NULL AS rio_foreign_partners, NULL AS rio_joint_partner_codes,
         NULL AS rio_teaching_languages, NULL AS rio_last_start_date,
         NULL::integer AS rio_joint_program, NULL AS rio_education_unit_code, NULL AS rio_duration
  FROM bron.variant v JOIN bron.opleiding o ON o.opl_id = v.opl_id;

CREATE VIEW ooapi.program_periods AS
  SELECT NULL AS program_id, NULL AS valid_from, NULL AS valid_to, NULL AS program_type,
         NULL AS primary_code_type, NULL AS primary_code, NULL AS abbreviation,
         NULL AS teaching_language, NULL AS study_load_unit, NULL::real AS study_load_value,
         NULL AS qualification_awarded, NULL AS mode_of_study, NULL AS modes_of_delivery,
         NULL AS duration, NULL AS first_start_date, NULL AS level_of_qualification, NULL AS level,
         NULL AS sector, NULL AS fields_of_study, NULL AS link,
         NULL AS rio_education_offerer_code, NULL AS rio_education_location_code,
         NULL AS rio_consent_participation_stap, NULL AS rio_propaedeutic_phase,
         NULL AS rio_study_choice_check, NULL AS rio_accelerated_route, NULL AS rio_deficiency,
         NULL AS rio_requirements_activities, NULL AS rio_foreign_partners,
         NULL AS rio_joint_partner_codes, NULL AS rio_teaching_languages,
         NULL AS rio_last_start_date, NULL::integer AS rio_joint_program,
         NULL AS rio_education_unit_code, NULL AS rio_duration
  WHERE false;

CREATE VIEW ooapi.courses AS
  SELECT ooapi.uuid_of('cursus:' || cursus_code) AS course_id,
         ooapi.uuid_of('cursus-oe:' || cursus_code) AS education_specification_id,
         'x-sis.cursus' AS primary_code_type, cursus_code AS primary_code, titel AS sort_name,
         cursus_code AS abbreviation, CASE taal WHEN 'EN' THEN 'eng' ELSE 'nld' END AS teaching_language,
         'bachelor' AS level, 'ects' AS study_load_unit, ects::real AS study_load_value,
         '["situated"]' AS modes_of_delivery, 'P20W' AS duration, NULL AS first_start_date,
         NULL AS fields_of_study, NULL AS link, ooapi.uuid_of('instelling') AS organization_id,
         vanaf::text AS valid_from, NULL AS valid_to, 1 AS rio_relevant,
         aanbieder AS rio_education_offerer_code, NULL AS rio_education_location_code,
         'permission_not_granted' AS rio_consent_participation_stap, NULL AS rio_foreign_partners,
         NULL AS rio_joint_partner_codes, NULL AS rio_teaching_languages,
         NULL AS rio_last_start_date, NULL AS rio_duration
  FROM bron.cursus;

CREATE VIEW ooapi.course_periods AS
  SELECT NULL AS course_id, NULL AS valid_from, NULL AS valid_to, NULL AS primary_code_type,
         NULL AS primary_code, NULL AS abbreviation, NULL AS teaching_language, NULL AS level,
         NULL AS study_load_unit, NULL::real AS study_load_value, NULL AS modes_of_delivery,
         NULL AS duration, NULL AS first_start_date, NULL AS fields_of_study, NULL AS link,
         NULL AS rio_education_offerer_code, NULL AS rio_education_location_code,
         NULL AS rio_consent_participation_stap, NULL AS rio_foreign_partners,
         NULL AS rio_joint_partner_codes, NULL AS rio_teaching_languages,
         NULL AS rio_last_start_date, NULL AS rio_duration
  WHERE false;

CREATE VIEW ooapi.course_programs AS
  SELECT ooapi.uuid_of('cursus:' || cursus_code) AS course_id,
         ooapi.uuid_of('variant:' || var_id) AS program_id
  FROM bron.cursus_in_variant;

CREATE VIEW ooapi.offerings AS
  SELECT ooapi.uuid_of('uitvoering:' || u.uitv_id) AS offering_id,
         CASE WHEN u.var_id IS NULL THEN 'course' ELSE 'program' END AS offering_type,
         CASE WHEN u.var_id IS NULL THEN NULL ELSE ooapi.uuid_of('variant:' || u.var_id) END
           AS program_id,
         CASE WHEN u.cursus_code IS NULL THEN NULL ELSE ooapi.uuid_of('cursus:' || u.cursus_code) END
           AS course_id,
         'offeringCode' AS primary_code_type,
         coalesce(u.cursus_code, o.afkorting || '-' || v.vorm) || '-' || u.collegejaar || '-' ||
           to_char(u.startdatum, 'MM') AS primary_code,
         coalesce(c.titel, o.naam) || ' ' || u.collegejaar AS sort_name, NULL AS abbreviation,
         ooapi.uuid_of('jaar:' || u.collegejaar) AS academic_session_id,
         ooapi.uuid_of('instelling') AS organization_id,
         CASE coalesce(v.taal, c.taal) WHEN 'EN' THEN 'eng' ELSE 'nld' END AS teaching_language,
         '["situated"]' AS modes_of_delivery, 1 AS result_expected, NULL AS link,
         u.capaciteit AS max_number_students, NULL::integer AS min_number_students,
         u.startdatum::text AS start_date, u.einddatum::text AS end_date,
         u.inschrijving_open::text AS enroll_start_date,
         u.inschrijving_sluit::text AS enroll_end_date, NULL AS flexible_entry_period_start,
         NULL AS flexible_entry_period_end, 1 AS rio_relevant,
         CASE u.status WHEN 'O' THEN 'open' ELSE 'closed' END AS rio_registration_status,
         'no' AS rio_required_permission_registration,
         NULL AS rio_explanation_required_permission
  FROM bron.uitvoering u
  LEFT JOIN bron.variant v ON v.var_id = u.var_id
  LEFT JOIN bron.opleiding o ON o.opl_id = v.opl_id
  LEFT JOIN bron.cursus c ON c.cursus_code = u.cursus_code;

CREATE VIEW ooapi.offering_costs AS
  SELECT ooapi.uuid_of('uitvoering:' || uitv_id) AS offering_id, 'total costs' AS cost_type,
         to_char(prijs, 'FM999990.00') AS amount, 'EUR' AS currency, 0 AS ordinal
  FROM bron.uitvoering WHERE prijs IS NOT NULL;

-- Every multilingual attribute, in one view.
CREATE VIEW ooapi.texts AS
  SELECT 'organization' AS owner_type, organization_id AS owner_id, NULL AS period_valid_from,
         'name' AS field, 'nl-NL' AS language, sort_name AS value, 0 AS ordinal
  FROM ooapi.organizations
  UNION ALL
  SELECT 'organization', ooapi.uuid_of('faculteit:' || fac_code), NULL, 'name', 'en-GB',
         naam_engels, 1
  FROM bron.faculteit
  UNION ALL
  SELECT 'academic_session', academic_session_id, NULL, 'name', 'nl-NL',
         'Studiejaar ' || sort_name, 0
  FROM ooapi.academic_sessions
  UNION ALL
  SELECT 'education_specification', ooapi.uuid_of('opleiding:' || opl_id), NULL, t.field,
         t.language, t.value, t.ordinal
  FROM bron.opleiding,
       LATERAL (VALUES ('name', 'nl-NL', naam, 0), ('name', 'en-GB', naam_engels, 1),
                       ('description', 'nl-NL', 'Hbo-opleiding ' || naam || '.', 0),
                       ('description', 'en-GB', 'Higher professional programme ' || naam_engels
                                                  || '.', 1))
         AS t(field, language, value, ordinal)
  UNION ALL
  SELECT 'education_specification', ooapi.uuid_of('opleiding:' || opl_id),
         oude_naam_vanaf::text, 'name', 'nl-NL', oude_naam, 0
  FROM bron.opleiding WHERE oude_naam IS NOT NULL
  UNION ALL
  SELECT 'education_specification', ooapi.uuid_of('cursus-oe:' || cursus_code), NULL, t.field,
         t.language, t.value, t.ordinal
  FROM bron.cursus,
       LATERAL (VALUES ('name', 'nl-NL', titel, 0), ('name', 'en-GB', titel_en, 1))
         AS t(field, language, value, ordinal)
  UNION ALL
  SELECT 'program', p.program_id, NULL, t.field, t.language, t.value, t.ordinal
  FROM ooapi.programs p JOIN bron.variant v ON ooapi.uuid_of('variant:' || v.var_id) = p.program_id
  JOIN bron.opleiding o ON o.opl_id = v.opl_id,
       LATERAL (VALUES ('name', 'nl-NL', p.sort_name, 0),
                       ('name', 'en-GB', o.naam_engels || ' ' || lower(p.mode_of_study), 1),
                       ('description', 'nl-NL', 'Opleiding ' || p.sort_name || '.', 0),
                       ('description', 'en-GB', 'Programme ' || o.naam_engels || '.', 1))
         AS t(field, language, value, ordinal)
  UNION ALL
  SELECT 'course', ooapi.uuid_of('cursus:' || cursus_code), NULL, t.field, t.language, t.value,
         t.ordinal
  FROM bron.cursus,
       LATERAL (VALUES ('name', 'nl-NL', titel, 0), ('name', 'en-GB', titel_en, 1),
                       ('description', 'nl-NL', 'Cursus ' || titel || '.', 0),
                       ('description', 'en-GB', 'Course ' || titel_en || '.', 1))
         AS t(field, language, value, ordinal)
  UNION ALL
  SELECT 'offering', offering_id, NULL, t.field, t.language, t.value, t.ordinal
  FROM ooapi.offerings,
       LATERAL (VALUES ('name', 'nl-NL', sort_name, 0), ('name', 'en-GB', sort_name, 1),
                       ('description', 'nl-NL', 'Start ' || start_date || '.', 0),
                       ('description', 'en-GB', 'Starts ' || start_date || '.', 1))
         AS t(field, language, value, ordinal);

CREATE VIEW ooapi.other_codes AS
  SELECT 'program' AS owner_type, ooapi.uuid_of('variant:' || var_id) AS owner_id,
         'x-sis.variant' AS code_type, var_id::text AS code, 0 AS ordinal
  FROM bron.variant;
