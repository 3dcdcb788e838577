//! The label jobs and the one path they run: [`LabelJob`] (`labels.create`,
//! one delivery; the button, the auto-label sweep and the API enqueue it),
//! [`CancelJob`] (`labels.cancel`) and [`SweepJob`] (`labels.sweep`: the
//! company's `done` deliveries created since the last look that still lack a
//! label, when auto-label is on; then what the host changed without telling,
//! `host_events::notice_changes`).
//!
//! [`create_label`]: load the delivery and settings → reserve the label row
//! (committed) → build the request → pre-flight checks (failed: fix-list,
//! no call) → announce (201 created, 409 adopt: the body's shipment or a
//! look-up by reference) → fetch the label PDF → store label, history and
//! the host's tracking fields in one transaction → in test mode, cancel.
//! A failure is marked, reported and (when the company wants it) queued for
//! Sendcloud's integration log in one transaction (`fail`).

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::Utc;
use diesel::prelude::*;
use futures_util::future::BoxFuture;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::content::{self, ContentInput, Sender};
use super::{
    preflight, reserve, CancelOutcome, Label, ParcelNews, Problem, Reserved, ShippingOption,
    ACTION_CANCEL, ACTION_CREATE,
};
use crate::actionlog::{self, Action, Direction};
use crate::config::{Manifest, NotifyDefaults};
use crate::context::Context;
use crate::db::schema::{sendcloud_sender_addresses as sa, sendcloud_warehouse_links as wl};
use crate::db::{DbConn, DbResult};
use crate::host::{CustomsAttributeKeys, DeliveryForLabel};
use crate::jobs::{enqueue_job, JobError, JobKind};
use crate::notify;
use crate::orders::{CustomsDefaults, RecipientMapping};
use crate::sendcloud::shipments_v3::{
    Announced, CancelAnswer, DocumentFormat, PaperSize, Shipment,
};
use crate::sendcloud::{self, SendcloudClient};
use crate::settings::CustomerMapping;

/// Create the label of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelJob {
    pub company_id: i64,
    pub delivery_id: i64,
    /// `button`, `auto`, `api`, `retry`.
    #[serde(default)]
    pub trigger: String,
}

impl JobKind for LabelJob {
    const KIND: &'static str = "labels.create";
    const MAX_ATTEMPTS: i32 = 8;

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!(
            "labels.create:{}:{}",
            self.company_id, self.delivery_id
        ))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            create_label(&ctx, self.company_id, self.delivery_id)
                .await
                .map(|_| ())
        })
    }
}

/// Cancel the label of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelJob {
    pub company_id: i64,
    pub delivery_id: i64,
    #[serde(default)]
    pub user: Option<String>,
}

impl JobKind for CancelJob {
    const KIND: &'static str = "labels.cancel";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!(
            "labels.cancel:{}:{}",
            self.company_id, self.delivery_id
        ))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            cancel_label(&ctx, self.company_id, self.delivery_id)
                .await
                .map(|_| ())
        })
    }
}

/// Enqueue labels for the company's deliveries created since the last look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepJob {
    pub company_id: i64,
}

/// Most deliveries one sweep looks at (the next sweep continues).
pub const SWEEP_BATCH: i64 = 500;

impl JobKind for SweepJob {
    const KIND: &'static str = "labels.sweep";

    fn company_id(&self) -> Option<i64> {
        Some(self.company_id)
    }

    fn dedupe_key(&self) -> Option<String> {
        Some(format!("labels.sweep:{}", self.company_id))
    }

    fn run(self, ctx: Context) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(async move {
            let host = ctx.host.clone();
            let company = self.company_id;
            ctx.db
                .run(move |c| {
                    sweep(c, host.as_ref(), company)?;
                    super::host_events::notice_changes(c, host.as_ref(), company)
                })
                .await?;
            Ok(())
        })
    }
}

