//! A video cut across workers ([`crate::Plan::chunks`]) put back together: the parts joined
//! in order without re-encoding, with the sound a one-machine run would mux in.

use std::path::PathBuf;
use std::sync::Arc;

use isfkit_output::AudioTrack;

use crate::executor::TaskError;
use crate::plan::{Output, Task};

/// Joins the parts of `task` (the whole task, as planned, whose pieces wrote `parts` in
/// frame order) into its video file, then removes the parts. The sound is the one the
/// task's own run would carry: its first audio input's, else its footage's, none when muted.
/// On an error the parts are removed too, and nothing is left at the task's path.
pub fn join_parts(task: &Task, parts: &[PathBuf]) -> Result<(), TaskError> {
    let result = join(task, parts);
    for p in parts {
        if let Err(e) = std::fs::remove_file(p) {
            tracing::debug!("part {} not removed: {e}", p.display());
        }
    }
    result
}

fn join(task: &Task, parts: &[PathBuf]) -> Result<(), TaskError> {
    let Output::Video { path, .. } = &task.output else {
        return Err(TaskError {
            kind: isfkit_render::ErrorKind::Internal,
            message: format!(
                "error: {} is not a video task, it has no parts",
                task.origin
            ),
        });
    };
    let sound_file = match task.audio.values().next() {
        _ if task.mute => None,
        Some(file) => Some(file),
        None => task.sound.as_ref(),
    };
    let track = sound_file
        .map(|file| {
            crate::media::load_sound(file)
                .map(|sound| AudioTrack {
                    sound: Arc::new(sound),
                    start: task.frames.first().map_or(task.start, |f| f.time),
                    duration: task.frames.len() as f64 / task.fps,
                })
                .map_err(|e| TaskError::engine(&e, &task.shader))
        })
        .transpose()?;
    isfkit_output::join_videos(parts, path, track.as_ref()).map_err(|e| TaskError::output(&e))
}
