//! Shadertoy: the API's JSON (`{"Shader": {"info", "renderpass": [...]}}`), the site's export
//! (an array of shaders; inputs with `type`/`filepath`), or a bare `.glsl` with `mainImage`.
//!
//! Buffers A-D become persistent float passes in Shadertoy's order (A, B, C, D, then Image),
//! so a pass reads what an earlier pass wrote this frame and what a later one (or itself)
//! wrote the frame before, as on Shadertoy. Buffers are found by their output ids, not by
//! their names. Common code is shared. Each pass's `mainImage` and the top-level names two
//! passes both define get the pass's suffix; each `iChannelN` becomes the name of what feeds
//! it. The uniforms keep their Shadertoy types (see [`UNIFORMS`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::{
    error, file_stem, scan, Converted, Dialect, Header, InputDecl, PassDecl, SoundProgram, Writer,
    SHADERTOY_KEYBOARD, SHADERTOY_MOUSE, SOUND_FIRST_SAMPLE, SOUND_SAMPLE_RATE,
};
use crate::model::{Filter, Sampling, Wrap};
use crate::FormatError;

/// Shadertoy's uniforms, each with its ISF form; only those the code reads are written.
const UNIFORMS: &[(&str, &str)] = &[
    ("iResolution", "#define iResolution vec3(RENDERSIZE, 1.0)"),
    ("iTime", "#define iTime TIME"),
    ("iGlobalTime", "#define iGlobalTime TIME"),
    ("iTimeDelta", "#define iTimeDelta TIMEDELTA"),
    ("iFrame", "#define iFrame FRAMEINDEX"),
    (
        "iFrameRate",
        "#define iFrameRate (TIMEDELTA > 0.0 ? 1.0 / TIMEDELTA : 60.0)",
    ),
    (
        "iDate",
        "#define iDate vec4(DATE.x, DATE.y - 1.0, DATE.z, DATE.w)  // Shadertoy's month counts from 0",
    ),
    ("iSampleRate", "#define iSampleRate 44100.0"),
    (
        "iMouse",
        "#define iMouse vec4(iMouseXY, iMouseDown ? iMouseZW : -iMouseZW)  // zw negative while the button is up",
    ),
    ("iChannelTime", "float iChannelTime[4];  // set in main()"),
    (
        "iChannelResolution",
        "vec3 iChannelResolution[4];  // set in main(), for the pass that runs",
    ),
];

/// Buffer output ids Shadertoy uses, in the API (strings) and the site's export (numbers).
const BUFFER_IDS: [(&str, char); 8] = [
    ("4dXGR8", 'A'),
    ("XsXGR8", 'B'),
    ("4sXGR8", 'C'),
    ("XdfGR8", 'D'),
    ("257", 'A'),
    ("258", 'B'),
    ("259", 'C'),
    ("260", 'D'),
];

#[derive(Debug, Clone, PartialEq)]
enum PassKind {
    Image,
    Buffer(char),
    Common,
    Sound,
    Cubemap,
}

#[derive(Debug, Clone)]
struct Channel {
    index: usize,
    kind: String,
    id: Option<String>,
    file: Option<String>,
    filter: Option<String>,
    wrap: Option<String>,
    vflip: Option<bool>,
}

#[derive(Debug, Clone)]
struct Pass {
    kind: PassKind,
    /// As Shadertoy names it: `Image`, `Buffer A`, `Common`.
    name: String,
    code: String,
    channels: Vec<Channel>,
    outputs: Vec<String>,
}

impl Pass {
    /// The suffix of its renamed names and the name of its ISF target: `image`, `bufferA`.
    fn ident(&self) -> String {
        match self.kind {
            PassKind::Buffer(c) => format!("buffer{c}"),
            _ => "image".to_owned(),
        }
    }
}

/// One shader: its passes and what its `info` says.
struct Shader {
    name: String,
    id: Option<String>,
    author: Option<String>,
    description: Option<String>,
    passes: Vec<Pass>,
}

