//! ISF files: a JSON header (INPUTS, PASSES, IMPORTED, PERSISTENT_BUFFERS of random shapes,
//! strict or tolerant JSON) and a body.

use arbitrary::Arbitrary;

use crate::expr::Expr;
use crate::{quote, Json, Name, NumLit, Out};

/// Keys of headers, inputs and passes (and some that are not).
pub const KEYS: &[&str] = &[
    "ISFVSN",
    "VSN",
    "DESCRIPTION",
    "CREDIT",
    "CATEGORIES",
    "INPUTS",
    "PASSES",
    "IMPORTED",
    "PERSISTENT_BUFFERS",
    "NAME",
    "TYPE",
    "DEFAULT",
    "MIN",
    "MAX",
    "IDENTITY",
    "VALUES",
    "LABELS",
    "LABEL",
    "TARGET",
    "PERSISTENT",
    "FLOAT",
    "WIDTH",
    "HEIGHT",
    "PATH",
    "name",
    "a",
    "",
];

pub const INPUT_TYPES: &[&str] = &[
    "float", "bool", "long", "event", "color", "point2D", "image", "audio", "audioFFT", "Float",
    "int", "", "text",
];

pub const INPUT_NAMES: &[&str] = &[
    "amount",
    "level",
    "mode",
    "tint",
    "spot",
    "flash",
    "enabled",
    "inputImage",
    "startImage",
    "endImage",
    "progress",
    "cells",
    "buf",
    "TIME",
    "main",
    "gl_FragColor",
    "input",
    "texture",
    "sample",
    "filter",
    "r",
    "x",
    "isf_FragNormCoord",
    "a b",
    "",
    "0abc",
    "é",
];

