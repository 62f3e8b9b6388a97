//! Batch job files: `defaults`, `jobs` and `shaders` entries with random fields, written as
//! block YAML or as JSON (which YAML reads too).

use arbitrary::Arbitrary;

use crate::{quote, Depth, Json, Name, NumLit, Out};

/// Shader paths, relative to the job's folder (the target's fixture, see `fuzz_targets/job.rs`).
pub const SHADERS: &[&str] = &[
    "a.fs",
    "inputs.fs",
    "broken.fs",
    "stateful.fs",
    "multi.fs",
    "sub/x.fs",
    "*.fs",
    "sub/*.fs",
    "**/*.fs",
    "missing.fs",
    "sub",
    "[",
    "a.fs/x.fs",
    "img.png",
    "*",
    "?.fs",
    "",
];

pub const OUT_DIRS: &[&str] = &["", "out/", "out/deep/", "a.fs/", "sub/", "./", "img.png/x/"];
pub const EXTS: &[&str] = &[
    ".png", ".jpg", ".jpeg", ".webp", ".exr", ".gif", ".mp4", ".webm", ".PNG", ".txt", "", ".",
];
pub const FORMATS: &[&str] = &["png", "jpg", ".png", "webp", "exr", "gif", "mp4", "bmp", ""];
pub const IMAGES: &[&str] = &["img.png", "notimg.png", "missing.png", "sub", "a.fs"];
pub const DATES: &[&str] = &[
    "2024-01-01T00:00:00",
    "2024-02-30T00:00:00",
    "2024-13-01T00:00:00",
    "9999-12-31T23:59:59",
    "0000-01-01T00:00:00",
    "2024-01-01",
    "2024-01-01T24:00:00",
    "x",
    "",
];

#[derive(Debug, Clone, Arbitrary)]
pub enum Pattern {
    None,
    Printf(u32),
    Brace(u32),
    PrintfEdge(u8),
    BraceEdge(u8),
    Raw(String),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct OutputT {
    pub dir: Name,
    pub name: bool,
    pub pattern: Pattern,
    pub ext: Name,
}

impl OutputT {
    fn text(&self) -> String {
        let edge = |i: u8| [0u32, 1, 2, 4, 9, 20, 100, 1000, 70_000][i as usize % 9];
        let pattern = match &self.pattern {
            Pattern::None => String::new(),
            Pattern::Printf(w) => format!("%0{w}d"),
            Pattern::Brace(w) => format!("{{frame:0{w}}}"),
            Pattern::PrintfEdge(i) => format!("%0{}d", edge(*i)),
            Pattern::BraceEdge(i) => format!("{{frame:0{}}}", edge(*i)),
            Pattern::Raw(s) => s.clone(),
        };
        format!(
            "{}{}{}{}",
            self.dir.pick(OUT_DIRS),
            if self.name { "{name}_" } else { "f_" },
            pattern,
            self.ext.pick(EXTS)
        )
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub enum FramesG {
    Count(u8),
    BigCount(u64),
    Range(u16, u16),
    BigRange(u64, u64),
    Text(Name),
    Json(Json),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum SizeG {
    Wh(u16, u16),
    Big(u32, u32),
    Text(String),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Val<T> {
    Good(T),
    Num(NumLit),
    Json(Json),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct EntryG {
    pub shader: Option<Name>,
    pub input: Option<Name>,
    pub output: Option<OutputT>,
    pub frames: Option<FramesG>,
    pub fps: Option<Val<u8>>,
    pub times: Option<Val<Vec<NumLit>>>,
    pub time: Option<NumLit>,
    pub date: Option<Name>,
    pub size: Option<SizeG>,
    pub width: Option<Val<u16>>,
    pub height: Option<Val<u16>>,
    pub quality: Option<Val<u8>>,
    pub format: Option<Name>,
    pub inputs: Option<Vec<(Name, Json)>>,
    pub images: Option<Vec<(Name, Name)>>,
    pub float: Option<Val<bool>>,
    pub bits: Option<Val<u8>>,
    pub unknown: Option<(Name, Json)>,
}

/// Many copies of one entry: jobs with thousands of tasks.
#[derive(Debug, Clone, Arbitrary)]
pub struct Repeat(pub Depth);

#[derive(Debug, Clone, Arbitrary)]
pub struct Job {
    pub defaults: Option<EntryG>,
    pub jobs: Option<Vec<EntryG>>,
    pub shaders: Option<Vec<EntryG>>,
    pub repeat_last: Option<Repeat>,
    pub unknown_top: Option<(Name, Json)>,
    pub yaml: bool,
}

fn json_of(j: &Json) -> String {
    let mut out = Out::default();
    j.render(&mut out);
    out.text
}

fn val<T>(v: &Val<T>, good: impl Fn(&T) -> String) -> String {
    match v {
        Val::Good(t) => good(t),
        Val::Num(n) => n.text(),
        Val::Json(j) => json_of(j),
    }
}

impl EntryG {
    /// The entry as a JSON object (flow style, valid YAML too).
    pub fn text(&self) -> String {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, v: String| fields.push((k.to_owned(), v));
        if let Some(s) = &self.shader {
            add("shader", quote(&s.pick(SHADERS)));
        }
        if let Some(s) = &self.input {
            add("input", quote(&s.pick(SHADERS)));
        }
        if let Some(o) = &self.output {
            add("output", quote(&o.text()));
        }
        if let Some(f) = &self.frames {
            add(
                "frames",
                match f {
                    FramesG::Count(n) => (n % 6).to_string(),
                    FramesG::BigCount(n) => n.to_string(),
                    FramesG::Range(a, b) => quote(&format!("{}..{}", a % 8, b % 8)),
                    FramesG::BigRange(a, b) => quote(&format!("{a}..{b}")),
                    FramesG::Text(n) => {
                        quote(&n.pick(&["0..3", "3..0", "..", "1..", "-1..2", " 1 .. 2 "]))
                    }
                    FramesG::Json(j) => json_of(j),
                },
            );
        }
        if let Some(v) = &self.fps {
            add("fps", val(v, |n| (n % 61).to_string()));
        }
        if let Some(v) = &self.times {
            add(
                "times",
                val(v, |ts| {
                    let t: Vec<String> = ts.iter().take(8).map(NumLit::text).collect();
                    format!("[{}]", t.join(","))
                }),
            );
        }
        if let Some(t) = &self.time {
            add("time", t.text());
        }
        if let Some(d) = &self.date {
            add("date", quote(&d.pick(DATES)));
        }
        if let Some(s) = &self.size {
            add(
                "size",
                quote(&match s {
                    SizeG::Wh(w, h) => format!("{}x{}", w % 33, h % 33),
                    SizeG::Big(w, h) => format!("{w}x{h}"),
                    SizeG::Text(t) => t.clone(),
                }),
            );
        }
        if let Some(v) = &self.width {
            add("width", val(v, |n| (n % 33).to_string()));
        }
        if let Some(v) = &self.height {
            add("height", val(v, |n| (n % 33).to_string()));
        }
        if let Some(v) = &self.quality {
            add("quality", val(v, u8::to_string));
        }
        if let Some(f) = &self.format {
            add("format", quote(&f.pick(FORMATS)));
        }
        if let Some(inputs) = &self.inputs {
            let items: Vec<String> = inputs
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        quote(&k.pick(crate::header::INPUT_NAMES)),
                        json_of(v)
                    )
                })
                .collect();
            add("inputs", format!("{{{}}}", items.join(",")));
        }
        if let Some(images) = &self.images {
            let items: Vec<String> = images
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        quote(&k.pick(crate::header::INPUT_NAMES)),
                        quote(&v.pick(IMAGES))
                    )
                })
                .collect();
            add("images", format!("{{{}}}", items.join(",")));
        }
        if let Some(v) = &self.float {
            add("float", val(v, bool::to_string));
        }
        if let Some(v) = &self.bits {
            add(
                "bits",
                val(v, |b| [8u8, 16, 0, 32][*b as usize % 4].to_string()),
            );
        }
        if let Some((k, v)) = &self.unknown {
            add(
                &k.pick(&["shader", "ouptut", "frames", "x", ""]),
                json_of(v),
            );
        }
        let items: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{v}", quote(k)))
            .collect();
        format!("{{{}}}", items.join(","))
    }
}

