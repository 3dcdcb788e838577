//! The reports of Berichte → Lager → Sendcloud on both databases: each
//! filter returns exactly its rows, keyset paging visits every row once in
//! order (for every sort and direction), details stay within the company,
//! the pages render every tab with data in every language, the CSV export
//! of 100,000 parcels streams page by page, and the Aktions-Logging never
//! shows or stores a secret or a personal datum.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sendcloud_plugin::actionlog::{self, Action, Direction, Extra};
use sendcloud_plugin::db::schema::{
    companies, sendcloud_action_log as al, sendcloud_brands as b, sendcloud_parcels as p,
    sendcloud_sender_addresses as sa, sendcloud_shipping_methods as m,
};
use sendcloud_plugin::db::{Db, DbConn};
use sendcloud_plugin::reports::{
    actions, catalog, parcels, runs, Cursor, DateRange, Dir, Page, ReportResult,
};
use sendcloud_plugin::sync::{self, Counts, ObjectCounts, SyncObject};

use crate::common::{TestApp, ADMIN_PASSWORD};

/// A parcel to seed.
#[derive(Clone, Debug)]
pub struct Seed {
    pub order: String,
    pub name: String,
    pub company_name: String,
    pub city: String,
    pub tracking: String,
    pub carrier: Option<String>,
    pub status_id: i64,
    pub status: String,
    pub is_return: bool,
    pub created: NaiveDateTime,
    pub as_of_ms: i64,
}

fn day(d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d)
        .unwrap()
        .and_hms_opt(10, 30, 0)
        .unwrap()
}

/// Parcels with repeating values, so that filters and sorts meet ties.
pub(crate) fn seeds(n: usize) -> Vec<Seed> {
    let carriers = [Some("dhl"), Some("dpd"), Some("ups"), None];
    let statuses = [
        (11, "Delivered"),
        (3, "En route to sorting center"),
        (80, "Unable to deliver"),
        (1000, "Ready to send"),
    ];
    let names = [
        "Maria Muster",
        "Jan Jansen",
        "Zoë Dupont",
        "Karl Klein",
        "Ana 50% Off",
    ];
    let cities = ["Köln", "Utrecht", "Lyon", "Berlin"];
    (0..n)
        .map(|i| {
            let (sid, status) = statuses[i % statuses.len()];
            Seed {
                order: format!("SO-2026-{:05}", i % 37),
                name: names[i % names.len()].to_string(),
                company_name: if i % 3 == 0 {
                    "Muster GmbH".into()
                } else {
                    String::new()
                },
                city: cities[i % cities.len()].to_string(),
                tracking: format!("JVGL{:08}", (i * 7919) % 100_000),
                carrier: carriers[i % carriers.len()].map(str::to_string),
                status_id: sid,
                status: status.to_string(),
                is_return: i % 5 == 0,
                created: day(1 + (i % 28) as u32),
                as_of_ms: 1_764_000_000_000 + ((i % 13) as i64) * 1000,
            }
        })
        .collect()
}

pub fn insert_parcels(conn: &mut DbConn, company: i64, first_sendcloud_id: i64, seeds: &[Seed]) {
    let now = chrono::Utc::now().naive_utc();
    for (chunk_no, chunk) in seeds.chunks(1000).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    p::company_id.eq(company),
                    p::sendcloud_id.eq(first_sendcloud_id + (chunk_no * 1000 + i) as i64),
                    p::order_number.eq(s.order.clone()),
                    p::name.eq(s.name.clone()),
                    p::company_name.eq(s.company_name.clone()),
                    p::city.eq(s.city.clone()),
                    p::postal_code.eq("50667"),
                    p::country.eq("DE"),
                    p::tracking_number.eq(s.tracking.clone()),
                    p::carrier.eq(s.carrier.clone()),
                    p::status_id.eq(Some(s.status_id)),
                    p::status_message.eq(s.status.clone()),
                    p::is_return.eq(s.is_return),
                    p::date_created.eq(Some(s.created)),
                    p::as_of_ms.eq(s.as_of_ms),
                    p::synced_at.eq(now),
                )
            })
            .collect();
        let insert = diesel::insert_into(p::table).values(rows);
        match conn {
            DbConn::Postgres(pg) => insert.execute(pg).unwrap(),
            DbConn::Sqlite(lite) => insert.execute(lite).unwrap(),
        };
    }
}

/// The module's database with the demo data; the first two companies.
fn open(url: &str) -> (Db, i64, i64) {
    let db = Db::open(url).unwrap();
    let mut c = db.conn().unwrap();
    sendcloud_plugin::host::demo::load_if_empty(&mut c).unwrap();
    let ids: Vec<i64> = companies::table
        .select(companies::id)
        .order(companies::id)
        .load(&mut c)
        .unwrap();
    (db.clone(), ids[0], ids[1])
}

/// Every row of a report, page by page (asserting no page repeats a row).
fn all_pages<T, K: Ord + Clone + std::fmt::Debug>(
    limit: i64,
    mut page: impl FnMut(Option<&Cursor>, i64) -> ReportResult<Page<T>>,
    key: impl Fn(&T) -> K,
) -> Vec<K> {
    let mut out = vec![];
    let mut after: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let pg = page(after.as_ref(), limit).unwrap();
        assert!(pg.rows.len() as i64 <= limit);
        out.extend(pg.rows.iter().map(&key));
        pages += 1;
        assert!(pages < 100_000, "paging does not end");
        match pg.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    out
}

fn ids_of(conn: &mut DbConn, company: i64, f: &parcels::ParcelFilter) -> BTreeSet<i64> {
    all_pages(
        7,
        |after, limit| {
            parcels::list(
                conn,
                company,
                f,
                parcels::ParcelSort::Updated,
                Dir::Desc,
                after,
                limit,
            )
        },
        |r| r.id,
    )
    .into_iter()
    .collect()
}

