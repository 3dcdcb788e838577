//! The reports page, Berichte → Lager → Sendcloud (`/admin/reports`): one
//! tab per report of `crate::reports` with its filters (a plain GET form,
//! no JavaScript needed), sortable column heads, keyset paging ("next
//! page" carries the cursor), a detail view per row
//! (`/admin/reports?tab=…&id=…`) and a CSV export (`/admin/reports/export`)
//! streamed page by page over the same keyset query, so its memory stays
//! flat however many rows there are.
//!
//! Rows become [`Cell`]s here (translated, dates in the reader's language,
//! statuses as coloured badges, action-log text masked once more); the same
//! cells make the HTML table and the CSV lines.

use std::sync::Arc;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::auth::{AdminCtx, Reports};
use super::error::WebError;
use super::i18n::I18n;
use super::layout::{html, layout_for, local_time_text, reader_time_zone, Layout};
use super::AppState;
use crate::actionlog::mask;
use crate::db::DbConn;
use crate::host::Company;
use crate::reports::{
    self, actions, catalog, parcels, returns, runs, Cursor, DateRange, Dir, ReportResult,
};
use crate::sync::{ObjectCounts, SyncObject};

/// The tabs, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Parcels,
    Returns,
    Invoices,
    Brands,
    Methods,
    Senders,
    Runs,
    Actions,
}

impl Tab {
    const ALL: [Tab; 8] = [
        Tab::Parcels,
        Tab::Returns,
        Tab::Invoices,
        Tab::Brands,
        Tab::Methods,
        Tab::Senders,
        Tab::Runs,
        Tab::Actions,
    ];

    fn id(&self) -> &'static str {
        match self {
            Tab::Parcels => "parcels",
            Tab::Returns => "returns",
            Tab::Invoices => "invoices",
            Tab::Brands => "brands",
            Tab::Methods => "methods",
            Tab::Senders => "senders",
            Tab::Runs => "runs",
            Tab::Actions => "actions",
        }
    }

    fn label_id(&self) -> &'static str {
        match self {
            Tab::Parcels => "report-parcels",
            Tab::Returns => "report-returns",
            Tab::Invoices => "report-invoices",
            Tab::Brands => "report-brands",
            Tab::Methods => "report-methods",
            Tab::Senders => "report-senders",
            Tab::Runs => "report-runs",
            Tab::Actions => "report-actions",
        }
    }

    fn parse(s: Option<&str>) -> Tab {
        Tab::ALL
            .into_iter()
            .find(|t| Some(t.id()) == s)
            .unwrap_or(Tab::Parcels)
    }

    /// Tabs whose report has no table yet (their Abgleich follows).
    fn pending(&self) -> bool {
        false
    }

    /// The column heads: (translation id, sort key if sortable).
    fn columns(&self) -> &'static [(&'static str, Option<&'static str>)] {
        match self {
            Tab::Parcels => &[
                ("col-updated", Some("updated")),
                ("col-order-number", Some("order_number")),
                ("col-recipient", None),
                ("col-destination", None),
                ("col-carrier", None),
                ("col-tracking-number", Some("tracking_number")),
                ("col-status", Some("status")),
                ("col-created", None),
            ],
            Tab::Brands => &[
                ("col-name", Some("name")),
                ("col-domain", Some("second")),
                ("col-reply-to", None),
                ("col-active", None),
                ("col-synced", None),
            ],
            Tab::Methods => &[
                ("col-name", Some("name")),
                ("col-carrier", Some("second")),
                ("col-weight", None),
                ("col-countries", None),
                ("col-service-point", None),
                ("col-active", None),
            ],
            Tab::Senders => &[
                ("col-company-name", Some("name")),
                ("col-label", None),
                ("col-address", None),
                ("col-city", Some("second")),
                ("col-active", None),
            ],
            Tab::Runs => &[
                ("col-started", Some("id")),
                ("col-started-by", None),
                ("col-objects", None),
                ("col-state", None),
                ("col-counts", None),
                ("col-duration", None),
                ("col-error", None),
            ],
            Tab::Actions => &[
                ("col-at", Some("id")),
                ("col-user", None),
                ("col-direction", None),
                ("col-action", None),
                ("col-target", None),
                ("col-result", None),
                ("col-duration", None),
                ("col-message", None),
            ],
            Tab::Returns => &[
                ("col-updated", Some("updated")),
                ("col-order-number", Some("order_number")),
                ("col-sender", None),
                ("col-carrier", None),
                ("col-tracking-number", None),
                ("col-return-status", None),
                ("col-parcel-status", None),
                ("col-reason", None),
                ("col-created", None),
            ],
            Tab::Invoices => &[
                ("col-invoice-number", Some("number")),
                ("col-reference", Some("reference")),
                ("col-invoice-date", None),
                ("col-invoice-kind", None),
                ("col-amount-excl", None),
                ("col-amount-incl", None),
                ("col-items", None),
                ("col-paid", None),
            ],
        }
    }

    fn default_sort(&self) -> &'static str {
        match self {
            Tab::Parcels | Tab::Returns => "updated",
            Tab::Invoices => "number",
            Tab::Brands | Tab::Methods | Tab::Senders => "name",
            _ => "id",
        }
    }

    fn default_dir(&self) -> Dir {
        match self {
            Tab::Brands | Tab::Methods | Tab::Senders => Dir::Asc,
            _ => Dir::Desc,
        }
    }

    /// What an empty tab says, and where its link goes (below the mount).
    fn empty(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Tab::Parcels => ("empty-parcels", "/admin/config", "empty-start-sync"),
            Tab::Returns => ("empty-returns", "/admin/config", "empty-start-sync"),
            Tab::Invoices => ("empty-invoices", "/admin/config", "empty-start-sync"),
            Tab::Brands => ("empty-brands", "/admin/config", "empty-start-sync"),
            Tab::Methods => ("empty-methods", "/admin/config", "empty-start-sync"),
            Tab::Senders => ("empty-senders", "/admin/config", "empty-start-sync"),
            Tab::Runs => ("empty-runs", "/admin/config", "empty-start-sync"),
            Tab::Actions => ("empty-actions", "/admin/config", "empty-open-config"),
        }
    }
}

