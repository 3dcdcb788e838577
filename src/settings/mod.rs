//! Per-company settings: the "Konfiguration" tab of the Sendcloud module
//! (MISSION rows 8–12 and the Abgleich intervals of row 5).
//!
//! One row per company in `sendcloud_settings`; a company without a row uses
//! the defaults of the manifest (`plugin.toml`: `[settings]` and the
//! `[[jobs]]` intervals `sync.<object>`). What a user sends from the admin
//! page is checked by [`validate`] (pure, no database) and stored by [`save`]
//! together with one action-log row naming the changed fields; [`apply`] does
//! both for the web layer, including the checks that need the database (the
//! default shipping method must be one of the company's synced methods).
//!
//! Values read from the database are parsed leniently: a value this version
//! does not understand falls back to the manifest default instead of failing
//! the page, so an old or hand-edited row never locks a company out.

mod countries;
mod form;

pub use countries::is_iso_country;
pub use form::{interval_field_name, mapping_field_name, validate, FieldError, SettingsForm};

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::actionlog::{self, Action, Direction};
use crate::config::Manifest;
use crate::db::schema::sendcloud_settings as ss;
use crate::db::schema::sendcloud_shipping_methods as sm;
use crate::db::{DbConn, DbError, DbResult};

/// The action-log action of a save.
pub const ACTION_SAVE: &str = "settings.save";
/// Longest Abgleich interval a user may set: one week, in minutes.
pub const MAX_INTERVAL_MINUTES: u32 = 10_080;
/// Shortest and longest log retention, in days.
pub const RETENTION_DAYS: std::ops::RangeInclusive<i32> = 1..=365;

/// How the recipient of a shipment is taken from the host's customer data
/// (MISSION row 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerMapping {
    /// Account data when the contact is empty or has the account's name,
    /// otherwise the contact's data with the account name as company name.
    Dynamic,
    /// Each recipient field from the host field the user picked.
    Manual,
}

impl CustomerMapping {
    pub const ALL: [CustomerMapping; 2] = [CustomerMapping::Dynamic, CustomerMapping::Manual];

    pub fn as_str(&self) -> &'static str {
        match self {
            CustomerMapping::Dynamic => "dynamic",
            CustomerMapping::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<CustomerMapping> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Translation id of the UI label.
    pub fn label_id(&self) -> &'static str {
        match self {
            CustomerMapping::Dynamic => "settings-mapping-dynamic",
            CustomerMapping::Manual => "settings-mapping-manual",
        }
    }
}

/// Sendcloud's customs shipment type (0–4), the default for customs
/// declarations (MISSION row 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentType {
    Gift = 0,
    Documents = 1,
    CommercialGoods = 2,
    CommercialSample = 3,
    ReturnedGoods = 4,
}

impl ShipmentType {
    pub const ALL: [ShipmentType; 5] = [
        ShipmentType::Gift,
        ShipmentType::Documents,
        ShipmentType::CommercialGoods,
        ShipmentType::CommercialSample,
        ShipmentType::ReturnedGoods,
    ];

    /// The number Sendcloud expects (`customs_shipment_type`).
    pub fn code(&self) -> i32 {
        *self as i32
    }

    pub fn from_code(code: i32) -> Option<ShipmentType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Translation id of the UI label (German: Geschenk, Dokumente,
    /// Handelswaren, Warenmuster, Rücksendung).
    pub fn label_id(&self) -> &'static str {
        match self {
            ShipmentType::Gift => "shipment-type-0",
            ShipmentType::Documents => "shipment-type-1",
            ShipmentType::CommercialGoods => "shipment-type-2",
            ShipmentType::CommercialSample => "shipment-type-3",
            ShipmentType::ReturnedGoods => "shipment-type-4",
        }
    }
}

/// The sales-order text field that holds the service point id (MISSION row 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServicePointField {
    ServicePointRef,
    YourRef,
    Remarks,
}

impl ServicePointField {
    pub const ALL: [ServicePointField; 3] = [
        ServicePointField::ServicePointRef,
        ServicePointField::YourRef,
        ServicePointField::Remarks,
    ];

