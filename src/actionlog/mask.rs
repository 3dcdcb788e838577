//! Masking of secrets and personal data in what the Aktions-Logging stores
//! and shows: JSON payloads by key (API keys, tokens, passwords → `•••`;
//! names, e-mail addresses, phone numbers, street addresses → first letter
//! and `•••`) and free text by shape (e-mail addresses, phone numbers,
//! key-like tokens, `key=value` pairs with a secret-sounding key).
//! Used when a row is written and again when a report renders it.

use std::borrow::Cow;

use serde_json::Value;

/// What a masked secret shows.
pub const HIDDEN: &str = "•••";

/// Keys whose value is a secret: never shown, not even in part.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "secret",
        "password",
        "passwd",
        "token",
        "authorization",
        "api_key",
        "apikey",
        "public_key",
        "private_key",
        "signature",
        "cookie",
        "iban",
    ]
    .iter()
    .any(|s| k.contains(s))
        || k == "key"
}

/// Keys whose value is personal data: shown as its first letter.
fn is_personal_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "name",
        "email",
        "e_mail",
        "mail",
        "phone",
        "telephone",
        "mobile",
        "street",
        "address",
        "house_number",
        "postal_code",
        "zip",
        "vat",
        "eori",
        "birth",
    ]
    .iter()
    .any(|s| k.contains(s))
        && !matches!(
            k.as_str(),
            "shipping_method_name" | "carrier_name" | "status_name" | "shop_name" | "brand_name"
        )
}

/// `Maria` → `M•••`; empty stays empty.
fn partial(s: &str) -> String {
    match s.chars().next() {
        Some(c) => format!("{c}{HIDDEN}"),
        None => String::new(),
    }
}

/// A copy of the JSON value with secrets and personal data masked.
pub fn json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let masked = if is_secret_key(k) {
                        match v {
                            Value::Null => Value::Null,
                            _ => Value::String(HIDDEN.into()),
                        }
                    } else if is_personal_key(k) {
                        match v {
                            Value::String(s) => Value::String(partial(s)),
                            Value::Null => Value::Null,
                            Value::Object(_) | Value::Array(_) => json_all_personal(v),
                            _ => Value::String(HIDDEN.into()),
                        }
                    } else {
                        json(v)
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        Value::String(s) => Value::String(text(s).into_owned()),
        other => other.clone(),
    }
}

/// Every string below a personal key (an address object) is personal.
fn json_all_personal(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        Value::String(HIDDEN.into())
                    } else {
                        json_all_personal(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(json_all_personal).collect()),
        Value::String(s) => Value::String(partial(s)),
        Value::Null => Value::Null,
        _ => Value::String(HIDDEN.into()),
    }
}

/// Free text with e-mail addresses, phone numbers, key-like tokens and
/// `secret=…` pairs masked. A JSON text is masked as JSON. Borrowed when
/// nothing needed masking.
pub fn text(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Value>(s) {
            let masked = json(&v);
            if masked == v {
                return Cow::Borrowed(s);
            }
            return Cow::Owned(serde_json::to_string(&masked).unwrap_or_default());
        }
    }
    let phones = mask_phones(s);
    let mut out = String::with_capacity(s.len());
    let mut changed = matches!(phones, Cow::Owned(_));
    let mut secret_value_next = false;
    for token in split_keep(&phones) {
        if token.chars().all(is_separator) {
            out.push_str(token);
            continue;
        }
        let (masked, next_secret) = mask_token(token, secret_value_next);
        secret_value_next = next_secret;
        if masked != token {
            changed = true;
        }
        out.push_str(&masked);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Phone numbers: a run that starts a word with `+` or `0` and goes on in
/// digits, spaces, `-`, `/` and brackets, holding 8 to 15 digits.
fn mask_phones(s: &str) -> Cow<'_, str> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let word_start = i == 0 || {
            let p = chars[i - 1].1;
            p.is_whitespace() || matches!(p, '(' | ':' | '"' | ',' | ';')
        };
        if word_start && (c == '+' || c == '0') {
            let mut j = i + 1;
            let mut digits = usize::from(c == '0');
            let mut end = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    digits += 1;
                    end = j + 1;
                } else if !matches!(d, ' ' | '-' | '/' | '(' | ')') {
                    break;
                }
                j += 1;
            }
            let next_is_word = chars.get(end).is_some_and(|(_, d)| d.is_alphanumeric());
            if (8..=15).contains(&digits) && !next_is_word {
                out.push_str(&s[copied..pos]);
                out.push_str(HIDDEN);
                copied = chars.get(end).map_or(s.len(), |(p, _)| *p);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\'' | '(' | ')' | '<' | '>' | '&')
}

