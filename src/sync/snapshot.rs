//! Snapshot stores for the small lists (the run loop in `sync` fetches the
//! whole list): in one transaction upsert every item by (company, Sendcloud id), count what was
//! created, changed or unchanged, and mark the rows Sendcloud no longer lists
//! as inactive.

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

use super::Counts;
use crate::db::schema::{
    sendcloud_carriers as car, sendcloud_parcel_statuses as ps, sendcloud_sender_addresses as sa,
    sendcloud_shipping_methods as sm,
};
use crate::db::types::DecValue;
use crate::db::{DbConn, DbError};
use crate::sendcloud::{Brand, SenderAddress, ShippingMethod};

/// The stored fields of a sender address, to tell changed from unchanged.
#[derive(Debug, PartialEq, Queryable)]
struct AddressRow {
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
    active: bool,
}

fn address_row(a: &SenderAddress) -> AddressRow {
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
        active: true,
    }
}

pub fn store_sender_addresses(
    conn: &mut DbConn,
    company_id: i64,
    list: &[SenderAddress],
) -> Result<Counts, DbError> {
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let mut counts = Counts {
            fetched: list.len() as i32,
            ..Default::default()
        };
        for a in list {
            let row = address_row(a);
            let existing: Option<AddressRow> = sa::table
                .filter(sa::company_id.eq(company_id).and(sa::sendcloud_id.eq(a.id)))
                .select((
                    sa::company_name,
                    sa::contact_name,
                    sa::email,
                    sa::telephone,
                    sa::street,
                    sa::house_number,
                    sa::postal_box,
                    sa::postal_code,
                    sa::city,
                    sa::country,
                    sa::country_state,
                    sa::vat_number,
                    sa::eori_number,
                    sa::brand_id,
                    sa::label,
                    sa::active,
                ))
                .first(c)
                .optional()?;
            let values = (
                sa::company_name.eq(&row.company_name),
                sa::contact_name.eq(&row.contact_name),
                sa::email.eq(&row.email),
                sa::telephone.eq(&row.telephone),
                sa::street.eq(&row.street),
                sa::house_number.eq(&row.house_number),
                sa::postal_box.eq(&row.postal_box),
                sa::postal_code.eq(&row.postal_code),
                sa::city.eq(&row.city),
                sa::country.eq(&row.country),
                sa::country_state.eq(&row.country_state),
                sa::vat_number.eq(&row.vat_number),
                sa::eori_number.eq(&row.eori_number),
                sa::brand_id.eq(row.brand_id),
                sa::label.eq(&row.label),
                sa::active.eq(true),
                sa::synced_at.eq(now),
            );
            match existing {
                None => {
                    diesel::insert_into(sa::table)
                        .values((
                            sa::company_id.eq(company_id),
                            sa::sendcloud_id.eq(a.id),
                            values,
                        ))
                        .execute(c)?;
                    counts.created += 1;
                }
                Some(old) if old == row => {
                    diesel::update(
                        sa::table
                            .filter(sa::company_id.eq(company_id).and(sa::sendcloud_id.eq(a.id))),
                    )
                    .set(sa::synced_at.eq(now))
                    .execute(c)?;
                    counts.unchanged += 1;
                }
                Some(_) => {
                    diesel::update(
                        sa::table
                            .filter(sa::company_id.eq(company_id).and(sa::sendcloud_id.eq(a.id))),
                    )
                    .set(values)
                    .execute(c)?;
                    counts.updated += 1;
                }
            }
        }
        let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
        counts.updated += diesel::update(
            sa::table.filter(
                sa::company_id
                    .eq(company_id)
                    .and(sa::active.eq(true))
                    .and(sa::sendcloud_id.ne_all(&ids)),
            ),
        )
        .set((sa::active.eq(false), sa::synced_at.eq(now)))
        .execute(c)? as i32;
        Ok(counts)
    })
}