    /// The column of `sales_orders` in the host's reference schema.
    pub fn as_str(&self) -> &'static str {
        match self {
            ServicePointField::ServicePointRef => "service_point_ref",
            ServicePointField::YourRef => "your_ref",
            ServicePointField::Remarks => "remarks",
        }
    }

    pub fn parse(s: &str) -> Option<ServicePointField> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            ServicePointField::ServicePointRef => "order-field-service-point-ref",
            ServicePointField::YourRef => "order-field-your-ref",
            ServicePointField::Remarks => "order-field-remarks",
        }
    }
}

/// A host field that can feed a recipient field in manual mapping. "Account"
/// is the customer (Debitor), "contact" the order's contact person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    AccountName,
    ContactName,
    AccountEmail,
    ContactEmail,
    AccountPhone,
    ContactPhone,
    AccountAddress,
    ContactAddress,
    /// Send nothing for this field.
    None,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::AccountName,
        Source::ContactName,
        Source::AccountEmail,
        Source::ContactEmail,
        Source::AccountPhone,
        Source::ContactPhone,
        Source::AccountAddress,
        Source::ContactAddress,
        Source::None,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Source::AccountName => "account_name",
            Source::ContactName => "contact_name",
            Source::AccountEmail => "account_email",
            Source::ContactEmail => "contact_email",
            Source::AccountPhone => "account_phone",
            Source::ContactPhone => "contact_phone",
            Source::AccountAddress => "account_address",
            Source::ContactAddress => "contact_address",
            Source::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            Source::AccountName => "source-account-name",
            Source::ContactName => "source-contact-name",
            Source::AccountEmail => "source-account-email",
            Source::ContactEmail => "source-contact-email",
            Source::AccountPhone => "source-account-phone",
            Source::ContactPhone => "source-contact-phone",
            Source::AccountAddress => "source-account-address",
            Source::ContactAddress => "source-contact-address",
            Source::None => "source-none",
        }
    }
}

/// A recipient field of manual mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappedField {
    Name,
    CompanyName,
    Email,
    Phone,
    Address,
}

impl MappedField {
    pub const ALL: [MappedField; 5] = [
        MappedField::Name,
        MappedField::CompanyName,
        MappedField::Email,
        MappedField::Phone,
        MappedField::Address,
    ];

    /// Key in the stored JSON and suffix of the form field (`map_<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            MappedField::Name => "name",
            MappedField::CompanyName => "company_name",
            MappedField::Email => "email",
            MappedField::Phone => "phone",
            MappedField::Address => "address",
        }
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            MappedField::Name => "mapped-name",
            MappedField::CompanyName => "mapped-company-name",
            MappedField::Email => "mapped-email",
            MappedField::Phone => "mapped-phone",
            MappedField::Address => "mapped-address",
        }
    }

    /// The host fields that make sense for this recipient field. A name and
    /// an address are required by Sendcloud, so they cannot be "none".
    pub fn sources(&self) -> &'static [Source] {
        match self {
            MappedField::Name => &[Source::ContactName, Source::AccountName],
            MappedField::CompanyName => &[Source::AccountName, Source::ContactName, Source::None],
            MappedField::Email => &[Source::ContactEmail, Source::AccountEmail, Source::None],
            MappedField::Phone => &[Source::ContactPhone, Source::AccountPhone, Source::None],
            MappedField::Address => &[Source::AccountAddress, Source::ContactAddress],
        }
    }

    /// The source used when nothing (valid) was chosen: the first of
    /// [`MappedField::sources`].
    pub fn default_source(&self) -> Source {
        self.sources()[0]
    }
}

/// Manual customer-data mapping: which host field feeds each recipient field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualMapping {
    pub name: Source,
    pub company_name: Source,
    pub email: Source,
    pub phone: Source,
    pub address: Source,
}

impl Default for ManualMapping {
    fn default() -> Self {
        ManualMapping {
            name: MappedField::Name.default_source(),
            company_name: MappedField::CompanyName.default_source(),
            email: MappedField::Email.default_source(),
            phone: MappedField::Phone.default_source(),
            address: MappedField::Address.default_source(),
        }
    }
}

