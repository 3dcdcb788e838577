//! Tests of the order push service (`sendcloud_plugin::orders`): host orders
//! pushed to a spawned Sendcloud stand-in's v3 Orders API, on SQLite and
//! PostgreSQL. The stand-in's state is read directly; no sleeping.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use sendcloud_plugin::actionlog;
use sendcloud_plugin::db::schema::*;
use sendcloud_plugin::db::types::DecValue;
use sendcloud_plugin::db::{Db, DbConn};
use sendcloud_plugin::host::{demo, CustomsAttributeKeys, Host, OrderSelection, ReferenceHost};
use sendcloud_plugin::orders::{self, OrdersError, PushProgress, PushRequest, PushSummary};
use sendcloud_plugin::sendcloud::{
    ClientConfig, Credentials, RateLimits, RetryPolicy, SendcloudClient,
};
use sendcloud_standin::{self as standin, AccountKeys, Faults, StandinConfig, StandinHandle};

use crate::common::TestDb;

struct Env {
    db: Db,
    host: Arc<dyn Host>,
    h: StandinHandle,
    keys: AccountKeys,
    client: SendcloudClient,
}

fn client_for(h: &StandinHandle, public_key: &str, secret_key: &str) -> SendcloudClient {
    let mut cfg = ClientConfig::new(Credentials::new(public_key, secret_key));
    cfg.api_base = h.api_url();
    cfg.rate_limits = RateLimits {
        reads_per_minute: 100_000,
        read_burst: 10_000,
        writes_per_minute: 100_000,
        write_burst: 10_000,
    };
    cfg.retry = RetryPolicy {
        max_attempts: 2,
        max_total_time: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(10),
    };
    cfg.request_timeout = Duration::from_secs(20);
    SendcloudClient::new(cfg).expect("client")
}

async fn env(test_db: &TestDb, with_demo: bool) -> Env {
    let url = test_db.url.clone();
    let db = tokio::task::spawn_blocking(move || {
        let db = Db::open(&url).expect("open db");
        if with_demo {
            let mut conn = db.conn().expect("conn");
            demo::load_if_empty(&mut conn).expect("demo data");
        }
        db
    })
    .await
    .expect("setup");
    let h = standin::spawn(StandinConfig {
        rate_limits: false,
        ..StandinConfig::default()
    })
    .await
    .expect("stand-in starts");
    let keys = h.standin().demo_keys().expect("demo account");
    let client = client_for(&h, &keys.public_key, &keys.secret_key);
    Env {
        db,
        host: Arc::new(ReferenceHost),
        h,
        keys,
        client,
    }
}

