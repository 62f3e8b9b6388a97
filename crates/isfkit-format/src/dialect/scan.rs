//! Just enough of GLSL's lexical structure for the converters: tokens outside comments with
//! their bracket depth, the names a file declares at its top level, and edits that keep the
//! user's lines where they were (renaming identifiers, commenting a declaration out).

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::mask_comments;

/// A token of comment-free GLSL: an identifier, a number, or one punctuation character.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tok {
    pub range: Range<usize>,
    pub ident: bool,
    /// `{` nesting at the token (a `{` itself is at the outer depth).
    pub braces: u32,
    /// `(` nesting at the token.
    pub parens: u32,
    /// Inside a preprocessor directive's line.
    pub directive: bool,
}

/// The tokens of `code`, comments skipped (positions are `code`'s).
pub(crate) fn tokens(code: &str) -> Vec<Tok> {
    let masked = mask_comments(code);
    let b = masked.as_bytes();
    let mut out = Vec::new();
    let (mut braces, mut parens) = (0u32, 0u32);
    let mut directive = false;
    let mut line_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        if c == b'\n' {
            directive = false;
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if line_start && c == b'#' {
            directive = true;
        }
        line_start = false;
        let start = i;
        let ident = c.is_ascii_alphabetic() || c == b'_';
        if ident || c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                // A number takes its dot; an identifier stops at one (member access).
                if ident && b[i] == b'.' {
                    break;
                }
                i += 1;
            }
        } else {
            // One byte, or a whole UTF-8 character.
            i += 1;
            while i < b.len() && !masked.is_char_boundary(i) {
                i += 1;
            }
        }
        let (open_b, open_p) = (braces, parens);
        match c {
            b'{' if !directive => braces += 1,
            b'}' if !directive => braces = braces.saturating_sub(1),
            b'(' if !directive => parens += 1,
            b')' if !directive => parens = parens.saturating_sub(1),
            _ => {}
        }
        out.push(Tok {
            range: start..i,
            ident,
            braces: open_b.min(braces),
            parens: open_p.min(parens),
            directive,
        });
    }
    out
}

const NOT_NAMES: &[&str] = &[
    "return",
    "if",
    "else",
    "for",
    "while",
    "do",
    "switch",
    "case",
    "default",
    "break",
    "continue",
    "discard",
    "const",
    "uniform",
    "in",
    "out",
    "inout",
    "varying",
    "attribute",
    "precision",
    "highp",
    "mediump",
    "lowp",
    "struct",
    "true",
    "false",
    "layout",
    "flat",
    "smooth",
    "noperspective",
    "invariant",
];

/// The names `code` declares at its top level: functions, global variables, structs and
/// macros (`#define`).
pub(crate) fn top_level_names(code: &str) -> BTreeSet<String> {
    let toks = tokens(code);
    let text = |i: usize| toks.get(i).map_or("", |t| &code[t.range.clone()]);
    let mut names = BTreeSet::new();
    for (i, t) in toks.iter().enumerate() {
        if !t.ident {
            continue;
        }
        let name = text(i);
        if t.directive {
            if text(i.wrapping_sub(1)) == "define" && text(i.wrapping_sub(2)) == "#" {
                names.insert(name.to_owned());
            }
            continue;
        }
        if t.braces != 0 || t.parens != 0 || NOT_NAMES.contains(&name) || i == 0 {
            continue;
        }
        let prev = &toks[i - 1];
        let after_type = prev.ident && !prev.directive && text(i - 1) != "return";
        let struct_name = text(i - 1) == "struct";
        let next = text(i + 1);
        let declares = matches!(next, "(" | ";" | "=" | "," | "[");
        // `float a, b;`: names after a comma at the top level, too.
        let listed = text(i - 1) == "," && matches!(next, ";" | "=" | "," | "[");
        if struct_name || (after_type && declares) || listed {
            names.insert(name.to_owned());
        }
    }
    names
}

/// How many parameters the first top-level definition or declaration of function `name` in
/// `code` takes (`()` and `(void)` take none); `None` when `code` declares no such function.
pub(crate) fn parameter_count(code: &str, name: &str) -> Option<usize> {
    let toks = tokens(code);
    let text = |i: usize| toks.get(i).map_or("", |t| &code[t.range.clone()]);
    let at = (1..toks.len()).find(|&i| {
        let t = &toks[i];
        t.ident
            && !t.directive
            && t.braces == 0
            && t.parens == 0
            && text(i) == name
            && text(i + 1) == "("
            && toks[i - 1].ident
            && text(i - 1) != "return"
    })?;
    let depth = toks[at + 1].parens;
    let mut count = 0;
    let mut any = false;
    for (k, tok) in toks.iter().enumerate().skip(at + 2) {
        let t = text(k);
        if t == ")" && tok.parens <= depth + 1 {
            break;
        }
        if tok.parens == depth + 1 {
            if t == "," {
                count += 1;
            } else if t != "void" {
                any = true;
            }
        }
    }
    Some(if any { count + 1 } else { 0 })
}

/// The identifiers `code` uses (outside comments).
pub(crate) fn identifiers(code: &str) -> BTreeSet<&str> {
    tokens(code)
        .into_iter()
        .filter(|t| t.ident)
        .map(|t| &code[t.range])
        .collect()
}