impl ManualMapping {
    pub fn get(&self, field: MappedField) -> Source {
        match field {
            MappedField::Name => self.name,
            MappedField::CompanyName => self.company_name,
            MappedField::Email => self.email,
            MappedField::Phone => self.phone,
            MappedField::Address => self.address,
        }
    }

    pub fn set(&mut self, field: MappedField, source: Source) {
        match field {
            MappedField::Name => self.name = source,
            MappedField::CompanyName => self.company_name = source,
            MappedField::Email => self.email = source,
            MappedField::Phone => self.phone = source,
            MappedField::Address => self.address = source,
        }
    }

    /// The stored form: `{"name":"contact_name",…}`.
    pub fn to_json(&self) -> String {
        let map: Map<String, Value> = MappedField::ALL
            .iter()
            .map(|f| (f.key().to_string(), Value::from(self.get(*f).as_str())))
            .collect();
        Value::Object(map).to_string()
    }

    /// Parse the stored form; unknown or unsuitable sources fall back to the
    /// field's default.
    pub fn from_json(text: &str) -> ManualMapping {
        let map = json_object(text);
        let mut m = ManualMapping::default();
        for f in MappedField::ALL {
            if let Some(s) = map
                .get(f.key())
                .and_then(Value::as_str)
                .and_then(Source::parse)
                .filter(|s| f.sources().contains(s))
            {
                m.set(f, s);
            }
        }
        m
    }
}

/// An object type of the Abgleich with its own interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncObject {
    SenderAddresses,
    ShippingMethods,
    ParcelStatuses,
    Parcels,
    Returns,
    Invoices,
    Brands,
}

impl SyncObject {
    pub const ALL: [SyncObject; 7] = [
        SyncObject::SenderAddresses,
        SyncObject::ShippingMethods,
        SyncObject::ParcelStatuses,
        SyncObject::Parcels,
        SyncObject::Returns,
        SyncObject::Invoices,
        SyncObject::Brands,
    ];

    /// Key in the stored JSON and suffix of the form field (`interval_<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            SyncObject::SenderAddresses => "sender_addresses",
            SyncObject::ShippingMethods => "shipping_methods",
            SyncObject::ParcelStatuses => "parcel_statuses",
            SyncObject::Parcels => "parcels",
            SyncObject::Returns => "returns",
            SyncObject::Invoices => "invoices",
            SyncObject::Brands => "brands",
        }
    }

    /// The manifest job (`[[jobs]]`) that holds the default interval.
    pub fn job_id(&self) -> String {
        format!("sync.{}", self.key())
    }

    pub fn label_id(&self) -> &'static str {
        match self {
            SyncObject::SenderAddresses => "sync-sender-addresses",
            SyncObject::ShippingMethods => "sync-shipping-methods",
            SyncObject::ParcelStatuses => "sync-parcel-statuses",
            SyncObject::Parcels => "sync-parcels",
            SyncObject::Returns => "sync-returns",
            SyncObject::Invoices => "sync-invoices",
            SyncObject::Brands => "sync-brands",
        }
    }
}

/// Abgleich intervals per object type in minutes; 0 = no automatic Abgleich.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncIntervals {
    pub sender_addresses: u32,
    pub shipping_methods: u32,
    pub parcel_statuses: u32,
    pub parcels: u32,
    pub returns: u32,
    pub invoices: u32,
    pub brands: u32,
}

impl SyncIntervals {
    /// The intervals of the manifest's `sync.<object>` jobs (0 where a job
    /// is missing, capped at [`MAX_INTERVAL_MINUTES`]).
    pub fn from_manifest(manifest: &Manifest) -> SyncIntervals {
        let mut s = SyncIntervals {
            sender_addresses: 0,
            shipping_methods: 0,
            parcel_statuses: 0,
            parcels: 0,
            returns: 0,
            invoices: 0,
            brands: 0,
        };
        for o in SyncObject::ALL {
            let minutes = manifest.job_interval(&o.job_id()).unwrap_or(0);
            s.set(o, minutes.min(MAX_INTERVAL_MINUTES));
        }
        s
    }

