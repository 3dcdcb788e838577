//! The seed of the demo data: the deterministic random generator and the
//! names, places and products the demo companies are made of. Data only.

/// A small deterministic generator (xorshift64*), so demo data and the tests
/// built on it are the same on every run.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A place customers live: (postal code, city, country, state).
pub(super) type Place = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

pub(super) const PLACES_DE: &[Place] = &[
    ("10115", "Berlin", "DE", None),
    ("20095", "Hamburg", "DE", None),
    ("80331", "München", "DE", None),
    ("50667", "Köln", "DE", None),
    ("60311", "Frankfurt am Main", "DE", None),
    ("70173", "Stuttgart", "DE", None),
    ("04109", "Leipzig", "DE", None),
    ("28195", "Bremen", "DE", None),
    ("1010", "Wien", "AT", None),
    ("5020", "Salzburg", "AT", None),
    ("6020", "Innsbruck", "AT", None),
    ("8001", "Zürich", "CH", None),
];

pub(super) const PLACES_NL: &[Place] = &[
    ("1012 AB", "Amsterdam", "NL", None),
    ("3511 LN", "Utrecht", "NL", None),
    ("3011 AD", "Rotterdam", "NL", None),
    ("2511 CV", "Den Haag", "NL", None),
    ("5611 AZ", "Eindhoven", "NL", None),
    ("9711 LM", "Groningen", "NL", None),
    ("2000", "Antwerpen", "BE", None),
    ("1000", "Bruxelles", "BE", None),
];

pub(super) const STREETS_DE: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Lindenallee",
    "Schillerstraße",
    "Goethestraße",
    "Mühlenweg",
    "Am Markt",
    "Kirchgasse",
    "Rosenstraße",
];
pub(super) const STREETS_NL: &[&str] = &[
    "Oudegracht",
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsplein",
    "Prinsengracht",
    "Havenstraat",
    "Lange Nieuwstraat",
];
pub(super) const FIRST_DE: &[&str] = &[
    "Anna",
    "Lukas",
    "Sophie",
    "Maximilian",
    "Marie",
    "Felix",
    "Lena",
    "Jonas",
    "Katharina",
    "Tobias",
    "Johanna",
    "Florian",
];
pub(super) const LAST_DE: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Huber",
    "Gruber",
    "Hofer",
    "Becker",
    "Köhler",
];
pub(super) const FIRST_NL: &[&str] = &[
    "Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sanne",
];
pub(super) const LAST_NL: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Mulder",
];
pub(super) const FIRMS_DE: &[&str] = &[
    "Sporthaus Alpenblick GmbH",
    "Radsport Weber KG",
    "Outdoor Schmidt e.K.",
    "Bergfreunde Handels GmbH",
    "Laufwerk Köln GmbH",
    "Skiverleih Hofer OG",
    "Fitness Depot Leipzig GmbH",
    "Wanderbedarf Huber e.U.",
];
pub(super) const FIRMS_NL: &[&str] = &[
    "Fietsplezier B.V.",
    "Sportwinkel De Vries V.O.F.",
    "Buitensport Utrecht B.V.",
    "Wielercentrum Jansen",
    "Kampeerhuis Bakker B.V.",
];

/// (sku, name, weight kg, price EUR, hs code, origin)
pub(super) type ProductSeed = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

