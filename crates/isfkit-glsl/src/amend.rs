//! GLSL that naga's front end refuses for want of a type it only knows after parsing, mended
//! in the generated text at the place naga names, and parsed again.
//!
//! The token rewriter knows no types; naga's front end does, and says where it stopped. Each
//! mend here is the GLSL meaning written in a form naga takes:
//! - **A swizzle of a scalar** (`f.x`, `f.xx`; GLSL 4.20): `(f)`, `vec2(f)`.
//! - **A component of a matrix column as an assignment's target** (`m[0].y = 0.5`): `m[0][1]`.
//! - **`==`/`!=` on structs and arrays**: member by member (element by element), joined by
//!   `&&`, negated for `!=`; a member that is itself a struct is mended in the next round.
//! - **`%` between a vector and a scalar** (`ivec2(7, 9) % 4`): the scalar as a vector.
//!
//! Each round mends what one parse reports; a shader takes at most [`MAX_ROUNDS`].

use std::ops::Range;

use naga::{Expression, Module, ScalarKind, TypeInner};

/// Rounds of parse-and-mend before the errors stand.
pub(crate) const MAX_ROUNDS: usize = 16;

/// Text to put in place of a range of the generated GLSL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mend {
    pub range: Range<usize>,
    pub text: String,
}

/// Mends for the front end's errors; empty when none of them is a form mended here.
pub(crate) fn for_parse_errors(glsl: &str, errors: &[naga::front::glsl::Error]) -> Vec<Mend> {
    errors
        .iter()
        .filter_map(|e| {
            let at = e.meta.to_range()?;
            let message = e.kind.to_string();
            if let Some(field) = quoted_after(&message, "Can't lookup field on this type ") {
                return field_mend(glsl, at.start, &field);
            }
            if message.contains("IncompatibleOperands(\"Equal(")
                || message.contains("IncompatibleOperands(\"NotEqual(")
            {
                return comparison_mend(glsl, at, &message);
            }
            None
        })
        .collect()
}

