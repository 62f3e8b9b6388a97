//! Helpers shared by the CLI integration tests: a fresh folder per test, the real `isf`
//! binary run in it, and the repository's test shaders.
//!
//! The binary runs without `RUST_LOG` and without `XDG_RUNTIME_DIR`, as on servers and in
//! CI (libwayland, loaded by the Vulkan loader, would print "error: XDG_RUNTIME_DIR is
//! invalid or not set" unless isfkit handles it).
#![allow(dead_code)] // each test file uses a part of it

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The repository's `tests/shaders` folder.
pub fn shaders_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/shaders")
}

/// `isf` without `RUST_LOG` and `XDG_RUNTIME_DIR`, and with its pipeline cache off (the
/// user's cache folder is neither read nor written by the tests; the pipeline cache's own
/// test turns it on), not started yet.
pub fn isf_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_isf"));
    c.env_remove("RUST_LOG")
        .env_remove("XDG_RUNTIME_DIR")
        .env("ISFKIT_PIPELINE_CACHE", "off");
    c
}

/// Whether an executable named `tool` is in a folder on `PATH`.
pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// Whether the ffmpeg tests run: true when `ffmpeg -version` works; false, with the reason
/// printed, when it does not and `ISFKIT_SKIP_FFMPEG_TESTS=1` asks to skip them. A missing
/// ffmpeg without that variable fails the test.
pub fn ffmpeg_or_skip() -> bool {
    let found = Command::new("ffmpeg")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("ISFKIT_SKIP_FFMPEG_TESTS").as_deref() == Ok("1") {
            eprintln!("ISFKIT_SKIP_FFMPEG_TESTS=1: skipping (ffmpeg is not installed)");
            return false;
        }
        panic!("ffmpeg is not installed: install it (scripts/install-deps.sh) or set ISFKIT_SKIP_FFMPEG_TESTS=1");
    }
    true
}

/// Writes a 16-bit 44.1 kHz WAV of `channels` channels lasting `seconds`: `sample(t,
/// channel)` is each sample's value (-1..1) at `t` seconds.
pub fn write_wav(path: &Path, channels: u16, seconds: f64, sample: impl Fn(f64, u16) -> f64) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(seconds * 44100.0) as usize {
        let t = i as f64 / 44100.0;
        for c in 0..channels {
            w.write_sample((sample(t, c) * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

/// Starts `cmd` with a pipe for each of stdin, stdout and stderr.
pub fn spawn_piped(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"))
}

/// Starts `cmd` with stdin and stdout closed and stderr read line by line on a thread;
/// returns the process, the lines after the first, and the first line (waited for up to
/// 60 s: the servers say there where they listen).
pub fn spawn_with_stderr_lines(mut cmd: Command) -> (Child, mpsc::Receiver<String>, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"));
    let stderr = child.stderr.take().expect("a stderr pipe");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no line on the stderr of {cmd:?} within 60 s"));
    (child, rx, first)
}

/// Sends SIGTERM to `child` and waits up to 60 s for its exit status.
pub fn terminate(child: &mut Child) -> ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let started = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An HTTP client for which every status is an answer: no redirects, no proxy, `timeout` for
/// a whole request (the serve load test's).
pub fn http_agent(timeout: Duration) -> ureq::Agent {
    isfkit_serve::load::agent(timeout)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command of `o` succeeded, showing its stderr when it did not.
pub fn assert_success(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

/// stdout as JSON, or a panic that shows it.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

/// A fresh, empty folder under the system temp folder (one group per test file), removed on
/// drop unless `ISFKIT_KEEP_TEST_DIRS` is set.
pub struct Dir {
    pub path: PathBuf,
    /// Removes the folder when dropped (taken and kept with `ISFKIT_KEEP_TEST_DIRS`).
    tmp: Option<tempfile::TempDir>,
}

impl Dir {
    pub fn new(name: &str) -> Dir {
        let group = std::env::temp_dir().join(format!("isfkit-{}-tests", env!("CARGO_CRATE_NAME")));
        std::fs::create_dir_all(&group).expect("create the test folder");
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{name}-"))
            .tempdir_in(&group)
            .expect("create the test folder");
        Dir {
            path: tmp.path().to_owned(),
            tmp: Some(tmp),
        }
    }

    /// A fresh folder holding a copy of tests/shaders/gradient.fs and `job` as job.yaml.
    pub fn with_gradient_job(name: &str, job: &str) -> Dir {
        let dir = Dir::new(name);
        dir.copy("gradient.fs");
        dir.write("job.yaml", job);
        dir
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// Writes `rel` (creating its folders); returns its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create a folder");
        }
        std::fs::write(&p, content).expect("write a test file");
        p
    }

    /// Copies `tests/shaders/<rel>` into this folder under its file name; returns that name.
    pub fn copy(&self, rel: &str) -> String {
        let src = shaders_dir().join(rel);
        let name = Path::new(rel)
            .file_name()
            .expect("a file name")
            .to_str()
            .expect("UTF-8")
            .to_string();
        std::fs::copy(&src, self.path.join(&name))
            .unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        name
    }

    /// `isf ARGS` with this folder as the working directory, not started yet.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = isf_command();
        c.args(args).current_dir(&self.path);
        c
    }

    /// Runs `isf ARGS` to the end.
    pub fn output(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run the isf binary")
    }

    /// Runs `isf ARGS` to the end with `input` on its standard input.
    pub fn output_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = spawn_piped(&mut self.cmd(args));
        child
            .stdin
            .take()
            .expect("a stdin pipe")
            .write_all(input.as_bytes())
            .expect("write the standard input");
        child.wait_with_output().expect("run the isf binary")
    }

    /// Runs `isf ARGS` to the end and says how long it took.
    pub fn timed(&self, args: &[&str]) -> (Output, Duration) {
        let t = Instant::now();
        let o = self.output(args);
        (o, t.elapsed())
    }

    /// Runs `isf ARGS` to the end, for the assertions of [`Run`].
    pub fn isf(&self, args: &[&str]) -> Run {
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            output: self.output(args),
        }
    }

    /// Runs `isf` to the end with the words of `line` as its arguments and says how long it took.
    pub fn timed_words(&self, line: &str) -> (Output, Duration) {
        self.timed(&line.split_whitespace().collect::<Vec<_>>())
    }

    /// Runs `isf` to the end with the words of `line` as its arguments, for the assertions of
    /// [`Run`].
    pub fn isf_words(&self, line: &str) -> Run {
        self.isf(&line.split_whitespace().collect::<Vec<_>>())
    }

    /// The names in folder `sub`, sorted (none when it does not exist).
    pub fn files(&self, sub: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.path.join(sub))
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Decodes the image `rel`.
    pub fn png(&self, rel: &str) -> image::RgbaImage {
        let path = self.join(rel);
        image::open(&path)
            .unwrap_or_else(|e| panic!("decode {}: {e}", path.display()))
            .to_rgba8()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        if std::env::var_os("ISFKIT_KEEP_TEST_DIRS").is_some() {
            if let Some(tmp) = self.tmp.take() {
                let _ = tmp.keep();
            }
        }
    }
}

/// One finished run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output
            .status
            .code()
            .expect("the binary exited normally")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        stderr(&self.output)
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr().lines().map(str::to_string).collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout of {self:?} is not JSON: {e}"))
    }

    /// Asserts the exit code (a signal or an abort has none and fails here too), showing the
    /// whole run when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "unexpected exit code for {self:?}"
        );
        self
    }

    /// Asserts that stderr holds `line` as one whole line.
    #[track_caller]
    pub fn expect_stderr_line(&self, line: &str) -> &Run {
        assert!(
            self.stderr_lines().iter().any(|l| l == line),
            "stderr lacks the line {line:?}: {self:?}"
        );
        self
    }

    /// Asserts that stderr holds `text`.
    #[track_caller]
    pub fn expect_stderr_contains(&self, text: &str) -> &Run {
        assert!(
            self.stderr().contains(text),
            "stderr lacks {text:?}: {self:?}"
        );
        self
    }

    /// Asserts that some stderr line starts with `prefix`.
    #[track_caller]
    pub fn expect_stderr_line_starting(&self, prefix: &str) -> &Run {
        assert!(
            self.stderr_lines().iter().any(|l| l.starts_with(prefix)),
            "stderr has no line starting {prefix:?}: {self:?}"
        );
        self
    }
}

