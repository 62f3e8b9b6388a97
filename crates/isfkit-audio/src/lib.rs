//! isfkit-audio: the sounds behind ISF `audio` and `audioFFT` inputs. No GPU, no wgpu.
//!
//! A [`Sound`] is decoded PCM, one `Vec<f32>` per channel, with its sample rate, made from
//! samples in memory (isfkit-media decodes sound files into one).
//!
//! For each frame an input sees the window of samples that *ends* at the frame's time
//! ([`Sound::window`]); samples before the sound's start or past its end are silence. An
//! [`Analyzer`] turns that window into the texture an ISF host uploads: the waveform
//! ([`Analyzer::waveform`]) or its magnitude spectrum ([`Analyzer::spectrum`]), sized and
//! scaled as the ISF Editor of VVISF-GL does (see `analysis.rs` for the exact rules).
//!
//! The engine (isfkit-render) uploads these textures, and isfkit-output muxes the same sound
//! into videos. This crate lives apart
//! from the engine so that none of that needs the GPU crate, and apart from isfkit-output
//! because the engine (which isfkit-output depends on) needs it.

mod analysis;

use std::path::PathBuf;

pub use analysis::{texture_width, Analyzer, AudioTexture, DEFAULT_FFT_BINS, DEFAULT_WAVE_SAMPLES};

/// What can go wrong making a sound. Messages name the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AudioError {
    /// The file could not be read or is not a valid sound.
    #[error("cannot read sound {path}: {message}")]
    Read { path: PathBuf, message: String },
    /// Not a WAV file hound reads, and `ffmpeg` is not installed.
    #[error("cannot read sound {path}: ffmpeg is needed to decode anything but WAV and was not found (install ffmpeg)")]
    FfmpegMissing { path: PathBuf },
    /// ffmpeg ran and failed (its last message is kept).
    #[error("cannot read sound {path}: ffmpeg could not decode it: {message}")]
    Ffmpeg { path: PathBuf, message: String },
    /// Samples given in memory are not a sound (what is wrong is said).
    #[error("invalid sound: {0}")]
    Invalid(String),
}

pub type Result<T, E = AudioError> = std::result::Result<T, E>;

/// Decoded PCM: one vector of samples per channel (all the same length), nominally in
/// -1..1, at `sample_rate` samples per second.
#[derive(Debug, Clone, PartialEq)]
pub struct Sound {
    sample_rate: u32,
    channels: Vec<Vec<f32>>,
}

/// The highest sample rate accepted (well above any real file's).
pub const MAX_SAMPLE_RATE: u32 = 1_536_000;

impl Sound {
    /// A sound from samples in memory: at least one channel, all of the same non-zero
    /// length, finite samples, a sample rate of 1..=1,536,000.
    pub fn new(sample_rate: u32, channels: Vec<Vec<f32>>) -> Result<Sound> {
        if sample_rate == 0 || sample_rate > MAX_SAMPLE_RATE {
            return Err(AudioError::Invalid(format!(
                "sample rate {sample_rate} is not in 1..={MAX_SAMPLE_RATE}"
            )));
        }
        let Some(first) = channels.first() else {
            return Err(AudioError::Invalid("it has no channels".into()));
        };
        if first.is_empty() {
            return Err(AudioError::Invalid("it has no samples".into()));
        }
        let n = first.len();
        for (c, ch) in channels.iter().enumerate() {
            if ch.len() != n {
                return Err(AudioError::Invalid(format!(
                    "channel {c} has {} samples but channel 0 has {n}; every channel must have the same number",
                    ch.len()
                )));
            }
            if let Some(i) = ch.iter().position(|s| !s.is_finite()) {
                return Err(AudioError::Invalid(format!(
                    "sample {i} of channel {c} is not a finite number"
                )));
            }
        }
        Ok(Sound {
            sample_rate,
            channels,
        })
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The samples, one vector per channel.
    pub fn channels(&self) -> &[Vec<f32>] {
        &self.channels
    }

    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }

    /// Samples per channel.
    pub fn len(&self) -> usize {
        self.channels[0].len()
    }

    /// Always false: a sound has at least one sample (see [`Sound::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Length in seconds.
    pub fn duration(&self) -> f64 {
        self.len() as f64 / self.sample_rate as f64
    }

    /// The index of the sample at `time` seconds (rounded to the nearest sample; may be
    /// negative or past the end).
    pub fn sample_at(&self, time: f64) -> i64 {
        let t = if time.is_finite() { time } else { 0.0 };
        (t * self.sample_rate as f64)
            .round()
            .clamp(i64::MIN as f64 / 2.0, i64::MAX as f64 / 2.0) as i64
    }

    /// The `len` samples of each channel that end at `time`: samples `[e - len, e)` where
    /// `e` is [`Sound::sample_at`]`(time)`. Before the start and past the end: silence (0).
    pub fn window(&self, time: f64, len: usize) -> Vec<Vec<f32>> {
        let end = self.sample_at(time);
        self.segment(end - len as i64, len)
    }

    /// `len` samples of each channel from sample `start` (may be negative); silence outside.
    pub fn segment(&self, start: i64, len: usize) -> Vec<Vec<f32>> {
        let n = self.len() as i64;
        self.channels
            .iter()
            .map(|ch| {
                let mut out = vec![0.0f32; len];
                let from = start.max(0);
                let to = (start + len as i64).min(n);
                if from < to {
                    let dst = (from - start) as usize;
                    out[dst..dst + (to - from) as usize]
                        .copy_from_slice(&ch[from as usize..to as usize]);
                }
                out
            })
            .collect()
    }
}