    pub fn get(&self, object: SyncObject) -> u32 {
        match object {
            SyncObject::SenderAddresses => self.sender_addresses,
            SyncObject::ShippingMethods => self.shipping_methods,
            SyncObject::ParcelStatuses => self.parcel_statuses,
            SyncObject::Parcels => self.parcels,
            SyncObject::Returns => self.returns,
            SyncObject::Invoices => self.invoices,
            SyncObject::Brands => self.brands,
        }
    }

    pub fn set(&mut self, object: SyncObject, minutes: u32) {
        match object {
            SyncObject::SenderAddresses => self.sender_addresses = minutes,
            SyncObject::ShippingMethods => self.shipping_methods = minutes,
            SyncObject::ParcelStatuses => self.parcel_statuses = minutes,
            SyncObject::Parcels => self.parcels = minutes,
            SyncObject::Returns => self.returns = minutes,
            SyncObject::Invoices => self.invoices = minutes,
            SyncObject::Brands => self.brands = minutes,
        }
    }

    /// The stored form: `{"sender_addresses":1440,…}`.
    pub fn to_json(&self) -> String {
        let map: Map<String, Value> = SyncObject::ALL
            .iter()
            .map(|o| (o.key().to_string(), Value::from(self.get(*o))))
            .collect();
        Value::Object(map).to_string()
    }

    /// Parse the stored form over `defaults`: missing or out-of-range values
    /// keep the default.
    pub fn from_json(text: &str, defaults: SyncIntervals) -> SyncIntervals {
        let map = json_object(text);
        let mut s = defaults;
        for o in SyncObject::ALL {
            if let Some(m) = map
                .get(o.key())
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok())
                .filter(|m| *m <= MAX_INTERVAL_MINUTES)
            {
                s.set(o, m);
            }
        }
        s
    }
}

/// The settings of one company, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanySettings {
    /// Create the label as soon as a goods delivery is created (row 8).
    pub auto_create_label: bool,
    /// Send orders with a service point id to that service point (row 11).
    pub service_point_enabled: bool,
    /// The sales-order field holding the service point id.
    pub service_point_field: ServicePointField,
    /// Default customs shipment type (row 12).
    pub customs_shipment_type: ShipmentType,
    /// Default country of origin, ISO 3166-1 alpha-2, upper case.
    pub customs_origin_country: String,
    /// Default HS code: 6–10 digits, or empty for none.
    pub customs_hs_code: String,
    /// Product attribute key that holds a product's HS code.
    pub hs_code_attribute: String,
    /// Product attribute key that holds a product's country of origin.
    pub origin_attribute: String,
    /// Dynamic or manual customer-data mapping (row 10).
    pub customer_mapping: CustomerMapping,
    /// The sources used when `customer_mapping` is manual (kept when
    /// dynamic, so that switching back restores them).
    pub manual_mapping: ManualMapping,
    /// Automatic Abgleich per object type (row 5).
    pub sync_intervals: SyncIntervals,
    /// Sendcloud id of the default shipping method, if any.
    pub default_shipping_method: Option<i64>,
    /// Days the action log and other logs are kept (row 16).
    pub log_retention_days: i32,
}

