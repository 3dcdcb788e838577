//! The settings form as the admin page posts it (every value a string, so
//! that a refused form can be shown again exactly as typed) and [`validate`],
//! which turns it into [`CompanySettings`] or into one error per field.
//!
//! Error messages are translation ids (`settings-error-*` in
//! `admin_ui/i18n/*.ftl`); the page shows them next to their fields.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::sync::SyncObject;

use super::{
    is_iso_country, order_push, CompanySettings, CustomerMapping, HoldField, ManualMapping,
    MappedField, OrderHold, OrderPush, ServicePointField, ShipmentType, Source, SyncIntervals,
    MAX_INTERVAL_MINUTES, RETENTION_DAYS,
};

/// Longest product attribute key.
const MAX_ATTRIBUTE_LEN: usize = 64;

/// The posted form. Missing fields are empty (checkboxes: `None`), so a
/// truncated post yields field errors, never a 400.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub auto_create_label: Option<String>,
    pub service_point_enabled: Option<String>,
    pub service_point_field: String,
    pub customs_shipment_type: String,
    pub customs_origin_country: String,
    pub customs_hs_code: String,
    pub hs_code_attribute: String,
    pub origin_attribute: String,
    pub customer_mapping: String,
    pub map_name: String,
    pub map_company_name: String,
    pub map_email: String,
    pub map_phone: String,
    pub map_address: String,
    /// `interval_<object>` fields (see `ObjectInfo::interval_field`).
    #[serde(flatten)]
    pub intervals: BTreeMap<String, String>,
    pub default_shipping_method: String,
    pub log_retention_days: String,
    pub order_push_enabled: Option<String>,
    /// Empty: the default interval.
    pub order_push_interval: String,
    /// Empty: nothing holds orders.
    pub order_hold_field: String,
    pub order_hold_marker: String,
    pub integration_log: Option<String>,
}

/// A refused value: the form field's name and the translation id of the
/// message shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message_id: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, message_id: &'static str) -> FieldError {
        FieldError { field, message_id }
    }
}

/// The form field of a manual-mapping source.
pub fn mapping_field_name(f: MappedField) -> &'static str {
    match f {
        MappedField::Name => "map_name",
        MappedField::CompanyName => "map_company_name",
        MappedField::Email => "map_email",
        MappedField::Phone => "map_phone",
        MappedField::Address => "map_address",
    }
}

/// The form field of an Abgleich interval.
pub fn interval_field_name(o: SyncObject) -> &'static str {
    o.info().interval_field
}

impl SettingsForm {
    /// The form showing stored settings.
    pub fn from_settings(s: &CompanySettings) -> SettingsForm {
        let flag = |b: bool| b.then(|| "1".to_string());
        let mut form = SettingsForm {
            auto_create_label: flag(s.auto_create_label),
            service_point_enabled: flag(s.service_point_enabled),
            service_point_field: s.service_point_field.as_str().into(),
            customs_shipment_type: s.customs_shipment_type.code().to_string(),
            customs_origin_country: s.customs_origin_country.clone(),
            customs_hs_code: s.customs_hs_code.clone(),
            hs_code_attribute: s.hs_code_attribute.clone(),
            origin_attribute: s.origin_attribute.clone(),
            customer_mapping: s.customer_mapping.as_str().into(),
            default_shipping_method: s
                .default_shipping_method
                .map(|id| id.to_string())
                .unwrap_or_default(),
            log_retention_days: s.log_retention_days.to_string(),
            order_push_enabled: flag(s.order_push.enabled),
            order_push_interval: s.order_push.interval_minutes.to_string(),
            order_hold_field: s.order_push.hold.field.as_str().into(),
            order_hold_marker: s.order_push.hold.marker.clone(),
            integration_log: flag(s.integration_log),
            ..SettingsForm::default()
        };
        for f in MappedField::ALL {
            *form.mapping_mut(f) = s.manual_mapping.get(f).as_str().into();
        }
        for o in SyncObject::ALL {
            *form.interval_mut(o) = s.sync_intervals.get(o).to_string();
        }
        form
    }

