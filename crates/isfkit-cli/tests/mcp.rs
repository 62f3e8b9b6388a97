//! `isf mcp` spoken to over stdio with the real protocol (JSON-RPC 2.0, one message per line),
//! as an agent's MCP client does: initialize, list tools, validate a broken shader, render two
//! time codes and decode both images, list and read resources, then close stdin and check the
//! workers' clean shutdown. And `isf mcp --http` over real HTTP on 127.0.0.1: the `Origin`
//! check (a page of another site is refused, this machine's pages are answered).

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Mcp {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    next_id: u64,
}

impl Mcp {
    fn start(args: &[&str]) -> Mcp {
        let mut child = spawn_piped(isf_command().arg("mcp").args(args));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Mcp {
            child,
            stdin,
            lines: rx,
            next_id: 1,
        }
    }

    fn send(&mut self, v: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{v}").expect("write to isf mcp");
        stdin.flush().unwrap();
    }

    /// Sends a request and waits for the response with its id (skipping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer to {method} within 120 s"));
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout line is not JSON-RPC ({e}): {line}"));
            if v["id"] == json!(id) {
                assert_eq!(v["jsonrpc"], "2.0");
                return v;
            }
        }
    }

    fn call(&mut self, tool: &str, args: Value) -> Value {
        let r = self.request("tools/call", json!({ "name": tool, "arguments": args }));
        assert!(r.get("error").is_none(), "protocol error: {r}");
        r["result"].clone()
    }
}

const BROKEN: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    float x = 1.0;\n    gl_FragColor = vec4(x * brightness);\n}\n";

const ANIMATED: &str = "/*{ \"ISFVSN\": \"2\" }*/\nvoid main() {\n    gl_FragColor = vec4(fract(TIME), isf_FragNormCoord, 1.0);\n}\n";

fn decode_png(b64: &str) -> image::RgbaImage {
    let bytes = isfkit_serve::request::decode_base64(b64).expect("base64 image");
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .expect("a PNG")
        .to_rgba8()
}

