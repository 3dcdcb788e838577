//! Demo data in the reference host schema: two companies (a German one with a
//! warehouse in Austria, a Dutch one), about 50 customers, 30 products, 200
//! sales orders over the last 60 days in every status, goods deliveries for
//! the shipped ones, and a few broken addresses (no house number, an unknown
//! country) so that the error paths can be seen. Rows are inserted one by
//! one inside one transaction: diesel's `MultiConnection` has no batch insert. Deterministic: the same seed
//! gives the same data, dated relative to "now".

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

use crate::db::schema::*;
use crate::db::types::DecValue;
use crate::db::{DbConn, DbResult};

/// What `load` created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub companies: usize,
    pub warehouses: usize,
    pub customers: usize,
    pub products: usize,
    pub sales_orders: usize,
    pub deliveries: usize,
}

/// Load the demo data unless the host tables already hold companies.
/// Returns `None` when there was data already.
pub fn load_if_empty(conn: &mut DbConn) -> DbResult<Option<DemoSummary>> {
    let existing: i64 = companies::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(None);
    }
    load(conn, Utc::now().naive_utc()).map(Some)
}

/// A small deterministic generator (xorshift64*), so demo data and the tests
/// built on it are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[derive(Insertable)]
#[diesel(table_name = companies)]
struct NewCompany<'a> {
    name: &'a str,
    street: &'a str,
    house_number: Option<&'a str>,
    postal_code: &'a str,
    city: &'a str,
    country: &'a str,
    vat_number: Option<&'a str>,
    eori_number: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    currency: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = warehouses)]
struct NewWarehouse<'a> {
    company_id: i64,
    code: &'a str,
    name: &'a str,
    street: &'a str,
    house_number: Option<&'a str>,
    postal_code: &'a str,
    city: &'a str,
    country: &'a str,
    active: bool,
}

#[derive(Insertable)]
#[diesel(table_name = customers)]
struct NewCustomer {
    company_id: i64,
    account_number: String,
    name: String,
    is_company: bool,
    email: Option<String>,
    phone: Option<String>,
    street: String,
    house_number: Option<String>,
    address_2: Option<String>,
    postal_code: String,
    city: String,
    state: Option<String>,
    country: String,
    vat_number: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = contacts)]
struct NewContact {
    customer_id: i64,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    street: Option<String>,
    house_number: Option<String>,
    address_2: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = products)]
struct NewProduct {
    company_id: i64,
    sku: String,
    name: String,
    weight_kg: Option<DecValue>,
    price: DecValue,
    ean: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = sales_orders)]
struct NewOrder {
    company_id: i64,
    order_number: String,
    order_date: NaiveDateTime,
    customer_id: i64,
    contact_id: Option<i64>,
    warehouse_id: Option<i64>,
    status: String,
    approved: bool,
    payment_status: String,
    currency: String,
    total_amount: DecValue,
    shipping_method_ref: Option<String>,
    service_point_ref: Option<String>,
    your_ref: Option<String>,
    remarks: Option<String>,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = sales_order_lines)]
struct NewOrderLine {
    order_id: i64,
    line_no: i32,
    product_id: i64,
    description: String,
    quantity: DecValue,
    unit_price: DecValue,
}

#[derive(Insertable)]
#[diesel(table_name = deliveries)]
struct NewDelivery {
    company_id: i64,
    delivery_number: String,
    order_id: i64,
    warehouse_id: i64,
    created_at: NaiveDateTime,
    status: String,
    remarks: Option<String>,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = delivery_lines)]
struct NewDeliveryLine {
    delivery_id: i64,
    order_line_id: i64,
    product_id: i64,
    quantity: DecValue,
}