impl CompanySettings {
    /// The settings of a company that never saved any: the manifest's
    /// `[settings]` and `[[jobs]]` (values it cannot parse fall back to safe
    /// built-in ones; `Manifest::parse` already refuses most of them).
    pub fn defaults(manifest: &Manifest) -> CompanySettings {
        let d = &manifest.settings;
        CompanySettings {
            auto_create_label: d.auto_create_label,
            service_point_enabled: d.service_point_enabled,
            service_point_field: ServicePointField::parse(d.service_point_field.trim())
                .unwrap_or(ServicePointField::ServicePointRef),
            customs_shipment_type: ShipmentType::from_code(d.customs_shipment_type)
                .unwrap_or(ShipmentType::CommercialGoods),
            customs_origin_country: d.customs_origin_country.trim().to_ascii_uppercase(),
            customs_hs_code: d.customs_hs_code.trim().to_string(),
            hs_code_attribute: d.hs_code_attribute.trim().to_string(),
            origin_attribute: d.origin_attribute.trim().to_string(),
            customer_mapping: CustomerMapping::parse(d.customer_mapping.trim())
                .unwrap_or(CustomerMapping::Dynamic),
            manual_mapping: ManualMapping::default(),
            sync_intervals: SyncIntervals::from_manifest(manifest),
            default_shipping_method: d
                .default_shipping_method
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0),
            log_retention_days: d
                .log_retention_days
                .clamp(*RETENTION_DAYS.start(), *RETENTION_DAYS.end()),
        }
    }

    /// The names of the fields that differ between `self` and `other`, in
    /// form order; nested values name the part (`sync_intervals.parcels`,
    /// `manual_mapping.email`).
    pub fn changed_fields(&self, other: &CompanySettings) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        let mut diff = |name: &str, differs: bool| {
            if differs {
                out.push(name.to_string());
            }
        };
        diff(
            "auto_create_label",
            self.auto_create_label != other.auto_create_label,
        );
        diff(
            "service_point_enabled",
            self.service_point_enabled != other.service_point_enabled,
        );
        diff(
            "service_point_field",
            self.service_point_field != other.service_point_field,
        );
        diff(
            "customs_shipment_type",
            self.customs_shipment_type != other.customs_shipment_type,
        );
        diff(
            "customs_origin_country",
            self.customs_origin_country != other.customs_origin_country,
        );
        diff(
            "customs_hs_code",
            self.customs_hs_code != other.customs_hs_code,
        );
        diff(
            "hs_code_attribute",
            self.hs_code_attribute != other.hs_code_attribute,
        );
        diff(
            "origin_attribute",
            self.origin_attribute != other.origin_attribute,
        );
        diff(
            "customer_mapping",
            self.customer_mapping != other.customer_mapping,
        );
        for f in MappedField::ALL {
            diff(
                &format!("manual_mapping.{}", f.key()),
                self.manual_mapping.get(f) != other.manual_mapping.get(f),
            );
        }
        for o in SyncObject::ALL {
            diff(
                &format!("sync_intervals.{}", o.key()),
                self.sync_intervals.get(o) != other.sync_intervals.get(o),
            );
        }
        diff(
            "default_shipping_method",
            self.default_shipping_method != other.default_shipping_method,
        );
        diff(
            "log_retention_days",
            self.log_retention_days != other.log_retention_days,
        );
        out
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ss)]
struct SettingsRow {
    auto_create_label: bool,
    service_point_enabled: bool,
    service_point_field: String,
    customs_shipment_type: i32,
    customs_origin_country: String,
    customs_hs_code: String,
    hs_code_attribute: String,
    origin_attribute: String,
    customer_mapping: String,
    manual_mapping: String,
    sync_intervals: String,
    default_shipping_method: Option<i64>,
    log_retention_days: i32,
}

impl SettingsRow {
    fn into_settings(self, defaults: CompanySettings) -> CompanySettings {
        let text_or = |v: String, d: String| {
            let v = v.trim().to_string();
            if v.is_empty() {
                d
            } else {
                v
            }
        };
        CompanySettings {
            auto_create_label: self.auto_create_label,
            service_point_enabled: self.service_point_enabled,
            service_point_field: ServicePointField::parse(&self.service_point_field)
                .unwrap_or(defaults.service_point_field),
            customs_shipment_type: ShipmentType::from_code(self.customs_shipment_type)
                .unwrap_or(defaults.customs_shipment_type),
            customs_origin_country: if is_iso_country(&self.customs_origin_country) {
                self.customs_origin_country
            } else {
                defaults.customs_origin_country
            },
            customs_hs_code: self.customs_hs_code,
            hs_code_attribute: text_or(self.hs_code_attribute, defaults.hs_code_attribute),
            origin_attribute: text_or(self.origin_attribute, defaults.origin_attribute),
            customer_mapping: CustomerMapping::parse(&self.customer_mapping)
                .unwrap_or(defaults.customer_mapping),
            manual_mapping: ManualMapping::from_json(&self.manual_mapping),
            sync_intervals: SyncIntervals::from_json(&self.sync_intervals, defaults.sync_intervals),
            default_shipping_method: self.default_shipping_method,
            log_retention_days: if RETENTION_DAYS.contains(&self.log_retention_days) {
                self.log_retention_days
            } else {
                defaults.log_retention_days
            },
        }
    }
}