#[test]
fn mcp_over_stdio_speaks_the_protocol() {
    let mut mcp = Mcp::start(&["--workers", "1"]);

    let init = mcp.request(
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "isfkit-test", "version": "1" }
        }),
    );
    let result = &init["result"];
    assert_eq!(result["serverInfo"]["name"], "isfkit", "{init}");
    assert_eq!(result["protocolVersion"], "2025-06-18");
    for cap in ["tools", "resources", "prompts"] {
        assert!(result["capabilities"][cap].is_object(), "{cap}: {init}");
    }
    mcp.send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));

    let tools = mcp.request("tools/list", json!({}));
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["render_shader", "validate_shader", "get_shader_info"]
    );
    let render_schema = &tools["result"]["tools"][0]["inputSchema"]["properties"];
    assert_eq!(render_schema["width"]["default"], 1920);
    assert_eq!(render_schema["height"]["default"], 1080);
    assert_eq!(render_schema["quality"]["default"], 95);
    assert!(render_schema["shader_content"].is_object());
    assert!(render_schema["time_codes"].is_object());

    // A broken shader: the diagnostic at its own line, and the classic fields.
    let v = mcp.call("validate_shader", json!({ "shader_content": BROKEN }));
    assert_eq!(v["isError"], false, "{v}");
    let s = &v["structuredContent"];
    assert_eq!(s["valid"], false, "{v}");
    assert_eq!(s["success"], false);
    let d = &s["diagnostics"][0];
    assert_eq!(d["line"], 4, "{v}");
    assert_eq!(d["stage"], "fragment");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("brightness"), "{d}");
    let first_error = s["errors"][0].as_str().unwrap();
    assert!(first_error.starts_with("shader.fs:4:"), "{first_error}");
    // The text content carries the same JSON (clients that ignore structured content).
    let text: Value = serde_json::from_str(v["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(&text, s);

    // A valid one, with its info.
    let v = mcp.call("validate_shader", json!({ "shader_content": ANIMATED }));
    assert_eq!(v["structuredContent"]["valid"], true, "{v}");
    assert_eq!(v["structuredContent"]["shader_info"]["kind"], "generator");

    // Shadertoy code, as agents write it: validated and rendered directly, its errors at
    // its own lines.
    let shadertoy = "void mainImage(out vec4 fragColor, in vec2 fragCoord) {\n    fragColor = vec4(fragCoord.x / iResolution.x, 0.0, 0.0, 1.0);\n}\n";
    let v = mcp.call("validate_shader", json!({ "shader_content": shadertoy }));
    assert_eq!(v["structuredContent"]["valid"], true, "{v}");
    let v = mcp.call(
        "validate_shader",
        json!({ "shader_content": shadertoy.replace("0.0, 0.0", "glow, 0.0") }),
    );
    assert_eq!(v["structuredContent"]["diagnostics"][0]["line"], 2, "{v}");
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": shadertoy, "width": 8, "height": 4, "format": "png" }),
    );
    assert_eq!(v["isError"], false, "{v}");
    let img = decode_png(v["content"][1]["data"].as_str().unwrap());
    assert_eq!(img.get_pixel(0, 3).0, [16, 0, 0, 255]);

    // A dialect named where the text does not say it: a GLSL Sandbox shader that declares
    // none of its uniforms reads as neither ISF nor any dialect until it is named.
    let sandbox =
        "void main() {\n    gl_FragColor = vec4(gl_FragCoord.x / 8.0, 0.0, 0.0, 1.0);\n}\n";
    let v = mcp.call("validate_shader", json!({ "shader_content": sandbox }));
    assert_eq!(v["structuredContent"]["valid"], false, "{v}");
    for dialect in ["glslsandbox", "GLSL-Sandbox"] {
        let v = mcp.call(
            "validate_shader",
            json!({ "shader_content": sandbox, "dialect": dialect }),
        );
        assert_eq!(v["structuredContent"]["valid"], true, "{v}");
    }
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": sandbox, "dialect": "glslsandbox", "width": 8, "height": 4, "format": "png" }),
    );
    assert_eq!(v["isError"], false, "{v}");
    let img = decode_png(v["content"][1]["data"].as_str().unwrap());
    assert_eq!(img.get_pixel(0, 3).0[0], 16);
    // auto detects, as leaving it out does.
    let v = mcp.call(
        "validate_shader",
        json!({ "shader_content": shadertoy, "dialect": "auto" }),
    );
    assert_eq!(v["structuredContent"]["valid"], true, "{v}");
    let v = mcp.call(
        "validate_shader",
        json!({ "shader_content": shadertoy, "dialect": "hlsl" }),
    );
    assert_eq!(v["isError"], true, "{v}");
    assert_eq!(v["structuredContent"]["error"]["field"], "dialect");
    assert_eq!(
        v["structuredContent"]["errors"][0],
        "unknown dialect \"hlsl\": give shadertoy, glslsandbox, gl-transition or auto (detect it; ISF is read as ISF)"
    );

    // Two time codes: two images, decoded, of the size asked, and different.
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": ANIMATED, "time_codes": [0.25, 0.75],
                "width": 32, "height": 16, "format": "png" }),
    );
    assert_eq!(v["isError"], false, "{v}");
    let content = v["content"].as_array().unwrap();
    assert_eq!(content.len(), 3, "a text and two images");
    let images: Vec<image::RgbaImage> = content[1..]
        .iter()
        .map(|c| {
            assert_eq!(c["type"], "image");
            assert_eq!(c["mimeType"], "image/png");
            decode_png(c["data"].as_str().unwrap())
        })
        .collect();
    for img in &images {
        assert_eq!(img.dimensions(), (32, 16));
    }
    // Red is fract(TIME): 0.25 and 0.75.
    let red = |img: &image::RgbaImage| img.get_pixel(0, 0)[0] as i32;
    assert!((red(&images[0]) - 64).abs() <= 2, "{}", red(&images[0]));
    assert!((red(&images[1]) - 191).abs() <= 2, "{}", red(&images[1]));
    let meta = &v["structuredContent"]["metadata"];
    assert_eq!(meta["frame_count"], 2);
    assert_eq!(meta["width"], 32);
    assert!(meta["backend"].as_str().is_some_and(|b| !b.is_empty()));
    assert!(v["structuredContent"]["frames"][1]["render_ms"]
        .as_f64()
        .is_some());

    // Without a format the frames are PNG, as isf-shader-renderer's tool answers.
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": ANIMATED, "width": 8, "height": 4 }),
    );
    assert_eq!(v["isError"], false, "{v}");
    assert_eq!(v["content"][1]["mimeType"], "image/png", "{v}");
    assert_eq!(
        decode_png(v["content"][1]["data"].as_str().unwrap()).dimensions(),
        (8, 4)
    );
    assert_eq!(v["structuredContent"]["metadata"]["format"], "png");
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": ANIMATED, "width": 8, "height": 4, "format": "jpeg" }),
    );
    assert_eq!(v["content"][1]["mimeType"], "image/jpeg", "{v}");

    // A render of a broken shader is a tool error with the diagnostics.
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": BROKEN, "width": 8, "height": 8 }),
    );
    assert_eq!(v["isError"], true);
    assert_eq!(v["structuredContent"]["error"]["kind"], "invalid_shader");
    assert_eq!(v["structuredContent"]["diagnostics"][0]["line"], 4);

    // A bad argument names its field.
    let v = mcp.call(
        "render_shader",
        json!({ "shader_content": ANIMATED, "width": "wide" }),
    );
    assert_eq!(v["isError"], true);
    assert_eq!(v["structuredContent"]["error"]["field"], "width");
    assert_eq!(
        v["structuredContent"]["errors"][0],
        "width must be an integer from 1 to 4096, not string \"wide\""
    );

    // Resources: the reference and the bundled examples.
    let list = mcp.request("resources/list", json!({}));
    let uris: Vec<&str> = list["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert!(uris.contains(&"isf://reference"), "{uris:?}");
    assert!(uris.contains(&"isf://examples/plasma.fs"), "{uris:?}");
    let read = mcp.request(
        "resources/read",
        json!({ "uri": "isf://examples/plasma.fs" }),
    );
    let on_disk = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/plasma.fs"),
    )
    .unwrap();
    assert_eq!(read["result"]["contents"][0]["text"], on_disk.as_str());
    let reference = mcp.request("resources/read", json!({ "uri": "isf://reference" }));
    assert!(reference["result"]["contents"][0]["text"]
        .as_str()
        .unwrap()
        .contains("IMG_NORM_PIXEL"));
    let missing = mcp.request("resources/read", json!({ "uri": "isf://nope" }));
    assert!(missing["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("no resource isf://nope (resources: isf://reference, "));

    // Closing stdin ends the session; the worker shuts down cleanly; exit 0.
    drop(mcp.stdin.take());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = mcp.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "isf mcp did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(mcp.child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(err.contains(": clean shutdown"), "{err}");
}

/// The status of an MCP `initialize` POSTed to `http://ADDR/mcp` with these extra headers (the
/// answer's body, an event stream, is not read).
fn initialize_status(addr: &str, headers: &[(&str, &str)]) -> u16 {
    let agent = http_agent(Duration::from_secs(60));
    let mut req = agent
        .post(format!("http://{addr}/mcp"))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "isfkit-test", "version": "1" }
        }
    });
    let r = req.send(init.to_string().as_bytes()).expect("POST /mcp");
    r.status().as_u16()
}

#[test]
fn mcp_over_http_refuses_pages_of_other_sites() {
    let mut cmd = isf_command();
    cmd.args(["mcp", "--http", "127.0.0.1:0", "--workers", "1"])
        .args(["--allow-origin", "https://app.example.com"]);
    let (mut child, rx, line) = spawn_with_stderr_lines(cmd);
    let addr = line
        .strip_prefix("isf mcp: streamable HTTP on http://")
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_owned();

    for origin in [
        "http://evil.example",
        "null",
        "http://localhost.evil.example",
    ] {
        assert_eq!(
            initialize_status(&addr, &[("Origin", origin)]),
            403,
            "{origin}"
        );
    }
    for ok in [
        &[][..],
        &[("Origin", "http://localhost:1234")],
        &[("Origin", "http://127.0.0.1")],
        &[("Origin", "https://app.example.com")],
    ] {
        assert_eq!(initialize_status(&addr, ok), 200, "{ok:?}");
    }
    // A foreign Host is refused too (rmcp's own check), whatever the Origin.
    assert_eq!(initialize_status(&addr, &[("Host", "evil.example")]), 403);

    let status = terminate(&mut child);
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(status.success(), "{status}: {}", rest.join("\n"));
}