impl Env {
    async fn sql<R: Send + 'static>(&self, f: impl FnOnce(&mut DbConn) -> R + Send + 'static) -> R {
        self.db.run(move |c| Ok(f(c))).await.expect("database task")
    }

    fn request(&self, company_id: i64, since: NaiveDateTime) -> PushRequest {
        PushRequest::new(company_id, self.keys.integration_id as i64, since)
    }

    async fn push(&self, req: &PushRequest) -> PushSummary {
        orders::push_orders(&self.db, self.host.clone(), &self.client, req, |_| {})
            .await
            .expect("push runs")
    }

    /// The v3 orders the stand-in holds for our integration.
    fn stored(&self) -> Vec<Value> {
        let s = self.h.standin().state();
        s.accounts
            .get(&self.keys.account_id)
            .map(|a| {
                a.orders
                    .values()
                    .filter(|o| {
                        o.pointer("/order_details/integration/id")
                            .and_then(Value::as_u64)
                            == Some(self.keys.integration_id)
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn stored_order(&self, order_id: i64) -> Value {
        let id = order_id.to_string();
        let found: Vec<Value> = self
            .stored()
            .into_iter()
            .filter(|o| o["order_id"].as_str() == Some(id.as_str()))
            .collect();
        assert_eq!(found.len(), 1, "exactly one stored order {order_id}");
        found.into_iter().next().unwrap_or_default()
    }

    fn stored_ids(&self) -> BTreeSet<String> {
        self.stored()
            .iter()
            .filter_map(|o| o["order_id"].as_str().map(str::to_string))
            .collect()
    }

    fn order_posts(&self) -> Vec<u16> {
        self.h
            .standin()
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/api/v3/orders")
            .map(|r| r.status)
            .collect()
    }

    async fn push_log(&self, company_id: i64) -> Vec<actionlog::Entry> {
        self.sql(move |c| {
            actionlog::recent(c, company_id, 10_000)
                .expect("action log")
                .into_iter()
                .filter(|e| e.action == "orders.push")
                .collect()
        })
        .await
    }

    async fn push_records(&self, company_id: i64) -> i64 {
        self.sql(move |c| {
            sendcloud_order_pushes::table
                .filter(sendcloud_order_pushes::company_id.eq(company_id))
                .count()
                .get_result::<i64>(c)
                .expect("count")
        })
        .await
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

// ------------------------------------------------------------ host fixtures

/// A company of our own, with customers and products, for precise cases.
struct Fixture {
    company: i64,
    /// Private customer whose contact carries the account name.
    private: (i64, i64),
    /// Company account with a contact person (empty contact address).
    firm: (i64, i64),
    /// Company account whose contact has an empty name.
    nameless: (i64, i64),
    /// Company account whose contact person ships to another address.
    elsewhere: (i64, i64),
    /// Customer without house number.
    no_house_number: (i64, i64),
    /// Product with customs attributes under custom keys and a weight.
    tent: i64,
}

fn insert_customer(
    conn: &mut DbConn,
    company: i64,
    number: &str,
    name: &str,
    is_company: bool,
    house_number: Option<&str>,
) -> i64 {
    diesel::insert_into(customers::table)
        .values((
            customers::company_id.eq(company),
            customers::account_number.eq(number),
            customers::name.eq(name),
            customers::is_company.eq(is_company),
            customers::email.eq(Some(format!("{number}@account.example"))),
            customers::phone.eq(Some("+49 30 111")),
            customers::street.eq("Kontostraße"),
            customers::house_number.eq(house_number),
            customers::address_2.eq(None::<String>),
            customers::postal_code.eq("10115"),
            customers::city.eq("Berlin"),
            customers::state.eq(None::<String>),
            customers::country.eq("DE"),
            customers::vat_number.eq(None::<String>),
        ))
        .execute(conn)
        .expect("customer");
    customers::table
        .filter(customers::company_id.eq(company))
        .filter(customers::account_number.eq(number))
        .select(customers::id)
        .first(conn)
        .expect("customer id")
}

fn insert_contact(
    conn: &mut DbConn,
    customer: i64,
    name: &str,
    address: Option<(&str, &str, &str, &str, &str)>,
) -> i64 {
    let (street, house, postal, city, country) = match address {
        Some((s, h, p, c, k)) => (Some(s), Some(h), Some(p), Some(c), Some(k)),
        None => (None, None, None, None, None),
    };
    diesel::insert_into(contacts::table)
        .values((
            contacts::customer_id.eq(customer),
            contacts::name.eq(name),
            contacts::email.eq((!name.is_empty()).then(|| format!("{customer}@contact.example"))),
            contacts::phone.eq(None::<String>),
            contacts::street.eq(street),
            contacts::house_number.eq(house),
            contacts::address_2.eq(None::<String>),
            contacts::postal_code.eq(postal),
            contacts::city.eq(city),
            contacts::state.eq(None::<String>),
            contacts::country.eq(country),
        ))
        .execute(conn)
        .expect("contact");
    contacts::table
        .filter(contacts::customer_id.eq(customer))
        .select(contacts::id)
        .order(contacts::id.desc())
        .first(conn)
        .expect("contact id")
}

fn fixture(conn: &mut DbConn) -> Fixture {
    diesel::insert_into(companies::table)
        .values((
            companies::name.eq("Prüfversand GmbH"),
            companies::street.eq("Prüfweg"),
            companies::house_number.eq(Some("1")),
            companies::postal_code.eq("10115"),
            companies::city.eq("Berlin"),
            companies::country.eq("DE"),
            companies::currency.eq("EUR"),
        ))
        .execute(conn)
        .expect("company");
    let company: i64 = companies::table
        .filter(companies::name.eq("Prüfversand GmbH"))
        .select(companies::id)
        .first(conn)
        .expect("company id");

    let c = insert_customer(conn, company, "P1", "Erika Muster", false, Some("5"));
    let private = (c, insert_contact(conn, c, "Erika Muster", None));
    let c = insert_customer(conn, company, "P2", "Muster Handel GmbH", true, Some("7"));
    let firm = (c, insert_contact(conn, c, "Hans Beispiel", None));
    let c = insert_customer(conn, company, "P3", "Leer AG", true, Some("9"));
    let nameless = (c, insert_contact(conn, c, "", None));
    let c = insert_customer(conn, company, "P4", "Filial KG", true, Some("11"));
    let elsewhere = (
        c,
        insert_contact(
            conn,
            c,
            "Greta Lager",
            Some(("Lieferweg", "3a", "22113", "Hamburg", "DE")),
        ),
    );
    let c = insert_customer(conn, company, "P5", "Ohne Nummer", false, None);
    let no_house_number = (c, insert_contact(conn, c, "Ohne Nummer", None));

    diesel::insert_into(products::table)
        .values((
            products::company_id.eq(company),
            products::sku.eq("TENT-2"),
            products::name.eq("Zelt Zweimann"),
            products::weight_kg.eq(Some(DecValue(dec("2.350")))),
            products::price.eq(DecValue(dec("129.90"))),
            products::ean.eq(Some("4000000000017")),
        ))
        .execute(conn)
        .expect("product");
    let tent: i64 = products::table
        .filter(products::company_id.eq(company))
        .select(products::id)
        .first(conn)
        .expect("product id");
    for (key, value) in [
        ("zolltarifnummer", "63062200"),
        ("ursprungsland", "cn"),
        ("hs_code", "99999999"),
    ] {
        diesel::insert_into(product_attributes::table)
            .values((
                product_attributes::product_id.eq(tent),
                product_attributes::key.eq(key),
                product_attributes::value.eq(value),
            ))
            .execute(conn)
            .expect("attribute");
    }
    Fixture {
        company,
        private,
        firm,
        nameless,
        elsewhere,
        no_house_number,
        tent,
    }
}

/// Everything about an order the tests vary.
struct NewOrder<'a> {
    number: String,
    customer: (i64, i64),
    status: &'a str,
    approved: bool,
    paid: bool,
    currency: &'a str,
    quantity: &'a str,
    age_days: i64,
    service_point: Option<&'a str>,
}

impl Default for NewOrder<'_> {
    fn default() -> Self {
        NewOrder {
            number: String::new(),
            customer: (0, 0),
            status: "open",
            approved: true,
            paid: false,
            currency: "EUR",
            quantity: "1",
            age_days: 1,
            service_point: None,
        }
    }
}

fn add_order(conn: &mut DbConn, f: &Fixture, o: NewOrder<'_>) -> i64 {
    let date = now() - chrono::Duration::days(o.age_days);
    let qty = dec(o.quantity);
    let price = dec("129.90");
    diesel::insert_into(sales_orders::table)
        .values((
            sales_orders::company_id.eq(f.company),
            sales_orders::order_number.eq(&o.number),
            sales_orders::order_date.eq(date),
            sales_orders::customer_id.eq(o.customer.0),
            sales_orders::contact_id.eq(Some(o.customer.1)),
            sales_orders::warehouse_id.eq(None::<i64>),
            sales_orders::status.eq(o.status),
            sales_orders::approved.eq(o.approved),
            sales_orders::payment_status.eq(if o.paid { "paid" } else { "unpaid" }),
            sales_orders::currency.eq(o.currency),
            sales_orders::total_amount.eq(DecValue((price * qty).round_dp(2))),
            sales_orders::shipping_method_ref.eq(None::<String>),
            sales_orders::service_point_ref.eq(o.service_point),
            sales_orders::your_ref.eq(None::<String>),
            sales_orders::remarks.eq(Some("Bitte klingeln")),
            sales_orders::updated_at.eq(date),
        ))
        .execute(conn)
        .expect("order");
    let id: i64 = sales_orders::table
        .filter(sales_orders::company_id.eq(f.company))
        .filter(sales_orders::order_number.eq(&o.number))
        .select(sales_orders::id)
        .first(conn)
        .expect("order id");
    diesel::insert_into(sales_order_lines::table)
        .values((
            sales_order_lines::order_id.eq(id),
            sales_order_lines::line_no.eq(10),
            sales_order_lines::product_id.eq(f.tent),
            sales_order_lines::description.eq("Zelt Zweimann, grün"),
            sales_order_lines::quantity.eq(DecValue(qty)),
            sales_order_lines::unit_price.eq(DecValue(price)),
        ))
        .execute(conn)
        .expect("order line");
    id
}

/// The fixture plus `n` plain approved, open orders; returns their ids.
async fn fixture_with_orders(env: &Env, n: usize) -> (Fixture, Vec<i64>) {
    env.sql(move |c| {
        let f = fixture(c);
        let ids = (0..n)
            .map(|i| {
                add_order(
                    c,
                    &f,
                    NewOrder {
                        number: format!("T-{i:04}"),
                        customer: f.private,
                        ..NewOrder::default()
                    },
                )
            })
            .collect();
        (f, ids)
    })
    .await
}

fn since_30_days() -> NaiveDateTime {
    now() - chrono::Duration::days(30)
}

// ------------------------------------------------------------------ tests

db_async_test!(
    demo_push_is_complete_idempotent_and_updates_in_place,
    |tdb| {
        let env = env(&tdb, true).await;
        let company: i64 = env
            .sql(|c| {
                companies::table
                    .filter(companies::name.eq("Nordlicht Outdoor GmbH"))
                    .select(companies::id)
                    .first(c)
                    .expect("demo company")
            })
            .await;
        let req = PushRequest::first_sync(company, env.keys.integration_id as i64, now());
        let since = req.since;
        // What the rule says, computed independently of the service.
        let expected: BTreeSet<String> = env
            .sql(move |c| {
                sales_orders::table
                    .filter(sales_orders::company_id.eq(company))
                    .filter(sales_orders::order_date.ge(since))
                    .filter(sales_orders::approved.eq(true))
                    .filter(sales_orders::status.eq_any(["open", "partial"]))
                    .select(sales_orders::id)
                    .load::<i64>(c)
                    .expect("expected orders")
                    .into_iter()
                    .map(|id| id.to_string())
                    .collect()
            })
            .await;
        assert!(expected.len() > 5, "demo data has approved open orders");

        let seen = Arc::new(Mutex::new(Vec::<PushProgress>::new()));
        let sink = seen.clone();
        let first = orders::push_orders(&env.db, env.host.clone(), &env.client, &req, move |p| {
            sink.lock().expect("progress").push(p)
        })
        .await
        .expect("first push");
        assert_eq!(first.selected, expected.len());
        assert_eq!(first.pushed, expected.len(), "errors: {:?}", first.errors);
        assert_eq!(first.failed, 0);
        assert_eq!(first.skipped_unchanged, 0);
        assert_eq!(first.batches, expected.len().div_ceil(100));
        assert_eq!(env.stored_ids(), expected);
        for o in env.stored() {
            let code = o
                .pointer("/order_details/status/code")
                .and_then(Value::as_str);
            assert!(matches!(code, Some("open" | "partial")), "{o}");
            assert!(o["order_number"]
                .as_str()
                .is_some_and(|n| n.starts_with("AU-")));
        }
        let progress = seen.lock().expect("progress").clone();
        assert!(progress.len() >= 2);
        let last = progress.last().copied().unwrap_or_default();
        assert_eq!(last.processed, expected.len());
        assert_eq!(last.pushed, expected.len());
        assert_eq!(env.push_records(company).await, expected.len() as i64);
        let posts_after_first = env.order_posts().len();
        assert_eq!(posts_after_first, first.requests);

        // Second run: nothing changed, nothing sent.
        let second = env.push(&req).await;
        assert_eq!(second.selected, expected.len());
        assert_eq!(second.skipped_unchanged, expected.len());
        assert_eq!((second.pushed, second.batches, second.requests), (0, 0, 0));
        assert_eq!(env.order_posts().len(), posts_after_first);
        assert_eq!(env.stored().len(), expected.len());

        // One order changes in the host: only it is sent, and updated in place.
        let changed: i64 = expected
            .iter()
            .next()
            .and_then(|s| s.parse().ok())
            .expect("an order id");
        let sendcloud_id_before = env.stored_order(changed)["id"].clone();
        let bumped = now() + chrono::Duration::hours(1);
        env.sql(move |c| {
            diesel::update(sales_orders::table.find(changed))
                .set((
                    sales_orders::status.eq("partial"),
                    sales_orders::updated_at.eq(bumped),
                ))
                .execute(c)
                .expect("update order")
        })
        .await;
        let third = env.push(&req).await;
        assert_eq!(third.pushed, 1, "{third:?}");
        assert_eq!(third.skipped_unchanged, expected.len() - 1);
        assert_eq!(third.requests, 1);
        assert_eq!(env.stored().len(), expected.len(), "no duplicate");
        let updated = env.stored_order(changed);
        assert_eq!(updated["id"], sendcloud_id_before);
        assert_eq!(
            updated.pointer("/order_details/status/code"),
            Some(&Value::from("partial"))
        );
        let record = env
            .sql(move |c| orders::push_record(c, company, changed).expect("record"))
            .await
            .expect("push recorded");
        assert_eq!(
            record.0,
            sendcloud_id_before.as_u64().map(|id| id as i64),
            "Sendcloud's id is kept"
        );
        assert!(record.1 > since, "updated_at of the change is recorded");

        // Local records lost: everything is sent again, still no duplicate.
        let forgotten = env
            .sql(move |c| orders::forget_pushes(c, company).expect("forget pushes"))
            .await;
        assert_eq!(forgotten, expected.len());
        let fourth = env.push(&req).await;
        assert_eq!(fourth.pushed, expected.len());
        assert_eq!(env.stored_ids(), expected);
        assert_eq!(env.stored().len(), expected.len());

        // One action log entry per call, outgoing, ok.
        let log = env.push_log(company).await;
        assert_eq!(log.len(), first.requests + third.requests + fourth.requests);
        assert!(log.iter().all(|e| e.direction == "out"
            && e.target == "POST /api/v3/orders"
            && e.result == "ok"
            && e.status_code == Some(201)));
        assert!(!log.iter().any(|e| e.message.contains(&env.keys.secret_key)));
    }
);

db_async_test!(two_hundred_fifty_orders_go_in_three_batches, |tdb| {
    let env = env(&tdb, false).await;
    let (f, ids) = fixture_with_orders(&env, 250).await;
    let summary = env.push(&env.request(f.company, since_30_days())).await;
    assert_eq!(summary.selected, 250);
    assert_eq!(summary.pushed, 250, "{:?}", summary.errors);
    assert_eq!((summary.batches, summary.requests), (3, 3));
    assert_eq!(env.order_posts(), vec![201, 201, 201]);
    let expected: BTreeSet<String> = ids.iter().map(i64::to_string).collect();
    assert_eq!(env.stored_ids(), expected);
    assert_eq!(env.push_records(f.company).await, 250);
    let log = env.push_log(f.company).await;
    assert_eq!(log.len(), 3);
    let mut sizes: Vec<&str> = log
        .iter()
        .map(|e| e.message.split(' ').next().unwrap_or_default())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec!["100", "100", "50"]);
});

db_async_test!(rejected_orders_are_isolated_and_reported, |tdb| {
    let env = env(&tdb, false).await;
    let (f, bad_currency, bad_quantity) = env
        .sql(|c| {
            let f = fixture(c);
            let mut bad = (0, 0);
            for i in 0..20 {
                let currency = if i == 5 { "CHF" } else { "EUR" };
                let quantity = if i == 12 { "0" } else { "1" };
                let id = add_order(
                    c,
                    &f,
                    NewOrder {
                        number: format!("B-{i:02}"),
                        customer: f.firm,
                        currency,
                        quantity,
                        ..NewOrder::default()
                    },
                );
                match i {
                    5 => bad.0 = id,
                    12 => bad.1 = id,
                    _ => {}
                }
            }
            (f, bad.0, bad.1)
        })
        .await;
    let req = env.request(f.company, since_30_days());
    let summary = env.push(&req).await;
    assert_eq!(summary.selected, 20);
    assert_eq!(summary.pushed, 18, "{:?}", summary.errors);
    assert_eq!(summary.failed, 2);
    assert_eq!(summary.batches, 1);
    // The rejected batch, the rest again in one call, each suspect alone.
    assert_eq!(summary.requests, 4);
    assert_eq!(env.order_posts(), vec![400, 201, 400, 400]);
    let by_id = |id: i64| {
        summary
            .failures
            .iter()
            .find(|x| x.order_id == id)
            .cloned()
            .expect("failure reported")
    };
    let chf = by_id(bad_currency);
    assert_eq!(chf.order_number, "B-05");
    assert!(
        chf.message
            .contains("Input should be 'EUR', 'GBP' or 'USD'"),
        "{}",
        chf.message
    );
    assert!(!chf.message.contains("[0]"), "{}", chf.message);
    let zero = by_id(bad_quantity);
    assert!(
        zero.message
            .contains("order_details.order_items.0.quantity: Input should be greater than 0"),
        "{}",
        zero.message
    );
    assert!(summary
        .errors
        .iter()
        .any(|e| e.starts_with("B-12: ") && e.contains("greater than 0")));
    let stored = env.stored_ids();
    assert_eq!(stored.len(), 18);
    assert!(!stored.contains(&bad_currency.to_string()));
    assert!(!stored.contains(&bad_quantity.to_string()));
    assert_eq!(env.push_records(f.company).await, 18);
    let log = env.push_log(f.company).await;
    assert_eq!(log.len(), 4);
    assert_eq!(
        log.iter()
            .filter(|e| e.result == "error" && e.status_code == Some(400))
            .count(),
        3
    );

    // Next run: only the failed ones are tried again.
    let again = env.push(&req).await;
    assert_eq!(
        (again.skipped_unchanged, again.pushed, again.failed),
        (18, 0, 2)
    );
    // Fixed in the host: it arrives.
    env.sql(move |c| {
        diesel::update(sales_orders::table.find(bad_currency))
            .set((
                sales_orders::currency.eq("EUR"),
                sales_orders::updated_at.eq(now()),
            ))
            .execute(c)
            .expect("fix order")
    })
    .await;
    let fixed = env.push(&req).await;
    assert_eq!((fixed.pushed, fixed.failed), (1, 1));
    assert_eq!(env.stored().len(), 19);
});

db_async_test!(dynamic_customer_mapping_and_order_content, |tdb| {
    let env = env(&tdb, false).await;
    let (f, ids) = env
        .sql(|c| {
            let f = fixture(c);
            let mut ids = Vec::new();
            for (n, customer, quantity, sp) in [
                ("M-1", f.private, "1", None),
                ("M-2", f.firm, "1.5", None),
                ("M-3", f.nameless, "2", Some("10875349")),
                ("M-4", f.elsewhere, "1", None),
                ("M-5", f.no_house_number, "1", None),
            ] {
                ids.push(add_order(
                    c,
                    &f,
                    NewOrder {
                        number: n.into(),
                        customer,
                        quantity,
                        service_point: sp,
                        paid: n == "M-2",
                        ..NewOrder::default()
                    },
                ));
            }
            (f, ids)
        })
        .await;
    let mut req = env.request(f.company, since_30_days());
    req.attribute_keys = CustomsAttributeKeys {
        hs_code: "zolltarifnummer".into(),
        origin_country: "ursprungsland".into(),
    };
    let summary = env.push(&req).await;
    assert_eq!(summary.pushed, 5, "{:?}", summary.errors);

    // Account name = contact name: the account's data, no company name.
    let o = env.stored_order(ids[0]);
    let a = &o["shipping_address"];
    assert_eq!(a["name"], "Erika Muster");
    assert!(a.get("company_name").is_none(), "{a}");
    assert_eq!(a["address_line_1"], "Kontostraße");
    assert_eq!(a["house_number"], "5");
    assert_eq!(o["customer_details"]["name"], "Erika Muster");
    assert_eq!(o["customer_details"]["email"], "P1@account.example");

    // Company with a contact person: name = contact, company = account.
    let o = env.stored_order(ids[1]);
    let a = &o["shipping_address"];
    assert_eq!(a["name"], "Hans Beispiel");
    assert_eq!(a["company_name"], "Muster Handel GmbH");
    assert_eq!(
        a["address_line_1"], "Kontostraße",
        "contact without address"
    );
    assert_eq!(a["house_number"], "7");
    assert_eq!(
        o["customer_details"]["email"],
        format!("{}@contact.example", f.firm.1)
    );
    let item = &o["order_details"]["order_items"][0];
    assert_eq!(item["quantity"], 2, "1.5 rounded up");
    assert!(item["description"]
        .as_str()
        .is_some_and(|d| d.contains("ordered quantity 1.5")));
    assert_eq!(item["properties"]["ordered_quantity"], "1.5");
    assert_eq!(item["total_price"]["value"].as_f64(), Some(194.85));
    // Defect 4 (issue 8): a unit price of 129.90 contradicted quantity 2 and
    // total 194.85; a fractional line carries no unit price, the ordered one
    // is in `properties`.
    assert!(item.get("unit_price").is_none_or(Value::is_null), "{item}");
    assert_eq!(item["properties"]["ordered_unit_price"], "129.90");
    assert_eq!(item["name"], "Zelt Zweimann");
    assert_eq!(item["sku"], "TENT-2");
    assert_eq!(
        item["hs_code"], "63062200",
        "attribute key from the request"
    );
    assert_eq!(item["country_of_origin"], "CN");
    assert_eq!(item["measurement"]["weight"]["value"].as_f64(), Some(2.35));
    assert_eq!(item["measurement"]["weight"]["unit"], "kg");
    assert_eq!(o["payment_details"]["status"]["code"], "paid");
    assert_eq!(o["order_details"]["status"]["code"], "open");
    assert_eq!(o["order_details"]["notes"], "Bitte klingeln");
    assert_eq!(o["order_number"], "M-2");

    // Empty contact name: the account's data, no company name.
    let o = env.stored_order(ids[2]);
    let a = &o["shipping_address"];
    assert_eq!(a["name"], "Leer AG");
    assert!(a.get("company_name").is_none(), "{a}");
    assert_eq!(o["service_point_details"]["id"], "10875349");
    assert_eq!(o["payment_details"]["status"]["code"], "unpaid");
    assert!(env
        .stored_order(ids[0])
        .get("service_point_details")
        .is_none());

    // Contact person with an address of their own.
    let a = env.stored_order(ids[3])["shipping_address"].clone();
    assert_eq!(a["name"], "Greta Lager");
    assert_eq!(a["company_name"], "Filial KG");
    assert_eq!(a["address_line_1"], "Lieferweg");
    assert_eq!(a["house_number"], "3a");
    assert_eq!(a["postal_code"], "22113");
    assert_eq!(a["city"], "Hamburg");

    // No house number: none is sent.
    let a = env.stored_order(ids[4])["shipping_address"].clone();
    assert!(a.get("house_number").is_none(), "{a}");
    assert_eq!(a["country_code"], "DE");

    // Default attribute keys read `hs_code`.
    env.sql(|c| {
        diesel::update(sales_orders::table)
            .set(sales_orders::updated_at.eq(now() + chrono::Duration::hours(1)))
            .execute(c)
            .expect("touch")
    })
    .await;
    let default_keys = env.push(&env.request(f.company, since_30_days())).await;
    assert_eq!(default_keys.pushed, 5);
    let item = env.stored_order(ids[1])["order_details"]["order_items"][0].clone();
    assert_eq!(item["hs_code"], "99999999");
    assert!(item.get("country_of_origin").is_none(), "{item}");
});

db_async_test!(selection_by_status_date_and_payment, |tdb| {
    let env = env(&tdb, false).await;
    let (f, wanted_paid, wanted_unpaid) = env
        .sql(|c| {
            let f = fixture(c);
            let o = |c: &mut DbConn, n: &str, status, approved, paid, age_days| {
                add_order(
                    c,
                    &f,
                    NewOrder {
                        number: n.into(),
                        customer: f.private,
                        status,
                        approved,
                        paid,
                        age_days,
                        ..NewOrder::default()
                    },
                )
            };
            let paid = vec![
                o(c, "S-open-paid", "open", true, true, 1),
                o(c, "S-partial-paid", "partial", true, true, 29),
            ];
            let unpaid = vec![o(c, "S-open-unpaid", "open", true, false, 2)];
            o(c, "S-draft", "draft", true, true, 1);
            o(c, "S-unapproved", "open", false, true, 1);
            o(c, "S-complete", "complete", true, true, 1);
            o(c, "S-cancelled", "cancelled", true, false, 1);
            o(c, "S-old", "open", true, true, 31);
            (f, paid, unpaid)
        })
        .await;
    let mut req = env.request(f.company, since_30_days());
    req.statuses = OrderSelection::ApprovedOpenAndPaid;
    let paid = env.push(&req).await;
    assert_eq!((paid.selected, paid.pushed), (2, 2));
    let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<BTreeSet<_>>();
    assert_eq!(env.stored_ids(), ids(&wanted_paid));

    req.statuses = OrderSelection::ApprovedAndOpen;
    let all = env.push(&req).await;
    assert_eq!((all.selected, all.skipped_unchanged, all.pushed), (3, 2, 1));
    let mut expected = wanted_paid.clone();
    expected.extend(&wanted_unpaid);
    assert_eq!(env.stored_ids(), ids(&expected));
});

db_async_test!(
    unavailable_sendcloud_stops_the_run_and_the_next_run_catches_up,
    |tdb| {
        let env = env(&tdb, false).await;
        let (f, _) = fixture_with_orders(&env, 150).await;
        env.h.standin().set_faults(Faults {
            fail_next: 10,
            method: Some("POST".into()),
            path_prefix: Some("/api/v3/orders".into()),
            ..Faults::default()
        });
        let req = env.request(f.company, since_30_days());
        let failed = env.push(&req).await;
        assert_eq!((failed.pushed, failed.failed), (0, 150));
        assert_eq!(
            (failed.batches, failed.requests),
            (1, 1),
            "stops after the first batch"
        );
        assert!(
            failed.errors.iter().any(|e| e.contains("HTTP 503")),
            "{:?}",
            failed.errors
        );
        assert!(failed.errors.iter().any(|e| e.contains("not sent")));
        assert!(env.stored().is_empty());
        let log = env.push_log(f.company).await;
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].result.as_str(), log[0].status_code),
            ("error", Some(503))
        );

        env.h.standin().set_faults(Faults::default());
        let ok = env.push(&req).await;
        assert_eq!((ok.pushed, ok.failed, ok.batches), (150, 0, 2));
        assert_eq!(env.stored().len(), 150);
    }
);

