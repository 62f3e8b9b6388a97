//! Structure-aware inputs for isfkit's fuzz targets (`fuzz_targets/*.rs`).
//!
//! Each generator is an [`arbitrary::Arbitrary`] syntax tree that renders to text: size
//! expressions, ISF JSON headers, GLSL bodies and job files. Besides ordinary nodes they have
//! "deep" nodes (`Nest`: a wrapper repeated up to 65,535 times; `Chain`: a term repeated into
//! a long flat chain), so a few input bytes reach the nesting depths and lengths at which
//! recursive parsers overflow the stack, and "raw" nodes carrying arbitrary text, so the
//! fuzzer is never limited to well-formed input. Rendered text is capped at [`BUDGET`] bytes.

pub mod expr;
pub mod glsl;
pub mod header;
pub mod job;

use arbitrary::{Arbitrary, Unstructured};

/// Lets libFuzzer record a stack overflow as a crash (with its input) instead of dying
/// silently: without a sanitizer nothing gives the main thread an alternate signal stack, so
/// libFuzzer's SIGSEGV handler cannot run when the stack is exhausted and the kernel kills
/// the process. Call it from the target's `init:` (it runs before libFuzzer installs its
/// handlers, which keep the `SA_ONSTACK` flag set here).
pub fn catch_stack_overflows() {
    const SIZE: usize = 1 << 20;
    let stack: &'static mut [u8] = Box::leak(vec![0u8; SIZE].into_boxed_slice());
    #[allow(unsafe_code)]
    // SAFETY: the alternate stack is leaked (lives for the process); the action only sets
    // the default disposition with SA_ONSTACK, for libFuzzer to copy.
    unsafe {
        let ss = libc::stack_t {
            ss_sp: stack.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: SIZE,
        };
        assert_eq!(libc::sigaltstack(&ss, std::ptr::null_mut()), 0);
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = libc::SIG_DFL;
        action.sa_flags = libc::SA_ONSTACK;
        assert_eq!(
            libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut()),
            0
        );
    }
}

/// With `ISFKIT_FUZZ_DUMP=DIR` set, writes `text` to `DIR/NAME` (to see what a crashing
/// input generates: run the target on the input with the variable set).
pub fn dump(name: &str, text: &str) {
    static DIR: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    if let Some(dir) = DIR.get_or_init(|| std::env::var_os("ISFKIT_FUZZ_DUMP").map(Into::into)) {
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(dir.join(name), text);
    }
}

/// The most text one rendered input may hold (1 MiB): enough for any depth that matters,
/// small enough that a `Chain` of `Chain`s cannot fill memory.
pub const BUDGET: usize = 1 << 20;

/// A text being rendered, capped at [`BUDGET`] bytes (writes past it are dropped).
#[derive(Default)]
pub struct Out {
    pub text: String,
}

impl Out {
    pub fn push(&mut self, s: &str) {
        if self.text.len() + s.len() <= BUDGET {
            self.text.push_str(s);
        }
    }

    pub fn full(&self) -> bool {
        self.text.len() >= BUDGET - 64
    }
}

/// A repeat count that is usually small and sometimes huge: deep nodes use it so that most
/// inputs stay fast while some go past any plausible recursion limit.
#[derive(Debug, Clone, Copy)]
pub struct Depth(pub usize);

impl<'a> Arbitrary<'a> for Depth {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = match u.int_in_range(0u8..=9)? {
            0..=4 => u.int_in_range(0..=64usize)?,
            5..=6 => u.int_in_range(64..=1_000usize)?,
            7 => u.int_in_range(1_000..=10_000usize)?,
            8 => u.int_in_range(10_000..=70_000usize)?,
            _ => *u.choose(&[
                127usize, 128, 129, 255, 256, 257, 1023, 1024, 1025, 65_535, 65_536,
            ])?,
        };
        Ok(Depth(n))
    }
}

/// A number as written in text: ordinary and edge-case literals, some not numbers at all.
#[derive(Debug, Clone, Arbitrary)]
pub enum NumLit {
    Int(u32),
    Neg(i64),
    Float(f64),
    Exp(f32),
    Edge(u8),
}

