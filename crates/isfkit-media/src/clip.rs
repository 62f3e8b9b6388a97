//! Moving pictures behind an image input: a video file (anything ffmpeg decodes, read by
//! running `ffmpeg` and `ffprobe`) or an image sequence (a frame-number pattern such as
//! `shots/f_%04d.png`), with what is shown past the end (hold the last frame, loop, or
//! transparent black), an offset into the clip and a speed:
//!
//! ```text
//! clip.mp4                 the clip from its start, the last frame held past its end
//! clip.mp4#start=2.5,loop  from 2.5 s into the clip, looping
//! shots/f_%04d.png#rate=24 a sequence at 24 frames a second (default: one file a frame)
//! ```
//!
//! The frame shown at clip time `c` is the last whose presentation time is at or before `c`.
//! Decoding runs ahead on a thread of its own, a few frames at most, so no clip is held in
//! memory and the GPU does not wait for the decoder.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use crate::frame_pattern::FramePattern;
use crate::image::{load_image, Image};

/// File extensions read as video (an animated GIF too).
const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "webm", "mkv", "avi", "gif", "mpg", "mpeg", "ts", "mts", "ogv", "flv",
    "wmv", "mxf", "y4m",
];

/// Frames decoded ahead of the one shown.
const DECODE_AHEAD: usize = 3;

/// What a clip shows past its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PastEnd {
    /// The last frame.
    #[default]
    Hold,
    /// The clip again from its start.
    Loop,
    /// Transparent black.
    Black,
}

/// How a clip is played: `#start=S,speed=X,rate=R,loop|hold|black` after its path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipOptions {
    /// Seconds into the clip at render time 0.
    pub start: f64,
    /// Clip seconds per render second.
    pub speed: f64,
    /// An image sequence's frames per second (default: one file per render frame).
    pub rate: Option<f64>,
    pub past_end: PastEnd,
}

impl Default for ClipOptions {
    fn default() -> Self {
        ClipOptions {
            start: 0.0,
            speed: 1.0,
            rate: None,
            past_end: PastEnd::Hold,
        }
    }
}

/// Where a clip's frames come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ClipSource {
    Video(PathBuf),
    /// A frame-number pattern: the files that match it, from the lowest number.
    Sequence(String),
    /// A YUV4MPEG2 stream on standard input (`-`): `ffmpeg -i in.mov -f yuv4mpegpipe - |
    /// isf render ...`. Its length is not known ahead: a render without `--frames` ends with
    /// the stream.
    Stdin,
}

/// A moving image input as the user wrote it: the source and how it plays.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipSpec {
    pub source: ClipSource,
    pub options: ClipOptions,
}

/// A clip that cannot be read: the path (or pattern) and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot read video {path}: {message}")]
pub struct ClipError {
    pub path: String,
    pub message: String,
}

impl ClipSpec {
    /// The clip `text` names, or `None` for a still image (no video extension, no frame
    /// number). `Err` for options that do not parse.
    pub fn parse(text: &str) -> Result<Option<ClipSpec>, String> {
        if text == "-" {
            return Ok(Some(ClipSpec {
                source: ClipSource::Stdin,
                options: ClipOptions::default(),
            }));
        }
        let (path, options) = match text.rsplit_once('#') {
            Some((p, o)) if !o.contains('/') => (p, Some(o)),
            _ => (text, None),
        };
        let source = if FramePattern::parse(path).has_number() {
            ClipSource::Sequence(path.to_owned())
        } else if Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| VIDEO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            ClipSource::Video(PathBuf::from(path))
        } else if options.is_some() {
            return Err(format!(
                "\"{text}\": playing options (#...) are for videos and image sequences, and {path} is neither"
            ));
        } else {
            return Ok(None);
        };
        let options = match options {
            Some(o) => parse_options(o).map_err(|m| format!("\"{text}\": {m}"))?,
            None => ClipOptions::default(),
        };
        Ok(Some(ClipSpec { source, options }))
    }

    /// The path or pattern, for messages.
    pub fn name(&self) -> String {
        match &self.source {
            ClipSource::Video(p) => p.display().to_string(),
            ClipSource::Sequence(p) => p.clone(),
            ClipSource::Stdin => "standard input".into(),
        }
    }

    /// The spec with its path (or pattern) relative to `base`.
    pub fn under(&self, base: &Path) -> ClipSpec {
        let source = match &self.source {
            ClipSource::Video(p) => ClipSource::Video(base.join(p)),
            ClipSource::Sequence(p) => ClipSource::Sequence(base.join(p).display().to_string()),
            ClipSource::Stdin => ClipSource::Stdin,
        };
        ClipSpec {
            source,
            options: self.options,
        }
    }
}

