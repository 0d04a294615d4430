//! A minimal PDF 1.4 writer for one image on one landscape A4 page.
//!
//! Contract: [`single_image_pdf`] returns a complete, valid PDF (header, catalog, pages, one
//! page, its content stream, one Flate-compressed DeviceRGB image XObject, an info dictionary
//! with the title, a cross-reference table with exact byte offsets, and the trailer). The
//! image keeps its aspect ratio and is centred within 24 pt margins.

const PAGE_W: f64 = 841.89;
const PAGE_H: f64 = 595.28;
const MARGIN: f64 = 24.0;

/// Escapes a PDF literal string (`(`, `)`, `\`) and drops non-ASCII characters.
fn pdf_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('(');
    for ch in s.chars() {
        match ch {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// Builds a one-page PDF showing an RGB8 image of `width` × `height` pixels.
pub(crate) fn single_image_pdf(title: &str, rgb: &[u8], width: u32, height: u32) -> Vec<u8> {
    let data = miniz_oxide::deflate::compress_to_vec_zlib(rgb, 6);
    let scale = ((PAGE_W - 2.0 * MARGIN) / f64::from(width))
        .min((PAGE_H - 2.0 * MARGIN) / f64::from(height));
    let (dw, dh) = (f64::from(width) * scale, f64::from(height) * scale);
    let (dx, dy) = ((PAGE_W - dw) / 2.0, (PAGE_H - dh) / 2.0);
    let content = format!("q\n{dw:.2} 0 0 {dh:.2} {dx:.2} {dy:.2} cm\n/Im1 Do\nQ\n");

    let mut out: Vec<u8> = Vec::with_capacity(data.len() + 2048);
    let mut offsets = Vec::new();
    out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    obj(
        &mut out,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
             /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>"
        )
        .as_bytes(),
    );
    obj(
        &mut out,
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        )
        .as_bytes(),
    );
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB \
         /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n",
        data.len()
    )
    .into_bytes();
    image.extend_from_slice(&data);
    image.extend_from_slice(b"\nendstream");
    obj(&mut out, &image);
    obj(
        &mut out,
        format!("<< /Title {} /Producer (Pulsemap) >>", pdf_string(title)).as_bytes(),
    );

    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for off in &offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_titles() {
        assert_eq!(super::pdf_string("a (b) \\ é"), "(a \\(b\\) \\\\ ?)");
    }
}