pub(super) const PRODUCTS_1: &[ProductSeed] = &[
    (
        "WS-1001",
        "Wanderschuh Alpin, Gr. 42",
        Some("1.250"),
        "149.90",
        Some("640391"),
        Some("IT"),
    ),
    (
        "WS-1002",
        "Wanderschuh Alpin, Gr. 44",
        Some("1.310"),
        "149.90",
        Some("640391"),
        Some("IT"),
    ),
    (
        "RU-2001",
        "Tourenrucksack 30 l",
        Some("0.980"),
        "89.95",
        Some("420292"),
        Some("VN"),
    ),
    (
        "RU-2002",
        "Tagesrucksack 20 l",
        Some("0.640"),
        "59.00",
        Some("420292"),
        Some("VN"),
    ),
    (
        "JA-3001",
        "Regenjacke Damen, M",
        Some("0.420"),
        "129.00",
        Some("620193"),
        Some("CN"),
    ),
    (
        "JA-3002",
        "Regenjacke Herren, L",
        Some("0.460"),
        "129.00",
        Some("620193"),
        Some("CN"),
    ),
    (
        "ST-4001",
        "Trekkingstöcke Carbon (Paar)",
        Some("0.450"),
        "79.90",
        Some("660200"),
        Some("TW"),
    ),
    (
        "ZE-5001",
        "Kuppelzelt 2 Personen",
        Some("2.800"),
        "249.00",
        Some("630622"),
        Some("CN"),
    ),
    (
        "SC-6001",
        "Schlafsack -5 °C",
        Some("1.450"),
        "169.00",
        Some("940430"),
        None,
    ),
    (
        "TH-7001",
        "Thermosflasche 0,75 l",
        Some("0.390"),
        "34.90",
        None,
        None,
    ),
    (
        "SO-8001",
        "Merino-Socken 3er-Pack",
        Some("0.180"),
        "29.90",
        Some("611531"),
        Some("DE"),
    ),
    (
        "KA-9001",
        "Wanderkarte Salzkammergut",
        Some("0.080"),
        "12.50",
        Some("490591"),
        Some("AT"),
    ),
    ("GU-1101", "Gutschein 50 EUR", None, "50.00", None, None),
    (
        "LA-1201",
        "Stirnlampe 400 lm",
        Some("0.110"),
        "44.90",
        Some("851310"),
        Some("CN"),
    ),
    (
        "HA-1301",
        "Handschuhe Softshell",
        Some("0.120"),
        "39.00",
        None,
        None,
    ),
    (
        "MU-1401",
        "Mütze Merino",
        Some("0.070"),
        "24.90",
        Some("650500"),
        Some("DE"),
    ),
    (
        "TR-1501",
        "Trinkblase 2 l",
        Some("0.210"),
        "27.50",
        None,
        None,
    ),
    (
        "KO-1601",
        "Kocher Gas kompakt",
        Some("0.350"),
        "64.00",
        Some("732111"),
        Some("KR"),
    ),
];

pub(super) const PRODUCTS_2: &[ProductSeed] = &[
    (
        "FI-100",
        "Fietsbel chroom",
        Some("0.090"),
        "7.95",
        Some("871499"),
        Some("TW"),
    ),
    (
        "FI-110",
        "Fietsslot ART-2",
        Some("1.600"),
        "54.95",
        Some("830110"),
        Some("NL"),
    ),
    (
        "FI-120",
        "Fietstas dubbel 40 l",
        Some("1.200"),
        "79.00",
        Some("420292"),
        Some("CN"),
    ),
    (
        "FI-130",
        "Voorlicht LED",
        Some("0.150"),
        "24.95",
        Some("851210"),
        Some("CN"),
    ),
    (
        "FI-140",
        "Achterlicht LED",
        Some("0.080"),
        "14.95",
        Some("851210"),
        Some("CN"),
    ),
    (
        "FI-150",
        "Binnenband 28 inch",
        Some("0.140"),
        "6.50",
        Some("401320"),
        Some("VN"),
    ),
    (
        "FI-160",
        "Buitenband 28x1.75",
        Some("0.780"),
        "32.95",
        Some("401150"),
        Some("DE"),
    ),
    (
        "FI-170",
        "Fietspomp staand",
        Some("1.100"),
        "29.95",
        None,
        None,
    ),
    (
        "FI-180",
        "Helm urban, M",
        Some("0.380"),
        "69.00",
        Some("650610"),
        Some("IT"),
    ),
    (
        "FI-190",
        "Regenpak fietser",
        Some("0.650"),
        "49.95",
        None,
        None,
    ),
    (
        "FI-200",
        "Kettingolie 100 ml",
        Some("0.120"),
        "8.95",
        Some("340319"),
        Some("NL"),
    ),
    ("FI-210", "Spatbordset", Some("0.700"), "24.00", None, None),
];