/// The sweep: every `done` delivery created after `swept_until` gets a
/// [`LabelJob`] unless it has a label row already; `swept_until` moves on.
/// Returns how many jobs were enqueued.
pub fn sweep(conn: &mut DbConn, host: &dyn crate::host::Host, company_id: i64) -> DbResult<usize> {
    let settings = super::label_settings(conn, company_id)?;
    let due = host.deliveries_done_since(conn, company_id, settings.swept_until, SWEEP_BATCH)?;
    let Some(last) = due.last().map(|(_, t)| *t) else {
        return Ok(0);
    };
    let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
    let have: HashSet<i64> = super::labels_of(conn, company_id, &ids)?
        .into_iter()
        .map(|l| l.delivery_id)
        .collect();
    let mut n = 0;
    conn.write_transaction(|c| {
        for id in ids.iter().filter(|id| !have.contains(id)) {
            let job = LabelJob {
                company_id,
                delivery_id: *id,
                trigger: "auto".into(),
            };
            if enqueue_job(c, &job)?.is_some() {
                n += 1;
            }
        }
        // Deliveries created in the same second as the last one are looked at
        // again next time (the label rows and dedupe keys make that harmless).
        let until = if due.len() as i64 >= SWEEP_BATCH {
            last
        } else {
            last - chrono::Duration::seconds(1)
        };
        super::set_swept_until(
            c,
            company_id,
            until.max(settings.swept_until.unwrap_or(until)),
        )
    })?;
    Ok(n)
}

/// What a label request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestSummary {
    pub enqueued: usize,
    pub already: usize,
    pub unknown: usize,
}

/// What a label request did for one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// A label job was enqueued (or one was already queued: its id).
    Queued(Option<i64>),
    /// The delivery has a label (or a queued job without a known id).
    Already,
    /// Not a delivery of the company.
    Unknown,
}

/// Enqueue label jobs for deliveries of the company (the button and the
/// API). Deliveries with a label are counted, not enqueued.
pub fn request_labels(
    conn: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    delivery_ids: &[i64],
    trigger: &str,
) -> DbResult<RequestSummary> {
    let mut s = RequestSummary {
        enqueued: 0,
        already: 0,
        unknown: 0,
    };
    for (_, r) in request_labels_each(conn, host, company_id, delivery_ids, trigger)? {
        match r {
            Requested::Queued(Some(_)) => s.enqueued += 1,
            Requested::Queued(None) | Requested::Already => s.already += 1,
            Requested::Unknown => s.unknown += 1,
        }
    }
    Ok(s)
}

/// [`request_labels`] with the outcome per delivery (in the order asked):
/// the plugin API answers with the job of each. A delivery whose label job
/// is already queued answers that job (`Queued(Some(id))` of the queued
/// one is not told apart from a new one: both are the job to follow).
pub fn request_labels_each(
    conn: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    delivery_ids: &[i64],
    trigger: &str,
) -> DbResult<Vec<(i64, Requested)>> {
    let known = host.deliveries(
        conn,
        company_id,
        &crate::host::DeliveryQuery {
            ids: Some(delivery_ids.to_vec()),
            limit: delivery_ids.len().max(1) as i64,
            ..Default::default()
        },
    )?;
    let known: HashSet<i64> = known.iter().map(|r| r.delivery.id).collect();
    let labels = super::labels_of(conn, company_id, delivery_ids)?;
    let mut out = Vec::with_capacity(delivery_ids.len());
    conn.write_transaction(|c| {
        for id in delivery_ids {
            if !known.contains(id) {
                out.push((*id, Requested::Unknown));
                continue;
            }
            let done = labels.iter().any(|l| {
                l.delivery_id == *id
                    && (l.state == super::STATE_CREATED || l.state == super::STATE_CANCEL_REQUESTED)
            });
            if done {
                out.push((*id, Requested::Already));
                continue;
            }
            let job = LabelJob {
                company_id,
                delivery_id: *id,
                trigger: trigger.into(),
            };
            match enqueue_job(c, &job)? {
                Some(job_id) => out.push((*id, Requested::Queued(Some(job_id)))),
                None => match crate::jobs::pending_with_key(c, &job)? {
                    Some(job_id) => out.push((*id, Requested::Queued(Some(job_id)))),
                    None => out.push((*id, Requested::Already)),
                },
            }
        }
        Ok::<_, crate::db::DbError>(())
    })?;
    Ok(out)
}

