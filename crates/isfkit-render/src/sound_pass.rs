//! A Shadertoy shader's Sound pass rendered on the GPU: its ISF generator (see
//! [`isfkit_format::dialect::SoundProgram`]) draws a block of samples per frame, one stereo
//! sample a pixel into a 32-bit float frame, and the blocks are read back in order into a
//! [`Sound`].

use isfkit_audio::Sound;
use isfkit_format::dialect::{SOUND_FIRST_SAMPLE, SOUND_SAMPLE_RATE};

use crate::error::{Error, Result};
use crate::scene::{new_scene, Scene};
use crate::scene_state::{lock_scene, RenderOptions};
use crate::value::Value;

/// Samples a frame holds across.
const BLOCK_WIDTH: u32 = 1024;
/// Rows of a full block: 1024 x 256 = 262,144 samples (5.9 s) a frame.
const BLOCK_ROWS: u32 = 256;
/// The longest sound a Sound pass renders (the sample index is a 32-bit int in the shader).
pub const MAX_SOUND_SECONDS: f64 = 3600.0;

impl Scene {
    /// `seconds` of this shader's Sound pass (a Shadertoy shader with `mainSound`) from
    /// `start` seconds on, stereo at 44,100 samples a second, rendered on the GPU: sample 0
    /// of the result is the one at `start`. `None` for a shader without a Sound pass. More
    /// than [`MAX_SOUND_SECONDS`], a length that is not a positive number, or a start that
    /// is negative or past the shader's 32-bit sample index (13.5 hours) is an error.
    pub fn render_sound(&self, start: f64, seconds: f64) -> Result<Option<Sound>> {
        let program = match &lock_scene(&self.state).program.sound {
            Some(p) => (**p).clone(),
            None => return Ok(None),
        };
        if !(seconds.is_finite() && seconds > 0.0 && seconds <= MAX_SOUND_SECONDS) {
            return Err(Error::Value {
                what: "Sound pass".to_owned(),
                reason: format!(
                    "{seconds} s of sound asked for; it renders more than 0 and at most {MAX_SOUND_SECONDS} s"
                ),
            });
        }
        let rate = SOUND_SAMPLE_RATE as f64;
        let last_sample = (start + seconds) * rate;
        if !(start.is_finite() && start >= 0.0 && last_sample < i32::MAX as f64) {
            return Err(Error::Value {
                what: "Sound pass".to_owned(),
                reason: format!(
                    "sound from {start} s asked for; it starts at 0 s or later and ends before {:.0} s",
                    i32::MAX as f64 / rate
                ),
            });
        }
        let offset = (start * rate).round() as usize;
        let scene = new_scene(&self.engine, program)?;
        let total = (seconds * SOUND_SAMPLE_RATE as f64).ceil() as usize;
        let mut left = Vec::with_capacity(total);
        let mut right = Vec::with_capacity(total);
        while left.len() < total {
            let first = left.len();
            let rows = ((total - first).div_ceil(BLOCK_WIDTH as usize) as u32).min(BLOCK_ROWS);
            scene.set(SOUND_FIRST_SAMPLE, Value::Long((offset + first) as i32))?;
            let frame = scene.render(&RenderOptions {
                width: BLOCK_WIDTH,
                height: rows,
                time: (offset + first) as f64 / rate,
                float_output: true,
                date: None,
            })?;
            let pixels = frame.to_rgba32f();
            let take = (total - first).min((BLOCK_WIDTH * rows) as usize);
            // A sample the shader left undefined (NaN) is silence.
            let finite = |v: f32| if v.is_finite() { v } else { 0.0 };
            for texel in pixels.chunks_exact(4).take(take) {
                left.push(finite(texel[0]));
                right.push(finite(texel[1]));
            }
        }
        Ok(Some(Sound::new(SOUND_SAMPLE_RATE, vec![left, right])?))
    }
}
