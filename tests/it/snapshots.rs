//! The snapshot objects of the Abgleich against the stand-in: shipping
//! methods with their v3 shipping options and the v2 → v3 link (compat
//! calls only for methods not linked yet), the staff mapping that overrides
//! it, and the label side's service (`crate::shipping_options`).

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
    assert_eq!(requests(&sc, "GET", "/api/v2/shipping_methods"), 1);

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