    /// Is "create labels automatically" ticked?
    pub fn auto_create_label_on(&self) -> bool {
        checked(&self.auto_create_label)
    }

    /// Is "write label failures to Sendcloud's integration log" ticked?
    pub fn integration_log_on(&self) -> bool {
        checked(&self.integration_log)
    }

    /// Is "push orders on a schedule" ticked?
    pub fn order_push_on(&self) -> bool {
        checked(&self.order_push_enabled)
    }

    /// Is "service point delivery" ticked?
    pub fn service_point_on(&self) -> bool {
        checked(&self.service_point_enabled)
    }

    /// The submitted source of a manual-mapping field.
    pub fn mapping(&self, f: MappedField) -> &str {
        match f {
            MappedField::Name => &self.map_name,
            MappedField::CompanyName => &self.map_company_name,
            MappedField::Email => &self.map_email,
            MappedField::Phone => &self.map_phone,
            MappedField::Address => &self.map_address,
        }
    }

    fn mapping_mut(&mut self, f: MappedField) -> &mut String {
        match f {
            MappedField::Name => &mut self.map_name,
            MappedField::CompanyName => &mut self.map_company_name,
            MappedField::Email => &mut self.map_email,
            MappedField::Phone => &mut self.map_phone,
            MappedField::Address => &mut self.map_address,
        }
    }

