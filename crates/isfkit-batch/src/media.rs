//! Files into inputs: isfkit-media's decoders behind the engine's [`ImageFiles`] (for IMPORTED
//! images) and the image and sound files a task, a command line, Python or the preview sets on
//! a scene. Every face reads files through here, so a bad file gets the same error everywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isfkit_media::{probe_clip, ClipError, ClipInfo, ClipReader, ClipSource, ClipSpec};
use isfkit_render::format::{InputType, IsfDocument};

use crate::keys::Keyframes;
use isfkit_render::{EngineConfig, Error, ImageData, ImageFiles, Scene, Sound, MAX_IMAGE_SIDE};

/// isfkit-media as the engine's reader of IMPORTED images.
struct MediaFiles;

impl ImageFiles for MediaFiles {
    fn load(&self, path: &Path) -> Result<ImageData, Error> {
        load_image(path)
    }
}

/// `config` with isfkit-media reading IMPORTED images: how every face makes its engines.
pub fn with_media_files(config: EngineConfig) -> EngineConfig {
    config.with_image_files(Arc::new(MediaFiles))
}

/// The image file at `path` (PNG, JPEG, WebP, EXR, GIF), at most [`MAX_IMAGE_SIDE`] pixels
/// per side.
pub fn load_image(path: &Path) -> Result<ImageData, Error> {
    let image = isfkit_media::load_image(path, MAX_IMAGE_SIDE).map_err(|e| Error::Image {
        path: e.path,
        message: e.message,
    })?;
    ImageData::new(image.width, image.height, image.rgba)
}

/// The sound file at `path` (WAV, or anything ffmpeg decodes).
pub fn load_sound(path: &Path) -> Result<Sound, Error> {
    Ok(isfkit_media::load_sound(path)?)
}

/// Sets image input `name` of `scene` from the file at `path` (the name is checked before the
/// file is decoded, so a typo is reported first).
pub fn set_image_file(scene: &Scene, name: &str, path: &Path) -> Result<(), Error> {
    scene.check_input(name)?;
    scene.set_image(name, load_image(path)?)
}

/// Sets audio or audioFFT input `name` of `scene` from the sound file at `path`; returns the
/// sound (to mux it into a video).
pub fn set_sound_file(scene: &Scene, name: &str, path: &Path) -> Result<Arc<Sound>, Error> {
    scene.check_input(name)?;
    let sound = Arc::new(load_sound(path)?);
    scene.set_sound(name, sound.clone())?;
    Ok(sound)
}

/// The image name that feeds every image input not named otherwise (`--image '*=card.png'`,
/// `images: {"*": card.png}` in a job file): a glob of filters and transitions shares one
/// test card.
pub const EVERY_IMAGE: &str = "*";

/// `images` with [`EVERY_IMAGE`] replaced by each image input of `doc` that has no file of
/// its own.
pub fn resolve_images(
    doc: &IsfDocument,
    images: &BTreeMap<String, PathBuf>,
) -> BTreeMap<String, PathBuf> {
    let mut resolved: BTreeMap<String, PathBuf> = images
        .iter()
        .filter(|(name, _)| *name != EVERY_IMAGE)
        .map(|(n, p)| (n.clone(), p.clone()))
        .collect();
    if let Some(every) = images.get(EVERY_IMAGE) {
        for input in &doc.inputs {
            if matches!(input.ty, InputType::Image) && !resolved.contains_key(&input.name) {
                resolved.insert(input.name.clone(), every.clone());
            }
        }
    }
    resolved
}

/// The image files of `images` that are videos or image sequences (see
/// [`isfkit_media::ClipSpec`]), opened for a render at `fps` frames per second, and the rest
/// (still images). `*` is resolved against `doc` first.
#[allow(clippy::type_complexity)]
pub fn open_clips(
    doc: &IsfDocument,
    images: &BTreeMap<String, PathBuf>,
    fps: f64,
) -> Result<(BTreeMap<String, PathBuf>, Vec<(String, ClipReader)>), Error> {
    let mut stills = BTreeMap::new();
    let mut clips = Vec::new();
    for (name, path) in resolve_images(doc, images) {
        let text = path.to_string_lossy();
        let spec = ClipSpec::parse(&text).map_err(|message| Error::Image {
            path: path.clone(),
            message,
        })?;
        match spec {
            None => {
                stills.insert(name, path);
            }
            Some(spec) => {
                let reader = ClipReader::open(&spec, fps, MAX_IMAGE_SIDE).map_err(clip_error)?;
                clips.push((name, reader));
            }
        }
    }
    Ok((stills, clips))
}

/// A video or image-sequence input, probed: where a render without its own size, rate or
/// length takes them from.
#[derive(Debug, Clone)]
pub struct Footage {
    /// The image input it feeds.
    pub input: String,
    pub spec: ClipSpec,
    pub info: ClipInfo,
}

