//! In-memory state of the stand-in: accounts (Sendcloud users) with their integrations
//! (API keys), sender addresses, shipping methods, parcels, returns, invoices, brands and
//! v3 orders, plus the demo data set and the bulk seeding used by benchmarks.
//!
//! Everything lives behind one `std::sync::Mutex` owned by [`super::Standin`]; the helpers in
//! this file are plain synchronous functions on `&mut State`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Parcel status id → message, the table of API-NOTES §2.7 (served by `GET /parcels/statuses`).
pub const PARCEL_STATUSES: &[(u32, &str)] = &[
    (1, "Announced"),
    (3, "En route to sorting center"),
    (4, "Delivery delayed"),
    (5, "Sorted"),
    (6, "Not sorted"),
    (7, "Being sorted"),
    (8, "Delivery attempt failed"),
    (11, "Delivered"),
    (12, "Awaiting customer pickup"),
    (13, "Announced: not collected"),
    (15, "Error collecting"),
    (22, "Shipment picked up by driver"),
    (80, "Unable to deliver"),
    (91, "Parcel en route"),
    (92, "Driver en route"),
    (93, "Shipment collected by customer"),
    (94, "Parcel cancellation failed"),
    (999, "No label"),
    (1000, "Ready to send"),
    (1001, "Being announced"),
    (1002, "Announcement failed"),
    (
        1337,
        "Unknown status - check carrier track & trace page for more insights",
    ),
    (1998, "Cancelled upstream"),
    (1999, "Cancellation requested"),
    (2000, "Cancelled"),
    (2001, "Submitting cancellation request"),
    (62989, "At Customs"),
    (62990, "At sorting centre"),
    (62991, "Refused by recipient"),
    (62992, "Returned to sender"),
    (62993, "Delivery method changed"),
    (62994, "Delivery date changed"),
    (62995, "Delivery address changed"),
    (62996, "Exception"),
    (62997, "Address invalid"),
];

/// Message of a status id ("Unknown status" for ids outside the table).
pub fn status_message(id: u32) -> &'static str {
    PARCEL_STATUSES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, m)| *m)
        .unwrap_or("Unknown status")
}

/// The next status of the happy path 1000 → 3 → 91 → 11; a queued cancellation (1999)
/// completes to 2000. `None` when the parcel does not move on its own.
pub fn next_status(id: u32) -> Option<u32> {
    match id {
        1001 => Some(1000),
        1000 | 1 => Some(3),
        3 => Some(91),
        91 => Some(11),
        1999 => Some(2000),
        _ => None,
    }
}

/// Countries the stand-in knows: ISO-2, ISO-3, English name.
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AT", "AUT", "Austria"),
    ("BE", "BEL", "Belgium"),
    ("CH", "CHE", "Switzerland"),
    ("CZ", "CZE", "Czech Republic"),
    ("DE", "DEU", "Germany"),
    ("DK", "DNK", "Denmark"),
    ("ES", "ESP", "Spain"),
    ("FR", "FRA", "France"),
    ("GB", "GBR", "United Kingdom"),
    ("IT", "ITA", "Italy"),
    ("LU", "LUX", "Luxembourg"),
    ("NL", "NLD", "Netherlands"),
    ("PL", "POL", "Poland"),
    ("SE", "SWE", "Sweden"),
    ("US", "USA", "United States"),
];

/// Looks up a country by ISO-2 code (case-insensitive).
pub fn country(iso2: &str) -> Option<(&'static str, &'static str, &'static str)> {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(iso2))
        .copied()
}

/// An integration of an account: its keys select the account on Basic auth.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Integration {
    pub id: u64,
    pub shop_name: String,
    pub shop_url: String,
    pub system: String,
    pub public_key: String,
    pub secret_key: String,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_fetch: Option<DateTime<Utc>>,
    pub last_updated_at: DateTime<Utc>,
    pub service_point_enabled: bool,
    pub service_point_carriers: Vec<String>,
    pub webhook_active: bool,
    pub webhook_url: String,
}

