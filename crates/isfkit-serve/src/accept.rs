//! HTTP content negotiation: which of the media types a route can answer with the client's
//! `Accept` header prefers (RFC 9110, section 12.5.1).
//!
//! - Each media range is `type/subtype`, `type/*` or `*/*`, with an optional weight `q` from
//!   0 to 1 (default 1); `q=0` means "not this one".
//! - A type takes the weight of the most specific range that matches it (`image/png` before
//!   `image/*` before `*/*`), whatever their order in the header; a type no range matches is
//!   not acceptable.
//! - The answer is the acceptable type of the highest weight; among equal weights, the one
//!   named more specifically, then the one the server lists first.
//! - No `Accept` header, or one with no range that parses, accepts anything: the server's
//!   first type. Ranges that do not parse are skipped; parameters other than `q` are
//!   ignored (the types isfkit answers with carry none).

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRange {
    /// Lowercase; `*` for any.
    pub kind: String,
    /// Lowercase; `*` for any.
    pub subtype: String,
    /// The weight in thousandths (0 to 1000).
    pub q: u16,
}

impl MediaRange {
    /// How specifically this range names `media_type` (`type/subtype`, lowercase): 2 for the
    /// type itself, 1 for `type/*`, 0 for `*/*`; `None` when it does not match.
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k == kind => Some(1),
            (k, s) if k == kind && s == subtype => Some(2),
            _ => None,
        }
    }
}

/// Splits on `sep` outside double-quoted strings (a quoted parameter value may hold `,`
/// or `;`).
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A token of RFC 9110 (the characters a type or subtype may have).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A weight: `0`, `1`, or a decimal between them with up to three decimals. Thousandths.
fn qvalue(s: &str) -> Option<u16> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_thousandths = format!("{frac:0<3}").parse::<u16>().ok()?;
    match int {
        "0" => Some(frac_thousandths),
        "1" if frac_thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// One element of the header: `type/subtype *( ; param )`, or `None` when it does not parse.
fn media_range(element: &str) -> Option<MediaRange> {
    let mut parts = split_unquoted(element, ';').into_iter();
    let (kind, subtype) = parts.next()?.trim().split_once('/')?;
    let (kind, subtype) = (kind.trim(), subtype.trim());
    if !is_token(kind) || !is_token(subtype) || (kind == "*" && subtype != "*") {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            q = qvalue(value.trim())?;
            // What follows the weight are accept-extensions, which no one defines.
            break;
        }
    }
    Some(MediaRange {
        kind: kind.to_ascii_lowercase(),
        subtype: subtype.to_ascii_lowercase(),
        q,
    })
}

/// The media ranges of an `Accept` header's value, in their order; elements that do not parse
/// are left out.
pub fn parse(header: &str) -> Vec<MediaRange> {
    split_unquoted(header, ',')
        .into_iter()
        .filter(|e| !e.trim().is_empty())
        .filter_map(media_range)
        .collect()
}

/// The weight (thousandths) and specificity with which `ranges` accept `media_type`: those of
/// the most specific matching range (the first of equally specific ones), or `None` when no
/// range matches.
fn weight(ranges: &[MediaRange], media_type: &str) -> Option<(u16, u8)> {
    let mut best: Option<(u16, u8)> = None;
    for r in ranges {
        if let Some(s) = r.specificity(media_type) {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((r.q, s));
            }
        }
    }
    best
}

