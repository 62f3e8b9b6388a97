//! `isf preview` in a real window: an X server (Xvfb), the window found and driven with
//! xdotool, captured with ImageMagick's `import`, closed through the X protocol
//! (WM_DELETE_WINDOW, what a window manager's close button sends) or with keys.
//!
//! Skipped, with the reason printed, when Xvfb, xdotool, import or python3 is missing
//! (scripts/install-deps.sh --tests installs them). The no-display test always runs.

mod common;

use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Window tests run one at a time: Xvfb servers started at the same moment can pick the
/// same display, and each window test keeps two CPU-rendered devices busy.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// The tools a window test needs, or why it is skipped.
fn window_tools() -> Result<(), String> {
    let missing: Vec<&str> = ["Xvfb", "xdotool", "import", "python3"]
        .into_iter()
        .filter(|t| !on_path(t))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "skipping: {} not found (scripts/install-deps.sh --tests installs them)",
            missing.join(", ")
        ))
    }
}

/// An Xvfb server on a free display, stopped on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb on a display it picks itself (`-displayfd`): it writes the number once
    /// it accepts connections, so parallel tests never race for a display.
    fn start() -> Xvfb {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(writer)
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        let read = std::io::BufRead::read_line(&mut std::io::BufReader::new(reader), &mut line);
        match (read, line.trim().parse::<u32>()) {
            (Ok(_), Ok(n)) => {
                let x = Xvfb {
                    child,
                    display: format!(":{n}"),
                };
                x.wait_until_it_answers();
                x
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Xvfb did not report a display (got {line:?})");
            }
        }
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display);
        c
    }

    /// Waits (up to 10 s) until a client connects: once in a suite run, a window test's
    /// preview found the display Xvfb had just reported refusing its connection.
    fn wait_until_it_answers(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let answered = self
                .cmd("xdotool")
                .arg("getdisplaygeometry")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if answered {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("Xvfb on {} does not accept connections", self.display);
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running `isf preview` with its stderr collected on a thread.
struct Preview {
    child: Child,
    stderr: std::sync::mpsc::Receiver<String>,
    /// The arguments it was started with, to start it again (see [`find_window`]).
    args: Vec<String>,
}

impl Preview {
    fn start(x: &Xvfb, args: &[&str]) -> Preview {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let mut child = isf_command()
            .arg("preview")
            .args(&args)
            .env("DISPLAY", &x.display)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start isf preview");
        let mut err = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            let _ = tx.send(s);
        });
        Preview {
            child,
            stderr: rx,
            args,
        }
    }

    /// Waits for the exit (up to `limit`); returns the status code and stderr.
    fn wait(mut self, limit: Duration) -> (Option<i32>, String, String) {
        let t0 = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut out = String::new();
                if let Some(mut o) = self.child.stdout.take() {
                    let _ = o.read_to_string(&mut out);
                }
                let err = self
                    .stderr
                    .recv_timeout(Duration::from_secs(10))
                    .unwrap_or_default();
                return (status.code(), out, err);
            }
            if t0.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let err = self
                    .stderr
                    .recv_timeout(Duration::from_secs(10))
                    .unwrap_or_default();
                panic!("isf preview did not exit within {limit:?}; stderr:\n{err}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn run_ok(c: &mut Command) -> Output {
    let out = c.output().expect("run");
    assert!(
        out.status.success(),
        "{c:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The preview's window id (waits up to 60 s for it to appear).
///
/// In a full suite run the preview has, now and then, found the display that Xvfb reported
/// (and that answered `xdotool` a moment before) refusing its connection; a preview that
/// exits for that reason is started again, twice at most, once the display answers.
fn find_window(x: &Xvfb, title: &str, preview: &mut Preview) -> String {
    let t0 = Instant::now();
    let mut restarts = 0;
    while t0.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = preview.child.try_wait() {
            let err = preview
                .stderr
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_default();
            if restarts < 2 && err.contains("cannot open the X display") {
                restarts += 1;
                eprintln!(
                    "isf preview could not open {}; starting it again",
                    x.display
                );
                x.wait_until_it_answers();
                let args: Vec<&str> = preview.args.iter().map(String::as_str).collect();
                *preview = Preview::start(x, &args);
                continue;
            }
            panic!("isf preview exited ({status}) before its window appeared:\n{err}");
        }
        let out = x
            .cmd("xdotool")
            .args(["search", "--name", title])
            .output()
            .unwrap();
        if let Some(id) = String::from_utf8_lossy(&out.stdout).lines().next() {
            return id.trim().to_owned();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no window named {title:?} within 60 s");
}

fn capture(x: &Xvfb, id: &str, path: &Path) -> image::RgbaImage {
    run_ok(
        x.cmd("import")
            .args(["-window", id, &format!("png:{}", path.display())]),
    );
    image::open(path).unwrap().to_rgba8()
}

/// Where `picture` appears in `screen` with every channel within `tol`, if anywhere.
fn locate(screen: &image::RgbaImage, picture: &image::RgbaImage, tol: u8) -> Option<(u32, u32)> {
    let (sw, sh) = screen.dimensions();
    let (pw, ph) = picture.dimensions();
    if pw > sw || ph > sh {
        return None;
    }
    let close =
        |a: &image::Rgba<u8>, b: &image::Rgba<u8>| (0..3).all(|c| a.0[c].abs_diff(b.0[c]) <= tol);
    let samples: Vec<(u32, u32)> = (0..5)
        .flat_map(|i| (0..5).map(move |j| (i * (pw - 1) / 4, j * (ph - 1) / 4)))
        .collect();
    for oy in 0..=sh - ph {
        for ox in 0..=sw - pw {
            if samples
                .iter()
                .all(|&(x, y)| close(screen.get_pixel(ox + x, oy + y), picture.get_pixel(x, y)))
                && max_diff(screen, picture, (ox, oy)) <= tol
            {
                return Some((ox, oy));
            }
        }
    }
    None
}

/// The largest channel difference (RGB) between `picture` and `screen` at `at`.
fn max_diff(screen: &image::RgbaImage, picture: &image::RgbaImage, at: (u32, u32)) -> u8 {
    let mut m = 0;
    for (x, y, p) in picture.enumerate_pixels() {
        let s = screen.get_pixel(at.0 + x, at.1 + y);
        for c in 0..3 {
            m = m.max(p.0[c].abs_diff(s.0[c]));
        }
    }
    m
}

/// Captures until `picture` shows in the window (up to 60 s); returns where, and the
/// picture at the scale it is shown.
fn wait_for_picture(
    x: &Xvfb,
    id: &str,
    picture: &image::RgbaImage,
    dir: &Path,
    what: &str,
) -> ((u32, u32), image::RgbaImage) {
    let t0 = Instant::now();
    let shot = dir.join(format!("capture-{what}.png"));
    loop {
        let screen = capture(x, id, &shot);
        // The window shows the picture at a whole-number scale with nearest sampling.
        for k in 1..=3u32 {
            let (w, h) = picture.dimensions();
            let scaled = image::imageops::resize(
                picture,
                w * k,
                h * k,
                image::imageops::FilterType::Nearest,
            );
            if let Some(at) = locate(&screen, &scaled, 2) {
                return (at, scaled);
            }
        }
        if t0.elapsed() > Duration::from_secs(60) {
            panic!(
                "the window never showed the expected picture ({what}); last capture: {}",
                shot.display()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Captures until the picture at `at` equals `picture` (up to 60 s).
fn wait_for_picture_at(
    x: &Xvfb,
    id: &str,
    picture: &image::RgbaImage,
    at: (u32, u32),
    dir: &Path,
    what: &str,
) {
    let t0 = Instant::now();
    let shot = dir.join(format!("capture-{what}.png"));
    loop {
        let screen = capture(x, id, &shot);
        let d = max_diff(&screen, picture, at);
        if d <= 2 {
            return;
        }
        if t0.elapsed() > Duration::from_secs(60) {
            panic!(
                "the window's picture at {at:?} differs by up to {d} from {what}; last capture: {}",
                shot.display()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn render_reference(shader: &Path, time: &str, size: &str, out: &Path) -> image::RgbaImage {
    run_ok(
        isf_command()
            .args(["render"])
            .arg(shader)
            .args(["--time", time, "--size", size, "-o"])
            .arg(out),
    );
    image::open(out).unwrap().to_rgba8()
}

/// Sends WM_DELETE_WINDOW, as a window manager does when its close button is pressed.
fn close_via_wm_protocol(x: &Xvfb, id: &str) {
    const SCRIPT: &str = r#"
import ctypes, sys
x = ctypes.cdll.LoadLibrary("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]
class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]
class XEvent(ctypes.Union):
    _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]
d = x.XOpenDisplay(None)
if not d:
    sys.exit("cannot open the display")
win = int(sys.argv[1])
ev = XEvent()
ev.xclient.type = 33  # ClientMessage
ev.xclient.window = win
ev.xclient.message_type = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
ev.xclient.format = 32
ev.xclient.l[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
ev.xclient.l[1] = 0  # CurrentTime
if not x.XSendEvent(d, win, 0, 0, ctypes.byref(ev)):
    sys.exit("XSendEvent failed")
x.XFlush(d)
x.XCloseDisplay(d)
"#;
    run_ok(x.cmd("python3").args(["-c", SCRIPT, id]));
}

const SHADER_HEADER: &str = r#"/*{
  "DESCRIPTION": "preview test: a gradient that moves with TIME",
  "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 1.0 } ]
}*/
"#;

/// The preview test shader with `color` as its fragment colour (`uv` is isf_FragNormCoord).
fn shader_source(color: &str) -> String {
    format!("{SHADER_HEADER}void main() {{\n    vec2 uv = isf_FragNormCoord;\n    gl_FragColor = {color};\n}}\n")
}

/// A gradient that moves with TIME.
fn gradient() -> String {
    shader_source("vec4(uv.x, uv.y * level * 2.0, fract(TIME * 0.25), 1.0)")
}

/// [`gradient`] edited: other colours.
fn gradient_edited() -> String {
    shader_source("vec4(fract(TIME * 0.25), uv.x * level * 2.0, 1.0 - uv.y, 1.0)")
}

/// [`gradient_edited`] with a compile error (`uv.z` of a vec2).
fn gradient_broken() -> String {
    shader_source("vec4(fract(TIME * 0.25), uv.x * level * 2.0, 1.0 - uv.z, 1.0)")
}

/// A window test under way: `isf preview` of the gradient shader on its own Xvfb, its window
/// found, with the headless render it must show.
struct WindowTest {
    /// Held until the test ends; bound first so that it is released last.
    _serial: std::sync::MutexGuard<'static, ()>,
    _tmp: Dir,
    preview: Preview,
    x: Xvfb,
    id: String,
    /// The test's folder: the shader, the reference render and the captures.
    dir: PathBuf,
    shader: PathBuf,
    reference: image::RgbaImage,
}

impl WindowTest {
    /// Saves [`gradient`] as `name` in the folder `tmp`, renders it headless at `time` and
    /// `size`, and runs `isf preview SHADER ARGS` on a fresh Xvfb until its window appears.
    /// `None`, with the reason printed, when a tool the window tests need is missing.
    fn start(tmp: Dir, name: &str, time: &str, size: &str, args: &[&str]) -> Option<WindowTest> {
        if let Err(why) = window_tools() {
            eprintln!("{why}");
            return None;
        }
        let serial = serial();
        let dir = tmp.path.clone();
        let shader = dir.join(name);
        std::fs::write(&shader, gradient()).unwrap();
        let reference = render_reference(&shader, time, size, &dir.join("ref.png"));
        let x = Xvfb::start();
        let mut all = vec![shader.to_str().unwrap()];
        all.extend_from_slice(args);
        let mut preview = Preview::start(&x, &all);
        let id = find_window(&x, &format!("{name} - isf preview"), &mut preview);
        Some(WindowTest {
            _serial: serial,
            _tmp: tmp,
            preview,
            x,
            id,
            dir,
            shader,
            reference,
        })
    }
}

/// Writes `text` the way editors do: a new file renamed over the old one.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("fs.saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn preview_window_matches_headless_render_reloads_and_closes_cleanly() {
    let Some(WindowTest {
        _serial,
        _tmp,
        preview,
        x,
        id,
        dir,
        shader,
        reference,
    }) = WindowTest::start(
        Dir::new("reload"),
        "gradient.fs",
        "1.5",
        "320x180",
        &[
            "--paused",
            "--time",
            "1.5",
            "--size",
            "320x180",
            "--window",
            "900x600",
            "--cleanup-report",
        ],
    )
    else {
        return;
    };
    // The window shows the headless frame, colours included.
    let (at, shown) = wait_for_picture(&x, &id, &reference, &dir, "start");
    let k = shown.width() / reference.width();

    // An edit shows up: the picture becomes the headless render of the new file.
    std::fs::write(dir.join("edited.fs"), gradient_edited()).unwrap();
    let edited = render_reference(
        &dir.join("edited.fs"),
        "1.5",
        "320x180",
        &dir.join("edited.png"),
    );
    let edited = image::imageops::resize(
        &edited,
        320 * k,
        180 * k,
        image::imageops::FilterType::Nearest,
    );
    assert!(
        max_diff(&edited, &shown, (0, 0)) > 50,
        "the edit must change the picture"
    );
    save(&shader, &gradient_edited());
    wait_for_picture_at(&x, &id, &edited, at, &dir, "edited");

    // A compile error: the text `isf validate` prints, and the window shows it over the
    // last good frame; fixing the file brings the picture back.
    std::fs::write(dir.join("broken.fs"), gradient_broken()).unwrap();
    save(&shader, &gradient_broken());
    let t0 = Instant::now();
    let shot = dir.join("capture-broken.png");
    loop {
        let screen = capture(&x, &id, &shot);
        if max_diff(&screen, &edited, at) > 50 {
            break; // The error overlay covers the picture.
        }
        assert!(t0.elapsed() < Duration::from_secs(60), "no error overlay");
        std::thread::sleep(Duration::from_millis(200));
    }
    save(&shader, &gradient_edited());
    wait_for_picture_at(&x, &id, &edited, at, &dir, "fixed");

    // The window manager's close (WM_DELETE_WINDOW): exit 0 and a clean report.
    close_via_wm_protocol(&x, &id);
    let (code, _, err) = preview.wait(Duration::from_secs(60));
    assert_eq!(code, Some(0), "stderr:\n{err}");
    let validate = isf_command().arg("validate").arg(&shader).output().unwrap();
    assert!(validate.status.success());
    // The broken file's error was printed with the same text as `isf validate` of it.
    let broken = dir.join("broken.fs");
    let v = isf_command().arg("validate").arg(&broken).output().unwrap();
    assert_eq!(v.status.code(), Some(1));
    let expected = String::from_utf8_lossy(&v.stderr)
        .replace(&broken.display().to_string(), &shader.display().to_string());
    assert!(
        err.contains(expected.trim_end()),
        "the preview printed:\n{err}\nexpected `isf validate`'s text:\n{expected}"
    );
    for phase in [
        "stop background workers",
        "close windows and surfaces",
        "release GPU resources",
        "release UI state",
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(phase))
            .unwrap_or_else(|| panic!("no {phase} line in:\n{err}"));
        let released: u64 = line
            .split_whitespace()
            .rev()
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert!(released >= 1, "phase {phase:?} released nothing:\n{err}");
        assert!(
            line.trim_end().ends_with(" 0"),
            "phase {phase:?} had problems:\n{err}"
        );
    }
    assert!(err.contains("leaks: none"), "{err}");
}

#[test]
fn preview_keys_snapshot_reinit_and_escape() {
    let tmp = Dir::new("keys");
    let out_dir = tmp.path.to_str().unwrap().to_owned();
    let Some(WindowTest {
        _serial,
        _tmp,
        preview,
        x,
        id,
        dir,
        reference,
        ..
    }) = WindowTest::start(
        tmp,
        "keys.fs",
        "0.75",
        "256x128",
        &[
            "--paused",
            "--time",
            "0.75",
            "--size",
            "256x128",
            "--set",
            "level=0.5",
            "--window",
            "800x500",
            "--output-dir",
            &out_dir,
            "--json-report",
        ],
    )
    else {
        return;
    };
    let (at, shown) = wait_for_picture(&x, &id, &reference, &dir, "start");
    let key = |k: &str| {
        run_ok(
            x.cmd("xdotool")
                .args(["windowfocus", "--sync", &id, "key", k]),
        );
    };
    // S writes the frame on screen as a PNG: the headless frame, byte for byte.
    key("s");
    let snap = dir.join("keys_0.750s_256x128.png");
    let t0 = Instant::now();
    while !snap.exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "no snapshot {}",
            snap.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(image::open(&snap).unwrap().to_rgba8(), reference);
    // F9 replaces the engine's device; the window keeps drawing the same frame.
    key("F9");
    key("period"); // step one frame: time moves on, the picture changes
    let t0 = Instant::now();
    let shot = dir.join("capture-step.png");
    loop {
        let screen = capture(&x, &id, &shot);
        if max_diff(&screen, &shown, at) > 0 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "step did not change the picture"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    key("Escape");
    let (code, out, err) = preview.wait(Duration::from_secs(60));
    assert_eq!(code, Some(0), "stderr:\n{err}");
    assert!(
        err.contains("engine device re-initialised: generation 2"),
        "{err}"
    );
    let report: serde_json::Value = serde_json::from_str(&out).expect("a JSON report");
    assert_eq!(report["leaks"], serde_json::json!([]), "{out}");
    let names: Vec<&str> = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["released_count"].as_u64().unwrap_or(0) > 0)
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    for phase in [
        "stop_workers",
        "close_surfaces",
        "release_gpu",
        "release_ui",
    ] {
        assert!(names.contains(&phase), "{phase} released nothing: {out}");
    }
    // Esc quits from inside a frame: the frame must not hold the window while the
    // coordinator closes it (phase 2 reports any other holder as an error).
    for p in report["phases"].as_array().unwrap() {
        assert_eq!(p["errors"], serde_json::json!([]), "{out}");
    }
}

#[test]
fn preview_scales_a_picture_larger_than_its_area_down_on_the_panels_colour() {
    // A 1280x720 frame in a 600x400 window: the picture area is far smaller, so the picture
    // is shown whole, scaled down, upright, and around it the area shows the panels' colour.
    let Some(WindowTest {
        _serial,
        _tmp,
        preview,
        x,
        id,
        dir,
        reference,
        ..
    }) = WindowTest::start(
        Dir::new("fit"),
        "fit.fs",
        "1.5",
        "1280x720",
        &[
            "--paused", "--time", "1.5", "--size", "1280x720", "--window", "600x400",
        ],
    )
    else {
        return;
    };
    // The gradient's blue is fract(1.5 / 4) = 0.375 everywhere: 96 in every pixel of the
    // picture, which no grey of the UI has with red and green apart from it.
    let blue = reference.get_pixel(0, 0).0[2];
    assert_eq!(blue, 96);
    let shot = dir.join("capture-fit.png");
    let t0 = Instant::now();
    let (screen, (x0, y0, x1, y1)) = loop {
        let screen = capture(&x, &id, &shot);
        let mut bbox: Option<(u32, u32, u32, u32)> = None;
        // The picture area: right of the inputs panel (260 points wide at this scale).
        for (px, py, p) in screen.enumerate_pixels().filter(|(x, _, _)| *x > 262) {
            let [r, g, b, _] = p.0;
            if b.abs_diff(blue) <= 2 && (r.abs_diff(b) > 8 || g.abs_diff(b) > 8) {
                bbox = Some(bbox.map_or((px, py, px, py), |(a, b, c, d)| {
                    (a.min(px), b.min(py), c.max(px), d.max(py))
                }));
            }
        }
        if let Some(bb) = bbox.filter(|(a, b, c, d)| c - a > 100 && d - b > 50) {
            break (screen, bb);
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the window never showed the picture; last capture: {}",
            shot.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
    assert!(
        w < 600 && h < 400,
        "the picture is {w}x{h}: not scaled down to fit"
    );
    // The frame's aspect is kept (within the pixel each edge is rounded to).
    let aspect = w as f64 / h as f64;
    assert!(
        (aspect - 16.0 / 9.0).abs() < 0.03,
        "aspect {aspect} ({w}x{h})"
    );
    // The picture is the headless frame at that size: the gradient changes by well under a
    // level between neighbouring texels, so any nearest texel is within 2.
    let scaled = image::imageops::resize(&reference, w, h, image::imageops::FilterType::Nearest);
    let d = max_diff(&screen, &scaled, (x0, y0));
    assert!(
        d <= 3,
        "the picture differs by up to {d}; capture: {}",
        shot.display()
    );
    // Around the picture: the panels' colour, the same as the inputs panel's empty space.
    let panel = screen.get_pixel(20, screen.height() - 60).0;
    for at in [((x0 + x1) / 2, y0 - 3), ((x0 + x1) / 2, y1 + 3)] {
        assert_eq!(screen.get_pixel(at.0, at.1).0, panel, "at {at:?}");
    }
    drop(preview);
}

#[test]
fn preview_keyed_value_moves_a_control_takes_it_over_and_its_keys_button_gives_it_back() {
    // Keys that give the header's default at the start time, so the first picture is the
    // plain headless render; then level rises by 0.05 a frame at --fps 10.
    let keys = ["--set", "level@0.5=0.5", "--set", "level@1.5=1"];
    let mut args = vec![
        "--paused", "--time", "0.5", "--size", "256x128", "--fps", "10", "--window", "800x500",
    ];
    args.extend_from_slice(&keys);
    let Some(WindowTest {
        _serial,
        _tmp,
        preview,
        x,
        id,
        dir,
        shader,
        reference,
    }) = WindowTest::start(Dir::new("keyed"), "keyed.fs", "0.5", "256x128", &args)
    else {
        return;
    };
    let (at, shown) = wait_for_picture(&x, &id, &reference, &dir, "start");
    // The picture's centre: green is level (uv.y = 0.5 times level times 2).
    let centre = (at.0 + shown.width() / 2, at.1 + shown.height() / 2);
    let green = |what: &str| {
        capture(&x, &id, &dir.join(format!("capture-{what}.png")))
            .get_pixel(centre.0, centre.1)
            .0[1]
    };
    // A click as a person makes it: press, hold, release (egui reads a drag start).
    let click = |px: u32, py: u32| {
        run_ok(x.cmd("xdotool").args([
            "mousemove",
            "--window",
            &id,
            &px.to_string(),
            &py.to_string(),
        ]));
        std::thread::sleep(Duration::from_millis(300));
        run_ok(x.cmd("xdotool").args(["mousedown", "1"]));
        std::thread::sleep(Duration::from_millis(300));
        run_ok(x.cmd("xdotool").args(["mouseup", "1"]));
    };
    // The level slider (under "follows its keys"), near its right end: the control takes
    // the input over.
    click(100, 88);
    let t0 = Instant::now();
    while green("taken") < 215 {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the slider did not take level over"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Time moves on; the taken-over value stays.
    for _ in 0..3 {
        run_ok(
            x.cmd("xdotool")
                .args(["windowfocus", "--sync", &id, "key", "period"]),
        );
    }
    std::thread::sleep(Duration::from_secs(1));
    assert!(green("held") >= 215, "time moved a taken-over value");
    // The keys button (beside "taken over from its keys"): level follows its keys again,
    // at the time the steps reached (one to three frames on; a busy X server may drop a key).
    click(173, 70);
    let after: Vec<image::RgbaImage> = (1..=3)
        .map(|n| {
            let t = format!("{}", 0.5 + n as f64 * 0.1);
            let mut c = isf_command();
            c.arg("render")
                .arg(&shader)
                .args(["--time", &t, "--size", "256x128"])
                .args(keys);
            let out = dir.join(format!("keyed-{n}.png"));
            run_ok(c.arg("-o").arg(&out));
            let img = image::open(&out).unwrap().to_rgba8();
            image::imageops::resize(
                &img,
                shown.width(),
                shown.height(),
                image::imageops::FilterType::Nearest,
            )
        })
        .collect();
    let t0 = Instant::now();
    let shot = dir.join("capture-given-back.png");
    loop {
        let screen = capture(&x, &id, &shot);
        if after.iter().any(|a| max_diff(&screen, a, at) <= 2) {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "level did not follow its keys again; last capture: {}",
            shot.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    run_ok(
        x.cmd("xdotool")
            .args(["windowfocus", "--sync", &id, "key", "Escape"]),
    );
    let (code, _, err) = preview.wait(Duration::from_secs(60));
    assert_eq!(code, Some(0), "stderr:\n{err}");
}

/// A Shadertoy shader (`name`, `text`) in a window on a fresh Xvfb, showing `first` (its
/// headless render at 256x128, checked to be `first`) at its centre; `None` when a tool is
/// missing. Ends with Esc and a clean exit.
struct ShadertoyWindow {
    tmp: Dir,
    preview: Preview,
    x: Xvfb,
    id: String,
    centre: (u32, u32),
    /// Last, so that it is dropped last: the next window test starts only after this one's
    /// Xvfb is gone (a server that exits removes its display's socket, maybe the next one's).
    _serial: std::sync::MutexGuard<'static, ()>,
}

impl ShadertoyWindow {
    fn start(name: &str, text: &str, first: [u8; 4]) -> Option<ShadertoyWindow> {
        if let Err(why) = window_tools() {
            eprintln!("{why}");
            return None;
        }
        let serial = serial();
        let tmp = Dir::new("shadertoy");
        let shader = tmp.write(name, text);
        let reference = render_reference(&shader, "0", "256x128", &tmp.join("ref.png"));
        assert_eq!(reference.get_pixel(0, 0).0, first);
        let x = Xvfb::start();
        let mut preview = Preview::start(
            &x,
            &[
                shader.to_str().unwrap(),
                "--size",
                "256x128",
                "--window",
                "800x500",
            ],
        );
        let id = find_window(&x, &format!("{name} - isf preview"), &mut preview);
        let (at, shown) = wait_for_picture(&x, &id, &reference, &tmp.path, "start");
        let centre = (at.0 + shown.width() / 2, at.1 + shown.height() / 2);
        Some(ShadertoyWindow {
            tmp,
            preview,
            x,
            id,
            centre,
            _serial: serial,
        })
    }

    /// Captures until the picture's centre is `want` (up to 30 s).
    fn wait_for(&self, want: [u8; 3], what: &str) {
        let t0 = Instant::now();
        let shot = self.tmp.join(&format!("capture-{what}.png"));
        loop {
            let p = capture(&self.x, &self.id, &shot)
                .get_pixel(self.centre.0, self.centre.1)
                .0;
            if p[..3] == want {
                return;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "{what}: the picture's centre is {p:?}, not {want:?}; last capture: {}",
                shot.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn xdotool(&self, args: &[&str]) {
        run_ok(self.x.cmd("xdotool").args(args));
    }

    /// Esc closes it; it exits 0.
    fn close(self) {
        self.xdotool(&["windowfocus", "--sync", &self.id, "key", "Escape"]);
        let (code, _, err) = self.preview.wait(Duration::from_secs(60));
        assert_eq!(code, Some(0), "stderr:\n{err}");
    }
}

/// A Shadertoy shader in the window: pressing on the picture makes `iMouse.zw` the press's
/// place (positive while the button is held) and releasing makes it negative, as on
/// Shadertoy's page.
#[test]
fn preview_gives_a_shadertoy_shader_its_mouse() {
    let code = "void mainImage(out vec4 c, in vec2 f) {\n\
         \x20   c = vec4(iMouse.z > 0.0 ? 1.0 : 0.0, iMouse.w < 0.0 ? 1.0 : 0.0, 1.0, 1.0);\n}\n";
    let Some(w) = ShadertoyWindow::start("mouse.glsl", code, [0, 0, 255, 255]) else {
        return;
    };
    let (cx, cy) = (w.centre.0.to_string(), w.centre.1.to_string());
    w.xdotool(&["mousemove", "--window", &w.id, &cx, &cy]);
    std::thread::sleep(Duration::from_millis(300));
    w.xdotool(&["mousedown", "1"]);
    // Held: iMouse.z is the press's x, positive; w positive.
    w.wait_for([255, 0, 255], "held");
    w.xdotool(&["mouseup", "1"]);
    // Released: z and w negative.
    w.wait_for([0, 255, 255], "released");
    w.close();
}

/// A Shadertoy shader with a keyboard channel in the window: the window's keys fill
/// Shadertoy's key texture (row 0 held, row 2 toggled).
#[test]
fn preview_gives_a_shadertoy_shader_its_keys() {
    let code = "void mainImage(out vec4 c, in vec2 f) { c = vec4(texelFetch(iChannel0, ivec2(32, 0), 0).x, texelFetch(iChannel0, ivec2(32, 2), 0).x, 1.0, 1.0); }";
    let json = serde_json::json!({"Shader": {"info": {"id": "keys", "name": "keys"}, "renderpass": [
        {"type": "image", "name": "Image", "code": code, "outputs": [],
         "inputs": [{"id": "4dXGRr", "ctype": "keyboard", "channel": 0}]}]}});
    let Some(w) = ShadertoyWindow::start("keys.json", &json.to_string(), [0, 0, 255, 255]) else {
        return;
    };
    w.xdotool(&["windowfocus", "--sync", &w.id, "keydown", "space"]);
    // Held and toggled on.
    w.wait_for([255, 255, 255], "held");
    w.xdotool(&["windowfocus", "--sync", &w.id, "keyup", "space"]);
    // Up, still toggled on.
    w.wait_for([0, 255, 255], "released");
    w.close();
}

#[test]
fn preview_ctrl_q_closes_with_a_clean_report() {
    let Some(WindowTest {
        _serial,
        _tmp,
        mut preview,
        x,
        id,
        dir,
        reference,
        ..
    }) = WindowTest::start(
        Dir::new("ctrlq"),
        "ctrlq.fs",
        "0",
        "64x64",
        &[
            "--paused",
            "--size",
            "64x64",
            "--window",
            "400x300",
            "--cleanup-report",
        ],
    )
    else {
        return;
    };
    wait_for_picture(&x, &id, &reference, &dir, "start");
    // A key sent while a loaded machine is still mapping or focusing the window can be
    // lost (no window manager runs here): send Ctrl+Q again until the window goes, at most
    // 12 times.
    for _ in 0..12 {
        // Not checked: once the window is gone (the process may still be shutting down),
        // xdotool fails to find it.
        let _ = x
            .cmd("xdotool")
            .args(["windowfocus", "--sync", &id, "key", "ctrl+q"])
            .output();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(5) {
            if !matches!(preview.child.try_wait(), Ok(None)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if !matches!(preview.child.try_wait(), Ok(None)) {
            break;
        }
    }
    let (code, _, err) = preview.wait(Duration::from_secs(60));
    assert_eq!(code, Some(0), "stderr:\n{err}");
    assert!(err.contains("leaks: none"), "{err}");
    assert!(!err.contains("error:"), "{err}");
}

/// Runs `cmd` with no X or Wayland display in its environment.
fn without_display(cmd: &mut Command) -> Output {
    cmd.env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap()
}

#[test]
fn preview_without_a_display_says_so_and_exits_2() {
    let d = Dir::new("nodisplay");
    let shader = d.write("a.fs", gradient());
    let out = without_display(isf_command().arg("preview").arg(&shader));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no display: isf preview opens a window and DISPLAY is not set (run it in a desktop session, or under Xvfb: xvfb-run isf preview SHADER.fs)\n"
    );
}

#[test]
fn preview_rejects_bad_arguments_before_opening_a_window() {
    let d = Dir::new("badargs");
    let shader = d.write("a.fs", gradient());
    let run = |args: &[&str]| {
        let out = isf_command()
            .arg("preview")
            .args(args)
            .env("DISPLAY", ":nonexistent")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let s = shader.to_str().unwrap();
    assert_eq!(
        run(&[s, "--fps", "0"]),
        (Some(2), "error: --fps must be a positive number\n".into())
    );
    let missing = d.join("missing.fs");
    let (code, err) = run(&[missing.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(&format!("error: cannot read {}: ", missing.display())),
        "{err}"
    );
}

/// `isf bench window --shader SHADER ARGS` on `x`, to the end. As in [`find_window`], a
/// display refused once is tried again once it answers.
fn bench_window(x: &Xvfb, shader: &Path, args: &[&str]) -> Output {
    let bench = || {
        isf_command()
            .args(["bench", "window", "--shader"])
            .arg(shader)
            .args(args)
            .env("DISPLAY", &x.display)
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap()
    };
    let out = bench();
    if String::from_utf8_lossy(&out.stderr).contains("cannot open the X display") {
        x.wait_until_it_answers();
        return bench();
    }
    out
}

/// A `bench window` test under way: the window tests' turn, the gradient shader saved in a
/// folder `name`, and an Xvfb. `None`, with the reason printed, when a window tool is missing.
fn bench_fixture(name: &str) -> Option<(std::sync::MutexGuard<'static, ()>, Dir, PathBuf, Xvfb)> {
    if let Err(why) = window_tools() {
        eprintln!("{why}");
        return None;
    }
    let one = serial();
    let d = Dir::new(name);
    let shader = d.write("a.fs", gradient());
    Some((one, d, shader, Xvfb::start()))
}

#[test]
fn bench_window_reports_the_present_limit_the_window_and_the_headless_rate() {
    let Some((_one, _d, shader, x)) = bench_fixture("bench_window") else {
        return;
    };
    let out = bench_window(
        &x,
        &shader,
        &[
            "--size", "64x48", "--window", "400x300", "--frames", "5", "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["frames"], 5);
    assert_eq!(v["size"], serde_json::json!([64, 48]));
    assert_eq!(v["window"], serde_json::json!([400, 300]));
    for k in [
        "present_limit_fps",
        "window_fps",
        "headless_fps",
        "render_ms",
    ] {
        assert!(v[k].as_f64().unwrap() > 0.0, "{k}: {v}");
    }
    let ratio = v["window_fps"].as_f64().unwrap() / v["present_limit_fps"].as_f64().unwrap();
    assert!((v["window_of_limit"].as_f64().unwrap() - ratio).abs() < 1e-9);

    // Without a display: the preview's message, and no figures.
    let out = without_display(
        isf_command()
            .args(["bench", "window", "--shader"])
            .arg(&shader),
    );
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no display: isf preview opens a window and DISPLAY is not set"),
        "{err}"
    );
}

#[test]
fn a_picture_wider_than_the_windows_gpu_takes_is_not_shown_and_nothing_fails() {
    let Some((_one, _d, shader, x)) = bench_fixture("too_wide") else {
        return;
    };
    // 9,000 pixels wide: more than egui-wgpu's device takes on lavapipe (8,192 a side). The
    // window once panicked in egui here; now the frame renders and the status says why it
    // is not shown.
    let out = bench_window(
        &x,
        &shader,
        &["--size", "9000x64", "--window", "400x300", "--frames", "3"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    if let Some(line) = err.lines().find(|l| l.contains("the picture is 9000x64")) {
        assert!(
            line.ends_with(
                "WARN isfkit_preview::app: the picture is 9000x64, more than the window's GPU shows (8192 per side): it renders (snapshots and recordings have it) but is not shown"
            ),
            "{err}"
        );
    }
}