/// Enqueue the cancellation of a delivery's label; the job's id (a new one
/// or the one already queued), `None` when there is none.
pub fn request_cancel_job(
    conn: &mut DbConn,
    company_id: i64,
    delivery_id: i64,
    user: &str,
) -> DbResult<Option<i64>> {
    let job = CancelJob {
        company_id,
        delivery_id,
        user: Some(user.into()),
    };
    match enqueue_job(conn, &job)? {
        Some(id) => Ok(Some(id)),
        None => crate::jobs::pending_with_key(conn, &job),
    }
}

/// Enqueue the cancellation of a delivery's label.
pub fn request_cancel(
    conn: &mut DbConn,
    company_id: i64,
    delivery_id: i64,
    user: &str,
) -> DbResult<bool> {
    Ok(enqueue_job(
        conn,
        &CancelJob {
            company_id,
            delivery_id,
            user: Some(user.into()),
        },
    )?
    .is_some())
}

/// What [`create_label`] ended with.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    /// The label exists (made now or adopted), with its parcel id.
    Created { parcel_id: i64, adopted: bool },
    /// The delivery had a label already.
    AlreadyDone,
    /// Pre-flight checks or Sendcloud refused; the Logs show the problems.
    Failed(Vec<Problem>),
    /// The delivery is not the company's.
    UnknownDelivery,
}

/// Report a failed label: an action-log row `labels.failed` with the
/// problem codes, and the failure counted towards the company's `label`
/// incident ([`crate::notify`]): the responsible person is told once the
/// company's threshold (failures in a row, or hours) is reached, once per
/// incident, like the Abgleich; [`report_success`] ends it (with an
/// all-clear if someone was told). Inside the transaction that marks the
/// label failed.
pub fn report_failure(
    conn: &mut DbConn,
    defaults: &NotifyDefaults,
    label: &Label,
    problems: &[Problem],
) -> DbResult<()> {
    let codes: Vec<&str> = problems
        .iter()
        .map(|p| {
            if p.is_check() {
                p.code.as_str()
            } else {
                p.field.as_str()
            }
        })
        .collect();
    actionlog::record(
        conn,
        &Action {
            company_id: Some(label.company_id),
            direction: Direction::Internal,
            action: FAILURE_HOOK,
            target: &label.delivery_id.to_string(),
            ok: false,
            status_code: None,
            message: &codes.join(","),
            user_name: None,
        },
    )?;
    let threshold = notify::settings(
        conn,
        label.company_id,
        defaults,
        crate::i18n::DEFAULT_LANGUAGE,
    )?
    .threshold();
    notify::notify_failure(
        conn,
        &notify::Incident {
            company_id: label.company_id,
            kind: KIND_LABEL,
            problem: incident_problem(problems),
            subject: Some(&label.order_number),
        },
        threshold,
        Utc::now().naive_utc(),
    )?;
    Ok(())
}

/// A label was made: the company's `label` incident is over.
pub fn report_success(conn: &mut DbConn, company_id: i64) -> DbResult<()> {
    notify::notify_recovered(conn, company_id, KIND_LABEL, Utc::now().naive_utc())?;
    Ok(())
}

/// The incident kind of failed labels.
pub const KIND_LABEL: &str = "label";

