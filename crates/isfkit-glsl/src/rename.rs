//! Before the rewrite: precision qualifiers are blanked out of the (comment-free) text, and
//! user names that GLSL 4.50 took as keywords or built-ins (see [`crate::words`]) get their
//! generated spelling.

use std::collections::HashMap;

use crate::lex::{self, Kind, Token};
use crate::words::{self, RENAME_PREFIX};

/// Replaces `lowp`/`mediump`/`highp` and whole `precision ... ;` statements with spaces
/// (GLSL 1.20 reserves these words, GLSL ES and WebGL ports use them, desktop GL ignores
/// them; naga rejects them in some places). Offsets stay those of the user's text.
pub fn blank_precision(src: &str) -> String {
    let toks = lex::tokenize(src);
    let mut bytes = src.as_bytes().to_vec();
    let text = |t: &Token| &src[t.start..t.end];
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let w = text(&t);
        if t.kind == Kind::Ident && matches!(w, "lowp" | "mediump" | "highp") {
            bytes[t.start..t.end].fill(b' ');
        } else if t.kind == Kind::Ident && w == "precision" && !t.directive {
            let mut j = i;
            while j < toks.len() && text(&toks[j]) != ";" {
                j += 1;
            }
            let end = toks.get(j).map_or(src.len(), |t| t.end);
            for b in &mut bytes[t.start..end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    String::from_utf8(bytes).unwrap_or_else(|_| src.to_owned())
}

/// Words that precede a declared name but are not types.
const NOT_A_TYPE: &[&str] = &[
    "return",
    "else",
    "case",
    "do",
    "in",
    "out",
    "inout",
    "const",
    "uniform",
    "varying",
    "attribute",
    "centroid",
    "invariant",
    "flat",
    "smooth",
    "noperspective",
    "discard",
    "layout",
    "precision",
    "struct",
    "break",
    "continue",
    "if",
    "while",
    "for",
    "switch",
    "default",
    "sizeof",
];

/// Qualifiers that may start a declaration statement.
const DECL_QUALIFIERS: &[&str] = &[
    "const",
    "uniform",
    "varying",
    "attribute",
    "in",
    "out",
    "inout",
    "centroid",
    "invariant",
    "flat",
    "smooth",
    "noperspective",
];

/// How a renamable word is declared in a stage.
#[derive(Default, Clone, Copy)]
struct Declared {
    /// As a function (or a macro): every use is renamed.
    function: bool,
    /// As a variable, field, parameter or type: uses not followed by `(` are renamed (a
    /// built-in function of the same name stays callable).
    variable: bool,
}

/// For each token, its generated spelling when it differs from the user's. `header_names`
/// are the ISF inputs, pass targets and imported images (variables in every stage).
pub fn token_renames(src: &str, toks: &[Token], header_names: &[String]) -> Vec<Option<String>> {
    let text = |i: usize| &src[toks[i].start..toks[i].end];
    let mut declared: HashMap<&str, Declared> = HashMap::new();
    for name in header_names {
        if words::glsl_name(name) != *name && !words::code_uses_as_keyword(name) {
            if let Some(i) = (0..toks.len()).find(|&i| text(i) == name) {
                declared.entry(text(i)).or_default().variable = true;
            }
        }
    }
    for i in 0..toks.len() {
        if toks[i].kind != Kind::Ident || !words::needs_rename(text(i)) {
            continue;
        }
        let w = text(i);
        let prev = if i > 0 { text(i - 1) } else { "" };
        let next = if i + 1 < toks.len() { text(i + 1) } else { "" };
        if toks[i].directive {
            // `#define NAME ...`
            if prev == "define" && i >= 2 && text(i - 2) == "#" {
                declared.entry(w).or_default().function = true;
            }
            continue;
        }
        let is_decl = if prev == "struct" {
            true
        } else if !matches!(next, "=" | ";" | "," | "[" | ")" | "(") {
            false
        } else if i > 0
            && toks[i - 1].kind == Kind::Ident
            && !NOT_A_TYPE.contains(&prev)
            && !toks[i - 1].directive
        {
            true
        } else if prev == "," {
            later_declarator(src, toks, i)
        } else {
            false
        };
        if is_decl {
            let d = declared.entry(w).or_default();
            if next == "(" && prev != "struct" {
                d.function = true;
            } else {
                d.variable = true;
            }
        }
    }
    (0..toks.len())
        .map(|i| {
            if toks[i].kind != Kind::Ident || (toks[i].directive && i > 0 && text(i - 1) == "#") {
                return None;
            }
            let w = text(i);
            let d = declared.get(w)?;
            let call = i + 1 < toks.len() && text(i + 1) == "(";
            let rename = d.function || words::is_new_keyword(w) || !call;
            rename.then(|| format!("{RENAME_PREFIX}{w}"))
        })
        .collect()
}

/// Whether the name at `i`, after a `,`, is a later declarator of a declaration statement
/// (`float a, sample;`).
fn later_declarator(src: &str, toks: &[Token], i: usize) -> bool {
    let text = |i: usize| &src[toks[i].start..toks[i].end];
    let mut depth = 0;
    let mut j = i;
    let start = loop {
        if j == 0 {
            break 0;
        }
        j -= 1;
        match text(j) {
            ")" | "]" => depth += 1,
            "(" | "[" => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            ";" | "{" | "}" if depth == 0 => break j + 1,
            _ => {}
        }
        if toks[j].directive {
            break j + 1;
        }
    };
    let mut k = start;
    while k < i && DECL_QUALIFIERS.contains(&text(k)) {
        k += 1;
    }
    k + 1 < i
        && toks[k].kind == Kind::Ident
        && toks[k + 1].kind == Kind::Ident
        && !NOT_A_TYPE.contains(&text(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(src: &str, header: &[&str]) -> String {
        let toks = lex::tokenize(src);
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let r = token_renames(src, &toks, &header);
        toks.iter()
            .zip(r)
            .map(|(t, r)| r.unwrap_or_else(|| src[t.start..t.end].to_owned()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn renames_declared_words_only() {
        // (source, names the header declares, the tokens after renaming)
        let cases: &[(&str, &[&str], &str)] = &[
            (
                "float sample = 1.0; x = sample;",
                &[],
                "float isf_id_sample = 1.0 ; x = isf_id_sample ;",
            ),
            // A built-in used, not declared, stays.
            ("x = texture(t, uv);", &[], "x = texture ( t , uv ) ;"),
            // A variable named like a built-in function: calls still reach the built-in.
            (
                "float round = 1.0; y = round(round);",
                &[],
                "float isf_id_round = 1.0 ; y = round ( isf_id_round ) ;",
            ),
            (
                "vec4 texture(vec2 p) { return vec4(p, 0., 1.); } y = texture(p);",
                &[],
                "vec4 isf_id_texture ( vec2 p ) { return vec4 ( p , 0. , 1. ) ; } y = isf_id_texture ( p ) ;",
            ),
            (
                "float a, smooth; f(a, b);",
                &[],
                "float a , isf_id_smooth ; f ( a , b ) ;",
            ),
            (
                "y = filter * 2.0;",
                &["filter"],
                "y = isf_id_filter * 2.0 ;",
            ),
        ];
        for (src, header, want) in cases {
            assert_eq!(renamed(src, header), *want, "{src}");
        }
    }

    #[test]
    fn precision_is_blanked() {
        let src = "precision highp float;\nfloat f(highp float a) { lowp vec2 b; }";
        let out = blank_precision(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(
            out,
            "                      \nfloat f(      float a) {      vec2 b; }"
        );
    }
}