/// Every filter, sort and paging parameter of every tab (a tab reads the
/// ones it offers; empty fields are no filter).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportQuery {
    tab: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    after: Option<String>,
    id: Option<i64>,
    status: Option<String>,
    carrier: Option<String>,
    order: Option<String>,
    tracking: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    active: Option<String>,
    state: Option<String>,
    trigger: Option<String>,
    direction: Option<String>,
    result: Option<String>,
    action: Option<String>,
}

/// The filter parameters (what a link keeps when it changes sort or page).
const FILTER_PARAMS: [&str; 14] = [
    "status",
    "carrier",
    "order",
    "tracking",
    "kind",
    "q",
    "from",
    "to",
    "active",
    "state",
    "trigger",
    "direction",
    "result",
    "action",
];

impl ReportQuery {
    fn get(&self, name: &str) -> Option<&str> {
        let v = match name {
            "status" => &self.status,
            "carrier" => &self.carrier,
            "order" => &self.order,
            "tracking" => &self.tracking,
            "kind" => &self.kind,
            "q" => &self.q,
            "from" => &self.from,
            "to" => &self.to,
            "active" => &self.active,
            "state" => &self.state,
            "trigger" => &self.trigger,
            "direction" => &self.direction,
            "result" => &self.result,
            "action" => &self.action,
            "sort" => &self.sort,
            "dir" => &self.dir,
            _ => &None,
        };
        reports::given(v)
    }

    fn owned(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    fn filtered(&self) -> bool {
        FILTER_PARAMS.iter().any(|p| self.get(p).is_some())
    }

    /// The date filter, whole days in the reader's zone.
    fn dates(&self, zone: chrono_tz::Tz) -> DateRange {
        let day = |s: Option<&str>| s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        DateRange {
            from: day(self.get("from")),
            to: day(self.get("to")),
            zone: Some(zone),
        }
    }

    fn sort(&self, tab: Tab) -> String {
        let s = self.get("sort").unwrap_or_else(|| tab.default_sort());
        if tab.columns().iter().any(|(_, k)| *k == Some(s)) {
            s.to_string()
        } else {
            tab.default_sort().to_string()
        }
    }

    fn dir(&self, tab: Tab) -> Dir {
        self.get("dir")
            .and_then(Dir::parse)
            .unwrap_or_else(|| tab.default_dir())
    }

    fn cursor(&self) -> Result<Option<Cursor>, WebError> {
        match reports::given(&self.after) {
            None => Ok(None),
            Some(s) => Cursor::decode(s)
                .map(Some)
                .ok_or_else(|| WebError::BadRequest("invalid page cursor".into())),
        }
    }

    /// A query string for `path` with this tab's filters, sort and `after`.
    fn href(
        &self,
        mount: &str,
        path: &str,
        tab: Tab,
        sort: &str,
        dir: Dir,
        after: Option<&str>,
    ) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("tab", tab.id().to_string())];
        for p in FILTER_PARAMS {
            if let Some(v) = self.get(p) {
                pairs.push((p, v.to_string()));
            }
        }
        pairs.push(("sort", sort.to_string()));
        pairs.push(("dir", dir.as_str().to_string()));
        if let Some(a) = after {
            pairs.push(("after", a.to_string()));
        }
        format!(
            "{mount}{path}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// What a report cell shows: text, optionally a badge (CSS class), a link
/// and a tooltip.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub badge: String,
    pub href: String,
    pub title: String,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            ..Cell::default()
        }
    }

    fn badge(text: impl Into<String>, class: &str) -> Cell {
        Cell {
            text: text.into(),
            badge: format!("badge badge-{class}"),
            ..Cell::default()
        }
    }
}

/// One row of a report: its id (for the detail link) and its cells.
pub struct RowView {
    pub id: i64,
    pub cells: Vec<Cell>,
}

/// Translations and dates in the reader's language; `Send`, so the row
/// mapping runs next to the query on the blocking pool.
#[derive(Clone)]
struct Fmt {
    i18n: Arc<I18n>,
    lang: String,
    tz: chrono_tz::Tz,
}

impl Fmt {
    fn t(&self, id: &str) -> String {
        self.i18n.text(&self.lang, id)
    }

    /// An action-log message in the reader's language (facts rendered,
    /// text of earlier versions as it is), masked.
    fn message(&self, message: &str) -> String {
        let text = match crate::actionlog::Fact::parse(message) {
            Some(fact) => super::summaries::render_fact(&self.i18n, &self.lang, &fact),
            None => message.to_string(),
        };
        mask::text(&text).into_owned()
    }

    /// A timestamp (stored in UTC) in the reader's time zone and language
    /// (`layout::local_time_text`, as every page), UTC in the tooltip. The
    /// one place that formats report times.
    fn when(&self, t: NaiveDateTime) -> Cell {
        Cell {
            text: local_time_text(&self.lang, self.tz, &t),
            title: format!("{} UTC", t.format("%Y-%m-%d %H:%M:%S")),
            ..Cell::default()
        }
    }

    fn when_opt(&self, t: Option<NaiveDateTime>) -> Cell {
        t.map(|t| self.when(t)).unwrap_or_default()
    }

