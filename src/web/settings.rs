//! The settings page `GET/POST /admin/settings` (Konfiguration → Lager →
//! Sendcloud → Einstellungen): thin handlers around `crate::settings`.
//!
//! The form carries the id of the company it was shown for; a save goes to
//! that company only if the user may see it (otherwise 403, nothing saved),
//! and that company becomes the selected one. A refused form is shown again
//! as typed (status 422) with a message next to each refused field; a saved
//! one redirects back with the flash "Einstellungen gespeichert".

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::auth::{AdminCtx, Configure};
use super::error::WebError;
use super::layout::{html, layout_for, see_other, Layout};
use super::session::{self, CsrfForm};
use super::AppState;
use crate::host::Company;
use crate::settings::{
    self, interval_field_name, mapping_field_name, CustomerMapping, FieldError, MappedField,
    MethodChoice, Outcome, ServicePointField, SettingsForm, ShipmentType,
};
use crate::sync::SyncObject;

/// An option of a select or radio group.
pub struct Opt {
    pub value: &'static str,
    pub label_id: &'static str,
}

/// A shipping method option (its label is data, not a translation).
pub struct MethodOpt {
    pub value: String,
    pub label: String,
}

/// One manual-mapping select.
pub struct MapRow {
    pub field: &'static str,
    pub label_id: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
}

/// One Abgleich interval input.
pub struct IntervalRow {
    pub field: &'static str,
    pub label_id: &'static str,
    pub value: String,
    pub error: Option<String>,
    /// Does the Abgleich engine sync this object type yet?
    pub synced: bool,
}

/// Field errors, translated.
pub struct Errors(Vec<(&'static str, String)>);

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    /// The message of a field (empty when it has none).
    pub fn of(&self, field: &str) -> String {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    fn get(&self, field: &str) -> Option<String> {
        self.has(field).then(|| self.of(field))
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    l: Layout,
    company: Company,
    form: SettingsForm,
    errors: Errors,
    service_point_fields: Vec<Opt>,
    hold_fields: Vec<Opt>,
    shipment_types: Vec<Opt>,
    mappings: Vec<Opt>,
    manual_rows: Vec<MapRow>,
    interval_rows: Vec<IntervalRow>,
    methods: Vec<MethodOpt>,
    /// The host's product attribute keys (empty: the host names none, the
    /// fields stay free text).
    attributes: Vec<String>,
    /// The ISO country codes for the country of origin.
    countries: &'static [&'static str],
}

impl SettingsPage {
    /// The cap on integration-log entries per hour (named in the hint).
    fn integration_log_per_hour(&self) -> i64 {
        crate::labels::integration_log::PER_HOUR
    }

    /// The attribute pick-list of a field: the host's keys, plus the value
    /// in the form when it is not among them (shown, so nothing changes
    /// unseen).
    fn attribute_options(&self, value: &str) -> Vec<String> {
        let mut keys = self.attributes.clone();
        let value = value.trim();
        if !value.is_empty() && !keys.iter().any(|k| k == value) {
            keys.insert(0, value.to_string());
        }
        keys
    }

    /// Is the form's country one of the list (else it is shown as an
    /// extra option, as entered)?
    fn country_listed(&self) -> bool {
        settings::is_iso_country(&self.form.customs_origin_country.trim().to_ascii_uppercase())
    }

    fn is_country(&self, code: &str) -> bool {
        self.form
            .customs_origin_country
            .trim()
            .eq_ignore_ascii_case(code)
    }
}

impl SettingsPage {
    fn new(
        l: Layout,
        company: Company,
        form: SettingsForm,
        field_errors: &[FieldError],
        choices: Vec<MethodChoice>,
        attributes: Vec<String>,
    ) -> SettingsPage {
        let errors = Errors(
            field_errors
                .iter()
                .map(|e| (e.field, l.t(e.message_id)))
                .collect(),
        );
        let manual_rows = MappedField::ALL
            .iter()
            .map(|f| MapRow {
                field: mapping_field_name(*f),
                label_id: f.label_id(),
                value: form.mapping(*f).to_string(),
                options: f
                    .sources()
                    .iter()
                    .map(|s| Opt {
                        value: s.as_str(),
                        label_id: s.label_id(),
                    })
                    .collect(),
                error: errors.get(mapping_field_name(*f)),
            })
            .collect();
        let interval_rows = SyncObject::ALL
            .iter()
            .map(|o| IntervalRow {
                field: interval_field_name(*o),
                label_id: o.info().interval_label_id,
                value: form.interval(*o).to_string(),
                error: errors.get(interval_field_name(*o)),
                synced: o.info().available,
            })
            .collect();
        let mut methods: Vec<MethodOpt> = choices
            .into_iter()
            .map(|m| MethodOpt {
                value: m.id.to_string(),
                label: format!("{} ({})", m.name, m.carrier),
            })
            .collect();
        // A stored method that is no longer synced stays visible and selected.
        let current = form.default_shipping_method.trim();
        if !current.is_empty() && !methods.iter().any(|m| m.value == current) {
            methods.push(MethodOpt {
                value: current.to_string(),
                label: format!("{current} – {}", l.t("settings-method-not-synced")),
            });
        }
        SettingsPage {
            hold_fields: crate::settings::HoldField::ALL
                .iter()
                .map(|f| Opt {
                    value: f.as_str(),
                    label_id: f.label_id(),
                })
                .collect(),
            service_point_fields: ServicePointField::ALL
                .iter()
                .map(|f| Opt {
                    value: f.as_str(),
                    label_id: f.label_id(),
                })
                .collect(),
            shipment_types: ShipmentType::ALL
                .iter()
                .map(|t| Opt {
                    value: shipment_code(*t),
                    label_id: t.label_id(),
                })
                .collect(),
            mappings: CustomerMapping::ALL
                .iter()
                .map(|m| Opt {
                    value: m.as_str(),
                    label_id: m.label_id(),
                })
                .collect(),
            manual_rows,
            interval_rows,
            methods,
            attributes,
            countries: settings::country_codes(),
            errors,
            l,
            company,
            form,
        }
    }
}

fn shipment_code(t: ShipmentType) -> &'static str {
    match t {
        ShipmentType::Gift => "0",
        ShipmentType::Documents => "1",
        ShipmentType::CommercialGoods => "2",
        ShipmentType::CommercialSample => "3",
        ShipmentType::ReturnedGoods => "4",
    }
}

/// `GET /admin/settings`: the selected company's settings.
pub async fn settings_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminCtx {
        user,
        companies,
        company,
        ..
    }: AdminCtx<Configure>,
) -> Result<HttpResponse, WebError> {
    let manifest = state.config.manifest.clone();
    let company_id = company.id;
    let host = state.host.clone();
    let (current, choices, attributes) = state
        .db
        .run(move |c| {
            Ok((
                settings::load(c, company_id, &manifest)?,
                settings::shipping_method_choices(c, company_id)?,
                host.product_attribute_keys(c, company_id)?,
            ))
        })
        .await?;
    let l = layout_for(
        &state,
        &req,
        &session,
        "settings",
        &user,
        super::layout::Companies {
            visible: &companies,
            selected: &company,
        },
        "settings-title",
    );
    let form = SettingsForm::from_settings(&current);
    Ok(html(
        SettingsPage::new(l, company, form, &[], choices, attributes).render()?,
    ))
}