/// The first problem of a label as the incident's fact: our fix-list
/// (`label_check` with the field) or Sendcloud's refusal of a field.
fn incident_problem(problems: &[Problem]) -> crate::problem::Problem {
    use crate::problem::{Problem as Fact, ProblemCode};
    let Some(p) = problems.first() else {
        return Fact::new(ProblemCode::Internal);
    };
    let field = Some(p.field.clone()).filter(|f| !f.is_empty());
    if p.is_check() {
        Fact {
            code: ProblemCode::LabelCheck,
            status: None,
            field: field.or_else(|| Some(p.code.clone())),
            detail: None,
        }
    } else {
        Fact {
            code: ProblemCode::FieldRejected,
            status: None,
            field,
            detail: Some(p.detail.clone()).filter(|d| !d.is_empty()),
        }
    }
}

/// The action-log name of a failed label (what [`report_failure`] writes).
pub const FAILURE_HOOK: &str = "labels.failed";

static CRASH_AFTER_ANNOUNCE: Mutex<Option<HashSet<(String, String)>>> = Mutex::new(None);

/// Test support: the next announce of `reference` against the Sendcloud at
/// `api_base` "crashes" after Sendcloud answered and before our commit
/// (the job fails; the row stays `pending`).
#[doc(hidden)]
pub fn crash_after_next_announce(api_base: &str, reference: &str) {
    let mut g = CRASH_AFTER_ANNOUNCE
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    g.get_or_insert_with(HashSet::new)
        .insert((api_base.to_string(), reference.to_string()));
}

fn take_crash(api_base: &str, reference: &str) -> bool {
    let mut g = CRASH_AFTER_ANNOUNCE
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    g.as_mut()
        .is_some_and(|s| s.remove(&(api_base.to_string(), reference.to_string())))
}

/// Everything loaded for a label in one database visit.
struct Prepared {
    label: Label,
    delivery: DeliveryForLabel,
    option: Result<ShippingOption, Problem>,
    sender: Sender,
    input_mapping: RecipientMapping,
    customs: CustomsDefaults,
    service_point_field: Option<crate::settings::ServicePointField>,
}

enum Loaded {
    Go(Box<Prepared>),
    Done,
    Unknown,
}

/// The option of the order's v2 shipping method (mapped to a synced v3
/// option by Sendcloud's compat link or by staff, `crate::shipping_options`),
/// else of the company's default method.
fn choose_option(
    conn: &mut DbConn,
    company_id: i64,
    method_ref: Option<&str>,
    default_method: Option<i64>,
) -> DbResult<Result<ShippingOption, Problem>> {
    let wanted = method_ref
        .and_then(|r| r.trim().parse::<i64>().ok())
        .or(default_method);
    let Some(id) = wanted else {
        return Ok(Err(Problem::check("option_missing", "ship_with", "")));
    };
    let Some(o) = crate::shipping_options::for_method(conn, company_id, id)? else {
        return Ok(Err(Problem::check(
            "option_unmapped",
            "ship_with",
            &id.to_string(),
        )));
    };
    let kg = |g: Option<i64>| g.map(|g| Decimal::new(g, 3));
    let fields = o.required_fields();
    Ok(Ok(ShippingOption {
        code: o.code.clone(),
        carrier: o.carrier_code.clone(),
        min_weight_kg: kg(o.min_weight_g()).unwrap_or(Decimal::new(1, 3)),
        max_weight_kg: kg(o.max_weight_g()).unwrap_or(Decimal::new(1_000_000, 0)),
        to_countries: o.to_countries().unwrap_or_default(),
        needs_service_point: o.service_point_required,
        needs_email: o.service_point_required || fields.iter().any(|f| f == "to_email"),
        needs_phone: fields.iter().any(|f| f == "to_telephone"),
    }))
}

