//! ISF GLSL bodies: globals, functions and statements of GLSL 1.x with ISF's built-ins and
//! macros, deep nesting (blocks, `if`s, loops, parentheses, long sums, macro chains) and raw
//! text anywhere.

use arbitrary::Arbitrary;

use crate::{Depth, Name, NumLit, Out, BUDGET};

pub const TYPES: &[&str] = &[
    "float",
    "vec2",
    "vec3",
    "vec4",
    "int",
    "bool",
    "mat2",
    "mat3",
    "mat4",
    "ivec2",
    "bvec3",
    "sampler2D",
    "void",
    "float[2]",
    "uint",
    "double",
];

/// Identifiers: ISF built-ins, inputs of the fixed headers, locals, GLSL 4.50 keywords the
/// rewriter renames, built-in functions used as names.
pub const IDENTS: &[&str] = &[
    "a",
    "b",
    "c",
    "i",
    "uv",
    "col",
    "isf_FragNormCoord",
    "vv_FragNormCoord",
    "gl_FragCoord",
    "gl_FragColor",
    "TIME",
    "TIMEDELTA",
    "RENDERSIZE",
    "PASSINDEX",
    "FRAMEINDEX",
    "DATE",
    "amount",
    "level",
    "mode",
    "tint",
    "spot",
    "flash",
    "enabled",
    "inputImage",
    "buf",
    "input",
    "output",
    "sample",
    "texture",
    "filter",
    "common",
    "partition",
    "active",
    "smooth",
    "main",
    "isf_vertShaderInit",
    "vv_vertShaderInit",
    "gl_Position",
    "gl_FragData",
    "isf_FragNormCoord.x",
    "STRIPES",
    "f",
    "g",
];

pub const FUNCS: &[&str] = &[
    "sin",
    "cos",
    "mix",
    "clamp",
    "floor",
    "fract",
    "length",
    "dot",
    "normalize",
    "pow",
    "max",
    "min",
    "abs",
    "step",
    "smoothstep",
    "texture2D",
    "texture2DRect",
    "texture",
    "mod",
    "atan",
    "sqrt",
    "exp",
    "f",
    "g",
    "main",
    "IMG_SIZE",
    "radians",
];

