//! The company's v3 shipping options as the rest of the module uses them
//! (label creation above all): read from `sendcloud_shipping_options`, which
//! the Abgleich fills (object *Versandmethoden*: v3 `POST /shipping-options`),
//! and the link from a v2 shipping method id (what orders carry in
//! `sales_orders.shipping_method_ref` and the settings' default holds) to an
//! option code in `sendcloud_method_options`: Sendcloud's answer from
//! `POST /compat/shipping-options`, overridden by the option staff picked.
//!
//! Only reads and the staff mapping live here; the sync writes the tables.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::db::schema::{sendcloud_method_options as mo, sendcloud_shipping_options as so};
use crate::db::{DbConn, DbResult};

/// A synced shipping option.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = so)]
pub struct ShippingOption {
    /// The option code v3 shipments announce (`postnl:standard/signature`).
    pub code: String,
    pub name: String,
    pub carrier_code: String,
    pub carrier_name: String,
    pub product_code: String,
    pub product_name: String,
    /// Sendcloud's `functionalities` object as JSON text; see
    /// [`ShippingOption::functionality`].
    pub functionalities: String,
    pub min_weight: Option<Decimal>,
    pub max_weight: Option<Decimal>,
    /// Unit of `min_weight`/`max_weight` (`kg`, `g`, `lbs`, `oz`).
    pub weight_unit: Option<String>,
    pub max_length: Option<Decimal>,
    pub max_width: Option<Decimal>,
    pub max_height: Option<Decimal>,
    pub dimension_unit: Option<String>,
    /// JSON list of ISO-2 codes, `None` where nothing is known.
    pub from_countries: Option<String>,
    /// JSON list of ISO-2 codes (from the linked v2 methods), `None` where
    /// nothing is known.
    pub to_countries: Option<String>,
    /// Announcing needs a service point id.
    pub service_point_required: bool,
    /// Customs documents are needed (crosses economic zones).
    pub export_documents: bool,
    /// JSON list of `requirements.fields` (`to_email`, `to_telephone`, …).
    pub required_fields: String,
    pub contract_id: Option<i64>,
    pub contract_name: Option<String>,
    /// A v2 method Sendcloud maps to this option (the lowest id).
    pub v2_method_id: Option<i64>,
    /// Still listed by Sendcloud at the last Abgleich.
    pub active: bool,
    pub synced_at: NaiveDateTime,
}

/// Why an option does not fit a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Misfit {
    /// Sendcloud no longer lists the option.
    Inactive,
    /// The parcel weighs less than the option's minimum (grams).
    TooLight { min_g: i64 },
    /// The parcel weighs more than the option's maximum (grams).
    TooHeavy { max_g: i64 },
    /// The option does not ship from this country.
    FromCountry { country: String },
    /// The option does not ship to this country.
    ToCountry { country: String },
    /// A domestic option for a parcel that crosses a border.
    DomesticOnly,
}

fn grams(value: Decimal, unit: Option<&str>) -> Option<i64> {
    let factor = match unit.unwrap_or("kg") {
        "kg" => Decimal::new(1000, 0),
        "g" => Decimal::ONE,
        "lbs" => Decimal::new(45_359_237, 5),
        "oz" => Decimal::new(28_349_523_125, 9),
        _ => return None,
    };
    (value * factor).round().to_i64()
}

fn json_list(s: Option<&str>) -> Option<Vec<String>> {
    serde_json::from_str(s?).ok()
}

impl ShippingOption {
    /// One functionality's value (`signature`, `last_mile`, …), `Null` when
    /// absent.
    pub fn functionality(&self, key: &str) -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&self.functionalities)
            .ok()
            .and_then(|v| v.get(key).cloned())
            .unwrap_or(serde_json::Value::Null)
    }

    /// The fields announcing needs (`to_email`, `to_telephone`, `length`, …).
    pub fn required_fields(&self) -> Vec<String> {
        serde_json::from_str(&self.required_fields).unwrap_or_default()
    }

    /// The ISO-2 countries it ships to, `None` where unknown (not limited).
    pub fn to_countries(&self) -> Option<Vec<String>> {
        json_list(self.to_countries.as_deref())
    }

    /// The ISO-2 countries it ships from, `None` where unknown.
    pub fn from_countries(&self) -> Option<Vec<String>> {
        json_list(self.from_countries.as_deref())
    }

    /// Minimum weight in grams.
    pub fn min_weight_g(&self) -> Option<i64> {
        grams(self.min_weight?, self.weight_unit.as_deref())
    }

    /// Maximum weight in grams.
    pub fn max_weight_g(&self) -> Option<i64> {
        grams(self.max_weight?, self.weight_unit.as_deref())
    }
}

/// Whether `option` can carry a parcel of `weight_g` grams from
/// `from_country` to `to_country` (ISO-2): active, within its weight range,
/// a country it ships from/to where Sendcloud publishes those (v3 options
/// carry no country list: the destinations come from the linked v2
/// methods), and not a domestic option across a border. Limits Sendcloud
/// does not publish are not checked.
pub fn fits(
    option: &ShippingOption,
    weight_g: i64,
    from_country: &str,
    to_country: &str,
) -> Result<(), Misfit> {
    if !option.active {
        return Err(Misfit::Inactive);
    }
    if let Some(min_g) = option.min_weight_g() {
        if weight_g < min_g {
            return Err(Misfit::TooLight { min_g });
        }
    }
    if let Some(max_g) = option.max_weight_g() {
        if weight_g > max_g {
            return Err(Misfit::TooHeavy { max_g });
        }
    }
    let from = from_country.trim().to_ascii_uppercase();
    let to = to_country.trim().to_ascii_uppercase();
    if let Some(list) = option.from_countries() {
        if !list.iter().any(|c| c.eq_ignore_ascii_case(&from)) {
            return Err(Misfit::FromCountry { country: from });
        }
    }
    if let Some(list) = option.to_countries() {
        if !list.iter().any(|c| c.eq_ignore_ascii_case(&to)) {
            return Err(Misfit::ToCountry { country: to });
        }
    }
    if option.functionality("service_area") == "domestic" && from != to {
        return Err(Misfit::DomesticOnly);
    }
    Ok(())
}