db_async_test!(wrong_keys_and_unknown_company, |tdb| {
    let env = env(&tdb, false).await;
    let (f, _) = fixture_with_orders(&env, 3).await;
    let wrong = client_for(&env.h, &env.keys.public_key, "not-the-secret");
    let req = env.request(f.company, since_30_days());
    let s = orders::push_orders(&env.db, env.host.clone(), &wrong, &req, |_| {})
        .await
        .expect("push runs");
    assert_eq!((s.pushed, s.failed, s.requests), (0, 3, 1));
    assert!(
        s.errors.iter().all(|e| e.contains("API keys")),
        "{:?}",
        s.errors
    );
    assert!(!s.errors.iter().any(|e| e.contains("not-the-secret")));
    assert_eq!(env.push_records(f.company).await, 0);

    let unknown = env.request(f.company + 1000, since_30_days());
    let err = orders::push_orders(&env.db, env.host.clone(), &env.client, &unknown, |_| {})
        .await
        .expect_err("unknown company");
    assert!(matches!(err, OrdersError::UnknownCompany(_)), "{err}");
    let mut bad = env.request(f.company, since_30_days());
    bad.integration_id = 0;
    let err = orders::push_orders(&env.db, env.host.clone(), &env.client, &bad, |_| {})
        .await
        .expect_err("no integration");
    assert!(matches!(err, OrdersError::InvalidRequest(_)), "{err}");
});

