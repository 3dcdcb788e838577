//! The snapshot objects of the Abgleich against the stand-in: shipping
//! methods with their v3 shipping options and the v2 → v3 link (compat
//! calls only for methods not linked yet), the staff mapping that overrides
//! it, and the label side's service (`crate::shipping_options`); sender
//! addresses (v3, paged) new, changed and deleted; counts equal to the
//! stand-in's and the requests of a run with nothing new.

use diesel::prelude::*;
use sendcloud_plugin::shipping_options;
use sendcloud_plugin::sync::{Run, SyncObject};
use sendcloud_standin::{self as standin, StandinConfig, StandinHandle};

use crate::common::TestApp;

async fn standin() -> StandinHandle {
    standin::spawn(StandinConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("stand-in")
}

/// Connect the first company with the stand-in's demo keys.
async fn connect(app: &TestApp, sc: &StandinHandle) -> i64 {
    let keys = sc.standin().demo_keys().unwrap();
    let secrets = app.state.secrets.clone();
    app.state
        .db
        .run(move |c| {
            use sendcloud_plugin::db::schema::companies as co;
            let company: i64 = co::table.select(co::id).order(co::id).first(c)?;
            sendcloud_plugin::integrations::store_keys(
                c,
                &secrets,
                company,
                &keys.public_key,
                &keys.secret_key,
                None,
            )?;
            Ok(company)
        })
        .await
        .unwrap()
}

/// An Abgleich of the given object types; its run row (asserted done).
async fn abgleich(app: &TestApp, sc: &StandinHandle, company: i64, objects: &[SyncObject]) -> Run {
    sc.standin().clear_requests();
    let objects = objects.to_vec();
    let run = app
        .state
        .db
        .run(move |c| sendcloud_plugin::integrations::enqueue_sync(c, company, "test", &objects))
        .await
        .unwrap();
    assert!(run.is_some(), "run queued");
    app.run_jobs().await;
    let run = app
        .state
        .db
        .run(move |c| sendcloud_plugin::sync::latest_run(c, company))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.state, "done", "{:?}", run.error);
    run
}

