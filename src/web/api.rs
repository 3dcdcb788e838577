//! The plugin API for the host (versioned under `/api/v1`): JSON by default,
//! XML when the client asks for it (`Accept: application/xml`), the same
//! schema either way. Authenticated with a host token.

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::auth::{Api, ApiCtx};
use super::error::{ApiError, WebError};
use super::AppState;

/// Serialise `value` as JSON, or as XML under `root` when the request's
/// `Accept` header prefers XML.
pub fn respond<T: Serialize>(
    req: &HttpRequest,
    root: &str,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    let wants_xml = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            let a = a.to_ascii_lowercase();
            (a.contains("application/xml") || a.contains("text/xml"))
                && !a.starts_with("application/json")
        });
    if wants_xml {
        let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let ser = quick_xml::se::Serializer::with_root(&mut body, Some(root))
            .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
        value
            .serialize(ser)
            .map_err(|e| WebError::Internal(format!("xml: {e}")))?;
        Ok(HttpResponse::Ok()
            .content_type("application/xml; charset=utf-8")
            .body(xml_chars_only(body)))
    } else {
        Ok(HttpResponse::Ok().json(value))
    }
}

/// Drop the characters XML 1.0 does not allow anywhere in a document (C0
/// controls but tab, LF and CR; U+FFFE, U+FFFF): a company name with `\x01`
/// must not make the whole answer unreadable. The serializer never writes
/// them itself, so only data loses them.
pub fn xml_chars_only(body: String) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if body.chars().all(allowed) {
        body
    } else {
        body.chars().filter(|c| allowed(*c)).collect()
    }
}

#[derive(Serialize)]
struct CompanyList {
    company: Vec<CompanyItem>,
}

#[derive(Serialize)]
struct CompanyItem {
    id: i64,
    name: String,
    country: String,
    integration_state: &'static str,
}

/// `GET /api/v1/companies`: the companies the token may see, with the state
/// of their Sendcloud integration.
pub async fn companies(
    state: web::Data<AppState>,
    req: HttpRequest,
    ApiCtx { user, .. }: ApiCtx<Api>,
) -> Result<HttpResponse, ApiError> {
    let host = state.host.clone();
    let list = state
        .db
        .run(move |c| {
            let mut out = vec![];
            for co in host.companies(c)? {
                if user.may_see_company(co.id) {
                    let view = crate::integrations::view(c, co.id)?;
                    out.push(CompanyItem {
                        id: co.id,
                        name: co.name,
                        country: co.country,
                        integration_state: view.state.as_str_static(),
                    });
                }
            }
            Ok(out)
        })
        .await?;
    respond(&req, "companies", &CompanyList { company: list })
}

/// A run as the API returns it: state, objects with their counts, the
/// problem (stable code and Sendcloud's detail), times in UTC.
#[derive(Serialize)]
pub struct RunBody {
    id: i64,
    company_id: i64,
    trigger: String,
    state: String,
    current_object: Option<String>,
    objects: Vec<crate::sync::ObjectProgress>,
    counts: crate::sync::Counts,
    error: Option<RunErrorBody>,
    started_at: String,
    finished_at: Option<String>,
}

#[derive(Serialize)]
struct RunErrorBody {
    object: Option<String>,
    code: String,
    field: Option<String>,
    detail: Option<String>,
}

impl RunBody {
    fn of(run: crate::sync::Run) -> RunBody {
        let error = run.problem().map(|(o, p)| RunErrorBody {
            object: o.map(|o| o.as_str().to_string()),
            code: p.code.as_str().to_string(),
            field: p.field,
            detail: p.detail,
        });
        let fmt = |t: &chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        RunBody {
            objects: run.object_progress(),
            counts: crate::sync::Counts {
                fetched: run.fetched,
                created: run.created,
                updated: run.updated,
                unchanged: run.unchanged,
                failed: run.failed,
            },
            error,
            started_at: fmt(&run.started_at),
            finished_at: run.finished_at.as_ref().map(fmt),
            id: run.id,
            company_id: run.company_id,
            trigger: run.trigger,
            state: run.state,
            current_object: run.current_object,
        }
    }
}