    fn when_ms(&self, ms: i64) -> Cell {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|d| self.when(d.naive_utc()))
            .unwrap_or_default()
    }

    fn yes_no(&self, b: bool) -> Cell {
        if b {
            Cell::badge(self.t("report-yes"), "ok")
        } else {
            Cell::badge(self.t("report-no"), "muted")
        }
    }

    fn duration(&self, ms: Option<i64>) -> Cell {
        match ms {
            Some(ms) if ms < 1000 => Cell::text(format!("{ms} ms")),
            Some(ms) => Cell::text(format!("{:.1} s", ms as f64 / 1000.0)),
            None => Cell::default(),
        }
    }

    fn run_state(&self, state: &str) -> Cell {
        let (id, class) = match state {
            "queued" => ("run-queued", "muted"),
            "running" => ("run-running", "warn"),
            "done" => ("run-done", "ok"),
            "failed" => ("run-failed-state", "error"),
            _ => return Cell::text(state),
        };
        Cell::badge(self.t(id), class)
    }

    fn trigger(&self, trigger: &str, by: Option<&str>) -> String {
        let id = format!("trigger-{trigger}");
        let name = self.t(&id);
        let name = if name == id {
            trigger.to_string()
        } else {
            name
        };
        match by {
            Some(user) => format!("{name}: {user}"),
            None => name,
        }
    }

    fn objects(&self, list: &str) -> String {
        list.split(',')
            .map(|o| {
                SyncObject::parse(o)
                    .map(|o| self.t(o.label_id()))
                    .unwrap_or_else(|| o.to_string())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn counts(&self, c: &crate::sync::Counts) -> String {
        format!(
            "{} {}, {} {}, {} {}, {} {}, {} {}",
            c.fetched,
            self.t("run-fetched"),
            c.created,
            self.t("run-created"),
            c.updated,
            self.t("run-updated"),
            c.unchanged,
            self.t("run-unchanged"),
            c.failed,
            self.t("run-failed"),
        )
    }
}

/// A parcel status as a badge: delivered green, problems red, not yet
/// announced grey, everything under way amber (Sendcloud's status ids).
fn parcel_status_class(status_id: Option<i64>) -> &'static str {
    match status_id {
        Some(11) => "ok",
        Some(80 | 1002 | 2000 | 2001 | 62989..=62992 | 1337) => "error",
        Some(999 | 1000 | 1999) | None => "muted",
        Some(_) => "warn",
    }
}

/// One page of a tab as rows of cells.
struct Fetched {
    rows: Vec<RowView>,
    next: Option<Cursor>,
}

fn fetch(
    conn: &mut DbConn,
    tab: Tab,
    company_id: i64,
    q: &ReportQuery,
    after: Option<&Cursor>,
    limit: i64,
    f: &Fmt,
) -> ReportResult<Fetched> {
    let dir = q.dir(tab);
    let sort = q.sort(tab);
    let active = match q.get("active") {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    macro_rules! page {
        ($page:expr, |$r:ident| $cells:expr) => {{
            let page = $page;
            Fetched {
                next: page.next,
                rows: page
                    .rows
                    .into_iter()
                    .map(|$r| RowView {
                        id: $r.id,
                        cells: $cells,
                    })
                    .collect(),
            }
        }};
    }
    Ok(match tab {
        Tab::Parcels => {
            let filter = parcels::ParcelFilter {
                status_id: q.get("status").and_then(|s| s.parse().ok()),
                created: q.dates(f.tz),
                carrier: q.owned("carrier"),
                order_number: q.owned("order"),
                tracking_number: q.owned("tracking"),
                is_return: match q.get("kind") {
                    Some("return") => Some(true),
                    Some("outgoing") => Some(false),
                    _ => None,
                },
                text: q.owned("q"),
            };
            let sort = parcels::ParcelSort::parse(&sort).unwrap_or_default();
            page!(
                parcels::list(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    f.when_ms(r.as_of_ms),
                    Cell::text(&r.order_number),
                    Cell::text(if r.company_name.is_empty() {
                        r.name.clone()
                    } else {
                        format!("{} ({})", r.name, r.company_name)
                    }),
                    Cell::text(format!("{} {} {}", r.country, r.postal_code, r.city)),
                    Cell::text(r.carrier.clone().unwrap_or_default()),
                    Cell::text(&r.tracking_number),
                    Cell::badge(&r.status_message, parcel_status_class(r.status_id)),
                    f.when_opt(r.date_created),
                ]
            )
        }
        Tab::Brands => {
            let filter = catalog::CatalogFilter {
                active,
                carrier: None,
                text: q.owned("q"),
            };
            let sort = catalog::CatalogSort::parse(&sort).unwrap_or_default();
            page!(
                catalog::brands(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    Cell::text(&r.name),
                    Cell::text(&r.domain),
                    Cell::text(mask::text(r.reply_to_email.as_deref().unwrap_or_default())),
                    f.yes_no(r.active),
                    f.when(r.synced_at),
                ]
            )
        }
        Tab::Methods => {
            let filter = catalog::CatalogFilter {
                active,
                carrier: q.owned("carrier"),
                text: q.owned("q"),
            };
            let sort = catalog::CatalogSort::parse(&sort).unwrap_or_default();
            page!(
                catalog::methods(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    Cell::text(&r.name),
                    Cell::text(&r.carrier),
                    Cell::text(format!("{} – {} kg", r.min_weight, r.max_weight)),
                    Cell::text(countries(&r.countries)),
                    Cell::text(&r.service_point_input),
                    f.yes_no(r.active),
                ]
            )
        }
        Tab::Senders => {
            let filter = catalog::CatalogFilter {
                active,
                carrier: None,
                text: q.owned("q"),
            };
            let sort = catalog::CatalogSort::parse(&sort).unwrap_or_default();
            page!(
                catalog::senders(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    Cell::text(&r.company_name),
                    Cell::text(&r.label),
                    Cell::text(format!("{} {}", r.street, r.house_number)),
                    Cell::text(format!("{} {} {}", r.country, r.postal_code, r.city)),
                    f.yes_no(r.active),
                ]
            )
        }
        Tab::Runs => {
            let filter = runs::RunFilter {
                state: q.owned("state"),
                trigger: q.owned("trigger"),
                started: q.dates(f.tz),
            };
            page!(
                runs::list(conn, company_id, &filter, dir, after, limit)?,
                |r| {
                    let per = ObjectCounts::parse(r.object_counts.as_deref());
                    let counts = if per.0.is_empty() {
                        f.counts(&crate::sync::Counts {
                            fetched: r.fetched,
                            created: r.created,
                            updated: r.updated,
                            unchanged: r.unchanged,
                            failed: r.failed,
                        })
                    } else {
                        per.in_order()
                            .iter()
                            .map(|(o, c)| format!("{}: {}", f.t(o.label_id()), f.counts(c)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    vec![
                        f.when(r.started_at),
                        Cell::text(f.trigger(&r.trigger, r.started_by.as_deref())),
                        Cell::text(f.objects(&r.objects)),
                        f.run_state(&r.state),
                        Cell::text(counts),
                        f.duration(r.finished_at.map(|e| (e - r.started_at).num_milliseconds())),
                        Cell::text(mask::text(r.error.as_deref().unwrap_or_default())),
                    ]
                }
            )
        }
        Tab::Actions => {
            let filter = actions::ActionFilter {
                direction: q.owned("direction"),
                result: q.owned("result"),
                action: q.owned("action"),
                at: q.dates(f.tz),
                text: q.owned("q"),
            };
            page!(
                actions::list(conn, company_id, &filter, dir, after, limit)?,
                |r| vec![
                    f.when(r.at),
                    Cell::text(r.user_name.clone().unwrap_or_else(|| f.t("user-system"))),
                    Cell::text(f.t(&format!("direction-{}", r.direction))),
                    Cell::text(&r.action),
                    Cell::text(mask::text(&r.target)),
                    action_result(f, &r.result, r.status_code),
                    f.duration(r.duration_ms),
                    Cell::text(f.message(&r.message)),
                ]
            )
        }
        Tab::Returns => {
            let filter = returns::ReturnFilter {
                status: q.owned("status"),
                created: q.dates(f.tz),
                carrier: q.owned("carrier"),
                order_number: q.owned("order"),
                tracking_number: q.owned("tracking"),
                text: q.owned("q"),
            };
            let sort = returns::ReturnSort::parse(&sort).unwrap_or_default();
            page!(
                returns::list(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    f.when_ms(r.as_of_ms),
                    Cell::text(&r.order_number),
                    Cell::text(format!(
                        "{} {}",
                        mask::text(r.from_name.as_deref().unwrap_or_default()),
                        r.from_country.as_deref().unwrap_or_default()
                    )),
                    Cell::text(r.carrier.clone().unwrap_or_default()),
                    Cell::text(r.tracking_number.clone().unwrap_or_default()),
                    return_status(r.status.as_deref()),
                    Cell::text(r.parcel_status.clone().unwrap_or_default()),
                    Cell::text(r.reason.clone().unwrap_or_default()),
                    f.when_opt(r.created_at),
                ]
            )
        }
        Tab::Invoices => {
            let filter = returns::InvoiceFilter {
                paid: match q.get("active") {
                    Some("yes") => Some(true),
                    Some("no") => Some(false),
                    _ => None,
                },
                kind: q.owned("kind"),
                date: q.dates(f.tz),
                text: q.owned("q"),
            };
            let sort = returns::InvoiceSort::parse(&sort).unwrap_or_default();
            page!(
                returns::invoices(conn, company_id, &filter, sort, dir, after, limit)?,
                |r| vec![
                    Cell::text(r.sendcloud_id.to_string()),
                    Cell::text(&r.reference),
                    f.when_opt(r.invoice_date),
                    Cell::text(f.t(&format!("invoice-kind-{}", r.kind))),
                    Cell::text(money(r.price_excl, r.currency.as_deref())),
                    Cell::text(money(r.price_incl, r.currency.as_deref())),
                    Cell::text(r.item_count.to_string()),
                    paid_badge(f, r.is_paid),
                ]
            )
        }
    })
}

fn paid_badge(f: &Fmt, paid: bool) -> Cell {
    if paid {
        Cell::badge(f.t("invoice-paid"), "ok")
    } else {
        Cell::badge(f.t("invoice-unpaid"), "warn")
    }
}

/// A v3 return status as a badge.
fn return_status(status: Option<&str>) -> Cell {
    let s = status.unwrap_or_default();
    let class = match s {
        "open" | "requested" => "warn",
        "request_rejected" | "payment_failed" => "error",
        _ => "muted",
    };
    if s.is_empty() {
        Cell::default()
    } else {
        Cell::badge(s.replace('_', " "), class)
    }
}

/// An amount with its currency (Sendcloud's v2 invoices state none: no
/// currency is assumed).
fn money(amount: rust_decimal::Decimal, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{amount:.2} {c}"),
        None => format!("{amount:.2}"),
    }
}

fn action_result(f: &Fmt, result: &str, status: Option<i32>) -> Cell {
    let class = if result == "ok" { "ok" } else { "error" };
    let text = f.t(&format!("result-{result}"));
    match status {
        Some(code) => Cell::badge(format!("{text} ({code})"), class),
        None => Cell::badge(text, class),
    }
}

/// The countries of a shipping method (stored as a JSON list of codes).
fn countries(stored: &str) -> String {
    let list: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(stored)
        .map(|v| {
            v.iter()
                .map(|c| match c {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Object(o) => o
                        .get("iso_2")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_else(|_| vec![stored.to_string()]);
    if list.len() > 8 {
        format!("{} … (+{})", list[..8].join(", "), list.len() - 8)
    } else {
        list.join(", ")
    }
}

/// A filter field of a tab.
pub struct FilterField {
    pub name: &'static str,
    pub label: String,
    /// `text`, `date` or `select`.
    pub kind: &'static str,
    pub value: String,
    /// For selects: (value, label); the first is "all".
    pub options: Vec<(String, String)>,
}

/// The filter fields a tab offers, with their values and choices.
fn filter_fields(
    conn: &mut DbConn,
    tab: Tab,
    company_id: i64,
    q: &ReportQuery,
    f: &Fmt,
) -> ReportResult<Vec<FilterField>> {
    let all = || (String::new(), f.t("filter-all"));
    let text = |name: &'static str, label: &str| FilterField {
        name,
        label: f.t(label),
        kind: "text",
        value: q.owned(name).unwrap_or_default(),
        options: vec![],
    };
    let date = |name: &'static str, label: &str| FilterField {
        name,
        label: f.t(label),
        kind: "date",
        value: q.owned(name).unwrap_or_default(),
        options: vec![],
    };
    let select = |name: &'static str, label: &str, options: Vec<(String, String)>| {
        let mut o = vec![all()];
        o.extend(options);
        FilterField {
            name,
            label: f.t(label),
            kind: "select",
            value: q.owned(name).unwrap_or_default(),
            options: o,
        }
    };
    let active = || {
        select(
            "active",
            "filter-active",
            vec![
                ("yes".into(), f.t("filter-active-yes")),
                ("no".into(), f.t("filter-active-no")),
            ],
        )
    };
    Ok(match tab {
        Tab::Parcels => {
            let (carriers, statuses) = parcels::filter_options(conn, company_id)?;
            vec![
                select(
                    "status",
                    "col-status",
                    statuses
                        .into_iter()
                        .map(|(id, m)| (id.to_string(), m))
                        .collect(),
                ),
                select(
                    "carrier",
                    "col-carrier",
                    carriers.into_iter().map(|c| (c.clone(), c)).collect(),
                ),
                text("order", "col-order-number"),
                text("tracking", "col-tracking-number"),
                select(
                    "kind",
                    "filter-kind",
                    vec![
                        ("outgoing".into(), f.t("filter-kind-outgoing")),
                        ("return".into(), f.t("filter-kind-return")),
                    ],
                ),
                date("from", "filter-created-from"),
                date("to", "filter-created-to"),
                text("q", "filter-text"),
            ]
        }
        Tab::Brands | Tab::Senders => vec![active(), text("q", "filter-text")],
        Tab::Methods => {
            let carriers = catalog::method_carriers(conn, company_id)?;
            vec![
                select(
                    "carrier",
                    "col-carrier",
                    carriers.into_iter().map(|c| (c.clone(), c)).collect(),
                ),
                active(),
                text("q", "filter-text"),
            ]
        }
        Tab::Runs => {
            let triggers = runs::triggers(conn, company_id)?;
            vec![
                select(
                    "state",
                    "col-state",
                    runs::STATES
                        .iter()
                        .map(|s| (s.to_string(), f.run_state(s).text))
                        .collect(),
                ),
                select(
                    "trigger",
                    "col-started-by",
                    triggers
                        .into_iter()
                        .map(|t| (t.clone(), f.trigger(&t, None)))
                        .collect(),
                ),
                date("from", "filter-from"),
                date("to", "filter-to"),
            ]
        }
        Tab::Actions => vec![
            select(
                "direction",
                "col-direction",
                actions::DIRECTIONS
                    .iter()
                    .map(|d| (d.to_string(), f.t(&format!("direction-{d}"))))
                    .collect(),
            ),
            select(
                "result",
                "col-result",
                actions::RESULTS
                    .iter()
                    .map(|r| (r.to_string(), f.t(&format!("result-{r}"))))
                    .collect(),
            ),
            text("action", "col-action"),
            date("from", "filter-from"),
            date("to", "filter-to"),
            text("q", "filter-text"),
        ],
        Tab::Returns => {
            let (statuses, carriers) = returns::return_options(conn, company_id)?;
            vec![
                select(
                    "status",
                    "col-return-status",
                    statuses
                        .into_iter()
                        .map(|s| (s.clone(), s.replace('_', " ")))
                        .collect(),
                ),
                select(
                    "carrier",
                    "col-carrier",
                    carriers.into_iter().map(|c| (c.clone(), c)).collect(),
                ),
                text("order", "col-order-number"),
                text("tracking", "col-tracking-number"),
                date("from", "filter-created-from"),
                date("to", "filter-created-to"),
                text("q", "filter-text"),
            ]
        }
        Tab::Invoices => vec![
            select(
                "active",
                "col-paid",
                vec![
                    ("yes".into(), f.t("invoice-paid")),
                    ("no".into(), f.t("invoice-unpaid")),
                ],
            ),
            select(
                "kind",
                "col-invoice-kind",
                returns::INVOICE_KINDS
                    .iter()
                    .map(|k| (k.to_string(), f.t(&format!("invoice-kind-{k}"))))
                    .collect(),
            ),
            date("from", "filter-from"),
            date("to", "filter-to"),
            text("q", "filter-text"),
        ],
    })
}

/// A column head: its label, and the link that sorts by it (flipping the
/// direction when it is the current sort).
pub struct Column {
    pub label: String,
    pub href: String,
    pub arrow: &'static str,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    l: Layout,
    company: Company,
    tabs: Vec<(&'static str, String)>,
    active: String,
    pending: bool,
    filters: Vec<FilterField>,
    sort: String,
    dir: String,
    columns: Vec<Column>,
    rows: Vec<RowView>,
    detail_base: String,
    next: Option<String>,
    first: Option<String>,
    export: String,
    filtered: bool,
    reset: String,
    empty_text: String,
    empty_href: String,
    empty_link: String,
}

fn fmt_of(state: &AppState, req: &HttpRequest, session: &Session) -> Fmt {
    Fmt {
        i18n: state.i18n.clone(),
        lang: super::session::language(session),
        tz: reader_time_zone(req, session),
    }
}

/// `GET /admin/reports?tab=…`: one tab with its filters, a page of rows and
/// the links to the next page, the detail views and the CSV export.
pub async fn reports_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Reports>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    if let Some(id) = q.id {
        return detail_page(state, req, session, ctx, q, id).await;
    }
    let tab = Tab::parse(q.tab.as_deref());
    let after = q.cursor()?;
    let f = fmt_of(&state, &req, &session);
    let company_id = ctx.company.id;
    let (filters, fetched) = {
        let (q, f, after) = (q.clone(), f.clone(), after.clone());
        state
            .db
            .run(move |c| {
                let filters = filter_fields(c, tab, company_id, &q, &f).map_err(report_db_error)?;
                let rows = fetch(
                    c,
                    tab,
                    company_id,
                    &q,
                    after.as_ref(),
                    reports::PAGE_SIZE,
                    &f,
                )
                .map_err(report_db_error)?;
                Ok((filters, rows))
            })
            .await
            .map_err(|e| match e {
                crate::db::DbError::Invalid(_) => {
                    WebError::BadRequest("invalid page cursor".into())
                }
                other => WebError::Db(other),
            })?
    };
    let l = layout_for(
        &state,
        &req,
        &session,
        "reports",
        &ctx.user,
        ctx.companies(),
        "reports-title",
    );
    let mount = l.mount.clone();
    let sort = q.sort(tab);
    let dir = q.dir(tab);
    let columns = tab
        .columns()
        .iter()
        .map(|(label, key)| match key {
            Some(k) => {
                let current = *k == sort;
                let next_dir = if current { dir.flip() } else { Dir::Asc };
                Column {
                    label: f.t(label),
                    href: q.href(&mount, "/admin/reports", tab, k, next_dir, None),
                    arrow: match (current, dir) {
                        (true, Dir::Asc) => "▲",
                        (true, Dir::Desc) => "▼",
                        _ => "",
                    },
                }
            }
            None => Column {
                label: f.t(label),
                href: String::new(),
                arrow: "",
            },
        })
        .collect();
    let next = fetched
        .next
        .as_ref()
        .map(|c| q.href(&mount, "/admin/reports", tab, &sort, dir, Some(&c.encode())));
    let first = after
        .as_ref()
        .map(|_| q.href(&mount, "/admin/reports", tab, &sort, dir, None));
    let (empty_text, empty_href, empty_link) = tab.empty();
    let page = ReportsPage {
        company: ctx.company.clone(),
        tabs: Tab::ALL
            .iter()
            .map(|t| (t.id(), f.t(t.label_id())))
            .collect(),
        active: tab.id().to_string(),
        pending: tab.pending(),
        filters,
        sort: sort.clone(),
        dir: dir.as_str().to_string(),
        columns,
        rows: fetched.rows,
        detail_base: format!("{mount}/admin/reports?tab={}&id=", tab.id()),
        next,
        first,
        export: q.href(&mount, "/admin/reports/export", tab, &sort, dir, None),
        filtered: q.filtered(),
        reset: format!("{mount}/admin/reports?tab={}", tab.id()),
        empty_text: f.t(empty_text),
        empty_href: format!("{mount}{empty_href}"),
        empty_link: f.t(empty_link),
        l,
    };
    Ok(html(page.render()?))
}

/// Report errors travel through `Db::run` as database errors; a bad cursor
/// as `Invalid` (mapped to 400 by the handlers).
fn report_db_error(e: reports::ReportError) -> crate::db::DbError {
    match e {
        reports::ReportError::Db(d) => d,
        reports::ReportError::BadCursor => crate::db::DbError::Invalid("cursor".into()),
    }
}

/// The detail of one row: facts, a payload (action log) and counts per
/// object (runs).
struct DetailView {
    facts: Vec<(String, Cell)>,
    payload: Option<String>,
    /// A table below the facts (a run's counts per object, an invoice's
    /// items): title id, head ids, rows.
    table: Option<DetailTable>,
}

type DetailTable = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

fn detail_of(
    conn: &mut DbConn,
    tab: Tab,
    company_id: i64,
    id: i64,
    f: &Fmt,
) -> ReportResult<Option<DetailView>> {
    let fact = |label: &str, cell: Cell| (f.t(label), cell);
    let text = |s: &str| Cell::text(s);
    let opt = |s: &Option<String>| Cell::text(s.clone().unwrap_or_default());
    let plain = |facts| DetailView {
        facts,
        payload: None,
        table: None,
    };
    Ok(match tab {
        Tab::Parcels => parcels::detail(conn, company_id, id)?.map(|p| {
            plain(vec![
                fact("col-sendcloud-id", Cell::text(p.sendcloud_id.to_string())),
                fact("col-order-number", text(&p.order_number)),
                fact("col-reference", opt(&p.external_reference)),
                fact("col-recipient", text(&p.name)),
                fact("col-company-name", text(&p.company_name)),
                fact(
                    "col-destination",
                    Cell::text(format!("{} {} {}", p.country, p.postal_code, p.city)),
                ),
                fact("col-carrier", opt(&p.carrier)),
                fact("col-shipping-method", opt(&p.shipping_method_name)),
                fact(
                    "col-tracking-number",
                    Cell {
                        text: p.tracking_number.clone(),
                        href: p
                            .tracking_url
                            .clone()
                            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                            .unwrap_or_default(),
                        ..Cell::default()
                    },
                ),
                fact(
                    "col-status",
                    Cell::badge(&p.status_message, parcel_status_class(p.status_id)),
                ),
                fact(
                    "col-weight",
                    Cell::text(p.weight.map(|w| format!("{w} kg")).unwrap_or_default()),
                ),
                fact("col-return", f.yes_no(p.is_return)),
                fact("col-created", f.when_opt(p.date_created)),
                fact("col-announced", f.when_opt(p.date_announced)),
                fact("col-updated", f.when_ms(p.as_of_ms)),
                fact("col-synced", f.when(p.synced_at)),
            ])
        }),
        Tab::Brands => catalog::brand(conn, company_id, id)?.map(|b| {
            plain(vec![
                fact("col-sendcloud-id", Cell::text(b.sendcloud_id.to_string())),
                fact("col-name", text(&b.name)),
                fact("col-domain", text(&b.domain)),
                fact("col-website", opt(&b.website)),
                fact("col-color", opt(&b.color)),
                fact(
                    "col-reply-to",
                    Cell::text(mask::text(b.reply_to_email.as_deref().unwrap_or_default())),
                ),
                fact("col-active", f.yes_no(b.active)),
                fact("col-synced", f.when(b.synced_at)),
            ])
        }),
        Tab::Methods => catalog::method(conn, company_id, id)?.map(|m| {
            plain(vec![
                fact("col-sendcloud-id", Cell::text(m.sendcloud_id.to_string())),
                fact("col-name", text(&m.name)),
                fact("col-carrier", text(&m.carrier)),
                fact(
                    "col-weight",
                    Cell::text(format!("{} – {} kg", m.min_weight, m.max_weight)),
                ),
                fact("col-countries", Cell::text(countries(&m.countries))),
                fact("col-service-point", text(&m.service_point_input)),
                fact("col-active", f.yes_no(m.active)),
                fact("col-synced", f.when(m.synced_at)),
            ])
        }),
        Tab::Senders => catalog::sender(conn, company_id, id)?.map(|s| {
            plain(vec![
                fact("col-sendcloud-id", Cell::text(s.sendcloud_id.to_string())),
                fact("col-company-name", text(&s.company_name)),
                fact("col-label", text(&s.label)),
                fact("col-contact", text(&s.contact_name)),
                fact("col-email", text(&s.email)),
                fact("col-phone", text(&s.telephone)),
                fact(
                    "col-address",
                    Cell::text(format!("{} {} {}", s.street, s.house_number, s.postal_box)),
                ),
                fact(
                    "col-city",
                    Cell::text(format!("{} {} {}", s.country, s.postal_code, s.city)),
                ),
                fact("col-vat", text(&s.vat_number)),
                fact("col-eori", text(&s.eori_number)),
                fact("col-active", f.yes_no(s.active)),
                fact("col-synced", f.when(s.synced_at)),
            ])
        }),
        Tab::Runs => runs::detail(conn, company_id, id)?.map(|r| {
            let per = ObjectCounts::parse(r.object_counts.as_deref());
            DetailView {
                facts: vec![
                    fact("col-started", f.when(r.started_at)),
                    fact("col-finished", f.when_opt(r.finished_at)),
                    fact(
                        "col-duration",
                        f.duration(r.finished_at.map(|e| (e - r.started_at).num_milliseconds())),
                    ),
                    fact(
                        "col-started-by",
                        Cell::text(f.trigger(&r.trigger, r.started_by.as_deref())),
                    ),
                    fact("col-objects", Cell::text(f.objects(&r.objects))),
                    fact("col-state", f.run_state(&r.state)),
                    fact(
                        "col-counts",
                        Cell::text(f.counts(&crate::sync::Counts {
                            fetched: r.fetched,
                            created: r.created,
                            updated: r.updated,
                            unchanged: r.unchanged,
                            failed: r.failed,
                        })),
                    ),
                    fact(
                        "col-error",
                        Cell::text(mask::text(r.error.as_deref().unwrap_or_default())),
                    ),
                ],
                payload: None,
                table: Some((
                    "col-counts",
                    vec![
                        "col-object",
                        "run-fetched",
                        "run-created",
                        "run-updated",
                        "run-unchanged",
                        "run-failed",
                    ],
                    per.in_order()
                        .into_iter()
                        .map(|(o, c)| {
                            vec![
                                f.t(o.label_id()),
                                c.fetched.to_string(),
                                c.created.to_string(),
                                c.updated.to_string(),
                                c.unchanged.to_string(),
                                c.failed.to_string(),
                            ]
                        })
                        .collect(),
                )),
            }
        }),
        Tab::Actions => actions::detail(conn, company_id, id)?.map(|e| DetailView {
            facts: vec![
                fact("col-at", f.when(e.at)),
                fact(
                    "col-user",
                    Cell::text(e.user_name.clone().unwrap_or_else(|| f.t("user-system"))),
                ),
                fact(
                    "col-direction",
                    Cell::text(f.t(&format!("direction-{}", e.direction))),
                ),
                fact("col-action", text(&e.action)),
                fact("col-target", Cell::text(mask::text(&e.target))),
                fact("col-result", action_result(f, &e.result, e.status_code)),
                fact("col-duration", f.duration(e.duration_ms)),
                fact("col-message", Cell::text(f.message(&e.message))),
            ],
            payload: e.payload.as_deref().map(pretty_masked),
            table: None,
        }),
        Tab::Returns => returns::detail(conn, company_id, id)?.map(|r| DetailView {
            facts: vec![
                fact("col-sendcloud-id", Cell::text(r.sendcloud_id.to_string())),
                fact("col-order-number", text(&r.order_number)),
                fact("col-return-status", return_status(r.status.as_deref())),
                fact("col-parcel-status", opt(&r.parcel_status)),
                fact(
                    "col-sender",
                    Cell::text(mask::text(r.from_name.as_deref().unwrap_or_default())),
                ),
                fact("col-country", opt(&r.from_country)),
                fact("col-carrier", opt(&r.carrier)),
                fact("col-shipping-option", opt(&r.shipping_option_code)),
                fact(
                    "col-tracking-number",
                    Cell {
                        text: r.tracking_number.clone().unwrap_or_default(),
                        href: r
                            .tracking_url
                            .clone()
                            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                            .unwrap_or_default(),
                        ..Cell::default()
                    },
                ),
                fact("col-reason", opt(&r.reason)),
                fact("col-refund", opt(&r.refund_type)),
                fact(
                    "col-return-fee",
                    Cell::text(
                        r.return_fee
                            .map(|a| money(a, r.return_fee_currency.as_deref()))
                            .unwrap_or_default(),
                    ),
                ),
                fact(
                    "col-label-cost",
                    Cell::text(
                        r.label_cost
                            .map(|a| money(a, r.label_currency.as_deref()))
                            .unwrap_or_default(),
                    ),
                ),
                fact(
                    "col-outgoing-parcel",
                    Cell::text(
                        r.outgoing_parcel_id
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                    ),
                ),
                fact(
                    "col-incoming-parcel",
                    Cell::text(
                        r.incoming_parcel_id
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                    ),
                ),
                fact(
                    "col-delivery",
                    Cell::text(r.delivery_id.map(|i| i.to_string()).unwrap_or_default()),
                ),
                fact("col-created", f.when_opt(r.created_at)),
                fact("col-delivered", f.when_opt(r.delivered_at)),
                fact("col-updated", f.when_ms(r.as_of_ms)),
                fact("col-synced", f.when(r.synced_at)),
            ],
            payload: r.raw.as_deref().map(pretty_masked),
            table: None,
        }),
        Tab::Invoices => returns::invoice(conn, company_id, id)?.map(|(i, items)| DetailView {
            facts: vec![
                fact("col-invoice-number", Cell::text(i.sendcloud_id.to_string())),
                fact("col-reference", text(&i.reference)),
                fact("col-invoice-date", f.when_opt(i.invoice_date)),
                fact(
                    "col-invoice-kind",
                    Cell::text(f.t(&format!("invoice-kind-{}", i.kind))),
                ),
                fact(
                    "col-amount-excl",
                    Cell::text(money(i.price_excl, i.currency.as_deref())),
                ),
                fact(
                    "col-amount-incl",
                    Cell::text(money(i.price_incl, i.currency.as_deref())),
                ),
                fact("col-paid", paid_badge(f, i.is_paid)),
                fact("col-synced", f.when(i.synced_at)),
            ],
            payload: None,
            table: Some((
                "col-items",
                vec![
                    "col-position",
                    "col-description",
                    "col-quantity",
                    "col-amount",
                    "col-tracking-number",
                ],
                items
                    .into_iter()
                    .map(|it| {
                        vec![
                            it.position.to_string(),
                            it.description,
                            it.quantity.map(|q| q.to_string()).unwrap_or_default(),
                            it.amount
                                .map(|a| money(a, i.currency.as_deref()))
                                .unwrap_or_default(),
                            it.tracking_number.unwrap_or_default(),
                        ]
                    })
                    .collect(),
            )),
        }),
    })
}

/// Stored JSON (a payload, Sendcloud's answer) masked and indented.
fn pretty_masked(stored: &str) -> String {
    let masked = mask::text(stored);
    serde_json::from_str::<serde_json::Value>(&masked)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| masked.into_owned())
}

#[derive(Template)]
#[template(path = "report_detail.html")]
struct DetailPage {
    l: Layout,
    tab_label: String,
    back: String,
    facts: Vec<(String, Cell)>,
    payload: Option<String>,
    table_title: String,
    table_heads: Vec<String>,
    table_rows: Vec<Vec<String>>,
}

/// `GET /admin/reports?tab=…&id=…`: one row of a report (404 when it is
/// not the selected company's).
async fn detail_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Reports>,
    q: ReportQuery,
    id: i64,
) -> Result<HttpResponse, WebError> {
    let tab = Tab::parse(q.tab.as_deref());
    let f = fmt_of(&state, &req, &session);
    let company_id = ctx.company.id;
    let view = {
        let f = f.clone();
        state
            .db
            .run(move |c| detail_of(c, tab, company_id, id, &f).map_err(report_db_error))
            .await?
            .ok_or(WebError::NotFound)?
    };
    let l = layout_for(
        &state,
        &req,
        &session,
        "reports",
        &ctx.user,
        ctx.companies(),
        "reports-title",
    );
    let back = format!("{}/admin/reports?tab={}", l.mount, tab.id());
    let page = DetailPage {
        tab_label: f.t(tab.label_id()),
        back,
        facts: view.facts,
        payload: view.payload,
        table_title: view.table.as_ref().map(|t| f.t(t.0)).unwrap_or_default(),
        table_heads: view
            .table
            .as_ref()
            .map(|t| t.1.iter().map(|id| f.t(id)).collect())
            .unwrap_or_default(),
        table_rows: view.table.map(|t| t.2).unwrap_or_default(),
        l,
    };
    Ok(html(page.render()?))
}

/// One CSV field: quoted when it holds the separator, a quote or a line
/// break; a leading `=`, `+`, `-`, `@` gets a `'` so spreadsheets do not
/// run it as a formula.
fn csv_field(out: &mut String, s: &str) {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&s);
    }
}

fn csv_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(';');
        }
        csv_field(out, &field);
    }
    out.push_str("\r\n");
}