fn parse_options(text: &str) -> Result<ClipOptions, String> {
    let mut o = ClipOptions::default();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let number = |v: &str, what: &str| -> Result<f64, String> {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("{what} \"{v}\" is not a number"))
        };
        match item.split_once('=') {
            None if item == "loop" => o.past_end = PastEnd::Loop,
            None if item == "hold" => o.past_end = PastEnd::Hold,
            None if item == "black" => o.past_end = PastEnd::Black,
            Some(("start", v)) => o.start = number(v, "start")?,
            Some(("speed", v)) => {
                o.speed = number(v, "speed")?;
                if o.speed <= 0.0 {
                    return Err(format!("speed {v} must be positive"));
                }
            }
            Some(("rate", v)) => {
                let r = number(v, "rate")?;
                if r <= 0.0 {
                    return Err(format!("rate {v} must be positive"));
                }
                o.rate = Some(r);
            }
            _ => {
                return Err(format!(
                "unknown option \"{item}\" (start=SECONDS, speed=X, rate=FPS, loop, hold, black)"
            ))
            }
        }
    }
    Ok(o)
}

/// What a clip holds, read before any frame is decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInfo {
    pub width: u32,
    pub height: u32,
    /// Frames per second (a video's average rate; a sequence's `rate`, if given).
    pub fps: Option<f64>,
    /// Presentation time of each frame, in seconds from the first (a sequence: none).
    pub frame_times: Vec<f64>,
    /// Frames in the clip.
    pub frames: u64,
    /// Seconds the clip lasts (its last frame shown for one frame's time).
    pub duration: Option<f64>,
    pub has_audio: bool,
}

/// Reads what `spec` holds: ffprobe for a video, the matching files for a sequence (which
/// must have no gap). `max_side` bounds width and height.
pub fn probe_clip(spec: &ClipSpec, max_side: u32) -> Result<ClipInfo, ClipError> {
    let info = match &spec.source {
        ClipSource::Video(path) => probe_video_once(path)?,
        ClipSource::Stdin => {
            let h = stdin_header()?;
            ClipInfo {
                width: h.width,
                height: h.height,
                fps: Some(h.fps),
                frame_times: Vec::new(),
                frames: u64::MAX,
                duration: None,
                has_audio: false,
            }
        }
        ClipSource::Sequence(pattern) => {
            let files = sequence_files(pattern)?;
            let first = files.first().expect("a sequence has files");
            let (width, height) = image::image_dimensions(&first.1).map_err(|e| ClipError {
                path: first.1.display().to_string(),
                message: e.to_string(),
            })?;
            let frames = files.len() as u64;
            ClipInfo {
                width,
                height,
                fps: spec.options.rate,
                frame_times: Vec::new(),
                frames,
                duration: spec.options.rate.map(|r| frames as f64 / r),
                has_audio: false,
            }
        }
    };
    if info.width > max_side || info.height > max_side {
        return Err(ClipError {
            path: spec.name(),
            message: format!(
                "{}x{} is larger than the limit of {max_side} pixels per side",
                info.width, info.height
            ),
        });
    }
    Ok(info)
}

fn ffmpeg_missing(tool: &str, path: &Path, e: std::io::Error) -> ClipError {
    ClipError {
        path: path.display().to_string(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            format!("video inputs need {tool}, which is not installed (Debian/Ubuntu: apt-get install ffmpeg)")
        } else {
            format!("cannot run {tool}: {e}")
        },
    }
}

