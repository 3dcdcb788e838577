//! The worker: the top of the data flow for background work. It knows every
//! job kind (the [`Registry`]), claims due jobs from the queue (`crate::jobs`),
//! renews a running job's lease (heartbeat) and stops working on a job whose
//! lease it lost, records the outcome, and ticks the [`scheduler`] every
//! minute. What a job does belongs to its service (`sync::SyncJob`,
//! `orders::PushJob`, `webhooks::inbox::ProcessJob`, [`purge::PurgeJob`]).

pub mod purge;
pub mod scheduler;

use std::collections::HashMap;

use chrono::{Duration, Utc};
use futures_util::future::BoxFuture;

use crate::context::Context;
use crate::db::DbResult;
use crate::jobs::{self, Job, JobError, JobKind};

type Start = fn(Context, &Job) -> Result<BoxFuture<'static, Result<(), JobError>>, JobError>;

/// The job kinds a worker can run, by their stored `kind`.
#[derive(Clone)]
pub struct Registry(HashMap<&'static str, Start>);

impl Registry {
    /// Every job kind of the module.
    pub fn standard() -> Registry {
        Registry(HashMap::new())
            .with::<crate::sync::SyncJob>()
            .with::<crate::orders::PushJob>()
            .with::<crate::webhooks::inbox::ProcessJob>()
            .with::<crate::notify::NotifyJob>()
            .with::<purge::PurgeJob>()
            .with::<crate::labels::LabelJob>()
            .with::<crate::labels::CancelJob>()
            .with::<crate::labels::SweepJob>()
            .with::<crate::labels::IntegrationLogJob>()
            .with::<crate::hostevents::DeliverJob>()
    }

    /// Add a job kind.
    pub fn with<J: JobKind>(mut self) -> Registry {
        self.0.insert(J::KIND, start::<J>);
        self
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.keys().copied()
    }
}

/// Decode a stored payload into its job type and start it. Payloads queued
/// by earlier versions did not carry the company (it is a column of the
/// job row): it is filled in from the row.
fn start<J: JobKind>(
    ctx: Context,
    job: &Job,
) -> Result<BoxFuture<'static, Result<(), JobError>>, JobError> {
    let mut value: serde_json::Value =
        serde_json::from_str(&job.payload).map_err(|e| JobError(format!("bad payload: {e}")))?;
    if let (Some(map), Some(company)) = (value.as_object_mut(), job.company_id) {
        map.entry("company_id").or_insert(company.into());
    }
    let typed: J =
        serde_json::from_value(value).map_err(|e| JobError(format!("bad payload: {e}")))?;
    Ok(typed.run(ctx))
}

/// Runs jobs for one process (one worker id).
#[derive(Clone)]
pub struct Runner {
    ctx: Context,
    worker: String,
    registry: Registry,
    lease: Duration,
    heartbeat: std::time::Duration,
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
            registry: Registry::standard(),
            lease: jobs::LEASE,
            heartbeat: jobs::HEARTBEAT,
        }
    }

    /// Another lease and heartbeat (tests and the fault suite use short ones).
    pub fn with_lease(mut self, lease: Duration, heartbeat: std::time::Duration) -> Runner {
        self.lease = lease;
        self.heartbeat = heartbeat;
        self
    }

    /// Another set of job kinds (tests register their own).
    pub fn with_registry(mut self, registry: Registry) -> Runner {
        self.registry = registry;
        self
    }

    /// This runner's worker id (the jobs' `locked_by`).
    pub fn worker_id(&self) -> &str {
        &self.worker
    }

    /// Claim and run one due job. `None` when nothing is due. A job whose
    /// lease this runner lost while running it is reported with an error
    /// and left to the worker that holds it now.
    pub async fn run_next(&self) -> DbResult<Option<(Job, Result<(), String>)>> {
        let (worker, lease) = (self.worker.clone(), self.lease);
        let Some(job) = self
            .ctx
            .db
            .run(move |c| jobs::claim(c, &worker, lease))
            .await?
        else {
            return Ok(None);
        };
        let outcome = self.execute_with_heartbeat(&job).await;
        let (j2, worker) = (job.clone(), self.worker.clone());
        let result = match outcome {
            Outcome::LeaseLost => {
                tracing::warn!(job = job.id, kind = %job.kind, "job lease lost; another worker holds it now");
                Err("lease lost".to_string())
            }
            Outcome::Finished(r) => {
                let r2 = r.clone();
                self.ctx
                    .db
                    .run(move |c| match &r2 {
                        Ok(()) => jobs::complete_owned(c, j2.id, &worker).map(|_| ()),
                        Err(e) => {
                            let retry = jobs::fail_owned(c, &j2, Some(&worker), e)?;
                            tracing::warn!(job = j2.id, kind = %j2.kind, retry, error = %e, "job failed");
                            Ok(())
                        }
                    })
                    .await?;
                r
            }
        };
        Ok(Some((job, result)))
    }

    /// Run the job while renewing its lease; stop as soon as a renewal says
    /// the lease is gone (the job's future is dropped: work already handed
    /// to the database finishes, nothing more starts).
    async fn execute_with_heartbeat(&self, job: &Job) -> Outcome {
        let work = self.execute(job);
        tokio::pin!(work);
        let mut beat = tokio::time::interval(self.heartbeat);
        beat.tick().await; // the first tick is immediate
        loop {
            tokio::select! {
                r = &mut work => return Outcome::Finished(r),
                _ = beat.tick() => {
                    let (id, worker, lease) = (job.id, self.worker.clone(), self.lease);
                    let held = self
                        .ctx
                        .db
                        .run(move |c| jobs::heartbeat(c, id, &worker, Utc::now().naive_utc(), lease))
                        .await;
                    match held {
                        Ok(true) => {}
                        Ok(false) => return Outcome::LeaseLost,
                        // The database is away: keep working; the next beat
                        // (or the final write) tells whether we still hold it.
                        Err(e) => tracing::warn!(job = id, error = %e, "lease renewal failed"),
                    }
                }
            }
        }
    }

    async fn execute(&self, job: &Job) -> Result<(), String> {
        let Some(start) = self.registry.0.get(job.kind.as_str()) else {
            return Err(format!("unknown job kind {}", job.kind));
        };
        let fut = start(self.ctx.clone(), job).map_err(|e| e.0)?;
        fut.await.map_err(|e| e.0)
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
    pub async fn schedule(&self) -> DbResult<scheduler::Tick> {
        let manifest = self.ctx.config.manifest.clone();
        self.ctx
            .db
            .run(move |c| scheduler::tick(c, &manifest, Utc::now().naive_utc()))
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
                if let Err(e) = self.run_pending().await {
                    tracing::error!(error = %e, "job worker: database error");
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}

enum Outcome {
    Finished(Result<(), String>),
    LeaseLost,
}