/// (id, seed) of the company's stored parcels.
fn stored(conn: &mut DbConn, company: i64, seeds: &[Seed]) -> Vec<(i64, Seed)> {
    let rows: Vec<(i64, i64)> = p::table
        .filter(p::company_id.eq(company))
        .order(p::sendcloud_id)
        .select((p::id, p::sendcloud_id))
        .load(conn)
        .unwrap();
    rows.into_iter()
        .zip(seeds.iter().cloned())
        .map(|((id, _), s)| (id, s))
        .collect()
}

db_test!(each_parcel_filter_returns_exactly_its_rows, |t| {
    let (db, company, other) = open(&t.url);
    let mut c = db.conn().unwrap();
    let seeds = seeds(120);
    insert_parcels(&mut c, company, 1, &seeds);
    // Another company's parcels match every filter too: never shown.
    insert_parcels(&mut c, other, 1, &seeds);
    let rows = stored(&mut c, company, &seeds);
    let expect = |pred: &dyn Fn(&Seed) -> bool| -> BTreeSet<i64> {
        rows.iter()
            .filter(|(_, s)| pred(s))
            .map(|(id, _)| *id)
            .collect()
    };
    let none = parcels::ParcelFilter::default();
    assert_eq!(ids_of(&mut c, company, &none), expect(&|_| true));
    assert_eq!(ids_of(&mut c, company, &none).len(), 120);

    let f = parcels::ParcelFilter {
        status_id: Some(80),
        ..Default::default()
    };
    assert_eq!(ids_of(&mut c, company, &f), expect(&|s| s.status_id == 80));

    let f = parcels::ParcelFilter {
        carrier: Some("dpd".into()),
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| s.carrier.as_deref() == Some("dpd"))
    );

    let f = parcels::ParcelFilter {
        order_number: Some("SO-2026-0001".into()),
        ..Default::default()
    };
    let got = ids_of(&mut c, company, &f);
    assert_eq!(got, expect(&|s| s.order.starts_with("SO-2026-0001")));
    assert!(!got.is_empty());

    let f = parcels::ParcelFilter {
        tracking_number: Some(seeds[5].tracking.clone()),
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| s.tracking.starts_with(&seeds[5].tracking))
    );

    let f = parcels::ParcelFilter {
        is_return: Some(true),
        ..Default::default()
    };
    assert_eq!(ids_of(&mut c, company, &f), expect(&|s| s.is_return));
    let f = parcels::ParcelFilter {
        is_return: Some(false),
        ..Default::default()
    };
    assert_eq!(ids_of(&mut c, company, &f), expect(&|s| !s.is_return));

    // Whole days, both ends included.
    let range = DateRange {
        from: NaiveDate::from_ymd_opt(2026, 11, 3),
        to: NaiveDate::from_ymd_opt(2026, 11, 5),
        zone: None,
    };
    let f = parcels::ParcelFilter {
        created: range,
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| (day(3)..day(6)).contains(&s.created))
    );

    // Free text: any case, in name, company, city; wildcards are literal.
    let f = parcels::ParcelFilter {
        text: Some("köln".into()),
        ..Default::default()
    };
    // SQLite's lower() folds ASCII only: "Köln" stays "köln" either way.
    assert_eq!(ids_of(&mut c, company, &f), expect(&|s| s.city == "Köln"));
    let f = parcels::ParcelFilter {
        text: Some("MUSTER".into()),
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| s.name.contains("Muster") || s.company_name.contains("Muster"))
    );
    let f = parcels::ParcelFilter {
        text: Some("50%".into()),
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| s.name.contains("50%"))
    );

    // Combined: AND.
    let f = parcels::ParcelFilter {
        carrier: Some("dhl".into()),
        status_id: Some(11),
        is_return: Some(false),
        ..Default::default()
    };
    assert_eq!(
        ids_of(&mut c, company, &f),
        expect(&|s| s.carrier.as_deref() == Some("dhl") && s.status_id == 11 && !s.is_return)
    );

    // Detail: the company's own parcel only.
    let (id, _) = rows[0];
    assert!(parcels::detail(&mut c, company, id).unwrap().is_some());
    assert!(parcels::detail(&mut c, other, id).unwrap().is_none());
});

db_test!(keyset_paging_visits_every_row_once_in_order, |t| {
    let (db, company, _) = open(&t.url);
    let mut c = db.conn().unwrap();
    let seeds = seeds(83);
    insert_parcels(&mut c, company, 1, &seeds);
    let rows = stored(&mut c, company, &seeds);
    for sort in parcels::ParcelSort::ALL {
        for dir in [Dir::Asc, Dir::Desc] {
            for limit in [1, 7, 50, 83, 200] {
                let got = all_pages(
                    limit,
                    |after, limit| {
                        parcels::list(
                            &mut c,
                            company,
                            &Default::default(),
                            sort,
                            dir,
                            after,
                            limit,
                        )
                    },
                    |r| r.id,
                );
                let key = |s: &Seed| match sort {
                    parcels::ParcelSort::Updated => format!("{:020}", s.as_of_ms),
                    parcels::ParcelSort::OrderNumber => s.order.clone(),
                    parcels::ParcelSort::TrackingNumber => s.tracking.clone(),
                    parcels::ParcelSort::Status => s.status.clone(),
                };
                let mut want: Vec<(String, i64)> =
                    rows.iter().map(|(id, s)| (key(s), *id)).collect();
                want.sort();
                if dir == Dir::Desc {
                    want.reverse();
                }
                let want: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
                assert_eq!(got, want, "{sort:?} {dir:?} by {limit}");
            }
        }
    }
    // A cursor that does not fit the sort is refused, not misread.
    let bad = Cursor {
        key: "not a number".into(),
        id: 1,
    };
    assert!(parcels::list(
        &mut c,
        company,
        &Default::default(),
        parcels::ParcelSort::Updated,
        Dir::Desc,
        Some(&bad),
        10
    )
    .is_err());
});