pub fn store_shipping_methods(
    conn: &mut DbConn,
    company_id: i64,
    list: &[ShippingMethod],
) -> Result<Counts, DbError> {
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let mut counts = Counts { fetched: list.len() as i32, ..Default::default() };
        let mut seen = HashSet::new();
        let mut carriers: BTreeMap<String, i32> = BTreeMap::new();
        for m in list {
            // `sender_address=all` may list a method once per sender address.
            if !seen.insert(m.id) {
                continue;
            }
            *carriers.entry(m.carrier.clone()).or_default() += 1;
            let countries = serde_json::to_string(
                &m.countries
                    .iter()
                    .map(|k| serde_json::json!({"iso_2": k.iso_2, "price": k.price.to_string(), "lead_time_hours": k.lead_time_hours}))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_else(|_| "[]".into());
            let row = (m.name.clone(), m.carrier.clone(), m.min_weight, m.max_weight, m.service_point_input.clone(), countries.clone(), true);
            let existing: Option<(String, String, Decimal, Decimal, String, String, bool)> = sm::table
                .filter(sm::company_id.eq(company_id).and(sm::sendcloud_id.eq(m.id)))
                .select((sm::name, sm::carrier, sm::min_weight, sm::max_weight, sm::service_point_input, sm::countries, sm::active))
                .first(c)
                .optional()?;
            let values = (
                sm::name.eq(&m.name),
                sm::carrier.eq(&m.carrier),
                sm::min_weight.eq(DecValue(m.min_weight)),
                sm::max_weight.eq(DecValue(m.max_weight)),
                sm::service_point_input.eq(&m.service_point_input),
                sm::countries.eq(&countries),
                sm::active.eq(true),
                sm::synced_at.eq(now),
            );
            let target = sm::table.filter(sm::company_id.eq(company_id).and(sm::sendcloud_id.eq(m.id)));
            match existing {
                None => {
                    diesel::insert_into(sm::table)
                        .values((sm::company_id.eq(company_id), sm::sendcloud_id.eq(m.id), values))
                        .execute(c)?;
                    counts.created += 1;
                }
                Some(old) if old == row => {
                    diesel::update(target).set(sm::synced_at.eq(now)).execute(c)?;
                    counts.unchanged += 1;
                }
                Some(_) => {
                    diesel::update(target).set(values).execute(c)?;
                    counts.updated += 1;
                }
            }
        }
        let ids: Vec<i64> = seen.into_iter().collect();
        counts.updated += diesel::update(
            sm::table.filter(sm::company_id.eq(company_id).and(sm::active.eq(true)).and(sm::sendcloud_id.ne_all(&ids))),
        )
        .set((sm::active.eq(false), sm::synced_at.eq(now)))
        .execute(c)? as i32;
        // Carriers: those the enabled methods use.
        diesel::update(car::table.filter(car::company_id.eq(company_id)))
            .set(car::active.eq(false))
            .execute(c)?;
        for (code, methods) in carriers {
            let n = diesel::update(car::table.filter(car::company_id.eq(company_id).and(car::code.eq(&code))))
                .set((car::methods.eq(methods), car::active.eq(true), car::synced_at.eq(now)))
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

pub fn store_parcel_statuses(
    conn: &mut DbConn,
    company_id: i64,
    list: &[(i64, String)],
) -> Result<Counts, DbError> {
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let mut counts = Counts {
            fetched: list.len() as i32,
            ..Default::default()
        };
        for (id, message) in list {
            let existing: Option<(String, bool)> = ps::table
                .filter(ps::company_id.eq(company_id).and(ps::status_id.eq(id)))
                .select((ps::message, ps::active))
                .first(c)
                .optional()?;
            let target = ps::table.filter(ps::company_id.eq(company_id).and(ps::status_id.eq(id)));
            match existing {
                None => {
                    diesel::insert_into(ps::table)
                        .values((
                            ps::company_id.eq(company_id),
                            ps::status_id.eq(id),
                            ps::message.eq(message),
                            ps::active.eq(true),
                            ps::synced_at.eq(now),
                        ))
                        .execute(c)?;
                    counts.created += 1;
                }
                Some((m, true)) if &m == message => {
                    diesel::update(target)
                        .set(ps::synced_at.eq(now))
                        .execute(c)?;
                    counts.unchanged += 1;
                }
                Some(_) => {
                    diesel::update(target)
                        .set((
                            ps::message.eq(message),
                            ps::active.eq(true),
                            ps::synced_at.eq(now),
                        ))
                        .execute(c)?;
                    counts.updated += 1;
                }
            }
        }
        let ids: Vec<i64> = list.iter().map(|(id, _)| *id).collect();
        counts.updated += diesel::update(
            ps::table.filter(
                ps::company_id
                    .eq(company_id)
                    .and(ps::active.eq(true))
                    .and(ps::status_id.ne_all(&ids)),
            ),
        )
        .set((ps::active.eq(false), ps::synced_at.eq(now)))
        .execute(c)? as i32;
        Ok(counts)
    })
}

/// The stored fields of a brand.
type BrandRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
);

pub fn store_brands(conn: &mut DbConn, company_id: i64, list: &[Brand]) -> Result<Counts, DbError> {
    use crate::db::schema::sendcloud_brands as b;
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let mut counts = Counts {
            fetched: list.len() as i32,
            ..Default::default()
        };
        for brand in list {
            let row: BrandRow = (
                brand.name.clone(),
                brand.domain.clone(),
                brand.website.clone().filter(|w| !w.is_empty()),
                brand.color.clone().filter(|w| !w.is_empty()),
                brand.screen_logo.url.clone().filter(|w| !w.is_empty()),
                brand
                    .notify_reply_to_email
                    .clone()
                    .filter(|w| !w.is_empty()),
                true,
            );
            let target = b::table.filter(
                b::company_id
                    .eq(company_id)
                    .and(b::sendcloud_id.eq(brand.id)),
            );
            let existing: Option<BrandRow> = target
                .select((
                    b::name,
                    b::domain,
                    b::website,
                    b::color,
                    b::screen_logo_url,
                    b::reply_to_email,
                    b::active,
                ))
                .first(c)
                .optional()?;
            let values = (
                b::name.eq(&row.0),
                b::domain.eq(&row.1),
                b::website.eq(&row.2),
                b::color.eq(&row.3),
                b::screen_logo_url.eq(&row.4),
                b::reply_to_email.eq(&row.5),
                b::active.eq(true),
                b::synced_at.eq(now),
            );
            match existing {
                None => {
                    diesel::insert_into(b::table)
                        .values((
                            b::company_id.eq(company_id),
                            b::sendcloud_id.eq(brand.id),
                            values,
                        ))
                        .execute(c)?;
                    counts.created += 1;
                }
                Some(old) if old == row => {
                    diesel::update(target)
                        .set(b::synced_at.eq(now))
                        .execute(c)?;
                    counts.unchanged += 1;
                }
                Some(_) => {
                    diesel::update(target).set(values).execute(c)?;
                    counts.updated += 1;
                }
            }
        }
        let ids: Vec<i64> = list.iter().map(|brand| brand.id).collect();
        counts.updated += diesel::update(
            b::table.filter(
                b::company_id
                    .eq(company_id)
                    .and(b::active.eq(true))
                    .and(b::sendcloud_id.ne_all(&ids)),
            ),
        )
        .set((b::active.eq(false), b::synced_at.eq(now)))
        .execute(c)? as i32;
        Ok(counts)
    })
}