pub(super) fn convert_all(
    source: &str,
    options: &super::ConvertOptions,
) -> Result<Vec<Converted>, FormatError> {
    let masked = crate::mask_comments(source);
    let trimmed = masked.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        let mut passes = Vec::new();
        if let Some(common) = &options.common {
            passes.push(Pass {
                kind: PassKind::Common,
                name: "Common".to_owned(),
                code: common.clone(),
                channels: Vec::new(),
                outputs: Vec::new(),
            });
        }
        // The channels a bare file reads are image inputs (`--image iChannel0=FILE`).
        let used = scan::identifiers(source);
        let channels = (0..4)
            .filter(|n| used.contains(format!("iChannel{n}").as_str()))
            .map(|index| Channel {
                index,
                kind: "texture".to_owned(),
                id: None,
                file: None,
                filter: None,
                wrap: None,
                vflip: None,
            })
            .collect();
        passes.push(Pass {
            kind: PassKind::Image,
            name: "Image".to_owned(),
            code: source.to_owned(),
            channels,
            outputs: Vec::new(),
        });
        let shader = Shader {
            name: "shadertoy".to_owned(),
            id: None,
            author: None,
            description: None,
            passes,
        };
        // A bare file's lines are its own: no pass name in its errors.
        return convert_shader(&shader, false, options).map(|c| vec![c]);
    }
    let value: Value = serde_json::from_str(source)
        .map_err(|e| error(format!("this Shadertoy JSON cannot be read: {e}")))?;
    let shaders: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) if o.contains_key("Shader") => vec![&value["Shader"]],
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, s) in shaders.into_iter().enumerate() {
        let shader = read_shader(s, i)?;
        out.push(convert_shader(&shader, true, options)?);
    }
    Ok(out)
}

/// A string or a number as a string (the site writes ids as numbers, the API as strings).
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_shader(value: &Value, index: usize) -> Result<Shader, FormatError> {
    let info = value.get("info");
    let field = |k: &str| text(info.and_then(|i| i.get(k)));
    let name = field("name").unwrap_or_else(|| format!("shader{}", index + 1));
    let passes_json = value
        .get("renderpass")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            error(format!(
                "shader {} of this JSON has no \"renderpass\" list: it is not a Shadertoy shader",
                index + 1
            ))
        })?;
    let mut passes = Vec::new();
    for (k, p) in passes_json.iter().enumerate() {
        let pass_name = text(p.get("name")).filter(|n| !n.trim().is_empty());
        let ty = text(p.get("type")).unwrap_or_else(|| "image".to_owned());
        let outputs: Vec<String> = p
            .get("outputs")
            .and_then(Value::as_array)
            .map(|o| o.iter().filter_map(|x| text(x.get("id"))).collect())
            .unwrap_or_default();
        let kind = match ty.as_str() {
            "image" => PassKind::Image,
            "common" => PassKind::Common,
            "sound" => PassKind::Sound,
            "cubemap" => PassKind::Cubemap,
            "buffer" => PassKind::Buffer(buffer_letter(pass_name.as_deref(), &outputs).ok_or_else(
                || {
                    error(format!(
                        "{name}: pass {} is a buffer that is neither named \"Buffer A\"-\"Buffer D\" nor writes a known buffer id",
                        k + 1
                    ))
                },
            )?),
            other => {
                return Err(error(format!(
                    "{name}: pass {} has type \"{other}\", which Shadertoy does not have (image, buffer, common, sound, cubemap)",
                    k + 1
                )))
            }
        };
        let display = pass_name.unwrap_or_else(|| match &kind {
            PassKind::Image => "Image".to_owned(),
            PassKind::Buffer(c) => format!("Buffer {c}"),
            PassKind::Common => "Common".to_owned(),
            PassKind::Sound => "Sound".to_owned(),
            PassKind::Cubemap => "Cube A".to_owned(),
        });
        let code = text(p.get("code"))
            .ok_or_else(|| error(format!("{name}: pass \"{display}\" has no \"code\" string")))?;
        let channels = p
            .get("inputs")
            .and_then(Value::as_array)
            .map(|ins| {
                ins.iter()
                    .enumerate()
                    .map(|(j, c)| read_channel(c, j))
                    .collect()
            })
            .unwrap_or_default();
        passes.push(Pass {
            kind,
            name: display,
            code,
            channels,
            outputs,
        });
    }
    Ok(Shader {
        name,
        id: field("id"),
        author: field("username"),
        description: field("description"),
        passes,
    })
}