/// The company's active options, by carrier and name.
pub fn list(conn: &mut DbConn, company_id: i64) -> DbResult<Vec<ShippingOption>> {
    Ok(so::table
        .filter(so::company_id.eq(company_id).and(so::active.eq(true)))
        .order((so::carrier_name, so::name, so::code))
        .select(ShippingOption::as_select())
        .load(conn)?)
}

/// One option by code (also an inactive one: see [`ShippingOption::active`]).
pub fn get(conn: &mut DbConn, company_id: i64, code: &str) -> DbResult<Option<ShippingOption>> {
    Ok(so::table
        .filter(so::company_id.eq(company_id).and(so::code.eq(code)))
        .select(ShippingOption::as_select())
        .first(conn)
        .optional()?)
}

/// The option for a v2 shipping method id: the one staff picked, else the
/// one Sendcloud's compat endpoint named; `None` when neither exists or the
/// option is no longer listed (then staff pick one on the settings page).
pub fn for_method(
    conn: &mut DbConn,
    company_id: i64,
    v2_method_id: i64,
) -> DbResult<Option<ShippingOption>> {
    let Some(code) = mapped_code(conn, company_id, v2_method_id)? else {
        return Ok(None);
    };
    Ok(get(conn, company_id, &code)?.filter(|o| o.active))
}

/// The code a v2 method maps to (manual first), without loading the option.
pub fn mapped_code(
    conn: &mut DbConn,
    company_id: i64,
    v2_method_id: i64,
) -> DbResult<Option<String>> {
    let link: Option<(Option<String>, Option<String>)> = mo::table
        .filter(
            mo::company_id
                .eq(company_id)
                .and(mo::method_id.eq(v2_method_id)),
        )
        .select((mo::manual_code, mo::compat_code))
        .first(conn)
        .optional()?;
    Ok(link.and_then(|(manual, compat)| manual.or(compat)))
}

/// Store the option staff picked for a v2 method (`None` removes the pick,
/// so Sendcloud's own link counts again).
pub fn set_manual(
    conn: &mut DbConn,
    company_id: i64,
    v2_method_id: i64,
    code: Option<&str>,
    user: Option<&str>,
) -> DbResult<()> {
    let now = Utc::now().naive_utc();
    let at = code.map(|_| now);
    let by = code.and(user);
    conn.write_transaction(|c| {
        let n = diesel::update(
            mo::table.filter(
                mo::company_id
                    .eq(company_id)
                    .and(mo::method_id.eq(v2_method_id)),
            ),
        )
        .set((
            mo::manual_code.eq(code),
            mo::manual_by.eq(by),
            mo::manual_at.eq(at),
        ))
        .execute(c)?;
        if n == 0 {
            diesel::insert_into(mo::table)
                .values((
                    mo::company_id.eq(company_id),
                    mo::method_id.eq(v2_method_id),
                    mo::manual_code.eq(code),
                    mo::manual_by.eq(by),
                    mo::manual_at.eq(at),
                ))
                .execute(c)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option() -> ShippingOption {
        ShippingOption {
            code: "dhl_de:dhl-paket".into(),
            name: "DHL Paket".into(),
            carrier_code: "dhl_de".into(),
            carrier_name: "DHL".into(),
            product_code: "dhl_de:dhl-paket".into(),
            product_name: "DHL Paket".into(),
            functionalities: r#"{"service_area":"international"}"#.into(),
            min_weight: Some(Decimal::new(1, 3)),
            max_weight: Some(Decimal::new(31501, 3)),
            weight_unit: Some("kg".into()),
            max_length: None,
            max_width: None,
            max_height: None,
            dimension_unit: None,
            from_countries: None,
            to_countries: Some(r#"["AT","DE"]"#.into()),
            service_point_required: false,
            export_documents: false,
            required_fields: "[]".into(),
            contract_id: None,
            contract_name: None,
            v2_method_id: Some(1301),
            active: true,
            synced_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn fits_checks_weight_countries_and_service_area() {
        let o = option();
        assert_eq!(fits(&o, 2000, "DE", "AT"), Ok(()));
        assert_eq!(fits(&o, 31_501, "DE", "de"), Ok(()));
        assert_eq!(
            fits(&o, 31_502, "DE", "AT"),
            Err(Misfit::TooHeavy { max_g: 31_501 })
        );
        assert_eq!(fits(&o, 0, "DE", "AT"), Err(Misfit::TooLight { min_g: 1 }));
        assert_eq!(
            fits(&o, 500, "DE", "US"),
            Err(Misfit::ToCountry {
                country: "US".into()
            })
        );
        let mut domestic = option();
        domestic.functionalities = r#"{"service_area":"domestic"}"#.into();
        domestic.to_countries = None;
        assert_eq!(fits(&domestic, 500, "DE", "AT"), Err(Misfit::DomesticOnly));
        assert_eq!(fits(&domestic, 500, "DE", "DE"), Ok(()));
        let mut gone = option();
        gone.active = false;
        assert_eq!(fits(&gone, 500, "DE", "DE"), Err(Misfit::Inactive));
        let mut pounds = option();
        pounds.weight_unit = Some("lbs".into());
        pounds.max_weight = Some(Decimal::new(10, 0));
        assert_eq!(pounds.max_weight_g(), Some(4536));
    }
}
