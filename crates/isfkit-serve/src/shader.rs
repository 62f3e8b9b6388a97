//! Shader checks that need no GPU and run in the server's own process: validation (parse,
//! translate, compile both stages with naga), the shader's info, and a render request checked
//! against the shader (input names and values, IMPORTED images, the stateful lead-in).

use std::path::{Path, PathBuf};

use isfkit_render::format::{InputType, IsfDocument};
use isfkit_render::glsl::{Finding, Validation};
use isfkit_render::{LoadError, Program, Value as InputValue};
use serde_json::{json, Value};

use crate::config::ServeConfig;
use crate::error::ServiceError;
use crate::request::{RenderParams, Source};
use isfkit_batch::keys::{KeyTrack, Keyframes};
use isfkit_batch::lead_in::plan_frames;

use crate::worker::WorkerJob;

/// The folder IMPORTED paths resolve against: the shader's own folder, or the allowed root
/// for shader text; `None` when the request may read no files.
fn base_dir(source: &Source, config: &ServeConfig) -> Option<PathBuf> {
    match &source.path {
        Some(p) => p.parent().map(Path::to_owned),
        None => config.allow_dir.clone(),
    }
}

/// The shader's info: everything `isf info` prints (inputs with types, defaults and ranges,
/// passes with their size expressions, IMPORTED images, the kind), its warnings and what it
/// uses (persistent buffers, FRAMEINDEX, TIMEDELTA, ...).
pub fn info_json(doc: &IsfDocument, facts: Option<isfkit_render::Facts>) -> Value {
    let mut v = serde_json::to_value(doc).unwrap_or_else(|_| json!({}));
    if let Some(o) = v.as_object_mut() {
        let warnings: Vec<String> = doc.warnings.iter().map(|w| w.to_string()).collect();
        o.insert("warnings".into(), json!(warnings));
        if let Some(f) = facts {
            o.insert("uses".into(), json!(f));
            o.insert("stateful".into(), json!(f.stateful()));
        }
    }
    v
}

/// The result of loading a shader in-process.
#[derive(Clone)]
pub struct Checked {
    /// The validate answer: `valid`, `success`, `errors` and `warnings` as strings,
    /// `diagnostics` ({line, column, stage, severity, message}), `shader_info`.
    pub answer: Value,
    pub program: Option<Program>,
}

/// Parses and compiles `source` (no GPU). Errors are in the answer, not an `Err`: only a
/// request that may not be served (an IMPORTED file outside the allowed folder) is one.
pub fn check(source: &Source, config: &ServeConfig) -> Result<Checked, ServiceError> {
    let name = source.display_name();
    let base = base_dir(source, config);
    // The document first: its IMPORTED files are checked against the allowed folder before
    // anything reads them.
    let (report, info) =
        match IsfDocument::parse_dialect(&source.text, base.as_deref(), source.dialect) {
            Err(e) => (Validation::of(Err(LoadError::Format(e))), Value::Null),
            Ok(doc) => {
                check_imported(&doc, source, config)?;
                let loaded =
                    Program::compile(doc.clone(), source.vertex.clone(), None, None, name.clone());
                let report = Validation::of(loaded);
                let info = match &report.program {
                    Some(p) => info_json(&p.doc, Some(p.facts)),
                    None => info_json(&doc, None),
                };
                (report, info)
            }
        };
    let line = |f: &Finding| {
        let (line, column, message, stage, _) = f.fields();
        if line > 0 {
            format!("{name}:{line}:{column}: {stage}: {message}")
        } else {
            format!("{name}: {stage}: {message}")
        }
    };
    let diagnostic = |f: &Finding| {
        let (line, column, message, stage, severity) = f.fields();
        json!({ "line": line, "column": column, "stage": stage, "severity": severity, "message": message })
    };
    let valid = report.valid();
    let answer = json!({
        "valid": valid,
        "success": valid,
        "errors": report.errors.iter().map(line).collect::<Vec<_>>(),
        "warnings": report.warnings.iter().map(line).collect::<Vec<_>>(),
        "diagnostics": report.errors.iter().chain(&report.warnings).map(diagnostic).collect::<Vec<_>>(),
        "shader_info": info,
    });
    Ok(Checked {
        answer,
        program: report.program,
    })
}

/// A source as a cache key: its text, vertex text, file and named dialect.
type SourceKey = (
    String,
    Option<String>,
    Option<PathBuf>,
    Option<isfkit_render::format::dialect::Dialect>,
);

/// Checks of recent sources, so a client rendering the same shader again (an agent's
/// iterations, a load test) does not compile it again. Bounded: emptied when full.
#[derive(Default)]
pub struct CheckCache {
    map: std::sync::Mutex<std::collections::HashMap<SourceKey, Checked>>,
}

/// Entries a [`CheckCache`] holds before it is emptied.
const CACHE_ENTRIES: usize = 64;

impl CheckCache {
    /// [`check`], answered from the cache when the same text was checked before. Shaders
    /// with IMPORTED files are checked every time (the files may have changed).
    pub fn check(&self, source: &Source, config: &ServeConfig) -> Result<Checked, ServiceError> {
        let key = (
            source.text.clone(),
            source.vertex.clone(),
            source.path.clone(),
            source.dialect,
        );
        if let Some(c) = self.map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(c.clone());
        }
        let checked = check(source, config)?;
        let imports = checked
            .program
            .as_ref()
            .is_some_and(|p| !p.doc.imported.is_empty());
        if !imports {
            let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
            if map.len() >= CACHE_ENTRIES {
                map.clear();
            }
            map.insert(key, checked.clone());
        }
        Ok(checked)
    }
}