/// `POST /api/v1/companies/{company}/syncs`: what to synchronise.
#[derive(Debug, serde::Deserialize)]
pub struct StartSync {
    /// Object keys (`parcels`, `sender_addresses`, …).
    objects: Vec<String>,
    /// Read everything again (resets the objects' positions).
    #[serde(default)]
    full: bool,
}

fn visible_company(user: &crate::users::User, company_id: i64) -> Result<(), ApiError> {
    if user.may_see_company(company_id) {
        Ok(())
    } else {
        Err(WebError::NotFound.into())
    }
}

/// `POST /api/v1/companies/{company}/syncs` `{"objects": [...], "full": false}`:
/// start an Abgleich; 202 with the run (`Location` its URL). The same
/// `Idempotency-Key` again answers the run it started. 409 while one is
/// under way or when the company is not connected, 422 for an unknown object.
pub async fn start_sync(
    state: web::Data<AppState>,
    ApiCtx { user, .. }: ApiCtx<Api>,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<StartSync>,
) -> Result<HttpResponse, ApiError> {
    let company_id = path.into_inner();
    visible_company(&user, company_id)?;
    let mut objects = vec![];
    for key in &body.objects {
        match crate::sync::SyncObject::parse(key).filter(|o| o.info().available) {
            Some(o) => objects.push(o),
            None => {
                return Err(WebError::Unprocessable(format!("unknown object type {key:?}")).into())
            }
        }
    }
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().chars().take(200).collect::<String>())
        .filter(|k| !k.is_empty());
    let (full, name) = (body.full, user.name.clone());
    let outcome = state
        .db
        .run(move |c| {
            let requested = crate::sync::request_run(
                c,
                company_id,
                &crate::sync::SyncRequest {
                    trigger: "api",
                    objects: &objects,
                    full,
                    user: Some(&name),
                    key: key.as_deref(),
                },
            )?;
            let run = match requested {
                crate::sync::Requested::Started(id) => crate::sync::run_of(c, company_id, id)?,
                _ => None,
            };
            Ok((requested, run))
        })
        .await?;
    match outcome {
        (crate::sync::Requested::Started(id), Some(run)) => Ok(HttpResponse::Accepted()
            .insert_header((
                header::LOCATION,
                format!(
                    "{}/api/v1/companies/{company_id}/syncs/{id}",
                    state.config.mount_path()
                ),
            ))
            .json(RunBody::of(run))),
        (crate::sync::Requested::AlreadyRunning, _) => Err(WebError::Conflict(
            "an Abgleich is already queued or running for this company".into(),
        )
        .into()),
        (crate::sync::Requested::NotConnected, _) => {
            Err(WebError::Conflict("the company has no connected Sendcloud account".into()).into())
        }
        _ => Err(WebError::Unprocessable("name at least one object type".into()).into()),
    }
}

/// `GET /api/v1/companies/{company}/syncs/{run}`: a run's progress and result.
pub async fn sync_run(
    state: web::Data<AppState>,
    ApiCtx { user, .. }: ApiCtx<Api>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (company_id, run_id) = path.into_inner();
    visible_company(&user, company_id)?;
    let run = state
        .db
        .run(move |c| crate::sync::run_of(c, company_id, run_id))
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(RunBody::of(run)))
}

#[cfg(test)]
mod tests {
    use super::xml_chars_only;

    #[test]
    fn forbidden_xml_characters_are_dropped_and_others_kept() {
        assert_eq!(
            xml_chars_only("<a>x\u{1}y\u{0}z\u{FFFF}\t\nä€</a>".into()),
            "<a>xyz\t\nä€</a>"
        );
    }
}