fn read_channel(c: &Value, position: usize) -> Channel {
    let sampler = c.get("sampler");
    let s = |k: &str| text(sampler.and_then(|x| x.get(k)));
    Channel {
        index: c
            .get("channel")
            .and_then(Value::as_u64)
            .map_or(position, |n| n as usize),
        kind: text(c.get("ctype").or_else(|| c.get("type"))).unwrap_or_default(),
        id: text(c.get("id")),
        file: text(c.get("src").or_else(|| c.get("filepath"))),
        filter: s("filter"),
        wrap: s("wrap"),
        vflip: s("vflip").map(|v| v == "true"),
    }
}

/// `A`-`D` for a buffer pass: from its name (`Buffer A`) or the id it writes.
fn buffer_letter(name: Option<&str>, outputs: &[String]) -> Option<char> {
    let from_name = name.and_then(|n| {
        let n = n.trim();
        let c = n
            .strip_prefix("Buf ")
            .or_else(|| n.strip_prefix("Buffer "))?;
        let c = c.chars().next()?.to_ascii_uppercase();
        ('A'..='D').contains(&c).then_some(c)
    });
    from_name.or_else(|| {
        outputs
            .iter()
            .find_map(|o| BUFFER_IDS.iter().find(|(id, _)| id == o).map(|(_, c)| *c))
    })
}

/// What feeds a channel in the ISF file.
enum Feed {
    /// A pass's target.
    Target(String),
    /// An image input (textures, video, webcam, keyboard, sound), with its name.
    Image(String),
}

