//! Lager konfigurieren: which synced Sendcloud sender address each warehouse
//! of a company ships from (`sendcloud_warehouse_links`, keyed by the host's
//! warehouse id). A warehouse without a link uses the account's default
//! sender address.

use chrono::Utc;
use diesel::prelude::*;
use serde::Serialize;

use crate::actionlog::{self, Action, Direction};
use crate::db::schema::{sendcloud_sender_addresses as sa, sendcloud_warehouse_links as wl};
use crate::db::{DbConn, DbError, DbResult};
use crate::host::{Host, Warehouse};

/// A synced sender address as the dropdown shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenderOption {
    pub sendcloud_id: i64,
    pub label: String,
    /// ISO-2 country of the address.
    pub country: String,
}

/// The warehouse's and its linked sender address's countries when they
/// differ (labels would name a sender in another country than the goods
/// leave from): `Some((warehouse, sender))`, shown as a warning on
/// Lager konfigurieren. No link, an unknown address or equal countries:
/// `None`.
pub fn country_mismatch(
    warehouse_country: &str,
    sender: Option<i64>,
    options: &[SenderOption],
) -> Option<(String, String)> {
    let s = options.iter().find(|o| Some(o.sendcloud_id) == sender)?;
    let (w, a) = (warehouse_country.trim(), s.country.trim());
    (!w.eq_ignore_ascii_case(a)).then(|| (w.to_ascii_uppercase(), a.to_ascii_uppercase()))
}

/// The company's active synced sender addresses.
pub fn sender_options(conn: &mut DbConn, company_id: i64) -> DbResult<Vec<SenderOption>> {
    type Row = (i64, String, String, String, String, String, String, String);
    let rows: Vec<Row> = sa::table
        .filter(sa::company_id.eq(company_id).and(sa::active.eq(true)))
        .order(sa::sendcloud_id)
        .select((
            sa::sendcloud_id,
            sa::label,
            sa::company_name,
            sa::street,
            sa::house_number,
            sa::postal_code,
            sa::city,
            sa::country,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, label, company, street, number, postal, city, country)| {
                let address = format!("{street} {number}, {postal} {city}, {country}");
                let country = country.trim().to_ascii_uppercase();
                let name = if label.trim().is_empty() {
                    company
                } else {
                    label
                };
                SenderOption {
                    sendcloud_id: id,
                    label: format!("{name} – {}", address.trim()),
                    country,
                }
            },
        )
        .collect())
}

/// Every warehouse of the company with its linked sender address (if any).
pub fn links(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
) -> DbResult<Vec<(Warehouse, Option<i64>)>> {
    let warehouses = host.warehouses(conn, company_id)?;
    let linked: Vec<(i64, i64)> = wl::table
        .filter(wl::company_id.eq(company_id))
        .select((wl::warehouse_id, wl::sender_address_id))
        .load(conn)?;
    Ok(warehouses
        .into_iter()
        .map(|w| {
            let link = linked.iter().find(|(wid, _)| *wid == w.id).map(|(_, s)| *s);
            (w, link)
        })
        .collect())
}

/// Save the links (`None` = the account's default). Only warehouses of the
/// company and active sender addresses of the company are accepted; anything
/// else is an error and nothing is saved. Returns how many links changed.
pub fn save_links(
    conn: &mut DbConn,
    host: &dyn Host,
    company_id: i64,
    choices: &[(i64, Option<i64>)],
    user: &str,
) -> DbResult<usize> {
    let warehouses = host.warehouses(conn, company_id)?;
    let options = sender_options(conn, company_id)?;
    for (wid, sender) in choices {
        if !warehouses.iter().any(|w| w.id == *wid) {
            return Err(DbError::Invalid(format!(
                "Lager {wid} gehört nicht zu diesem Mandanten"
            )));
        }
        if let Some(s) = sender {
            if !options.iter().any(|o| o.sendcloud_id == *s) {
                return Err(DbError::Invalid(format!(
                    "Absenderadresse {s} ist nicht abgeglichen oder nicht aktiv"
                )));
            }
        }
    }
    conn.write_transaction(|c| {
        let now = Utc::now().naive_utc();
        let current = links(c, host, company_id)?;
        let mut changed = vec![];
        for (wid, sender) in choices {
            let before = current
                .iter()
                .find(|(w, _)| w.id == *wid)
                .and_then(|(_, s)| *s);
            if before == *sender {
                continue;
            }
            diesel::delete(wl::table.find(wid)).execute(c)?;
            if let Some(s) = sender {
                diesel::insert_into(wl::table)
                    .values((
                        wl::warehouse_id.eq(wid),
                        wl::company_id.eq(company_id),
                        wl::sender_address_id.eq(s),
                        wl::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
            let code = current
                .iter()
                .find(|(w, _)| w.id == *wid)
                .map(|(w, _)| w.code.clone())
                .unwrap_or_default();
            changed.push(format!(
                "{code} → {}",
                sender
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "Standard".into())
            ));
        }
        if !changed.is_empty() {
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company_id),
                    direction: Direction::Internal,
                    action: "warehouses.save",
                    target: "Lager konfigurieren",
                    ok: true,
                    status_code: None,
                    message: &changed.join(", "),
                    user_name: Some(user),
                },
            )?;
        }
        Ok(changed.len())
    })
}
