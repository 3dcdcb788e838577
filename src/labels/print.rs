//! *Drucken*: the labels of one or many deliveries as ONE document: a PDF
//! with one A6 label per page, a PDF with four A6 labels per A4 sheet
//! (starting at position 1–4, so a half-used sheet of label paper can be
//! used up), or ZPL for label printers (the labels' ZPL one after the
//! other). [`merged_documents`] is the service the *Lieferungen* page calls
//! and the plugin API can call.
//!
//! **Reprints do not need Sendcloud.** Each label's document is kept in
//! `sendcloud_label_documents` (per parcel and format: the A6 PDF is stored
//! when the label is created, ZPL the first time it is printed); Sendcloud's
//! `GET /v3/parcels/{id}/documents/label` is asked only for what is missing.
//!
//! **Merging** ([`merge_pdfs`], lopdf): every label page becomes a Form
//! XObject (its content and resources, its MediaBox as BBox) placed, scaled
//! to fit and centred, on an A6 page or in a quarter of an A4 sheet. The
//! label's own drawing is never re-interpreted, so any PDF Sendcloud sends
//! (fonts, images, barcodes) survives the move.

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use lopdf::{dictionary, Dictionary, Document as Pdf, Object, ObjectId, Stream};

use crate::context::Context;
use crate::db::schema::sendcloud_label_documents as ld;
use crate::db::{DbConn, DbError, DbResult};
use crate::sendcloud::shipments_v3::{DocumentFormat, PaperSize};
use crate::tracking::{labels_of, Label, STATE_CANCELLED, STATE_CANCEL_REQUESTED, STATE_CREATED};

/// A6 in PostScript points (105 × 148 mm).
pub const A6: (f32, f32) = (297.638, 419.528);
/// A4 in PostScript points (210 × 297 mm).
pub const A4: (f32, f32) = (595.276, 841.89);

/// What *Drucken* makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintFormat {
    /// A PDF with one label per A6 page.
    PdfA6,
    /// A PDF with four labels per A4 sheet, the first at `start` (1 top
    /// left, 2 top right, 3 bottom left, 4 bottom right).
    PdfA4 { start: u8 },
    /// ZPL for label printers, the labels one after the other.
    Zpl,
}

impl PrintFormat {
    /// From the form's fields: `format` (`a6`, `a4`, `zpl`) and `start`
    /// (1–4, only for A4; anything else is 1).
    pub fn parse(format: &str, start: Option<&str>) -> Option<PrintFormat> {
        match format {
            "a6" => Some(PrintFormat::PdfA6),
            "a4" => Some(PrintFormat::PdfA4 {
                start: start
                    .and_then(|s| s.trim().parse().ok())
                    .filter(|s| (1..=4).contains(s))
                    .unwrap_or(1),
            }),
            "zpl" => Some(PrintFormat::Zpl),
            _ => None,
        }
    }

    fn stored_format(self) -> &'static str {
        match self {
            PrintFormat::Zpl => FORMAT_ZPL,
            _ => FORMAT_PDF,
        }
    }
}

/// Stored document formats.
pub const FORMAT_PDF: &str = "pdf";
pub const FORMAT_ZPL: &str = "zpl";

/// A document to hand out: bytes, content type, file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// Why a delivery's label cannot be printed (a fact; the page words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unprintable {
    /// No label was created (none requested, still pending, or failed).
    NoLabel,
    /// The label was cancelled.
    Cancelled,
    /// The document is not stored and Sendcloud did not hand it out; the
    /// detail is Sendcloud's (or the connection's) message.
    Unavailable(String),
}

