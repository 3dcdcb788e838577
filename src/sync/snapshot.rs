//! Snapshot stores for the small lists (the run loop in `sync` fetches the
//! whole list). One upsert path, [`store`], serves every snapshot table: in
//! one transaction it reads the company's stored rows once, inserts new
//! items, rewrites changed ones, touches unchanged ones, and marks the rows
//! Sendcloud no longer lists as inactive (never deleted: warehouse links and
//! old parcels keep pointing at them). Each table says how through
//! [`SnapshotTable`], with a named row struct of its data columns
//! (`Queryable` + `Insertable` + `AsChangeset`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::Counts;
use crate::db::schema::{
    sendcloud_brands as b, sendcloud_carriers as car, sendcloud_method_options as mo,
    sendcloud_parcel_statuses as ps, sendcloud_sender_addresses as sa,
    sendcloud_shipping_methods as sm, sendcloud_shipping_options as so,
};
use crate::db::types::{DecValue, OptDecValue};
use crate::db::{DbConn, DbError, DbResult};
use crate::sendcloud::parcel_statuses::StatusCode;
use crate::sendcloud::{Brand, SenderAddress, ShippingMethod, ShippingOption};

/// Stored rows of a company: (key, data, active).
pub type Stored<K, R> = Vec<(K, R, bool)>;

/// One snapshot table: its key (Sendcloud's id of the item, per company) and
/// its data columns as a named row.
pub trait SnapshotTable {
    type Key: Copy + Eq + Hash;
    type Row: PartialEq;

    /// Every stored row of the company: (key, data, active).
    fn load(c: &mut DbConn, company: i64) -> DbResult<Stored<Self::Key, Self::Row>>;
    fn insert(
        c: &mut DbConn,
        company: i64,
        key: Self::Key,
        row: Self::Row,
        now: NaiveDateTime,
    ) -> DbResult<()>;
    /// Write the data and mark the row active.
    fn update(
        c: &mut DbConn,
        company: i64,
        key: Self::Key,
        row: Self::Row,
        now: NaiveDateTime,
    ) -> DbResult<()>;
    /// Set `synced_at` of unchanged rows.
    fn touch(c: &mut DbConn, company: i64, keys: &[Self::Key], now: NaiveDateTime) -> DbResult<()>;
    /// Mark active rows whose key is not in `keys` inactive; how many.
    fn deactivate_others(
        c: &mut DbConn,
        company: i64,
        keys: &[Self::Key],
        now: NaiveDateTime,
    ) -> DbResult<usize>;
}

/// Store a fetched list of `fetched` items (`items` without duplicates) as
/// the company's snapshot of table `T`. Runs inside the caller's write
/// transaction.
pub fn store<T: SnapshotTable>(
    c: &mut DbConn,
    company: i64,
    fetched: usize,
    items: Vec<(T::Key, T::Row)>,
    now: NaiveDateTime,
) -> DbResult<Counts> {
    let mut counts = Counts {
        fetched: fetched as i32,
        ..Default::default()
    };
    let mut existing: HashMap<T::Key, (T::Row, bool)> = T::load(c, company)?
        .into_iter()
        .map(|(k, row, active)| (k, (row, active)))
        .collect();
    let mut unchanged = Vec::new();
    let mut keys = Vec::with_capacity(items.len());
    for (key, row) in items {
        keys.push(key);
        match existing.remove(&key) {
            None => {
                T::insert(c, company, key, row, now)?;
                counts.created += 1;
            }
            Some((old, true)) if old == row => {
                unchanged.push(key);
                counts.unchanged += 1;
            }
            Some(_) => {
                T::update(c, company, key, row, now)?;
                counts.updated += 1;
            }
        }
    }
    for chunk in unchanged.chunks(500) {
        T::touch(c, company, chunk, now)?;
    }
    counts.updated += T::deactivate_others(c, company, &keys, now)? as i32;
    Ok(counts)
}

