//! Varyings: the locations both stages share so they link, and the first pass that collects
//! every varying of a stage before either stage is rewritten.

use super::decls::{is_varying_type, varying_slots};
use super::*;

/// Varying names and their locations, shared by both stages so they link.
#[derive(Debug, Default, Clone)]
pub struct Varyings {
    /// (name, declaration text `TYPE name[N]` without qualifiers, location)
    pub entries: Vec<(String, String, u32)>,
    next: u32,
}

impl Varyings {
    pub fn new() -> Self {
        // isf_FragNormCoord is always location 0.
        Varyings {
            entries: Vec::new(),
            next: 1,
        }
    }

    /// A location for a varying isfkit itself passes (not in `entries`).
    pub fn reserve(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    pub(super) fn location(&mut self, name: &str, decl: &str, slots: u32) -> u32 {
        if let Some(e) = self.entries.iter().find(|e| e.0 == name) {
            return e.2;
        }
        let loc = self.next;
        self.next += slots.max(1);
        self.entries.push((name.to_owned(), decl.to_owned(), loc));
        loc
    }
}

/// Collects every varying of a stage into `varyings` (first pass, so both stages agree).
pub fn collect_varyings(
    src: &str,
    toks: &[Token],
    renames: &[Option<String>],
    stage: Stage,
    varyings: &mut Varyings,
    layout: &Layout,
) {
    let rw = Rewriter::new(src, toks, renames, stage, layout);
    let n = toks.len();
    let mut i = 0;
    // Braces and parentheses, counted apart and never below zero: `in`/`out` of a
    // function's parameters are no varyings, nor is an `in` in a body that a stray `)`
    // unbalanced (the fragment's own error; the vertex shader must not declare it).
    let (mut braces, mut parens) = (0u32, 0u32);
    while i < n {
        if toks[i].directive {
            i += 1;
            continue;
        }
        let s = rw.text(i);
        if s == "{" {
            braces += 1;
        } else if s == "}" {
            braces = braces.saturating_sub(1);
        } else if s == "(" {
            parens += 1;
        } else if s == ")" {
            parens = parens.saturating_sub(1);
        } else if braces == 0 && parens == 0 && matches!(s, "varying" | "in" | "out") {
            let is_input_or_output = matches!(
                (s, stage),
                ("varying", _) | ("out", Stage::Vertex) | ("in", Stage::Fragment)
            );
            let start = (0..i)
                .rev()
                .take_while(|&k| QUALIFIERS.contains(&rw.text(k)))
                .last()
                .unwrap_or(i);
            let end = rw.statement_end(i);
            let has_layout = (start..end).any(|k| rw.text(k) == "layout");
            if is_input_or_output && !has_layout && end < n {
                let mut k = i + 1;
                while k < end && QUALIFIERS.contains(&rw.text(k)) {
                    k += 1;
                }
                // Only the types a varying can have: anything else is an error the stage's
                // rewriter reports, and must not reach the other stage as a declaration.
                if k < end && is_varying_type(rw.text(k)) {
                    let ty = rw.text(k);
                    for (_, nm, suffix) in rw.varying_declarators(start, k, end) {
                        let slots = varying_slots(ty, &suffix);
                        varyings.location(nm, &format!("{ty} {nm}{suffix}"), slots);
                    }
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
}
