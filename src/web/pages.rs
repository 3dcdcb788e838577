//! The integration page, Konfiguration → Lager → Sendcloud
//! (`/admin/config`): the connection, the warehouses, the Abgleich and the
//! last order push of the selected company. The root redirects here.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{html, layout_for, see_other, Layout};
use super::AppState;
use crate::host::{Company, HostStats, Warehouse};
use crate::integrations::{self, IntegrationView};

#[derive(Template)]
#[template(path = "config.html")]
struct ConfigPage {
    l: Layout,
    company: Company,
    connected: bool,
    state: &'static str,
    state_label: &'static str,
    integration_id: Option<i64>,
    shop_name: Option<String>,
    webhook_active: bool,
    last_sync: Option<chrono::NaiveDateTime>,
    failing_since: Option<chrono::NaiveDateTime>,
    /// Webhook events stored in the inbox and not processed yet.
    webhook_pending: i64,
    warehouses: Vec<Warehouse>,
    stats: HostStats,
    objects: Vec<(&'static str, &'static str)>,
    /// (count, object label id) of what the module holds.
    synced: Vec<(i64, &'static str)>,
    /// Anything synced at all (sender addresses: the first thing a sync brings).
    has_synced: bool,
    run: Option<crate::sync::Run>,
    run_active: bool,
    run_state_label: &'static str,
    sender_labels: Vec<(i64, String)>,
    last_push: Option<crate::actionlog::Entry>,
    push_pending: bool,
}

impl ConfigPage {
    /// The sender address linked to a warehouse, if any.
    fn sender_label(&self, warehouse_id: &i64) -> Option<&str> {
        self.sender_labels
            .iter()
            .find(|(w, _)| w == warehouse_id)
            .map(|(_, l)| l.as_str())
    }
}

pub async fn config_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Configure>,
) -> Result<HttpResponse, WebError> {
    let company = ctx.company.clone();
    let host = state.host.clone();
    let company_id = company.id;
    let (
        view,
        warehouses,
        stats,
        synced,
        run,
        sender_labels,
        (last_push, push_pending),
        webhook_pending,
    ) = state
        .db
        .run(move |c| {
            let options = crate::warehouses::sender_options(c, company_id)?;
            let labels = crate::warehouses::links(c, host.as_ref(), company_id)?
                .into_iter()
                .filter_map(|(w, s)| {
                    let s = s?;
                    let label = options
                        .iter()
                        .find(|o| o.sendcloud_id == s)
                        .map(|o| o.label.clone())
                        .unwrap_or_else(|| format!("#{s}"));
                    Some((w.id, label))
                })
                .collect::<Vec<_>>();
            Ok((
                integrations::view(c, company_id)?,
                host.warehouses(c, company_id)?,
                host.stats(c, company_id)?,
                crate::sync::synced_counts(c, company_id)?,
                crate::sync::latest_run(c, company_id)?,
                labels,
                crate::orders::last_push(c, company_id)?,
                crate::webhooks::inbox::pending_count(c, company_id)?,
            ))
        })
        .await?;
    let run_active = run
        .as_ref()
        .is_some_and(|r| r.state == "queued" || r.state == "running");
    let run_state_label = match run.as_ref().map(|r| r.state.as_str()) {
        Some("queued") => "run-queued",
        Some("running") => "run-running",
        Some("failed") => "run-failed-state",
        _ => "run-done",
    };
    let IntegrationView {
        state: istate,
        sendcloud_integration_id,
        shop_name,
        webhook_active,
        last_sync_at,
        failing_since,
    } = view;
    let page = ConfigPage {
        l: layout_for(
            &state,
            &req,
            &session,
            "config",
            &ctx.user,
            ctx.companies(),
            "integration-title",
        ),
        connected: istate == integrations::STATE_CONNECTED,
        state: istate.as_str_static(),
        state_label: istate.label_id(),
        integration_id: sendcloud_integration_id,
        shop_name,
        webhook_active,
        last_sync: last_sync_at,
        failing_since,
        webhook_pending,
        company,
        warehouses,
        stats,
        objects: crate::sync::SyncObject::available()
            .map(|o| (o.as_str(), o.label_id()))
            .collect(),
        has_synced: synced.get(crate::sync::SyncObject::SenderAddresses) > 0,
        synced: crate::sync::SyncObject::available()
            .map(|o| (synced.get(o), o.label_id()))
            .collect(),
        run,
        run_active,
        run_state_label,
        sender_labels,
        last_push,
        push_pending,
    };
    Ok(html(page.render()?))
}

pub async fn root(state: web::Data<AppState>) -> HttpResponse {
    see_other(&format!("{}/admin/config", state.config.mount_path()))
}