    /// The submitted interval of an object type.
    pub fn interval(&self, o: SyncObject) -> &str {
        self.intervals
            .get(interval_field_name(o))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn interval_mut(&mut self, o: SyncObject) -> &mut String {
        self.intervals
            .entry(interval_field_name(o).to_string())
            .or_default()
    }
}

fn checked(v: &Option<String>) -> bool {
    v.as_deref()
        .is_some_and(|v| !matches!(v.trim(), "" | "0" | "false" | "off"))
}

/// A product attribute key: 1–64 of letters, digits, `_`, `-`, `.`.
fn sane_attribute(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_ATTRIBUTE_LEN
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Check a submitted form. Values are normalised first (trimmed; the
/// country upper-cased; spaces and dots removed from the HS code, so
/// `6109.10.00` is `61091000`). Every refused field gets one error.
pub fn validate(form: &SettingsForm) -> Result<CompanySettings, Vec<FieldError>> {
    let mut errors = vec![];
    let mut err = |field: &'static str, message_id: &'static str| {
        errors.push(FieldError::new(field, message_id));
    };

    let service_point_field = ServicePointField::parse(form.service_point_field.trim());
    if service_point_field.is_none() {
        err("service_point_field", "settings-error-service-point-field");
    }

    let shipment_type = form
        .customs_shipment_type
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(ShipmentType::from_code);
    if shipment_type.is_none() {
        err("customs_shipment_type", "settings-error-shipment-type");
    }

    let country = form.customs_origin_country.trim().to_ascii_uppercase();
    if !is_iso_country(&country) {
        err("customs_origin_country", "settings-error-country");
    }

    let hs_code: String = form
        .customs_hs_code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let hs_ok = hs_code.is_empty()
        || ((6..=10).contains(&hs_code.len()) && hs_code.chars().all(|c| c.is_ascii_digit()));
    if !hs_ok {
        err("customs_hs_code", "settings-error-hs-code");
    }

    let hs_attribute = form.hs_code_attribute.trim().to_string();
    if !sane_attribute(&hs_attribute) {
        err("hs_code_attribute", "settings-error-attribute");
    }
    let origin_attribute = form.origin_attribute.trim().to_string();
    if !sane_attribute(&origin_attribute) {
        err("origin_attribute", "settings-error-attribute");
    }

    let customer_mapping = CustomerMapping::parse(form.customer_mapping.trim());
    if customer_mapping.is_none() {
        err("customer_mapping", "settings-error-mapping");
    }

    // Every select is posted; an empty one (say, hidden while the mapping is
    // dynamic) keeps the field's default.
    let mut manual = ManualMapping::default();
    for f in MappedField::ALL {
        let raw = form.mapping(f).trim();
        if raw.is_empty() {
            continue;
        }
        match Source::parse(raw).filter(|s| f.sources().contains(s)) {
            Some(s) => manual.set(f, s),
            None => err(mapping_field_name(f), "settings-error-source"),
        }
    }

    let mut intervals = SyncIntervals::default();
    for o in SyncObject::ALL {
        match form
            .interval(o)
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= MAX_INTERVAL_MINUTES)
        {
            Some(m) => intervals.set(o, m),
            None => err(interval_field_name(o), "settings-error-interval"),
        }
    }

    let method = form.default_shipping_method.trim();
    let default_shipping_method = if method.is_empty() {
        None
    } else {
        match method.parse::<i64>().ok().filter(|id| *id > 0) {
            Some(id) => Some(id),
            None => {
                err("default_shipping_method", "settings-error-method");
                None
            }
        }
    };

    let retention = form
        .log_retention_days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| RETENTION_DAYS.contains(d));
    if retention.is_none() {
        err("log_retention_days", "settings-error-retention");
    }

    // The scheduled push: fields a form of an earlier version did not post
    // are empty and keep their defaults.
    let interval = form.order_push_interval.trim();
    let interval = if interval.is_empty() {
        order_push::DEFAULT_INTERVAL
    } else {
        match interval
            .parse::<i32>()
            .ok()
            .filter(|m| order_push::INTERVAL_MINUTES.contains(m))
        {
            Some(m) => m,
            None => {
                err("order_push_interval", "settings-error-order-push-interval");
                order_push::DEFAULT_INTERVAL
            }
        }
    };
    let hold_field = match form.order_hold_field.trim() {
        "" => HoldField::None,
        f => HoldField::parse(f).unwrap_or_else(|| {
            err("order_hold_field", "settings-error-order-hold-field");
            HoldField::None
        }),
    };
    let marker = form.order_hold_marker.trim().to_string();
    if hold_field.needs_marker()
        && (marker.is_empty() || marker.chars().count() > order_push::MAX_MARKER_LEN)
    {
        err("order_hold_marker", "settings-error-order-hold-marker");
    }
    let order_push = OrderPush {
        enabled: checked(&form.order_push_enabled),
        interval_minutes: interval,
        hold: OrderHold {
            field: hold_field,
            marker: if hold_field.needs_marker() {
                marker
            } else {
                String::new()
            },
        },
    };

    match (
        service_point_field,
        shipment_type,
        customer_mapping,
        retention,
    ) {
        (
            Some(service_point_field),
            Some(shipment_type),
            Some(customer_mapping),
            Some(retention),
        ) if errors.is_empty() => Ok(CompanySettings {
            auto_create_label: checked(&form.auto_create_label),
            service_point_enabled: checked(&form.service_point_enabled),
            service_point_field,
            customs_shipment_type: shipment_type,
            customs_origin_country: country,
            customs_hs_code: hs_code,
            hs_code_attribute: hs_attribute,
            origin_attribute,
            customer_mapping,
            manual_mapping: manual,
            sync_intervals: intervals,
            default_shipping_method,
            log_retention_days: retention,
            order_push,
            integration_log: checked(&form.integration_log),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Manifest, EMBEDDED_MANIFEST};

    fn defaults() -> CompanySettings {
        let m = Manifest::parse(EMBEDDED_MANIFEST, "built in").expect("manifest");
        CompanySettings::defaults(&m)
    }

    fn form() -> SettingsForm {
        SettingsForm::from_settings(&defaults())
    }

    fn fields(r: Result<CompanySettings, Vec<FieldError>>) -> Vec<&'static str> {
        match r {
            Ok(_) => vec![],
            Err(e) => e.iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn the_form_of_valid_settings_validates_to_them() {
        assert_eq!(validate(&form()), Ok(defaults()));
        let mut s = defaults();
        s.auto_create_label = true;
        s.service_point_enabled = true;
        s.service_point_field = ServicePointField::Remarks;
        s.customs_shipment_type = ShipmentType::Gift;
        s.customs_hs_code = "6109100010".into();
        s.customer_mapping = CustomerMapping::Manual;
        s.manual_mapping.company_name = Source::None;
        s.sync_intervals.set(SyncObject::Parcels, 0);
        s.default_shipping_method = Some(8);
        s.log_retention_days = 365;
        assert_eq!(validate(&SettingsForm::from_settings(&s)), Ok(s));
    }

    #[test]
    fn values_are_normalised() {
        let mut f = form();
        f.customs_origin_country = " nl ".into();
        f.customs_hs_code = "6109.10 00".into();
        f.hs_code_attribute = " zolltarif ".into();
        f.intervals.insert("interval_parcels".into(), " 30 ".into());
        f.auto_create_label = Some("on".into());
        f.service_point_enabled = Some("0".into());
        let s = validate(&f).expect("valid");
        assert_eq!(s.customs_origin_country, "NL");
        assert_eq!(s.customs_hs_code, "61091000");
        assert_eq!(s.hs_code_attribute, "zolltarif");
        assert_eq!(s.sync_intervals.get(SyncObject::Parcels), 30);
        assert!(s.auto_create_label);
        assert!(!s.service_point_enabled);
    }

    #[test]
    fn countries_must_be_iso_codes() {
        for bad in ["", "D", "DEU", "Deutschland", "XX", "D1"] {
            let mut f = form();
            f.customs_origin_country = bad.into();
            assert_eq!(
                fields(validate(&f)),
                vec!["customs_origin_country"],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn hs_codes_are_six_to_ten_digits_or_empty() {
        for ok in ["", "610910", "6109100010"] {
            let mut f = form();
            f.customs_hs_code = ok.into();
            assert!(validate(&f).is_ok(), "{ok:?}");
        }
        for bad in ["61091", "61091000101", "6109AB", "abcdef", "61-09-10"] {
            let mut f = form();
            f.customs_hs_code = bad.into();
            let r = validate(&f);
            assert_eq!(
                r.as_ref().err().map(|e| e[0].message_id),
                Some("settings-error-hs-code"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn intervals_and_retention_stay_in_range() {
        for (value, ok) in [
            ("0", true),
            ("10080", true),
            ("-1", false),
            ("10081", false),
            ("abc", false),
            ("", false),
            ("1.5", false),
        ] {
            let mut f = form();
            f.intervals.insert("interval_returns".into(), value.into());
            assert_eq!(validate(&f).is_ok(), ok, "interval {value:?}");
        }
        for (value, ok) in [("1", true), ("365", true), ("0", false), ("366", false)] {
            let mut f = form();
            f.log_retention_days = value.into();
            assert_eq!(validate(&f).is_ok(), ok, "retention {value:?}");
        }
    }

    #[test]
    fn choices_must_be_offered_ones() {
        let mut f = form();
        f.customs_shipment_type = "5".into();
        f.service_point_field = "order_number".into();
        f.customer_mapping = "automatic".into();
        f.map_name = "none".into();
        f.map_email = "account_phone".into();
        f.default_shipping_method = "abc".into();
        f.hs_code_attribute = "hs code".into();
        f.origin_attribute = "".into();
        assert_eq!(
            fields(validate(&f)),
            vec![
                "service_point_field",
                "customs_shipment_type",
                "hs_code_attribute",
                "origin_attribute",
                "customer_mapping",
                "map_name",
                "map_email",
                "default_shipping_method",
            ]
        );
        let mut f = form();
        f.default_shipping_method = "0".into();
        assert_eq!(fields(validate(&f)), vec!["default_shipping_method"]);
        f.default_shipping_method = "".into();
        assert_eq!(validate(&f).map(|s| s.default_shipping_method), Ok(None));
        f.hs_code_attribute = "a".repeat(65);
        assert_eq!(fields(validate(&f)), vec!["hs_code_attribute"]);
    }

    #[test]
    fn an_empty_post_is_refused_field_by_field_not_with_a_panic() {
        let errors = validate(&SettingsForm::default()).expect_err("invalid");
        assert!(errors.len() >= 10, "{errors:?}");
        assert!(errors
            .iter()
            .all(|e| e.message_id.starts_with("settings-error-")));
    }
}
