//! The GLSL text of the helper functions the rewriter calls instead of forms naga lacks or
//! folds differently from desktop drivers: `pow` as products and a run-time wrapper, float
//! overloads of vector built-ins, matrix constructors from mixed vectors and scalars, and
//! infinity for float literals beyond the float range.

/// The helper that computes `pow(x, n)` for an integer literal `n`.
pub fn pow_helper(n: i32) -> String {
    if n < 0 {
        format!("isf_pow_neg{}", -n)
    } else {
        format!("isf_pow{n}")
    }
}

/// Definitions of the `pow(x, n)` helpers for `exponents`, for float and vectors: repeated
/// multiplication, `1 / x^n` for negative `n`, 1 for `n = 0`.
pub fn pow_helpers(exponents: &std::collections::BTreeSet<i32>) -> String {
    let mut s = String::new();
    for &n in exponents {
        let m = n.unsigned_abs();
        let product = if m == 0 {
            None
        } else {
            Some(vec!["x"; m as usize].join(" * "))
        };
        for ty in ["float", "vec2", "vec3", "vec4"] {
            let body = match (&product, n < 0) {
                (None, _) => format!("{ty}(1.0)"),
                (Some(p), false) => p.clone(),
                (Some(p), true) => format!("{ty}(1.0) / ({p})"),
            };
            s.push_str(&format!(
                "{ty} {}({ty} x) {{ return {body}; }}\n",
                pow_helper(n)
            ));
        }
    }
    s
}

/// The general `pow` wrapper: `pow(x, y)` for every genType, plus `pow(vecN, float)` as some
/// desktop drivers accept it, evaluated at run time so no constant argument is a compile error.
pub const POW_WRAPPER: &str = concat!(
    "float isf_pow(float x, float y) { return pow(x, y); }\n",
    "vec2 isf_pow(vec2 x, vec2 y) { return pow(x, y); }\n",
    "vec3 isf_pow(vec3 x, vec3 y) { return pow(x, y); }\n",
    "vec4 isf_pow(vec4 x, vec4 y) { return pow(x, y); }\n",
    "vec2 isf_pow(vec2 x, float y) { return pow(x, vec2(y)); }\n",
    "vec3 isf_pow(vec3 x, float y) { return pow(x, vec3(y)); }\n",
    "vec4 isf_pow(vec4 x, float y) { return pow(x, vec4(y)); }\n",
);

/// GLSL's genType built-ins that naga has for vectors only, with their float versions (the
/// values GLSL defines for a one-component vector).
pub const FLOAT_OVERLOADS: &[(&str, &str)] = &[
    ("dot", "float dot(float a, float b) { return a * b; }\n"),
    ("length", "float length(float x) { return abs(x); }\n"),
    ("distance", "float distance(float a, float b) { return abs(a - b); }\n"),
    ("normalize", "float normalize(float x) { return sign(x); }\n"),
    (
        "faceforward",
        "float faceforward(float n, float i, float nref) { return nref * i < 0.0 ? n : -n; }\n",
    ),
    (
        "reflect",
        "float reflect(float i, float n) { return i - 2.0 * n * i * n; }\n",
    ),
    (
        "refract",
        "float refract(float i, float n, float eta) { float k = 1.0 - eta * eta * (1.0 - n * i * n * i); return k < 0.0 ? 0.0 : eta * i - (eta * n * i + sqrt(k)) * n; }\n",
    ),
];

/// Columns and rows of a matrix type's name (`mat3` -> (3, 3), `mat2x4` -> (2, 4)).
pub(super) fn matrix_dims(name: &str) -> Option<(usize, usize)> {
    let rest = name.strip_prefix("mat")?;
    let digit = |s: &str| match s {
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        _ => None,
    };
    match rest.split_once('x') {
        Some((c, r)) => Some((digit(c)?, digit(r)?)),
        None => digit(rest).map(|n| (n, n)),
    }
}

/// Every way to fill `total` components with `k` arguments of 1 to 4 components each.
pub(super) fn component_splits(total: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(left: usize, k: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k == 0 {
            if left == 0 {
                out.push(prefix.clone());
            }
            return;
        }
        for n in 1..=4.min(left) {
            if left - n <= 4 * (k - 1) && left - n >= k - 1 {
                prefix.push(n);
                go(left - n, k - 1, prefix, out);
                prefix.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(total, k, &mut Vec::new(), &mut out);
    out
}

/// The `isf_matCxR` overloads for matrices of `c` columns and `r` rows built from `k`
/// arguments: one per way to fill it from floats and vectors, and for one argument the
/// forms naga has (a scalar on the diagonal, a matrix) plus a `vec4` for a 2x2.
pub fn matrix_constructor_helpers(c: usize, r: usize, k: usize) -> String {
    let ty = format!("mat{c}x{r}");
    let name = format!("isf_mat{c}x{r}");
    let mut out = String::new();
    if k == 1 {
        out.push_str(&format!("{ty} {name}(float s) {{ return {ty}(s); }}\n"));
        for m in ["mat2", "mat3", "mat4"] {
            out.push_str(&format!("{ty} {name}({m} m) {{ return {ty}(m); }}\n"));
        }
    }
    for split in component_splits(c * r, k) {
        let mut params = Vec::new();
        let mut comps = Vec::new();
        for (j, n) in split.iter().enumerate() {
            if *n == 1 {
                params.push(format!("float a{j}"));
                comps.push(format!("a{j}"));
            } else {
                params.push(format!("vec{n} a{j}"));
                comps.extend(
                    ["x", "y", "z", "w"][..*n]
                        .iter()
                        .map(|s| format!("a{j}.{s}")),
                );
            }
        }
        out.push_str(&format!(
            "{ty} {name}({}) {{ return {ty}({}); }}\n",
            params.join(", "),
            comps.join(", ")
        ));
    }
    out
}

/// Positive infinity, written so naga takes it (a literal must be finite there).
pub(super) const INFINITY: &str = "uintBitsToFloat(0x7F800000u)";

/// An integer literal of 32 or more as a shift amount (`1 << 33`), written as the amount
/// desktop drivers shift by: GLSL leaves the result undefined, Mesa (and the x86
/// shift instruction) use the amount modulo 32, naga refuses the constant. None for any
/// other literal.
pub(super) fn wrapped_shift_amount(literal: &str) -> Option<String> {
    let lower = literal.to_ascii_lowercase();
    let (digits, suffix) = match lower.strip_suffix('u') {
        Some(d) => (d, &literal[literal.len() - 1..]),
        None => (lower.as_str(), ""),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<u64>().ok()?
    };
    (value >= 32).then(|| format!("{}{suffix}", value % 32))
}

/// Whether `literal` is a floating-point literal whose value is beyond the float range.
pub(super) fn overflows_float(literal: &str) -> bool {
    let lower = literal.to_ascii_lowercase();
    if lower.starts_with("0x") || !(lower.contains('.') || lower.contains('e')) {
        return false;
    }
    let digits = lower.trim_end_matches("lf").trim_end_matches('f');
    digits
        .parse::<f64>()
        .is_ok_and(|v| v.is_finite() && (v as f32).is_infinite())
}