pub(crate) fn seed_catalog(c: &mut DbConn, company: i64) {
    let now = chrono::Utc::now().naive_utc();
    for (i, (name, domain, active)) in [
        ("Muster Mode", "muster.de", true),
        ("Alpha", "alpha.nl", true),
        ("Zeta", "zeta.fr", false),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(b::table)
            .values((
                b::company_id.eq(company),
                b::sendcloud_id.eq(i as i64 + 1),
                b::name.eq(name),
                b::domain.eq(domain),
                b::active.eq(active),
                b::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    }
    for (i, (name, carrier, active)) in [
        ("DHL Paket 0-31.5kg", "dhl", true),
        ("DPD Classic", "dpd", true),
        ("DHL Retoure", "dhl", false),
        ("Unstamped letter", "sendcloud", true),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(m::table)
            .values((
                m::company_id.eq(company),
                m::sendcloud_id.eq(i as i64 + 8),
                m::name.eq(name),
                m::carrier.eq(carrier),
                m::min_weight.eq(sendcloud_plugin::db::types::DecValue(
                    rust_decimal::Decimal::ZERO,
                )),
                m::max_weight.eq(sendcloud_plugin::db::types::DecValue(
                    rust_decimal::Decimal::new(315, 1),
                )),
                m::service_point_input.eq("none"),
                m::countries.eq("[\"DE\",\"NL\"]"),
                m::active.eq(active),
                m::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    }
    // The carriers the shipping methods sync records (the parcel filter's
    // choices).
    for code in ["dhl", "dpd", "sendcloud", "ups"] {
        use sendcloud_plugin::db::schema::sendcloud_carriers as cr;
        diesel::insert_into(cr::table)
            .values((
                cr::company_id.eq(company),
                cr::code.eq(code),
                cr::methods.eq(1),
                cr::active.eq(true),
                cr::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    }
    for (i, (company_name, city, active)) in [
        ("Lager Köln", "Köln", true),
        ("Lager Utrecht", "Utrecht", true),
        ("Altes Lager", "Bonn", false),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(sa::table)
            .values((
                sa::company_id.eq(company),
                sa::sendcloud_id.eq(i as i64 + 20),
                sa::company_name.eq(company_name),
                sa::contact_name.eq("Maria Muster"),
                sa::email.eq("lager@example.com"),
                sa::telephone.eq("+49 221 1234567"),
                sa::street.eq("Hauptstraße"),
                sa::house_number.eq("1"),
                sa::postal_box.eq(""),
                sa::postal_code.eq("50667"),
                sa::city.eq(city),
                sa::country.eq("DE"),
                sa::vat_number.eq(""),
                sa::eori_number.eq(""),
                sa::label.eq(format!("Absender {i}")),
                sa::active.eq(active),
                sa::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    }
}

db_test!(
    catalog_run_and_action_filters_return_exactly_their_rows,
    |t| {
        let (db, company, other) = open(&t.url);
        let mut c = db.conn().unwrap();
        seed_catalog(&mut c, company);
        seed_catalog(&mut c, other);
        let names = |page: Page<catalog::BrandRow>| {
            page.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
        };
        let all = catalog::CatalogFilter::default();
        let by_name = |c: &mut DbConn, f: &catalog::CatalogFilter, dir| {
            names(
                catalog::brands(c, company, f, catalog::CatalogSort::Name, dir, None, 50).unwrap(),
            )
        };
        assert_eq!(
            by_name(&mut c, &all, Dir::Asc),
            ["Alpha", "Muster Mode", "Zeta"]
        );
        assert_eq!(
            by_name(&mut c, &all, Dir::Desc),
            ["Zeta", "Muster Mode", "Alpha"]
        );
        let active = catalog::CatalogFilter {
            active: Some(true),
            ..Default::default()
        };
        assert_eq!(by_name(&mut c, &active, Dir::Asc), ["Alpha", "Muster Mode"]);
        let gone = catalog::CatalogFilter {
            active: Some(false),
            ..Default::default()
        };
        assert_eq!(by_name(&mut c, &gone, Dir::Asc), ["Zeta"]);
        let text = catalog::CatalogFilter {
            text: Some(".NL".into()),
            ..Default::default()
        };
        assert_eq!(by_name(&mut c, &text, Dir::Asc), ["Alpha"]);

        let dhl = catalog::CatalogFilter {
            carrier: Some("dhl".into()),
            ..Default::default()
        };
        let methods: Vec<String> = catalog::methods(
            &mut c,
            company,
            &dhl,
            catalog::CatalogSort::Name,
            Dir::Asc,
            None,
            50,
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect();
        assert_eq!(methods, ["DHL Paket 0-31.5kg", "DHL Retoure"]);
        let by_carrier: Vec<String> = catalog::methods(
            &mut c,
            company,
            &all,
            catalog::CatalogSort::Second,
            Dir::Desc,
            None,
            50,
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.carrier)
        .collect();
        assert_eq!(by_carrier, ["sendcloud", "dpd", "dhl", "dhl"]);
        assert_eq!(
            catalog::method_carriers(&mut c, company).unwrap(),
            ["dhl", "dpd", "sendcloud"]
        );

        let utrecht = catalog::CatalogFilter {
            text: Some("utrecht".into()),
            ..Default::default()
        };
        let senders = catalog::senders(
            &mut c,
            company,
            &utrecht,
            catalog::CatalogSort::Name,
            Dir::Asc,
            None,
            50,
        )
        .unwrap();
        assert_eq!(senders.rows.len(), 1);
        assert_eq!(senders.rows[0].company_name, "Lager Utrecht");
        let id = senders.rows[0].id;
        assert!(catalog::sender(&mut c, company, id).unwrap().is_some());
        assert!(catalog::sender(&mut c, other, id).unwrap().is_none());

        // Runs: state, trigger, start date.
        let r1 = sync::create_run(&mut c, company, "manual", &[SyncObject::Parcels]).unwrap();
        let r2 = sync::create_run(&mut c, company, "schedule", &[SyncObject::Brands]).unwrap();
        let r3 = sync::create_run(&mut c, company, "manual", &[SyncObject::Brands]).unwrap();
        sync::create_run(&mut c, other, "manual", &[SyncObject::Brands]).unwrap();
        {
            use sendcloud_plugin::db::schema::sendcloud_sync_runs as r;
            diesel::update(r::table.find(r1))
                .set((r::state.eq("failed"), r::started_at.eq(day(2))))
                .execute(&mut c)
                .unwrap();
            diesel::update(r::table.find(r2))
                .set((r::state.eq("done"), r::started_at.eq(day(3))))
                .execute(&mut c)
                .unwrap();
            diesel::update(r::table.find(r3))
                .set((r::state.eq("done"), r::started_at.eq(day(4))))
                .execute(&mut c)
                .unwrap();
        }
        let run_ids = |c: &mut DbConn, f: &runs::RunFilter| -> Vec<i64> {
            runs::list(c, company, f, Dir::Desc, None, 50)
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(run_ids(&mut c, &Default::default()), [r3, r2, r1]);
        assert_eq!(
            run_ids(
                &mut c,
                &runs::RunFilter {
                    state: Some("done".into()),
                    ..Default::default()
                }
            ),
            [r3, r2]
        );
        assert_eq!(
            run_ids(
                &mut c,
                &runs::RunFilter {
                    trigger: Some("manual".into()),
                    ..Default::default()
                }
            ),
            [r3, r1]
        );
        let range = DateRange {
            from: NaiveDate::from_ymd_opt(2026, 11, 3),
            to: NaiveDate::from_ymd_opt(2026, 11, 3),
            zone: None,
        };
        assert_eq!(
            run_ids(
                &mut c,
                &runs::RunFilter {
                    started: range,
                    ..Default::default()
                }
            ),
            [r2]
        );
        assert_eq!(
            runs::triggers(&mut c, company).unwrap(),
            ["manual", "schedule"]
        );
        let paged = all_pages(
            1,
            |after, limit| runs::list(&mut c, company, &Default::default(), Dir::Asc, after, limit),
            |r| r.id,
        );
        assert_eq!(paged, [r1, r2, r3]);

        // Actions: direction, result, action prefix, free text (user too).
        let log = |c: &mut DbConn,
                   company: i64,
                   direction,
                   action: &str,
                   ok,
                   user: Option<&str>,
                   msg: &str| {
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company),
                    direction,
                    action,
                    target: "Ziel",
                    ok,
                    status_code: None,
                    message: msg,
                    user_name: user,
                },
            )
            .unwrap();
        };
        log(
            &mut c,
            company,
            Direction::Outgoing,
            "sync.parcels",
            true,
            None,
            "10 geholt",
        );
        log(
            &mut c,
            company,
            Direction::Outgoing,
            "sync.brands",
            false,
            None,
            "Sendcloud antwortet nicht",
        );
        log(
            &mut c,
            company,
            Direction::Internal,
            "settings.save",
            true,
            Some("erika"),
            "Intervalle",
        );
        log(
            &mut c,
            company,
            Direction::Incoming,
            "webhook.parcel_status_changed",
            true,
            None,
            "Paket 7",
        );
        log(
            &mut c,
            other,
            Direction::Outgoing,
            "sync.parcels",
            true,
            None,
            "10 geholt",
        );
        let actions_of = |c: &mut DbConn, f: &actions::ActionFilter| -> Vec<String> {
            actions::list(c, company, f, Dir::Asc, None, 50)
                .unwrap()
                .rows
                .into_iter()
                .map(|e| e.action)
                .collect()
        };
        assert_eq!(actions_of(&mut c, &Default::default()).len(), 4);
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    action: Some("sync.".into()),
                    ..Default::default()
                }
            ),
            ["sync.parcels", "sync.brands"]
        );
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    result: Some("error".into()),
                    ..Default::default()
                }
            ),
            ["sync.brands"]
        );
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    direction: Some("in".into()),
                    ..Default::default()
                }
            ),
            ["webhook.parcel_status_changed"]
        );
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    text: Some("ERIKA".into()),
                    ..Default::default()
                }
            ),
            ["settings.save"]
        );
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    text: Some("antwortet".into()),
                    ..Default::default()
                }
            ),
            ["sync.brands"]
        );
        let today = chrono::Utc::now().date_naive();
        let tomorrow = today.succ_opt().unwrap();
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    at: DateRange {
                        from: Some(tomorrow),
                        to: None,
                        zone: None,
                    },
                    ..Default::default()
                }
            )
            .len(),
            0
        );
        assert_eq!(
            actions_of(
                &mut c,
                &actions::ActionFilter {
                    at: DateRange {
                        from: Some(today),
                        to: Some(today),
                        zone: None,
                    },
                    ..Default::default()
                }
            )
            .len(),
            4
        );
    }
);