/// The sender of a delivery: its warehouse's linked sender address, else
/// the account's first active one, else the company's own address.
fn choose_sender(
    conn: &mut DbConn,
    host: &dyn crate::host::Host,
    company_id: i64,
    warehouse_id: i64,
) -> DbResult<Sender> {
    let linked: Option<i64> = wl::table
        .filter(wl::company_id.eq(company_id))
        .filter(wl::warehouse_id.eq(warehouse_id))
        .select(wl::sender_address_id)
        .first(conn)
        .optional()?;
    let active = |c: &mut DbConn, id: Option<i64>| -> DbResult<Option<(i64, String)>> {
        let mut q = sa::table
            .filter(sa::company_id.eq(company_id))
            .filter(sa::active.eq(true))
            .into_boxed();
        if let Some(id) = id {
            q = q.filter(sa::sendcloud_id.eq(id));
        }
        Ok(q.select((sa::sendcloud_id, sa::country))
            .order(sa::sendcloud_id)
            .first(c)
            .optional()?)
    };
    let found = match linked {
        Some(id) => active(conn, Some(id))?,
        None => None,
    };
    let found = match found {
        Some(f) => Some(f),
        None => active(conn, None)?,
    };
    Ok(match found {
        Some((sendcloud_id, country)) => Sender::SenderAddress {
            sendcloud_id,
            country,
        },
        None => match host.company(conn, company_id)? {
            Some(c) => Sender::Company(Box::new(c)),
            None => return Err(crate::db::DbError::Query(diesel::result::Error::NotFound)),
        },
    })
}

fn load(ctx: &Context, conn: &mut DbConn, company_id: i64, delivery_id: i64) -> DbResult<Loaded> {
    let settings = crate::settings::load(conn, company_id, &ctx.config.manifest)?;
    let keys = CustomsAttributeKeys {
        hs_code: settings.hs_code_attribute.clone(),
        origin_country: settings.origin_attribute.clone(),
    };
    let Some(delivery) = ctx
        .host
        .delivery_for_label(conn, company_id, delivery_id, &keys)?
    else {
        return Ok(Loaded::Unknown);
    };
    let test_mode = super::label_settings(conn, company_id)?.test_mode;
    let label = match reserve(
        conn,
        company_id,
        delivery_id,
        &delivery.order.order_number,
        test_mode,
    )? {
        Reserved::Done(_) => return Ok(Loaded::Done),
        Reserved::Go(l) => l,
    };
    let option = choose_option(
        conn,
        company_id,
        delivery.order.shipping_method_ref.as_deref(),
        settings.default_shipping_method,
    )?;
    let sender = choose_sender(
        conn,
        ctx.host.as_ref(),
        company_id,
        delivery.delivery.warehouse_id,
    )?;
    Ok(Loaded::Go(Box::new(Prepared {
        label,
        delivery,
        option,
        sender,
        input_mapping: match settings.customer_mapping {
            CustomerMapping::Manual => RecipientMapping::Manual(settings.manual_mapping),
            CustomerMapping::Dynamic => RecipientMapping::Dynamic,
        },
        customs: CustomsDefaults {
            shipment_type: settings.customs_shipment_type.code(),
            hs_code: settings.customs_hs_code.clone(),
            origin_country: settings.customs_origin_country.clone(),
        },
        service_point_field: settings
            .service_point_enabled
            .then_some(settings.service_point_field),
    })))
}

fn log_call(
    conn: &mut DbConn,
    company_id: i64,
    action: &str,
    target: &str,
    ok: bool,
    status: Option<i32>,
    message: &str,
) -> DbResult<()> {
    actionlog::record(
        conn,
        &Action {
            company_id: Some(company_id),
            direction: Direction::Outgoing,
            action,
            target,
            ok,
            status_code: status,
            message,
            user_name: None,
        },
    )
}

/// Mark the label failed (the Logs entry), report it (action log and
/// notification) and, when the company wants it, enqueue its entry in
/// Sendcloud's integration log (posted by a job after this commit); one
/// transaction. `status`: Sendcloud's HTTP status when it refused.
fn fail(
    ctx_db: &mut DbConn,
    manifest: &Manifest,
    label: &Label,
    problems: Vec<Problem>,
    status: Option<u16>,
) -> DbResult<CreateOutcome> {
    ctx_db.write_transaction(|c| {
        super::mark_failed(c, label.id, &problems)?;
        report_failure(c, &manifest.notifications, label, &problems)?;
        super::integration_log::note_failure(c, manifest, label, &problems, status)?;
        Ok(CreateOutcome::Failed(problems))
    })
}

