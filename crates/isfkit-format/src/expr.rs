//! Size expressions of `PASSES` and `PERSISTENT_BUFFERS` (`"WIDTH": "floor($WIDTH/2.0)"`).
//!
//! Grammar (a tiny recursive-descent parser):
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/' | '%') unary)*
//! unary   := '-' unary | '+' unary | primary
//! primary := NUMBER | '$'? NAME | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
//! FUNC    := floor | ceil | round | min | max | abs | pow | sqrt
//! ```
//!
//! Symbols are written `$WIDTH`, `$HEIGHT`, `$myInput` (VVISF's form); the bare form `WIDTH`
//! is accepted too.
//!
//! An expression is at most [`MAX_EXPR_CHARS`] characters long and nests parentheses,
//! function calls and signs at most [`MAX_EXPR_DEPTH`] deep, so parsing, evaluating and
//! dropping it recurse a bounded number of times whatever the file holds.

use std::fmt;

use serde::Serialize;

pub use crate::limits::{MAX_EXPR_CHARS, MAX_EXPR_DEPTH};

/// A parsed size expression. Serialises as its source text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct SizeExpr {
    source: String,
    #[serde(skip)]
    ast: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Num(f64),
    Var(String),
    Neg(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    Floor,
    Ceil,
    Round,
    Min,
    Max,
    Abs,
    Pow,
    Sqrt,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "floor" => Func::Floor,
            "ceil" => Func::Ceil,
            "round" => Func::Round,
            "min" => Func::Min,
            "max" => Func::Max,
            "abs" => Func::Abs,
            "pow" => Func::Pow,
            "sqrt" => Func::Sqrt,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Round => "round",
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Pow => "pow",
            Func::Sqrt => "sqrt",
        }
    }

    /// Whether `n` arguments are acceptable.
    fn arity_ok(self, n: usize) -> bool {
        match self {
            Func::Min | Func::Max => n >= 2,
            Func::Pow => n == 2,
            _ => n == 1,
        }
    }

    fn arity_text(self) -> &'static str {
        match self {
            Func::Min | Func::Max => "at least 2 arguments",
            Func::Pow => "2 arguments",
            _ => "1 argument",
        }
    }
}

impl SizeExpr {
    /// Parses `text`. The error says what is wrong and where (1-based character column).
    pub fn parse(text: &str) -> Result<SizeExpr, String> {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() > MAX_EXPR_CHARS {
            return Err(format!(
                "the expression is {} characters long, over the limit of {MAX_EXPR_CHARS}",
                chars.len()
            ));
        }
        let mut p = Parser {
            chars,
            pos: 0,
            depth: 0,
        };
        p.skip_ws();
        if p.at_end() {
            return Err("the expression is empty".to_owned());
        }
        let ast = p.expr()?;
        p.skip_ws();
        if let Some(c) = p.peek() {
            return Err(format!("unexpected '{c}' at column {}", p.pos + 1));
        }
        Ok(SizeExpr {
            source: text.to_owned(),
            ast,
        })
    }

    /// A constant, for numeric `WIDTH`/`HEIGHT` values (`"WIDTH": 640`).
    pub fn constant(v: f64) -> SizeExpr {
        SizeExpr {
            source: format_number(v),
            ast: Node::Num(v),
        }
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The value if the expression is a plain number.
    pub fn as_constant(&self) -> Option<f64> {
        match self.ast {
            Node::Num(v) => Some(v),
            _ => None,
        }
    }

    /// Evaluates the expression. `var` resolves a symbol name without the `$` (`"WIDTH"`,
    /// `"HEIGHT"`, `"myInput"`); a symbol it does not know makes the result `Err(name)`.
    /// Division by zero and the like give infinities or NaN, not errors.
    pub fn eval(&self, var: &dyn Fn(&str) -> Option<f64>) -> Result<f64, String> {
        eval_node(&self.ast, var)
    }

    /// The symbols referenced, without `$`, each once, in order of first appearance.
    pub fn symbols(&self) -> Vec<String> {
        let mut out = Vec::new();
        collect_symbols(&self.ast, &mut out);
        out
    }
}

impl fmt::Display for SizeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn format_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn collect_symbols(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Num(_) => {}
        Node::Var(name) => {
            if !out.iter().any(|s| s == name) {
                out.push(name.clone());
            }
        }
        Node::Neg(inner) => collect_symbols(inner, out),
        Node::Bin(_, a, b) => {
            collect_symbols(a, out);
            collect_symbols(b, out);
        }
        Node::Call(_, args) => args.iter().for_each(|a| collect_symbols(a, out)),
    }
}

