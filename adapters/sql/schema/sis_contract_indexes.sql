-- Indexes the SQL adapter's queries use (ordering, scoping, batch loads). Create the equivalent on
-- the SIS tables behind the contract views.
CREATE INDEX organizations_sort ON organizations (sort_name, organization_id);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE INDEX academic_sessions_start ON academic_sessions (start_date, academic_session_id);
CREATE INDEX academic_sessions_parent ON academic_sessions (parent_id);
CREATE INDEX education_specifications_sort ON education_specifications (sort_name, education_specification_id);
CREATE INDEX education_specifications_parent ON education_specifications (parent_id, sort_name);
CREATE INDEX education_specifications_org ON education_specifications (organization_id, sort_name);
CREATE INDEX programs_sort ON programs (sort_name, program_id);
CREATE INDEX programs_espec ON programs (education_specification_id, sort_name);
CREATE INDEX programs_parent ON programs (parent_id, sort_name);
CREATE INDEX programs_org ON programs (organization_id, sort_name);
CREATE INDEX courses_sort ON courses (sort_name, course_id);
CREATE INDEX courses_espec ON courses (education_specification_id, course_id);
CREATE INDEX courses_org ON courses (organization_id, sort_name);
CREATE INDEX course_programs_program ON course_programs (program_id, course_id);
CREATE INDEX offerings_program ON offerings (program_id, start_date, offering_id);
CREATE INDEX offerings_course ON offerings (course_id, start_date, offering_id);
CREATE INDEX offerings_org ON offerings (organization_id, start_date, offering_id);
CREATE INDEX offerings_session ON offerings (academic_session_id, start_date, offering_id);
CREATE INDEX offering_costs_owner ON offering_costs (offering_id, ordinal);
CREATE INDEX texts_owner ON texts (owner_type, owner_id, field, ordinal);
CREATE INDEX other_codes_owner ON other_codes (owner_type, owner_id, ordinal);
