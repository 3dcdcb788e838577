//! Field validation with Sendcloud's messages: errors collected per field
//! (`{field: [messages]}`), read from a JSON object, and flattened into the one-line message
//! of a v2 400 answer.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Messages per field, as in the `{field: [messages]}` error bodies.
pub(super) type FieldErrors = BTreeMap<String, Vec<String>>;

pub(super) fn add_err(errors: &mut FieldErrors, field: &str, msg: &str) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(msg.to_string());
}

/// A string-ish field: absent → `Ok(None)`, null → `Err(null)`, number → its text.
pub(super) enum Field {
    Absent,
    Null,
    Text(String),
    Invalid,
}

pub(super) fn field(input: &Map<String, Value>, key: &str) -> Field {
    match input.get(key) {
        None => Field::Absent,
        Some(Value::Null) => Field::Null,
        Some(Value::String(s)) => Field::Text(s.clone()),
        Some(Value::Number(n)) => Field::Text(n.to_string()),
        Some(_) => Field::Invalid,
    }
}

/// An optional free-text field (absent/null → empty).
pub(super) fn opt_text(input: &Map<String, Value>, key: &str, errors: &mut FieldErrors) -> String {
    match field(input, key) {
        Field::Text(s) => s,
        Field::Invalid => {
            add_err(errors, key, "Not a valid string.");
            String::new()
        }
        _ => String::new(),
    }
}

pub(super) fn required_text(
    input: &Map<String, Value>,
    key: &str,
    errors: &mut FieldErrors,
) -> String {
    match field(input, key) {
        Field::Absent => add_err(errors, key, "This field is required."),
        Field::Null => add_err(errors, key, "This field may not be null."),
        Field::Invalid => add_err(errors, key, "Not a valid string."),
        Field::Text(s) if s.trim().is_empty() => {
            add_err(errors, key, "This field may not be blank.")
        }
        Field::Text(s) => return s.trim().to_string(),
    }
    String::new()
}

pub(super) fn opt_bool(
    input: &Map<String, Value>,
    key: &str,
    errors: &mut FieldErrors,
) -> Option<bool> {
    match input.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s == "true" || s == "false" => Some(s == "true"),
        Some(_) => {
            add_err(errors, key, "Must be a valid boolean.");
            None
        }
    }
}

pub(super) fn opt_uint(
    input: &Map<String, Value>,
    key: &str,
    errors: &mut FieldErrors,
) -> Option<u64> {
    match input.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(_) => {
            add_err(errors, key, "A valid integer is required.");
            None
        }
    }
}

/// Field errors `{field: [messages]}` flattened like Sendcloud: `field: "msg", other: "msg"`.
pub(super) fn flatten_errors(errors: &BTreeMap<String, Vec<String>>) -> String {
    errors
        .iter()
        .map(|(k, v)| format!("{k}: \"{}\"", v.join(" ")))
        .collect::<Vec<_>>()
        .join(", ")
}
