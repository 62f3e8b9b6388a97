//! GLSL Sandbox (glslsandbox.com): a fragment shader with `void main()` and the uniforms
//! `time`, `resolution`, `mouse` (0..1, y up), `backbuffer` (the previous frame) and the
//! varying `surfacePosition`. The ISF file declares `mouse` as a point2D in 0..1 and, when
//! the code reads `backbuffer`, renders into a persistent `backbuffer` pass that the output
//! pass shows.

use super::{scan, Converted, Dialect, Header, InputDecl, PassDecl, Writer};
use crate::FormatError;

/// The names GLSL Sandbox's page declares for a shader.
const PROVIDED: [&str; 6] = [
    "time",
    "resolution",
    "mouse",
    "backbuffer",
    "surfacePosition",
    "surfaceSize",
];

pub(super) fn convert(source: &str) -> Result<Converted, FormatError> {
    let declarations = scan::interface_declarations(source);
    let ranges: Vec<_> = declarations
        .iter()
        .filter(|d| d.names.iter().any(|n| PROVIDED.contains(&n.as_str())))
        .map(|d| d.range.clone())
        .collect();
    let mut code = scan::comment_out(source, &ranges);
    let used = scan::identifiers(source);
    let uses = |name: &str| used.contains(name);
    let backbuffer = uses("backbuffer");
    let mut inputs = Vec::new();
    if uses("mouse") {
        inputs.push(InputDecl {
            default: Some(serde_json::json!([0.5, 0.5])),
            min: Some(serde_json::json!([0, 0])),
            max: Some(serde_json::json!([1, 1])),
            label: Some("Mouse (0..1)".to_owned()),
            ..InputDecl::new("mouse", "point2D")
        });
    }
    let passes = if backbuffer {
        vec![
            PassDecl {
                target: Some("backbuffer".to_owned()),
                persistent: true,
                float: false,
            },
            PassDecl::default(),
        ]
    } else {
        Vec::new()
    };
    let header = Header {
        description: "A GLSL Sandbox shader, converted by isf convert".to_owned(),
        credit: None,
        categories: vec!["Generator"],
        inputs,
        passes,
        imported: Vec::new(),
        sampling: Default::default(),
        flipped: Default::default(),
    };
    let mut w = Writer::new(Dialect::GlslSandbox);
    w.glue(&header.render());
    let mut glue = vec![
        "// GLSL Sandbox glue (written by isf convert): the page's uniforms as ISF gives them."
            .to_owned(),
    ];
    if uses("time") {
        glue.push("#define time TIME".to_owned());
    }
    if uses("resolution") {
        glue.push("#define resolution RENDERSIZE".to_owned());
    }
    // The page's surface: height 1, centred on 0, as wide as the aspect ratio.
    if uses("surfaceSize") {
        glue.push("#define surfaceSize vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0)".to_owned());
    }
    if uses("surfacePosition") {
        glue.push(
            "#define surfacePosition ((isf_FragNormCoord.xy - 0.5) * vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0))"
                .to_owned(),
        );
    }
    w.glue(&glue.join("\n"));
    if backbuffer {
        // The shader draws into the persistent `backbuffer`; the output shows it. The user's
        // `main` runs in the first pass only.
        code = scan::rename(
            &code,
            &[("main".to_owned(), "glslsandbox_main".to_owned())]
                .into_iter()
                .collect(),
        );
    }
    w.glue("// ---- the shader's code, as written ----");
    w.user(&code, source, None, 1);
    if backbuffer {
        w.glue(
            "void main() {\n    if (PASSINDEX == 0) glslsandbox_main();\n    else gl_FragColor = IMG_THIS_PIXEL(backbuffer);\n}",
        );
    }
    let (isf, origin) = w.finish();
    Ok(Converted {
        name: "glslsandbox".to_owned(),
        dialect: Dialect::GlslSandbox,
        isf,
        origin,
        warnings: Vec::new(),
        sound: None,
    })
}
