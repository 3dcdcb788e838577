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
pub mod intervals;
pub mod order_push;
mod values;

pub use countries::{country_codes, is_iso_country};
pub use form::{interval_field_name, mapping_field_name, validate, FieldError, SettingsForm};
pub use intervals::SyncIntervals;
pub use order_push::{HoldField, OrderHold, OrderPush};
pub use values::{
    CustomerMapping, ManualMapping, MappedField, ServicePointField, ShipmentType, Source,
};

use chrono::Utc;
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::actionlog::{self, Action, Direction};
use crate::config::Manifest;
use crate::db::schema::sendcloud_settings as ss;
use crate::db::schema::sendcloud_shipping_methods as sm;
use crate::db::{DbConn, DbError, DbResult};
use crate::sync::SyncObject;

/// The action-log action of a save.
pub const ACTION_SAVE: &str = "settings.save";
/// Longest Abgleich interval a user may set: one week, in minutes.
pub const MAX_INTERVAL_MINUTES: u32 = 10_080;
/// Shortest and longest log retention, in days.
pub const RETENTION_DAYS: std::ops::RangeInclusive<i32> = 1..=365;
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
    /// The scheduled order push and what holds an order back.
    pub order_push: OrderPush,
    /// Write label failures to Sendcloud's integration log too (the
    /// connection issue log of the company's integration), besides the Logs.
    pub integration_log: bool,
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
            sync_intervals: intervals::from_manifest(manifest),
            default_shipping_method: d
                .default_shipping_method
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0),
            log_retention_days: d
                .log_retention_days
                .clamp(*RETENTION_DAYS.start(), *RETENTION_DAYS.end()),
            order_push: OrderPush {
                enabled: d.order_push_enabled,
                interval_minutes: manifest
                    .job_interval("orders.push")
                    .and_then(|m| i32::try_from(m).ok())
                    .filter(|m| order_push::INTERVAL_MINUTES.contains(m))
                    .unwrap_or(order_push::DEFAULT_INTERVAL),
                hold: OrderHold::default(),
            },
            integration_log: d.integration_log,
        }
    }

    /// The names of the fields that differ between `self` and `other`, in
    /// form order; nested values name the part (`sync_intervals.get(SyncObject::Parcels)`,
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
        diff(
            "order_push.enabled",
            self.order_push.enabled != other.order_push.enabled,
        );
        diff(
            "order_push.interval",
            self.order_push.interval_minutes != other.order_push.interval_minutes,
        );
        diff(
            "order_push.hold",
            self.order_push.hold != other.order_push.hold,
        );
        diff(
            "integration_log",
            self.integration_log != other.integration_log,
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
    order_push_enabled: bool,
    order_push_interval: i32,
    order_hold_field: String,
    order_hold_marker: String,
    integration_log: bool,
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
            sync_intervals: intervals::from_json(&self.sync_intervals, defaults.sync_intervals),
            default_shipping_method: self.default_shipping_method,
            log_retention_days: if RETENTION_DAYS.contains(&self.log_retention_days) {
                self.log_retention_days
            } else {
                defaults.log_retention_days
            },
            order_push: OrderPush {
                enabled: self.order_push_enabled,
                interval_minutes: if order_push::INTERVAL_MINUTES
                    .contains(&self.order_push_interval)
                {
                    self.order_push_interval
                } else {
                    order_push::DEFAULT_INTERVAL
                },
                hold: OrderHold {
                    field: HoldField::parse(&self.order_hold_field).unwrap_or_default(),
                    marker: self.order_hold_marker,
                },
            },
            integration_log: self.integration_log,
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
        let intervals = intervals::to_json(&settings.sync_intervals);
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
            ss::order_push_enabled.eq(settings.order_push.enabled),
            ss::order_push_interval.eq(settings.order_push.interval_minutes),
            ss::order_hold_field.eq(settings.order_push.hold.field.as_str()),
            ss::order_hold_marker.eq(&settings.order_push.hold.marker),
            ss::integration_log.eq(settings.integration_log),
        );
        let updated = diesel::update(ss::table.filter(ss::company_id.eq(company_id)))
            .set(values)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(ss::table)
                .values((ss::company_id.eq(company_id), values))
                .execute(conn)?;
        }
        // Stored as facts: the field names, rendered per reader.
        let message = if changed.is_empty() {
            actionlog::Fact::new("log-settings-unchanged").to_message()
        } else {
            actionlog::Fact::new("log-settings-saved")
                .arg("fields", changed.join(", "))
                .to_message()
        };
        actionlog::record(
            conn,
            &Action {
                company_id: Some(company_id),
                direction: Direction::Internal,
                action: ACTION_SAVE,
                target: "settings",
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

/// [`apply`] for a company whose products carry the attribute keys
/// `known` (from the host): a customs attribute must be one of them, or
/// the one stored already. A host that names none (`known` empty) leaves
/// the check to [`validate`]. Every refused field gets its error, and
/// nothing is saved while one is refused.
pub fn apply_with_attributes(
    conn: &mut DbConn,
    company_id: i64,
    form: &SettingsForm,
    user: &str,
    manifest: &Manifest,
    known: &[String],
) -> DbResult<Outcome> {
    let mut unknown = vec![];
    if !known.is_empty() {
        let current = load(conn, company_id, manifest)?;
        for (field, value, stored) in [
            (
                "hs_code_attribute",
                form.hs_code_attribute.trim(),
                current.hs_code_attribute.as_str(),
            ),
            (
                "origin_attribute",
                form.origin_attribute.trim(),
                current.origin_attribute.as_str(),
            ),
        ] {
            if !value.is_empty() && value != stored && !known.iter().any(|k| k == value) {
                unknown.push(FieldError::new(field, "settings-error-attribute-unknown"));
            }
        }
    }
    if unknown.is_empty() {
        return apply(conn, company_id, form, user, manifest);
    }
    let mut errors = match validate(form) {
        Ok(_) => vec![],
        Err(e) => e,
    };
    errors.retain(|e| !unknown.iter().any(|u| u.field == e.field));
    errors.extend(unknown);
    Ok(Outcome::Invalid(errors))
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
        assert_eq!(d.sync_intervals.get(SyncObject::Parcels), 15);
        assert_eq!(d.sync_intervals.get(SyncObject::Returns), 60);
        assert_eq!(d.sync_intervals.get(SyncObject::Brands), 1440);
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

        let d = intervals::from_manifest(&manifest());
        let mut s = d;
        s.set(SyncObject::Parcels, 0);
        s.set(SyncObject::Invoices, 10_080);
        assert_eq!(intervals::from_json(&intervals::to_json(&s), d), s);
        let partial = intervals::from_json(r#"{"parcels":5,"returns":-1,"brands":99999}"#, d);
        assert_eq!(partial.get(SyncObject::Parcels), 5);
        assert_eq!(partial.get(SyncObject::Returns), d.get(SyncObject::Returns));
        assert_eq!(partial.get(SyncObject::Brands), d.get(SyncObject::Brands));
    }

    #[test]
    fn changed_fields_name_the_parts() {
        let a = CompanySettings::defaults(&manifest());
        let mut b = a.clone();
        assert!(a.changed_fields(&b).is_empty());
        b.auto_create_label = true;
        b.sync_intervals.set(SyncObject::Parcels, 30);
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