fn convert_shader(
    shader: &Shader,
    placed: bool,
    options: &super::ConvertOptions,
) -> Result<Converted, FormatError> {
    let mut warnings = Vec::new();
    let mut imported: Vec<(String, String)> = Vec::new();
    for p in &shader.passes {
        if p.kind == PassKind::Cubemap {
            return Err(error(format!(
                "{}: pass \"{}\" renders a cubemap, which isf convert does not support yet",
                shader.name, p.name
            )));
        }
    }
    let common: Vec<&Pass> = shader
        .passes
        .iter()
        .filter(|p| p.kind == PassKind::Common)
        .collect();
    let mut passes: Vec<&Pass> = shader
        .passes
        .iter()
        .filter(|p| matches!(p.kind, PassKind::Image | PassKind::Buffer(_)))
        .collect();
    // Shadertoy's order: the buffers A to D, then the image.
    passes.sort_by_key(|p| match p.kind {
        PassKind::Buffer(c) => c as u32,
        _ => u32::MAX,
    });
    if !passes.iter().any(|p| p.kind == PassKind::Image) {
        return Err(error(format!("{}: there is no Image pass", shader.name)));
    }
    // Each pass's top-level names, read once.
    let names: Vec<BTreeSet<String>> = passes
        .iter()
        .map(|p| scan::top_level_names(&p.code))
        .collect();
    for (p, names) in passes.iter().zip(&names) {
        if !names.contains("mainImage") {
            return Err(error(format!(
                "{}: pass \"{}\" defines no mainImage(out vec4 fragColor, in vec2 fragCoord)",
                shader.name, p.name
            )));
        }
    }
    let multi = passes.len() > 1;
    // Output ids to the target of the pass that writes them.
    let targets: HashMap<&str, String> = passes
        .iter()
        .filter(|p| p.kind != PassKind::Image)
        .flat_map(|p| p.outputs.iter().map(move |o| (o.as_str(), p.ident())))
        .collect();
    let letters: HashMap<char, String> = passes
        .iter()
        .filter_map(|p| match p.kind {
            PassKind::Buffer(c) => Some((c, p.ident())),
            _ => None,
        })
        .collect();
    // Names two passes both define: each pass keeps its own.
    let mut defined: BTreeMap<&str, usize> = BTreeMap::new();
    for n in names.iter().flatten() {
        *defined.entry(n).or_default() += 1;
    }
    let mut inputs: Vec<InputDecl> = Vec::new();
    let mut feeds_per_pass: Vec<Vec<(usize, Feed)>> = Vec::new();
    let mut missing_media = Vec::new();
    let mut sampling: BTreeMap<String, Sampling> = BTreeMap::new();
    let mut flipped: BTreeSet<String> = BTreeSet::new();
    for p in &passes {
        let mut feeds = Vec::new();
        for c in &p.channels {
            let feed = match c.kind.as_str() {
                "buffer" => {
                    let target = c
                        .id
                        .as_deref()
                        .and_then(|id| targets.get(id).cloned())
                        .or_else(|| {
                            let letter = c.file.as_deref().and_then(buffer_file_letter)?;
                            letters.get(&letter).cloned()
                        })
                        .ok_or_else(|| {
                            error(format!(
                                "{}: pass \"{}\" reads buffer {} on iChannel{}, and no pass writes it",
                                shader.name,
                                p.name,
                                c.id.as_deref().unwrap_or("(no id)"),
                                c.index
                            ))
                        })?;
                    Feed::Target(target)
                }
                "keyboard" => {
                    if !inputs.iter().any(|i| i.name == SHADERTOY_KEYBOARD) {
                        inputs.push(InputDecl {
                            label: Some("Keyboard (Shadertoy's 256x3 key texture; all keys up when unset)".to_owned()),
                            ..InputDecl::new(SHADERTOY_KEYBOARD, "image")
                        });
                    }
                    Feed::Image(SHADERTOY_KEYBOARD.to_owned())
                }
                "texture" | "video" | "webcam" | "music" | "musicstream" | "mic" => {
                    let name = if p.kind == PassKind::Image {
                        format!("iChannel{}", c.index)
                    } else {
                        format!("{}_iChannel{}", p.ident(), c.index)
                    };
                    let what = match c.kind.as_str() {
                        "texture" => "texture",
                        "video" | "webcam" => "video",
                        _ => "sound",
                    };
                    let file = c
                        .file
                        .as_deref()
                        .map(|f| f.rsplit('/').next().unwrap_or(f).to_owned());
                    // A texture whose file is in a media folder: an IMPORTED image.
                    let found = file
                        .as_deref()
                        .filter(|_| what == "texture")
                        .and_then(|f| media_path(options, f));
                    if let Some(path) = found {
                        record_sampling(&mut sampling, &mut warnings, &name, p, c);
                        if c.vflip == Some(false) {
                            flipped.insert(name.clone());
                        }
                        imported.push((name.clone(), path));
                        feeds.push((c.index, Feed::Image(name)));
                        continue;
                    }
                    if let (Some(f), false) = (&file, what == "sound") {
                        missing_media.push(format!("{name} ({f})"));
                    }
                    let label = match &file {
                        Some(f) => format!("{} iChannel{}: {what} {f}", p.name, c.index),
                        None => format!("{} iChannel{}: {what}", p.name, c.index),
                    };
                    inputs.push(if what == "sound" {
                        InputDecl {
                            label: Some(label),
                            layout: Some("shadertoy"),
                            ..InputDecl::new(&name, "audioFFT")
                        }
                    } else {
                        InputDecl {
                            label: Some(label),
                            ..InputDecl::new(&name, "image")
                        }
                    });
                    Feed::Image(name)
                }
                "cubemap" | "volume" => {
                    return Err(error(format!(
                        "{}: pass \"{}\" reads a {} on iChannel{}, which isf convert does not support yet",
                        shader.name, p.name, c.kind, c.index
                    )))
                }
                other => {
                    return Err(error(format!(
                        "{}: pass \"{}\" iChannel{} has type \"{other}\", which Shadertoy does not have",
                        shader.name, p.name, c.index
                    )))
                }
            };
            let (Feed::Target(texture) | Feed::Image(texture)) = &feed;
            if c.vflip == Some(false) && matches!(c.kind.as_str(), "texture" | "video" | "webcam") {
                flipped.insert(texture.clone());
            }
            if texture != SHADERTOY_KEYBOARD {
                record_sampling(&mut sampling, &mut warnings, texture, p, c);
            }
            feeds.push((c.index, feed));
        }
        feeds_per_pass.push(feeds);
    }
    if !missing_media.is_empty() {
        warnings.push(format!(
            "Shadertoy's media files are not included; set these image inputs (until then they are transparent black): {}",
            missing_media.join(", ")
        ));
    }
    // Which uniforms any code reads.
    let all_code: Vec<&str> = common
        .iter()
        .chain(passes.iter())
        .map(|p| p.code.as_str())
        .collect();
    let used: BTreeSet<&str> = all_code.iter().flat_map(|c| scan::identifiers(c)).collect();
    let uses = |name: &str| used.contains(name);
    if uses("iMouse") {
        inputs.extend(mouse_inputs());
    }
    let header = Header {
        description: match (&shader.id, &shader.description) {
            (Some(id), Some(d)) => format!(
                "{}: Shadertoy shader {id} (https://www.shadertoy.com/view/{id}), converted by isf convert. {d}",
                shader.name
            ),
            (Some(id), None) => format!(
                "{}: Shadertoy shader {id} (https://www.shadertoy.com/view/{id}), converted by isf convert",
                shader.name
            ),
            (None, _) => "A Shadertoy shader, converted by isf convert".to_owned(),
        },
        credit: shader.author.clone(),
        categories: vec!["Generator"],
        inputs,
        passes: passes
            .iter()
            .map(|p| match p.kind {
                PassKind::Buffer(_) => PassDecl {
                    target: Some(p.ident()),
                    persistent: true,
                    float: true,
                },
                _ => PassDecl::default(),
            })
            .filter(|_| multi)
            .collect(),
        imported,
        sampling: sampling
            .into_iter()
            .filter(|(_, s)| *s != Sampling::default())
            .collect(),
        flipped,
    };
    let mut w = start_file(&header.render(), &uses, &common);
    let place = |p: &Pass| placed.then(|| p.name.clone());
    for ((p, feeds), names) in passes.iter().zip(&feeds_per_pass).zip(&names) {
        let suffix = p.ident();
        let mut renames: HashMap<String, String> = names
            .iter()
            .filter(|n| defined.get(n.as_str()).is_some_and(|c| *c > 1))
            .map(|n| (n.clone(), format!("{n}_{suffix}")))
            .collect();
        for (index, feed) in feeds {
            let to = match feed {
                Feed::Target(t) | Feed::Image(t) => t.clone(),
            };
            renames.insert(format!("iChannel{index}"), to);
        }
        let code = scan::rename(&p.code, &renames);
        if multi {
            w.glue(&format!("// ---- {} ----", p.name));
        }
        w.user(&code, &p.code, place(p).as_deref(), 1);
    }
    w.glue(&main_function(&passes, &feeds_per_pass, multi, &uses));
    let (isf, origin) = w.finish();
    let sound = match shader.passes.iter().find(|p| p.kind == PassKind::Sound) {
        Some(pass) => {
            let program = sound_program(shader, &common, pass, placed);
            if program.is_none() {
                warnings.push(format!(
                    "pass \"{}\" defines no vec2 mainSound(int samp, float time): the shader has no sound",
                    pass.name
                ));
            }
            program
        }
        None => None,
    };
    Ok(Converted {
        name: file_stem(&shader.name),
        dialect: Dialect::Shadertoy,
        isf,
        origin,
        warnings,
        sound,
    })
}

