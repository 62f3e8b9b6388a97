//! Token-stream utilities of the rewriter: a token's (possibly renamed) text, copying and
//! replacing tokens with the whitespace between them, bracket pairs, statement and directive
//! ends, and a call's arguments.

use super::*;

const NONE: usize = usize::MAX;

/// For each token of `toks`, the end of the directive it is part of (see
/// [`lex::directives`]), else `NONE`.
pub(super) fn directive_ends(src: &str, toks: &[Token]) -> Vec<usize> {
    let mut ends = vec![NONE; toks.len()];
    for d in lex::directives(src, toks) {
        ends[d.clone()].fill(d.end);
    }
    ends
}

/// The closing bracket of each opening one, per kind, as a depth count of that kind finds
/// it; an opening bracket never closed gets `NONE`.
///
/// Conditional directives are followed as a C compiler's reader of either branch would: each
/// branch of an `#if`/`#ifdef`/`#ifndef` group starts from the brackets open at the `#if`, and
/// after `#endif` the brackets open are those the first branch left. So a function header
/// chosen by `#ifdef` (`#ifdef AA` `vec3 f(vec2 p, float s) {` `#else` `vec3 f(vec2 p) {`
/// `#endif`) opens one body, closed by the `}` after the group; the other branch's `{` stays
/// unpaired (the preprocessor drops one of them).
pub(super) fn bracket_pairs(src: &str, toks: &[Token], renames: &[Option<String>]) -> Vec<usize> {
    type Open = [Vec<usize>; 3];
    let mut pairs = vec![NONE; toks.len()];
    let mut open: Open = Default::default();
    // Per conditional group: the brackets open at its `#if`, and those its first branch left.
    let mut groups: Vec<(Open, Option<Open>)> = Vec::new();
    // Brackets inside a directive (a macro's body) pair among themselves.
    let mut in_directive: Open = Default::default();
    let directives = lex::directives(src, toks);
    let starts: std::collections::HashSet<usize> = directives.iter().map(|d| d.start).collect();
    let conditionals: std::collections::HashMap<usize, String> = directives
        .into_iter()
        .filter(|d| d.len() >= 2)
        .map(|d| {
            let name = &src[toks[d.start + 1].start..toks[d.start + 1].end];
            (d.start, name.to_ascii_lowercase())
        })
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if starts.contains(&i) {
            in_directive = Default::default();
        }
        if let Some(name) = conditionals.get(&i) {
            match name.as_str() {
                "if" | "ifdef" | "ifndef" => groups.push((open.clone(), None)),
                "elif" | "else" => {
                    if let Some((at_if, first)) = groups.last_mut() {
                        if first.is_none() {
                            *first = Some(std::mem::replace(&mut open, at_if.clone()));
                        } else {
                            open = at_if.clone();
                        }
                    }
                }
                "endif" => {
                    if let Some((_, Some(first))) = groups.pop() {
                        open = first;
                    }
                }
                _ => {}
            }
            continue;
        }
        if matches!(renames.get(i), Some(Some(_))) {
            continue;
        }
        let stacks = if t.directive {
            &mut in_directive
        } else {
            &mut open
        };
        let text = &src[t.start..t.end];
        if let Some(k) = ["(", "[", "{"].iter().position(|o| *o == text) {
            stacks[k].push(i);
        } else if let Some(k) = [")", "]", "}"].iter().position(|c| *c == text) {
            if let Some(o) = stacks[k].pop() {
                pairs[o] = i;
            }
        }
    }
    pairs
}

impl<'a> Rewriter<'a> {
    pub(super) fn text(&self, i: usize) -> &'a str {
        if let Some(Some(r)) = self.renames.get(i) {
            return r;
        }
        let t = self.toks[i];
        &self.src[t.start..t.end]
    }

    pub(super) fn is(&self, i: usize, s: &str) -> bool {
        i < self.toks.len() && self.text(i) == s
    }

    /// Copies the whitespace between the cursor and `upto`.
    pub(super) fn gap(&mut self, e: &mut Emitter, upto: usize) {
        if upto > self.cursor {
            let ws = &self.src[self.cursor..upto];
            e.verbatim(ws, self.cursor);
        }
        self.cursor = self.cursor.max(upto);
    }

    pub(super) fn tok_verbatim(&mut self, e: &mut Emitter, i: usize) {
        let t = self.toks[i];
        self.gap(e, t.start);
        match self.renames.get(i) {
            Some(Some(r)) => e.replaced(r, t.start),
            _ => e.verbatim(&self.src[t.start..t.end], t.start),
        }
        self.cursor = t.end;
    }

    /// Writes token `i`'s (possibly renamed) text into `e` without moving the cursor.
    pub(super) fn name_into(&self, e: &mut Emitter, i: usize) {
        match self.renames.get(i) {
            Some(Some(r)) => e.replaced(r, self.toks[i].start),
            _ => e.verbatim(self.text(i), self.toks[i].start),
        }
    }

    pub(super) fn tok_replace(&mut self, e: &mut Emitter, i: usize, with: &str) {
        let t = self.toks[i];
        self.gap(e, t.start);
        e.replaced(with, t.start);
        self.cursor = t.end;
    }

    /// Index of the token closing the bracket opened at `open`, within `end`.
    pub(super) fn matching(&self, open: usize, end: usize) -> Option<usize> {
        self.pairs
            .get(open)
            .copied()
            .filter(|&c| c != NONE && c < end)
    }

    /// Splits the arguments of the call whose `(` is at `open` and `)` at `close` at top-level
    /// commas: token ranges `[a, b)` (none for `()`).
    pub(super) fn split_args(&self, open: usize, close: usize) -> Vec<(usize, usize)> {
        let (args, _) = lex::split_args(|i| self.text(i), open, Some(close), close)
            .expect("the closing parenthesis is given");
        if let [only] = &args[..] {
            if only.is_empty() {
                return Vec::new();
            }
        }
        args.into_iter().map(|r| (r.start, r.end)).collect()
    }

    /// Index of the first token at or after `from` that is `;` or `{` at bracket depth 0.
    pub(super) fn statement_end(&self, from: usize) -> usize {
        let mut depth = 0i32;
        let mut i = from;
        while i < self.toks.len() {
            if !self.toks[i].directive {
                match self.text(i) {
                    "(" | "[" => depth += 1,
                    ")" | "]" => depth -= 1,
                    ";" | "{" if depth <= 0 => return i,
                    _ => {}
                }
            }
            i += 1;
        }
        self.toks.len()
    }

    /// The end (exclusive) of the directive token `i` belongs to (see
    /// [`lex::directive_spans`]).
    pub(super) fn directive_end(&self, i: usize) -> usize {
        self.directive_ends[i]
    }
}
