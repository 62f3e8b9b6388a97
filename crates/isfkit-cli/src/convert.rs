//! `isf convert`: Shadertoy, GLSL Sandbox and gl-transitions sources to ISF files. The
//! conversion is `isfkit_format::dialect`'s; this writes the files.

use std::path::{Path, PathBuf};

use clap::Args;
use isfkit_render::format::dialect::{self, ConvertOptions, Converted, Dialect};
use isfkit_render::format::limits::{read_file_capped, MAX_SHADER_BYTES};
use isfkit_render::format::{decode_glsl, FormatErrorKind};
use isfkit_render::ErrorKind;

use crate::Failure;

#[derive(Args)]
pub(crate) struct ConvertArgs {
    /// The source: a Shadertoy JSON file (the API's or the site's export) or `.glsl` with
    /// mainImage, a GLSL Sandbox shader, a gl-transition `.glsl`, or the gl-transitions
    /// package's `gl-transitions.json`. `-` reads standard input.
    source: PathBuf,
    /// Where to write: a `.fs` file, or a folder (ending in `/`, or one that exists) that
    /// gets one `NAME.fs` per shader. Without it, a single shader is printed.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The dialect, when the content does not say (shadertoy, glslsandbox, gl-transition).
    #[arg(long, value_parser = Dialect::from_name)]
    from: Option<Dialect>,
    /// Shadertoy's Common code, for a bare `.glsl` with mainImage.
    #[arg(long)]
    common: Option<PathBuf>,
    /// A folder holding Shadertoy's media files (textures found there by file name become
    /// IMPORTED images); given again for more. The source's folder and its `media/` are
    /// always looked in.
    #[arg(long)]
    media: Vec<PathBuf>,
}

/// Reads a text file the way shaders are read (size-capped, UTF-8 outside comments); `-` is
/// standard input.
fn read_text(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        return crate::read_stdin_shader();
    }
    let bytes = read_file_capped(path, MAX_SHADER_BYTES, "shader file")
        .map_err(|e| Failure::usage(format!("error: cannot read {}: {e}", path.display())))?;
    decode_glsl(&bytes).map_err(|d| Failure {
        code: ErrorKind::InvalidShader.exit_code(),
        message: d.render(&path.display().to_string()),
    })
}

pub(crate) fn run(args: ConvertArgs) -> Result<(), Failure> {
    let shown = args.source.display().to_string();
    let source = read_text(&args.source)?;
    let common = args.common.as_deref().map(read_text).transpose()?;
    let into_folder = args.output.as_deref().is_some_and(|o| {
        o.is_dir()
            || o.as_os_str()
                .to_string_lossy()
                .ends_with(std::path::MAIN_SEPARATOR)
    });
    // Where the ISF file will be: IMPORTED paths inside it are written relative to it.
    let out_dir = match &args.output {
        Some(o) if into_folder => Some(o.clone()),
        Some(o) => Some(
            o.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_owned(),
        ),
        None => None,
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let mut media_dirs: Vec<PathBuf> = args.media.iter().map(|d| absolute(d)).collect();
    if args.source != Path::new("-") {
        // A bare file name's folder is the current one (`Path::parent` gives "").
        let parent = args.source.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = absolute(parent.unwrap_or(Path::new(".")));
        media_dirs.push(folder.join("media"));
        media_dirs.push(folder);
    }
    let options = ConvertOptions {
        from: args.from,
        common,
        media_dirs,
        relative_to: out_dir.as_deref().map(absolute),
    };
    let converted = dialect::convert_all(&source, &options).map_err(|e| Failure {
        code: match e.kind {
            FormatErrorKind::Unreadable => 2,
            _ => ErrorKind::InvalidShader.exit_code(),
        },
        message: e.diagnostic.render(&shown),
    })?;
    for c in &converted {
        for w in &c.warnings {
            eprintln!("{shown}: warning: {}: {w}", c.name);
        }
    }
    match (&args.output, converted.as_slice()) {
        (None, [one]) => {
            if one.sound.is_some() {
                eprintln!("{shown}: warning: {}: the Sound pass (mainSound) is an ISF file of its own: convert with -o FILE.fs to get it as FILE.sound.fs, or render {shown} directly to hear it in a video or a .wav", one.name);
            }
            print!("{}", one.isf);
            Ok(())
        }
        (None, many) => Err(Failure::usage(format!(
            "error: {shown} holds {} shaders: name a folder for them with -o DIR/",
            many.len()
        ))),
        (Some(out), [one]) if !into_folder => write_with_sound(out, one),
        (Some(out), _) if !into_folder => Err(Failure::usage(format!(
            "error: {shown} holds {} shaders: -o must name a folder (end it with /)",
            converted.len()
        ))),
        (Some(dir), all) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::usage(format!("error: cannot create {}: {e}", dir.display()))
            })?;
            for (c, path) in all.iter().zip(file_names(dir, all)) {
                write_with_sound(&path, c)?;
            }
            eprintln!(
                "{shown}: wrote {} ISF files to {}",
                all.len(),
                dir.display()
            );
            Ok(())
        }
    }
}

/// `DIR/NAME.fs` for each shader, a number added where two share a name.
fn file_names(dir: &Path, all: &[Converted]) -> Vec<PathBuf> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    all.iter()
        .map(|c| {
            let n = seen.entry(c.name.to_lowercase()).or_default();
            *n += 1;
            let stem = if *n == 1 {
                c.name.clone()
            } else {
                format!("{}_{n}", c.name)
            };
            dir.join(format!("{stem}.fs"))
        })
        .collect()
}

/// Writes `c` to `path`, and its Sound pass, when it has one, beside it as `NAME.sound.fs`;
/// both or neither.
fn write_with_sound(path: &Path, c: &Converted) -> Result<(), Failure> {
    write(path, &c.isf)?;
    if let Some(sound) = &c.sound {
        let beside = path.with_extension("sound.fs");
        if let Err(e) = write(&beside, &sound.isf) {
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        eprintln!(
            "{}: the Sound pass (mainSound) is in {}: each pixel one stereo sample at 44,100 a second",
            path.display(),
            beside.display()
        );
    }
    Ok(())
}

/// Writes `text` to `path` whole or not at all.
fn write(path: &Path, text: &str) -> Result<(), Failure> {
    isfkit_output::write_atomically(path, |tmp| {
        std::fs::write(tmp, text).map_err(|source| isfkit_output::OutputError::Io {
            path: path.to_owned(),
            source,
        })
    })
    .map_err(|e| Failure {
        code: e.kind().exit_code(),
        message: format!("error: {e}"),
    })
}