/// The inputs `iMouse` is made of.
fn mouse_inputs() -> [InputDecl; 3] {
    [
        InputDecl {
            label: Some("iMouse.xy: the mouse position in pixels".to_owned()),
            default: Some(serde_json::json!([0, 0])),
            ..InputDecl::new(SHADERTOY_MOUSE.position, "point2D")
        },
        InputDecl {
            label: Some("iMouse.zw: where the button went down, in pixels".to_owned()),
            default: Some(serde_json::json!([0, 0])),
            ..InputDecl::new(SHADERTOY_MOUSE.click, "point2D")
        },
        InputDecl {
            label: Some("Mouse button down".to_owned()),
            default: Some(Value::Bool(false)),
            ..InputDecl::new(SHADERTOY_MOUSE.down, "bool")
        },
    ]
}

/// A converted file's start: `header`, the glue of the Shadertoy uniforms the code `uses`,
/// and the Common code (its lines named by its pass, even beside a bare file, whose own lines
/// need no pass name).
fn start_file(header: &str, uses: &dyn Fn(&str) -> bool, common: &[&Pass]) -> Writer {
    let mut w = Writer::new(Dialect::Shadertoy);
    w.glue(header);
    let glue: Vec<&str> = UNIFORMS
        .iter()
        .filter(|(name, _)| uses(name))
        .map(|(_, line)| *line)
        .collect();
    w.glue("// Shadertoy glue (written by isf convert): its uniforms with their Shadertoy types.");
    if !glue.is_empty() {
        w.glue(&glue.join("\n"));
    }
    for c in common {
        w.glue("// ---- Common ----");
        w.user(&c.code, &c.code, Some(&c.name), 1);
    }
    w
}