/// A Sendcloud double whose rejections point at no order: batches of more
/// than one order are refused as a whole, single orders pass unless their
/// order number is `T-0001`. Returns the API base and the sizes of the
/// batches it received.
async fn pointerless_sendcloud() -> (String, Arc<Mutex<Vec<usize>>>, actix_web::dev::ServerHandle) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let seen = sizes.clone();
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let seen = seen.clone();
        App::new().route(
            "/api/v3/orders",
            web::post().to(move |body: web::Bytes| {
                let seen = seen.clone();
                async move {
                    let orders: Vec<Value> = serde_json::from_slice(&body).unwrap_or_default();
                    seen.lock().expect("sizes").push(orders.len());
                    let reject = |detail: &str| {
                        HttpResponse::BadRequest().json(serde_json::json!({"errors": [
                            {"status": "400", "code": "invalid", "detail": detail}
                        ]}))
                    };
                    match orders.as_slice() {
                        [one] if one["order_number"] == "T-0001" => {
                            reject("The address has no house number")
                        }
                        [one] => HttpResponse::Created().json(serde_json::json!({"data": [
                            {"id": 900, "order_id": one["order_id"], "order_number": one["order_number"]}
                        ]})),
                        _ => reject("One or more orders are invalid"),
                    }
                }
            }),
        )
    }));
    (format!("http://{addr}/api"), sizes, handle)
}

