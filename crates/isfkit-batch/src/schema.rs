//! The job file as written: serde types only, nothing checked but the keys.
//!
//! Two layouts are read: isfkit's own (`defaults` + `jobs`) and the one other ISF batch
//! tools use (`defaults: {width, height, quality, output_format}` + `shaders: [{input,
//! output, times, ...}]`). Both may appear in one file; `jobs` come first. Checking values,
//! expanding globs and resolving paths is [`crate::plan`]'s work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Frames to render: a count (`30`) or a half-open range of frame numbers (`"10..40"`).
/// The range stays text here; the plan reports a malformed one as a problem of its entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FramesSpec {
    Count(u64),
    Range(String),
}

/// One entry of `jobs`/`shaders`, or the `defaults`. Every field is optional so defaults
/// and entries merge ([`Entry::over`]); unknown keys are errors, because a typo must not
/// be silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A shader path or glob, relative to the job file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shader: Option<String>,
    /// The other batch tools' name for `shader`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Output path or template: `{name}`, `%04d` or `{frame:04}`; the extension picks the format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<FramesSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Explicit times instead of `frames`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<Vec<f64>>,
    /// Time of frame 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    /// `DATE` of frame 0, `YYYY-MM-DDTHH:MM:SS`; later frames add their time since frame 0.
    /// Default: the wall clock as each frame renders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `WIDTHxHEIGHT`, or use `width` and `height`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// JPEG quality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
    /// Extension added to an output that has none (`output_format` in the other layout).
    #[serde(alias = "output_format", skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Input values: numbers, bools, `[r, g, b, a]`, a long's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<BTreeMap<String, serde_json::Value>>,
    /// Image inputs: input name to a file, relative to the job file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<BTreeMap<String, String>>,
    /// Audio and audioFFT inputs: input name to a sound file (WAV, or anything ffmpeg
    /// decodes), relative to the job file. Each frame sees the window that ends at its time;
    /// a video output carries the first one's sound (by input name) from its first frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<BTreeMap<String, String>>,
    /// Render to float textures (16-bit PNG by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub float: Option<bool>,
    /// PNG bits per channel: 8 or 16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<u8>,
}

impl Entry {
    /// `self` over `defaults`: the entry's own keys win, `inputs` and `images` merge key by
    /// key, `input` becomes `shader`. `frames` and `times` exclude each other: an entry that
    /// sets one does not inherit the other from the defaults.
    pub fn over(&self, d: &Entry) -> Entry {
        let mut inputs = d.inputs.clone().unwrap_or_default();
        inputs.extend(self.inputs.clone().unwrap_or_default());
        let mut images = d.images.clone().unwrap_or_default();
        images.extend(self.images.clone().unwrap_or_default());
        let mut audio = d.audio.clone().unwrap_or_default();
        audio.extend(self.audio.clone().unwrap_or_default());
        Entry {
            shader: self.shader.clone().or_else(|| self.input.clone()),
            input: None,
            output: self.output.clone().or_else(|| d.output.clone()),
            frames: self.frames.clone().or_else(|| {
                if self.times.is_some() {
                    None
                } else {
                    d.frames.clone()
                }
            }),
            fps: self.fps.or(d.fps),
            times: self.times.clone().or_else(|| {
                if self.frames.is_some() {
                    None
                } else {
                    d.times.clone()
                }
            }),
            time: self.time.or(d.time),
            date: self.date.clone().or_else(|| d.date.clone()),
            size: self.size.clone().or_else(|| d.size.clone()),
            width: self.width.or(d.width),
            height: self.height.or(d.height),
            quality: self.quality.or(d.quality),
            format: self.format.clone().or_else(|| d.format.clone()),
            inputs: Some(inputs),
            images: Some(images),
            audio: Some(audio),
            float: self.float.or(d.float),
            bits: self.bits.or(d.bits),
        }
    }
}

/// A whole job file (YAML or JSON; JSON is read as YAML).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobFile {
    /// Keys every entry inherits.
    #[serde(default)]
    pub defaults: Entry,
    /// isfkit's layout.
    #[serde(default)]
    pub jobs: Vec<Entry>,
    /// The layout of other ISF batch tools.
    #[serde(default)]
    pub shaders: Vec<Entry>,
}

/// The deepest nesting of YAML flow collections (`[...]`, `{...}`) in a job file: 128, the
/// depth at which serde_yaml_ng stops anyway. The YAML parser takes time quadratic in this
/// depth (found by fuzzing: 45,000 `[` took 20 s, a 16 MiB file would take hours), so it is
/// checked before parsing. Real job files nest 2 or 3 deep.
pub const MAX_FLOW_NESTING: usize = 128;