/// `code` with each identifier in `renames` replaced (not after a `.`, where it names a
/// member). Comments and everything else stay as written.
pub(crate) fn rename(code: &str, renames: &HashMap<String, String>) -> String {
    if renames.is_empty() {
        return code.to_owned();
    }
    let toks = tokens(code);
    let mut out = String::with_capacity(code.len());
    let mut at = 0;
    for (i, t) in toks.iter().enumerate() {
        let after_dot = i > 0 && &code[toks[i - 1].range.clone()] == ".";
        if !t.ident || after_dot {
            continue;
        }
        if let Some(new) = renames.get(&code[t.range.clone()]) {
            out.push_str(&code[at..t.range.start]);
            out.push_str(new);
            at = t.range.end;
        }
    }
    out.push_str(&code[at..]);
    out
}

/// A top-level `uniform`/`varying`/`attribute` declaration: its range (the qualifier to the
/// `;`), its type and its names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Declaration {
    pub range: Range<usize>,
    pub ty: String,
    pub names: Vec<String>,
}

/// The top-level `uniform`, `varying` and `attribute` declarations of `code`.
pub(crate) fn interface_declarations(code: &str) -> Vec<Declaration> {
    let toks = tokens(code);
    let text = |i: usize| toks.get(i).map_or("", |t| &code[t.range.clone()]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let qualifier = matches!(text(i), "uniform" | "varying" | "attribute" | "in");
        if !(t.ident && qualifier && t.braces == 0 && t.parens == 0 && !t.directive) {
            i += 1;
            continue;
        }
        let Some(semi) = (i..toks.len()).find(|&k| text(k) == ";") else {
            break;
        };
        // Precision qualifiers between the qualifier and the type.
        let mut k = i + 1;
        while matches!(text(k), "highp" | "mediump" | "lowp" | "flat" | "smooth") {
            k += 1;
        }
        let ty = text(k).to_owned();
        let mut names = Vec::new();
        let mut depth = 0;
        for (j, tok) in toks.iter().enumerate().take(semi).skip(k + 1) {
            match text(j) {
                "[" | "(" => depth += 1,
                "]" | ")" => depth -= 1,
                _ if depth == 0 && tok.ident && (j == k + 1 || text(j - 1) == ",") => {
                    names.push(text(j).to_owned())
                }
                _ => {}
            }
        }
        out.push(Declaration {
            range: toks[i].range.start..toks[semi].range.end,
            ty,
            names,
        });
        i = semi + 1;
    }
    out
}

/// `code` with the declarations at `ranges` commented out, lines kept: a declaration alone on
/// its lines (comments aside) gets `// ` before it on each line; one that shares a line with
/// other code becomes spaces.
pub(crate) fn comment_out(code: &str, ranges: &[Range<usize>]) -> String {
    let masked = mask_comments(code);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for r in ranges {
        let line_start = masked[..r.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = masked[r.end..]
            .find('\n')
            .map_or(masked.len(), |i| r.end + i);
        let alone = masked[line_start..r.start].trim().is_empty()
            && masked[r.end..line_end].trim().is_empty();
        if alone {
            let mut starts = vec![r.start];
            starts.extend(
                masked[r.start..r.end]
                    .match_indices('\n')
                    .map(|(i, _)| r.start + i + 1),
            );
            edits.extend(starts.into_iter().map(|s| (s..s, "// ".to_owned())));
        } else {
            let blank: String = code[r.clone()]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            edits.push((r.clone(), blank));
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(code.len() + 3 * edits.len());
    let mut at = 0;
    for (r, text) in edits {
        out.push_str(&code[at..r.start]);
        out.push_str(&text);
        at = r.end;
    }
    out.push_str(&code[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_count_reads_a_functions_signature() {
        let code = "// vec2 mainSound(float t)\nfloat f(vec2 p, float s) { return 0.0; }\n\
                    vec2 mainSound(in int samp, float time) { return vec2(f(vec2(0.0), 1.0)); }\n\
                    void g(void) {}";
        assert_eq!(parameter_count(code, "mainSound"), Some(2));
        assert_eq!(parameter_count(code, "f"), Some(2));
        assert_eq!(parameter_count(code, "g"), Some(0));
        assert_eq!(parameter_count(code, "h"), None);
        assert_eq!(
            parameter_count("vec2 mainSound( float time ) {}", "mainSound"),
            Some(1)
        );
    }

    #[test]
    fn top_level_names_are_functions_globals_structs_and_macros() {
        let code =
            "#define PI 3.14\nstruct Ray { vec3 o; };\nfloat t = 1.0, u;\nconst int N = 4;\n\
                    float map(vec3 p) { float local = 1.0; return local; }\n\
                    void mainImage(out vec4 c, in vec2 f) { c = vec4(map(vec3(f, 0.0))); }\n";
        let names: Vec<String> = top_level_names(code).into_iter().collect();
        assert_eq!(names, ["N", "PI", "Ray", "mainImage", "map", "t", "u"]);
    }

    #[test]
    fn renames_skip_members_and_comments() {
        let renames = HashMap::from([("map".to_owned(), "map_bufferA".to_owned())]);
        let code = "float map(vec3 p) { return s.map + map(p); } // map\n";
        assert_eq!(
            rename(code, &renames),
            "float map_bufferA(vec3 p) { return s.map + map_bufferA(p); } // map\n"
        );
    }

    #[test]
    fn declarations_are_commented_out_in_place() {
        let code = "uniform float time; // seconds\nuniform vec2 mouse, resolution;\nfloat x; uniform float a; float y;\n";
        let decls = interface_declarations(code);
        assert_eq!(decls[1].names, ["mouse", "resolution"]);
        assert_eq!(decls[1].ty, "vec2");
        let ranges: Vec<_> = decls.iter().map(|d| d.range.clone()).collect();
        assert_eq!(
            comment_out(code, &ranges),
            "// uniform float time; // seconds\n// uniform vec2 mouse, resolution;\nfloat x;                  float y;\n"
        );
    }
}
