#pragma once
// Static vocabulary of the demo institution: faculties, programmes, topics, campuses. Internal to
// the demo library. All texts are plain UTF-8 without HTML, entities or line breaks; names are
// well under 200 characters and abbreviations under 40.

#include <array>

namespace ooapi::demo::internal {

struct Faculty {
  const char* nl;
  const char* en;
  const char* short_name;
  const char* area_nl;  // used in descriptions: "het domein {area_nl}"
  const char* area_en;
};

// Index 6 is the contract-education centre that owns the private programmes.
inline constexpr std::array<Faculty, 7> kFaculties{{
    {"Faculteit Techniek en ICT", "Faculty of Engineering and ICT", "FTI", "techniek en ICT",
     "engineering and ICT"},
    {"Faculteit Gezondheid en Sport", "Faculty of Health and Sport", "FGS", "gezondheid en sport",
     "health and sport"},
    {"Faculteit Business en Economie", "Faculty of Business and Economics", "FBE",
     "business en economie", "business and economics"},
    {"Faculteit Onderwijs en Sociaal Werk", "Faculty of Education and Social Work", "FOSW",
     "onderwijs en sociaal werk", "education and social work"},
    {"Faculteit Recht, Bestuur en Veiligheid", "Faculty of Law, Governance and Safety", "FRBV",
     "recht, bestuur en veiligheid", "law, governance and safety"},
    {"Faculteit Communicatie, Media en Creatieve Industrie",
     "Faculty of Communication, Media and Creative Industries", "FCMC",
     "communicatie, media en creatieve industrie", "communication, media and creative industries"},
    {"Centrum voor Contractonderwijs", "Centre for Professional Education", "CCO",
     "contractonderwijs", "professional education"},
}};
inline constexpr int kAcademicFaculties = 6;
inline constexpr int kContractCentre = 6;

struct Campus {
  const char* city;
  const char* code;           // used in program and offering codes
  const char* location_code;  // RIO onderwijslocatiecode, \d{3}X\d{3}
};

inline constexpr std::array<Campus, 6> kCampuses{{
    {"Utrecht", "UTR", "100X101"},
    {"Amsterdam", "AMS", "100X102"},
    {"Rotterdam", "RTD", "100X103"},
    {"Den Haag", "DHG", "100X104"},
    {"Eindhoven", "EHV", "100X105"},
    {"Zwolle", "ZWL", "100X106"},
}};

// RIO onderwijsaanbiedercode of the institution (\d{3}A\d{3}).
inline constexpr const char* kEducationOffererCode = "100A001";

// One CROHO programme. `old_*` is the name before the current one, `older_*` the one before that
// (nullptr: no such historic name); they become timeline overrides.
struct Programme {
  const char* nl;
  const char* en;
  const char* abbr;
  const char* level;  // bachelor | master | associate degree
  const char* field;  // ISCED-F 2013, 4 digits
  int faculty;
  const char* qualification;  // OOAPI qualificationAwarded enum: AD, BA, BSc, LLB, MA, MSc, ...
  const char* language;       // nld | eng
  const char* old_nl;
  const char* old_en;
  const char* old_abbr;
  const char* older_nl;
  const char* older_en;
  const char* older_abbr;
};

// The order matters: the small scale uses the first entries (all six faculties, all three levels,
// some with history).
inline constexpr std::array<Programme, 41> kProgrammes{{
    {"Informatica", "Computer Science", "INF", "bachelor", "0613", 0, "BSc", "nld", "HBO-ICT",
     "ICT", "HBO-ICT", "Technische Informatica", "Technical Computer Science", "TI"},
    {"Verpleegkunde", "Nursing", "VPK", "bachelor", "0913", 1, "BSc", "nld", "Hbo-Verpleegkunde",
     "Nursing (Hbo-V)", "HBOV", nullptr, nullptr, nullptr},
    {"Bedrijfskunde", "Business Administration", "BK", "bachelor", "0413", 2, "BA", "nld",
     "Bedrijfskunde MER", "Business Administration (Management, Economics and Law)", "BK-MER",
     nullptr, nullptr, nullptr},
    {"Pedagogiek", "Pedagogy", "PED", "bachelor", "0111", 3, "BA", "nld", nullptr, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"HBO-Rechten", "Law", "HBR", "bachelor", "0421", 4, "LLB", "nld", nullptr, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"Communicatie", "Communication", "COM", "bachelor", "0321", 5, "BA", "nld",
     "Communicatiemanagement", "Communication Management", "CM", "Voorlichting",
     "Public Information", "VL"},
    {"Werktuigbouwkunde", "Mechanical Engineering", "WTB", "bachelor", "0715", 0, "BSc", "nld",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Toegepaste Psychologie", "Applied Psychology", "TP", "bachelor", "0313", 3, "BSc", "nld",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Associate degree Software Development", "Associate Degree Software Development", "AD-SD",
     "associate degree", "0613", 0, "AD", "nld", nullptr, nullptr, nullptr, nullptr, nullptr,
     nullptr},
    {"Master Advanced Nursing Practice", "Master Advanced Nursing Practice", "MANP", "master",
     "0913", 1, "MSc", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Accountancy", "Accountancy", "ACC", "bachelor", "0411", 2, "BA", "nld", nullptr, nullptr,
     nullptr, nullptr, nullptr, nullptr},
    {"Logistiek", "Logistics Management", "LOG", "bachelor", "1041", 2, "BA", "nld",
     "Logistiek en Economie", "Logistics and Economics", "LE", nullptr, nullptr, nullptr},
    {"Built Environment", "Built Environment", "BE", "bachelor", "0732", 0, "BSc", "nld",
     "Bouwkunde", "Architecture and Building Engineering", "BOU", nullptr, nullptr, nullptr},
    {"Social Work", "Social Work", "SW", "bachelor", "0923", 3, "BA", "nld",
     "Maatschappelijk Werk en Dienstverlening", "Social Work and Social Services", "MWD",
     "Sociaal Pedagogische Hulpverlening", "Social Pedagogical Care", "SPH"},
    {"Elektrotechniek", "Electrical and Electronic Engineering", "ET", "bachelor", "0713", 0, "BSc",
     "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Civiele Techniek", "Civil Engineering", "CT", "bachelor", "0732", 0, "BSc", "nld", nullptr,
     nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Technische Bedrijfskunde", "Industrial Engineering and Management", "TBK", "bachelor", "0413",
     0, "BSc", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Fysiotherapie", "Physiotherapy", "FT", "bachelor", "0915", 1, "BSc", "nld", nullptr, nullptr,
     nullptr, nullptr, nullptr, nullptr},
    {"Voeding en Diëtetiek", "Nutrition and Dietetics", "VD", "bachelor", "0915", 1, "BSc", "nld",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Mondzorgkunde", "Oral Health Care", "MZK", "bachelor", "0911", 1, "BSc", "nld", nullptr,
     nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Sportkunde", "Sport Studies", "SPK", "bachelor", "1014", 1, "BA", "nld", nullptr, nullptr,
     nullptr, nullptr, nullptr, nullptr},
    {"Commerciële Economie", "Commercial Economics", "CE", "bachelor", "0414", 2, "BA", "nld",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Finance & Control", "Finance & Control", "FC", "bachelor", "0411", 2, "BA", "nld",
     "Bedrijfseconomie", "Business Economics", "BE", nullptr, nullptr, nullptr},
    {"International Business", "International Business", "IB", "bachelor", "0413", 2, "BA", "eng",
     "International Business and Management Studies",
     "International Business and Management Studies", "IBMS", nullptr, nullptr, nullptr},
    {"Hotelmanagement", "Hospitality Management", "HM", "bachelor", "1013", 2, "BA", "nld", nullptr,
     nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Leraar Basisonderwijs (Pabo)", "Primary School Teacher Education", "PABO", "bachelor", "0113",
     3, "BA", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Leraar Engels", "Teacher Training in English", "LEN", "bachelor", "0114", 3, "BA", "nld",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Leraar Wiskunde", "Teacher Training in Mathematics", "LWI", "bachelor", "0114", 3, "BA",
     "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Bestuurskunde", "Public Administration", "BSK", "bachelor", "0413", 4, "BA", "nld", nullptr,
     nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Integrale Veiligheidskunde", "Integrated Safety and Security Management", "IVK", "bachelor",
     "1032", 4, "BA", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Sociaal Juridische Dienstverlening", "Social Legal Services", "SJD", "bachelor", "0421", 4,
     "LLB", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Journalistiek", "Journalism", "JOU", "bachelor", "0321", 5, "BA", "nld", nullptr, nullptr,
     nullptr, nullptr, nullptr, nullptr},
    {"Communication and Multimedia Design", "Communication and Multimedia Design", "CMD",
     "bachelor", "0211", 5, "BSc", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Creative Media and Game Technologies", "Creative Media and Game Technologies", "CMGT",
     "bachelor", "0211", 5, "BSc", "eng", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Associate degree Ondernemen", "Associate Degree Entrepreneurship", "AD-OND",
     "associate degree", "0413", 2, "AD", "nld", nullptr, nullptr, nullptr, nullptr, nullptr,
     nullptr},
    {"Associate degree Pedagogisch Educatief Professional",
     "Associate Degree Pedagogical Educational Professional", "AD-PEP", "associate degree", "0922",
     3, "AD", "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Associate degree Juridische Dienstverlening", "Associate Degree Legal Services", "AD-JD",
     "associate degree", "0421", 4, "AD", "nld", nullptr, nullptr, nullptr, nullptr, nullptr,
     nullptr},
    {"Master Educational Needs", "Master Educational Needs", "MEN", "master", "0111", 3, "MA",
     "nld", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Master Logistics Management", "Master Logistics Management", "MLM", "master", "1041", 2,
     "MSc", "eng", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Master Digital Design", "Master Digital Design", "MDD", "master", "0211", 5, "MA", "eng",
     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    {"Master Engineering Systems", "Master Engineering Systems", "MES", "master", "0719", 0, "MSc",
     "eng", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
}};

struct Phrase {
  const char* nl;
  const char* en;
  const char* abbr;
};

// Variant suffixes ("Toegepaste Psychologie – Coördinatie"). The first two are used with fixed
// parents (kFixedVariantParents); the rest cycle over the programmes.
inline constexpr std::array<Phrase, 8> kVariantSuffixes{{
    {"Coördinatie", "Coordination", "CO"},
    {"Business IT & Management", "Business IT and Management", "BIM"},
    {"Internationaal", "International", "INT"},
    {"Praktijkroute", "Practice Route", "PR"},
    {"Verkort traject", "Fast Track", "VK"},
    {"Ondernemerschap", "Entrepreneurship", "ON"},
    {"Duurzaamheid", "Sustainability", "DZ"},
    {"Zorgtechnologie", "Health Technology", "ZT"},
}};
inline constexpr std::array<int, 2> kFixedVariantParents{7, 0};  // Toegepaste Psychologie, INF

// Private programmes (contract education, RIO ParticuliereOpleiding).
struct PrivateProgramme {
  const char* nl;
  const char* en;
  const char* abbr;
  const char* category;  // RIO categorie
  int study_load;        // ects
  const char* duration;
  int fee_euros;
};

inline constexpr std::array<PrivateProgramme, 7> kPrivateProgrammes{{
    {"Café-management", "Café Management", "CAFE", "tourism_hospitality_and_recreation", 15, "P6M",
     2450},
    {"Leergang Projectmanagement", "Project Management Course", "LPM",
     "management_and_project_management", 10, "P4M", 1950},
    {"Post-hbo Praktijkopleider in de Zorg", "Post-Bachelor Clinical Educator", "PPZ",
     "healthcare_and_sport", 15, "P6M", 2895},
    {"Financieel Management voor Non-financials", "Financial Management for Non-Financial Managers",
     "FMN", "economy", 5, "P3M", 1495},
    {"Leergang Jeugdzorg – Coördinatie", "Youth Care Coordination Course", "LJC",
     "behavior_and_society", 10, "P5M", 2150},
    {"Basiscursus Privacyrecht", "Introduction to Privacy Law", "BPR", "law", 5, "P3M", 1395},
    {"Cursus Contentmarketing", "Content Marketing Course", "CCM", "business_and_project_support",
     5, "P3M", 1295},
}};

// Program modes: mode_of_study value, Dutch and English name parts, code part.
struct Mode {
  const char* mode_of_study;
  const char* nl;
  const char* en;
  const char* code;
};
inline constexpr std::array<Mode, 3> kModes{{
    {"full-time", "voltijd", "full-time", "VT"},
    {"part-time", "deeltijd", "part-time", "DT"},
    {"dual training", "duaal", "dual", "DU"},
}};

// Specialisations (afstudeerrichtingen), six per academic faculty.
inline constexpr std::array<std::array<Phrase, 6>, kAcademicFaculties> kSpecialisations{{
    {{{"Software Engineering", "Software Engineering", "SE"},
      {"Data Science", "Data Science", "DS"},
      {"Cybersecurity", "Cybersecurity", "CS"},
      {"Embedded Systems", "Embedded Systems", "ES"},
      {"Smart Industry", "Smart Industry", "SI"},
      {"Duurzame Energie", "Sustainable Energy", "DE"}}},
    {{{"Acute Zorg", "Acute Care", "AZ"},
      {"Ouderenzorg", "Elderly Care", "OZ"},
      {"Geestelijke Gezondheidszorg", "Mental Health Care", "GGZ"},
      {"Sportfysiotherapie", "Sports Physiotherapy", "SFT"},
      {"Jeugdgezondheid", "Youth Health", "JG"},
      {"Zorgcoördinatie", "Care Coordination", "ZC"}}},
    {{{"Finance", "Finance", "FIN"},
      {"Marketing en Sales", "Marketing and Sales", "MS"},
      {"Human Resource Management", "Human Resource Management", "HRM"},
      {"Supply Chain", "Supply Chain", "SC"},
      {"Internationaal Management", "International Management", "IM"},
      {"Digitale Transformatie", "Digital Transformation", "DT"}}},
    {{{"Jeugd en Gezin", "Youth and Family", "JEG"},
      {"Onderwijs en Begeleiding", "Education and Guidance", "OEB"},
      {"Welzijn en Samenleving", "Welfare and Society", "WES"},
      {"Jonge Kind", "Early Childhood", "JK"},
      {"Passend Onderwijs", "Inclusive Education", "PO"},
      {"Coaching", "Coaching", "COA"}}},
    {{{"Arbeid en Organisatie", "Work and Organisation", "AO"},
      {"Ondernemingsrecht", "Corporate Law", "OR"},
      {"Openbare Orde", "Public Order", "OO"},
      {"Cyberveiligheid", "Cyber Safety", "CV"},
      {"Migratierecht", "Migration Law", "MR"},
      {"Sociale Zekerheid", "Social Security", "SZ"}}},
    {{{"Corporate Communicatie", "Corporate Communication", "CC"},
      {"Contentcreatie", "Content Creation", "CCR"},
      {"Mediaproductie", "Media Production", "MP"},
      {"UX Design", "UX Design", "UX"},
      {"Game Development", "Game Development", "GD"},
      {"Datajournalistiek", "Data Journalism", "DJ"}}},
}};

// Course topics, twelve per academic faculty.
inline constexpr std::array<std::array<Phrase, 12>, kAcademicFaculties> kTopics{{
    {{{"Programmeren", "Programming", "PRG"},
      {"Databases", "Databases", "DB"},
      {"Webtechnologie", "Web Technology", "WEB"},
      {"Netwerken", "Networking", "NET"},
      {"Software Engineering", "Software Engineering", "SWE"},
      {"Wiskunde", "Mathematics", "WIS"},
      {"Statica en Sterkteleer", "Statics and Strength of Materials", "STS"},
      {"Thermodynamica", "Thermodynamics", "THD"},
      {"Elektrotechniek", "Electrical Engineering", "ELT"},
      {"Cybersecurity", "Cybersecurity", "CYB"},
      {"Data Science", "Data Science", "DSC"},
      {"Projectmanagement", "Project Management", "PMT"}}},
    {{{"Anatomie en Fysiologie", "Anatomy and Physiology", "ANF"},
      {"Verpleegkundig Handelen", "Nursing Practice", "VPH"},
      {"Klinisch Redeneren", "Clinical Reasoning", "KLR"},
      {"Farmacologie", "Pharmacology", "FAR"},
      {"Communicatie in de Zorg", "Communication in Healthcare", "CIZ"},
      {"Evidence-Based Practice", "Evidence-Based Practice", "EBP"},
      {"Ethiek in de Zorg", "Healthcare Ethics", "ETH"},
      {"Psychopathologie", "Psychopathology", "PSP"},
      {"Zorgcoördinatie", "Care Coordination", "ZCO"},
      {"Bewegingsleer", "Kinesiology", "BWL"},
      {"Voedingsleer", "Nutrition Science", "VDL"},
      {"Stage Zorg", "Clinical Placement", "STZ"}}},
    {{{"Bedrijfseconomie", "Business Economics", "BEC"},
      {"Financial Accounting", "Financial Accounting", "FAC"},
      {"Marketing", "Marketing", "MKT"},
      {"Organisatiekunde", "Organisational Studies", "ORG"},
      {"Supply Chain Management", "Supply Chain Management", "SCM"},
      {"Bedrijfsrecht", "Business Law", "BRE"},
      {"Statistiek", "Statistics", "STA"},
      {"Management Accounting", "Management Accounting", "MAC"},
      {"Auditing", "Auditing", "AUD"},
      {"Internationaal Ondernemen", "International Business", "IOD"},
      {"Ondernemerschap", "Entrepreneurship", "OND"},
      {"Café- en Horecamanagement", "Café and Hospitality Management", "CHM"}}},
    {{{"Ontwikkelingspsychologie", "Developmental Psychology", "OPS"},
      {"Pedagogisch Handelen", "Pedagogical Practice", "PEH"},
      {"Didactiek", "Didactics", "DID"},
      {"Gespreksvoering", "Interviewing Skills", "GSV"},
      {"Jeugdzorg", "Youth Care", "JZG"},
      {"Sociaal Beleid", "Social Policy", "SBL"},
      {"Onderzoeksvaardigheden", "Research Skills", "OZV"},
      {"Groepsdynamica", "Group Dynamics", "GRD"},
      {"Diversiteit en Inclusie", "Diversity and Inclusion", "DEI"},
      {"Rekenen-wiskunde", "Mathematics Education", "REW"},
      {"Taal en Geletterdheid", "Language and Literacy", "TEG"},
      {"Coaching", "Coaching", "COA"}}},
    {{{"Staatsrecht", "Constitutional Law", "STR"},
      {"Bestuursrecht", "Administrative Law", "BSR"},
      {"Privaatrecht", "Private Law", "PRR"},
      {"Strafrecht", "Criminal Law", "SFR"},
      {"Arbeidsrecht", "Employment Law", "ABR"},
      {"Juridische Vaardigheden", "Legal Skills", "JUV"},
      {"Criminologie", "Criminology", "CRI"},
      {"Veiligheidskunde", "Safety and Security Studies", "VHK"},
      {"Europees Recht", "European Law", "EUR"},
      {"Beleidsanalyse", "Policy Analysis", "BLA"},
      {"Mediation", "Mediation", "MDT"},
      {"Privacyrecht", "Privacy Law", "PVR"}}},
    {{{"Communicatieplanning", "Communication Planning", "CPL"},
      {"Mediatheorie", "Media Theory", "MTH"},
      {"Schrijven voor Media", "Writing for Media", "SVM"},
      {"Visueel Ontwerpen", "Visual Design", "VOW"},
      {"Interactieontwerp", "Interaction Design", "IXD"},
      {"Contentstrategie", "Content Strategy", "CST"},
      {"Journalistieke Vaardigheden", "Journalistic Skills", "JOV"},
      {"Gamedesign", "Game Design", "GMD"},
      {"Crossmediale Campagnes", "Cross-media Campaigns", "CMC"},
      {"Onderzoek in Communicatie", "Communication Research", "OIC"},
      {"Beeld en Geluid", "Image and Sound", "BEG"},
      {"Mediarecht", "Media Law", "MRE"}}},
}};

// Course flavours appended to some course names ("Programmeren 2 – verdieping").
inline constexpr std::array<Phrase, 4> kCourseFlavours{{
    {"verdieping", "advanced", "V"},
    {"praktijk", "practice", "P"},
    {"project", "project", "J"},
    {"internationaal", "international", "I"},
}};

// Kinds of course-type education specifications ("Kernonderwijs Informatica").
inline constexpr std::array<Phrase, 4> kCourseClusters{{
    {"Kernonderwijs", "Core curriculum", "KO"},
    {"Minor", "Minor", "MIN"},
    {"Keuzeonderwijs", "Electives", "KZ"},
    {"Praktijkonderwijs", "Work placement", "PRK"},
}};

inline constexpr std::array<const char*, 12> kMonthsNl{
    "januari", "februari", "maart",     "april",   "mei",      "juni",
    "juli",    "augustus", "september", "oktober", "november", "december"};
inline constexpr std::array<const char*, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

}  // namespace ooapi::demo::internal