impl Unprintable {
    /// A stable code (translation ids `print-problem-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Unprintable::NoLabel => "no-label",
            Unprintable::Cancelled => "cancelled",
            Unprintable::Unavailable(_) => "unavailable",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Unprintable::Unavailable(d) => d,
            _ => "",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("no delivery selected")]
    NothingSelected,
    /// Deliveries whose labels cannot be printed (nothing is printed then).
    #[error("labels cannot be printed for {} deliveries", .0.len())]
    Unprintable(Vec<(i64, Unprintable)>),
    /// A stored or fetched document is not a PDF lopdf can read.
    #[error("label document could not be merged: {0}")]
    Merge(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The labels of these deliveries of the company as one document. Every
/// delivery must have a created label (a test-mode label counts even though
/// it was cancelled at once); otherwise nothing is printed and the
/// unprintable deliveries are listed. Documents come from the store, and
/// only missing ones from Sendcloud (then stored).
pub async fn merged_documents(
    ctx: &Context,
    company_id: i64,
    delivery_ids: &[i64],
    format: PrintFormat,
) -> Result<Document, PrintError> {
    let mut ids: Vec<i64> = Vec::with_capacity(delivery_ids.len());
    for id in delivery_ids {
        if !ids.contains(id) {
            ids.push(*id);
        }
    }
    if ids.is_empty() {
        return Err(PrintError::NothingSelected);
    }
    let stored = format.stored_format();
    let ids2 = ids.clone();
    let (labels, mut docs) = ctx
        .db
        .run(move |c| {
            let labels = labels_of(c, company_id, &ids2)?;
            let parcels: Vec<i64> = labels.iter().filter_map(|l| l.parcel_id).collect();
            let docs = stored_documents(c, company_id, &parcels, stored)?;
            Ok((labels, docs))
        })
        .await?;
    let by_delivery: HashMap<i64, &Label> = labels.iter().map(|l| (l.delivery_id, l)).collect();
    let mut problems = Vec::new();
    let mut order: Vec<(&Label, i64)> = Vec::with_capacity(ids.len());
    for id in &ids {
        match by_delivery.get(id) {
            Some(l) => match printable(l) {
                Ok(parcel) => order.push((l, parcel)),
                Err(p) => problems.push((*id, p)),
            },
            None => problems.push((*id, Unprintable::NoLabel)),
        }
    }
    if !problems.is_empty() {
        return Err(PrintError::Unprintable(problems));
    }
    let missing: Vec<(&Label, i64)> = order
        .iter()
        .filter(|(_, p)| !docs.contains_key(p))
        .copied()
        .collect();
    if !missing.is_empty() {
        let fetched = fetch_missing(ctx, company_id, &missing, format).await;
        for ((label, parcel), result) in missing.iter().zip(fetched) {
            match result {
                Ok(bytes) => {
                    docs.insert(*parcel, bytes);
                }
                Err(detail) => problems.push((label.delivery_id, Unprintable::Unavailable(detail))),
            }
        }
        if !problems.is_empty() {
            return Err(PrintError::Unprintable(problems));
        }
    }
    let parts: Vec<&[u8]> = order
        .iter()
        .map(|(_, p)| docs.get(p).map(Vec::as_slice).unwrap_or_default())
        .collect();
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    let base = if order.len() == 1 {
        format!("label-{}", file_safe(&order[0].0.order_number))
    } else {
        format!("labels-{}-{stamp}", order.len())
    };
    Ok(match format {
        PrintFormat::Zpl => Document {
            bytes: merge_zpl(&parts),
            content_type: "application/zpl",
            file_name: format!("{base}.zpl"),
        },
        PrintFormat::PdfA6 | PrintFormat::PdfA4 { .. } => Document {
            bytes: merge_pdfs(&parts, format).map_err(PrintError::Merge)?,
            content_type: "application/pdf",
            file_name: format!("{base}.pdf"),
        },
    })
}

/// The parcel of a label that may be printed.
fn printable(l: &Label) -> Result<i64, Unprintable> {
    let parcel = l.parcel_id.ok_or(Unprintable::NoLabel)?;
    match l.state.as_str() {
        STATE_CREATED => Ok(parcel),
        // Test mode cancels every label at once; printing it is part of
        // trying the whole flow.
        STATE_CANCELLED if l.test_mode => Ok(parcel),
        STATE_CANCELLED => Err(Unprintable::Cancelled),
        // Still a valid label until Sendcloud confirms the cancellation.
        STATE_CANCEL_REQUESTED => Ok(parcel),
        _ => Err(Unprintable::NoLabel),
    }
}

/// Fetch the missing documents (one request per parcel, A6) and store each.
async fn fetch_missing(
    ctx: &Context,
    company_id: i64,
    missing: &[(&Label, i64)],
    format: PrintFormat,
) -> Vec<Result<Vec<u8>, String>> {
    let client = match crate::account::client_for(ctx, company_id).await {
        Ok(c) => c,
        Err(e) => return missing.iter().map(|_| Err(e.to_string())).collect(),
    };
    let kind = match format {
        PrintFormat::Zpl => DocumentFormat::Zpl,
        _ => DocumentFormat::Pdf,
    };
    let stored = format.stored_format();
    let mut out = Vec::with_capacity(missing.len());
    for (label, parcel) in missing {
        let got = client
            .parcel_document(*parcel, "label", kind, Some(PaperSize::A6))
            .await
            .map_err(|e| e.to_string());
        let got = match got {
            Ok(bytes) if kind == DocumentFormat::Pdf && Pdf::load_mem(&bytes).is_err() => {
                Err("Sendcloud's label is not a readable PDF".to_string())
            }
            other => other,
        };
        if let Ok(bytes) = &got {
            let (label_id, parcel, bytes) = (label.id, *parcel, bytes.clone());
            // Not storing it only costs a fetch next time.
            let _ = ctx
                .db
                .run(move |c| store_document(c, company_id, label_id, parcel, stored, &bytes))
                .await;
        }
        out.push(got);
    }
    out
}

/// The stored documents of these parcels in this format, by parcel.
pub fn stored_documents(
    conn: &mut DbConn,
    company_id: i64,
    parcel_ids: &[i64],
    format: &str,
) -> DbResult<HashMap<i64, Vec<u8>>> {
    let mut out = HashMap::new();
    for chunk in parcel_ids.chunks(500) {
        let rows: Vec<(i64, Vec<u8>)> = ld::table
            .filter(ld::company_id.eq(company_id))
            .filter(ld::format.eq(format))
            .filter(ld::parcel_id.eq_any(chunk))
            .select((ld::parcel_id, ld::content))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Keep a label's document (a second copy of the same parcel and format is
/// ignored: documents of a parcel do not change).
pub fn store_document(
    conn: &mut DbConn,
    company_id: i64,
    label_id: i64,
    parcel_id: i64,
    format: &str,
    content: &[u8],
) -> DbResult<()> {
    let exists: i64 = ld::table
        .filter(ld::company_id.eq(company_id))
        .filter(ld::parcel_id.eq(parcel_id))
        .filter(ld::format.eq(format))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    // In a savepoint: inside the caller's transaction on PostgreSQL a unique
    // violation (two workers storing the same adopted label) would abort the
    // whole transaction, and every later statement of it would fail.
    let res = conn.transaction(|c| {
        diesel::insert_into(ld::table)
            .values((
                ld::company_id.eq(company_id),
                ld::label_id.eq(label_id),
                ld::parcel_id.eq(parcel_id),
                ld::format.eq(format),
                ld::content.eq(content),
                ld::created_at.eq(Utc::now().naive_utc()),
            ))
            .execute(c)
    });
    match res {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn file_safe(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "label".into()
    } else {
        out
    }
}

/// The labels' ZPL one after the other (each `^XA … ^XZ`), each ending in a
/// line break.
pub fn merge_zpl(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(p);
        if !p.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

/// An attribute of a page, looked up through its parents (MediaBox and
/// Resources are inheritable).
fn inherited<'a>(doc: &'a Pdf, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return match v {
                Object::Reference(id) => doc.get_object(*id).ok(),
                v => Some(v),
            };
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn rect(o: Option<&Object>) -> Option<[f32; 4]> {
    let a = o?.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut r = [0.0; 4];
    for (i, v) in a.iter().enumerate() {
        r[i] = v.as_float().ok()?;
    }
    (r[2] > r[0] && r[3] > r[1]).then_some(r)
}

/// Merge single-label PDFs (every page of each) into one PDF: one label per
/// A6 page, or four per A4 sheet from the start position on.
pub fn merge_pdfs(parts: &[&[u8]], format: PrintFormat) -> Result<Vec<u8>, String> {
    let mut out = Pdf::with_version("1.5");
    // Every label page as a Form XObject: (id, BBox).
    let mut forms: Vec<(ObjectId, [f32; 4])> = Vec::new();
    for (i, bytes) in parts.iter().enumerate() {
        let mut src = Pdf::load_mem(bytes).map_err(|e| format!("label {}: {e}", i + 1))?;
        src.renumber_objects_with(out.max_id + 1);
        let mut pages = Vec::new();
        for page in src.get_pages().into_values() {
            let content = src
                .get_page_content(page)
                .map_err(|e| format!("label {}: {e}", i + 1))?;
            let bbox = rect(inherited(&src, page, b"MediaBox")).unwrap_or([0.0, 0.0, A6.0, A6.1]);
            let resources = inherited(&src, page, b"Resources")
                .cloned()
                .unwrap_or_else(|| Object::Dictionary(Dictionary::new()));
            pages.push((content, bbox, resources));
        }
        out.max_id = src
            .objects
            .keys()
            .map(|k| k.0)
            .max()
            .unwrap_or(0)
            .max(out.max_id);
        out.objects.extend(src.objects);
        for (content, bbox, resources) in pages {
            let dict = dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => bbox.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
                "Resources" => resources,
            };
            let id = out.add_object(Stream::new(dict, content));
            forms.push((id, bbox));
        }
    }
    if forms.is_empty() {
        return Err("no label pages".into());
    }
    let (page_size, slots, skip): ((f32, f32), Vec<[f32; 4]>, usize) = match format {
        PrintFormat::PdfA4 { start } => {
            let (w, h) = (A4.0 / 2.0, A4.1 / 2.0);
            let slots = (0..4)
                .map(|k| {
                    let (col, row) = ((k % 2) as f32, (k / 2) as f32);
                    [col * w, A4.1 - (row + 1.0) * h, w, h]
                })
                .collect();
            (A4, slots, usize::from(start.clamp(1, 4) - 1))
        }
        _ => (A6, vec![[0.0, 0.0, A6.0, A6.1]], 0),
    };
    let pages_id = out.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    let mut queue = forms.iter();
    let mut first = true;
    loop {
        let mut content = String::new();
        let mut xobjects = Dictionary::new();
        let from = if first { skip } else { 0 };
        first = false;
        for (k, slot) in slots.iter().enumerate().skip(from) {
            let Some((id, b)) = queue.next() else { break };
            let (bw, bh) = (b[2] - b[0], b[3] - b[1]);
            let scale = (slot[2] / bw).min(slot[3] / bh);
            let tx = slot[0] + (slot[2] - bw * scale) / 2.0 - b[0] * scale;
            let ty = slot[1] + (slot[3] - bh * scale) / 2.0 - b[1] * scale;
            let name = format!("L{k}");
            content.push_str(&format!(
                "q {scale:.5} 0 0 {scale:.5} {tx:.3} {ty:.3} cm /{name} Do Q\n"
            ));
            xobjects.set(name, Object::Reference(*id));
        }
        if content.is_empty() {
            break;
        }
        let content_id = out.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let page_id = out.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(page_size.0), Object::Real(page_size.1)],
            "Resources" => dictionary! { "XObject" => xobjects },
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = out.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    out.trailer.set("Root", catalog);
    out.prune_objects();
    out.compress();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF of this size (drawn with lopdf).
    fn page(w: f32, h: f32) -> Vec<u8> {
        let mut doc = Pdf::with_version("1.4");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(Dictionary::new(), b"0 0 m 10 10 l S".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
            "Contents" => content,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", cat);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn pages_of(bytes: &[u8]) -> usize {
        Pdf::load_mem(bytes).unwrap().get_pages().len()
    }

    #[test]
    fn a4_pages_follow_the_start_position() {
        let one = page(A6.0, A6.1);
        let parts: Vec<&[u8]> = vec![one.as_slice(); 5];
        let a6 = merge_pdfs(&parts, PrintFormat::PdfA6).unwrap();
        assert_eq!(pages_of(&a6), 5);
        for (start, sheets) in [(1, 2), (2, 2), (3, 2), (4, 2)] {
            let a4 = merge_pdfs(&parts, PrintFormat::PdfA4 { start }).unwrap();
            assert_eq!(pages_of(&a4), sheets, "start {start}");
        }
        let parts: Vec<&[u8]> = vec![one.as_slice(); 2];
        assert_eq!(
            pages_of(&merge_pdfs(&parts, PrintFormat::PdfA4 { start: 3 }).unwrap()),
            1
        );
        assert_eq!(
            pages_of(&merge_pdfs(&parts, PrintFormat::PdfA4 { start: 4 }).unwrap()),
            2
        );
    }

    #[test]
    fn a_label_lands_scaled_in_its_quarter() {
        // An A4 page shrunk into the top-right quarter (start 2).
        let big = page(A4.0, A4.1);
        let merged = merge_pdfs(&[big.as_slice()], PrintFormat::PdfA4 { start: 2 }).unwrap();
        let doc = Pdf::load_mem(&merged).unwrap();
        let first = *doc.get_pages().values().next().unwrap();
        let content = String::from_utf8(doc.get_page_content(first).unwrap()).unwrap();
        assert!(
            content.starts_with("q 0.50000 0 0 0.50000 297.638 420.945 cm /L1 Do Q"),
            "{content}"
        );
    }

    #[test]
    fn a_broken_pdf_is_an_error_not_a_panic() {
        assert!(merge_pdfs(&[b"not a pdf".as_slice()], PrintFormat::PdfA6).is_err());
        assert!(PrintFormat::parse("a4", Some("7")) == Some(PrintFormat::PdfA4 { start: 1 }));
        assert!(PrintFormat::parse("x", None).is_none());
    }
}