impl Job {
    pub fn text(&self) -> String {
        let list = |entries: &Option<Vec<EntryG>>, last: bool| -> Option<Vec<String>> {
            let entries = entries.as_ref()?;
            let mut v: Vec<String> = Vec::new();
            let mut len = 0;
            for e in entries {
                if len > crate::BUDGET {
                    break;
                }
                let text = e.text();
                len += text.len();
                v.push(text);
            }
            if let (true, Some(Repeat(n)), Some(e)) = (last, &self.repeat_last, v.last().cloned()) {
                // Each entry compiles its shaders: a few hundred copies are enough to find
                // what grows with the entry count. The copies stay within the text budget.
                let room = crate::BUDGET / (e.len() + 4);
                for _ in 0..n.0.min(300).min(room) {
                    v.push(e.clone());
                }
            }
            Some(v)
        };
        let jobs = list(&self.jobs, true);
        let shaders = list(&self.shaders, false);
        let defaults = self.defaults.as_ref().map(EntryG::text);
        let unknown = self
            .unknown_top
            .as_ref()
            .map(|(k, v)| (k.pick(&["defaults", "jobs", "version", ""]), json_of(v)));
        if self.yaml {
            let mut s = String::new();
            if let Some(d) = defaults {
                s.push_str(&format!("defaults: {d}\n"));
            }
            for (key, list) in [("jobs", jobs), ("shaders", shaders)] {
                if let Some(list) = list {
                    s.push_str(&format!("{key}:\n"));
                    for e in list {
                        s.push_str(&format!("  - {e}\n"));
                    }
                }
            }
            if let Some((k, v)) = unknown {
                s.push_str(&format!("{}: {v}\n", quote(&k)));
            }
            s
        } else {
            let mut items = Vec::new();
            if let Some(d) = defaults {
                items.push(format!("\"defaults\":{d}"));
            }
            for (key, list) in [("jobs", jobs), ("shaders", shaders)] {
                if let Some(list) = list {
                    items.push(format!("\"{key}\":[{}]", list.join(",")));
                }
            }
            if let Some((k, v)) = unknown {
                items.push(format!("{}:{v}", quote(&k)));
            }
            format!("{{{}}}", items.join(","))
        }
    }
}
