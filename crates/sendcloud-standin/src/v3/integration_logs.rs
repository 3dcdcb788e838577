//! v3 `POST /integrations/{id}/logs` (`integrations.yml`, schema `integration-log-create`)
//! and `GET /integrations/{id}/logs`: the connection issue log of an integration. A POST is
//! validated as the spec says (an object; `base_url` a non-empty string; the optional fields
//! of their types, `null` allowed; `response_code` ≥ 0; `created_at` a date-time; no other
//! field), refusals as 400 with one error per field, `source.pointer` `body/<field>` as in the
//! spec's example; the codes are those of the spec's `ErrorObject` enum (`unknown_field` for
//! an extra field, where the example's `extra_forbidden` is not in that enum; `required`,
//! `invalid`, `min_value`). The integration must be one of the
//! caller's account (else 404), and the entry is kept on the account
//! (`Account::integration_logs`, oldest first; `Standin::integration_logs` reads them) and
//! answered with 201 `{data: entry}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::{json, Map, Value};

use crate::state::iso;
use crate::v2::parse_datetime;
use crate::{auth, v3_error, Standin};

type Data = web::Data<Standin>;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/integrations/{id}/logs", web::post().to(create_log))
        .route("/integrations/{id}/logs", web::get().to(list_logs));
}

fn unauthorized() -> HttpResponse {
    v3_error(
        StatusCode::UNAUTHORIZED,
        "authentication_failed",
        "Invalid username/password.",
        None,
    )
}

fn not_found() -> HttpResponse {
    v3_error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The Integration could not be found with the search criteria given",
        None,
    )
}

const FIELDS: [&str; 9] = [
    "base_url",
    "full_url",
    "method",
    "response_code",
    "response",
    "request",
    "created_at",
    "exception_type",
    "exception",
];

/// One refusal: (code, detail, pointer).
type Refusal = (&'static str, String, String);

fn type_error(ptr: &str, what: &str) -> Refusal {
    (
        "invalid",
        format!("Input should be a valid {what}"),
        format!("body/{ptr}"),
    )
}

/// Checks a body against `integration-log-create`.
fn validate(body: &Map<String, Value>) -> Vec<Refusal> {
    let mut out = Vec::new();
    for key in body.keys() {
        if !FIELDS.contains(&key.as_str()) {
            out.push((
                "unknown_field",
                "Extra inputs are not permitted".into(),
                format!("body/{key}"),
            ));
        }
    }
    match body.get("base_url") {
        None => out.push(("required", "Field required".into(), "body/base_url".into())),
        Some(Value::String(s)) if s.is_empty() => out.push((
            "invalid",
            "String should have at least 1 character".into(),
            "body/base_url".into(),
        )),
        Some(Value::String(_)) => {}
        Some(_) => out.push(type_error("base_url", "string")),
    }
    for key in ["full_url", "method", "exception_type", "exception"] {
        if !matches!(body.get(key), None | Some(Value::Null | Value::String(_))) {
            out.push(type_error(key, "string"));
        }
    }
    match body.get("response_code") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_i64().is_some_and(|n| n >= 0) => {}
        Some(Value::Number(n)) if n.as_i64().is_some() => out.push((
            "min_value",
            "Input should be greater than or equal to 0".into(),
            "body/response_code".into(),
        )),
        Some(_) => out.push(type_error("response_code", "integer")),
    }
    match body.get("created_at") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if parse_datetime(s).is_some() => {}
        Some(_) => out.push(type_error("created_at", "datetime")),
    }
    // (part, headers may be a string, the body's key)
    for (part, headers_text, content) in [("response", false, "body"), ("request", true, "payload")]
    {
        match body.get(part) {
            None | Some(Value::Null) => {}
            Some(Value::Object(o)) => {
                match o.get("headers") {
                    None | Some(Value::Null | Value::Object(_)) => {}
                    Some(Value::String(_)) if headers_text => {}
                    Some(_) => out.push(type_error(&format!("{part}/headers"), "dictionary")),
                }
                if !matches!(
                    o.get(content),
                    None | Some(Value::Null | Value::String(_) | Value::Object(_))
                ) {
                    out.push(type_error(
                        &format!("{part}/{content}"),
                        "string or dictionary",
                    ));
                }
            }
            Some(_) => out.push(type_error(part, "dictionary")),
        }
    }
    out
}