/// The Sound pass `pass` (with the Common code) as an ISF generator (see [`SoundProgram`]);
/// `None` when it defines no `mainSound`.
fn sound_program(
    shader: &Shader,
    common: &[&Pass],
    pass: &Pass,
    placed: bool,
) -> Option<SoundProgram> {
    // The time is a float, as on Shadertoy (exact to the sample for the first 380 s).
    let call = match scan::parameter_count(&pass.code, "mainSound")? {
        2 => "mainSound(samp, float(samp) / 44100.0)",
        1 => "mainSound(float(samp) / 44100.0)",
        _ => return None,
    };
    let first = SOUND_FIRST_SAMPLE;
    let all: Vec<&str> = common
        .iter()
        .map(|p| p.code.as_str())
        .chain([pass.code.as_str()])
        .collect();
    let used: BTreeSet<&str> = all.iter().flat_map(|c| scan::identifiers(c)).collect();
    let mut inputs = vec![InputDecl {
        label: Some("The sample this frame starts at".to_owned()),
        default: Some(serde_json::json!(0)),
        min: Some(serde_json::json!(0)),
        max: Some(serde_json::json!(i32::MAX)),
        ..InputDecl::new(first, "long")
    }];
    if used.contains("iMouse") {
        inputs.extend(mouse_inputs());
    }
    let header = Header {
        description: format!(
            "{}: the Sound pass, converted by isf convert. Each pixel is one stereo sample (red left, green right) at {SOUND_SAMPLE_RATE} a second, row by row from the top, starting at {first}",
            shader.name
        ),
        credit: shader.author.clone(),
        categories: vec!["Generator"],
        inputs,
        ..Header::default()
    }
    .render();
    let mut w = start_file(&header, &|name| used.contains(name), common);
    w.glue(&format!("// ---- {} ----", pass.name));
    w.user(
        &pass.code,
        &pass.code,
        placed.then_some(pass.name.as_str()),
        1,
    );
    w.glue(&format!(
        "void main() {{\n    // The sample of this pixel: rows from the top, {first} first.\n    int row = int(RENDERSIZE.y) - 1 - int(gl_FragCoord.y);\n    int samp = {first} + row * int(RENDERSIZE.x) + int(gl_FragCoord.x);\n    gl_FragColor = vec4(clamp({call}, -1.0, 1.0), 0.0, 1.0);\n}}"
    ));
    let (isf, origin) = w.finish();
    Some(SoundProgram { isf, origin })
}

/// Where media file `file` (a Shadertoy path: its file name counts) is in a media folder:
/// relative to `relative_to` when inside it, else as found.
fn media_path(options: &super::ConvertOptions, file: &str) -> Option<String> {
    let name = file.rsplit('/').next().filter(|n| !n.is_empty())?;
    let found = options
        .media_dirs
        .iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())?;
    let shown = match &options.relative_to {
        Some(base) => found.strip_prefix(base).unwrap_or(&found).to_path_buf(),
        None => found,
    };
    Some(shown.to_string_lossy().into_owned())
}

