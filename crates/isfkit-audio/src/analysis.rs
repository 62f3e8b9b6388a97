//! The textures of audio and audioFFT inputs, as the ISF Editor (the Qt host in VVISF-GL,
//! `examples/Qt/ISFEditor/ISFEditor_app/AudioController.cpp`) builds them:
//!
//! - **audio**: the last 1,024 samples (`fftQuality * 2`), one texel each, `s / 2 + 0.5`
//!   (silence is 0.5), alpha 1. With `MAX` = w < 1,024, texel x is the average of
//!   `round(1024 / w)` consecutive samples from `x * round(1024 / w)` (the last texels
//!   clamped to the window's end), and alpha equals the value, as the host writes it.
//! - **audioFFT**: 512 bins from the same 1,024 samples: a real FFT without a window
//!   function; every |Re| and |Im| is normalised to the window's range,
//!   `(|v| - min) / (max - min) * 2`; bin i takes the larger of its |Re| and |Im|
//!   (bin 0 pairs DC with Nyquist, as FFTReal's packed layout does), weighted by
//!   `log10(i * grain) / ln(grain)` (bin 0: `1 / ln(grain)`), grain = sample rate / 512.
//!   `MAX` = w < 512 averages `round(512 / w)` bins per texel, as above.
//! - Beyond the host: `MAX` above those defaults widens the window (audio: `MAX` samples;
//!   audioFFT: `2 * MAX` samples giving `MAX` bins, with grain = rate / `MAX`), since a file
//!   has every sample; the host caps at its defaults. A silent window (max = min) gives 0 in
//!   every bin where the host would divide by zero.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use crate::Sound;

/// Samples of an audio input without `MAX` (the ISF Editor's `fftQuality * 2`).
pub const DEFAULT_WAVE_SAMPLES: usize = 1024;
/// Bins of an audioFFT input without `MAX` (the ISF Editor's `fftQuality`).
pub const DEFAULT_FFT_BINS: usize = 512;

/// An RGBA float texture, row `c` = channel `c` (row 0 is the first channel, at y = 0 in the
/// shader), texels left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioTexture {
    pub width: u32,
    pub height: u32,
    /// `width * height * 4` floats, row by row.
    pub rgba: Vec<f32>,
}

impl AudioTexture {
    /// The red value of texel `x` in row `channel`.
    pub fn value(&self, x: usize, channel: usize) -> f32 {
        self.rgba[(channel * self.width as usize + x) * 4]
    }
}

/// The texture width an input declares: its `MAX`, or the host default.
pub fn texture_width(max: Option<u32>, fft: bool) -> usize {
    match max.filter(|&m| m > 0) {
        Some(m) => m as usize,
        None if fft => DEFAULT_FFT_BINS,
        None => DEFAULT_WAVE_SAMPLES,
    }
}

/// Makes input textures from sounds; keeps FFT plans between frames.
#[derive(Default)]
pub struct Analyzer {
    planner: RealFftPlanner<f32>,
    plans: Vec<(usize, Arc<dyn RealToComplex<f32>>)>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// The texture of an `audio` input with `max` (its `MAX`) at `time`: the waveform of
    /// the window that ends at `time`.
    pub fn waveform(&mut self, sound: &Sound, time: f64, max: Option<u32>) -> AudioTexture {
        let width = texture_width(max, false);
        let given = max.is_some_and(|m| m > 0);
        let n = width.max(DEFAULT_WAVE_SAMPLES);
        let window = sound.window(time, n);
        let rows: Vec<Vec<f32>> = window
            .iter()
            .map(|ch| {
                let v: Vec<f32> = ch.iter().map(|s| (s * 4.0 + 4.0) / 8.0).collect();
                reduce(&v, width)
            })
            .collect();
        texture(rows, width, given)
    }