/// Of `offered` (`type/subtype`, lowercase, the server's preference first), the one the
/// client's `Accept` header value prefers, or `None` when it accepts none of them. `None` for
/// the header (no `Accept`) accepts the first.
pub fn negotiate<'a>(header: Option<&str>, offered: &[&'a str]) -> Option<&'a str> {
    let ranges = header.map(parse).unwrap_or_default();
    if ranges.is_empty() {
        return offered.first().copied();
    }
    let mut best: Option<(&'a str, (u16, u8))> = None;
    for &t in offered {
        let Some(w) = weight(&ranges, &t.to_ascii_lowercase()) else {
            continue;
        };
        if w.0 == 0 {
            continue;
        }
        if best.is_none_or(|(_, b)| w > b) {
            best = Some((t, w));
        }
    }
    best.map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDER: &[&str] = &["application/json", "image/png", "image/jpeg"];

    fn range(kind: &str, subtype: &str, q: u16) -> MediaRange {
        MediaRange {
            kind: kind.into(),
            subtype: subtype.into(),
            q,
        }
    }

    #[test]
    fn parses_ranges_weights_and_wildcards() {
        assert_eq!(
            parse("image/PNG;q=0, Image/jpeg , */*;q=0.25,image/*; Q=0.5"),
            vec![
                range("image", "png", 0),
                range("image", "jpeg", 1000),
                range("*", "*", 250),
                range("image", "*", 500),
            ]
        );
        assert_eq!(
            parse("image/png;q=1.000"),
            vec![range("image", "png", 1000)]
        );
        assert_eq!(parse("image/png;q=0.001"), vec![range("image", "png", 1)]);
        assert_eq!(parse("image/png;q=0."), vec![range("image", "png", 0)]);
        // Media-type parameters (quoted ones too) are skipped; what follows q is ignored.
        assert_eq!(
            parse(r#"text/html;level="a,b;c";q=0.7;ext=1, image/png"#),
            vec![range("text", "html", 700), range("image", "png", 1000)]
        );
    }

    #[test]
    fn skips_what_does_not_parse() {
        for bad in [
            "",
            " , ,",
            "png",
            "image/",
            "/png",
            "*/png",
            "image/png/x",
            "image /p ng",
            "image/png;q=2",
            "image/png;q=-1",
            "image/png;q=0.1234",
            "image/png;q=1.5",
            "image/png;q=abc",
            "image/png;q=",
            "image/png;q=nan",
        ] {
            assert_eq!(parse(bad), vec![], "{bad:?}");
        }
        assert_eq!(
            parse("nonsense, image/jpeg;q=0.5"),
            vec![range("image", "jpeg", 500)]
        );
    }

    #[test]
    fn a_zero_weight_refuses_a_type() {
        let n = |h| negotiate(Some(h), RENDER);
        assert_eq!(n("image/png;q=0, image/jpeg"), Some("image/jpeg"));
        assert_eq!(n("image/png;q=0, image/*"), Some("image/jpeg"));
        assert_eq!(n("image/*;q=0, image/png"), Some("image/png"));
        assert_eq!(n("*/*;q=0, image/jpeg;q=0.1"), Some("image/jpeg"));
        assert_eq!(n("application/json;q=0, */*"), Some("image/png"));
    }

    #[test]
    fn the_highest_weight_wins() {
        let n = |h| negotiate(Some(h), RENDER);
        assert_eq!(n("image/png;q=0.5, image/jpeg;q=0.8"), Some("image/jpeg"));
        assert_eq!(
            n("application/json;q=0.9, image/png;q=0.8"),
            Some("application/json")
        );
        assert_eq!(n("image/png, application/json;q=0.9"), Some("image/png"));
        assert_eq!(n("*/*;q=0.1, image/jpeg"), Some("image/jpeg"));
        // The most specific range sets a type's weight, wherever it stands.
        assert_eq!(
            n("image/png;q=0.2, image/*;q=0.9, application/json;q=0.5"),
            Some("image/jpeg")
        );
        assert_eq!(n("*/*;q=0.9, application/json;q=0.1"), Some("image/png"));
    }

    #[test]
    fn ties_go_to_the_more_specific_range_then_to_the_server() {
        let n = |h| negotiate(Some(h), RENDER);
        assert_eq!(n("*/*"), Some("application/json"));
        assert_eq!(n("image/*"), Some("image/png"));
        assert_eq!(n("image/png, */*"), Some("image/png"));
        assert_eq!(n("image/*, image/jpeg"), Some("image/jpeg"));
        assert_eq!(n("image/jpeg, image/png"), Some("image/png"));
        assert_eq!(n("image/png, application/json"), Some("application/json"));
        assert_eq!(n("image/jpeg"), Some("image/jpeg"));
        assert_eq!(n("image/png"), Some("image/png"));
        assert_eq!(n("application/json"), Some("application/json"));
        // A browser's Accept for a page.
        assert_eq!(
            n("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
            Some("application/json")
        );
    }

    #[test]
    fn nothing_acceptable() {
        let n = |h| negotiate(Some(h), RENDER);
        assert_eq!(n("text/html"), None);
        assert_eq!(n("image/webp, text/*"), None);
        assert_eq!(n("image/png;q=0"), None);
        assert_eq!(n("*/*;q=0"), None);
        assert_eq!(n("image/png;q=0, image/jpeg;q=0, application/*;q=0"), None);
        assert_eq!(negotiate(Some("image/png"), &["application/json"]), None);
    }

    #[test]
    fn no_usable_header_accepts_the_first_type() {
        assert_eq!(negotiate(None, RENDER), Some("application/json"));
        assert_eq!(negotiate(Some(""), RENDER), Some("application/json"));
        assert_eq!(negotiate(Some("garbage"), RENDER), Some("application/json"));
        assert_eq!(negotiate(None, &[]), None);
    }

    #[test]
    fn types_and_wildcards_compare_without_case() {
        assert_eq!(negotiate(Some("IMAGE/JPEG"), RENDER), Some("image/jpeg"));
        assert_eq!(negotiate(Some("Image/*"), RENDER), Some("image/png"));
    }
}