/// The request's field that holds the shader: what an error about its IMPORTED files names.
fn source_field(source: &Source) -> &'static str {
    if source.path.is_some() {
        "shader_path"
    } else {
        "shader_content"
    }
}

/// IMPORTED images are files: they must be under the allowed folder, like `shader_path`.
fn check_imported(
    doc: &IsfDocument,
    source: &Source,
    config: &ServeConfig,
) -> Result<(), ServiceError> {
    let field = source_field(source);
    for im in &doc.imported {
        let Some(root) = &config.allow_dir else {
            return Err(ServiceError::Forbidden {
                field: field.into(),
                message: format!(
                    "IMPORTED image \"{}\" ({}) is a file, and this server gives no file access (start it with --allow-dir DIR)",
                    im.name, im.path
                ),
            });
        };
        let inside = match (root.canonicalize(), im.resolved_path.canonicalize()) {
            (Ok(r), Ok(p)) => p.starts_with(r),
            _ => false,
        };
        if !inside {
            return Err(ServiceError::Forbidden {
                field: field.into(),
                message: format!(
                    "IMPORTED image \"{}\" ({}) is not a file under the allowed folder",
                    im.name, im.path
                ),
            });
        }
    }
    Ok(())
}

/// Checks a render request against its compiled shader and makes the worker's job: input
/// values in `--set` form (type-checked here, so a wrong one is a 400 naming `inputs.NAME`),
/// image inputs, and the frames to render (a stateful shader's lead-in included).
pub fn render_job(
    params: &RenderParams,
    program: &Program,
    config: &ServeConfig,
) -> Result<WorkerJob, ServiceError> {
    let doc = &program.doc;
    let unknown = |name: &str| isfkit_render::Error::unknown_input(doc, name).to_string();
    let mut inputs = Vec::new();
    let mut keys = Vec::new();
    for (name, value) in &params.inputs {
        let field = format!("inputs.{name}");
        let bad = |message: String| ServiceError::BadRequest {
            field: Some(field.clone()),
            message,
        };
        let input = doc.input(name).ok_or_else(|| bad(unknown(name)))?;
        if matches!(
            input.ty,
            InputType::Image | InputType::Audio { .. } | InputType::AudioFft { .. }
        ) {
            return Err(bad(format!(
                "input \"{name}\" is of type {}: give it under images (a base64 PNG or JPEG), not inputs",
                input.ty.type_name()
            )));
        }
        if let Some(track) = KeyTrack::from_json(value) {
            let track = track.map_err(|m| bad(format!("input \"{name}\": {m}")))?;
            Keyframes::new(name, &input.ty, &track).map_err(|e| bad(e.to_string()))?;
            keys.push((name.clone(), track));
            continue;
        }
        let (_, text) =
            InputValue::from_json(name, &input.ty, value).map_err(|e| bad(e.to_string()))?;
        inputs.push((name.clone(), text));
    }
    let mut images = Vec::new();
    for (name, bytes) in &params.images {
        let field = format!("images.{name}");
        match doc.input(name).map(|i| &i.ty) {
            Some(InputType::Image) => {}
            Some(other) => {
                return Err(ServiceError::BadRequest {
                    field: Some(field),
                    message: format!(
                        "input \"{name}\" is of type {}, not image: give it under inputs",
                        other.type_name()
                    ),
                })
            }
            None => {
                return Err(ServiceError::BadRequest {
                    field: Some(field),
                    message: unknown(name),
                })
            }
        }
        images.push((name.clone(), crate::worker::b64(bytes)));
    }
    let stateful = program.facts.stateful();
    let frames = plan_frames(&params.time_codes, stateful, params.fps);
    let lead_in = frames.iter().filter(|f| f.index.is_none()).count() as u64;
    if lead_in > config.limits.max_lead_in {
        let last = params.time_codes.iter().cloned().fold(f64::MIN, f64::max);
        return Err(ServiceError::BadRequest {
            field: Some("time_codes".into()),
            message: format!(
                "the shader is stateful (persistent buffers, FRAMEINDEX or TIMEDELTA): time {last} s needs {lead_in} frames rendered before it at {} fps, over the limit of {} (--max-lead-in); ask for earlier times or a lower fps",
                params.fps, config.limits.max_lead_in
            ),
        });
    }
    Ok(WorkerJob {
        source: params.source.text.clone(),
        vertex: params.source.vertex.clone(),
        dialect: params.source.dialect,
        base_dir: base_dir(&params.source, config),
        shader_field: source_field(&params.source).into(),
        width: params.width,
        height: params.height,
        format: params.format,
        quality: params.quality,
        inputs,
        keys,
        images,
        frames,
        lead_in,
        deadline: params.deadline.as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_answers_a_text_checked_before_and_stays_bounded() {
        let config = ServeConfig::new("isf".into(), vec![]);
        let cache = CheckCache::default();
        let src = |t: &str| Source {
            text: t.into(),
            vertex: None,
            path: None,
            dialect: None,
        };
        let broken = "/*{}*/\nvoid main() { gl_FragColor = vec4(nope); }\n";
        let first = cache.check(&src(broken), &config).unwrap().answer;
        let again = cache.check(&src(broken), &config).unwrap().answer;
        assert_eq!(first, again);
        assert_eq!(first["valid"], false);
        for i in 0..CACHE_ENTRIES + 3 {
            let text = format!("/*{{}}*/\nvoid main() {{ gl_FragColor = vec4({i}.0); }}\n");
            assert_eq!(
                cache.check(&src(&text), &config).unwrap().answer["valid"],
                true
            );
        }
        assert!(cache.map.lock().unwrap().len() <= CACHE_ENTRIES);
    }
}