/// What a run must print on stderr: a whole line, or the start of one.
pub enum Says {
    Line(&'static str),
    Starting(&'static str),
}

impl Run {
    /// Asserts that stderr says `says`.
    #[track_caller]
    pub fn expect_stderr(&self, says: &Says) -> &Run {
        match says {
            Says::Line(line) => self.expect_stderr_line(line),
            Says::Starting(prefix) => self.expect_stderr_line_starting(prefix),
        }
    }
}

/// A run that must fail: the shader copied from tests/shaders ("" for none), the arguments
/// separated by spaces (`{fs}` stands for the copied shader's name, `{shaders}` for
/// tests/shaders), the exit code and what stderr says.
pub type Failure = (&'static str, &'static str, i32, Says);

/// Runs each failure in a fresh folder: it exits with its code, says its message and writes
/// no `out.png`.
pub fn expect_failures(failures: &[Failure]) {
    let shaders = shaders_dir().display().to_string();
    for (shader, args, code, says) in failures {
        let dir = Dir::new("failure");
        let fs = if shader.is_empty() {
            String::new()
        } else {
            dir.copy(shader)
        };
        let args: Vec<String> = args
            .split_whitespace()
            .map(|a| a.replace("{fs}", &fs).replace("{shaders}", &shaders))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        dir.isf(&args).expect_code(*code).expect_stderr(says);
        assert!(!dir.join("out.png").exists(), "{args:?} wrote out.png");
    }
}

impl std::fmt::Debug for Run {
    /// The command and its output, each stream cut at 3,000 characters (hostile inputs are
    /// long).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &[u8]| {
            String::from_utf8_lossy(s)
                .chars()
                .take(3000)
                .collect::<String>()
        };
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.chars().take(80).collect())
            .collect();
        write!(
            f,
            "\n$ isf {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}---",
            args.join(" "),
            self.output.status.code(),
            cut(&self.output.stdout),
            cut(&self.output.stderr)
        )
    }
}