/// Implements [`SnapshotTable`] for a table keyed by (`company_id`, `$key`)
/// with `active` and `synced_at` columns and the data columns of `$row`.
macro_rules! snapshot_table {
    ($marker:ident, $t:ident, $key:ident: $key_ty:ty, $row:ty) => {
        pub struct $marker;

        impl SnapshotTable for $marker {
            type Key = $key_ty;
            type Row = $row;

            fn load(c: &mut DbConn, company: i64) -> DbResult<Stored<$key_ty, $row>> {
                Ok($t::table
                    .filter($t::company_id.eq(company))
                    .select(($t::$key, <$row>::as_select(), $t::active))
                    .load(c)?)
            }

            fn insert(
                c: &mut DbConn,
                company: i64,
                key: $key_ty,
                row: $row,
                now: NaiveDateTime,
            ) -> DbResult<()> {
                diesel::insert_into($t::table)
                    .values((
                        $t::company_id.eq(company),
                        $t::$key.eq(key),
                        row,
                        $t::active.eq(true),
                        $t::synced_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(())
            }

            fn update(
                c: &mut DbConn,
                company: i64,
                key: $key_ty,
                row: $row,
                now: NaiveDateTime,
            ) -> DbResult<()> {
                diesel::update($t::table.filter($t::company_id.eq(company).and($t::$key.eq(key))))
                    .set((row, $t::active.eq(true), $t::synced_at.eq(now)))
                    .execute(c)?;
                Ok(())
            }

            fn touch(
                c: &mut DbConn,
                company: i64,
                keys: &[$key_ty],
                now: NaiveDateTime,
            ) -> DbResult<()> {
                diesel::update(
                    $t::table.filter($t::company_id.eq(company).and($t::$key.eq_any(keys))),
                )
                .set($t::synced_at.eq(now))
                .execute(c)?;
                Ok(())
            }

            fn deactivate_others(
                c: &mut DbConn,
                company: i64,
                keys: &[$key_ty],
                now: NaiveDateTime,
            ) -> DbResult<usize> {
                Ok(diesel::update(
                    $t::table.filter(
                        $t::company_id
                            .eq(company)
                            .and($t::active.eq(true))
                            .and($t::$key.ne_all(keys)),
                    ),
                )
                .set(($t::active.eq(false), $t::synced_at.eq(now)))
                .execute(c)?)
            }
        }
    };
}

/// The stored fields of a sender address.
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sa, treat_none_as_null = true)]
pub struct AddressRow {
    company_name: String,
    contact_name: String,
    email: String,
    telephone: String,
    street: String,
    house_number: String,
    postal_box: String,
    postal_code: String,
    city: String,
    country: String,
    country_state: Option<String>,
    vat_number: String,
    eori_number: String,
    brand_id: Option<i64>,
    label: String,
}

impl From<&SenderAddress> for AddressRow {
    fn from(a: &SenderAddress) -> AddressRow {
        AddressRow {
            company_name: a.company_name.clone(),
            contact_name: a.contact_name.clone(),
            email: a.email.clone(),
            telephone: a.telephone.clone(),
            street: a.street.clone(),
            house_number: a.house_number.clone(),
            postal_box: a.postal_box.clone(),
            postal_code: a.postal_code.clone(),
            city: a.city.clone(),
            country: a.country.clone(),
            country_state: a.country_state.clone(),
            vat_number: a.vat_number.clone(),
            eori_number: a.eori_number.clone(),
            brand_id: a.brand_id,
            label: a.label.clone(),
        }
    }
}

snapshot_table!(SenderAddresses, sa, sendcloud_id: i64, AddressRow);

/// The stored fields of a shipping method (its countries as JSON).
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = sm)]
pub struct MethodRow {
    name: String,
    carrier: String,
    #[diesel(serialize_as = DecValue)]
    min_weight: Decimal,
    #[diesel(serialize_as = DecValue)]
    max_weight: Decimal,
    service_point_input: String,
    countries: String,
}

