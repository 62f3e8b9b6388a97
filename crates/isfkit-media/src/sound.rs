//! Reading sound files: WAV with hound, everything else by running `ffmpeg`, which decodes to
//! 32-bit float WAV on its stdout (parsed here: a pipe's WAV header cannot hold the length,
//! so the data chunk is read to the end of the stream).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use isfkit_audio::{AudioError, Result, Sound};

/// Reads a sound file: WAV natively (8/16/24/32-bit integer or 32-bit float PCM), every other
/// format (and WAV encodings hound does not read) through `ffmpeg`.
pub fn load_sound(path: &Path) -> Result<Sound> {
    let read_err = |message: String| AudioError::Read {
        path: path.to_owned(),
        message,
    };
    // A missing file is reported as such, not as ffmpeg's view of it.
    std::fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
    if path.is_dir() {
        return Err(read_err("it is a folder".into()));
    }
    let is_wav = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("wav") || e.eq_ignore_ascii_case("wave"));
    if is_wav {
        match read_wav(path) {
            Ok(s) => return Ok(s),
            // A WAV encoding hound does not read (mu-law, ADPCM, ...): ffmpeg may.
            Err(wav_err) => {
                return match decode_with_ffmpeg(path) {
                    Err(AudioError::FfmpegMissing { .. }) => Err(wav_err),
                    other => other,
                }
            }
        }
    }
    decode_with_ffmpeg(path)
}

fn read_wav(path: &Path) -> Result<Sound> {
    let read_err = |e: hound::Error| AudioError::Read {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let reader = hound::WavReader::open(path).map_err(read_err)?;
    let spec = reader.spec();
    let channels = spec.channels.max(1) as usize;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<std::result::Result<_, _>>(),
        hound::SampleFormat::Int => {
            let scale = (1i64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 / scale))
                .collect()
        }
    }
    .map_err(read_err)?;
    let sound = deinterleave(&samples, channels, spec.sample_rate);
    sound.map_err(|e| AudioError::Read {
        path: path.to_owned(),
        message: invalid_message(e),
    })
}

fn invalid_message(e: AudioError) -> String {
    match e {
        AudioError::Invalid(m) => m,
        other => other.to_string(),
    }
}

fn deinterleave(samples: &[f32], channels: usize, rate: u32) -> Result<Sound> {
    let frames = samples.len() / channels;
    let mut out = vec![Vec::with_capacity(frames); channels];
    for frame in samples.chunks_exact(channels) {
        for (c, s) in frame.iter().enumerate() {
            // Integer PCM is finite; a float file's NaN/inf samples become silence.
            out[c].push(if s.is_finite() { *s } else { 0.0 });
        }
    }
    Sound::new(rate, out)
}

/// Runs `ffmpeg` to decode the first audio stream of `path` to 32-bit float WAV on stdout.
fn decode_with_ffmpeg(path: &Path) -> Result<Sound> {
    let child = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-loglevel", "error", "-i"])
        .arg(path)
        .args([
            "-map",
            "0:a:0",
            "-vn",
            "-sn",
            "-dn",
            "-c:a",
            "pcm_f32le",
            "-f",
            "wav",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => AudioError::FfmpegMissing {
                path: path.to_owned(),
            },
            _ => AudioError::Ffmpeg {
                path: path.to_owned(),
                message: format!("cannot run ffmpeg: {e}"),
            },
        })?;
    let out = child.wait_with_output().map_err(|e| AudioError::Ffmpeg {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        // The last line says why ("Invalid data found when processing input", "Stream map
        // '0:a:0' matches no streams" for a file without sound, ...).
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim();
        let last = if stderr.contains("matches no streams") {
            "the file has no audio stream"
        } else {
            last
        };
        return Err(AudioError::Ffmpeg {
            path: path.to_owned(),
            message: format!("{last} ({})", out.status),
        });
    }
    parse_float_wav(&out.stdout).map_err(|message| AudioError::Ffmpeg {
        path: path.to_owned(),
        message,
    })
}

/// Parses the 32-bit float WAV ffmpeg writes to a pipe: its RIFF and data sizes are
/// placeholders, so the data chunk runs to the end of the bytes.
fn parse_float_wav(bytes: &[u8]) -> std::result::Result<Sound, String> {
    let bad = |what: &str| format!("unexpected output from ffmpeg: {what}");
    let mut r = bytes;
    let mut tag = [0u8; 4];
    let u32le = |r: &mut &[u8]| -> std::result::Result<u32, String> {
        let mut b = [0u8; 4];
        r.read_exact(&mut b).map_err(|_| bad("truncated header"))?;
        Ok(u32::from_le_bytes(b))
    };
    r.read_exact(&mut tag).map_err(|_| bad("no output"))?;
    if &tag != b"RIFF" {
        return Err(bad("not a RIFF stream"));
    }
    u32le(&mut r)?;
    r.read_exact(&mut tag)
        .map_err(|_| bad("truncated header"))?;
    if &tag != b"WAVE" {
        return Err(bad("not WAVE"));
    }
    let mut format: Option<(u16, u16, u32, u16)> = None;
    loop {
        r.read_exact(&mut tag).map_err(|_| bad("no data chunk"))?;
        let size = u32le(&mut r)? as usize;
        if &tag == b"data" {
            let (fmt, channels, rate, bits) = format.ok_or_else(|| bad("no fmt chunk"))?;
            // 3: IEEE float; 0xFFFE: extensible (ffmpeg uses it for more than 2 channels).
            if !(fmt == 3 || fmt == 0xFFFE) || bits != 32 || channels == 0 {
                return Err(bad(&format!(
                    "format {fmt}, {bits} bits, {channels} channels"
                )));
            }
            let samples: Vec<f32> = r
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            return deinterleave(&samples, channels as usize, rate).map_err(invalid_message);
        }
        let padded = size + (size & 1);
        if r.len() < padded {
            return Err(bad("truncated chunk"));
        }
        if &tag == b"fmt " && size >= 16 {
            let f = &r[..size];
            format = Some((
                u16::from_le_bytes([f[0], f[1]]),
                u16::from_le_bytes([f[2], f[3]]),
                u32::from_le_bytes([f[4], f[5], f[6], f[7]]),
                u16::from_le_bytes([f[14], f[15]]),
            ));
        }
        r = &r[padded..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_bytes(channels: u16, rate: u32, samples: &[f32], data_size: u32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&u32::MAX.to_le_bytes());
        b.extend_from_slice(b"WAVE");
        b.extend_from_slice(b"fmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&3u16.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * 4 * channels as u32).to_le_bytes());
        b.extend_from_slice(&(4 * channels).to_le_bytes());
        b.extend_from_slice(&32u16.to_le_bytes());
        b.extend_from_slice(b"LIST");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(b"abc\0");
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_size.to_le_bytes());
        for s in samples {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    #[test]
    fn pipe_wav_with_placeholder_sizes() {
        let s =
            parse_float_wav(&wav_bytes(2, 8000, &[0.1, -0.1, 0.2, -0.2, 0.3, -0.3], 0)).unwrap();
        assert_eq!(s.sample_rate(), 8000);
        assert_eq!(s.channels(), &[vec![0.1, 0.2, 0.3], vec![-0.1, -0.2, -0.3]]);
    }

    #[test]
    fn pipe_wav_errors() {
        assert_eq!(
            parse_float_wav(b"").unwrap_err(),
            "unexpected output from ffmpeg: no output"
        );
        assert_eq!(
            parse_float_wav(&wav_bytes(1, 8000, &[], u32::MAX)).unwrap_err(),
            "it has no samples"
        );
    }
}
