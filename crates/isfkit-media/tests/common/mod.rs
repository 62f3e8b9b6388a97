//! Shared by the media tests: running ffmpeg to make footage and sounds.

use std::process::Command;

/// Runs `ffmpeg -hide_banner -loglevel error -y ARGS`; it must succeed.
pub fn ffmpeg(args: &[&str]) {
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg runs (the tests need it: apt-get install ffmpeg)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