impl From<&ShippingMethod> for MethodRow {
    fn from(m: &ShippingMethod) -> MethodRow {
        let countries = serde_json::to_string(
            &m.countries
                .iter()
                .map(|k| {
                    serde_json::json!({
                        "iso_2": k.iso_2,
                        "price": k.price.to_string(),
                        "lead_time_hours": k.lead_time_hours,
                    })
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into());
        MethodRow {
            name: m.name.clone(),
            carrier: m.carrier.clone(),
            min_weight: m.min_weight,
            max_weight: m.max_weight,
            service_point_input: m.service_point_input.clone(),
            countries,
        }
    }
}

snapshot_table!(ShippingMethods, sm, sendcloud_id: i64, MethodRow);

/// The stored fields of a parcel status: v2's message for the integer id
/// and v3's string code (linked by that message; `None` where v3 lists no
/// status with it).
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ps, treat_none_as_null = true)]
pub struct StatusRow {
    message: String,
    code: Option<String>,
}

snapshot_table!(ParcelStatuses, ps, status_id: i64, StatusRow);

/// The stored fields of a brand (empty strings stored as NULL).
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = b, treat_none_as_null = true)]
pub struct BrandRow {
    name: String,
    domain: String,
    website: Option<String>,
    color: Option<String>,
    screen_logo_url: Option<String>,
    reply_to_email: Option<String>,
}

impl From<&Brand> for BrandRow {
    fn from(brand: &Brand) -> BrandRow {
        let non_empty = |v: &Option<String>| v.clone().filter(|w| !w.is_empty());
        BrandRow {
            name: brand.name.clone(),
            domain: brand.domain.clone(),
            website: non_empty(&brand.website),
            color: non_empty(&brand.color),
            screen_logo_url: non_empty(&brand.screen_logo.url),
            reply_to_email: non_empty(&brand.notify_reply_to_email),
        }
    }
}

snapshot_table!(Brands, b, sendcloud_id: i64, BrandRow);

pub fn store_sender_addresses(
    conn: &mut DbConn,
    company_id: i64,
    list: &[SenderAddress],
) -> Result<Counts, DbError> {
    let items = list.iter().map(|a| (a.id, AddressRow::from(a))).collect();
    conn.write_transaction(|c| {
        store::<SenderAddresses>(c, company_id, list.len(), items, Utc::now().naive_utc())
    })
}

/// Store the v2 statuses (integer id, message) with the v3 code whose
/// message is the same.
pub fn store_parcel_statuses(
    conn: &mut DbConn,
    company_id: i64,
    v2: &[(i64, String)],
    v3: &[StatusCode],
) -> Result<Counts, DbError> {
    let norm = |m: &str| m.trim().to_lowercase();
    let by_message: HashMap<String, &str> = v3
        .iter()
        .map(|s| (norm(&s.message), s.code.as_str()))
        .collect();
    let items = v2
        .iter()
        .map(|(id, message)| {
            (
                *id,
                StatusRow {
                    message: message.clone(),
                    code: by_message.get(&norm(message)).map(|c| c.to_string()),
                },
            )
        })
        .collect();
    conn.write_transaction(|c| {
        store::<ParcelStatuses>(c, company_id, v2.len(), items, Utc::now().naive_utc())
    })
}

/// Whether the v3 list is exactly what is stored (every code with its
/// message on an active row, and no other code): then the v2 list (the
/// integer ids) need not be asked again, and the rows are touched.
pub fn touch_if_status_codes_known(
    conn: &mut DbConn,
    company_id: i64,
    v3: &[StatusCode],
) -> Result<Option<Counts>, DbError> {
    conn.write_transaction(|c| {
        let stored: Vec<(Option<String>, String)> = ps::table
            .filter(ps::company_id.eq(company_id).and(ps::active.eq(true)))
            .select((ps::code, ps::message))
            .load(c)?;
        let stored: HashSet<(String, String)> = stored
            .into_iter()
            .filter_map(|(code, m)| Some((code?, m)))
            .collect();
        let fetched: HashSet<(String, String)> = v3
            .iter()
            .map(|s| (s.code.clone(), s.message.clone()))
            .collect();
        if v3.is_empty() || stored != fetched {
            return Ok(None);
        }
        let now = Utc::now().naive_utc();
        let n = diesel::update(
            ps::table.filter(ps::company_id.eq(company_id).and(ps::active.eq(true))),
        )
        .set(ps::synced_at.eq(now))
        .execute(c)?;
        Ok(Some(Counts {
            fetched: v3.len() as i32,
            unchanged: n as i32,
            ..Default::default()
        }))
    })
}

