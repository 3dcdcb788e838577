//! Which of the account's Sendcloud integrations is ours. The connect flow
//! names it (`integration_credentials` carries its id); keys entered by hand
//! do not, and an account may hold several integrations (other shops) or
//! none. [`pick_integration`] chooses only when the answer is unambiguous;
//! [`discover_integration_id`] asks Sendcloud again later (the order push
//! does, before it gives up) and stores what it finds.

use diesel::prelude::*;

use crate::context::Context;
use crate::db::schema::sendcloud_integrations as si;
use crate::sendcloud::{Integration, SendcloudClient};

/// The webhook URL Sendcloud calls for a company.
pub fn webhook_url(ctx: &Context, company_id: i64, token: &str) -> String {
    let path = ctx
        .config
        .manifest
        .webhooks
        .sendcloud
        .replace("{company}", &company_id.to_string())
        .replace("{token}", token);
    ctx.config.public_link(&path)
}

/// Our integration among the account's: the only one; else the one whose
/// webhook URL is ours (the connect flow set it); else the only `api`
/// integration. `None` when that does not settle it.
pub fn pick_integration(list: &[Integration], our_webhook_url: &str) -> Option<i64> {
    if let [only] = list {
        return only.id;
    }
    let unique = |matches: Vec<&Integration>| match matches.as_slice() {
        [one] => one.id,
        _ => None,
    };
    unique(
        list.iter()
            .filter(|i| i.webhook_url.as_deref() == Some(our_webhook_url))
            .collect(),
    )
    .or_else(|| {
        unique(
            list.iter()
                .filter(|i| i.system.as_deref() == Some("api"))
                .collect(),
        )
    })
}

/// Look the integration id up at Sendcloud and store it. `Ok(None)` when it
/// cannot be determined (the page then says so).
pub async fn discover_integration_id(
    ctx: &Context,
    client: &SendcloudClient,
    company_id: i64,
) -> Result<Option<i64>, super::ClientError> {
    let list = client.list_integrations(None).await?;
    let token: Option<String> = ctx
        .db
        .run(move |c| {
            Ok(si::table
                .filter(si::company_id.eq(company_id))
                .select(si::webhook_token)
                .first::<String>(c)
                .optional()?)
        })
        .await?;
    let hook = token
        .map(|t| webhook_url(ctx, company_id, &t))
        .unwrap_or_default();
    let Some(id) = pick_integration(&list, &hook) else {
        return Ok(None);
    };
    ctx.db
        .run(move |c| {
            diesel::update(si::table.filter(si::company_id.eq(company_id)))
                .set(si::sendcloud_integration_id.eq(id))
                .execute(c)?;
            Ok(())
        })
        .await?;
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integration(id: i64, system: &str, hook: Option<&str>) -> Integration {
        Integration {
            id: Some(id),
            system: Some(system.into()),
            webhook_url: hook.map(str::to_string),
            ..Integration::default()
        }
    }

    #[test]
    fn picks_only_when_unambiguous() {
        let ours = "https://bo.example/sendcloud/webhooks/sendcloud/1/t";
        assert_eq!(pick_integration(&[], ours), None);
        assert_eq!(
            pick_integration(&[integration(5, "shopify", None)], ours),
            Some(5)
        );
        let several = [
            integration(5, "shopify", None),
            integration(6, "api", Some("https://other.example/hook")),
            integration(7, "api", Some(ours)),
        ];
        assert_eq!(pick_integration(&several, ours), Some(7), "by webhook URL");
        let one_api = [integration(5, "shopify", None), integration(6, "api", None)];
        assert_eq!(
            pick_integration(&one_api, ours),
            Some(6),
            "the only api one"
        );
        let two_api = [integration(5, "api", None), integration(6, "api", None)];
        assert_eq!(pick_integration(&two_api, ours), None, "ambiguous");
    }
}