/// The settings of a company: its saved row, or the manifest's defaults when
/// it never saved any.
pub fn load(conn: &mut DbConn, company_id: i64, manifest: &Manifest) -> DbResult<CompanySettings> {
    let defaults = CompanySettings::defaults(manifest);
    let row = ss::table
        .filter(ss::company_id.eq(company_id))
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => row.into_settings(defaults),
        None => defaults,
    })
}

/// Has the company saved its settings at least once?
pub fn is_saved(conn: &mut DbConn, company_id: i64) -> DbResult<bool> {
    let n: i64 = ss::table
        .filter(ss::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Store a company's settings (insert or update) and record the save in the
/// action log (direction internal, action `settings.save`, the user, the
/// changed fields), in one transaction. Returns the changed fields, compared
/// with what was in force before (the manifest defaults for a first save).
///
/// `settings` must come from [`validate`]; this function does not check it
/// again. When two first saves of a company race, the loser's insert hits
/// the primary key; it is retried once and then updates the winner's row.
pub fn save(
    conn: &mut DbConn,
    company_id: i64,
    settings: &CompanySettings,
    user: &str,
    manifest: &Manifest,
) -> DbResult<Vec<String>> {
    match save_once(conn, company_id, settings, user, manifest) {
        Err(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => save_once(conn, company_id, settings, user, manifest),
        other => other,
    }
}

fn save_once(
    conn: &mut DbConn,
    company_id: i64,
    settings: &CompanySettings,
    user: &str,
    manifest: &Manifest,
) -> DbResult<Vec<String>> {
    conn.write_transaction::<_, DbError, _>(|conn| {
        let before = load(conn, company_id, manifest)?;
        let changed = settings.changed_fields(&before);
        let now = Utc::now().naive_utc();
        let manual = settings.manual_mapping.to_json();
        let intervals = settings.sync_intervals.to_json();
        let values = (
            ss::auto_create_label.eq(settings.auto_create_label),
            ss::service_point_enabled.eq(settings.service_point_enabled),
            ss::service_point_field.eq(settings.service_point_field.as_str()),
            ss::customs_shipment_type.eq(settings.customs_shipment_type.code()),
            ss::customs_origin_country.eq(&settings.customs_origin_country),
            ss::customs_hs_code.eq(&settings.customs_hs_code),
            ss::hs_code_attribute.eq(&settings.hs_code_attribute),
            ss::origin_attribute.eq(&settings.origin_attribute),
            ss::customer_mapping.eq(settings.customer_mapping.as_str()),
            ss::manual_mapping.eq(&manual),
            ss::sync_intervals.eq(&intervals),
            ss::default_shipping_method.eq(settings.default_shipping_method),
            ss::log_retention_days.eq(settings.log_retention_days),
            ss::updated_at.eq(now),
        );
        let updated = diesel::update(ss::table.filter(ss::company_id.eq(company_id)))
            .set(values)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(ss::table)
                .values((ss::company_id.eq(company_id), values))
                .execute(conn)?;
        }
        let message = if changed.is_empty() {
            "Einstellungen gespeichert; keine Änderungen".to_string()
        } else {
            format!(
                "Einstellungen gespeichert; geändert: {}",
                changed.join(", ")
            )
        };
        actionlog::record(
            conn,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Internal,
                action: ACTION_SAVE,
                target: "Einstellungen",
                ok: true,
                status_code: None,
                message: &message,
                user_name: Some(user),
            },
        )?;
        Ok(changed)
    })
}

/// A synced Sendcloud shipping method a company can pick as its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodChoice {
    /// Sendcloud's id of the method (what `default_shipping_method` holds).
    pub id: i64,
    pub name: String,
    pub carrier: String,
}

/// The active synced shipping methods of a company, by carrier and name
/// (empty before the first Abgleich of shipping methods).
pub fn shipping_method_choices(conn: &mut DbConn, company_id: i64) -> DbResult<Vec<MethodChoice>> {
    let rows: Vec<(i64, String, String)> = sm::table
        .filter(sm::company_id.eq(company_id))
        .filter(sm::active.eq(true))
        .order((sm::carrier.asc(), sm::name.asc(), sm::sendcloud_id.asc()))
        .select((sm::sendcloud_id, sm::name, sm::carrier))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, carrier)| MethodChoice { id, name, carrier })
        .collect())
}