db_async_test!(rejection_without_pointers_falls_back_to_one_by_one, |tdb| {
    let env = env(&tdb, false).await;
    let (f, ids) = fixture_with_orders(&env, 3).await;
    let (api, sizes, server) = pointerless_sendcloud().await;
    let mut cfg = ClientConfig::new(Credentials::new("pk-pointerless", "sk"));
    cfg.api_base = api;
    cfg.retry = RetryPolicy {
        max_attempts: 1,
        max_total_time: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(10),
    };
    let client = SendcloudClient::new(cfg).expect("client");
    let req = env.request(f.company, since_30_days());
    let s = orders::push_orders(&env.db, env.host.clone(), &client, &req, |_| {})
        .await
        .expect("push runs");
    server.stop(false).await;
    assert_eq!((s.pushed, s.failed, s.batches, s.requests), (2, 1, 1, 4));
    assert_eq!(*sizes.lock().expect("sizes"), vec![3, 1, 1, 1]);
    assert_eq!(s.failures.len(), 1);
    assert_eq!(s.failures[0].order_id, ids[1]);
    assert_eq!(s.failures[0].order_number, "T-0001");
    assert_eq!(s.failures[0].message, "The address has no house number");
    assert_eq!(env.push_records(f.company).await, 2);
    let record = env
        .sql(move |c| orders::push_record(c, f.company, ids[0]).expect("record"))
        .await
        .expect("recorded");
    assert_eq!(record.0, Some(900));
});