/// The last non-empty line ffmpeg or ffprobe wrote: what went wrong.
fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned()
}

/// Videos probed in this process, by path, with the file's length, modification and change
/// times and inode: a render probes its footage for its defaults and again when it opens
/// it, and ffprobe costs about a tenth of a second. A file changed or replaced since (even
/// by a copy that keeps its length and modification time) is probed again.
type ProbeKey = (PathBuf, u64, std::time::SystemTime, i64, i64, u64);
static PROBED: std::sync::Mutex<Vec<(ProbeKey, ClipInfo)>> = std::sync::Mutex::new(Vec::new());

/// Probes kept at most (the oldest goes first).
const PROBES_KEPT: usize = 16;

/// [`probe_video`], once per file as it is now.
fn probe_video_once(path: &Path) -> Result<ClipInfo, ClipError> {
    use std::os::unix::fs::MetadataExt;
    let key = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .and_then(|m| {
            let modified = m.modified().ok()?;
            Some((
                path.to_path_buf(),
                m.len(),
                modified,
                m.ctime(),
                m.ctime_nsec(),
                m.ino(),
            ))
        });
    let Some(key) = key else {
        return probe_video(path);
    };
    let probed = |list: &Vec<(ProbeKey, ClipInfo)>| {
        list.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, info)| info.clone())
    };
    if let Some(info) = probed(&PROBED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(info);
    }
    let info = probe_video(path)?;
    let mut list = PROBED.lock().unwrap_or_else(|e| e.into_inner());
    if probed(&list).is_none() {
        if list.len() == PROBES_KEPT {
            list.remove(0);
        }
        list.push((key, info.clone()));
    }
    Ok(info)
}

/// Two ffprobe runs at once: the streams (size, rate, turn, whether there is sound), and the
/// presentation time of every packet of the first video stream (as compact text: a film's
/// packets are hundreds of thousands).
fn probe_video(path: &Path) -> Result<ClipInfo, ClipError> {
    let err = |message: String| ClipError {
        path: path.display().to_string(),
        message,
    };
    if !path.is_file() {
        return Err(err("no such file".into()));
    }
    let ffprobe = |args: &[&str]| {
        Command::new("ffprobe")
            .args(args)
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| ffmpeg_missing("ffprobe", path, e))
    };
    let streams = ffprobe(&[
        "-v",
        "error",
        "-show_entries",
        "stream=codec_type,width,height,avg_frame_rate,r_frame_rate:stream_side_data=rotation:stream_tags=rotate",
        "-of",
        "json",
    ])?;
    let packets = ffprobe(&[
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "packet=pts_time",
        "-of",
        "csv=p=0",
    ]);
    let finish = |child: std::process::Child| -> Result<Vec<u8>, ClipError> {
        let out = child
            .wait_with_output()
            .map_err(|e| err(format!("cannot read ffprobe's answer: {e}")))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(err(last_line(&out.stderr)))
        }
    };
    let streams = finish(streams);
    let packets = packets.and_then(finish);
    let out = streams?;
    let v: serde_json::Value = serde_json::from_slice(&out)
        .map_err(|e| err(format!("ffprobe's answer is not JSON: {e}")))?;
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    let video = streams
        .iter()
        .find(|s| s["codec_type"] == "video")
        .ok_or_else(|| err("the file has no video stream".into()))?;
    let has_audio = streams.iter().any(|s| s["codec_type"] == "audio");
    let (mut width, mut height) = (
        video["width"].as_u64().unwrap_or(0) as u32,
        video["height"].as_u64().unwrap_or(0) as u32,
    );
    if width == 0 || height == 0 {
        return Err(err("the video stream has no size".into()));
    }
    // ffmpeg turns frames upright as it decodes them: a quarter turn swaps the sides.
    let rotation = video["side_data_list"]
        .as_array()
        .and_then(|l| l.iter().find_map(|d| d["rotation"].as_f64()))
        .or_else(|| {
            video["tags"]["rotate"]
                .as_str()
                .and_then(|r| r.parse().ok())
        })
        .unwrap_or(0.0);
    if (rotation.abs() as i64 / 90) % 2 == 1 {
        std::mem::swap(&mut width, &mut height);
    }
    let rate = |key: &str| -> Option<f64> {
        let (n, d) = video[key].as_str()?.split_once('/')?;
        let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
        (n > 0.0 && d > 0.0).then(|| n / d)
    };
    let fps = rate("avg_frame_rate").or_else(|| rate("r_frame_rate"));
    let frame_times = frame_times(&packets?);
    if frame_times.is_empty() {
        return Err(err("the video stream has no frames".into()));
    }
    let last = *frame_times.last().expect("non-empty");
    let duration = last + fps.map_or(0.0, |f| 1.0 / f);
    Ok(ClipInfo {
        width,
        height,
        fps,
        frames: frame_times.len() as u64,
        frame_times,
        duration: Some(duration),
        has_audio,
    })
}