/// The text between the double quotes that follow `prefix` in `message`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1.strip_prefix('"')?;
    Some(rest.split('"').next()?.to_owned())
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where the postfix expression that ends at `end` starts: `a.b[i].c`, `f(x)`, `(x + y)`.
fn postfix_start(glsl: &str, end: usize) -> usize {
    let b = glsl.as_bytes();
    let skip_ws = |mut j: usize| {
        while j > 0 && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        j
    };
    let mut i = end;
    loop {
        let j = skip_ws(i);
        if j == 0 {
            return i;
        }
        match b[j - 1] {
            close @ (b')' | b']') => {
                let open = if close == b')' { b'(' } else { b'[' };
                let mut depth = 0usize;
                let mut k = j;
                loop {
                    if k == 0 {
                        return i;
                    }
                    k -= 1;
                    if b[k] == close {
                        depth += 1;
                    } else if b[k] == open {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
                i = k;
                let before = skip_ws(i);
                if close == b')' && !(before > 0 && is_ident(b[before - 1])) {
                    return i; // a parenthesised expression
                }
            }
            c if is_ident(c) => {
                let mut s = j;
                while s > 0 && is_ident(b[s - 1]) {
                    s -= 1;
                }
                i = s;
                let before = skip_ws(i);
                if before > 0 && b[before - 1] == b'.' {
                    i = before - 1;
                } else {
                    return i;
                }
            }
            _ => return i,
        }
    }
}

/// A field naga cannot look up at the `.` at `dot`: a scalar's swizzle, or a component of a
/// matrix column that is assigned to.
fn field_mend(glsl: &str, dot: usize, field: &str) -> Option<Mend> {
    let end = dot + 1 + field.len();
    if glsl.get(dot..end)? != format!(".{field}") {
        return None;
    }
    let index = |c: char| ["xyzw", "rgba", "stpq"].iter().find_map(|set| set.find(c));
    let components: Vec<usize> = field.chars().map(index).collect::<Option<_>>()?;
    let start = postfix_start(glsl, dot);
    let base = glsl[start..dot].trim_end();
    if base.is_empty() {
        return None;
    }
    let rest = glsl[end..].trim_start();
    let assigned = ["=", "+=", "-=", "*=", "/="]
        .iter()
        .any(|op| rest.starts_with(op) && !rest.starts_with("=="));
    if base.ends_with(']') && assigned && components.len() == 1 {
        // A column's component as a target: an index naga stores through.
        return Some(Mend {
            range: dot..end,
            text: format!("[{}]", components[0]),
        });
    }
    if components.iter().any(|&c| c != 0) {
        return None;
    }
    let text = match components.len() {
        1 => format!("({base})"),
        n => format!("vec{n}({base})"),
    };
    Some(Mend {
        range: start..end,
        text,
    })
}

/// `==`/`!=` between structs or arrays that naga could not type at `at`: the comparison
/// itself, or (inside an `if` or `?:`) a later expression of the same statement, after it.
fn comparison_mend(glsl: &str, at: Range<usize>, message: &str) -> Option<Mend> {
    let text = glsl.get(at.clone())?;
    let (op, range) = match split_comparison(text) {
        Some((op, left, _)) => (op, at.start + left.len()..at.start + left.len() + 2),
        None => {
            // The nearest comparison before `at` in the same statement.
            let before = &glsl[..at.start];
            let stop = before.rfind([';', '{', '}']).map_or(0, |p| p + 1);
            let statement = &before[stop..];
            let op_at = stop + statement.rfind("==").max(statement.rfind("!="))?;
            let op = if glsl[op_at..].starts_with("==") {
                "=="
            } else {
                "!="
            };
            (op, op_at..op_at + 2)
        }
    };
    let start = postfix_start(glsl, range.start);
    let end = postfix_end(glsl, range.end);
    let left = glsl[start..range.start].trim();
    let right = glsl[range.end..end].trim();
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let parts: Vec<String> = if let Some(members) = struct_members(message) {
        members
            .iter()
            .map(|m| format!("({left}).{m} {op} ({right}).{m}"))
            .collect()
    } else {
        let n = array_length(message)?;
        (0..n)
            .map(|k| format!("({left})[{k}] {op} ({right})[{k}]"))
            .collect()
    };
    let joined = parts.join(if op == "==" { " && " } else { " || " });
    Some(Mend {
        range: start..end,
        text: format!("({joined})"),
    })
}

/// Where the postfix expression that starts at or after `from` ends: `a.b[i].c`, `f(x)`,
/// `(x + y)`.
fn postfix_end(glsl: &str, from: usize) -> usize {
    let b = glsl.as_bytes();
    let skip_ws = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    let mut i = skip_ws(from);
    let mut need_operand = true;
    while i < b.len() {
        let c = b[i];
        if need_operand && is_ident(c) {
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            need_operand = false;
        } else if c == b'(' || c == b'[' {
            let close = if c == b'(' { b')' } else { b']' };
            let mut depth = 0usize;
            while i < b.len() {
                if b[i] == c {
                    depth += 1;
                } else if b[i] == close {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                i += 1;
            }
            i = (i + 1).min(b.len());
            need_operand = false;
        } else if c == b'.' && !need_operand {
            i += 1;
            need_operand = true;
        } else {
            break;
        }
        let next = skip_ws(i);
        if next < b.len() && matches!(b[next], b'(' | b'[' | b'.') {
            i = next;
        }
    }
    i
}

/// The text of a comparison split at its one top-level `==` or `!=`.
fn split_comparison(text: &str) -> Option<(&'static str, &str, &str)> {
    let b = text.as_bytes();
    let mut depth = 0i32;
    for k in 0..b.len().saturating_sub(1) {
        match b[k] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'=' | b'!' if depth == 0 && b[k + 1] == b'=' => {
                let before = k.checked_sub(1).map(|p| b[p]);
                if matches!(before, Some(b'=' | b'!' | b'<' | b'>')) {
                    continue;
                }
                let op = if b[k] == b'=' { "==" } else { "!=" };
                return Some((op, &text[..k], &text[k + 2..]));
            }
            _ => {}
        }
    }
    None
}

/// The member names of the struct naga printed first in `message` (`Struct { members:
/// [StructMember { name: Some("d"), ...`), when the left operand is a struct.
fn struct_members(message: &str) -> Option<Vec<String>> {
    let operands = message.split_once("Equal(")?.1;
    let body = operands.strip_prefix("Struct { members: [")?;
    let body = body.split("], span:").next()?;
    let names: Vec<String> = body
        .split("name: Some(")
        .skip(1)
        .filter_map(|s| {
            let s = s.trim_start_matches('\\').strip_prefix('"')?;
            let name: String = s.chars().take_while(|&c| c != '\\' && c != '"').collect();
            (!name.is_empty()).then_some(name)
        })
        .collect();
    (!names.is_empty()).then_some(names)
}

/// The length of the array naga printed first in `message`, when the left operand is one.
fn array_length(message: &str) -> Option<usize> {
    let operands = message.split_once("Equal(")?.1;
    let rest = operands.strip_prefix("Array {")?;
    let size = rest.split_once("size: Constant(")?.1;
    size.split(')').next()?.trim().parse().ok()
}

/// Mends for the parsed module before validation: `%` between a vector and a scalar.
pub(crate) fn for_module(glsl: &str, module: &Module) -> Vec<Mend> {
    let mut mends = Vec::new();
    let functions = module
        .functions
        .iter()
        .map(|(_, f)| f)
        .chain(module.entry_points.iter().map(|ep| &ep.function));
    for f in functions {
        let ctx = naga::proc::ResolveContext::with_locals(module, &f.local_variables, &f.arguments);
        let mut typifier = naga::front::Typifier::new();
        for (h, e) in f.expressions.iter() {
            if typifier.grow(h, &f.expressions, &ctx).is_err() {
                break;
            }
            let Expression::Binary {
                op: naga::BinaryOperator::Modulo,
                left,
                right,
            } = *e
            else {
                continue;
            };
            let (l, r) = (
                typifier.get(left, &module.types),
                typifier.get(right, &module.types),
            );
            let (scalar_side, size, scalar) = match (l, r) {
                (&TypeInner::Vector { size, scalar }, &TypeInner::Scalar(_)) => {
                    (right, size, scalar)
                }
                (&TypeInner::Scalar(_), &TypeInner::Vector { size, scalar }) => {
                    (left, size, scalar)
                }
                _ => continue,
            };
            let Some(range) = f.expressions.get_span(scalar_side).to_range() else {
                continue;
            };
            let Some(text) = glsl.get(range.clone()) else {
                continue;
            };
            let prefix = match scalar.kind {
                ScalarKind::Sint => "i",
                ScalarKind::Uint => "u",
                ScalarKind::Bool => "b",
                _ => "",
            };
            let mend = Mend {
                range,
                text: format!("{prefix}vec{}({text})", size as u8),
            };
            if !mends.contains(&mend) {
                mends.push(mend);
            }
        }
    }
    mends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postfix_expression_starts_at_its_first_name_or_bracket() {
        let g = "x = a.b[i + 1].c.x;";
        assert_eq!(postfix_start(g, g.rfind('.').unwrap()), 4);
        let g = "y = 2.0 * f(p, q).x;";
        assert_eq!(postfix_start(g, g.rfind('.').unwrap()), 10);
        let g = "y = (p + q).x;";
        assert_eq!(postfix_start(g, g.rfind('.').unwrap()), 4);
    }

    #[test]
    fn a_postfix_expression_ends_after_its_last_call_index_or_member() {
        let g = "a == s.b[i + 1].c) x";
        assert_eq!(&g[5..postfix_end(g, 4)], "s.b[i + 1].c");
        let g = "a != f(p, q) ? 1.0 : 0.0";
        assert_eq!(&g[5..postfix_end(g, 4)], "f(p, q)");
    }

    #[test]
    fn a_comparison_splits_at_its_top_level_operator() {
        assert_eq!(
            split_comparison("f(a == b) != c"),
            Some(("!=", "f(a == b) ", " c"))
        );
        assert_eq!(split_comparison("a <= b"), None);
    }
}