/// Is `method_id` one of the company's synced methods?
fn is_synced_method(conn: &mut DbConn, company_id: i64, method_id: i64) -> DbResult<bool> {
    let n: i64 = sm::table
        .filter(sm::company_id.eq(company_id))
        .filter(sm::sendcloud_id.eq(method_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// What happened to a submitted settings form.
#[derive(Debug)]
pub enum Outcome {
    /// Stored; the changed fields.
    Saved(Vec<String>),
    /// Refused; nothing stored.
    Invalid(Vec<FieldError>),
}

/// Check a submitted form (including the checks that need the database) and
/// store it when valid: what the admin page calls.
///
/// The default shipping method must be one of the company's synced methods,
/// or the one already stored (so that a method that is no longer synced does
/// not block saving the other settings).
pub fn apply(
    conn: &mut DbConn,
    company_id: i64,
    form: &SettingsForm,
    user: &str,
    manifest: &Manifest,
) -> DbResult<Outcome> {
    let settings = match validate(form) {
        Ok(s) => s,
        Err(errors) => return Ok(Outcome::Invalid(errors)),
    };
    if let Some(id) = settings.default_shipping_method {
        let current = load(conn, company_id, manifest)?.default_shipping_method;
        if current != Some(id) && !is_synced_method(conn, company_id, id)? {
            return Ok(Outcome::Invalid(vec![FieldError::new(
                "default_shipping_method",
                "settings-error-method-unknown",
            )]));
        }
    }
    Ok(Outcome::Saved(save(
        conn, company_id, &settings, user, manifest,
    )?))
}

/// A JSON object from stored text; anything else is an empty object.
fn json_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::parse(crate::config::EMBEDDED_MANIFEST, "built in").expect("manifest")
    }

    #[test]
    fn defaults_come_from_the_manifest() {
        let d = CompanySettings::defaults(&manifest());
        assert!(!d.auto_create_label);
        assert_eq!(d.service_point_field, ServicePointField::ServicePointRef);
        assert_eq!(d.customs_shipment_type, ShipmentType::CommercialGoods);
        assert_eq!(d.customs_origin_country, "DE");
        assert_eq!(d.customer_mapping, CustomerMapping::Dynamic);
        assert_eq!(d.sync_intervals.parcels, 15);
        assert_eq!(d.sync_intervals.returns, 60);
        assert_eq!(d.sync_intervals.brands, 1440);
        assert_eq!(d.default_shipping_method, None);
        assert_eq!(d.log_retention_days, 7);
    }

    #[test]
    fn json_round_trips_and_tolerates_garbage() {
        let m = ManualMapping {
            email: Source::AccountEmail,
            company_name: Source::None,
            ..ManualMapping::default()
        };
        assert_eq!(ManualMapping::from_json(&m.to_json()), m);
        // A source that does not fit the field, and broken JSON: defaults.
        let odd = ManualMapping::from_json(r#"{"name":"none","email":"account_phone"}"#);
        assert_eq!(odd, ManualMapping::default());
        assert_eq!(
            ManualMapping::from_json("not json"),
            ManualMapping::default()
        );

        let d = SyncIntervals::from_manifest(&manifest());
        let mut s = d;
        s.parcels = 0;
        s.invoices = 10_080;
        assert_eq!(SyncIntervals::from_json(&s.to_json(), d), s);
        let partial = SyncIntervals::from_json(r#"{"parcels":5,"returns":-1,"brands":99999}"#, d);
        assert_eq!(partial.parcels, 5);
        assert_eq!(partial.returns, d.returns);
        assert_eq!(partial.brands, d.brands);
    }

    #[test]
    fn changed_fields_name_the_parts() {
        let a = CompanySettings::defaults(&manifest());
        let mut b = a.clone();
        assert!(a.changed_fields(&b).is_empty());
        b.auto_create_label = true;
        b.sync_intervals.parcels = 30;
        b.manual_mapping.phone = Source::None;
        assert_eq!(
            b.changed_fields(&a),
            vec![
                "auto_create_label",
                "manual_mapping.phone",
                "sync_intervals.parcels"
            ]
        );
    }
}