/// The presentation time of every frame in ffprobe's list of packet times (one a line), from
/// the first, in presentation order (packets come in decode order; a variable rate follows
/// them).
fn frame_times(csv: &[u8]) -> Vec<f64> {
    let mut times: Vec<f64> = String::from_utf8_lossy(csv)
        .lines()
        .filter_map(|l| l.trim().trim_end_matches(',').parse().ok())
        .filter(|t: &f64| t.is_finite())
        .collect();
    times.sort_by(f64::total_cmp);
    if let Some(&first) = times.first() {
        for t in &mut times {
            *t -= first;
        }
    }
    times
}

/// The files of an image sequence, by frame number, from the lowest; a gap is an error that
/// names the first missing number.
fn sequence_files(pattern: &str) -> Result<Vec<(u64, PathBuf)>, ClipError> {
    let err = |message: String| ClipError {
        path: pattern.to_owned(),
        message,
    };
    let path = Path::new(pattern);
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| err("the pattern names no file".into()))?;
    let pattern = FramePattern::parse(name);
    let entries = std::fs::read_dir(folder)
        .map_err(|e| err(format!("cannot read folder {}: {e}", folder.display())))?;
    let mut files: Vec<(u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n = pattern.number_of(e.file_name().to_str()?)?;
            Some((n, e.path()))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(err("no file matches the pattern".into()));
    }
    for w in files.windows(2) {
        if w[1].0 != w[0].0 + 1 {
            return Err(err(format!(
                "the sequence has a gap: {} is missing (after {})",
                pattern.format(w[0].0 + 1),
                w[0].1.display()
            )));
        }
    }
    Ok(files)
}

/// The header line of the YUV4MPEG2 stream on standard input, read once.
#[derive(Debug, Clone)]
struct StdinHeader {
    line: Vec<u8>,
    width: u32,
    height: u32,
    fps: f64,
}

/// The stream's header, and whether a decoder has taken the stream.
static STDIN: std::sync::Mutex<Option<(StdinHeader, bool)>> = std::sync::Mutex::new(None);