/// A place customers live: (postal code, city, country, state).
type Place = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const PLACES_DE: &[Place] = &[
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

const PLACES_NL: &[Place] = &[
    ("1012 AB", "Amsterdam", "NL", None),
    ("3511 LN", "Utrecht", "NL", None),
    ("3011 AD", "Rotterdam", "NL", None),
    ("2511 CV", "Den Haag", "NL", None),
    ("5611 AZ", "Eindhoven", "NL", None),
    ("9711 LM", "Groningen", "NL", None),
    ("2000", "Antwerpen", "BE", None),
    ("1000", "Bruxelles", "BE", None),
];

const STREETS_DE: &[&str] = &[
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
const STREETS_NL: &[&str] = &[
    "Oudegracht",
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsplein",
    "Prinsengracht",
    "Havenstraat",
    "Lange Nieuwstraat",
];
const FIRST_DE: &[&str] = &[
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
const LAST_DE: &[&str] = &[
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
const FIRST_NL: &[&str] = &[
    "Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sanne",
];
const LAST_NL: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Mulder",
];
const FIRMS_DE: &[&str] = &[
    "Sporthaus Alpenblick GmbH",
    "Radsport Weber KG",
    "Outdoor Schmidt e.K.",
    "Bergfreunde Handels GmbH",
    "Laufwerk Köln GmbH",
    "Skiverleih Hofer OG",
    "Fitness Depot Leipzig GmbH",
    "Wanderbedarf Huber e.U.",
];
const FIRMS_NL: &[&str] = &[
    "Fietsplezier B.V.",
    "Sportwinkel De Vries V.O.F.",
    "Buitensport Utrecht B.V.",
    "Wielercentrum Jansen",
    "Kampeerhuis Bakker B.V.",
];

/// (sku, name, weight kg, price EUR, hs code, origin)
type ProductSeed = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const PRODUCTS_1: &[ProductSeed] = &[
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

const PRODUCTS_2: &[ProductSeed] = &[
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

/// Load the whole demo data set. `now` anchors the order dates.
pub fn load(conn: &mut DbConn, now: NaiveDateTime) -> DbResult<DemoSummary> {
    conn.write_transaction(|conn| load_inner(conn, now))
}

fn load_inner(conn: &mut DbConn, now: NaiveDateTime) -> DbResult<DemoSummary> {
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let mut summary = DemoSummary::default();

    let company_rows = [
        NewCompany {
            name: "Nordlicht Outdoor GmbH",
            street: "Speicherstraße",
            house_number: Some("12"),
            postal_code: "20457",
            city: "Hamburg",
            country: "DE",
            vat_number: Some("DE298765432"),
            eori_number: Some("DE1234567890123"),
            email: Some("versand@nordlicht-outdoor.de"),
            phone: Some("+49 40 1234567"),
            currency: "EUR",
        },
        NewCompany {
            name: "Fietsenhandel Van Dijk B.V.",
            street: "Oudegracht",
            house_number: Some("231"),
            postal_code: "3511 NK",
            city: "Utrecht",
            country: "NL",
            vat_number: Some("NL812345678B01"),
            eori_number: None,
            email: Some("logistiek@vandijk-fietsen.nl"),
            phone: Some("+31 30 2345678"),
            currency: "EUR",
        },
    ];
    for row in &company_rows {
        diesel::insert_into(companies::table)
            .values(row)
            .execute(conn)?;
    }
    let company_ids: Vec<i64> = companies::table
        .select(companies::id)
        .order(companies::id)
        .load(conn)?;
    let (c1, c2) = match company_ids.as_slice() {
        [a, b, ..] => (*a, *b),
        _ => return Err(crate::db::DbError::Invalid("demo companies missing".into())),
    };
    summary.companies = 2;

    let warehouse_rows = [
        NewWarehouse {
            company_id: c1,
            code: "HAM",
            name: "Zentrallager Hamburg",
            street: "Hafenstraße",
            house_number: Some("7"),
            postal_code: "21107",
            city: "Hamburg",
            country: "DE",
            active: true,
        },
        NewWarehouse {
            company_id: c1,
            code: "SBG",
            name: "Außenlager Salzburg",
            street: "Alpenstraße",
            house_number: Some("48"),
            postal_code: "5020",
            city: "Salzburg",
            country: "AT",
            active: true,
        },
        NewWarehouse {
            company_id: c2,
            code: "UTR",
            name: "Magazijn Utrecht",
            street: "Proostwetering",
            house_number: Some("101"),
            postal_code: "3543 AC",
            city: "Utrecht",
            country: "NL",
            active: true,
        },
    ];
    for row in &warehouse_rows {
        diesel::insert_into(warehouses::table)
            .values(row)
            .execute(conn)?;
    }
    summary.warehouses = warehouse_rows.len();
    let wh: HashMap<String, i64> = warehouses::table
        .select((warehouses::code, warehouses::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let wh_id = |code: &str| wh.get(code).copied().unwrap_or_default();

    // Customers: 34 for the German company, 16 for the Dutch one.
    let mut customer_rows = Vec::new();
    let mut contact_plan = Vec::new(); // (account_number, contact kind)
    for (company, count, places, streets, firsts, lasts, firms, prefix) in [
        (
            c1, 34usize, PLACES_DE, STREETS_DE, FIRST_DE, LAST_DE, FIRMS_DE, "D",
        ),
        (
            c2, 16usize, PLACES_NL, STREETS_NL, FIRST_NL, LAST_NL, FIRMS_NL, "N",
        ),
    ] {
        for i in 0..count {
            let account_number = format!("{prefix}{:05}", 10001 + i);
            let place = *rng.pick(places);
            let street = rng.pick(streets).to_string();
            let is_company = i % 3 == 0;
            let person = format!("{} {}", rng.pick(firsts), rng.pick(lasts));
            let name = if is_company {
                firms[(i / 3) % firms.len()].to_string()
            } else {
                person.clone()
            };
            let mut house_number = Some(format!("{}", 1 + rng.below(120)));
            let mut country = place.2.to_string();
            // A few broken addresses to show the error log.
            if i == 5 || i == 21 {
                house_number = None;
            }
            if i == 13 && company == c1 {
                country = "XX".into();
            }
            let address_2 = (rng.chance(10)).then(|| "Hinterhaus".to_string());
            let domain = if company == c1 {
                "example.de"
            } else {
                "example.nl"
            };
            let email = Some(format!(
                "{}@{}",
                name.to_lowercase()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .take(16)
                    .collect::<String>(),
                domain
            ));
            customer_rows.push(NewCustomer {
                company_id: company,
                account_number: account_number.clone(),
                name: name.clone(),
                is_company,
                email,
                phone: rng
                    .chance(70)
                    .then(|| format!("+49 {} {}", 30 + rng.below(60), 100000 + rng.below(899999))),
                street,
                house_number,
                address_2,
                postal_code: place.0.to_string(),
                city: place.1.to_string(),
                state: place.3.map(str::to_string),
                country,
                vat_number: is_company
                    .then(|| format!("{}{}", place.2, 100000000 + rng.below(899999999))),
            });
            // Contacts: companies get a contact person; private customers a
            // contact with their own name (account name = contact name) or an
            // empty one; one company contact ships to another address.
            let kind = if is_company {
                if i % 2 == 0 {
                    ContactKind::Person(person)
                } else {
                    ContactKind::PersonElsewhere(person)
                }
            } else if i % 4 == 1 {
                ContactKind::Empty
            } else {
                ContactKind::SameAsAccount(name)
            };
            contact_plan.push((company, account_number, kind));
        }
    }
    for row in &customer_rows {
        diesel::insert_into(customers::table)
            .values(row)
            .execute(conn)?;
    }
    summary.customers = customer_rows.len();
    let cust: HashMap<(i64, String), i64> = customers::table
        .select((
            customers::company_id,
            customers::account_number,
            customers::id,
        ))
        .load::<(i64, String, i64)>(conn)?
        .into_iter()
        .map(|(c, a, id)| ((c, a), id))
        .collect();

    let mut contact_rows = Vec::new();
    for (company, account, kind) in &contact_plan {
        let customer_id = cust
            .get(&(*company, account.clone()))
            .copied()
            .unwrap_or_default();
        let (name, elsewhere) = match kind {
            ContactKind::Person(p) => (p.clone(), false),
            ContactKind::PersonElsewhere(p) => (p.clone(), true),
            ContactKind::SameAsAccount(n) => (n.clone(), false),
            ContactKind::Empty => (String::new(), false),
        };
        contact_rows.push(NewContact {
            customer_id,
            email: (!name.is_empty()).then(|| format!("kontakt{customer_id}@example.org")),
            phone: None,
            street: elsewhere.then(|| "Lieferantenweg".to_string()),
            house_number: elsewhere.then(|| "3".to_string()),
            address_2: None,
            postal_code: elsewhere
                .then(|| if *company == c1 { "22113" } else { "3542 AD" }.to_string()),
            city: elsewhere.then(|| if *company == c1 { "Hamburg" } else { "Utrecht" }.to_string()),
            state: None,
            country: elsewhere.then(|| if *company == c1 { "DE" } else { "NL" }.to_string()),
            name,
        });
    }
    for row in &contact_rows {
        diesel::insert_into(contacts::table)
            .values(row)
            .execute(conn)?;
    }
    let contact_of: HashMap<i64, i64> = contacts::table
        .select((contacts::customer_id, contacts::id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();

    // Products and their customs attributes. The Dutch company keeps its HS
    // codes under its own attribute names.
    let mut product_rows = Vec::new();
    for (company, seeds) in [(c1, PRODUCTS_1), (c2, PRODUCTS_2)] {
        for (sku, name, weight, price, _, _) in seeds.iter() {
            product_rows.push(NewProduct {
                company_id: company,
                sku: sku.to_string(),
                name: name.to_string(),
                weight_kg: weight.and_then(|w| w.parse::<Decimal>().ok()).map(DecValue),
                price: DecValue(price.parse::<Decimal>().unwrap_or_default()),
                ean: Some(format!("40{:011}", 12345678 + product_rows.len() * 7919)),
            });
        }
    }
    for row in &product_rows {
        diesel::insert_into(products::table)
            .values(row)
            .execute(conn)?;
    }
    summary.products = product_rows.len();
    let prods: Vec<(i64, i64, String, Decimal)> = products::table
        .select((
            products::id,
            products::company_id,
            products::sku,
            products::price,
        ))
        .order(products::id)
        .load(conn)?;
    let mut attr_rows = Vec::new();
    for (company, seeds, hs_key, origin_key) in [
        (c1, PRODUCTS_1, "hs_code", "origin_country"),
        (c2, PRODUCTS_2, "zolltarifnummer", "ursprungsland"),
    ] {
        for (sku, _, _, _, hs, origin) in seeds.iter() {
            let Some(pid) = prods
                .iter()
                .find(|p| p.1 == company && p.2 == *sku)
                .map(|p| p.0)
            else {
                continue;
            };
            if let Some(hs) = hs {
                attr_rows.push((
                    product_attributes::product_id.eq(pid),
                    product_attributes::key.eq(hs_key),
                    product_attributes::value.eq(hs.to_string()),
                ));
            }
            if let Some(o) = origin {
                attr_rows.push((
                    product_attributes::product_id.eq(pid),
                    product_attributes::key.eq(origin_key),
                    product_attributes::value.eq(o.to_string()),
                ));
            }
        }
    }
    for row in &attr_rows {
        diesel::insert_into(product_attributes::table)
            .values(row)
            .execute(conn)?;
    }

    // 200 sales orders over the last 60 days, in every status.
    let statuses: &[(&str, bool, u64)] = &[
        ("draft", false, 8),
        ("open", true, 35),
        ("open", false, 7),
        ("partial", true, 10),
        ("complete", true, 32),
        ("cancelled", false, 8),
    ];
    let customer_ids: Vec<(i64, i64)> = customers::table
        .select((customers::id, customers::company_id))
        .order(customers::id)
        .load(conn)?;
    let mut order_rows = Vec::new();
    let mut order_lines_plan: Vec<Vec<(i64, Decimal, Decimal, String)>> = Vec::new();
    for n in 0..200usize {
        let company = if n % 10 < 7 { c1 } else { c2 };
        let candidates: Vec<i64> = customer_ids
            .iter()
            .filter(|c| c.1 == company)
            .map(|c| c.0)
            .collect();
        let customer_id = *rng.pick(&candidates);
        let roll = rng.below(100) as u64;
        let mut acc = 0;
        let mut status = statuses[0];
        for s in statuses {
            acc += s.2;
            if roll < acc {
                status = *s;
                break;
            }
        }
        let age_minutes = rng.below(60 * 24 * 60) as i64;
        let order_date = now - Duration::minutes(age_minutes);
        let paid = match status.0 {
            "complete" => "paid",
            "cancelled" => {
                if rng.chance(30) {
                    "refunded"
                } else {
                    "unpaid"
                }
            }
            _ => {
                if rng.chance(55) {
                    "paid"
                } else {
                    "unpaid"
                }
            }
        };
        let warehouse_id = if company == c1 {
            Some(if rng.chance(70) {
                wh_id("HAM")
            } else {
                wh_id("SBG")
            })
        } else {
            Some(wh_id("UTR"))
        };
        let company_products: Vec<&(i64, i64, String, Decimal)> =
            prods.iter().filter(|p| p.1 == company).collect();
        let line_count = 1 + rng.below(4);
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        for _ in 0..line_count {
            let p = *rng.pick(&company_products);
            let qty = Decimal::from(1 + rng.below(3) as i64);
            total += p.3 * qty;
            lines.push((p.0, qty, p.3, p.2.clone()));
        }
        let prefix = if company == c1 { "AU" } else { "VO" };
        order_rows.push(NewOrder {
            company_id: company,
            order_number: format!("{prefix}-2026-{:05}", 1001 + n),
            order_date,
            customer_id,
            contact_id: contact_of.get(&customer_id).copied(),
            warehouse_id,
            status: status.0.to_string(),
            approved: status.1,
            payment_status: paid.to_string(),
            currency: "EUR".into(),
            total_amount: DecValue(total.round_dp(2)),
            shipping_method_ref: None,
            service_point_ref: (company == c2 && rng.chance(15))
                .then(|| format!("{}", 10_000_000 + rng.below(999_999))),
            your_ref: rng.chance(30).then(|| format!("Bestellung {}", 4500 + n)),
            remarks: None,
            updated_at: order_date + Duration::minutes(rng.below(600) as i64),
        });
        order_lines_plan.push(lines);
    }
    for row in &order_rows {
        diesel::insert_into(sales_orders::table)
            .values(row)
            .execute(conn)?;
    }
    summary.sales_orders = order_rows.len();
    let orders: Vec<(i64, i64, String, Option<i64>, NaiveDateTime, String)> = sales_orders::table
        .select((
            sales_orders::id,
            sales_orders::company_id,
            sales_orders::order_number,
            sales_orders::warehouse_id,
            sales_orders::order_date,
            sales_orders::status,
        ))
        .order(sales_orders::id)
        .load(conn)?;

    let mut line_rows = Vec::new();
    for ((order_id, ..), lines) in orders.iter().zip(&order_lines_plan) {
        for (i, (product_id, qty, price, sku)) in lines.iter().enumerate() {
            line_rows.push(NewOrderLine {
                order_id: *order_id,
                line_no: (i as i32 + 1) * 10,
                product_id: *product_id,
                description: sku.clone(),
                quantity: DecValue(*qty),
                unit_price: DecValue(*price),
            });
        }
    }
    for row in &line_rows {
        diesel::insert_into(sales_order_lines::table)
            .values(row)
            .execute(conn)?;
    }
    // Descriptions were filled with the SKU above; use the product names.
    let names: HashMap<i64, String> = products::table
        .select((products::id, products::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let lines_loaded: Vec<(i64, i64, i64, Decimal)> = sales_order_lines::table
        .select((
            sales_order_lines::id,
            sales_order_lines::order_id,
            sales_order_lines::product_id,
            sales_order_lines::quantity,
        ))
        .order(sales_order_lines::id)
        .load(conn)?;
    for (pid, name) in &names {
        diesel::update(sales_order_lines::table.filter(sales_order_lines::product_id.eq(pid)))
            .set(sales_order_lines::description.eq(name))
            .execute(conn)?;
    }

    // Goods deliveries: complete orders are delivered (done); partial ones
    // have a delivery in progress (draft) or done for part of the lines.
    let mut delivery_rows = Vec::new();
    let mut delivery_plan = Vec::new();
    for (order_id, company, order_number, warehouse_id, order_date, status) in &orders {
        let state = match status.as_str() {
            "complete" => "done",
            "partial" => {
                if rng.chance(50) {
                    "done"
                } else {
                    "draft"
                }
            }
            _ => continue,
        };
        let created = *order_date + Duration::hours(4 + rng.below(44) as i64);
        let created = created.min(now);
        delivery_rows.push(NewDelivery {
            company_id: *company,
            delivery_number: order_number
                .replacen("AU-", "LS-", 1)
                .replacen("VO-", "LV-", 1),
            order_id: *order_id,
            warehouse_id: warehouse_id.unwrap_or_else(|| wh_id("HAM")),
            created_at: created,
            status: state.to_string(),
            remarks: None,
            updated_at: created,
        });
        delivery_plan.push((*order_id, status == "partial"));
    }
    for row in &delivery_rows {
        diesel::insert_into(deliveries::table)
            .values(row)
            .execute(conn)?;
    }
    summary.deliveries = delivery_rows.len();
    let delivery_ids: HashMap<i64, i64> = deliveries::table
        .select((deliveries::order_id, deliveries::id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let mut dline_rows = Vec::new();
    for (order_id, partial) in delivery_plan {
        let Some(delivery_id) = delivery_ids.get(&order_id).copied() else {
            continue;
        };
        let lines = lines_loaded.iter().filter(|l| l.1 == order_id);
        // A partial delivery ships the first line only.
        let take = if partial { 1 } else { usize::MAX };
        for (line_id, _, product_id, qty) in lines.take(take) {
            dline_rows.push(NewDeliveryLine {
                delivery_id,
                order_line_id: *line_id,
                product_id: *product_id,
                quantity: DecValue(*qty),
            });
        }
    }
    for row in &dline_rows {
        diesel::insert_into(delivery_lines::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(summary)
}

enum ContactKind {
    Person(String),
    PersonElsewhere(String),
    SameAsAccount(String),
    Empty,
}
