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

    /// Poll for due jobs forever (the server's background worker).
    pub fn spawn(self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.run_pending().await {
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "job worker: database error"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    async fn execute(&self, job: &Job) -> Result<(), String> {
        let payload: serde_json::Value =
            serde_json::from_str(&job.payload).map_err(|e| format!("bad payload: {e}"))?;
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
            other => Err(format!("unknown job kind {other}")),
        }
    }
}