/// Where a CSV export stands between two chunks.
enum Export {
    Header,
    After(Option<Cursor>),
    Done,
}

/// `GET /admin/reports/export?tab=…` (the filters and sort of the page):
/// the whole filtered report as CSV (`;`-separated, UTF-8 with BOM, dates
/// in the reader's language). Streamed: each chunk is one keyset page of
/// [`reports::EXPORT_PAGE`] rows, queried only when the client has taken
/// the chunk before it.
pub async fn export(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: AdminCtx<Reports>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    let q = q.into_inner();
    let tab = Tab::parse(q.tab.as_deref());
    let f = fmt_of(&state, &req, &session);
    let company_id = ctx.company.id;
    let db = state.db.clone();
    let heads: Vec<String> = std::iter::once(f.t("col-id"))
        .chain(tab.columns().iter().map(|(label, _)| f.t(label)))
        .collect();
    let stream = futures_util::stream::unfold(Export::Header, move |at| {
        let (db, q, f, heads) = (db.clone(), q.clone(), f.clone(), heads.clone());
        async move {
            match at {
                Export::Done => None,
                Export::Header => {
                    let mut out = String::from("\u{feff}");
                    csv_line(&mut out, heads.into_iter());
                    Some((Ok(web::Bytes::from(out)), Export::After(None)))
                }
                Export::After(after) => {
                    let result = db
                        .run(move |c| {
                            fetch(
                                c,
                                tab,
                                company_id,
                                &q,
                                after.as_ref(),
                                reports::EXPORT_PAGE,
                                &f,
                            )
                            .map_err(report_db_error)
                        })
                        .await;
                    match result {
                        Ok(page) => {
                            let mut out = String::with_capacity(page.rows.len() * 160);
                            for row in &page.rows {
                                csv_line(
                                    &mut out,
                                    std::iter::once(row.id.to_string())
                                        .chain(row.cells.iter().map(|c| c.text.clone())),
                                );
                            }
                            let next = match page.next {
                                Some(c) => Export::After(Some(c)),
                                None => Export::Done,
                            };
                            Some((Ok(web::Bytes::from(out)), next))
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "CSV export failed");
                            Some((
                                Err(actix_web::error::ErrorInternalServerError(e)),
                                Export::Done,
                            ))
                        }
                    }
                }
            }
        }
    });
    let filename = format!(
        "sendcloud-{}-{}.csv",
        tab.id(),
        chrono::Utc::now().format("%Y%m%d-%H%M")
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        csv_line(
            &mut out,
            ["a;b", "say \"hi\"", "=SUM(A1)", "plain"]
                .iter()
                .map(|s| s.to_string()),
        );
        assert_eq!(out, "\"a;b\";\"say \"\"hi\"\"\";'=SUM(A1);plain\r\n");
    }
}
