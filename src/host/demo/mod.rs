//! Demo data in the reference host schema: two companies (a German one with a
//! warehouse in Austria, a Dutch one), about 50 customers, 30 products, 200
//! sales orders over the last 60 days in every status, goods deliveries for
//! the shipped ones, and a few broken addresses (no house number, an unknown
//! country) so that the error paths can be seen. Deterministic: the same
//! seed gives the same data, dated relative to "now".
//!
//! This file owns the loading; the seed data is in `seed`, the row structs
//! in `rows`. Each table's rows go in as multi-row INSERTs inside one
//! transaction (a handful of statements instead of about 1,500); the
//! derived `MultiConnection` has no batch insert, so they run on the
//! backend's own connection (as `sync::parcels` does).

mod rows;
mod seed;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

use crate::db::schema::*;
use crate::db::types::DecValue;
use crate::db::{DbConn, DbResult};
use rows::*;
use seed::*;

/// Rows per INSERT: 500 rows × at most 16 values stay far below both
/// backends' bind limits.
const BATCH_ROWS: usize = 500;

/// Inserts the slice `$rows` into `$table` as multi-row INSERTs of
/// [`BATCH_ROWS`] rows on the backend's own connection.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(BATCH_ROWS) {
            let insert = diesel::insert_into($table).values(chunk);
            match &mut *$conn {
                DbConn::Postgres(pg) => insert.execute(pg)?,
                DbConn::Sqlite(lite) => insert.execute(lite)?,
            };
        }
    }};
}

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
    insert_all!(conn, companies::table, &company_rows[..]);
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
    insert_all!(conn, warehouses::table, &warehouse_rows[..]);
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
    insert_all!(conn, customers::table, &customer_rows[..]);
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
    insert_all!(conn, contacts::table, &contact_rows[..]);
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
    insert_all!(conn, products::table, &product_rows[..]);
    summary.products = product_rows.len();
    let prods: Vec<(i64, i64, String, Decimal, String)> = products::table
        .select((
            products::id,
            products::company_id,
            products::sku,
            products::price,
            products::name,
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
    insert_all!(conn, product_attributes::table, &attr_rows[..]);

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
        let company_products: Vec<&(i64, i64, String, Decimal, String)> =
            prods.iter().filter(|p| p.1 == company).collect();
        let line_count = 1 + rng.below(4);
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        for _ in 0..line_count {
            let p = *rng.pick(&company_products);
            let qty = Decimal::from(1 + rng.below(3) as i64);
            total += p.3 * qty;
            lines.push((p.0, qty, p.3, p.4.clone()));
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
    insert_all!(conn, sales_orders::table, &order_rows[..]);
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
        for (i, (product_id, qty, price, name)) in lines.iter().enumerate() {
            line_rows.push(NewOrderLine {
                order_id: *order_id,
                line_no: (i as i32 + 1) * 10,
                product_id: *product_id,
                description: name.clone(),
                quantity: DecValue(*qty),
                unit_price: DecValue(*price),
            });
        }
    }
    insert_all!(conn, sales_order_lines::table, &line_rows[..]);
    let lines_loaded: Vec<(i64, i64, i64, Decimal)> = sales_order_lines::table
        .select((
            sales_order_lines::id,
            sales_order_lines::order_id,
            sales_order_lines::product_id,
            sales_order_lines::quantity,
        ))
        .order(sales_order_lines::id)
        .load(conn)?;
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
    insert_all!(conn, deliveries::table, &delivery_rows[..]);
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
    insert_all!(conn, delivery_lines::table, &dline_rows[..]);
    Ok(summary)
}

enum ContactKind {
    Person(String),
    PersonElsewhere(String),
    SameAsAccount(String),
    Empty,
}
