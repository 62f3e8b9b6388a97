//! Size expressions (`floor($WIDTH/2.0)`), the grammar of `isfkit_format::expr`.

use arbitrary::Arbitrary;

use crate::{Depth, Name, NumLit, Out, BUDGET};

pub const VARS: &[&str] = &[
    "$WIDTH", "$HEIGHT", "WIDTH", "HEIGHT", "$cells", "$amount", "$level", "$", "$$", "$_x", "$é",
    "$WIDTH2", "floor", "$floor", "x",
];

pub const FUNCS: &[&str] = &[
    "floor", "ceil", "round", "min", "max", "abs", "pow", "sqrt", "sin", "FLOOR", "", "$floor",
];

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    /// Not an operator of the grammar.
    Pow,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Rem => "%",
            Op::Pow => "^",
        }
    }
}

/// What a `Nest` wraps its inner expression in, `depth` times.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Wrapper {
    Paren,
    Neg,
    Plus,
    Func(u8),
    /// `min(1, ...)`
    MinFirst,
    /// `1+(...)`
    AddParen,
    /// Opens without closing.
    Unclosed,
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Expr {
    Num(NumLit),
    Var(Name),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    Call(Name, Vec<Expr>),
    Paren(Box<Expr>),
    Nest(Wrapper, Depth, Box<Expr>),
    /// `inner op inner op ...`, `count` terms.
    Chain(Op, Depth, Box<Expr>),
    Space(Box<Expr>),
    Raw(String),
}

impl Expr {
    pub fn render(&self, out: &mut Out) {
        if out.full() {
            return;
        }
        match self {
            Expr::Num(n) => out.push(&n.text()),
            Expr::Var(n) => out.push(&n.pick(VARS)),
            Expr::Neg(e) => {
                out.push("-");
                e.render(out);
            }
            Expr::Plus(e) => {
                out.push("+");
                e.render(out);
            }
            Expr::Bin(op, a, b) => {
                a.render(out);
                out.push(op.text());
                b.render(out);
            }
            Expr::Call(f, args) => {
                out.push(&f.pick(FUNCS));
                out.push("(");
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push(",");
                    }
                    a.render(out);
                }
                out.push(")");
            }
            Expr::Paren(e) => {
                out.push("(");
                e.render(out);
                out.push(")");
            }
            Expr::Nest(w, depth, inner) => {
                let n = depth.0.min((BUDGET - out.text.len()) / 12);
                let (open, close) = match w {
                    Wrapper::Paren => ("(".to_owned(), ")"),
                    Wrapper::Neg => ("-".to_owned(), ""),
                    Wrapper::Plus => ("+".to_owned(), ""),
                    Wrapper::Func(i) => (format!("{}(", FUNCS[*i as usize % 6]), ")"),
                    Wrapper::MinFirst => ("min(1,".to_owned(), ")"),
                    Wrapper::AddParen => ("1+(".to_owned(), ")"),
                    Wrapper::Unclosed => ("(".to_owned(), ""),
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
                let mut term = Out::default();
                inner.render(&mut term);
                let term = if term.text.is_empty() {
                    "1".into()
                } else {
                    term.text
                };
                for i in 0..count.0.max(1) {
                    if out.full() || out.text.len() + term.len() + 1 > BUDGET {
                        break;
                    }
                    if i > 0 {
                        out.push(op.text());
                    }
                    out.push(&term);
                }
            }
            Expr::Space(e) => {
                out.push(" \t");
                e.render(out);
                out.push("\n ");
            }
            Expr::Raw(s) => out.push(s),
        }
    }

    pub fn text(&self) -> String {
        let mut out = Out::default();
        self.render(&mut out);
        out.text
    }
}
