//! Hand-built minimal PDF 1.4 documents (labels, customs documents): one page per label,
//! Helvetica text, a correct cross-reference table. A4 is 595x842 points, A5 420x595, A6 298x420.

use std::fmt::Write as _;

/// Page sizes in PostScript points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSize {
    A4,
    A5,
    A6,
}

impl PageSize {
    fn dims(self) -> (u32, u32) {
        match self {
            PageSize::A4 => (595, 842),
            PageSize::A5 => (420, 595),
            PageSize::A6 => (298, 420),
        }
    }
}

/// Escapes text for a PDF literal string; non-ASCII is replaced by '?'.
fn pdf_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '(' => "\\(".to_string(),
            ')' => "\\)".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
            'ä' => "ae".to_string(),
            'ö' => "oe".to_string(),
            'ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            'Ä' => "Ae".to_string(),
            'Ö' => "Oe".to_string(),
            'Ü' => "Ue".to_string(),
            _ => "?".to_string(),
        })
        .collect()
}

/// Builds a PDF with one page per entry of `pages`; each page is a list of text lines.
/// On A4 pages `offset` (0..3) moves the text to that quarter of the sheet
/// (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right).
pub fn build(size: PageSize, pages: &[Vec<String>], offset: u8) -> Vec<u8> {
    let (w, h) = size.dims();
    let pages: Vec<Vec<String>> = if pages.is_empty() {
        vec![vec![String::new()]]
    } else {
        pages.to_vec()
    };
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
    let mut objects: Vec<String> = Vec::with_capacity(3 + 2 * n);
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_string());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        n
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string());
    let (x0, y0) = match (size, offset) {
        (PageSize::A4, 1) => (w / 2 + 30, h - 60),
        (PageSize::A4, 2) => (30, h / 2 - 60),
        (PageSize::A4, 3) => (w / 2 + 30, h / 2 - 60),
        _ => (24, h - 40),
    };
    for (i, lines) in pages.iter().enumerate() {
        let mut content = String::new();
        let _ = writeln!(content, "0.5 w 12 12 {} {} re S", w - 24, h - 24);
        content.push_str("BT\n/F1 12 Tf\n14 TL\n");
        let _ = writeln!(content, "{x0} {y0} Td");
        for line in lines {
            let _ = writeln!(content, "({}) Tj T*", pdf_text(line));
        }
        content.push_str("ET\n");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{}endstream",
            content.len(),
            content
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, obj).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(tail, "{o:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
        objects.len() + 1,
        xref
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xref_offsets_point_at_objects() {
        let pdf = build(
            PageSize::A6,
            &[vec!["Hello (World)".into()], vec!["Zweite Seite ß".into()]],
            0,
        );
        let text = String::from_utf8_lossy(&pdf).to_string();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[startxref..].starts_with(b"xref"));
        let xref = String::from_utf8_lossy(&pdf[startxref..]).to_string();
        for (i, line) in xref.lines().skip(3).take(7).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(
                pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        assert!(text.contains("/MediaBox [0 0 298 420]"));
    }
}