/// The app with `n` seeded parcels for the company the admin sees first
/// (the first by name).
pub(crate) async fn app_with_parcels(t: crate::common::TestDb, n: usize) -> (TestApp, i64) {
    let app = TestApp::spawn(t).await;
    let company = app
        .state
        .db
        .run(move |c| {
            let company: i64 = companies::table
                .select(companies::id)
                .order((companies::name, companies::id))
                .first(c)?;
            insert_parcels(c, company, 1, &seeds(n));
            seed_catalog(c, company);
            seed_returns_invoices(c, company);
            Ok(company)
        })
        .await
        .unwrap();
    (app, company)
}

/// A page's visible text has no untranslated message id.
fn assert_translated(html: &str) {
    for prefix in [
        ">col-",
        ">empty-",
        ">filter-",
        ">report-",
        ">page-",
        ">trigger-",
        ">direction-",
        ">result-",
        "\"col-",
        ">run-",
        ">user-",
    ] {
        assert!(!html.contains(prefix), "untranslated id {prefix}… in page");
    }
}

db_async_test!(
    every_report_tab_renders_its_rows_filters_pages_and_details,
    |t| {
        let (app, company) = app_with_parcels(t, 130).await;
        app.state
            .db
            .run(move |c| {
                let run = sync::create_run(
                    c,
                    company,
                    "manual",
                    &[SyncObject::Parcels, SyncObject::Brands],
                )?;
                sync::set_started_by(c, run, "erika")?;
                let mut per = ObjectCounts::default();
                per.0.insert(
                    "parcels".into(),
                    Counts {
                        fetched: 130,
                        created: 130,
                        ..Default::default()
                    },
                );
                per.0.insert(
                    "brands".into(),
                    Counts {
                        fetched: 3,
                        created: 3,
                        ..Default::default()
                    },
                );
                use sendcloud_plugin::db::schema::sendcloud_sync_runs as r;
                diesel::update(r::table.find(run))
                    .set((
                        r::state.eq("done"),
                        r::object_counts.eq(per.to_json()),
                        r::finished_at.eq(chrono::Utc::now().naive_utc()),
                    ))
                    .execute(c)?;
                actionlog::record(
                    c,
                    &Action {
                        company_id: Some(company),
                        direction: Direction::Outgoing,
                        action: "sync.parcels",
                        target: "GET /api/v3/shipments",
                        ok: true,
                        status_code: Some(200),
                        message: "130 geholt",
                        user_name: None,
                    },
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let client = app.client();
        app.login(&client, "admin", ADMIN_PASSWORD).await;

        let parcels_page = app.page(&client, "/admin/reports?tab=parcels").await;
        assert_translated(&parcels_page);
        assert_eq!(
            parcels_page.matches("<tr data-id=").count(),
            50,
            "one page of 50"
        );
        assert!(
            parcels_page.contains("badge badge-ok") && parcels_page.contains("badge badge-error")
        );
        assert!(parcels_page.contains("id=\"page-next\""));
        // Dates in the reader's language with UTC in the tooltip.
        assert!(parcels_page.contains(" UTC\""));
        assert!(
            parcels_page.contains(".11.2026, 11:30"),
            "German date, Berlin time"
        );

        // Follow "next" to the end: every parcel once.
        let mut seen = BTreeSet::new();
        let mut html = parcels_page.clone();
        loop {
            for part in html.split("<tr data-id=\"").skip(1) {
                let id: i64 = part.split('"').next().unwrap().parse().unwrap();
                assert!(seen.insert(id), "parcel {id} twice");
            }
            let Some(start) = html.find("id=\"page-next\"") else {
                break;
            };
            let before = &html[..start];
            let href = before
                .rsplit("href=\"")
                .next()
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .replace("&#38;", "&");
            html = client
                .get(format!("{}{}", app.origin, href))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
        }
        assert_eq!(seen.len(), 130);

        // A filter (as the form sends it, empty fields included).
        let filtered = app
        .page(&client, "/admin/reports?tab=parcels&sort=updated&dir=desc&status=&carrier=dpd&order=&tracking=&kind=&from=&to=&q=")
        .await;
        let rows = filtered.matches("<tr data-id=").count();
        assert_eq!(
            rows,
            seeds(130)
                .iter()
                .filter(|s| s.carrier.as_deref() == Some("dpd"))
                .count()
                .min(50)
        );
        assert!(filtered.contains("id=\"filter-reset\""));
        let none = app
            .page(
                &client,
                "/admin/reports?tab=parcels&q=nobody-is-called-this",
            )
            .await;
        assert!(none.contains("Keine Einträge passen zu diesen Filtern."));
        // A sorted head links to the other direction.
        let sorted = app
            .page(
                &client,
                "/admin/reports?tab=parcels&sort=order_number&dir=asc",
            )
            .await;
        assert!(sorted.contains("SO-2026-00000"));
        assert!(sorted.contains("sort=order_number&#38;dir=desc"));
        // An edited cursor is a bad request, not a server error.
        let res = client
            .get(app.url("/admin/reports?tab=parcels&after=%%%"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);

        // Detail of the first row.
        let first: i64 = parcels_page
            .split("<tr data-id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let detail = app
            .page(&client, &format!("/admin/reports?tab=parcels&id={first}"))
            .await;
        assert_translated(&detail);
        assert!(detail.contains("id=\"detail-facts\"") && detail.contains("Sendungsnummer"));
        let res = client
            .get(app.url("/admin/reports?tab=parcels&id=999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);

        for (tab, expect) in [
            ("brands", "Muster Mode"),
            ("methods", "DPD Classic"),
            ("senders", "Lager Utrecht"),
            ("runs", "Manuell: erika"),
            ("actions", "GET /api/v3/shipments"),
            ("returns", "SO-R-2"),
            ("invoices", "EU-CENTRAL-1-0-22-NL0063503"),
        ] {
            let page = app
                .page(&client, &format!("/admin/reports?tab={tab}"))
                .await;
            assert_translated(&page);
            assert!(page.contains(expect), "{tab} shows {expect}");
            assert!(page.contains("<tr data-id="), "{tab} has rows");
            let id: i64 = page
                .split("<tr data-id=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let detail = app
                .page(&client, &format!("/admin/reports?tab={tab}&id={id}"))
                .await;
            assert_translated(&detail);
            assert!(detail.contains("id=\"detail-facts\""), "{tab} detail");
        }
        // A return's detail shows Sendcloud's answer masked; an invoice's its items.
        let returns_page = app.page(&client, "/admin/reports?tab=returns").await;
        let id: i64 = returns_page
            .split("<tr data-id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let detail = app
            .page(&client, &format!("/admin/reports?tab=returns&id={id}"))
            .await;
        assert!(detail.contains("id=\"detail-payload\""));
        assert!(!detail.contains("kunde2@example.com"), "e-mail masked");
        // Staff see who sent the return; Sendcloud's stored answer shows no
        // name or e-mail address.
        assert!(returns_page.contains("Zoë Dupont"));
        let payload = detail.split("id=\"detail-payload\"").nth(1).unwrap();
        assert!(
            !payload.contains("Zoë Dupont") && payload.contains("Z•••"),
            "names masked in the payload"
        );
        let invoices_page = app.page(&client, "/admin/reports?tab=invoices").await;
        assert!(invoices_page.contains("121.00") && invoices_page.contains("badge badge-warn"));
        let id: i64 = invoices_page
            .split("<tr data-id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let detail = app
            .page(&client, &format!("/admin/reports?tab=invoices&id={id}"))
            .await;
        assert!(detail.contains("id=\"detail-table\"") && detail.contains("Label DPD Classic"));

        let runs_page = app.page(&client, "/admin/reports?tab=runs").await;
        assert!(
            runs_page.contains("Pakete: 130 geholt, 130 neu"),
            "counts per object"
        );
        assert!(runs_page.contains("badge badge-ok"));

        // Every language renders every tab without untranslated ids.
        for lang in ["en", "nl", "fr"] {
            let csrf = TestApp::csrf_of(&runs_page);
            client
                .post(app.url("/language"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("lang", lang),
                    ("next", "/sendcloud/admin/reports"),
                ])
                .send()
                .await
                .unwrap();
            for tab in [
                "parcels", "returns", "invoices", "brands", "methods", "senders", "runs", "actions",
            ] {
                let page = app
                    .page(&client, &format!("/admin/reports?tab={tab}"))
                    .await;
                assert!(page.contains(&format!("lang=\"{lang}\"")), "{lang}");
                assert_translated(&page);
            }
        }
    }
);

db_async_test!(empty_reports_say_what_to_do, |t| {
    let app = TestApp::spawn(t).await;
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/reports?tab=parcels").await;
    assert!(page.contains("Noch keine Pakete – starten Sie einen Abgleich"));
    assert!(
        page.contains("id=\"report-empty-link\" href=")
            || page.contains("/admin/config\" id=\"report-empty-link\"")
    );
    let page = app.page(&client, "/admin/reports?tab=runs").await;
    assert!(page.contains("Noch kein Abgleich gelaufen"));
});

// A payload with API keys, e-mail addresses, names and a phone number is
// stored masked; a row written before masking (straight into the table) is
// masked when the page, the detail and the CSV show it.
db_async_test!(action_log_masks_secrets_and_personal_data, |t| {
    let app = TestApp::spawn(t).await;
    let company = app
        .state
        .db
        .run(|c| {
            let company: i64 = companies::table.select(companies::id).order((companies::name, companies::id)).first(c)?;
            let payload = serde_json::json!({
                "api_key": "pk_live_0123456789abcdefABCDEF",
                "secret": "sk_live_SUPERSECRET42",
                "to_address": {"name": "Maria Muster", "email": "maria.muster@example.com", "telephone": "+49 170 1234567"},
                "order_number": "SO-2026-00042",
            });
            actionlog::record_with(
                c,
                &Action { company_id: Some(company), direction: Direction::Outgoing, action: "orders.push", target: "POST /api/v3/orders", ok: false, status_code: Some(400), message: "rejected for maria.muster@example.com, Tel. 0221 1234567", user_name: Some("erika") },
                &Extra { duration_ms: Some(321), payload: Some(&payload) },
            )?;
            diesel::insert_into(al::table)
                .values((
                    al::company_id.eq(Some(company)),
                    al::at.eq(chrono::Utc::now().naive_utc()),
                    al::direction.eq("out"),
                    al::action.eq("legacy.call"),
                    al::target.eq("GET /x?api_key=sk_live_LEGACYSECRET9"),
                    al::result.eq("ok"),
                    al::message.eq("Bearer eyJhbGciOiJIUzI1NiJ9LEGACY for jan@example.org"),
                    al::payload.eq(Some("{\"secret_key\":\"LEGACYSECRET\",\"name\":\"Jan Jansen\"}")),
                ))
                .execute(c)?;
            Ok(company)
        })
        .await
        .unwrap();
    // Stored masked.
    let stored: Vec<(String, Option<String>)> = app
        .state
        .db
        .run(move |c| {
            Ok(al::table
                .filter(al::action.eq("orders.push"))
                .filter(al::company_id.eq(company))
                .select((al::message, al::payload))
                .load(c)?)
        })
        .await
        .unwrap();
    let (message, payload) = &stored[0];
    let payload = payload.clone().unwrap();
    for secret in [
        "0123456789abcdef",
        "SUPERSECRET",
        "maria.muster@",
        "Maria Muster",
        "1234567",
    ] {
        assert!(
            !message.contains(secret) && !payload.contains(secret),
            "{secret} stored: {message} {payload}"
        );
    }
    assert!(payload.contains("SO-2026-00042"), "facts stay");

    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/reports?tab=actions").await;
    let ids: Vec<i64> = page
        .split("<tr data-id=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    let mut shown = page.clone();
    for id in ids {
        shown.push_str(
            &app.page(&client, &format!("/admin/reports?tab=actions&id={id}"))
                .await,
        );
    }
    shown.push_str(&app.page(&client, "/admin/reports/export?tab=actions").await);
    for secret in [
        "0123456789abcdef",
        "SUPERSECRET",
        "maria.muster@",
        "Maria Muster",
        "1234567",
        "LEGACYSECRET",
        "eyJhbGciOiJIUzI1NiJ9",
        "jan@",
        "Jan Jansen",
    ] {
        assert!(!shown.contains(secret), "{secret} shown");
    }
    assert!(shown.contains("321 ms"), "duration");
    assert!(shown.contains("SO-2026-00042"));
    assert!(shown.contains("erika"));
});

db_async_test!(csv_of_100000_parcels_streams_page_by_page, |t| {
    const N: usize = 100_000;
    let (app, company) = app_with_parcels(t, 0).await;
    app.state
        .db
        .run(move |c| {
            let mut s = seeds(N);
            for (i, seed) in s.iter_mut().enumerate() {
                seed.as_of_ms = 1_764_000_000_000 + i as i64;
            }
            c.transaction(|c| {
                insert_parcels(c, company, 1, &s);
                Ok::<_, diesel::result::Error>(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let mut res = client
        .get(app.url("/admin/reports/export?tab=parcels&sort=updated&dir=asc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        res.headers().get("content-length").is_none(),
        "no length: streamed"
    );
    let mut body: Vec<u8> = vec![];
    let mut chunks = 0;
    let mut max_chunk = 0;
    // Take the header and the first page, then add a parcel that sorts
    // last: a response built before it was sent would not hold it; a
    // streamed one queries the last page only when it gets there.
    while body.iter().filter(|b| **b == b'\n').count() < 2 {
        let chunk = res.chunk().await.unwrap().expect("more body");
        chunks += 1;
        max_chunk = max_chunk.max(chunk.len());
        body.extend_from_slice(&chunk);
    }
    app.state
        .db
        .run(move |c| {
            let mut late = seeds(1);
            late[0].order = "SO-LATE-1".into();
            late[0].as_of_ms = 1_900_000_000_000;
            insert_parcels(c, company, 5_000_000, &late);
            Ok(())
        })
        .await
        .unwrap();
    while let Some(chunk) = res.chunk().await.unwrap() {
        chunks += 1;
        max_chunk = max_chunk.max(chunk.len());
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}ID;Aktualisiert;Auftragsnummer"));
    assert_eq!(lines.len(), 1 + N + 1, "header, every parcel, the late one");
    assert!(
        lines.last().unwrap().contains("SO-LATE-1"),
        "the late parcel came last"
    );
    // Page by page: at least one chunk per 1,000 rows, none larger than a
    // page (about 110 bytes a row here).
    assert!(chunks > N / 1000, "{chunks} chunks");
    assert!(max_chunk < 1000 * 200, "largest chunk {max_chunk} bytes");
    let ids: BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(';').next().unwrap())
        .collect();
    assert_eq!(ids.len(), N + 1, "each parcel once");
});

/// Returns and invoices (with items) of a company.
pub(crate) fn seed_returns_invoices(c: &mut DbConn, company: i64) {
    use sendcloud_plugin::db::schema::{
        sendcloud_invoice_items as ii, sendcloud_invoices as inv, sendcloud_returns as r,
    };
    use sendcloud_plugin::db::types::DecValue;
    let now = chrono::Utc::now().naive_utc();
    for (i, (status, order, carrier, from)) in [
        ("open", "SO-R-1", "dhl", "Maria Muster"),
        ("requested", "SO-R-2", "dpd", "Jan Jansen"),
        ("request_rejected", "SO-R-3", "dhl", "Zoë Dupont"),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(r::table)
            .values((
                r::company_id.eq(company),
                r::sendcloud_id.eq(700 + i as i64),
                r::status.eq(Some(status)),
                r::order_number.eq(order),
                r::tracking_number.eq(Some(format!("RET{i:05}"))),
                r::carrier.eq(Some(carrier)),
                r::reason.eq(Some("Zu groß")),
                r::from_name.eq(Some(from)),
                r::from_country.eq(Some("DE")),
                r::created_at.eq(Some(day(10 + i as u32))),
                r::raw.eq(Some(format!(
                    "{{\"id\":{},\"from_address\":{{\"name\":\"{from}\",\"email\":\"kunde{i}@example.com\"}}}}",
                    700 + i
                ))),
                r::as_of_ms.eq(1_764_000_000_000 + i as i64),
                r::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    }
    for (i, (reference, kind, paid)) in [
        ("EU-CENTRAL-1-0-22-NL0063503", "periodic", true),
        ("EU-CENTRAL-1-0-22-NL0063504", "forced", false),
    ]
    .into_iter()
    .enumerate()
    {
        diesel::insert_into(inv::table)
            .values((
                inv::company_id.eq(company),
                inv::sendcloud_id.eq(900 + i as i64),
                inv::reference.eq(reference),
                inv::kind.eq(kind),
                inv::price_incl.eq(DecValue(rust_decimal::Decimal::new(12100, 2))),
                inv::price_excl.eq(DecValue(rust_decimal::Decimal::new(10000, 2))),
                inv::is_paid.eq(paid),
                inv::invoice_date.eq(Some(day(20 + i as u32))),
                inv::item_count.eq(2),
                inv::as_of_ms.eq(1),
                inv::synced_at.eq(now),
            ))
            .execute(c)
            .unwrap();
        let invoice_id: i64 = inv::table
            .filter(inv::company_id.eq(company))
            .filter(inv::sendcloud_id.eq(900 + i as i64))
            .select(inv::id)
            .first(c)
            .unwrap();
        for (pos, description) in [(2, "Label DHL Paket"), (1, "Label DPD Classic")] {
            diesel::insert_into(ii::table)
                .values((
                    ii::company_id.eq(company),
                    ii::invoice_id.eq(invoice_id),
                    ii::sendcloud_id.eq(pos),
                    ii::description.eq(description),
                    ii::position.eq(pos),
                ))
                .execute(c)
                .unwrap();
        }
    }
}

db_test!(return_and_invoice_filters_return_exactly_their_rows, |t| {
    use sendcloud_plugin::reports::returns;
    let (db, company, other) = open(&t.url);
    let mut c = db.conn().unwrap();
    seed_returns_invoices(&mut c, company);
    seed_returns_invoices(&mut c, other);
    let orders = |c: &mut DbConn, f: &returns::ReturnFilter, sort, dir| -> Vec<String> {
        returns::list(c, company, f, sort, dir, None, 50)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.order_number)
            .collect()
    };
    let all = returns::ReturnFilter::default();
    assert_eq!(
        orders(&mut c, &all, returns::ReturnSort::Updated, Dir::Desc),
        ["SO-R-3", "SO-R-2", "SO-R-1"]
    );
    assert_eq!(
        orders(&mut c, &all, returns::ReturnSort::OrderNumber, Dir::Asc),
        ["SO-R-1", "SO-R-2", "SO-R-3"]
    );
    let dhl = returns::ReturnFilter {
        carrier: Some("dhl".into()),
        ..Default::default()
    };
    assert_eq!(
        orders(&mut c, &dhl, returns::ReturnSort::OrderNumber, Dir::Asc),
        ["SO-R-1", "SO-R-3"]
    );
    let open_ = returns::ReturnFilter {
        status: Some("open".into()),
        ..Default::default()
    };
    assert_eq!(
        orders(&mut c, &open_, returns::ReturnSort::OrderNumber, Dir::Asc),
        ["SO-R-1"]
    );
    let text = returns::ReturnFilter {
        text: Some("jansen".into()),
        ..Default::default()
    };
    assert_eq!(
        orders(&mut c, &text, returns::ReturnSort::OrderNumber, Dir::Asc),
        ["SO-R-2"]
    );
    let tracking = returns::ReturnFilter {
        tracking_number: Some("RET00002".into()),
        ..Default::default()
    };
    assert_eq!(
        orders(
            &mut c,
            &tracking,
            returns::ReturnSort::OrderNumber,
            Dir::Asc
        ),
        ["SO-R-3"]
    );
    let range = returns::ReturnFilter {
        created: DateRange {
            from: NaiveDate::from_ymd_opt(2026, 11, 11),
            to: NaiveDate::from_ymd_opt(2026, 11, 11),
            zone: None,
        },
        ..Default::default()
    };
    assert_eq!(
        orders(&mut c, &range, returns::ReturnSort::OrderNumber, Dir::Asc),
        ["SO-R-2"]
    );
    let paged = all_pages(
        1,
        |after, limit| {
            returns::list(
                &mut c,
                company,
                &all,
                returns::ReturnSort::Updated,
                Dir::Asc,
                after,
                limit,
            )
        },
        |r| r.order_number.clone(),
    );
    assert_eq!(paged, ["SO-R-1", "SO-R-2", "SO-R-3"]);
    let (statuses, carriers) = returns::return_options(&mut c, company).unwrap();
    assert_eq!(statuses, ["open", "request_rejected", "requested"]);
    assert_eq!(carriers, ["dhl", "dpd"]);

    let refs = |c: &mut DbConn, f: &returns::InvoiceFilter| -> Vec<String> {
        returns::invoices(
            c,
            company,
            f,
            returns::InvoiceSort::Number,
            Dir::Asc,
            None,
            50,
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.reference)
        .collect()
    };
    assert_eq!(refs(&mut c, &Default::default()).len(), 2);
    assert_eq!(
        refs(
            &mut c,
            &returns::InvoiceFilter {
                paid: Some(false),
                ..Default::default()
            }
        ),
        ["EU-CENTRAL-1-0-22-NL0063504"]
    );
    assert_eq!(
        refs(
            &mut c,
            &returns::InvoiceFilter {
                kind: Some("periodic".into()),
                ..Default::default()
            }
        ),
        ["EU-CENTRAL-1-0-22-NL0063503"]
    );
    assert_eq!(
        refs(
            &mut c,
            &returns::InvoiceFilter {
                text: Some("nl0063504".into()),
                ..Default::default()
            }
        ),
        ["EU-CENTRAL-1-0-22-NL0063504"]
    );
    let range = returns::InvoiceFilter {
        date: DateRange {
            from: NaiveDate::from_ymd_opt(2026, 11, 21),
            to: None,
            zone: None,
        },
        ..Default::default()
    };
    assert_eq!(refs(&mut c, &range), ["EU-CENTRAL-1-0-22-NL0063504"]);
    // The detail with its items in their order; another company's is not found.
    let first = returns::invoices(
        &mut c,
        company,
        &Default::default(),
        returns::InvoiceSort::Number,
        Dir::Asc,
        None,
        1,
    )
    .unwrap()
    .rows[0]
        .id;
    let (_, items) = returns::invoice(&mut c, company, first).unwrap().unwrap();
    let lines: Vec<&str> = items.iter().map(|i| i.description.as_str()).collect();
    assert_eq!(lines, ["Label DPD Classic", "Label DHL Paket"]);
    assert!(returns::invoice(&mut c, other, first).unwrap().is_none());
});

// Messages stored as facts (`actionlog::Fact`) read as text in the reader's
// language in the Aktions-Logging tab and its CSV, never as raw JSON.
db_async_test!(action_log_facts_render_in_the_readers_language, |t| {
    let app = TestApp::spawn(t).await;
    app.state
        .db
        .run(|c| {
            let company: i64 = companies::table
                .select(companies::id)
                .order((companies::name, companies::id))
                .first(c)?;
            actionlog::record(
                c,
                &Action {
                    company_id: Some(company),
                    direction: Direction::Incoming,
                    action: "webhook.parcel_status_changed",
                    target: "Sendcloud → Webhook",
                    ok: true,
                    status_code: None,
                    message: r#"{"fact":"log-webhook-stored","args":{"inbox":77}}"#,
                    user_name: None,
                },
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let client = app.client();
    app.login(&client, "admin", ADMIN_PASSWORD).await;
    let page = app.page(&client, "/admin/reports?tab=actions").await;
    assert!(
        page.contains("Ereignis empfangen und gespeichert"),
        "{page}"
    );
    let csv = app.page(&client, "/admin/reports/export?tab=actions").await;
    assert!(csv.contains("Ereignis empfangen und gespeichert"), "{csv}");
    for shown in [&page, &csv] {
        assert!(!shown.contains(r#"{"fact""#) && !shown.contains("{&quot;fact"));
    }
});