const IMAGES: &[&str] = &["inputImage", "buf", "startImage", "a", "amount", "nothing"];

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Gt,
    Le,
    Eq,
    Ne,
    And,
    Or,
    Xor,
    Mod,
    Shl,
    BitAnd,
    Comma,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::And => "&&",
            Op::Or => "||",
            Op::Xor => "^^",
            Op::Mod => "%",
            Op::Shl => "<<",
            Op::BitAnd => "&",
            Op::Comma => ",",
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum IsfMacro {
    Pixel,
    NormPixel,
    ThisPixel,
    ThisNormPixel,
    Size,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum ExprWrapper {
    Paren,
    Neg,
    Not,
    Call(u8),
    Vec4,
    Float,
    Ternary,
    Index,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Expr {
    Num(NumLit),
    Ident(Name),
    Bin(Op, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Call(Name, Vec<Expr>),
    Ctor(Name, Vec<Expr>),
    Swizzle(Box<Expr>, u8),
    Index(Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Assign(Name, Box<Expr>),
    Inc(Name),
    Isf(IsfMacro, Name, Vec<Expr>),
    Nest(ExprWrapper, Depth, Box<Expr>),
    Chain(Op, Depth, Box<Expr>),
    Raw(String),
}

const SWIZZLES: &[&str] = &[
    "x", "y", "xy", "rgb", "rgba", "xyzw", "yx", "zzz", "w", "q", "st", "length()", "xyzwx",
];

impl Expr {
    pub fn render(&self, out: &mut Out) {
        if out.full() {
            out.push("0");
            return;
        }
        match self {
            Expr::Num(n) => out.push(&n.text()),
            Expr::Ident(n) => out.push(&n.ident(IDENTS)),
            Expr::Bin(op, a, b) => {
                out.push("(");
                a.render(out);
                out.push(op.text());
                b.render(out);
                out.push(")");
            }
            Expr::Neg(e) => {
                out.push("-");
                e.render(out);
            }
            Expr::Not(e) => {
                out.push("!");
                e.render(out);
            }
            Expr::Call(f, args) | Expr::Ctor(f, args) => {
                let name = match self {
                    Expr::Call(..) => f.ident(FUNCS),
                    _ => f.ident(TYPES),
                };
                out.push(&name);
                out.push("(");
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(",");
                    }
                    a.render(out);
                }
                out.push(")");
            }
            Expr::Swizzle(e, s) => {
                e.render(out);
                out.push(".");
                out.push(SWIZZLES[*s as usize % SWIZZLES.len()]);
            }
            Expr::Index(a, i) => {
                a.render(out);
                out.push("[");
                i.render(out);
                out.push("]");
            }
            Expr::Ternary(c, a, b) => {
                out.push("(");
                c.render(out);
                out.push("?");
                a.render(out);
                out.push(":");
                b.render(out);
                out.push(")");
            }
            Expr::Assign(n, e) => {
                out.push("(");
                out.push(&n.ident(IDENTS));
                out.push("=");
                e.render(out);
                out.push(")");
            }
            Expr::Inc(n) => {
                out.push(&n.ident(IDENTS));
                out.push("++");
            }
            Expr::Isf(m, img, args) => {
                let name = match m {
                    IsfMacro::Pixel => "IMG_PIXEL",
                    IsfMacro::NormPixel => "IMG_NORM_PIXEL",
                    IsfMacro::ThisPixel => "IMG_THIS_PIXEL",
                    IsfMacro::ThisNormPixel => "IMG_THIS_NORM_PIXEL",
                    IsfMacro::Size => "IMG_SIZE",
                };
                out.push(name);
                out.push("(");
                out.push(&img.ident(IMAGES));
                for a in args {
                    out.push(",");
                    a.render(out);
                }
                out.push(")");
            }
            Expr::Nest(w, depth, inner) => {
                let n = depth.0.min((BUDGET - out.text.len()) / 16);
                let (open, close): (String, &str) = match w {
                    ExprWrapper::Paren => ("(".into(), ")"),
                    ExprWrapper::Neg => ("-".into(), ""),
                    ExprWrapper::Not => ("!".into(), ""),
                    ExprWrapper::Call(i) => (format!("{}(", FUNCS[*i as usize % 15]), ")"),
                    ExprWrapper::Vec4 => ("vec4(".into(), ")"),
                    ExprWrapper::Float => ("float(".into(), ")"),
                    ExprWrapper::Ternary => ("(true?".into(), ":1.0)"),
                    ExprWrapper::Index => ("a[".into(), "]"),
                };
                for _ in 0..n {
                    out.push(&open);
                }
                inner.render(out);
                for _ in 0..n {
                    out.push(close);
                }
            }
            Expr::Chain(op, count, inner) => {
                let mut t = Out::default();
                inner.render(&mut t);
                for i in 0..count.0.max(1) {
                    if out.text.len() + t.text.len() + 4 > BUDGET {
                        break;
                    }
                    if i > 0 {
                        out.push(op.text());
                    }
                    out.push(&t.text);
                }
            }
            Expr::Raw(s) => out.push(s),
        }
    }
}

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum StmtWrapper {
    Block,
    If,
    IfElse,
    For,
    While,
    Do,
    Switch,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Stmt {
    Decl(Name, Name, Option<Expr>),
    Assign(Name, Expr),
    CompoundAssign(Name, Op, Expr),
    If(Expr, Vec<Stmt>, Option<Vec<Stmt>>),
    For(Name, u8, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    Block(Vec<Stmt>),
    Return(Option<Expr>),
    Discard,
    Break,
    Continue,
    Expr(Expr),
    FragColor(Expr),
    Switch(Expr, Vec<(i8, Vec<Stmt>)>),
    Nest(StmtWrapper, Depth, Box<Stmt>),
    Raw(String),
}

impl Stmt {
    pub fn render(&self, out: &mut Out) {
        if out.full() {
            return;
        }
        match self {
            Stmt::Decl(ty, n, init) => {
                out.push(&ty.ident(TYPES));
                out.push(" ");
                out.push(&n.ident(IDENTS));
                if let Some(e) = init {
                    out.push("=");
                    e.render(out);
                }
                out.push(";\n");
            }
            Stmt::Assign(n, e) => {
                out.push(&n.ident(IDENTS));
                out.push("=");
                e.render(out);
                out.push(";\n");
            }
            Stmt::CompoundAssign(n, op, e) => {
                out.push(&n.ident(IDENTS));
                out.push(op.text());
                out.push("=");
                e.render(out);
                out.push(";\n");
            }
            Stmt::If(c, a, b) => {
                out.push("if(");
                c.render(out);
                out.push(")");
                block(out, a);
                if let Some(b) = b {
                    out.push("else ");
                    block(out, b);
                }
            }
            Stmt::For(n, bound, body) => {
                let v = n.ident(IDENTS);
                out.push(&format!("for(int {v}=0;{v}<{bound};{v}++)"));
                block(out, body);
            }
            Stmt::While(c, body) => {
                out.push("while(");
                c.render(out);
                out.push(")");
                block(out, body);
            }
            Stmt::Block(body) => block(out, body),
            Stmt::Return(e) => {
                out.push("return ");
                if let Some(e) = e {
                    e.render(out);
                }
                out.push(";\n");
            }
            Stmt::Discard => out.push("discard;\n"),
            Stmt::Break => out.push("break;\n"),
            Stmt::Continue => out.push("continue;\n"),
            Stmt::Expr(e) => {
                e.render(out);
                out.push(";\n");
            }
            Stmt::FragColor(e) => {
                out.push("gl_FragColor=vec4(");
                e.render(out);
                out.push(");\n");
            }
            Stmt::Switch(e, cases) => {
                out.push("switch(int(");
                e.render(out);
                out.push(")){\n");
                for (v, body) in cases {
                    out.push(&format!("case {v}:\n"));
                    for s in body {
                        s.render(out);
                    }
                }
                out.push("default: break;\n}\n");
            }
            Stmt::Nest(w, depth, inner) => {
                let n = depth.0.min((BUDGET - out.text.len()) / 40);
                let (open, close) = match w {
                    StmtWrapper::Block => ("{", "}"),
                    StmtWrapper::If => ("if(a>0.0){", "}"),
                    StmtWrapper::IfElse => ("if(b<1.0)c=1.0;else{", "}"),
                    StmtWrapper::For => ("for(int i=0;i<2;i++){", "}"),
                    StmtWrapper::While => ("while(a<1.0){a+=0.5;", "}"),
                    StmtWrapper::Do => ("do{", "}while(false);"),
                    StmtWrapper::Switch => ("switch(1){case 1:{", "}}"),
                };
                for _ in 0..n {
                    out.push(open);
                }
                inner.render(out);
                for _ in 0..n {
                    out.push(close);
                }
                out.push("\n");
            }
            Stmt::Raw(s) => out.push(s),
        }
    }
}

fn block(out: &mut Out, body: &[Stmt]) {
    out.push("{\n");
    for s in body {
        s.render(out);
    }
    out.push("}\n");
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Global {
    Uniform(Name, Name),
    Const(Name, Name, Expr),
    Var(Name, Name, Option<Expr>),
    Varying(Name, Name),
    Define(Name, Option<Vec<Name>>, Expr),
    /// `#define M0 x` then `#define Mk M(k-1)+M(k-1)`: exponential expansion.
    MacroBomb(u8),
    /// `#define R0 R1`, `#define R1 R2`, ...: a long macro chain (or a cycle when closed).
    MacroChain(Depth, bool),
    Ifdef(Name, Vec<Global>, bool),
    Precision,
    Version(u16),
    Raw(String),
}

impl Global {
    pub fn render(&self, out: &mut Out) {
        if out.full() {
            return;
        }
        match self {
            Global::Uniform(t, n) => out.push(&format!(
                "uniform {} {};\n",
                t.ident(TYPES),
                n.ident(IDENTS)
            )),
            Global::Const(t, n, e) => {
                out.push(&format!("const {} {}=", t.ident(TYPES), n.ident(IDENTS)));
                e.render(out);
                out.push(";\n");
            }
            Global::Var(t, n, e) => {
                out.push(&format!("{} {}", t.ident(TYPES), n.ident(IDENTS)));
                if let Some(e) = e {
                    out.push("=");
                    e.render(out);
                }
                out.push(";\n");
            }
            Global::Varying(t, n) => out.push(&format!(
                "varying {} {};\n",
                t.ident(TYPES),
                n.ident(IDENTS)
            )),
            Global::Define(n, params, e) => {
                out.push("#define ");
                out.push(&n.ident(IDENTS));
                if let Some(ps) = params {
                    out.push("(");
                    let names: Vec<String> = ps.iter().map(|p| p.ident(IDENTS)).collect();
                    out.push(&names.join(","));
                    out.push(")");
                }
                out.push(" ");
                let mut o = Out::default();
                e.render(&mut o);
                out.push(&o.text.replace('\n', " "));
                out.push("\n");
            }
            Global::MacroBomb(levels) => {
                out.push("#define M0 1.0\n");
                for k in 1..=(*levels as usize % 40) {
                    out.push(&format!("#define M{k} (M{p}+M{p})\n", p = k - 1));
                }
                out.push(&format!(
                    "float bomb(){{return M{};}}\n",
                    *levels as usize % 40
                ));
            }
            Global::MacroChain(depth, cycle) => {
                let n = depth.0.clamp(1, (BUDGET - out.text.len()) / 30);
                for k in 0..n {
                    out.push(&format!("#define R{k} R{}\n", k + 1));
                }
                if *cycle {
                    out.push(&format!("#define R{n} R0\n"));
                } else {
                    out.push(&format!("#define R{n} 1.0\n"));
                }
                out.push("float chain(){return R0;}\n");
            }
            Global::Ifdef(n, body, has_else) => {
                out.push(&format!("#ifdef {}\n", n.ident(IDENTS)));
                for g in body {
                    g.render(out);
                }
                if *has_else {
                    out.push("#else\n");
                }
                out.push("#endif\n");
            }
            Global::Precision => out.push("precision highp float;\n"),
            Global::Version(v) => out.push(&format!("#version {v}\n")),
            Global::Raw(s) => out.push(s),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Function {
    pub ret: Name,
    pub name: Name,
    pub params: Vec<(Option<u8>, Name, Name)>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Shader {
    pub globals: Vec<Global>,
    pub functions: Vec<Function>,
    pub main: Vec<Stmt>,
    /// End `main` with a plain `gl_FragColor` write.
    pub final_write: bool,
    pub no_main: bool,
}

impl Shader {
    pub fn text(&self) -> String {
        let mut out = Out::default();
        for g in &self.globals {
            g.render(&mut out);
        }
        for f in &self.functions {
            out.push(&format!("{} {}(", f.ret.ident(TYPES), f.name.ident(FUNCS)));
            for (i, (q, t, n)) in f.params.iter().enumerate() {
                if i > 0 {
                    out.push(",");
                }
                match q.map(|q| q % 4) {
                    Some(0) => out.push("in "),
                    Some(1) => out.push("out "),
                    Some(2) => out.push("inout "),
                    _ => {}
                }
                out.push(&format!("{} {}", t.ident(TYPES), n.ident(IDENTS)));
            }
            out.push(")");
            block(&mut out, &f.body);
        }
        if !self.no_main {
            out.push("void main(){\nfloat a=0.5;float b=0.25;float c=0.0;\n");
            for s in &self.main {
                s.render(&mut out);
            }
            if self.final_write {
                out.push("gl_FragColor=vec4(a,b,c,1.0);\n");
            }
            out.push("}\n");
        }
        out.text
    }
}

/// A vertex shader: `isf_vertShaderInit()` and statements.
#[derive(Debug, Clone, Arbitrary)]
pub struct Vertex {
    pub globals: Vec<Global>,
    pub init: bool,
    pub body: Vec<Stmt>,
}

impl Vertex {
    pub fn text(&self) -> String {
        let mut out = Out::default();
        for g in &self.globals {
            g.render(&mut out);
        }
        out.push("void main(){\nfloat a=0.5;float b=0.25;float c=0.0;\n");
        if self.init {
            out.push("isf_vertShaderInit();\n");
        }
        for s in &self.body {
            s.render(&mut out);
        }
        out.push("}\n");
        out.text
    }
}