impl Integration {
    /// The v2 Integration object (no keys).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "shop_name": self.shop_name,
            "shop_url": self.shop_url,
            "system": self.system,
            "failing_since": self.failing_since.map(iso),
            "last_fetch": self.last_fetch.map(iso),
            "last_updated_at": iso(self.last_updated_at),
            "service_point_enabled": self.service_point_enabled,
            "service_point_carriers": self.service_point_carriers,
            "webhook_active": self.webhook_active,
            "webhook_url": self.webhook_url,
        })
    }
}

/// A sender address, stored in the exact v2 `Address` shape.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SenderAddress {
    pub id: u64,
    pub company_name: String,
    pub contact_name: String,
    pub email: String,
    pub telephone: String,
    pub street: String,
    pub house_number: String,
    pub postal_box: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub country_state: Option<String>,
    pub vat_number: String,
    pub eori_number: String,
    pub brand_id: Option<u64>,
    pub label: String,
    pub signature_full_name: String,
    pub signature_initials: String,
}

/// Price of a shipping method for one destination country.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodCountry {
    pub iso_2: String,
    pub price: f64,
    pub lead_time_hours: Option<u32>,
}

/// A shipping method (carrier product) enabled for an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShippingMethod {
    pub id: u64,
    pub name: String,
    pub carrier: String,
    pub min_weight: f64,
    pub max_weight: f64,
    pub service_point_input: String,
    /// Sender countries the method can ship from.
    pub from_countries: Vec<String>,
    pub countries: Vec<MethodCountry>,
    pub is_return: bool,
    /// Disabled methods are not listed and are rejected as "Invalid shipping method".
    pub enabled: bool,
}

impl ShippingMethod {
    /// The v2 ShippingMethod object; `to_country` restricts the `countries` list.
    pub fn to_json(&self, to_country: Option<&str>) -> Value {
        let countries: Vec<Value> = self
            .countries
            .iter()
            .filter(|c| to_country.is_none_or(|t| c.iso_2.eq_ignore_ascii_case(t)))
            .enumerate()
            .map(|(i, c)| {
                let (iso2, iso3, name) = country(&c.iso_2).unwrap_or(("XX", "XXX", "Unknown"));
                let fuel = (c.price * 0.14 / 1.14 * 100.0).round() / 100.0;
                let label = ((c.price - fuel) * 100.0).round() / 100.0;
                json!({
                    "id": i as u64 + 1,
                    "name": name,
                    "price": c.price,
                    "iso_2": iso2,
                    "iso_3": iso3,
                    "lead_time_hours": c.lead_time_hours,
                    "price_breakdown": [
                        {"type": "price_without_insurance", "label": "Label", "value": label},
                        {"type": "fuel", "label": "Fuel surcharge (14.00%)", "value": fuel}
                    ]
                })
            })
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "carrier": self.carrier,
            "min_weight": format!("{:.3}", self.min_weight),
            "max_weight": format!("{:.3}", self.max_weight),
            "service_point_input": self.service_point_input,
            "price": 0,
            "countries": countries,
        })
    }

    /// Whether the method ships to `iso2`.
    pub fn ships_to(&self, iso2: &str) -> bool {
        self.countries
            .iter()
            .any(|c| c.iso_2.eq_ignore_ascii_case(iso2))
    }
}