/// The text cut into words and the separators between them (kept, so the
/// text can be put back together).
fn split_keep(s: &str) -> Vec<&str> {
    let mut parts = vec![];
    let mut start = 0;
    let mut in_sep: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let sep = is_separator(c);
        match in_sep {
            Some(prev) if prev != sep => {
                parts.push(&s[start..i]);
                start = i;
            }
            _ => {}
        }
        in_sep = Some(sep);
    }
    if start < s.len() {
        parts.push(&s[start..]);
    }
    parts
}

/// One word masked; and whether the next word is a secret's value (after
/// `Bearer`, `password:` …).
fn mask_token(token: &str, secret_value: bool) -> (String, bool) {
    let lower = token.to_ascii_lowercase();
    if lower == "bearer" || lower == "basic" {
        return (token.into(), true);
    }
    if secret_value {
        return (HIDDEN.into(), false);
    }
    // `api_key=abc`, `password:xyz`
    if let Some(pos) = token.find(['=', ':']) {
        let (key, rest) = token.split_at(pos);
        if is_secret_key(key.trim_start_matches(['?', '&'])) {
            if rest.len() > 1 {
                return (format!("{key}{}{HIDDEN}", &rest[..1]), false);
            }
            return (token.into(), true);
        }
    }
    let trimmed = token.trim_end_matches(['.', ':', '!', '?']);
    let tail = &token[trimmed.len()..];
    if is_email(trimmed) {
        let domain = trimmed.split('@').nth(1).unwrap_or_default();
        return (format!("{}@{domain}{tail}", partial(trimmed)), false);
    }
    if is_key_like(trimmed) {
        return (format!("{HIDDEN}{tail}"), false);
    }
    (token.into(), false)
}

fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        _ => false,
    }
}

/// A long run of letters and digits mixed, like an API key or a token
/// (at least 24 characters with both letters and digits, no `-` between
/// short groups like an order number).
fn is_key_like(s: &str) -> bool {
    s.len() >= 24
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && !s.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_secrets_and_personal_data_are_masked() {
        let v = serde_json::json!({
            "api_key": "pk_live_1234567890abcdef",
            "secret_key": "sk_9876",
            "to_address": {"name": "Maria Muster", "email": "maria@example.com", "city": "Köln"},
            "telephone": "+49 170 1234567",
            "shipping_method_name": "DHL Paket",
            "order_number": "SO-2026-00123",
        });
        let m = json(&v);
        assert_eq!(m["api_key"], HIDDEN);
        assert_eq!(m["secret_key"], HIDDEN);
        assert_eq!(m["to_address"]["name"], "M•••");
        assert_eq!(m["to_address"]["email"], "m•••");
        assert_eq!(m["to_address"]["city"], "K•••");
        assert_eq!(m["telephone"], "+•••");
        assert_eq!(m["shipping_method_name"], "DHL Paket");
        assert_eq!(m["order_number"], "SO-2026-00123");
    }

    #[test]
    fn free_text_is_masked_by_shape() {
        assert_eq!(
            text("Kunde maria@example.com, Tel. +49 170 1234567"),
            "Kunde m•••@example.com, Tel. •••"
        );
        assert_eq!(text("api_key=abc123 ok"), "api_key=••• ok");
        assert_eq!(
            text("Authorization: Bearer abc.def"),
            "Authorization: Bearer •••"
        );
        assert_eq!(text("token 0123456789abcdefABCDEF012345"), "token •••");
        // Facts staff need stay readable.
        let plain = "Paket 123456789 SO-2026-00123 3SYZXG1234567: 10 geholt, 2 neu";
        assert!(matches!(text(plain), Cow::Borrowed(_)));
    }
}