/// The line and column (1-based) of the first `[` or `{` that opens a flow collection deeper
/// than `limit`, skipping quoted scalars and comments; `None` when none does. Brackets inside
/// plain scalars count, so this is an upper bound of the YAML nesting.
fn flow_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut chars = text.chars().peekable();
    // The character before the current one (a quote opens a scalar only after a separator).
    let mut prev = '\n';
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '#' if prev.is_whitespace() => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '"' | '\'' if prev.is_whitespace() || matches!(prev, ':' | '[' | '{' | ',' | '-') => {
                // To the closing quote (`\"` escapes in double quotes, `''` in single ones).
                while let Some(q) = chars.next() {
                    column += 1;
                    if q == '\n' {
                        (line, column) = (line + 1, 0);
                    } else if q == '\\' && c == '"' {
                        chars.next();
                        column += 1;
                    } else if q == c {
                        if c == '\'' && chars.peek() == Some(&'\'') {
                            chars.next();
                            column += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

impl JobFile {
    /// Parses a job file's text. The error is serde_yaml_ng's (it names the line and, for a
    /// typo, the unknown field), or says that `[`/`{` nest deeper than [`MAX_FLOW_NESTING`].
    pub fn parse(text: &str) -> Result<JobFile, serde_yaml_ng::Error> {
        if let Some((line, column)) = flow_too_deep(text, MAX_FLOW_NESTING) {
            return Err(<serde_yaml_ng::Error as serde::de::Error>::custom(format!(
                "[ and {{ nest deeper than the limit of {MAX_FLOW_NESTING} levels at line {line} column {column}"
            )));
        }
        serde_yaml_ng::from_str(text)
    }

    /// Every entry merged over the defaults, named for messages: `jobs[0]`, ...,
    /// `shaders[0]`, ..., in that order.
    pub fn entries(&self) -> Vec<(String, Entry)> {
        self.jobs
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("jobs[{i}]"), e.over(&self.defaults)))
            .chain(
                self.shaders
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (format!("shaders[{i}]"), e.over(&self.defaults))),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_layout() {
        let job = JobFile::parse(
            "defaults:\n  size: 32x24\n  fps: 10\n  inputs: { speed: 1.5 }\njobs:\n  - shader: a.fs\n    frames: 3\n    inputs: { level: [1, 0, 0, 1] }\n  - shader: b.fs\n    frames: \"5..7\"\n    output: out/{name}_%04d.png\n",
        )
        .unwrap();
        let entries = job.entries();
        assert_eq!(entries.len(), 2);
        let (origin, a) = &entries[0];
        assert_eq!(origin, "jobs[0]");
        assert_eq!(a.shader.as_deref(), Some("a.fs"));
        assert_eq!(a.size.as_deref(), Some("32x24"));
        assert_eq!(a.fps, Some(10.0));
        assert_eq!(a.frames, Some(FramesSpec::Count(3)));
        let inputs = a.inputs.as_ref().unwrap();
        assert_eq!(inputs["speed"], serde_json::json!(1.5));
        assert_eq!(inputs["level"], serde_json::json!([1, 0, 0, 1]));
        assert_eq!(entries[1].1.frames, Some(FramesSpec::Range("5..7".into())));
    }

    #[test]
    fn other_tools_layout() {
        let job = JobFile::parse(
            r#"{"defaults": {"width": 40, "height": 20, "quality": 80, "output_format": "jpg"},
                "shaders": [{"input": "g.fs", "output": "out/grad", "times": [0.0, 0.5], "inputs": {}}]}"#,
        )
        .unwrap();
        let entries = job.entries();
        assert_eq!(entries.len(), 1);
        let (origin, e) = &entries[0];
        assert_eq!(origin, "shaders[0]");
        assert_eq!(e.shader.as_deref(), Some("g.fs"));
        assert_eq!(
            (e.width, e.height, e.quality),
            (Some(40), Some(20), Some(80))
        );
        assert_eq!(e.format.as_deref(), Some("jpg"));
        assert_eq!(e.times, Some(vec![0.0, 0.5]));
    }

    #[test]
    fn frames_and_times_exclude_each_other_across_defaults() {
        let job = JobFile::parse(
            "defaults:\n  frames: 4\n  times: [1.0]\njobs:\n  - shader: a.fs\n    times: [0.5]\n  - shader: b.fs\n    frames: 2\n",
        )
        .unwrap();
        let e = job.entries();
        assert_eq!(
            (e[0].1.frames.clone(), e[0].1.times.clone()),
            (None, Some(vec![0.5]))
        );
        assert_eq!(
            (e[1].1.frames.clone(), e[1].1.times.clone()),
            (Some(FramesSpec::Count(2)), None)
        );
    }

    /// Found by fuzzing (`fuzz/`, target `job`): deeply nested flow collections took the
    /// YAML parser quadratic time (45,000 `[` in a `bits:` value: 20 s).
    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!(
            "jobs:\n  - shader: a.fs\n    bits: {}\n",
            "[".repeat(200_000)
        );
        let start = std::time::Instant::now();
        let err = JobFile::parse(&deep).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            err.to_string(),
            "[ and { nest deeper than the limit of 128 levels at line 3 column 139"
        );
        let deep = format!("jobs: [{}]\n", "{a: ".repeat(200));
        assert_eq!(
            JobFile::parse(&deep).unwrap_err().to_string(),
            "[ and { nest deeper than the limit of 128 levels at line 1 column 516"
        );
        // Brackets in quoted scalars and comments do not count; nesting up to the limit is
        // left to serde_yaml_ng.
        let quoted = format!(
            "jobs:\n  - shader: \"{0}\"\n    output: '{0}''s.png' # {0}\n",
            "[".repeat(300)
        );
        let job = JobFile::parse(&quoted).unwrap();
        assert_eq!(
            job.jobs[0].shader.as_deref(),
            Some("[".repeat(300).as_str())
        );
        assert!(flow_too_deep(&format!("a: {}", "[".repeat(128)), 128).is_none());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = JobFile::parse("jobs:\n  - shader: a.fs\n    ouptut: x.png\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `ouptut`"), "{err}");
    }
}
