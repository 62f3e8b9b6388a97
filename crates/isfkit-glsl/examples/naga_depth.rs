//! Measures how deep naga's GLSL front end and validator can nest each construct before the
//! thread's stack overflows, for the nesting limits of `isfkit_glsl::limits`.
//!
//! `cargo run --release -p isfkit-glsl --example naga_depth` prints, per construct and stack
//! size, the deepest nesting that still parsed and validated (binary search; each try runs
//! in a child process, because a stack overflow aborts the process). One try by hand:
//! `naga_depth try CONSTRUCT DEPTH STACK_KIB`.

use std::process::Command;

const CONSTRUCTS: &[&str] = &[
    "parens", "ifs", "blocks", "sum", "unary", "calls", "ternary", "assign", "fors",
];

/// A fragment shader nesting `construct` `n` deep.
fn shader(construct: &str, n: usize) -> String {
    let body = match construct {
        "parens" => format!("a = {}a{};", "(".repeat(n), ")".repeat(n)),
        "ifs" => format!("{}a += 1.0;{}", "if (a > 0.0) { ".repeat(n), "}".repeat(n)),
        "blocks" => format!("{}a += 1.0;{}", "{ ".repeat(n), "}".repeat(n)),
        "sum" => format!("a = a{};", " + a".repeat(n)),
        "unary" => format!("a = {}a;", "- ".repeat(n)),
        "calls" => format!("a = {}a{};", "abs(".repeat(n), ")".repeat(n)),
        "ternary" => format!("a = {}a;", "a > 0.0 ? a : ".repeat(n)),
        "assign" => format!("{}a;", "a = ".repeat(n)),
        "fors" => format!(
            "{}a += 1.0;{}",
            "for (int i = 0; i < 1; i++) { ".repeat(n),
            "}".repeat(n)
        ),
        other => panic!("unknown construct {other}"),
    };
    format!(
        "#version 450\nlayout(location = 0) out vec4 o;\nvoid main() {{ float a = 1.0; {body} o = vec4(a); }}\n"
    )
}

fn run(src: &str) -> bool {
    let options = naga::front::glsl::Options::from(naga::ShaderStage::Fragment);
    let module = match naga::front::glsl::Frontend::default().parse(&options, src) {
        Ok(m) => m,
        Err(_) => return false,
    };
    naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::all(),
    )
    .validate(&module)
    .is_ok()
}

/// Whether depth `n` survives on a thread of `stack_kib` KiB (in a child process).
fn survives(construct: &str, n: usize, stack_kib: usize) -> bool {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["try", construct, &n.to_string(), &stack_kib.to_string()])
        .output()
        .expect("spawn");
    out.status.success()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("try") {
        let (construct, n, kib) = (
            args[1].clone(),
            args[2].parse::<usize>().unwrap(),
            args[3].parse::<usize>().unwrap(),
        );
        let src = shader(&construct, n);
        let ok = std::thread::Builder::new()
            .stack_size(kib * 1024)
            .spawn(move || run(&src))
            .unwrap()
            .join()
            .unwrap();
        std::process::exit(if ok { 0 } else { 1 });
    }
    let stacks: Vec<usize> = if args.is_empty() {
        vec![2048, 8192]
    } else {
        args.iter().map(|a| a.parse().unwrap()).collect()
    };
    println!("construct  stack_KiB  deepest_ok");
    for construct in CONSTRUCTS {
        for &kib in &stacks {
            // Grow until a failure, then bisect.
            let (mut lo, mut hi) = (1usize, 64usize);
            while survives(construct, hi, kib) {
                lo = hi;
                hi *= 2;
                if hi > 1 << 17 {
                    break;
                }
            }
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if survives(construct, mid, kib) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            println!("{construct:<10} {kib:>9}  {lo}");
        }
    }
}