/// Requests the last run made, per "METHOD path".
fn requests(sc: &StandinHandle, method: &str, path: &str) -> usize {
    sc.standin()
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// The stand-in's (enabled outgoing methods, as `GET /shipping_methods` lists them; options) of the demo account.
fn at_standin(sc: &StandinHandle) -> (usize, Vec<String>) {
    let keys = sc.standin().demo_keys().unwrap();
    let s = sc.standin().state();
    let methods = &s.accounts[&keys.account_id].shipping_methods;
    (
        methods.iter().filter(|m| m.enabled && !m.is_return).count(),
        methods.iter().filter_map(standin::option_code).collect(),
    )
}

// Issue 10 item 2 / issue 11: the shipping options come from v3 with the
// weight, country and service point limits labels need, linked to the v2
// method ids; a run with nothing new asks no compat question; a new method
// is linked; the staff pick overrides Sendcloud's link.
db_async_test!(shipping_options_sync_link_and_stay_quiet, |t| {
    let sc = standin().await;
    let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
    let company = connect(&app, &sc).await;
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    assert_eq!(requests(&sc, "POST", "/api/v3/shipping-options"), 1);
    assert_eq!(requests(&sc, "POST", "/api/v3/compat/shipping-options"), 1);
    let (methods, codes) = at_standin(&sc);
    let db = app.state.db.clone();
    let (list, synced) = db
        .run(move |c| {
            Ok((
                shipping_options::list(c, company)?,
                sendcloud_plugin::sync::synced_counts(c, company)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(synced.get(SyncObject::ShippingMethods), methods as i64);
    let mut stored: Vec<String> = list.iter().map(|o| o.code.clone()).collect();
    let mut expected = codes.clone();
    stored.sort();
    expected.sort();
    assert_eq!(stored, expected, "every option of the account");

    let (paket, letter, packstation) = db
        .run(move |c| {
            Ok((
                shipping_options::for_method(c, company, 1301)?,
                shipping_options::for_method(c, company, 8)?,
                shipping_options::for_method(c, company, 1302)?,
            ))
        })
        .await
        .unwrap();
    let paket = paket.expect("DHL Paket has an option");
    assert_eq!(paket.code, "dhl_de:dhl-paket");
    assert_eq!(paket.carrier_name, "DHL");
    assert_eq!(paket.v2_method_id, Some(1301));
    assert_eq!(paket.max_weight_g(), Some(31_501));
    assert!(paket.to_countries().unwrap().contains(&"CH".to_string()));
    assert_eq!(shipping_options::fits(&paket, 2_000, "DE", "AT"), Ok(()));
    assert_eq!(
        shipping_options::fits(&paket, 2_000, "DE", "US"),
        Err(shipping_options::Misfit::ToCountry {
            country: "US".into()
        })
    );
    assert_eq!(
        shipping_options::fits(&paket, 40_000, "DE", "AT"),
        Err(shipping_options::Misfit::TooHeavy { max_g: 31_501 })
    );
    assert!(letter.is_none(), "the unstamped letter has no option");
    let packstation = packstation.unwrap();
    assert!(packstation.service_point_required);
    assert_eq!(packstation.functionality("last_mile"), "service_point");

    // Nothing new: one options call, no compat call.
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    assert_eq!(requests(&sc, "POST", "/api/v3/shipping-options"), 1);
    assert_eq!(requests(&sc, "POST", "/api/v3/compat/shipping-options"), 0);
    // The options are unchanged and the v2 list was read minutes ago.
    assert_eq!(requests(&sc, "GET", "/api/v2/shipping_methods"), 0);

    // A day later the v2 list is read again even though the options stayed
    // the same (a method's countries can change without its option).
    db.run(move |c| {
        use sendcloud_plugin::db::schema::sendcloud_shipping_methods as sm;
        let day_ago = chrono::Utc::now().naive_utc()
            - chrono::Duration::hours(sendcloud_plugin::sync::METHODS_REFRESH_HOURS + 1);
        diesel::update(sm::table.filter(sm::company_id.eq(company)))
            .set(sm::synced_at.eq(day_ago))
            .execute(c)?;
        Ok(())
    })
    .await
    .unwrap();
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    assert_eq!(requests(&sc, "GET", "/api/v2/shipping_methods"), 1);
    assert_eq!(requests(&sc, "POST", "/api/v3/compat/shipping-options"), 0);

    // A new method at Sendcloud (and so a new option): one compat call, and
    // its option appears.
    {
        let keys = sc.standin().demo_keys().unwrap();
        let mut s = sc.standin().state();
        let methods = &mut s
            .accounts
            .get_mut(&keys.account_id)
            .unwrap()
            .shipping_methods;
        let mut m = methods.iter().find(|m| m.id == 1401).unwrap().clone();
        m.id = 4242;
        m.name = "DPD Express 0-31.5kg".into();
        methods.push(m);
    }
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    assert_eq!(requests(&sc, "POST", "/api/v3/compat/shipping-options"), 1);
    let express = db
        .run(move |c| shipping_options::for_method(c, company, 4242))
        .await
        .unwrap()
        .expect("the new method's option");
    assert_eq!(express.code, "dpd:dpd-express");

    // Staff map the letter to DHL Paket; the pick wins over Sendcloud's
    // link and survives the next Abgleich; removing it restores the link.
    db.run(move |c| {
        shipping_options::set_manual(c, company, 8, Some("dhl_de:dhl-paket"), Some("admin"))?;
        shipping_options::set_manual(c, company, 1302, Some("dhl_de:dhl-paket"), None)
    })
    .await
    .unwrap();
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    let (letter, packstation) = db
        .run(move |c| {
            Ok((
                shipping_options::for_method(c, company, 8)?,
                shipping_options::for_method(c, company, 1302)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(letter.unwrap().code, "dhl_de:dhl-paket");
    assert_eq!(packstation.unwrap().code, "dhl_de:dhl-paket");
    db.run(move |c| shipping_options::set_manual(c, company, 1302, None, None))
        .await
        .unwrap();
    let packstation = db
        .run(move |c| shipping_options::for_method(c, company, 1302))
        .await
        .unwrap();
    assert_eq!(packstation.unwrap().code, "dhl_de:dhl-paket-packstation");

    // An option Sendcloud no longer lists turns inactive: no longer offered.
    {
        let keys = sc.standin().demo_keys().unwrap();
        let mut s = sc.standin().state();
        let methods = &mut s
            .accounts
            .get_mut(&keys.account_id)
            .unwrap()
            .shipping_methods;
        methods.retain(|m| m.id != 4242);
    }
    abgleich(&app, &sc, company, &[SyncObject::ShippingMethods]).await;
    let (express, gone) = db
        .run(move |c| {
            Ok((
                shipping_options::for_method(c, company, 4242)?,
                shipping_options::get(c, company, "dpd:dpd-express")?,
            ))
        })
        .await
        .unwrap();
    assert!(express.is_none());
    assert!(!gone.unwrap().active);
});

fn demo_account(sc: &StandinHandle) -> u64 {
    sc.standin().demo_keys().unwrap().account_id
}

/// The company's stored sender addresses: (Sendcloud id, city, active).
async fn stored_addresses(app: &TestApp, company: i64) -> Vec<(i64, String, bool)> {
    use sendcloud_plugin::db::schema::sendcloud_sender_addresses as sa;
    app.state
        .db
        .run(move |c| {
            Ok(sa::table
                .filter(sa::company_id.eq(company))
                .order(sa::sendcloud_id)
                .select((sa::sendcloud_id, sa::city, sa::active))
                .load(c)?)
        })
        .await
        .unwrap()
}

// Issue 10 item 2 and its test "a new, changed and deleted sender address
// show after the next run": read from v3 `GET /addresses/sender-addresses`
// across two `Link`-paged pages.
db_async_test!(
    a_new_changed_and_deleted_sender_address_show_after_the_next_run,
    |t| {
        let sc = standin().await;
        let account = demo_account(&sc);
        for i in 0..120 {
            sc.standin().state().add_sender_address(
                account,
                &format!("Lager {i}"),
                "Eva Lager",
                "Hafenstraße",
                &format!("{}", i + 1),
                "20457",
                "Hamburg",
                "DE",
            );
        }
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        abgleich(&app, &sc, company, &[SyncObject::SenderAddresses]).await;
        let at_standin = || -> Vec<u64> {
            sc.standin().state().accounts[&account]
                .sender_addresses
                .iter()
                .map(|a| a.id)
                .collect()
        };
        let ids = at_standin();
        assert!(ids.len() > 100);
        assert_eq!(
            requests(&sc, "GET", "/api/v3/addresses/sender-addresses"),
            ids.len().div_ceil(100),
            "one request per page of 100"
        );
        assert_eq!(requests(&sc, "GET", "/api/v2/user/addresses/sender"), 0);
        let stored = stored_addresses(&app, company).await;
        assert_eq!(stored.len(), ids.len());
        assert!(stored.iter().all(|(_, _, active)| *active));

        // At Sendcloud: one new, one changed, one deleted.
        let (changed, deleted) = (ids[3] as i64, ids[7] as i64);
        let new = sc
            .standin()
            .state()
            .add_sender_address(
                account, "Neu GmbH", "Nina Neu", "Neuweg", "1", "10115", "Berlin", "DE",
            )
            .unwrap() as i64;
        {
            let mut s = sc.standin().state();
            let list = &mut s.accounts.get_mut(&account).unwrap().sender_addresses;
            list.iter_mut()
                .find(|a| a.id as i64 == changed)
                .unwrap()
                .city = "Bremen".into();
            list.retain(|a| a.id as i64 != deleted);
        }
        let run = abgleich(&app, &sc, company, &[SyncObject::SenderAddresses]).await;
        assert_eq!((run.created, run.updated), (1, 2), "{run:?}");
        let stored = stored_addresses(&app, company).await;
        let row = |id: i64| stored.iter().find(|r| r.0 == id).cloned().unwrap();
        assert!(row(new).2, "the new address is there");
        assert_eq!(row(changed).1, "Bremen");
        assert!(!row(deleted).2, "the deleted address is inactive, not gone");
        let active = stored.iter().filter(|r| r.2).count();
        assert_eq!(active, at_standin().len());
    }
);

// Issue 10's tests "after a full sync every count equals the stand-in's"
// (each snapshot object) and "a run with nothing new makes at most one
// request per object type": one each, but shipping methods, which reads
// two lists (v2 methods for the ids orders carry, v3 options for labels;
// the compat link is not asked again). Parcel statuses link v3 codes to
// v2 ids by message and ask v2 only when the v3 list changed.
db_async_test!(
    snapshot_counts_equal_the_standins_and_a_quiet_run_asks_once,
    |t| {
        let sc = standin().await;
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let company = connect(&app, &sc).await;
        let snapshots = [
            SyncObject::SenderAddresses,
            SyncObject::ShippingMethods,
            SyncObject::ParcelStatuses,
            SyncObject::Brands,
        ];
        abgleich(&app, &sc, company, &snapshots).await;
        let account = demo_account(&sc);
        let (addresses, brands) = {
            let s = sc.standin().state();
            let a = &s.accounts[&account];
            (a.sender_addresses.len(), a.brands.len())
        };
        let (methods, _) = at_standin(&sc);
        let synced = app
            .state
            .db
            .run(move |c| sendcloud_plugin::sync::synced_counts(c, company))
            .await
            .unwrap();
        assert_eq!(
            snapshots.map(|o| synced.get(o)),
            [
                addresses as i64,
                methods as i64,
                standin::PARCEL_STATUSES.len() as i64,
                brands as i64
            ]
        );
        // Every status has its v3 code and its v2 id.
        let codes: Vec<(i64, Option<String>)> = app
            .state
            .db
            .run(move |c| {
                use sendcloud_plugin::db::schema::sendcloud_parcel_statuses as ps;
                Ok(ps::table
                    .filter(ps::company_id.eq(company))
                    .select((ps::status_id, ps::code))
                    .load(c)?)
            })
            .await
            .unwrap();
        assert!(codes.iter().all(|(_, c)| c.is_some()), "{codes:?}");
        assert!(codes.contains(&(1000, Some("READY_TO_SEND".into()))));

        let run = abgleich(&app, &sc, company, &snapshots).await;
        assert_eq!((run.created, run.updated), (0, 0), "{run:?}");
        let per = |m: &str, p: &str| requests(&sc, m, p);
        assert_eq!(per("GET", "/api/v3/addresses/sender-addresses"), 1);
        assert_eq!(per("GET", "/api/v3/parcels/statuses"), 1);
        assert_eq!(per("GET", "/api/v2/parcels/statuses"), 0);
        assert_eq!(per("GET", "/api/v2/brands"), 1);
        assert_eq!(per("GET", "/api/v2/shipping_methods"), 0);
        assert_eq!(per("POST", "/api/v3/shipping-options"), 1);
        assert_eq!(per("POST", "/api/v3/compat/shipping-options"), 0);
        assert_eq!(
            sc.standin().requests().len(),
            4,
            "nothing else: one request per object type"
        );
    }
);

// Issue 11's manual mapping: staff pick an option for a method Sendcloud
// links to none (the unstamped letter) on Versandmethoden-Zuordnung; the
// pick is stored per company and used by `for_method`; an option that is
// not synced is refused with a message and nothing is saved.
db_async_test!(
    staff_map_a_method_without_an_option_on_the_mapping_page,
    |t| {
        let sc = standin().await;
        let keys = sc.standin().demo_keys().unwrap();
        let app = TestApp::spawn_with(t, Some(&sc.api_url())).await;
        let client = app.client();
        app.login(&client, "admin", crate::common::ADMIN_PASSWORD)
            .await;
        let page = app.page(&client, "/admin/method-mapping").await;
        assert!(page.contains("id=\"mm-empty\""), "nothing synced yet");
        let csrf = TestApp::csrf_of(&page);
        client
            .post(app.url("/admin/keys"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("public_key", keys.public_key.as_str()),
                ("secret_key", keys.secret_key.as_str()),
            ])
            .send()
            .await
            .unwrap();
        app.run_jobs().await;
        let company: i64 = app
            .state
            .db
            .run(|c| {
                use sendcloud_plugin::db::schema::sendcloud_shipping_options as so;
                Ok(so::table.select(so::company_id).first(c)?)
            })
            .await
            .unwrap();
        let page = app.page(&client, "/admin/method-mapping").await;
        assert!(page.contains("Versandmethoden-Zuordnung"));
        assert!(
            page.contains("id=\"mm-unresolved-8\""),
            "the letter has none"
        );
        assert!(!page.contains("id=\"mm-unresolved-1301\""));
        let csrf = TestApp::csrf_of(&page);
        let post = |code: &'static str, csrf: String| {
            let client = client.clone();
            let url = app.url("/admin/method-mapping");
            async move {
                client
                    .post(url)
                    .form(&[("csrf_token", csrf.as_str()), ("m_8", code)])
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(post("nope:not-an-option", csrf.clone()).await.status(), 303);
        let page = app.page(&client, "/admin/method-mapping").await;
        assert!(page.contains("nicht (mehr) abgeglichen"), "refused");
        let picked = app
            .state
            .db
            .run(move |c| shipping_options::for_method(c, company, 8))
            .await
            .unwrap();
        assert!(picked.is_none(), "nothing saved");
        assert_eq!(post("dhl_de:dhl-paket", csrf).await.status(), 303);
        let page = app.page(&client, "/admin/method-mapping").await;
        assert!(page.contains("Versandmethoden-Zuordnung gespeichert."));
        assert!(page.contains("value=\"dhl_de:dhl-paket\" selected"));
        assert!(!page.contains("id=\"mm-unresolved-8\""));
        let picked = app
            .state
            .db
            .run(move |c| shipping_options::for_method(c, company, 8))
            .await
            .unwrap();
        assert_eq!(picked.unwrap().code, "dhl_de:dhl-paket");
    }
);