/// A Sendcloud double that answers `POST /v3/orders` with the v3 spec's
/// `DuplicateOrderProcessing` 400 ("still processing a previous request")
/// for the first `busy_for` calls, and while `busy` is set; otherwise it
/// accepts every order. Returns the API base, the number of calls and the
/// switch.
async fn busy_sendcloud(
    busy_for: usize,
) -> (
    String,
    Arc<std::sync::atomic::AtomicUsize>,
    Arc<std::sync::atomic::AtomicBool>,
    actix_web::dev::ServerHandle,
) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let calls = Arc::new(AtomicUsize::new(0));
    let busy = Arc::new(AtomicBool::new(false));
    let (seen, switch) = (calls.clone(), busy.clone());
    let (addr, handle) = serve_double!(HttpServer::new(move || {
        let (seen, switch) = (seen.clone(), switch.clone());
        App::new().route(
            "/api/v3/orders",
            web::post().to(move |body: web::Bytes| {
                let (seen, switch) = (seen.clone(), switch.clone());
                async move {
                    let n = seen.fetch_add(1, Ordering::SeqCst);
                    if n < busy_for || switch.load(Ordering::SeqCst) {
                        return HttpResponse::BadRequest().json(serde_json::json!({"errors": [{
                            "status": "400",
                            "code": "invalid",
                            "detail": "We are still processing a previous request. Please try again in a moment.",
                            "source": {"pointer": "/data"}
                        }]}));
                    }
                    let orders: Vec<Value> = serde_json::from_slice(&body).unwrap_or_default();
                    let data: Vec<Value> = orders
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            serde_json::json!({"id": 700 + i, "order_id": o["order_id"], "order_number": o["order_number"]})
                        })
                        .collect();
                    HttpResponse::Created().json(serde_json::json!({ "data": data }))
                }
            }),
        )
    }));
    (format!("http://{addr}/api"), calls, busy, handle)
}