/// The letter of a buffer named by its file in the site's export (`/media/previz/buffer00.png`).
fn buffer_file_letter(file: &str) -> Option<char> {
    let stem = file.rsplit('/').next()?.strip_prefix("buffer")?;
    let n: u32 = stem.get(..2)?.parse().ok()?;
    char::from_u32('A' as u32 + n).filter(|c| ('A'..='D').contains(c))
}

/// `main()`: per pass, the channel uniforms that vary by pass, then its `mainImage`; the
/// Image pass's alpha is 1, as on Shadertoy.
fn main_function(
    passes: &[&Pass],
    feeds: &[Vec<(usize, Feed)>],
    multi: bool,
    uses: &dyn Fn(&str) -> bool,
) -> String {
    let mut out = String::from("void main() {\n    vec4 color = vec4(0.0);\n");
    if uses("iChannelTime") {
        out.push_str("    for (int i = 0; i < 4; i++) iChannelTime[i] = TIME;\n");
    }
    for (k, (p, feeds)) in passes.iter().zip(feeds).enumerate() {
        let mut body = String::new();
        if uses("iChannelResolution") {
            for index in 0..4 {
                let size = feeds.iter().find(|(i, _)| *i == index).map_or(
                    "vec3(0.0)".to_owned(),
                    |(_, f)| match f {
                        Feed::Target(t) | Feed::Image(t) => format!("vec3(IMG_SIZE({t}), 1.0)"),
                    },
                );
                body.push_str(&format!("iChannelResolution[{index}] = {size}; "));
            }
        }
        let call = if multi {
            format!("mainImage_{}", p.ident())
        } else {
            "mainImage".to_owned()
        };
        let write = if p.kind == PassKind::Image {
            "gl_FragColor = vec4(color.rgb, 1.0);"
        } else {
            "gl_FragColor = color;"
        };
        body.push_str(&format!("{call}(color, gl_FragCoord.xy); {write}"));
        if multi {
            let cond = if k + 1 == passes.len() {
                "    else".to_owned()
            } else if k == 0 {
                format!("    if (PASSINDEX == {k})")
            } else {
                format!("    else if (PASSINDEX == {k})")
            };
            out.push_str(&format!("{cond} {{ {body} }}\n"));
        } else {
            out.push_str(&format!("    {body}\n"));
        }
    }
    out.push('}');
    out
}

/// Records the filter and wrap channel `c` of pass `p` asks for on `texture`. isfkit reads a
/// texture one way: when channels differ, one that asks for something other than the
/// default (linear, clamp) wins over a default one (a buffer reading itself plainly while
/// the Image pass reads it nearest, say), else the first; a warning says which.
fn record_sampling(
    sampling: &mut BTreeMap<String, Sampling>,
    warnings: &mut Vec<String>,
    texture: &str,
    p: &Pass,
    c: &Channel,
) {
    let wanted = channel_sampling(c);
    match sampling.get(texture).copied() {
        Some(earlier) if earlier != wanted => {
            let kept = if earlier == Sampling::default() {
                wanted
            } else {
                earlier
            };
            sampling.insert(texture.to_owned(), kept);
            warnings.push(format!(
                "pass \"{}\" iChannel{} reads {texture} with another filter or wrap than another channel does; isfkit reads it one way: {}, {}",
                p.name,
                c.index,
                kept.filter.name(),
                kept.wrap.name()
            ));
        }
        Some(_) => {}
        None => {
            sampling.insert(texture.to_owned(), wanted);
        }
    }
}

/// The sampling a channel asks for. `mipmap` on a buffer reads as `linear` (a pass target has
/// one level in isfkit).
fn channel_sampling(c: &Channel) -> Sampling {
    Sampling {
        filter: match c.filter.as_deref() {
            Some("nearest") => Filter::Nearest,
            Some("mipmap") if c.kind != "buffer" => Filter::Mipmap,
            _ => Filter::Linear,
        },
        wrap: match c.wrap.as_deref() {
            Some("repeat") => Wrap::Repeat,
            _ => Wrap::Clamp,
        },
    }
}