    /// The texture of an `audioFFT` input with `max` at `time`: the spectrum of the window
    /// that ends at `time`.
    pub fn spectrum(&mut self, sound: &Sound, time: f64, max: Option<u32>) -> AudioTexture {
        let width = texture_width(max, true);
        let given = max.is_some_and(|m| m > 0);
        let bins = width.max(DEFAULT_FFT_BINS);
        let window = sound.window(time, bins * 2);
        let plan = self.plan(bins * 2);
        let rows: Vec<Vec<f32>> = window
            .into_iter()
            .map(|ch| reduce(&spectrum(&*plan, ch, sound.sample_rate(), bins), width))
            .collect();
        texture(rows, width, given)
    }

    /// Shadertoy's sound texture at `time`, 512x2 and mono: as the browser's Web Audio
    /// analyser (fftSize 2,048) gives it to Shadertoy, from the 2,048 samples (channels
    /// averaged) that end at `time`. Row 0: bins 0-511 (0 to a quarter of the sample rate) of
    /// the Blackman-windowed spectrum, `|X[k]| / 2048` in decibels, -100 dB to -30 dB mapped
    /// to 0..1. Row 1: the first 512 of those samples, `s / 2 + 0.5`. Both are whole bytes
    /// over 255, as Shadertoy uploads them. The analyser's smoothing over time (0.8 of the
    /// previous frame) is left out, so any frame renders alone, the same as in a sequence.
    pub fn shadertoy_sound(&mut self, sound: &Sound, time: f64) -> AudioTexture {
        const FFT_SIZE: usize = 2048;
        const WIDTH: usize = 512;
        let window = sound.window(time, FFT_SIZE);
        let channels = window.len().max(1) as f32;
        let mono: Vec<f32> = (0..FFT_SIZE)
            .map(|i| window.iter().map(|ch| ch[i]).sum::<f32>() / channels)
            .collect();
        let byte = |v: f32| (v.clamp(0.0, 255.0)).floor() / 255.0;
        let wave: Vec<f32> = mono[..WIDTH]
            .iter()
            .map(|s| byte(128.0 * (1.0 + s)))
            .collect();
        let n = FFT_SIZE as f32;
        let mut windowed: Vec<f32> = mono
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let phase = std::f32::consts::TAU * i as f32 / n;
                s * (0.42 - 0.5 * phase.cos() + 0.08 * (2.0 * phase).cos())
            })
            .collect();
        let plan = self.plan(FFT_SIZE);
        let mut out = plan.make_output_vec();
        let spectrum: Vec<f32> = if plan.process(&mut windowed, &mut out).is_ok() {
            out[..WIDTH]
                .iter()
                .map(|c| {
                    let db = 20.0 * (c.norm() / n).log10();
                    byte(255.0 / 70.0 * (db + 100.0))
                })
                .collect()
        } else {
            vec![0.0; WIDTH]
        };
        texture(vec![spectrum, wave], WIDTH, false)
    }

    fn plan(&mut self, n: usize) -> Arc<dyn RealToComplex<f32>> {
        if let Some((_, p)) = self.plans.iter().find(|(len, _)| *len == n) {
            return p.clone();
        }
        let p = self.planner.plan_fft_forward(n);
        self.plans.push((n, p.clone()));
        p
    }
}