/// A parcel. Response JSON is rendered by `v2::parcels::answer::ParcelOut`.
#[derive(Debug, Clone)]
pub struct Parcel {
    pub id: u64,
    /// The integration whose keys created the parcel (webhooks go to it).
    pub integration_id: u64,
    pub name: String,
    pub company_name: String,
    pub street: String,
    pub house_number: String,
    pub address_2: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub to_state: Option<String>,
    pub telephone: String,
    pub email: String,
    pub to_service_point: Option<String>,
    pub to_post_number: String,
    /// (shipping method id, name, carrier code)
    pub shipment: Option<(u64, String, String)>,
    pub contract: Option<u64>,
    pub sender_address: u64,
    pub sender_country: String,
    pub weight: f64,
    pub length: Option<String>,
    pub width: Option<String>,
    pub height: Option<String>,
    pub order_number: String,
    pub external_reference: Option<String>,
    pub reference: String,
    pub shipment_uuid: Option<String>,
    pub colli_uuid: String,
    pub collo_nr: u32,
    pub collo_count: u32,
    pub is_return: bool,
    pub insured_value: u64,
    pub total_insured_value: u64,
    pub total_order_value: Option<String>,
    pub total_order_value_currency: Option<String>,
    pub parcel_items: Value,
    pub customs_information: Value,
    pub customs_invoice_nr: String,
    pub customs_shipment_type: Option<u64>,
    pub shipping_method_checkout_name: String,
    pub status: u32,
    pub tracking_number: String,
    pub date_created: DateTime<Utc>,
    pub date_updated: DateTime<Utc>,
    pub date_announced: Option<DateTime<Utc>>,
    /// The creation payload as received, merged with later `PUT /parcels` updates.
    pub input: serde_json::Map<String, Value>,
}

impl Parcel {
    /// Whether a label exists (status other than 999 "No label").
    pub fn announced(&self) -> bool {
        self.date_announced.is_some()
    }
}

/// An invoice with its items.
#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: u64,
    pub reference: String,
    pub kind: String,
    pub price_incl: f64,
    pub price_excl: f64,
    pub is_payed: bool,
    pub date: DateTime<Utc>,
    pub items: Vec<(u64, String)>,
}

/// One Sendcloud user with everything it owns.
#[derive(Debug, Default)]
pub struct Account {
    pub id: u64,
    pub name: String,
    pub integrations: BTreeMap<u64, Integration>,
    pub sender_addresses: Vec<SenderAddress>,
    pub shipping_methods: Vec<ShippingMethod>,
    pub parcels: BTreeMap<u64, Parcel>,
    /// external_reference → parcel id (uniqueness per account).
    pub external_refs: HashMap<String, u64>,
    /// Parcels whose status still advances on its own.
    pub active: BTreeSet<u64>,
    /// Returns in the v2 `Return` shape, keyed by id.
    pub returns: BTreeMap<u64, Value>,
    pub invoices: BTreeMap<u64, Invoice>,
    /// Brands in the v2 `brand` shape, keyed by id.
    pub brands: BTreeMap<u64, Value>,
    /// v3 orders in the v3 `orders-order` shape, keyed by id.
    pub orders: BTreeMap<u64, Value>,
    /// Entries of the integrations' connection issue logs (v3 `integration-log`
    /// shape with `integration_id`), oldest first.
    pub integration_logs: Vec<Value>,
}

/// Keys handed out for a new account or integration.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccountKeys {
    pub account_id: u64,
    pub integration_id: u64,
    pub public_key: String,
    pub secret_key: String,
}

/// Sizes of a bulk data set for [`State::seed_bulk`].
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct SeedSpec {
    #[serde(default)]
    pub parcels: usize,
    #[serde(default)]
    pub returns: usize,
    #[serde(default)]
    pub invoices: usize,
}

/// The whole stand-in state.
#[derive(Debug, Default)]
pub struct State {
    pub accounts: BTreeMap<u64, Account>,
    /// public key → (account id, integration id)
    pub keys: HashMap<String, (u64, u64)>,
    /// Account used by the connect page ("logged in" user).
    pub demo_account: Option<u64>,
    /// Service points handed out by searches, by id (shared by all accounts).
    pub service_points: HashMap<u64, Value>,
    next_id: u64,
}

