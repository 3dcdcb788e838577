//! Stored facts rendered in the reader's language: the order push summary
//! (counts and Sendcloud's own messages, stored as JSON by
//! `orders::PushJob`).

use fluent_bundle::FluentValue;

use super::layout::Layout;
use crate::orders::{PushProblem, StoredSummary};

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
        if !s.errors.is_empty() {
            text.push_str(": ");
            text.push_str(&s.errors.join("; "));
        }
        text
    }
}