pub fn store_brands(conn: &mut DbConn, company_id: i64, list: &[Brand]) -> Result<Counts, DbError> {
    let items = list.iter().map(|x| (x.id, BrandRow::from(x))).collect();
    conn.write_transaction(|c| {
        store::<Brands>(c, company_id, list.len(), items, Utc::now().naive_utc())
    })
}

/// Shipping methods, and the carriers the enabled methods use.
pub fn store_shipping_methods(
    conn: &mut DbConn,
    company_id: i64,
    list: &[ShippingMethod],
) -> Result<Counts, DbError> {
    // `sender_address=all` may list a method once per sender address.
    let mut seen = HashSet::new();
    let mut carriers: BTreeMap<String, i32> = BTreeMap::new();
    let mut items = Vec::new();
    for m in list {
        if seen.insert(m.id) {
            *carriers.entry(m.carrier.clone()).or_default() += 1;
            items.push((m.id, MethodRow::from(m)));
        }
    }
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let counts = store::<ShippingMethods>(c, company_id, list.len(), items, now)?;
        diesel::update(car::table.filter(car::company_id.eq(company_id)))
            .set(car::active.eq(false))
            .execute(c)?;
        for (code, methods) in carriers {
            let n = diesel::update(
                car::table.filter(car::company_id.eq(company_id).and(car::code.eq(&code))),
            )
            .set((
                car::methods.eq(methods),
                car::active.eq(true),
                car::synced_at.eq(now),
            ))
            .execute(c)?;
            if n == 0 {
                diesel::insert_into(car::table)
                    .values((
                        car::company_id.eq(company_id),
                        car::code.eq(&code),
                        car::methods.eq(methods),
                        car::active.eq(true),
                        car::synced_at.eq(now),
                    ))
                    .execute(c)?;
            }
        }
        Ok(counts)
    })
}

/// The stored fields of a v3 shipping option (what `POST /shipping-options`
/// publishes; the link columns `v2_method_id` and the countries are set from
/// the method links in [`link_options`]).
#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = so, treat_none_as_null = true)]
pub struct OptionRow {
    name: String,
    carrier_code: String,
    carrier_name: String,
    product_code: String,
    product_name: String,
    functionalities: String,
    #[diesel(serialize_as = OptDecValue)]
    min_weight: Option<Decimal>,
    #[diesel(serialize_as = OptDecValue)]
    max_weight: Option<Decimal>,
    weight_unit: Option<String>,
    #[diesel(serialize_as = OptDecValue)]
    max_length: Option<Decimal>,
    #[diesel(serialize_as = OptDecValue)]
    max_width: Option<Decimal>,
    #[diesel(serialize_as = OptDecValue)]
    max_height: Option<Decimal>,
    dimension_unit: Option<String>,
    service_point_required: bool,
    export_documents: bool,
    required_fields: String,
    contract_id: Option<i64>,
    contract_name: Option<String>,
}

impl From<&ShippingOption> for OptionRow {
    fn from(o: &ShippingOption) -> OptionRow {
        // Rounded to the columns' scale, so an unchanged option compares equal.
        let w = |x: &Option<crate::sendcloud::shipping_options::Weight>| {
            x.as_ref().map(|w| w.value.round_dp(3).normalize())
        };
        let unit = o
            .weight
            .max
            .as_ref()
            .or(o.weight.min.as_ref())
            .map(|w| w.unit.clone());
        let dim = |f: fn(&crate::sendcloud::shipping_options::Dimensions) -> Decimal| {
            o.max_dimensions
                .as_ref()
                .map(|d| f(d).round_dp(2).normalize())
        };
        OptionRow {
            name: o.name.clone(),
            carrier_code: o.carrier.code.clone(),
            carrier_name: o.carrier.name.clone(),
            product_code: o.product.code.clone(),
            product_name: o.product.name.clone(),
            functionalities: serde_json::to_string(&o.functionalities)
                .unwrap_or_else(|_| "{}".into()),
            min_weight: w(&o.weight.min),
            max_weight: w(&o.weight.max),
            weight_unit: unit,
            max_length: dim(|d| d.length),
            max_width: dim(|d| d.width),
            max_height: dim(|d| d.height),
            dimension_unit: o.max_dimensions.as_ref().map(|d| d.unit.clone()),
            service_point_required: o.requirements.is_service_point_required,
            export_documents: o.requirements.export_documents,
            required_fields: serde_json::to_string(&o.requirements.fields)
                .unwrap_or_else(|_| "[]".into()),
            contract_id: o.contract.as_ref().and_then(|c| c.id),
            contract_name: o
                .contract
                .as_ref()
                .map(|c| c.name.clone())
                .filter(|n| !n.is_empty()),
        }
    }
}