/// The parcel news of a shipment answer.
fn news_of(s: &Shipment) -> Option<ParcelNews> {
    let p = s.parcels.first()?;
    Some(ParcelNews {
        parcel_id: p.id,
        shipment_id: Some(s.id.clone()),
        external_reference: s.external_reference_id.clone(),
        order_number: s.order_number.clone(),
        tracking_number: p.tracking_number.clone().filter(|t| !t.is_empty()),
        tracking_url: p.tracking_url.clone().filter(|t| !t.is_empty()),
        carrier: s.carrier.as_ref().and_then(|c| c.code.clone()),
        status_id: super::status_id_of_code(&p.status.code),
        status_code: Some(p.status.code.clone()).filter(|c| !c.is_empty()),
        status_message: p.status.message.clone(),
        as_of_ms: Utc::now().timestamp_millis(),
    })
}

/// Create (or adopt) the label of one delivery: the one code path.
pub async fn create_label(
    ctx: &Context,
    company_id: i64,
    delivery_id: i64,
) -> Result<CreateOutcome, JobError> {
    let c2 = ctx.clone();
    let loaded = ctx
        .db
        .run(move |c| load(&c2, c, company_id, delivery_id))
        .await?;
    let p = match loaded {
        Loaded::Unknown => return Ok(CreateOutcome::UnknownDelivery),
        Loaded::Done => return Ok(CreateOutcome::AlreadyDone),
        Loaded::Go(p) => *p,
    };
    let label = p.label.clone();
    let config = ctx.config.clone();
    let option = match &p.option {
        Ok(o) => o.clone(),
        Err(problem) => {
            let problems = vec![problem.clone()];
            let l2 = label.clone();
            return Ok(ctx
                .db
                .run(move |c| fail(c, &config.manifest, &l2, problems, None))
                .await?);
        }
    };
    let input = ContentInput {
        delivery: &p.delivery,
        mapping: p.input_mapping,
        customs: p.customs.clone(),
        service_point_field: p.service_point_field,
        option: &option,
        sender: p.sender.clone(),
        external_reference_id: label.external_reference_id.clone(),
    };
    let (req, mut problems) = content::build(&input);
    problems.extend(preflight::check(&req, &option));
    if !problems.is_empty() {
        let l2 = label.clone();
        return Ok(ctx
            .db
            .run(move |c| fail(c, &config.manifest, &l2, problems, None))
            .await?);
    }
    let client = crate::account::client_for(ctx, company_id)
        .await
        .map_err(|e| JobError(e.to_string()))?;
    let answer = client.announce_shipment(&req).await;
    let (shipment, adopted) = match answer {
        Ok(Announced::Created(s)) => (s, false),
        Ok(Announced::Exists(Some(s))) => (s, true),
        Ok(Announced::Exists(None)) => {
            match client
                .shipment_by_reference(&label.external_reference_id)
                .await
                .map_err(|e| JobError(e.to_string()))?
            {
                Some(s) => (s, true),
                None => {
                    return Err(JobError(format!(
                        "Sendcloud reports a shipment for {} but does not list it yet",
                        label.external_reference_id
                    )))
                }
            }
        }
        Err(sendcloud::Error::Validation { status, errors }) => {
            let problems: Vec<Problem> = errors
                .iter()
                .map(|e| Problem::sendcloud(e.field.as_deref(), &e.message))
                .collect();
            let l2 = label.clone();
            let msg = sendcloud::Error::Validation { status, errors }.to_string();
            return Ok(ctx
                .db
                .run(move |c| {
                    log_call(
                        c,
                        company_id,
                        ACTION_CREATE,
                        &l2.external_reference_id,
                        false,
                        Some(i32::from(status)),
                        &msg,
                    )?;
                    fail(c, &config.manifest, &l2, problems, Some(status))
                })
                .await?);
        }
        Err(e) => {
            let (l2, msg) = (label.clone(), e.to_string());
            ctx.db
                .run(move |c| {
                    log_call(
                        c,
                        company_id,
                        ACTION_CREATE,
                        &l2.external_reference_id,
                        false,
                        None,
                        &msg,
                    )
                })
                .await?;
            return Err(JobError(e.to_string()));
        }
    };
    if take_crash(&client.config().api_base, &label.external_reference_id) {
        return Err(JobError("simulated crash after Sendcloud's answer".into()));
    }
    let Some(news) = news_of(&shipment) else {
        return Err(JobError("Sendcloud's shipment has no parcel".into()));
    };
    let pdf = client
        .parcel_document(
            news.parcel_id,
            "label",
            DocumentFormat::Pdf,
            Some(PaperSize::A6),
        )
        .await
        .ok();
    let (l2, n2, host, code) = (
        label.clone(),
        news.clone(),
        ctx.host.clone(),
        option.code.clone(),
    );
    ctx.db
        .run(move |c| {
            c.write_transaction(|c| {
                if let Some(pdf) = &pdf {
                    // Kept for Drucken and reprints (print.rs).
                    super::print::store_document(
                        c,
                        company_id,
                        l2.id,
                        n2.parcel_id,
                        super::print::FORMAT_PDF,
                        pdf,
                    )?;
                }
                super::store_created(c, host.as_ref(), &l2, &n2, Some(&code), pdf)?;
                super::integration_log::forget(c, l2.id)?;
                report_success(c, company_id)?;
                log_call(
                    c,
                    company_id,
                    ACTION_CREATE,
                    &l2.external_reference_id,
                    true,
                    Some(if adopted { 409 } else { 201 }),
                    &n2.parcel_id.to_string(),
                )
            })
        })
        .await?;
    if label.test_mode {
        cancel_label(ctx, company_id, delivery_id).await?;
    }
    Ok(CreateOutcome::Created {
        parcel_id: news.parcel_id,
        adopted,
    })
}