fn refusal(problems: Vec<Refusal>) -> HttpResponse {
    let errors: Vec<Value> = problems
        .into_iter()
        .map(|(code, detail, pointer)| {
            json!({"status": "400", "code": code, "title": "Bad Request", "detail": detail,
                   "source": {"pointer": pointer}})
        })
        .collect();
    HttpResponse::BadRequest().json(json!({ "errors": errors }))
}

async fn create_log(req: HttpRequest, body: web::Bytes, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let integration: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let doc = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(o)) => o,
        _ => {
            return refusal(vec![(
                "invalid",
                "Input should be a valid dictionary".into(),
                "body".into(),
            )])
        }
    };
    let mut state = data.state();
    let known = integration.is_some_and(|id| {
        state
            .accounts
            .get(&ctx.account)
            .is_some_and(|a| a.integrations.contains_key(&id))
    });
    let Some(integration) = integration.filter(|_| known) else {
        return not_found();
    };
    let problems = validate(&doc);
    if !problems.is_empty() {
        return refusal(problems);
    }
    let id = state.reserve_ids(1);
    let Some(account) = state.accounts.get_mut(&ctx.account) else {
        return unauthorized();
    };
    let mut entry = json!({
        "id": id,
        "integration_id": integration,
        "full_url": null,
        "method": "",
        "response_code": null,
        "response": null,
        "request": null,
        "created_at": iso(Utc::now()),
        "exception_type": null,
        "exception": null,
        "protected": false,
        "additional_data": "",
    });
    for (k, v) in doc {
        if !(k == "created_at" && v.is_null()) {
            entry[k] = v;
        }
    }
    account.integration_logs.push(entry.clone());
    HttpResponse::Created().json(json!({ "data": entry }))
}

async fn list_logs(req: HttpRequest, data: Data) -> HttpResponse {
    let Some(ctx) = auth(&req) else {
        return unauthorized();
    };
    let integration: Option<u64> = req.match_info().get("id").and_then(|s| s.parse().ok());
    let s = data.state();
    let Some(account) = s.accounts.get(&ctx.account) else {
        return unauthorized();
    };
    let Some(integration) = integration.filter(|id| account.integrations.contains_key(id)) else {
        return not_found();
    };
    let list: Vec<&Value> = account
        .integration_logs
        .iter()
        .rev()
        .filter(|e| e["integration_id"].as_u64() == Some(integration))
        .collect();
    HttpResponse::Ok().json(json!({ "data": list }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> Vec<String> {
        validate(v.as_object().unwrap())
            .into_iter()
            .map(|(code, _, ptr)| format!("{code} {ptr}"))
            .collect()
    }

    #[test]
    fn bodies_are_checked_as_the_spec_says() {
        assert!(check(json!({"base_url": "https://x.example"})).is_empty());
        assert!(check(json!({
            "base_url": "https://x.example", "full_url": null, "method": "POST",
            "response_code": 422, "response": {"headers": {"a": "b"}, "body": "x"},
            "request": {"headers": "h", "payload": {"a": 1}},
            "created_at": "2026-12-07T10:00:00Z", "exception_type": "t", "exception": "e"
        }))
        .is_empty());
        assert_eq!(check(json!({})), ["required body/base_url"]);
        assert_eq!(check(json!({"base_url": ""})), ["invalid body/base_url"]);
        assert_eq!(
            check(json!({"base_url": "x", "secret": 1})),
            ["unknown_field body/secret"]
        );
        assert_eq!(
            check(
                json!({"base_url": "x", "response_code": -1, "created_at": "yesterday",
                         "response": {"headers": "h", "body": 3}})
            ),
            [
                "min_value body/response_code",
                "invalid body/created_at",
                "invalid body/response/headers",
                "invalid body/response/body"
            ]
        );
    }
}