/// Keyed by the option code (a `String`, so not through the `Copy`-keyed
/// [`SnapshotTable`]; the same rules: insert new, rewrite changed, touch
/// unchanged, deactivate what Sendcloud no longer lists).
pub fn store_shipping_options(
    conn: &mut DbConn,
    company_id: i64,
    list: &[ShippingOption],
) -> Result<Counts, DbError> {
    let mut counts = Counts {
        fetched: list.len() as i32,
        ..Default::default()
    };
    let mut seen = HashSet::new();
    let items: Vec<(String, OptionRow)> = list
        .iter()
        .filter(|o| !o.code.is_empty() && seen.insert(o.code.clone()))
        .map(|o| (o.code.clone(), OptionRow::from(o)))
        .collect();
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let mut existing: HashMap<String, (OptionRow, bool)> = so::table
            .filter(so::company_id.eq(company_id))
            .select((so::code, OptionRow::as_select(), so::active))
            .load::<(String, OptionRow, bool)>(c)?
            .into_iter()
            .map(|(k, r, a)| (k, (r, a)))
            .collect();
        let mut unchanged = Vec::new();
        let mut codes = Vec::with_capacity(items.len());
        for (code, row) in items {
            codes.push(code.clone());
            match existing.remove(&code) {
                None => {
                    diesel::insert_into(so::table)
                        .values((
                            so::company_id.eq(company_id),
                            so::code.eq(&code),
                            row,
                            so::active.eq(true),
                            so::synced_at.eq(now),
                        ))
                        .execute(c)?;
                    counts.created += 1;
                }
                Some((old, true)) if old == row => {
                    unchanged.push(code);
                    counts.unchanged += 1;
                }
                Some(_) => {
                    diesel::update(
                        so::table.filter(so::company_id.eq(company_id).and(so::code.eq(&code))),
                    )
                    .set((row, so::active.eq(true), so::synced_at.eq(now)))
                    .execute(c)?;
                    counts.updated += 1;
                }
            }
        }
        for chunk in unchanged.chunks(500) {
            diesel::update(
                so::table.filter(so::company_id.eq(company_id).and(so::code.eq_any(chunk))),
            )
            .set(so::synced_at.eq(now))
            .execute(c)?;
        }
        let gone: Vec<String> = existing
            .into_iter()
            .filter(|(_, (_, active))| *active)
            .map(|(k, _)| k)
            .collect();
        for chunk in gone.chunks(500) {
            counts.updated += diesel::update(
                so::table.filter(so::company_id.eq(company_id).and(so::code.eq_any(chunk))),
            )
            .set((so::active.eq(false), so::synced_at.eq(now)))
            .execute(c)? as i32;
        }
        Ok(counts)
    })
}

/// Were the company's v2 shipping methods last read from Sendcloud at or
/// after `since`? (Every read touches `synced_at` of every row it lists.)
pub fn methods_read_since(
    conn: &mut DbConn,
    company_id: i64,
    since: NaiveDateTime,
) -> DbResult<bool> {
    let last: Option<NaiveDateTime> = sm::table
        .filter(sm::company_id.eq(company_id))
        .select(diesel::dsl::max(sm::synced_at))
        .first(conn)?;
    Ok(last.is_some_and(|t| t >= since))
}

