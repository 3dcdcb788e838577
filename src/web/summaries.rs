//! Stored facts rendered in the reader's language: the order push summary
//! (counts and Sendcloud's own messages, stored as JSON by
//! `orders::PushJob`), problems (`crate::problem`), a run's error and
//! progress, and action-log messages stored as `actionlog::Fact`.

use fluent_bundle::FluentValue;

use super::layout::Layout;
use crate::actionlog::Fact;
use crate::orders::{PushProblem, StoredSummary};
use crate::problem::Problem;
use crate::sync::{Run, SyncObject};

impl Layout {
    /// The text of a stored push summary. Rows written before summaries were
    /// stored as facts hold a sentence: shown as it is.
    pub fn push_summary(&self, message: &str) -> String {
        let Some(s) = StoredSummary::parse(message) else {
            return message.to_string();
        };
        if s.problem == Some(PushProblem::IntegrationUnknown) {
            return self.t("orders-integration-unknown");
        }
        let n = |v: usize| FluentValue::from(v as u64);
        let mut text = self.i18n.text_with(
            &self.lang,
            "orders-summary",
            &[
                ("selected", n(s.selected)),
                ("pushed", n(s.pushed)),
                ("unchanged", n(s.skipped_unchanged)),
                ("failed", n(s.failed)),
            ],
        );
        if s.deferred > 0 {
            text.push_str(", ");
            text.push_str(&self.i18n.text_with(
                &self.lang,
                "orders-deferred",
                &[("deferred", n(s.deferred))],
            ));
        }
        if s.held > 0 {
            text.push_str(", ");
            text.push_str(
                &self
                    .i18n
                    .text_with(&self.lang, "orders-held", &[("held", n(s.held))]),
            );
        }
        if !s.errors.is_empty() {
            text.push_str(": ");
            text.push_str(&s.errors.join("; "));
        }
        text
    }
}

impl Layout {
    /// The name of an object type (its key when unknown).
    pub fn object_label(&self, key: &str) -> String {
        match SyncObject::parse(key) {
            Some(o) => self.t(o.label_id()),
            None => key.to_string(),
        }
    }

    /// A problem, naming the object that failed.
    pub fn problem(&self, object: Option<SyncObject>, p: &Problem) -> String {
        let label = object.map(|o| self.t(o.label_id()));
        p.render(&self.i18n, &self.lang, label.as_deref())
    }

    /// Why a run failed, in the reader's language (`None` if it did not).
    /// Runs of earlier versions stored a sentence: shown as it is.
    pub fn run_error(&self, run: &Run) -> Option<String> {
        if let Some((object, p)) = run.problem() {
            return Some(self.problem(object, &p));
        }
        run.error.clone()
    }

    /// A run's or an object's state (`queued`, `running`, `done`, `failed`).
    pub fn run_state(&self, state: &str) -> String {
        self.t(match state {
            "queued" => "run-queued",
            "running" => "run-running",
            "failed" => "run-failed-state",
            _ => "run-done",
        })
    }

    /// The objects of a run by name, e.g. "Absenderadressen, Pakete".
    pub fn run_objects(&self, run: &Run) -> String {
        run.object_list()
            .iter()
            .map(|o| self.t(o.label_id()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// An action-log message in the reader's language: facts rendered,
    /// push summaries rendered, text of earlier versions as it is.
    pub fn log_message(&self, message: &str) -> String {
        match Fact::parse(message) {
            Some(fact) => render_fact(&self.i18n, &self.lang, &fact),
            None => self.push_summary(message),
        }
    }
}

/// A stored [`Fact`] in `lang`: its message with its values (an Abgleich
/// object by its name, warehouse changes as "WH1 → #12"), then its problem.
/// The pages (through [`Layout::log_message`]) and the reports' Aktions-Logging
/// both render through here.
pub(crate) fn render_fact(i18n: &crate::i18n::I18n, lang: &str, fact: &Fact) -> String {
    let t = |id: &str| i18n.text(lang, id);
    let mut args: Vec<(String, FluentValue)> = vec![];
    for (k, v) in &fact.args {
        let value = match (k.as_str(), v) {
            ("object", serde_json::Value::String(key)) => {
                FluentValue::from(match SyncObject::parse(key) {
                    Some(o) => t(o.label_id()),
                    None => key.clone(),
                })
            }
            ("changes", serde_json::Value::Array(list)) => FluentValue::from(
                list.iter()
                    .map(|c| {
                        let code = c.get("warehouse").and_then(|v| v.as_str()).unwrap_or("?");
                        let sender = match c.get("sender").and_then(|v| v.as_i64()) {
                            Some(id) => format!("#{id}"),
                            None => t("warehouse-sender-default"),
                        };
                        format!("{code} → {sender}")
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (_, serde_json::Value::Number(n)) => FluentValue::from(n.as_f64().unwrap_or_default()),
            (_, serde_json::Value::String(s)) => FluentValue::from(s.clone()),
            (_, other) => FluentValue::from(other.to_string()),
        };
        args.push((k.clone(), value));
    }
    let refs: Vec<(&str, FluentValue)> =
        args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let mut text = i18n.text_with(lang, &fact.fact, &refs);
    if let Some(p) = &fact.problem {
        text.push(' ');
        text.push_str(&p.render(i18n, lang, None));
    }
    text
}