/// The posted form: the company it was shown for, and the settings.
#[derive(Deserialize)]
pub struct SettingsPost {
    #[serde(default)]
    company_id: String,
    #[serde(flatten)]
    form: SettingsForm,
}

/// `POST /admin/settings`: validate and save, or show the form again.
pub async fn settings_save(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    AdminCtx {
        user,
        companies,
        company: selected,
        ..
    }: AdminCtx<Configure>,
    post: CsrfForm<SettingsPost>,
) -> Result<HttpResponse, WebError> {
    let SettingsPost { company_id, form } = post.0;
    let company = match company_id.trim() {
        // A form without the id saves the selected company.
        "" => selected,
        id => {
            let id: i64 = id
                .parse()
                .map_err(|_| WebError::BadRequest(format!("company_id {id:?}")))?;
            // Same answer for "does not exist" and "not yours".
            companies
                .iter()
                .find(|c| c.id == id)
                .cloned()
                .ok_or(WebError::NoCompany)?
        }
    };
    let manifest = state.config.manifest.clone();
    let cid = company.id;
    let user_name = user.name.clone();
    let submitted = form.clone();
    let host = state.host.clone();
    let outcome = state
        .db
        .run(move |c| {
            let known = host.product_attribute_keys(c, cid)?;
            settings::apply_with_attributes(c, cid, &submitted, &user_name, &manifest, &known)
        })
        .await?;
    let lang = session::language(&session);
    match outcome {
        Outcome::Saved(changed) => {
            tracing::info!(company = cid, user = %user.name, ?changed, "settings saved");
            session::set_company(&session, cid);
            session::push_flash(
                &session,
                "success",
                state.i18n.text(&lang, "settings-saved"),
            );
            Ok(see_other(&format!(
                "{}/admin/settings",
                state.config.mount_path()
            )))
        }
        Outcome::Invalid(errors) => {
            let host = state.host.clone();
            let (choices, attributes) = state
                .db
                .run(move |c| {
                    Ok((
                        settings::shipping_method_choices(c, cid)?,
                        host.product_attribute_keys(c, cid)?,
                    ))
                })
                .await?;
            let l = layout_for(
                &state,
                &req,
                &session,
                "settings",
                &user,
                super::layout::Companies {
                    visible: &companies,
                    selected: &company,
                },
                "settings-title",
            );
            let body =
                SettingsPage::new(l, company, form, &errors, choices, attributes).render()?;
            let mut res = html(body);
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}
