//! Running jobs: claim, dispatch by kind, complete or fail with backoff.

use chrono::Duration;

use super::{claim, complete, fail, Job};
use crate::context::Context;
use crate::db::DbResult;

/// Runs jobs for one process (one worker id).
#[derive(Clone)]
pub struct Runner {
    ctx: Context,
    worker: String,
}

impl Runner {
    pub fn new(ctx: Context) -> Runner {
        Runner {
            ctx,
            worker: format!(
                "{}-{}",
                std::process::id(),
                &crate::crypto::random_token()[..8]
            ),
        }
    }

    /// Claim and run one due job. `None` when nothing is due.
    pub async fn run_next(&self) -> DbResult<Option<(Job, Result<(), String>)>> {
        let worker = self.worker.clone();
        let Some(job) = self
            .ctx
            .db
            .run(move |c| claim(c, &worker, Duration::minutes(15)))
            .await?
        else {
            return Ok(None);
        };
        let result = self.execute(&job).await;
        let (j2, r2) = (job.clone(), result.clone());
        self.ctx
            .db
            .run(move |c| match &r2 {
                Ok(()) => complete(c, j2.id),
                Err(e) => {
                    let retry = fail(c, &j2, e)?;
                    tracing::warn!(job = j2.id, kind = %j2.kind, retry, error = %e, "job failed");
                    Ok(())
                }
            })
            .await?;
        Ok(Some((job, result)))
    }

    /// Run every job that is due now (tests use this instead of sleeping).
    pub async fn run_pending(&self) -> DbResult<usize> {
        let mut n = 0;
        while self.run_next().await?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    /// One scheduler tick: enqueue what the intervals make due.
    pub async fn schedule(&self) -> DbResult<super::scheduler::Tick> {
        let manifest = self.ctx.config.manifest.clone();
        self.ctx
            .db
            .run(move |c| super::scheduler::tick(c, &manifest, chrono::Utc::now().naive_utc()))
            .await
    }

    /// Poll for due jobs forever (the server's background worker), with a
    /// scheduler tick every minute.
    pub fn spawn(self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_tick: Option<std::time::Instant> = None;
            loop {
                if last_tick.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
                    if let Err(e) = self.schedule().await {
                        tracing::error!(error = %e, "scheduler: database error");
                    }
                    last_tick = Some(std::time::Instant::now());
                }
                match self.run_pending().await {
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "job worker: database error"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// Bestellungen abgleichen (and the first sync's push): orders from
    /// `since` in the chosen statuses go to Sendcloud's v3 Orders API.
    async fn push_orders(
        &self,
        company_id: i64,
        payload: &serde_json::Value,
    ) -> Result<(), String> {
        use crate::db::schema::sendcloud_integrations as si;
        use crate::host::{CustomsAttributeKeys, OrderSelection};
        use diesel::prelude::*;
        let since = payload["since"]
            .as_str()
            .and_then(|s| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok())
            .ok_or("orders.push job without a valid 'since'")?;
        let selection = payload["selection"]
            .as_str()
            .and_then(OrderSelection::parse)
            .unwrap_or_default();
        let user = payload["user"].as_str().map(str::to_string);
        let manifest = self.ctx.config.manifest.clone();
        let (integration_id, settings) = self
            .ctx
            .db
            .run(move |c| {
                let id: Option<i64> = si::table
                    .filter(si::company_id.eq(company_id))
                    .select(si::sendcloud_integration_id)
                    .first::<Option<i64>>(c)
                    .optional()?
                    .flatten();
                Ok((id, crate::settings::load(c, company_id, &manifest)?))
            })
            .await
            .map_err(|e| e.to_string())?;
        let keys = CustomsAttributeKeys {
            hs_code: settings.hs_code_attribute.clone(),
            origin_country: settings.origin_attribute.clone(),
        };
        let mapping = match settings.customer_mapping {
            crate::settings::CustomerMapping::Manual => {
                crate::orders::RecipientMapping::Manual(settings.manual_mapping)
            }
            _ => crate::orders::RecipientMapping::Dynamic,
        };
        let integration_id = integration_id.ok_or(
            "Die Sendcloud-Integrations-ID ist unbekannt; Aufträge können erst nach der Verknüpfung über Setup übertragen werden.",
        )?;
        let client = crate::integrations::client_for(&self.ctx, company_id)
            .await
            .map_err(|e| e.to_string())?;
        let mut req = crate::orders::PushRequest::new(company_id, integration_id, since);
        req.statuses = selection;
        req.attribute_keys = keys;
        req.user_name = user.clone();
        req.mapping = mapping;
        req.customs = crate::orders::CustomsDefaults {
            shipment_type: settings.customs_shipment_type.code(),
            hs_code: settings.customs_hs_code.clone(),
            origin_country: settings.customs_origin_country.clone(),
        };
        let summary =
            crate::orders::push_orders(&self.ctx.db, self.ctx.host.clone(), &client, &req, |_| {})
                .await
                .map_err(|e| e.to_string())?;
        let message = format!(
            "{} ausgewählt, {} übertragen, {} unverändert, {} fehlgeschlagen{}",
            summary.selected,
            summary.pushed,
            summary.skipped_unchanged,
            summary.failed,
            if summary.errors.is_empty() {
                String::new()
            } else {
                format!(": {}", summary.errors.join("; "))
            }
        );
        let ok = summary.failed == 0;
        self.ctx
            .db
            .run(move |c| {
                crate::actionlog::record(
                    c,
                    &crate::actionlog::Action {
                        company_id: Some(company_id),
                        direction: crate::actionlog::Direction::Internal,
                        action: "orders.push.summary",
                        target: "Bestellungen abgleichen",
                        ok,
                        status_code: None,
                        message: &message,
                        user_name: user.as_deref(),
                    },
                )
            })
            .await
            .map_err(|e| e.to_string())?;
        // Orders that failed stay in the summary and are retried by the next
        // push; the job itself succeeded.
        Ok(())
    }

    async fn execute(&self, job: &Job) -> Result<(), String> {
        let payload: serde_json::Value =
            serde_json::from_str(&job.payload).map_err(|e| format!("bad payload: {e}"))?;
        if job.kind == "logs.purge" {
            let manifest = self.ctx.config.manifest.clone();
            let (logs, jobs) = self
                .ctx
                .db
                .run(move |c| super::scheduler::purge(c, &manifest, chrono::Utc::now().naive_utc()))
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(logs, jobs, "purged old log entries and finished jobs");
            return Ok(());
        }
        let company_id = job.company_id.ok_or("job without company")?;
        match job.kind.as_str() {
            "sync" => {
                let run_id = payload["run_id"]
                    .as_i64()
                    .ok_or("sync job without run_id")?;
                let client = crate::integrations::client_for(&self.ctx, company_id)
                    .await
                    .map_err(|e| e.to_string())?;
                crate::sync::execute(&self.ctx, &client, run_id)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            "orders.push" => self.push_orders(company_id, &payload).await,
            crate::webhooks::inbox::PROCESS_JOB => self
                .ctx
                .db
                .run(move |c| {
                    crate::webhooks::inbox::process_parcel_events(
                        c,
                        company_id,
                        chrono::Utc::now().naive_utc(),
                    )
                })
                .await
                .map(|n| tracing::debug!(company_id, n, "webhook events processed"))
                .map_err(|e| e.to_string()),
            other => Err(format!("unknown job kind {other}")),
        }
    }
}
