//! Files into inputs: isfkit-media's decoders behind the engine's [`ImageFiles`] (for IMPORTED
//! images) and the image and sound files a task, a command line, Python or the preview sets on
//! a scene. Every face reads files through here, so a bad file gets the same error everywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isfkit_render::format::{InputType, IsfDocument};
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
