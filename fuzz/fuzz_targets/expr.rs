//! Size-expression evaluator (`isfkit_format::SizeExpr`): parse, evaluate, list symbols.
//!
//! Every input is tried twice: as raw text, and as a generated expression tree
//! (`isfkit_fuzz::expr::Expr`: deep nesting, long chains, odd numbers and names).
//! Run: `cargo fuzz run expr` (fuzz/README.md).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use isfkit_format::SizeExpr;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    let Ok(e) = SizeExpr::parse(text) else {
        return;
    };
    assert_eq!(e.source(), text);
    assert_eq!(e.to_string(), text);
    let vars = |name: &str| match name {
        "WIDTH" => Some(640.0),
        "HEIGHT" => Some(360.0),
        "cells" => Some(7.0),
        "amount" => Some(f64::NAN),
        "level" => Some(f64::INFINITY),
        _ => None,
    };
    let value = e.eval(&vars);
    let symbols = e.symbols();
    if let Err(name) = &value {
        assert!(symbols.contains(name), "{name} not in {symbols:?}");
    }
    if symbols.is_empty() {
        assert!(value.is_ok());
    }
    let _ = e.as_constant();
    let again = e.clone();
    assert_eq!(again, e);
    let _ = serde_json::to_string(&e);
}

fuzz_target!(init: isfkit_fuzz::catch_stack_overflows(), |data: &[u8]| {
    check(&String::from_utf8_lossy(data));
    // The generators recurse per byte of nesting: only inputs of a fuzzing size (libFuzzer's
    // default -max_len is 4096) go through them, not a large file given on the command line.
    if data.len() > 1 << 16 {
        return;
    }
    if let Ok(e) = isfkit_fuzz::expr::Expr::arbitrary_take_rest(Unstructured::new(data)) {
        let text = e.text();
        isfkit_fuzz::dump("structured.txt", &text);
        check(&text);
    }
});