/// ISO-8601 without fractional seconds, as used by integrations and returns.
pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// `DD-MM-YYYY HH:MM:SS`, the v2 parcel and invoice date format.
pub fn dmy(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Same as `t.format("%d-%m-%Y %H:%M:%S")`, without parsing the format on every call.
    format!(
        "{:02}-{:02}-{:04} {:02}:{:02}:{:02}",
        t.day(),
        t.month(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A DNS-label-like slug of a name: ASCII letters and digits, runs of anything else as one `-`
/// ("Demo Handel B.V." → "demo-handel-b-v"), so generated e-mail addresses are valid.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "shop".to_string()
    } else {
        out
    }
}

/// A random alphanumeric key (lowercase hex, 32 chars).
pub fn random_key() -> String {
    let bytes: [u8; 16] = rand::thread_rng().gen();
    hex::encode(bytes)
}

/// A random UUID v4 string.
pub fn random_uuid() -> String {
    let mut b: [u8; 16] = rand::thread_rng().gen();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn method(
    id: u64,
    name: &str,
    carrier: &str,
    (min, max): (f64, f64),
    service_point: bool,
    from: &[&str],
    to: &[(&str, f64)],
) -> ShippingMethod {
    ShippingMethod {
        id,
        name: name.to_string(),
        carrier: carrier.to_string(),
        min_weight: min,
        max_weight: max,
        service_point_input: if service_point { "required" } else { "none" }.to_string(),
        from_countries: from.iter().map(|s| s.to_string()).collect(),
        countries: to
            .iter()
            .map(|(c, p)| MethodCountry {
                iso_2: c.to_string(),
                price: *p,
                lead_time_hours: Some(if *c == from[0] { 24 } else { 48 }),
            })
            .collect(),
        is_return: false,
        enabled: true,
    }
}

/// The realistic default set of shipping methods every new account gets.
pub fn default_shipping_methods() -> Vec<ShippingMethod> {
    let eu = |base: f64| -> Vec<(&'static str, f64)> {
        vec![
            ("DE", base),
            ("AT", base + 3.1),
            ("NL", base + 4.2),
            ("BE", base + 4.2),
            ("FR", base + 6.5),
            ("LU", base + 4.9),
            ("DK", base + 7.0),
            ("PL", base + 6.8),
            ("CZ", base + 6.4),
            ("IT", base + 8.2),
            ("ES", base + 8.9),
            ("SE", base + 9.5),
            ("CH", base + 14.9),
        ]
    };
    let nl = |base: f64| -> Vec<(&'static str, f64)> {
        vec![
            ("NL", base),
            ("BE", base + 2.6),
            ("DE", base + 4.1),
            ("AT", base + 7.2),
            ("FR", base + 6.1),
            ("LU", base + 3.9),
        ]
    };
    let mut v = vec![
        method(
            8,
            "Unstamped letter",
            "sendcloud",
            (0.001, 2.001),
            false,
            &["NL", "DE", "AT"],
            &[("NL", 0.0), ("DE", 0.0), ("AT", 0.0)],
        ),
        method(
            1301,
            "DHL Paket 0-31.5kg",
            "dhl_de",
            (0.001, 31.501),
            false,
            &["DE"],
            &eu(4.99),
        ),
        method(
            1302,
            "DHL Paket Packstation 0-31.5kg",
            "dhl_de",
            (0.001, 31.501),
            true,
            &["DE"],
            &[("DE", 4.79)],
        ),
        method(
            1303,
            "DHL Warenpost 0-1kg",
            "dhl_de",
            (0.001, 1.001),
            false,
            &["DE"],
            &[("DE", 2.99), ("AT", 5.49)],
        ),
        method(
            1401,
            "DPD Classic 0-31.5kg",
            "dpd",
            (0.001, 31.501),
            false,
            &["DE", "AT"],
            &eu(5.45),
        ),
        method(
            1402,
            "DPD Pickup Parcelshop 0-20kg",
            "dpd",
            (0.001, 20.001),
            true,
            &["DE", "AT"],
            &[("DE", 4.35), ("AT", 6.9)],
        ),
        method(
            1501,
            "GLS Business Parcel 0-40kg",
            "gls_de",
            (0.001, 40.001),
            false,
            &["DE"],
            &eu(5.1),
        ),
        method(
            1502,
            "GLS ShopDelivery 0-20kg",
            "gls_de",
            (0.001, 20.001),
            true,
            &["DE"],
            &[("DE", 4.6)],
        ),
        method(
            1601,
            "UPS Standard 0-70kg",
            "ups",
            (0.001, 70.001),
            false,
            &["DE", "NL", "AT"],
            &{
                let mut u = eu(8.9);
                u.push(("GB", 21.5));
                u.push(("US", 39.9));
                u
            },
        ),
        method(
            1602,
            "UPS Access Point 0-20kg",
            "ups",
            (0.001, 20.001),
            true,
            &["DE", "NL"],
            &[("DE", 6.9), ("NL", 6.9), ("BE", 8.1)],
        ),
        method(
            1,
            "PostNL Standard 0-23kg",
            "postnl",
            (0.001, 23.001),
            false,
            &["NL"],
            &nl(6.95),
        ),
        method(
            2,
            "PostNL Pakketautomaat 0-23kg",
            "postnl",
            (0.001, 23.001),
            true,
            &["NL"],
            &[("NL", 6.5), ("BE", 9.1)],
        ),
        method(
            1701,
            "Post AT Paket Österreich 0-31.5kg",
            "postat",
            (0.001, 31.501),
            false,
            &["AT"],
            &[("AT", 5.2), ("DE", 9.6)],
        ),
    ];
    let mut ret = method(
        1901,
        "DHL Retoure 0-31.5kg",
        "dhl_de",
        (0.001, 31.501),
        false,
        &["DE", "AT"],
        &[("DE", 4.2), ("AT", 6.2)],
    );
    ret.is_return = true;
    v.push(ret);
    let mut ret = method(
        1902,
        "PostNL Retour 0-23kg",
        "postnl",
        (0.001, 23.001),
        false,
        &["NL"],
        &[("NL", 5.1), ("BE", 7.9)],
    );
    ret.is_return = true;
    v.push(ret);
    let mut disabled = method(
        1801,
        "DHL Express Worldwide 0-70kg",
        "dhl_express",
        (0.001, 70.001),
        false,
        &["DE", "NL", "AT"],
        &eu(29.9),
    );
    disabled.enabled = false;
    v.push(disabled);
    v
}

impl State {
    /// A fresh id, unique across the whole stand-in.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Reserve `n` consecutive ids, returns the first.
    pub fn reserve_ids(&mut self, n: u64) -> u64 {
        let first = self.next_id + 1;
        self.next_id += n;
        first
    }

    /// Creates an empty account (default shipping methods, no sender address) with one
    /// "Sendcloud API" integration, and returns its keys.
    pub fn create_account(&mut self, name: &str) -> AccountKeys {
        let id = self.next_id();
        let account = Account {
            id,
            name: name.to_string(),
            shipping_methods: default_shipping_methods(),
            ..Default::default()
        };
        self.accounts.insert(id, account);
        self.add_integration(id, "Sendcloud API", "", "api", "")
            .expect("account just created")
    }

    /// Adds an integration with fresh random keys to an account.
    pub fn add_integration(
        &mut self,
        account_id: u64,
        shop_name: &str,
        shop_url: &str,
        system: &str,
        webhook_url: &str,
    ) -> Option<AccountKeys> {
        let integration_id = self.next_id();
        let account = self.accounts.get_mut(&account_id)?;
        let public_key = random_key();
        let secret_key = random_key();
        account.integrations.insert(
            integration_id,
            Integration {
                id: integration_id,
                shop_name: shop_name.to_string(),
                shop_url: shop_url.to_string(),
                system: system.to_string(),
                public_key: public_key.clone(),
                secret_key: secret_key.clone(),
                failing_since: None,
                last_fetch: None,
                last_updated_at: Utc::now(),
                service_point_enabled: false,
                service_point_carriers: vec![],
                webhook_active: !webhook_url.is_empty(),
                webhook_url: webhook_url.to_string(),
            },
        );
        self.keys
            .insert(public_key.clone(), (account_id, integration_id));
        Some(AccountKeys {
            account_id,
            integration_id,
            public_key,
            secret_key,
        })
    }

    /// Resolves Basic-auth credentials to (account id, integration id).
    pub fn authenticate(&self, public_key: &str, secret_key: &str) -> Option<(u64, u64)> {
        let (account, integration) = *self.keys.get(public_key)?;
        let i = self
            .accounts
            .get(&account)?
            .integrations
            .get(&integration)?;
        let ok: bool =
            subtle::ConstantTimeEq::ct_eq(i.secret_key.as_bytes(), secret_key.as_bytes()).into();
        ok.then_some((account, integration))
    }

    /// Adds a sender address to an account.
    #[allow(clippy::too_many_arguments)]
    pub fn add_sender_address(
        &mut self,
        account_id: u64,
        company: &str,
        contact: &str,
        street: &str,
        house_number: &str,
        postal_code: &str,
        city: &str,
        country: &str,
    ) -> Option<u64> {
        let id = self.next_id();
        let brand_id = self
            .accounts
            .get(&account_id)?
            .brands
            .keys()
            .next()
            .copied();
        let a = self.accounts.get_mut(&account_id)?;
        a.sender_addresses.push(SenderAddress {
            id,
            company_name: company.to_string(),
            contact_name: contact.to_string(),
            email: format!("versand@{}.example", slug(company)),
            telephone: "+49301234567".to_string(),
            street: street.to_string(),
            house_number: house_number.to_string(),
            postal_box: String::new(),
            postal_code: postal_code.to_string(),
            city: city.to_string(),
            country: country.to_string(),
            country_state: None,
            vat_number: format!("{country}123456789"),
            eori_number: format!("{country}123456789000"),
            brand_id,
            label: format!("{company} {country}"),
            signature_full_name: contact.to_string(),
            signature_initials: contact
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect(),
        });
        Some(id)
    }

    /// Adds a brand to an account.
    pub fn add_brand(&mut self, account_id: u64, name: &str) -> Option<u64> {
        let id = self.next_id();
        let slug = slug(name);
        let a = self.accounts.get_mut(&account_id)?;
        a.brands.insert(
            id,
            json!({
                "id": id,
                "name": name,
                "color": "#112857",
                "secondary_color": "#112855",
                "website": format!("https://{slug}.example"),
                "overlay_logo": {},
                "screen_logo": {"url": format!("https://media.sendcloud.sc/brands/{id}/{slug}.png")},
                "print_logo": {"url": format!("https://media.sendcloud.sc/brands/{id}/{slug}.png")},
                "overlay_thumb": {},
                "screen_thumb": format!("https://media.sendcloud.sc/brands/{id}/{slug}_thumbnail.png"),
                "print_thumb": format!("https://media.sendcloud.sc/brands/{id}/{slug}_thumbnail.png"),
                "notify_reply_to_email": format!("service@{slug}.example"),
                "notify_bcc_email": format!("service@{slug}.example"),
                "domain": slug,
                "hide_powered_by": false,
                "google_analytics_id": "",
                "features": {"tracking_page": true, "tracking_email": true, "tracking_sms": false,
                             "tracking_whatsapp": false, "returns_portal": true},
                "customization_settings": {
                    "header": {"faq_url": "", "shop_url": format!("https://{slug}.example"),
                               "font_color": "#212121", "contact_url": "",
                               "homepage_url": format!("https://{slug}.example"),
                               "background_color": "#ffffff"},
                    "footer": {"city": "Berlin", "street": "Friedrichstraße", "country": "Germany",
                               "font_color": "#212121", "postal_code": "10117",
                               "phone_number": "+49301234567", "social_media": {},
                               "support_email": format!("service@{slug}.example"),
                               "background_color": "#ffffff"}
                }
            }),
        );
        Some(id)
    }

    /// The demo account: a German retailer with German, Dutch and Austrian sender addresses,
    /// a brand, a few invoices, and webhooks off. Used by the connect page.
    pub fn seed_demo_account(&mut self) -> AccountKeys {
        let keys = self.create_account("Demo Handels GmbH");
        let id = keys.account_id;
        self.add_brand(id, "Demo Handel");
        self.add_sender_address(
            id,
            "Demo Handels GmbH",
            "Erika Mustermann",
            "Friedrichstraße",
            "123",
            "10117",
            "Berlin",
            "DE",
        );
        self.add_sender_address(
            id,
            "Demo Handel B.V.",
            "Jan Jansen",
            "Stadhuisplein",
            "10",
            "5611 EM",
            "Eindhoven",
            "NL",
        );
        self.add_sender_address(
            id,
            "Demo Handel GmbH Wien",
            "Max Gruber",
            "Mariahilfer Straße",
            "45",
            "1060",
            "Wien",
            "AT",
        );
        if let Some(a) = self.accounts.get_mut(&id) {
            if let Some(i) = a.integrations.get_mut(&keys.integration_id) {
                i.shop_name = "Demo Backoffice".to_string();
                i.shop_url = "https://backoffice.demo.example".to_string();
            }
        }
        self.seed_bulk(
            id,
            SeedSpec {
                parcels: 0,
                returns: 0,
                invoices: 3,
            },
        );
        self.demo_account = Some(id);
        keys
    }

    /// Generates a large data set in memory (no HTTP): parcels with mixed statuses and
    /// dates over the last 90 days, returns referring to delivered parcels, invoices.
    pub fn seed_bulk(&mut self, account_id: u64, spec: SeedSpec) -> bool {
        if !self.accounts.contains_key(&account_id) {
            return false;
        }
        let first_parcel = self.reserve_ids(spec.parcels as u64);
        let first_return = self.reserve_ids(spec.returns as u64);
        let first_invoice = self.reserve_ids(spec.invoices as u64);
        let Some(a) = self.accounts.get_mut(&account_id) else {
            return false;
        };
        let integration_id = a.integrations.keys().next().copied().unwrap_or(0);
        let (sender_id, sender_country) = a
            .sender_addresses
            .first()
            .map(|s| (s.id, s.country.clone()))
            .unwrap_or((0, "DE".to_string()));
        let method = a
            .shipping_methods
            .iter()
            .find(|m| m.enabled && m.from_countries.contains(&sender_country) && !m.is_return)
            .map(|m| (m.id, m.name.clone(), m.carrier.clone()));
        let now = Utc::now();
        let mut rng = rand::thread_rng();
        const NAMES: &[&str] = &[
            "Anna Schmidt",
            "Lukas Müller",
            "Sophie de Vries",
            "Jonas Weber",
            "Mia Huber",
            "Finn Bakker",
        ];
        const STREETS: &[(&str, &str, &str, &str)] = &[
            ("Hauptstraße", "10115", "Berlin", "DE"),
            ("Bahnhofstraße", "80335", "München", "DE"),
            ("Kerkstraat", "1017 GA", "Amsterdam", "NL"),
            ("Landstraßer Hauptstraße", "1030", "Wien", "AT"),
            ("Schillerstraße", "50667", "Köln", "DE"),
        ];
        let total = spec.parcels.max(1) as i64;
        for i in 0..spec.parcels {
            let id = first_parcel + i as u64;
            // Older parcels first, so ids and dates grow together.
            let age = ChronoDuration::seconds((total - i as i64) * 90 * 86400 / total);
            let created = now - age;
            let status = match rng.gen_range(0..100) {
                0..=59 => 11,
                60..=69 => 91,
                70..=77 => 3,
                78..=87 => 1000,
                88..=93 => 999,
                _ => 2000,
            };
            let (street, pc, city, country) = STREETS[i % STREETS.len()];
            let announced = status != 999;
            let reference = format!("SEED-{account_id}-{}", i + 1);
            let p = Parcel {
                id,
                integration_id,
                name: NAMES[i % NAMES.len()].to_string(),
                company_name: String::new(),
                street: street.to_string(),
                house_number: ((i % 120) + 1).to_string(),
                address_2: String::new(),
                city: city.to_string(),
                postal_code: pc.to_string(),
                country: country.to_string(),
                to_state: None,
                telephone: String::new(),
                email: format!("kunde{}@example.com", i + 1),
                to_service_point: None,
                to_post_number: String::new(),
                shipment: method.clone(),
                contract: None,
                sender_address: sender_id,
                sender_country: sender_country.clone(),
                weight: 0.5 + (i % 40) as f64 * 0.25,
                length: None,
                width: None,
                height: None,
                order_number: format!("B{:08}", i + 1),
                external_reference: Some(reference.clone()),
                reference: "0".to_string(),
                shipment_uuid: None,
                colli_uuid: random_uuid(),
                collo_nr: 0,
                collo_count: 1,
                is_return: false,
                insured_value: 0,
                total_insured_value: 0,
                total_order_value: Some(format!("{}.{:02}", 10 + i % 90, i % 100)),
                total_order_value_currency: Some("EUR".to_string()),
                parcel_items: json!([]),
                customs_information: Value::Null,
                customs_invoice_nr: String::new(),
                customs_shipment_type: None,
                shipping_method_checkout_name: String::new(),
                status,
                tracking_number: if announced {
                    format!("JJD{:018}", id)
                } else {
                    String::new()
                },
                date_created: created,
                date_updated: created + ChronoDuration::hours(if announced { 30 } else { 0 }),
                date_announced: announced.then(|| created + ChronoDuration::minutes(5)),
                input: serde_json::Map::new(),
            };
            if next_status(status).is_some() {
                a.active.insert(id);
            }
            a.external_refs.insert(reference, id);
            a.parcels.insert(id, p);
        }
        let delivered: Vec<u64> = a
            .parcels
            .values()
            .filter(|p| p.status == 11)
            .map(|p| p.id)
            .take(spec.returns.max(1) * 2)
            .collect();
        for i in 0..spec.returns {
            let id = first_return + i as u64;
            let outgoing = delivered.get(i % delivered.len().max(1)).copied();
            let created = now - ChronoDuration::seconds(((spec.returns - i) as i64) * 3600);
            a.returns.insert(
                id,
                return_json(id, outgoing, None, created, 1, "Passt nicht"),
            );
        }
        for i in 0..spec.invoices {
            let id = first_invoice + i as u64;
            let date = now - ChronoDuration::days(((spec.invoices - i) * 7) as i64);
            let price_excl = ((100 + (i * 37) % 900) as f64) + 0.5;
            a.invoices.insert(
                id,
                Invoice {
                    id,
                    reference: format!("EU-CENTRAL-1-0-{}-DE{:07}", date.format("%y"), id),
                    kind: "periodic".to_string(),
                    price_incl: (price_excl * 1.19 * 100.0).round() / 100.0,
                    price_excl,
                    is_payed: i + 1 < spec.invoices,
                    date,
                    items: vec![
                        (id * 10 + 1, "DHL Paket 0-31.5kg".to_string()),
                        (id * 10 + 2, "Insurance".to_string()),
                        (id * 10 + 3, "Credit requested for label".to_string()),
                    ],
                },
            );
        }
        true
    }
}

/// A v2 `Return` object.
pub fn return_json(
    id: u64,
    outgoing: Option<u64>,
    incoming: Option<u64>,
    created: DateTime<Utc>,
    reason: u64,
    message: &str,
) -> Value {
    json!({
        "id": id,
        "created_at": iso(created),
        "reason": reason,
        "outgoing_parcel": outgoing,
        "incoming_parcel": incoming,
        "message": message,
        "refund": {
            "total_refund": "0.00",
            "refunded_at": null,
            "message": "",
            "refund_type": {"code": "money", "label": "Money back", "require_message": false}
        },
        "is_cancellable": true,
        "return_fee": 0.0,
        "return_fee_currency": "EUR",
        "label_cost": 4.2,
        "label_currency": "EUR",
        "items_cost": 0.0,
        "delivered_at": null,
        "delivery_option": "drop_off_point",
        "store_location": null,
        "images": [],
        "rule_modifications": [],
        "outgoing_parcel_data": null,
        "incoming_parcel_data": null,
        "incoming_parcel_status": {"id": 1000, "message": "Ready to send", "global_status_slug": "ready-to-send"}
    })
}