#[derive(Debug, Clone, Arbitrary)]
pub enum InputKey {
    Default,
    Min,
    Max,
    Identity,
    Values,
    Labels,
    Label,
    Other(Name),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct InputSpec {
    pub name: Option<Name>,
    pub ty: Option<Name>,
    /// Typical fields, filled from the type's shape.
    pub typical: bool,
    pub fields: Vec<(InputKey, Json)>,
    pub nums: Vec<NumLit>,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum SizeVal {
    Num(NumLit),
    Expr(Expr),
    Json(Json),
}

impl SizeVal {
    fn render(&self, out: &mut Out) {
        match self {
            SizeVal::Num(n) => out.push(&n.text()),
            SizeVal::Expr(e) => out.push(&quote(&e.text())),
            SizeVal::Json(j) => j.render(out),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub struct PassSpec {
    pub target: Option<Name>,
    pub persistent: Option<Json>,
    pub float: Option<Json>,
    pub width: Option<SizeVal>,
    pub height: Option<SizeVal>,
    pub extra: Vec<(Name, Json)>,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Section<T> {
    List(Vec<T>),
    Json(Json),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Style {
    pub trailing_commas: bool,
    pub comments: bool,
    pub unquoted_keys: bool,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Header {
    pub vsn: Option<Json>,
    pub description: Option<Json>,
    pub categories: Option<Json>,
    pub inputs: Option<Section<InputSpec>>,
    pub passes: Option<Section<PassSpec>>,
    /// v1: an array of names or an object of name to pass spec.
    pub persistent_buffers: Option<Section<(Name, Option<PassSpec>)>>,
    pub imported: Option<Section<(Name, Option<Name>)>>,
    pub extra: Vec<(Name, Json)>,
    pub style: Style,
    /// Text before `/*` (normally none).
    pub prefix: Option<String>,
    /// Text between the JSON and `*/`.
    pub trailer: Option<String>,
}

struct Obj<'a> {
    out: &'a mut Out,
    style: &'a Style,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut Out, style: &'a Style) -> Obj<'a> {
        out.push("{");
        Obj {
            out,
            style,
            first: true,
        }
    }

    fn key(&mut self, k: &str) -> &mut Out {
        if !self.first {
            self.out.push(",");
        }
        self.first = false;
        if self.style.comments {
            self.out.push("\n// c\n");
        }
        if self.style.unquoted_keys && !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()) {
            self.out.push(k);
        } else {
            self.out.push(&quote(k));
        }
        self.out.push(":");
        self.out
    }

    fn close(self) {
        if self.style.trailing_commas && !self.first {
            self.out.push(",");
        }
        self.out.push("}");
    }
}

fn render_section<T>(
    out: &mut Out,
    style: &Style,
    s: &Section<T>,
    item: impl Fn(&mut Out, &Style, &T),
) {
    match s {
        Section::List(items) => {
            out.push("[");
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(",");
                }
                item(out, style, it);
            }
            if style.trailing_commas && !items.is_empty() {
                out.push(",");
            }
            out.push("]");
        }
        Section::Json(j) => j.render(out),
    }
}

fn render_input(out: &mut Out, style: &Style, input: &InputSpec) {
    let mut o = Obj::open(out, style);
    let ty = input.ty.as_ref().map(|t| t.pick(INPUT_TYPES));
    if let Some(n) = &input.name {
        let v = quote(&n.pick(INPUT_NAMES));
        o.key("NAME").push(&v);
    }
    if let Some(t) = &ty {
        o.key("TYPE").push(&quote(t));
    }
    if input.typical {
        let mut nums = input.nums.iter().map(NumLit::text);
        let mut num = move || nums.next().unwrap_or_else(|| "1".into());
        match ty.as_deref() {
            Some("float") => {
                for k in ["MIN", "MAX", "DEFAULT", "IDENTITY"] {
                    let v = num();
                    o.key(k).push(&v);
                }
            }
            Some("long") => {
                let (a, b, c) = (num(), num(), num());
                o.key("VALUES").push(&format!("[{a},{b},{c}]"));
                o.key("LABELS").push("[\"A\",\"B\",\"C\"]");
                o.key("DEFAULT").push(&b);
            }
            Some("point2D") => {
                let v = format!("[{},{}]", num(), num());
                o.key("DEFAULT").push(&v);
                let v = format!("[{},{}]", num(), num());
                o.key("MAX").push(&v);
            }
            Some("color") => {
                let v = format!("[{},{},{},{}]", num(), num(), num(), num());
                o.key("DEFAULT").push(&v);
            }
            Some("audio" | "audioFFT") => {
                let v = num();
                o.key("MAX").push(&v);
            }
            _ => {
                let v = num();
                o.key("DEFAULT").push(&v);
            }
        }
    }
    for (k, v) in &input.fields {
        let key = match k {
            InputKey::Default => "DEFAULT".to_owned(),
            InputKey::Min => "MIN".to_owned(),
            InputKey::Max => "MAX".to_owned(),
            InputKey::Identity => "IDENTITY".to_owned(),
            InputKey::Values => "VALUES".to_owned(),
            InputKey::Labels => "LABELS".to_owned(),
            InputKey::Label => "LABEL".to_owned(),
            InputKey::Other(n) => n.pick(KEYS),
        };
        v.render(o.key(&key));
    }
    o.close();
}

fn render_pass(out: &mut Out, style: &Style, pass: &PassSpec) {
    let mut o = Obj::open(out, style);
    if let Some(t) = &pass.target {
        let v = quote(&t.pick(INPUT_NAMES));
        o.key("TARGET").push(&v);
    }
    if let Some(p) = &pass.persistent {
        p.render(o.key("PERSISTENT"));
    }
    if let Some(f) = &pass.float {
        f.render(o.key("FLOAT"));
    }
    if let Some(w) = &pass.width {
        w.render(o.key("WIDTH"));
    }
    if let Some(h) = &pass.height {
        h.render(o.key("HEIGHT"));
    }
    for (k, v) in &pass.extra {
        v.render(o.key(&k.pick(KEYS)));
    }
    o.close();
}

impl Header {
    /// The JSON text of the header (without `/*` and `*/`).
    pub fn json(&self) -> String {
        let mut out = Out::default();
        let style = &self.style;
        let mut o = Obj::open(&mut out, style);
        if let Some(v) = &self.vsn {
            v.render(o.key("ISFVSN"));
        }
        if let Some(v) = &self.description {
            v.render(o.key("DESCRIPTION"));
        }
        if let Some(v) = &self.categories {
            v.render(o.key("CATEGORIES"));
        }
        if let Some(s) = &self.inputs {
            render_section(o.key("INPUTS"), style, s, render_input);
        }
        if let Some(s) = &self.passes {
            render_section(o.key("PASSES"), style, s, render_pass);
        }
        if let Some(s) = &self.persistent_buffers {
            let object =
                matches!(s, Section::List(items) if items.iter().any(|(_, p)| p.is_some()));
            match (s, object) {
                (Section::List(items), true) => {
                    let mut b = Obj::open(o.key("PERSISTENT_BUFFERS"), style);
                    for (n, p) in items {
                        let out = b.key(&n.pick(INPUT_NAMES));
                        match p {
                            Some(p) => render_pass(out, style, p),
                            None => out.push("{}"),
                        }
                    }
                    b.close();
                }
                _ => render_section(o.key("PERSISTENT_BUFFERS"), style, s, |out, _, (n, _)| {
                    out.push(&quote(&n.pick(INPUT_NAMES)))
                }),
            }
        }
        if let Some(s) = &self.imported {
            match s {
                Section::List(items) => {
                    let mut b = Obj::open(o.key("IMPORTED"), style);
                    for (n, path) in items {
                        let out = b.key(&n.pick(INPUT_NAMES));
                        let path = path.as_ref().map_or("imported_checker.png".into(), |p| {
                            p.pick(crate::KNOWN_STRINGS)
                        });
                        out.push(&format!("{{\"PATH\":{}}}", quote(&path)));
                    }
                    b.close();
                }
                Section::Json(j) => j.render(o.key("IMPORTED")),
            }
        }
        for (k, v) in &self.extra {
            v.render(o.key(&k.pick(KEYS)));
        }
        o.close();
        if let Some(t) = &self.trailer {
            out.push(t);
        }
        out.text
    }

    /// A whole ISF file: `/*header*/` and `body`.
    pub fn file(&self, body: &str) -> String {
        let mut s = self.prefix.clone().unwrap_or_default();
        s.push_str("/*");
        s.push_str(&self.json());
        s.push_str("*/\n");
        s.push_str(body);
        s
    }
}
