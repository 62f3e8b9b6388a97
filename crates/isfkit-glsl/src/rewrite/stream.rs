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
pub(super) fn bracket_pairs(src: &str, toks: &[Token], renames: &[Option<String>]) -> Vec<usize> {
    let mut pairs = vec![NONE; toks.len()];
    let mut open: [Vec<usize>; 3] = Default::default();
    for (i, t) in toks.iter().enumerate() {
        if matches!(renames.get(i), Some(Some(_))) {
            continue;
        }
        let text = &src[t.start..t.end];
        if let Some(k) = ["(", "[", "{"].iter().position(|o| *o == text) {
            open[k].push(i);
        } else if let Some(k) = [")", "]", "}"].iter().position(|c| *c == text) {
            if let Some(o) = open[k].pop() {
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