fn busy_client(api: String, pk: &str, max_attempts: u32) -> SendcloudClient {
    let mut cfg = ClientConfig::new(Credentials::new(pk, "sk"));
    cfg.api_base = api;
    cfg.retry = RetryPolicy {
        max_attempts,
        max_total_time: Duration::from_secs(5),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(10),
    };
    SendcloudClient::new(cfg).expect("client")
}

db_async_test!(still_processing_is_retried_within_the_push, |tdb| {
    let env = env(&tdb, false).await;
    let (f, _) = fixture_with_orders(&env, 3).await;
    let (api, calls, _busy, server) = busy_sendcloud(2).await;
    let client = busy_client(api, "pk-busy-twice", 4);
    let req = env.request(f.company, since_30_days());
    let s = orders::push_orders(&env.db, env.host.clone(), &client, &req, |_| {})
        .await
        .expect("push runs");
    server.stop(false).await;
    assert_eq!((s.pushed, s.failed, s.deferred), (3, 0, 0), "{s:?}");
    assert_eq!(s.requests, 1, "one logical call, retried by the client");
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    assert_eq!(env.push_records(f.company).await, 3);
});

db_async_test!(
    still_processing_after_the_retries_defers_the_orders,
    |tdb| {
        let env = env(&tdb, false).await;
        let (f, ids) = fixture_with_orders(&env, 3).await;
        let (api, calls, busy, server) = busy_sendcloud(0).await;
        busy.store(true, std::sync::atomic::Ordering::SeqCst);
        let client = busy_client(api, "pk-busy-always", 2);
        let req = env.request(f.company, since_30_days());
        let seen = Arc::new(Mutex::new(Vec::<PushProgress>::new()));
        let progress = seen.clone();
        let s = orders::push_orders(&env.db, env.host.clone(), &client, &req, move |p| {
            progress.lock().expect("progress").push(p)
        })
        .await
        .expect("push runs");
        // Not a rejection: nothing failed, nothing was isolated one by one.
        assert_eq!((s.pushed, s.failed, s.deferred), (0, 0, 3), "{s:?}");
        assert!(s.errors.is_empty() && s.failures.is_empty(), "{s:?}");
        assert_eq!(s.requests, 1);
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "bounded"
        );
        let deferred: BTreeSet<i64> = s.deferrals.iter().map(|d| d.order_id).collect();
        assert_eq!(deferred, ids.iter().copied().collect());
        assert!(s.deferrals[0].message.contains("still processing"), "{s:?}");
        let last = seen
            .lock()
            .expect("progress")
            .last()
            .copied()
            .expect("progress");
        assert_eq!((last.processed, last.deferred), (3, 3));
        assert_eq!(
            env.push_records(f.company).await,
            0,
            "deferred: not recorded"
        );
        let log = env.push_log(f.company).await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].status_code, Some(400));
        assert!(log[0].message.contains("deferred"), "{}", log[0].message);

        // Sendcloud is done: the next push sends the deferred orders.
        busy.store(false, std::sync::atomic::Ordering::SeqCst);
        let s = orders::push_orders(&env.db, env.host.clone(), &client, &req, |_| {})
            .await
            .expect("push runs");
        server.stop(false).await;
        assert_eq!((s.pushed, s.failed, s.deferred), (3, 0, 0), "{s:?}");
        assert_eq!(env.push_records(f.company).await, 3);
    }
);

