//! Translations of the admin UI: Fluent files in `admin_ui/i18n/` (German by
//! default, English, Dutch, French), compiled into the binary and parsed once
//! at start. A missing message falls back to German, then to its id.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

/// The languages the UI speaks, default first.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("de", "Deutsch", include_str!("../../admin_ui/i18n/de.ftl")),
    ("en", "English", include_str!("../../admin_ui/i18n/en.ftl")),
    (
        "nl",
        "Nederlands",
        include_str!("../../admin_ui/i18n/nl.ftl"),
    ),
    ("fr", "Français", include_str!("../../admin_ui/i18n/fr.ftl")),
];

pub const DEFAULT_LANGUAGE: &str = "de";

pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "I18n({:?})", self.bundles.keys().collect::<Vec<_>>())
    }
}

impl I18n {
    /// Parse every translation file. A syntax error is a bug in the shipped
    /// files, reported with the language and the problem.
    pub fn load() -> Result<I18n, String> {
        let mut bundles = HashMap::new();
        for (code, _, source) in LANGUAGES {
            let lang: LanguageIdentifier = code
                .parse()
                .map_err(|e| format!("language code {code}: {e}"))?;
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errs)| format!("admin_ui/i18n/{code}.ftl: {errs:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // No Unicode isolation marks around placeables in HTML output.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errs| format!("admin_ui/i18n/{code}.ftl: {errs:?}"))?;
            bundles.insert(*code, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The translations for work outside a request (jobs rendering texts in
    /// a company's language): loaded once per process.
    pub fn shared() -> Result<&'static I18n, String> {
        static SHARED: std::sync::OnceLock<Result<I18n, String>> = std::sync::OnceLock::new();
        SHARED
            .get_or_init(I18n::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Is `code` a language the UI speaks?
    pub fn supports(code: &str) -> bool {
        LANGUAGES.iter().any(|(c, _, _)| *c == code)
    }

    /// The message `id` in `lang`.
    pub fn text(&self, lang: &str, id: &str) -> String {
        for code in [lang, DEFAULT_LANGUAGE] {
            if let Some(bundle) = self.bundles.get(code) {
                if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                    let mut errors = vec![];
                    return bundle
                        .format_pattern(pattern, None, &mut errors)
                        .into_owned();
                }
            }
        }
        id.to_string()
    }

    /// Does `lang` (or the German fallback) have the message `id`?
    pub fn has(&self, lang: &str, id: &str) -> bool {
        [lang, DEFAULT_LANGUAGE].iter().any(|code| {
            self.bundles
                .get(code)
                .is_some_and(|b| b.get_message(id).is_some())
        })
    }

    /// The message `id` in `lang` with variables (numbers pick the plural
    /// form where the message has one).
    pub fn text_with(
        &self,
        lang: &str,
        id: &str,
        args: &[(&str, fluent_bundle::FluentValue)],
    ) -> String {
        let mut fargs = fluent_bundle::FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        for code in [lang, DEFAULT_LANGUAGE] {
            if let Some(bundle) = self.bundles.get(code) {
                if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                    let mut errors = vec![];
                    return bundle
                        .format_pattern(pattern, Some(&fargs), &mut errors)
                        .into_owned();
                }
            }
        }
        id.to_string()
    }

    /// The message ids of a language (for the completeness test).
    pub fn ids(code: &str) -> Vec<String> {
        LANGUAGES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, _, src)| {
                src.lines()
                    .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
                    .filter(|k| !k.is_empty() && !k.starts_with('#'))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        let i18n = I18n::load().unwrap();
        let de = I18n::ids("de");
        assert!(de.len() > 40);
        for (code, _, _) in LANGUAGES {
            let ids = I18n::ids(code);
            for id in &de {
                assert!(ids.contains(id), "{code}.ftl lacks {id}");
            }
            assert_eq!(ids.len(), de.len(), "{code}.ftl has messages de.ftl lacks");
        }
        assert_eq!(i18n.text("de", "menu-config"), "Konfiguration");
        assert_eq!(i18n.text("en", "menu-config"), "Configuration");
        assert_eq!(i18n.text("xx", "menu-config"), "Konfiguration");
        assert_eq!(i18n.text("en", "no-such-id"), "no-such-id");
    }
}