/// Reads (once) and parses the header of the YUV4MPEG2 stream on standard input.
fn stdin_header() -> Result<StdinHeader, ClipError> {
    use std::io::BufRead;
    let err = |message: String| ClipError {
        path: "standard input".into(),
        message,
    };
    let mut state = STDIN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((h, _)) = &*state {
        return Ok(h.clone());
    }
    let mut line = Vec::new();
    std::io::stdin()
        .lock()
        .take(4096)
        .read_until(b'\n', &mut line)
        .map_err(|e| err(format!("cannot read the stream: {e}")))?;
    let text = String::from_utf8_lossy(&line);
    let mut words = text.split_whitespace();
    if words.next() != Some("YUV4MPEG2") {
        return Err(err(
            "not a YUV4MPEG2 stream (pipe one in: ffmpeg -i IN -f yuv4mpegpipe -)".into(),
        ));
    }
    let (mut width, mut height, mut fps) = (0u32, 0u32, 25.0f64);
    for w in words {
        let (tag, value) = w.split_at(1);
        match tag {
            "W" => width = value.parse().unwrap_or(0),
            "H" => height = value.parse().unwrap_or(0),
            "F" => {
                if let Some((n, d)) = value.split_once(':') {
                    if let (Ok(n), Ok(d)) = (n.parse::<f64>(), d.parse::<f64>()) {
                        if n > 0.0 && d > 0.0 {
                            fps = n / d;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if width == 0 || height == 0 {
        return Err(err(format!(
            "the stream's header gives no size: {}",
            text.trim()
        )));
    }
    let h = StdinHeader {
        line,
        width,
        height,
        fps,
    };
    *state = Some((h.clone(), false));
    Ok(h)
}

/// A clip being played: the frame shown at each render time, decoded ahead.
pub struct ClipReader {
    spec: ClipSpec,
    info: ClipInfo,
    max_side: u32,
    /// The render's frames per second (a sequence without `rate` shows one file a frame).
    render_fps: f64,
    frames: Frames,
    /// The frame shown last: its index in the clip and its pixels.
    current: Option<(u64, Arc<Image>)>,
    black: Option<Arc<Image>>,
    /// Frames taken from the decoder, how long the render waited for the first of each
    /// decoder (ffmpeg starting; again after a loop or a step back) and for the others in
    /// all: the decoder runs ahead, so a render that waits for later frames is faster than
    /// decoding.
    decoded: u64,
    fresh_decoder: bool,
    first_wait: std::time::Duration,
    waited: std::time::Duration,
}

enum Frames {
    /// ffmpeg decoding the video to RGBA on a thread; `next` is the index of the next frame
    /// the channel gives.
    Video {
        child: Option<Child>,
        rx: Receiver<Result<Image, String>>,
        next: u64,
    },
    Sequence(Vec<(u64, PathBuf)>),
}

impl ClipReader {
    /// Opens `spec` for a render at `render_fps` frames per second.
    pub fn open(spec: &ClipSpec, render_fps: f64, max_side: u32) -> Result<ClipReader, ClipError> {
        let info = probe_clip(spec, max_side)?;
        let frames = match &spec.source {
            ClipSource::Video(path) => start_decoder(Input::File(path), &info)?,
            ClipSource::Sequence(pattern) => Frames::Sequence(sequence_files(pattern)?),
            ClipSource::Stdin => {
                let mut state = STDIN.lock().unwrap_or_else(|e| e.into_inner());
                match &mut *state {
                    Some((h, taken @ false)) => {
                        *taken = true;
                        start_decoder(Input::Stdin(h.line.clone()), &info)?
                    }
                    _ => {
                        return Err(ClipError {
                            path: "standard input".into(),
                            message: "standard input feeds one image input, once".into(),
                        })
                    }
                }
            }
        };
        Ok(ClipReader {
            spec: spec.clone(),
            info,
            max_side,
            render_fps,
            frames,
            current: None,
            black: None,
            decoded: 0,
            fresh_decoder: true,
            first_wait: std::time::Duration::ZERO,
            waited: std::time::Duration::ZERO,
        })
    }

    pub fn info(&self) -> &ClipInfo {
        &self.info
    }

    /// The clip's frame index shown at render time `t`, or `None` for transparent black.
    fn index_at(&self, t: f64) -> Option<u64> {
        let o = &self.spec.options;
        let clip_t = (o.start + t * o.speed).max(0.0);
        let frames = self.info.frames;
        let rate = match &self.spec.source {
            ClipSource::Sequence(_) => Some(o.rate.unwrap_or(self.render_fps)),
            ClipSource::Stdin => self.info.fps,
            ClipSource::Video(_) => None,
        };
        let duration = match (&self.spec.source, rate) {
            (ClipSource::Stdin, _) => f64::INFINITY,
            (_, Some(r)) => frames as f64 / r,
            (_, None) => self.info.duration.unwrap_or(0.0),
        };
        let clip_t = if clip_t >= duration && duration > 0.0 {
            match o.past_end {
                PastEnd::Hold => return Some(frames - 1),
                PastEnd::Black => return None,
                PastEnd::Loop => clip_t % duration,
            }
        } else {
            clip_t
        };
        let index = match rate {
            // A small tolerance: frame n of a render at the sequence's rate is file n.
            Some(r) => (clip_t * r + 1e-6).floor() as u64,
            None => {
                let times = &self.info.frame_times;
                // The last frame whose time is at or before `clip_t`.
                times
                    .partition_point(|&p| p <= clip_t + 1e-6)
                    .saturating_sub(1) as u64
            }
        };
        Some(index.min(frames - 1))
    }

    /// The frame shown at render time `t`; `None` when a stream (standard input) has ended
    /// before it.
    pub fn frame_at(&mut self, t: f64) -> Result<Option<Arc<Image>>, ClipError> {
        let Some(index) = self.index_at(t) else {
            let (w, h) = (self.info.width, self.info.height);
            return Ok(Some(
                self.black
                    .get_or_insert_with(|| {
                        Arc::new(Image {
                            width: w,
                            height: h,
                            rgba: vec![0; w as usize * h as usize * 4],
                        })
                    })
                    .clone(),
            ));
        };
        if let Some((i, img)) = &self.current {
            if *i == index {
                return Ok(Some(img.clone()));
            }
        }
        let image = match &mut self.frames {
            Frames::Sequence(files) => {
                let path = &files[index as usize].1;
                Arc::new(load_image(path, self.max_side).map_err(|e| ClipError {
                    path: path.display().to_string(),
                    message: e.message,
                })?)
            }
            Frames::Video { next, .. } => {
                if index < *next {
                    // Backwards (a loop, or times out of order): decode again from the start.
                    let ClipSource::Video(path) = &self.spec.source else {
                        // A stream cannot go back: it shows its newest frame.
                        return Ok(self.current.as_ref().map(|(_, img)| img.clone()));
                    };
                    self.frames = start_decoder(Input::File(path), &self.info)?;
                    self.fresh_decoder = true;
                }
                match self.decode_until(index)? {
                    Some(image) => image,
                    None => return Ok(None),
                }
            }
        };
        self.current = Some((index, image.clone()));
        Ok(Some(image))
    }

    /// Takes frames from the decoder up to frame `index` and returns it; `None` when a stream
    /// ended before it.
    fn decode_until(&mut self, index: u64) -> Result<Option<Arc<Image>>, ClipError> {
        let stream = self.spec.source == ClipSource::Stdin;
        let name = self.spec.name();
        let Frames::Video { rx, next, .. } = &mut self.frames else {
            unreachable!("only videos decode")
        };
        loop {
            let asked = std::time::Instant::now();
            let received = rx.recv();
            if std::mem::take(&mut self.fresh_decoder) {
                self.first_wait += asked.elapsed();
            } else {
                self.waited += asked.elapsed();
            }
            let frame = match received {
                Ok(Ok(f)) => f,
                Ok(Err(message)) => {
                    return Err(ClipError {
                        path: name,
                        message,
                    })
                }
                Err(_) if stream => return Ok(None),
                Err(_) => {
                    // The file ended before the frame count ffprobe gave: show the last.
                    if let Some((_, img)) = &self.current {
                        return Ok(Some(img.clone()));
                    }
                    return Err(ClipError {
                        path: name,
                        message: "ffmpeg decoded no frame".into(),
                    });
                }
            };
            let i = *next;
            *next += 1;
            self.decoded += 1;
            if i >= index {
                return Ok(Some(Arc::new(frame)));
            }
        }
    }
}

impl Drop for ClipReader {
    fn drop(&mut self) {
        if self.decoded > 0 {
            tracing::debug!(
                clip = %self.spec.name(),
                frames = self.decoded,
                first_ms = self.first_wait.as_secs_f64() * 1000.0,
                then_ms = self.waited.as_secs_f64() * 1000.0,
                "video decoder: frames taken; the render waited for the first (of each start), then for the rest"
            );
        }
        if let Frames::Video {
            child: Some(child), ..
        } = &mut self.frames
        {
            // The decoder may be blocked writing a frame nobody reads: stop it.
            if let Err(e) = child.kill() {
                tracing::debug!("the video decoder had already stopped: {e}");
            }
            if let Err(e) = child.wait() {
                tracing::warn!("waiting for the video decoder: {e}");
            }
        }
    }
}

/// What a decoder reads: a file, or standard input (its header line already read).
enum Input<'a> {
    File(&'a Path),
    Stdin(Vec<u8>),
}

/// Starts ffmpeg decoding the first video stream of `input` to RGBA, frame by frame in
/// presentation order, on a thread that stays [`DECODE_AHEAD`] frames ahead.
fn start_decoder(input: Input<'_>, info: &ClipInfo) -> Result<Frames, ClipError> {
    let mut command = Command::new("ffmpeg");
    command.args(["-hide_banner", "-loglevel", "error"]);
    let path = match &input {
        Input::File(path) => {
            command
                .args(["-nostdin", "-i"])
                .arg(path)
                .stdin(Stdio::null());
            path.to_path_buf()
        }
        Input::Stdin(_) => {
            command
                .args(["-f", "yuv4mpegpipe", "-i", "-"])
                .stdin(Stdio::piped());
            PathBuf::from("standard input")
        }
    };
    let mut child = command
        .args([
            "-map",
            "0:v:0",
            "-fps_mode",
            "passthrough",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgba",
            "-",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ffmpeg_missing("ffmpeg", &path, e))?;
    if let (Input::Stdin(header), Some(mut to_ffmpeg)) = (input, child.stdin.take()) {
        // The header line was read to probe the stream: ffmpeg gets it, then the rest.
        std::thread::spawn(move || {
            use std::io::Write;
            let copied = to_ffmpeg
                .write_all(&header)
                .and_then(|()| std::io::copy(&mut std::io::stdin().lock(), &mut to_ffmpeg));
            if let Err(e) = copied {
                tracing::debug!("the stream on standard input stopped: {e}");
            }
        });
    }
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (width, height) = (info.width, info.height);
    let size = width as usize * height as usize * 4;
    let (tx, rx) = sync_channel(DECODE_AHEAD);
    std::thread::spawn(move || {
        // Drained on its own thread: an ffmpeg that writes much must not block.
        let errors = std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Err(e) = stderr.read_to_end(&mut s) {
                tracing::debug!("cannot read the video decoder's messages: {e}");
            }
            s
        });
        loop {
            let mut rgba = vec![0u8; size];
            match stdout.read_exact(&mut rgba) {
                Ok(()) => {
                    if tx
                        .send(Ok(Image {
                            width,
                            height,
                            rgba,
                        }))
                        .is_err()
                    {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let text = errors.join().unwrap_or_default();
        if !text.is_empty()
            && tx
                .send(Err(format!("ffmpeg: {}", last_line(&text))))
                .is_err()
        {
            tracing::debug!("the video decoder failed after its reader stopped");
        }
    });
    Ok(Frames::Video {
        child: Some(child),
        rx,
        next: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_their_options() {
        assert_eq!(ClipSpec::parse("card.png").unwrap(), None);
        let s = ClipSpec::parse("clip.MP4#start=2.5,loop").unwrap().unwrap();
        assert_eq!(s.source, ClipSource::Video("clip.MP4".into()));
        assert_eq!(s.options.start, 2.5);
        assert_eq!(s.options.past_end, PastEnd::Loop);
        let s = ClipSpec::parse("shots/f_%04d.png#rate=24,black")
            .unwrap()
            .unwrap();
        assert_eq!(s.source, ClipSource::Sequence("shots/f_%04d.png".into()));
        assert_eq!(s.options.rate, Some(24.0));
        assert_eq!(s.options.past_end, PastEnd::Black);
        assert_eq!(
            ClipSpec::parse("clip.mp4#fast").unwrap_err(),
            "\"clip.mp4#fast\": unknown option \"fast\" (start=SECONDS, speed=X, rate=FPS, loop, hold, black)"
        );
        assert_eq!(
            ClipSpec::parse("clip.mp4#speed=0").unwrap_err(),
            "\"clip.mp4#speed=0\": speed 0 must be positive"
        );
        assert!(ClipSpec::parse("card.png#loop").is_err());
    }
}