db_async_test!(companies_clients_share_the_contexts_pool, |tdb| {
    // The real path: `integrations::client_for` builds each company's client
    // on the one pool of the `Context`, with that company's keys.
    let env = env(&tdb, true).await;
    let config = crate::common::test_config(&tdb.url, "127.0.0.1:0", Some(&env.h.api_url()));
    let secrets = sendcloud_plugin::crypto::SecretBox::load(&config.key).expect("key");
    let state = sendcloud_plugin::web::AppState::new(
        env.db.clone(),
        config,
        secrets.clone(),
        env.host.clone(),
    )
    .expect("state");
    let companies: Vec<i64> = env
        .sql(move |c| {
            let ids: Vec<i64> = companies::table
                .select(companies::id)
                .order(companies::id)
                .load(c)
                .expect("companies");
            for (n, id) in ids.iter().enumerate() {
                sendcloud_plugin::integrations::store_keys(
                    c,
                    &secrets,
                    *id,
                    &format!("pk-company-{n}"),
                    "sk",
                    Some(1),
                )
                .expect("keys");
            }
            ids
        })
        .await;
    assert_eq!(companies.len(), 2);
    let ctx = state.ctx();
    let a = sendcloud_plugin::integrations::client_for(&ctx, companies[0])
        .await
        .expect("client");
    let b = sendcloud_plugin::integrations::client_for(&ctx, companies[1])
        .await
        .expect("client");
    assert!(a.pool().same_as(b.pool()), "one pool for both companies");
    assert!(a.pool().same_as(&state.ctx().sendcloud_http));
    assert_eq!(a.config().credentials.public_key(), "pk-company-0");
    assert_eq!(b.config().credentials.public_key(), "pk-company-1");
    assert!(!Arc::ptr_eq(a.limiter(), b.limiter()));
});

/// A Sendcloud double that accepts every batch with 201 but leaves the last
/// order of each batch out of its answer, and numbers the others 5000, 5001,
/// … in the order it names them (reversed, so position is no guide).
async fn partial_sendcloud() -> (String, actix_web::dev::ServerHandle) {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let (addr, handle) = serve_double!(HttpServer::new(|| {
        App::new().route(
            "/api/v3/orders",
            web::post().to(|body: web::Bytes| async move {
                let orders: Vec<Value> = serde_json::from_slice(&body).unwrap_or_default();
                let named: Vec<Value> = orders
                    .iter()
                    .take(orders.len().saturating_sub(1))
                    .rev()
                    .enumerate()
                    .map(|(i, o)| {
                        serde_json::json!({"id": 5000 + i, "order_id": o["order_id"], "order_number": o["order_number"]})
                    })
                    .collect();
                HttpResponse::Created().json(serde_json::json!({ "data": named }))
            }),
        )
    }));
    (format!("http://{addr}/api"), handle)
}

// Issue 8, defect 2: Sendcloud's answer is checked against the orders sent.
// Each confirmed order is stored with the id Sendcloud gave it (matched by
// `order_id`, not by position); an order the answer leaves out is not
// counted as pushed and is reported.
db_async_test!(push_answer_is_matched_to_the_orders_sent, |tdb| {
    let env = env(&tdb, false).await;
    let (f, ids) = fixture_with_orders(&env, 3).await;
    let (api, server) = partial_sendcloud().await;
    let mut cfg = ClientConfig::new(Credentials::new("pk-partial", "sk"));
    cfg.api_base = api;
    let client = SendcloudClient::new(cfg).expect("client");
    let req = env.request(f.company, since_30_days());
    let s = orders::push_orders(&env.db, env.host.clone(), &client, &req, |_| {})
        .await
        .expect("push runs");
    server.stop(false).await;
    assert_eq!((s.pushed, s.failed), (2, 1), "{s:?}");
    assert_eq!(s.failures[0].order_id, ids[2]);
    assert_eq!(s.failures[0].message, orders::UNCONFIRMED);
    let mut stored = vec![];
    for id in ids.clone() {
        stored.push(
            env.sql(move |c| orders::push_record(c, f.company, id).expect("record"))
                .await
                .map(|r| r.0),
        );
    }
    // Sendcloud named ids[1] first (5000), then ids[0] (5001).
    assert_eq!(stored, vec![Some(Some(5001)), Some(Some(5000)), None]);
});

// The stand-in answers "still processing a previous request" like
// Sendcloud (fault `still_processing_next`): the push retries and every
// order arrives once.
db_async_test!(still_processing_at_the_standin_is_retried, |tdb| {
    let env = env(&tdb, false).await;
    let (f, ids) = fixture_with_orders(&env, 3).await;
    env.h.standin().set_faults(Faults {
        still_processing_next: 1,
        path_prefix: Some("/api/v3/orders".into()),
        ..Default::default()
    });
    let s = env.push(&env.request(f.company, since_30_days())).await;
    assert_eq!((s.pushed, s.failed, s.deferred), (3, 0, 0), "{s:?}");
    assert_eq!(env.order_posts(), [400, 201]);
    for id in ids {
        env.stored_order(id);
    }
});