const EDGE_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "0.0",
    ".5",
    "5.",
    "1e309",
    "-1e309",
    "1e-400",
    "1e23",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "9007199254740993",
    "1e",
    "1e+",
    "1.2.3",
    "00",
    "0x10",
    "+1",
    "nan",
    "NaN",
    "inf",
    "Infinity",
    "-0",
    "1E5",
    "0.0000001",
    "65535",
    "65536",
    "16384",
    "16385",
    "100000",
];

impl NumLit {
    pub fn text(&self) -> String {
        match self {
            NumLit::Int(v) => v.to_string(),
            NumLit::Neg(v) => v.to_string(),
            NumLit::Float(v) if v.is_finite() => format!("{v:?}"),
            NumLit::Float(_) => "1.5".into(),
            NumLit::Exp(v) if v.is_finite() => format!("{v:e}"),
            NumLit::Exp(_) => "2e3".into(),
            NumLit::Edge(i) => EDGE_NUMBERS[*i as usize % EDGE_NUMBERS.len()].into(),
        }
    }
}

/// A name: one of `known`, or arbitrary text (sometimes empty, sometimes odd characters).
#[derive(Debug, Clone, Arbitrary)]
pub enum Name {
    Known(u8),
    Raw(String),
}

impl Name {
    pub fn pick(&self, known: &[&str]) -> String {
        match self {
            Name::Known(i) => known[*i as usize % known.len()].to_owned(),
            Name::Raw(s) => s.clone(),
        }
    }

    /// Like [`Name::pick`], but raw text is reduced to identifier characters (for GLSL).
    pub fn ident(&self, known: &[&str]) -> String {
        match self {
            Name::Known(_) => self.pick(known),
            Name::Raw(s) => {
                let t: String = s
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect();
                if t.is_empty() || t.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("v{t}")
                } else {
                    t
                }
            }
        }
    }
}

/// A JSON string literal of `s`.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Any JSON-ish value, including deep nesting and numbers JSON parsers disagree on.
#[derive(Debug, Clone, Arbitrary)]
pub enum Json {
    Null,
    Bool(bool),
    Num(NumLit),
    Str(String),
    KnownStr(Name),
    Arr(Vec<Json>),
    Obj(Vec<(Name, Json)>),
    /// `[[[...]]]` or `{"a":{"a":...}}`, `depth` levels around `inner`.
    Nest(bool, Depth, Box<Json>),
    /// A size expression as a string.
    Expr(expr::Expr),
    /// Text pasted as is (may break the JSON).
    Raw(String),
}

/// Strings the header and job generators like to use as values.
pub const KNOWN_STRINGS: &[&str] = &[
    "",
    "float",
    "bool",
    "long",
    "event",
    "color",
    "point2D",
    "image",
    "audio",
    "audioFFT",
    "2",
    "2.0",
    "1",
    "inputImage",
    "buf",
    "$WIDTH",
    "$HEIGHT",
    "imported_checker.png",
    "Red",
    "Green",
    "x",
    "true",
    "a.fs",
    "out/x.png",
    "2024-01-01T00:00:00",
];

impl Json {
    pub fn render(&self, out: &mut Out) {
        if out.full() {
            out.push("0");
            return;
        }
        match self {
            Json::Null => out.push("null"),
            Json::Bool(b) => out.push(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push(&n.text()),
            Json::Str(s) => out.push(&quote(s)),
            Json::KnownStr(n) => out.push(&quote(&n.pick(KNOWN_STRINGS))),
            Json::Arr(items) => {
                out.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(",");
                    }
                    item.render(out);
                }
                out.push("]");
            }
            Json::Obj(fields) => {
                out.push("{");
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(",");
                    }
                    out.push(&quote(&k.pick(header::KEYS)));
                    out.push(":");
                    v.render(out);
                }
                out.push("}");
            }
            Json::Nest(arrays, depth, inner) => {
                let (open, close) = if *arrays {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                let n = depth.0.min((BUDGET - out.text.len()) / 8);
                for _ in 0..n {
                    out.push(open);
                }
                inner.render(out);
                for _ in 0..n {
                    out.push(close);
                }
            }
            Json::Expr(e) => {
                let mut o = Out::default();
                e.render(&mut o);
                out.push(&quote(&o.text));
            }
            Json::Raw(s) => out.push(s),
        }
    }
}