impl Footage {
    /// The first of `images` (input name, file as written, in the order given) that is a
    /// video or an image sequence, probed; `None` when all are still images.
    pub fn first<'a>(
        images: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Option<Footage>, Error> {
        for (input, text) in images {
            let spec = ClipSpec::parse(text).map_err(|message| Error::Image {
                path: text.into(),
                message,
            })?;
            if let Some(spec) = spec {
                let info = probe_clip(&spec, MAX_IMAGE_SIDE).map_err(clip_error)?;
                return Ok(Some(Footage {
                    input: input.to_owned(),
                    spec,
                    info,
                }));
            }
        }
        Ok(None)
    }

    /// Frames per second: a video's rate, a sequence's `rate` (`None`: one file a frame).
    pub fn fps(&self) -> Option<f64> {
        self.info.fps
    }

    /// Render frames at `fps` that show the whole clip once (from its start offset, at its
    /// speed): a sequence without a rate has one frame per file.
    pub fn frames_at(&self, fps: f64) -> u64 {
        let o = &self.spec.options;
        let seconds = match (&self.spec.source, self.info.duration) {
            (ClipSource::Sequence(_), _) if o.rate.is_none() => {
                return self
                    .info
                    .frames
                    .saturating_sub((o.start * fps).max(0.0) as u64)
                    .max(1)
            }
            (_, Some(d)) => ((d - o.start) / o.speed).max(0.0),
            // A stream: until it ends.
            (ClipSource::Stdin, _) => return crate::limits::MAX_FRAMES,
            (_, None) => return self.info.frames.max(1),
        };
        // ffprobe writes times to the microsecond: a thousandth of a frame is rounding.
        ((seconds * fps) - 1e-3).ceil().max(1.0) as u64
    }

    /// Seconds of render time the clip lasts, when known.
    pub fn seconds(&self, fps: f64) -> f64 {
        match (&self.spec.source, self.info.duration) {
            (ClipSource::Sequence(_), _) if self.spec.options.rate.is_none() => {
                self.info.frames as f64 / fps
            }
            (_, Some(d)) => (d - self.spec.options.start) / self.spec.options.speed,
            (_, None) => self.info.frames as f64 / fps,
        }
    }
}

/// A clip's error as the engine's image error (the user's input).
pub fn clip_error(e: ClipError) -> Error {
    Error::Image {
        path: e.path.into(),
        message: e.message,
    }
}

/// What changes from frame to frame: videos and image sequences on image inputs, and
/// keyframed inputs. [`Moving::apply`] sets them for a frame's time before it renders.
#[derive(Default)]
pub struct Moving {
    pub clips: Vec<(String, ClipReader)>,
    pub keys: Vec<(String, Keyframes)>,
    /// The frame each clip input was last set to: a frame shown again (a clip slower than
    /// the render) is not uploaded again.
    shown: std::collections::HashMap<String, Arc<isfkit_media::Image>>,
}

impl Moving {
    pub fn new(clips: Vec<(String, ClipReader)>, keys: Vec<(String, Keyframes)>) -> Moving {
        Moving {
            clips,
            keys,
            shown: Default::default(),
        }
    }

    /// Sets every clip's frame again at the next [`Moving::apply`] (a new scene has none).
    pub fn forget_shown(&mut self) {
        self.shown.clear();
    }

    /// Whether nothing moves.
    pub fn is_empty(&self) -> bool {
        self.clips.is_empty() && self.keys.is_empty()
    }

    /// Sets each clip's frame and each keyframed value at render time `t` on `scene`;
    /// `false` when a stream (standard input) has ended, so there is no frame at `t`.
    pub fn apply(&mut self, scene: &Scene, t: f64) -> Result<bool, Error> {
        for (name, clip) in &mut self.clips {
            let Some(image) = clip.frame_at(t).map_err(clip_error)? else {
                return Ok(false);
            };
            if self.shown.get(name).is_some_and(|s| Arc::ptr_eq(s, &image)) {
                continue;
            }
            scene.set_image(
                name,
                ImageData::new(image.width, image.height, image.rgba.clone())?,
            )?;
            self.shown.insert(name.clone(), image);
        }
        for (name, keys) in &self.keys {
            scene.set(name, keys.value_at(t))?;
        }
        Ok(true)
    }
}

/// Applies input values (in their text form: `0.5`, `true`, `1,0,0,1`, a long's label),
/// image files (`*` feeding every image input not named) and sound files to `scene`, in
/// that order, stopping at the first error.
/// Returns the first sound (by input name): a video's sound track. `isf render`, `isf
/// batch`, Python's batch runner and the preview all set a task's inputs through it.
pub fn apply_inputs(
    scene: &Scene,
    values: &BTreeMap<String, String>,
    images: &BTreeMap<String, PathBuf>,
    sounds: &BTreeMap<String, PathBuf>,
) -> Result<Option<Arc<Sound>>, Error> {
    for (name, value) in values {
        scene.set_text(name, value)?;
    }
    for (name, path) in &resolve_images(&scene.document(), images) {
        set_image_file(scene, name, path)?;
    }
    let mut first = None;
    for (name, path) in sounds {
        let sound = set_sound_file(scene, name, path)?;
        first.get_or_insert(sound);
    }
    Ok(first)
}