/// `bins` magnitudes of `samples` (2 * bins of them), scaled as the ISF Editor scales them.
fn spectrum(
    plan: &dyn RealToComplex<f32>,
    mut samples: Vec<f32>,
    rate: u32,
    bins: usize,
) -> Vec<f32> {
    let mut out = plan.make_output_vec();
    if plan.process(&mut samples, &mut out).is_err() {
        return vec![0.0; bins];
    }
    // FFTReal's packed layout: f[0..=bins] = Re 0..=bins, f[bins + k] = Im k (k >= 1).
    let re = |k: usize| out[k].re.abs();
    let alt = |k: usize| {
        if k == 0 {
            out[bins].re.abs()
        } else {
            out[k].im.abs()
        }
    };
    let all = (0..=bins).map(re).chain((1..bins).map(|k| out[k].im.abs()));
    let (lo, hi) = all.fold((f32::INFINITY, 0.0f32), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let delta = hi - lo;
    if !delta.is_finite() || delta <= 0.0 {
        return vec![0.0; bins];
    }
    let grain = rate as f32 / bins as f32;
    let ln_grain = grain.ln();
    (0..bins)
        .map(|i| {
            let a = (re(i) - lo) / delta * 2.0;
            let b = (alt(i) - lo) / delta * 2.0;
            let mag = a.max(b);
            let weighted = if ln_grain.is_nan() || ln_grain <= 0.0 {
                // Under 1 Hz per bin the host's weight has no meaning: none is applied.
                mag
            } else if i > 0 {
                mag * (grain * i as f32).log10() / ln_grain
            } else {
                mag / ln_grain
            };
            weighted.max(0.0)
        })
        .collect()
}

/// `values` narrowed to `width` texels as the host does: each texel the average of
/// `round(len / width)` values from `x * that` (clamped to the end). Unchanged when `width`
/// is the length.
fn reduce(values: &[f32], width: usize) -> Vec<f32> {
    let len = values.len();
    if width >= len {
        return values.to_vec();
    }
    let per = ((len as f64 / width as f64).round() as usize).clamp(1, len);
    (0..width)
        .map(|x| {
            let mut start = x * per;
            if (x + 1) * per >= len {
                start = len - per;
            }
            let sum: f64 = values[start..start + per].iter().map(|&v| v as f64).sum();
            (sum / per as f64) as f32
        })
        .collect()
}

fn texture(rows: Vec<Vec<f32>>, width: usize, alpha_is_value: bool) -> AudioTexture {
    let height = rows.len();
    let mut rgba = Vec::with_capacity(width * height * 4);
    for row in &rows {
        for &v in row.iter().take(width) {
            let a = if alpha_is_value { v } else { 1.0 };
            rgba.extend_from_slice(&[v, v, v, a]);
        }
    }
    AudioTexture {
        width: width as u32,
        height: height as u32,
        rgba,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, secs: f32) -> Sound {
        let n = (rate as f32 * secs) as usize;
        let s = (0..n)
            .map(|i| (i as f32 / rate as f32 * freq * std::f32::consts::TAU).sin() * 0.8)
            .collect();
        Sound::new(rate, vec![s]).unwrap()
    }

    #[test]
    fn window_ends_at_time_with_silence_outside() {
        let s = Sound::new(10, vec![(1..=20).map(|v| v as f32 / 100.0).collect()]).unwrap();
        // t = 0.5 s: sample 5 ends the window, so samples 1..5 (values 0.02..0.05).
        assert_eq!(s.window(0.5, 4), vec![vec![0.02, 0.03, 0.04, 0.05]]);
        // Before the start: silence first.
        assert_eq!(s.window(0.1, 3), vec![vec![0.0, 0.0, 0.01]]);
        // Past the end (20 samples): silence.
        assert_eq!(s.window(2.1, 3), vec![vec![0.19, 0.2, 0.0]]);
        assert_eq!(s.window(10.0, 2), vec![vec![0.0, 0.0]]);
    }

    #[test]
    fn waveform_default_and_max() {
        let s = Sound::new(1000, vec![vec![0.5; 2000], vec![-1.0; 2000]]).unwrap();
        let mut a = Analyzer::new();
        let t = a.waveform(&s, 1.5, None);
        assert_eq!((t.width, t.height), (1024, 2));
        assert_eq!((t.value(0, 0), t.value(1023, 1)), (0.75, 0.0));
        assert_eq!(t.rgba[3], 1.0);
        // MAX 4: averages of 256 samples; alpha carries the value, as the host writes it.
        let t = a.waveform(&s, 1.5, Some(4));
        assert_eq!((t.width, t.height), (4, 2));
        assert_eq!(t.rgba[..4], [0.75; 4]);
        // Half the window before the start: the first two texels are silence (0.5).
        let t = a.waveform(&s, 0.512, Some(4));
        assert_eq!(
            (0..4).map(|x| t.value(x, 0)).collect::<Vec<_>>(),
            [0.5, 0.5, 0.75, 0.75]
        );
        // MAX above the host's 1,024: that many samples.
        assert_eq!(a.waveform(&s, 1.0, Some(3000)).width, 3000);
    }

    #[test]
    fn spectrum_peak_at_the_tone() {
        let mut a = Analyzer::new();
        // 44.1 kHz, 1,024 samples: bins are 43.07 Hz apart; 3 kHz is bin 69.66.
        let t = a.spectrum(&sine(44100, 3000.0, 1.0), 0.5, None);
        assert_eq!((t.width, t.height), (512, 1));
        let peak = (0..512)
            .max_by(|&x, &y| t.value(x, 0).total_cmp(&t.value(y, 0)))
            .unwrap();
        assert!((69..=70).contains(&peak), "peak at {peak}");
        // The normalised peak (<= 2) times log10(peak * grain) / ln(grain), grain 86.13.
        let w = (86.13f32 * peak as f32).log10() / 86.13f32.ln();
        assert!(t.value(peak, 0) <= 2.0 * w + 1e-3 && t.value(peak, 0) > 1.5 * w);
        // Silence (before the start): zeros, not the host's 0 / 0.
        let t = a.spectrum(&sine(44100, 3000.0, 1.0), 0.0, Some(16));
        assert_eq!(t.rgba, vec![0.0; 16 * 4]);
    }

    #[test]
    fn reduce_like_the_host() {
        let v: Vec<f32> = (0..10).map(|i| i as f32).collect();
        // round(10 / 3) = 3 per texel: [0,1,2], [3,4,5], [6,7,8] (9 is left out, as the
        // host leaves it); round(10 / 4) = 3 with 4 texels: the last clamped to [7,8,9].
        assert_eq!(reduce(&v, 3), vec![1.0, 4.0, 7.0]);
        assert_eq!(reduce(&v, 4), vec![1.0, 4.0, 7.0, 8.0]);
        assert_eq!(reduce(&v, 10), v);
    }

    #[test]
    fn shadertoy_sound_is_512x2_spectrum_over_waveform() {
        // 1,500 Hz at 48 kHz: 23.4 Hz per bin, so the peak is at bin 64. A 0.01 sine is
        // about -53 dB there, inside the -100..-30 dB range (a loud one saturates at 1).
        let quiet_sine: Vec<f32> = (0..48_000)
            .map(|i| (i as f32 / 48_000.0 * 1500.0 * std::f32::consts::TAU).sin() * 0.01)
            .collect();
        let mut a = Analyzer::new();
        let t = a.shadertoy_sound(&Sound::new(48_000, vec![quiet_sine]).unwrap(), 0.5);
        assert_eq!((t.width, t.height), (512, 2));
        let peak = (0..512)
            .max_by(|&i, &j| t.value(i, 0).total_cmp(&t.value(j, 0)))
            .unwrap();
        assert_eq!(peak, 64);
        assert!((0.6..0.75).contains(&t.value(64, 0)), "{}", t.value(64, 0));
        // Far bins are at the bottom of the range.
        assert_eq!(t.value(400, 0), 0.0);
        let s = sine(48_000, 1500.0, 1.0);
        let t = a.shadertoy_sound(&s, 0.5);
        assert_eq!(t.value(64, 0), 1.0);
        // Row 1 is the waveform: whole bytes over 255, s / 2 + 0.5, the oldest sample first.
        let first = s.window(0.5, 2048)[0][0];
        assert_eq!(t.value(0, 1), (128.0 * (1.0 + first)).floor() / 255.0);
        let (lo, hi) = (0..512).fold((1.0f32, 0.0f32), |(lo, hi), x| {
            (lo.min(t.value(x, 1)), hi.max(t.value(x, 1)))
        });
        assert!(lo < 0.11 && hi > 0.89, "{lo}..{hi}");
        // Silence: 0 in every bin, 128/255 in the waveform.
        let quiet = a.shadertoy_sound(&s, 10.0);
        assert!((0..512).all(|x| quiet.value(x, 0) == 0.0));
        assert!((0..512).all(|x| quiet.value(x, 1) == 128.0 / 255.0));
    }
}