fn eval_node(node: &Node, var: &dyn Fn(&str) -> Option<f64>) -> Result<f64, String> {
    Ok(match node {
        Node::Num(v) => *v,
        Node::Var(name) => var(name).ok_or_else(|| name.clone())?,
        Node::Neg(inner) => -eval_node(inner, var)?,
        Node::Bin(op, a, b) => {
            let (a, b) = (eval_node(a, var)?, eval_node(b, var)?);
            match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                BinOp::Rem => a % b,
            }
        }
        Node::Call(func, args) => {
            let vals = args
                .iter()
                .map(|a| eval_node(a, var))
                .collect::<Result<Vec<_>, _>>()?;
            match func {
                Func::Floor => vals[0].floor(),
                Func::Ceil => vals[0].ceil(),
                Func::Round => vals[0].round(),
                Func::Abs => vals[0].abs(),
                Func::Sqrt => vals[0].sqrt(),
                Func::Pow => vals[0].powf(vals[1]),
                Func::Min => vals.iter().copied().fold(f64::INFINITY, f64::min),
                Func::Max => vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        }
    })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Parentheses, calls and signs open around the current position.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// Enters one level of nesting (a parenthesis, a call, a sign) at the current position;
    /// an error past [`MAX_EXPR_DEPTH`]. Each `enter` is paired with `self.depth -= 1`.
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err(format!(
                "the expression nests deeper than the limit of {MAX_EXPR_DEPTH} levels at column {}",
                self.pos + 1
            ));
        }
        Ok(())
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Describes what is at the current position, for error messages.
    fn found(&self) -> String {
        match self.peek() {
            Some(c) => format!("'{c}' at column {}", self.pos + 1),
            None => "the end of the expression".to_owned(),
        }
    }

    /// A left-associative chain of `operand`s joined by the operators `op` reads.
    fn chain(
        &mut self,
        operand: fn(&mut Self) -> Result<Node, String>,
        op: fn(char) -> Option<BinOp>,
    ) -> Result<Node, String> {
        let mut left = operand(self)?;
        loop {
            self.skip_ws();
            let Some(op) = self.peek().and_then(op) else {
                return Ok(left);
            };
            self.pos += 1;
            let right = operand(self)?;
            left = Node::Bin(op, Box::new(left), Box::new(right));
        }
    }

    fn expr(&mut self) -> Result<Node, String> {
        self.chain(Self::term, |c| match c {
            '+' => Some(BinOp::Add),
            '-' => Some(BinOp::Sub),
            _ => None,
        })
    }

    fn term(&mut self) -> Result<Node, String> {
        self.chain(Self::unary, |c| match c {
            '*' => Some(BinOp::Mul),
            '/' => Some(BinOp::Div),
            '%' => Some(BinOp::Rem),
            _ => None,
        })
    }

    fn unary(&mut self) -> Result<Node, String> {
        self.skip_ws();
        match self.peek() {
            Some('-') => {
                self.enter()?;
                self.pos += 1;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Node::Neg(Box::new(inner)))
            }
            Some('+') => {
                self.enter()?;
                self.pos += 1;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(inner)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, String> {
        self.skip_ws();
        match self.peek() {
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some('(') => {
                self.enter()?;
                self.pos += 1;
                let inner = self.expr()?;
                self.expect(')')?;
                self.depth -= 1;
                Ok(inner)
            }
            Some('$') => {
                let start = self.pos;
                self.pos += 1;
                let name = self.ident();
                if name.is_empty() {
                    return Err(format!("expected a name after '$' at column {}", start + 1));
                }
                Ok(Node::Var(name))
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let start = self.pos;
                let name = self.ident();
                self.skip_ws();
                if self.peek() == Some('(') {
                    let func = Func::from_name(&name).ok_or_else(|| {
                        format!("unknown function \"{name}\" at column {}", start + 1)
                    })?;
                    self.enter()?;
                    self.pos += 1;
                    let mut args = vec![self.expr()?];
                    loop {
                        self.skip_ws();
                        match self.peek() {
                            Some(',') => {
                                self.pos += 1;
                                args.push(self.expr()?);
                            }
                            Some(')') => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return Err(format!("expected ',' or ')', found {}", self.found()))
                            }
                        }
                    }
                    self.depth -= 1;
                    if !func.arity_ok(args.len()) {
                        return Err(format!(
                            "{}() takes {}, got {}",
                            func.name(),
                            func.arity_text(),
                            args.len()
                        ));
                    }
                    Ok(Node::Call(func, args))
                } else {
                    Ok(Node::Var(name))
                }
            }
            _ => Err(format!(
                "expected a number, a $name, a function or '(', found {}",
                self.found()
            )),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{c}', found {}", self.found()))
        }
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn number(&mut self) -> Result<Node, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            } else {
                self.pos = save;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse::<f64>()
            .map(Node::Num)
            .map_err(|_| format!("invalid number \"{text}\" at column {}", start + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_limit_is_an_error_not_a_stack_overflow() {
        let ok = format!(
            "{}$WIDTH{}",
            "(".repeat(MAX_EXPR_DEPTH),
            ")".repeat(MAX_EXPR_DEPTH)
        );
        assert!(SizeExpr::parse(&ok).is_ok());
        let deep = format!("{}1{}", "(".repeat(30_000), ")".repeat(30_000));
        // Over the length limit first.
        assert_eq!(
            SizeExpr::parse(&deep).unwrap_err(),
            "the expression is 60001 characters long, over the limit of 1000"
        );
        for (deep, column) in [
            (format!("{}1{}", "(".repeat(400), ")".repeat(400)), 33),
            (
                format!("{}1{}", "floor(".repeat(100), ")".repeat(100)),
                32 * 6 + 6,
            ),
            (format!("{}1", "-".repeat(900)), 33),
            (format!("{}1", "+".repeat(900)), 33),
        ] {
            assert_eq!(
                SizeExpr::parse(&deep).unwrap_err(),
                format!(
                    "the expression nests deeper than the limit of 32 levels at column {column}"
                ),
            );
        }
    }

    #[test]
    fn the_longest_chain_evaluates_on_a_small_stack() {
        // 500 terms: a tree 500 deep, evaluated and dropped on a 128 KiB thread.
        let chain = format!("1{}", "+1".repeat((MAX_EXPR_CHARS - 1) / 2));
        let handle = std::thread::Builder::new()
            .stack_size(128 << 10)
            .spawn(move || {
                let e = SizeExpr::parse(&chain).unwrap();
                e.eval(&|_| None).unwrap()
            })
            .unwrap();
        assert_eq!(handle.join().unwrap(), 500.0);
    }
}