/// The v2 method ids (active) of a company and the ones whose compat link
/// is known: what the next compat calls must ask for is the difference (or
/// every id when the options changed).
pub fn method_ids_to_link(conn: &mut DbConn, company_id: i64, all: bool) -> DbResult<Vec<i64>> {
    let active: Vec<i64> = sm::table
        .filter(sm::company_id.eq(company_id).and(sm::active.eq(true)))
        .select(sm::sendcloud_id)
        .order(sm::sendcloud_id)
        .load(conn)?;
    if all {
        return Ok(active);
    }
    let known: HashSet<i64> = mo::table
        .filter(
            mo::company_id
                .eq(company_id)
                .and(mo::compat_checked_at.is_not_null()),
        )
        .select(mo::method_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    Ok(active
        .into_iter()
        .filter(|id| !known.contains(id))
        .collect())
}

/// Store Sendcloud's compat answer for the ids asked (`asked`; ids missing
/// from `answer` are methods Sendcloud does not know: no option), then
/// derive each option's `v2_method_id` and destination countries from the
/// linked methods.
pub fn link_options(
    conn: &mut DbConn,
    company_id: i64,
    asked: &[i64],
    answer: &BTreeMap<i64, Option<String>>,
) -> DbResult<()> {
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        for id in asked {
            let code = answer.get(id).cloned().flatten();
            let n = diesel::update(
                mo::table.filter(mo::company_id.eq(company_id).and(mo::method_id.eq(id))),
            )
            .set((mo::compat_code.eq(&code), mo::compat_checked_at.eq(now)))
            .execute(c)?;
            if n == 0 {
                diesel::insert_into(mo::table)
                    .values((
                        mo::company_id.eq(company_id),
                        mo::method_id.eq(id),
                        mo::compat_code.eq(&code),
                        mo::compat_checked_at.eq(now),
                    ))
                    .execute(c)?;
            }
        }
        derive_option_links(c, company_id)
    })
}

/// Sets `v2_method_id` (the lowest active method Sendcloud maps to the
/// option) and `to_countries` (the union of those methods' destination
/// countries; v3 publishes no country list on an option) of every option of
/// the company. Local only; rewrites only rows whose values change.
fn derive_option_links(c: &mut DbConn, company_id: i64) -> DbResult<()> {
    let links: Vec<(i64, Option<String>)> = mo::table
        .inner_join(
            sm::table.on(sm::company_id
                .eq(mo::company_id)
                .and(sm::sendcloud_id.eq(mo::method_id))),
        )
        .filter(mo::company_id.eq(company_id).and(sm::active.eq(true)))
        .select((mo::method_id, mo::compat_code))
        .load(c)?;
    let countries: HashMap<i64, String> = sm::table
        .filter(sm::company_id.eq(company_id).and(sm::active.eq(true)))
        .select((sm::sendcloud_id, sm::countries))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let mut per_code: BTreeMap<String, (i64, std::collections::BTreeSet<String>)> = BTreeMap::new();
    for (method, code) in links {
        let Some(code) = code else { continue };
        let entry = per_code.entry(code).or_insert((method, Default::default()));
        entry.0 = entry.0.min(method);
        if let Some(json) = countries.get(&method) {
            let list: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
            for k in list {
                if let Some(iso) = k.get("iso_2").and_then(|v| v.as_str()) {
                    entry.1.insert(iso.to_ascii_uppercase());
                }
            }
        }
    }
    let stored: Vec<(String, Option<i64>, Option<String>)> = so::table
        .filter(so::company_id.eq(company_id))
        .select((so::code, so::v2_method_id, so::to_countries))
        .load(c)?;
    for (code, old_method, old_countries) in stored {
        let (method, to) = match per_code.get(&code) {
            Some((m, set)) => (
                Some(*m),
                (!set.is_empty())
                    .then(|| serde_json::to_string(set).unwrap_or_else(|_| "[]".into())),
            ),
            None => (None, None),
        };
        if method != old_method || to != old_countries {
            diesel::update(so::table.filter(so::company_id.eq(company_id).and(so::code.eq(&code))))
                .set((so::v2_method_id.eq(method), so::to_countries.eq(to)))
                .execute(c)?;
        }
    }
    Ok(())
}

/// [`derive_option_links`] in its own transaction (after a sync whose
/// compat calls were skipped: the methods' countries may still have moved).
pub fn refresh_option_links(conn: &mut DbConn, company_id: i64) -> DbResult<()> {
    conn.write_transaction(|c| derive_option_links(c, company_id))
}