/// Cancel the label of a delivery at Sendcloud; the outcome is stored on
/// the label (and shown in words).
pub async fn cancel_label(
    ctx: &Context,
    company_id: i64,
    delivery_id: i64,
) -> Result<CancelOutcome, JobError> {
    let label = ctx
        .db
        .run(move |c| super::label_of(c, company_id, delivery_id))
        .await?;
    let Some(label) = label.filter(|l| l.shipment_id.is_some() || l.parcel_id.is_some()) else {
        return Ok(CancelOutcome::NoLabel);
    };
    let id = label
        .shipment_id
        .clone()
        .or(label.parcel_id.map(|p| p.to_string()))
        .unwrap_or_default();
    let client: SendcloudClient = crate::account::client_for(ctx, company_id)
        .await
        .map_err(|e| JobError(e.to_string()))?;
    let outcome = match client.cancel_shipment(&id).await {
        Ok(CancelAnswer::Cancelled) => CancelOutcome::Cancelled,
        Ok(CancelAnswer::Queued) => CancelOutcome::Queued,
        Ok(CancelAnswer::Refused(m)) => CancelOutcome::of_refusal(&m, label.status_id),
        Ok(CancelAnswer::NotFound) => CancelOutcome::NotFound,
        Err(e) => {
            let msg = e.to_string();
            ctx.db
                .run(move |c| log_call(c, company_id, ACTION_CANCEL, &id, false, None, &msg))
                .await?;
            return Err(JobError(e.to_string()));
        }
    };
    let host = ctx.host.clone();
    ctx.db
        .run(move |c| {
            c.write_transaction(|c| {
                super::store_cancel_outcome(c, host.as_ref(), &label, outcome)?;
                log_call(
                    c,
                    company_id,
                    ACTION_CANCEL,
                    &id,
                    true,
                    None,
                    outcome.as_str(),
                )
            })
        })
        .await?;
    Ok(outcome)
}
